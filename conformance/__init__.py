"""nnref's conformance suite: the tutorial as data, and checkers for anyone's implementation.

Subpackages:

- ``conformance.cli``: the ``nnref`` command.
- ``conformance.loader``: loading an implementation (``pkg.module:attr``).
"""
