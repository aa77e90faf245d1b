"""Load an implementation under test from a ``pkg.module:attr`` string.

The implementation protocol (conformance/protocol/README.md) lists the callables an implementation
may provide; this module only finds the object. What it lacks is reported by
the checkers as *not provided*.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

from nnref.conformance.errors import NnrefError

#: The implementation checked when none is named: the built-in reference.
REFERENCE = "nnref.reference"


def load_implementation(spec: str) -> object:
    """Return the object named by ``spec`` (``pkg.module`` or ``pkg.module:attr``).

    The current directory is put on ``sys.path`` first, as ``python -m`` does,
    so a user's ``mycode.py`` next to them loads with ``nnref check mycode``.
    Raises :class:`NnrefError` with a one-line message when anything is wrong.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise NnrefError(
            "implementation must be 'pkg.module' or 'pkg.module:attr', got an empty name"
        )
    module_name, _, attr_path = spec.strip().partition(":")
    if not module_name or (":" in spec and not attr_path):
        raise NnrefError(f"implementation {spec!r} must be 'pkg.module' or 'pkg.module:attr'")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    module = _import(module_name, spec)
    obj: object = module
    for part in attr_path.split(".") if attr_path else []:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise NnrefError(
                f"implementation {spec!r}: {module_name!r} has no attribute {part!r}"
            ) from None
    return obj


def describe(spec: str, impl: object) -> str:
    """A short human name for an implementation, for reports."""
    if isinstance(impl, ModuleType):
        return impl.__name__
    return spec


def _import(module_name: str, spec: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise NnrefError(f"implementation {spec!r}: no module named {exc.name!r}") from None
        raise NnrefError(f"implementation {spec!r}: importing it failed: {exc}") from None
    except Exception as exc:  # the user's module raised while importing
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise NnrefError(
            f"implementation {spec!r}: importing it raised {type(exc).__name__}: {first}"
        ) from None
