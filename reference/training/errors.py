"""The error of the training package: bad data or bad training options."""

from reference.errors import NetworkError


class DataError(NetworkError):
    """A data set or a training option that cannot be used; the message is one line naming it."""
