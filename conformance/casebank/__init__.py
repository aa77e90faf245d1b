"""Functions with known-correct and deliberately wrong derivatives, for judging gradient checkers.

``bank.CORRECT`` and ``bank.WRONG`` are the cases; ``nets`` is the small numpy
MLP with hand-written backprop (and named bugs) that many of them use. The
tests (``tests/gradcheck/``) require zero false failures and zero misses on
them; ``benchmarks/bench_gradcheck.py`` counts the same on the same cases.
It is a package of its own, not part of ``tests/``, so the benchmarks can
import it without importing the test suite; it sits outside
``nnref.conformance.finitediff`` because it is data about the checker, not the checker.
"""
