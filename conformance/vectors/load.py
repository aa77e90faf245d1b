"""Loading vector files: the package's own, or files given with ``--vectors``.

A file that cannot be used (not JSON, truncated, wrong ``schema_version``, no
``cases``) becomes one ``Problem`` naming the file and what is wrong; a single
malformed case (schema error, duplicate id) becomes a ``Problem`` naming the
case. Everything else still runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema

from nnref.conformance.protocol.operations import OPERATIONS
from nnref.conformance.vectors import SCHEMA_VERSION, SETS, path_of


@dataclass
class Problem:
    """Something in the inputs that could not be used; reported as an ERROR line."""

    id: str
    message: str
    clauses: tuple[str, ...] = ()


@cache
def case_validator(operation: str | None = None):
    """A jsonschema validator for one case (the schema's ``$defs/case``).

    With ``operation``, the validator of that operation's branch only (the
    schema's ``allOf`` of if/then), which is twice as fast.
    """

    schema = json.loads(path_of("schema").read_text(encoding="utf-8"))
    case = dict(schema["$defs"]["case"])
    if operation is not None:
        branches = case.pop("allOf")
        then = [
            b["then"] for b in branches if b["if"]["properties"]["operation"]["const"] == operation
        ]
        case = {"allOf": [case, *then]}
    case["$defs"] = schema["$defs"]
    return jsonschema.Draft202012Validator(case)


def _validator_for(c):
    op = c.get("operation") if isinstance(c, dict) else None
    return case_validator(op if isinstance(op, str) and op in OPERATIONS else None)


#: The largest vector or results file read (the package's vectors are about 0.2 MB).
MAX_BYTES = 8 * 1024 * 1024


def read_json(path: Path, what: str):
    """Parse ``path``; a one-line message (not a traceback) when it is missing or not usable JSON.

    Bounded: files over ``MAX_BYTES`` are refused before reading, nesting is
    bounded by the interpreter's recursion limit, and numbers must be finite
    (``1e999`` is not read as infinity). Keys may not repeat within an object
    (two results for one case id would make the verdict depend on the parser).
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise ValueError(
                f"{what} {path} is {size / 2**20:.0f} MB; nnref reads files up to "
                f"{MAX_BYTES // 2**20} MB"
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{what} {path} does not exist") from None
    except OSError as exc:
        raise ValueError(f"{what} {path} cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{what} {path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        return json.loads(
            text,
            parse_float=_finite,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        ends_early = exc.pos >= len(text.rstrip()) or (
            exc.msg.startswith("Unterminated string") and "\n" not in text[exc.pos :].rstrip()
        )
        tail = " (the file ends early: truncated?)" if ends_early else ""
        raise ValueError(
            f"{what} {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            f"{tail}"
        ) from None
    except RecursionError:
        raise ValueError(f"{what} {path} is nested too deeply to be read") from None
    except ValueError as exc:
        raise ValueError(f"{what} {path}: {exc}") from None


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:30]} is too large for a float")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number (write the value, or {{'error': ...}})")


def _unique_keys(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key[:60]!r} appears twice in one object")
            seen.add(key)
    return out


def check_version(doc, path, what: str, holds: str) -> None:
    """A one-line ValueError unless ``doc`` is an object with this nnref's ``schema_version``."""
    if not isinstance(doc, dict):
        raise ValueError(f"{what} {path} is not a JSON object with {holds}")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(
            f"{what} {path} has schema_version {version!r}; this nnref reads {SCHEMA_VERSION}"
        )


def vector_files(paths: list[str] | None) -> list[Path]:
    """The package's vector files, or the given files and directories (``*.json`` in them)."""
    if not paths:
        return [path_of(name) for name in SETS]
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.glob("*.json") if not f.name.endswith("schema.json"))
            out.extend(found or [p / "*.json"])  # reported as missing
        else:
            out.append(p)
    return out


def load_cases(paths: list[str] | None = None) -> tuple[list[dict], list[Problem]]:
    """Every usable case from the vector files, and the problems met on the way.

    Callers must not modify the cases: a file's parsed and validated cases are
    reused while the file is unchanged (same size and modification time).
    """
    cases, problems, seen = [], [], set()
    for path in vector_files(paths):
        file_cases, file_problems = _load_file(Path(path))
        problems.extend(file_problems)
        for c in file_cases:
            if c["id"] in seen:
                msg = f"duplicate case id {c['id']!r} in {Path(path).name}"
                problems.append(Problem(c["id"], msg))
            else:
                seen.add(c["id"])
                cases.append(c)
    return cases, problems


_CACHE: dict = {}


def _load_file(path: Path) -> tuple[list[dict], list[Problem]]:
    if path.name == "*.json":
        return [], [Problem(f"dir:{path.parent.name}", f"{path.parent} has no .json vector files")]
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None
    if key in _CACHE:
        return _CACHE[key]
    try:
        file_cases = _cases_of(read_json(path, "vectors file"), path)
    except ValueError as exc:
        return [], [Problem(f"file:{path.name}", str(exc))]
    good, problems = [], []
    for index, c in enumerate(file_cases):
        errors = sorted(_validator_for(c).iter_errors(c), key=lambda e: list(e.path))
        if errors:
            cid = c.get("id") if isinstance(c, dict) and isinstance(c.get("id"), str) else None
            where = "/".join(map(str, errors[0].path)) or "case"
            msg = f"malformed vector in {path.name}: {where}: {errors[0].message}"
            problems.append(Problem(cid or f"{path.name}#{index}", msg[:300]))
        else:
            good.append(c)
    if key is not None:
        _CACHE[key] = (good, problems)
    return good, problems


def _cases_of(doc, path) -> list:
    check_version(doc, path, "vectors file", "'cases'")
    if not isinstance(doc.get("cases"), list):
        raise ValueError(f"vectors file {path} has no list of 'cases'")
    return doc["cases"]
