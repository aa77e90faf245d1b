"""Every error nnref raises on purpose, in one small hierarchy.

``reference`` is the bottom of the dependency arrows (reference <- symbolic
<- conformance), so the base class lives here, in the standard library
only; ``nnref.conformance.errors`` re-exports it and adds the checker's own kinds.

    NnrefError                  anything nnref reports as one line (the CLI: status 2)
    └── InputError              bad input; also a ValueError for library callers
        ├── NetworkError        a network, sample or option the reference cannot use
        └── DataError           a data set, CSV file or training option

Every message is one line that names what was wrong.
"""


class NnrefError(Exception):
    """A problem nnref reports as one line naming what was wrong.

    The ``nnref`` command prints it as ``nnref: error: <message>`` and exits
    with status 2, without a traceback.
    """


class InputError(NnrefError, ValueError):
    """Bad input: an argument, a file, a value that cannot be used.

    It is a ``ValueError`` too, so library callers can catch it as one.
    """


class NetworkError(InputError):
    """Bad input to the reference network: a shape, a name, a value it cannot use.

    The message names which layer or which entry, where there is one.
    """


class DataError(InputError):
    """A data set (a CSV file, a built-in set) or a training option that cannot be used."""
