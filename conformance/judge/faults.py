"""What a call of the implementation did, as the judge's property code sees it.

Raised by the callables that stand for the implementation's (``isolation.remote``) and
caught by the properties and the Adam trajectories, which turn each into a status.
"""


class PropertyFailure(AssertionError):
    """The implementation broke the property; the message says where and how."""


class ImplementationError(Exception):
    """The implementation raised during a property check."""


class NotProvided(Exception):
    """A callable raised NotImplementedError: it counts as not provided."""
