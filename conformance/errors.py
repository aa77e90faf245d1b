"""The errors of the conformance suite, on the base defined in ``nnref.reference.errors``.

``NnrefError`` is importable from here under its own name. The kinds below
name which input was bad; each message is one line, and the ``nnref``
command prints it and exits with status 2.
"""

from nnref.reference.errors import DataError, InputError, NetworkError, NnrefError

__all__ = [
    "DataError",
    "GradcheckInputError",
    "ImplementationSpecError",
    "InputError",
    "NetworkError",
    "NnrefError",
    "ResultsFileError",
    "VectorsError",
    "internal_error_line",
    "one_line",
]


class VectorsError(InputError):
    """A vectors (case) file, or the built-in vectors, cannot be used."""


class ResultsFileError(InputError):
    """A results file from another language's run cannot be used."""


class ImplementationSpecError(InputError):
    """An implementation spec (``module`` or ``module:attribute``) cannot be loaded."""


class GradcheckInputError(InputError):
    """``x``, ``f`` or ``grad`` cannot be checked (a one-line message says which and why).

    It is a ``ValueError`` for library users and an ``NnrefError`` for the ``nnref``
    command, which prints it as one line and exits with status 2.
    """


def one_line(exc: BaseException) -> str:
    """``ValueError: boom``: an exception's class and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def internal_error_line(exc: BaseException) -> str:
    """The one line said when nnref itself fails (exit 3): never blamed on the implementation."""
    return f"internal error in nnref: {one_line(exc)} (run with --debug for the traceback)"
