"""The errors of the conformance suite, on the base defined in ``reference.errors``.

``NnrefError`` is importable from here under its own name. The kinds below
name which input was bad; each message is one line, and the ``nnref``
command prints it and exits with status 2.
"""

from reference.errors import DataError, InputError, NetworkError, NnrefError

__all__ = [
    "DataError",
    "ImplementationSpecError",
    "InputError",
    "NetworkError",
    "NnrefError",
    "ResultsFileError",
    "VectorsError",
]


class VectorsError(InputError):
    """A vectors (case) file, or the built-in vectors, cannot be used."""


class ResultsFileError(InputError):
    """A results file from another language's run cannot be used."""


class ImplementationSpecError(InputError):
    """An implementation spec (``module`` or ``module:attribute``) cannot be loaded."""
