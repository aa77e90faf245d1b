"""The checker's own error: the inputs to ``gradcheck`` could not be used."""

from conformance.errors import NnrefError


class GradcheckInputError(NnrefError, ValueError):
    """``x``, ``f`` or ``grad`` cannot be checked (a one-line message says which and why).

    It is a ``ValueError`` for library users and an ``NnrefError`` for the ``nnref``
    command, which prints it as one line and exits with status 2.
    """
