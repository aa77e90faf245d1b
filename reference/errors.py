"""The one error the reference raises for bad input."""


class NetworkError(ValueError):
    """Bad input to the reference: a shape, a name, a value it cannot use.

    The message is one line that names what was wrong, e.g. which layer or
    which entry.
    """
