"""Load an implementation under test: a module name, or a path.

An implementation is named ``pkg.module[:attr]``, or by a path (``resolve`` turns it into
an absolute spec before anything runs): a ``.py`` file, a folder holding an
``__init__.py`` (a package), or a folder and its entry file (``DIR:net.py``, or
``--entry net.py`` for every folder given), each optionally followed by ``:attr``.
A path is imported under a name of its own (``nnref_impl_<hash>_<stem>``) with its
folder first on ``sys.path``, so its sibling modules import, and two submissions
that both call their file ``net.py`` never meet.

The implementation protocol (conformance/protocol/README.md) lists the callables an implementation
may provide; this module only finds the object. What it lacks is reported by
the checkers as *not provided*.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from pathlib import Path
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
    if is_path(module_name):
        module = _import_path(Path(module_name), spec)
    else:
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
    if is_path(spec.partition(":")[0]):
        return spec
    if isinstance(impl, ModuleType):
        return impl.__name__
    return spec


def is_path(text: str) -> bool:
    """True when ``text`` names a file or folder rather than a module (``alice/net.py``)."""
    return text.endswith(".py") or os.sep in text or "/" in text or os.path.exists(text)


def resolve(text: str, entry: str | None = None) -> str:
    """The spec the child loads for ``text`` (a module name comes back as it is; a path as an
    absolute ``FILE[:attr]``); NnrefError, one line naming the path, when it cannot be used."""
    head, _, rest = text.partition(":")
    if not is_path(head):
        return text
    path = Path(head).expanduser()
    if not path.exists():
        raise NnrefError(f"implementation {text!r}: no such file or folder: {head}")
    if path.is_dir():
        if rest.endswith(".py"):
            entry, rest = rest, ""
        elif ":" in rest and rest.partition(":")[0].endswith(".py"):
            entry, _, rest = rest.partition(":")
        target = path / entry if entry else path / "__init__.py"
        if not target.is_file():
            how = (
                f"no {entry}"
                if entry
                else "no __init__.py, so give its entry: DIR:net.py or --entry net.py"
            )
            raise NnrefError(f"implementation {text!r}: the folder {head} holds {how}")
        path = target
    elif path.suffix != ".py":
        raise NnrefError(f"implementation {text!r}: {head} is not a Python file (.py)")
    return str(path.resolve()) + (f":{rest}" if rest else "")


def _import_path(path: Path, spec: str) -> ModuleType:
    """The module in ``path`` (a file, or a package's ``__init__.py``) under a name of its own."""
    folder = path.parent
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    stem = folder.name if path.name == "__init__.py" else path.stem
    name = f"nnref_impl_{digest}_{''.join(c if c.isalnum() else '_' for c in stem)}"
    search = [str(folder)] if path.name == "__init__.py" else None
    for extra in (folder.parent, folder) if search else (folder,):
        if str(extra) not in sys.path:
            sys.path.insert(0, str(extra))
    where = importlib.util.spec_from_file_location(name, path, submodule_search_locations=search)
    if where is None or where.loader is None:
        raise NnrefError(f"implementation {spec!r}: cannot import {path}")
    module = importlib.util.module_from_spec(where)
    sys.modules[name] = module
    try:
        where.loader.exec_module(module)
    except Exception as exc:  # the user's module raised while importing
        del sys.modules[name]
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise NnrefError(
            f"implementation {spec!r}: importing it raised {type(exc).__name__}: {first}"
        ) from exc
    return module


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
