"""Building the vectors: the tutorial's cases, the seeded sweeps, the exact oracle that
checks every expected value, and the generator: ``python -m nnref.conformance.vectors.build``.
"""
