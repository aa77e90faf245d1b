"""What a call of the implementation did, as the judge's property code sees it.

Raised by the callables that stand for the implementation's (``isolation.remote``) and
caught by the properties and the Adam trajectories, which turn each into a status.
"""


class PropertyFailure(AssertionError):
    """The implementation broke the property; the message says where and how."""


class ImplementationError(Exception):
    """The implementation raised during a property check."""


class NotProvided(Exception):
    """A callable raised NotImplementedError: it counts as not provided.

    ``str(exc)``: the callable, and the network it was called on when there is one
    (``gradients on a 3-2-2 network (relu, softmax)``); ``reason``: what it said."""

    def __init__(self, what: str, reason: str = ""):
        super().__init__(what)
        self.reason = reason

    def said(self) -> str:
        """``gradients on a 3-2-2 network (relu, softmax) raises NotImplementedError: ...``"""
        reason = self.reason.removeprefix("NotImplementedError").lstrip(": ")
        return f"{self} raises NotImplementedError" + (f": {reason}" if reason else "")


def called_on(name: str, args) -> str:
    """``name``, with the network it was called on when its first argument is one."""
    layers = args[0] if args else None
    if not (isinstance(layers, list) and layers and isinstance(layers[0], dict)):
        return name
    try:
        sizes = [len(layers[0]["W"]), *(len(la["b"]) for la in layers)]
        acts = ", ".join(str(la.get("activation")) for la in layers)
    except (KeyError, TypeError):
        return name
    return f"{name} on a {'-'.join(map(str, sizes))} network ({acts})"
