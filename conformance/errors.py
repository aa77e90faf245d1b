"""Errors the `nnref` command reports as one line, without a traceback."""


class NnrefError(Exception):
    """A problem with the user's input: an argument, a file, an implementation.

    The message is one line that names what was wrong. The CLI prints it as
    ``nnref: error: <message>`` and exits with status 2.
    """
