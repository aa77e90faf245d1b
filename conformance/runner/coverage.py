"""Spec coverage: for every SPEC clause, the vectors, property checks and tests that name it.

Vectors name their clauses in ``clauses``; the runner's property checks in
``Property.clauses``. Tests name them in their test
function or class names (``test_s20_dense_backward``, ``TestW3_3``) or in the
pytest ids of their parametrization (``ids=["S5", ...]``, ``pytest.param(...,
id="E1")``, or ids taken from a module-level list such as
``ids=[m[0] for m in MUTATIONS]``). Test files are parsed (``ast``), never
imported, so text inside strings does not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conformance.vectors.clauses import ALL_CLAUSES, is_clause

#: A clause id inside a name: s20, w3_3, d_ce, e1 (any case), not part of a longer word or number.
TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(s\d{1,2}|w\d_\d|d_(?:hidden|softmax|mse|ce)|e\d{1,2})(?![0-9])",
    re.IGNORECASE,
)


def canonical(token: str) -> str | None:
    """``s20`` -> ``S20``, ``w3_3`` -> ``W3_3``, ``d_ce`` -> ``D_ce``; None if not a clause."""
    t = token.lower()
    name = "D_" + t[2:] if t.startswith("d_") else t[0].upper() + t[1:]
    return name if is_clause(name) else None


def clauses_in(text: str) -> set[str]:
    return {c for c in map(canonical, TOKEN.findall(text)) if c}


def default_tests_dir() -> Path | None:
    """``tests/`` of the source checkout this package runs from, if it does."""
    root = Path(__file__).resolve().parents[2]
    tests = root / "tests"
    return tests if tests.is_dir() and (root / "pyproject.toml").is_file() else None


def test_names(tree: ast.Module) -> list[str]:
    """Names that can carry clause ids: test functions, Test classes, parametrize ids."""
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.append(node.name.removeprefix("Test"))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            names.append(node.name)
            names.extend(f"{node.name}[{i}]" for i in _ids(node.decorator_list, assigned))
    return names


def _ids(decorators, assigned) -> list[str]:
    out = []
    for deco in decorators:
        for call in (n for n in ast.walk(deco) if isinstance(n, ast.Call)):
            for kw in call.keywords:
                if kw.arg in ("id", "ids"):
                    out.extend(_strings(kw.value, assigned))
    return out


def _strings(node, assigned) -> list[str]:
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.append(sub.value)
        elif isinstance(sub, ast.Name) and sub.id in assigned:
            found.extend(
                s.value
                for s in ast.walk(assigned[sub.id])
                if isinstance(s, ast.Constant) and isinstance(s.value, str)
            )
    return found


def scan_tests(directory: Path) -> dict[str, set[str]]:
    """Clause id -> {"path::name", ...} for the test files under ``directory``."""
    found: dict[str, set[str]] = {}
    base = directory.parent
    for path in sorted(directory.rglob("*.py")):
        if not (path.name.startswith("test") or path.name.endswith("_test.py")):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            continue
        rel = path.relative_to(base).as_posix()
        for name in test_names(tree):
            for clause in clauses_in(name):
                found.setdefault(clause, set()).add(f"{rel}::{name}")
    return found


def coverage(cases: list[dict], tests_dir: Path | None) -> dict[str, dict]:
    """Clause -> {"vectors": [ids], "properties": [ids], "tests": [path::name]}, in SPEC order."""
    from conformance.runner.properties import PROPERTIES

    tests = scan_tests(tests_dir) if tests_dir else {}
    out = {
        c: {"vectors": [], "properties": [], "tests": sorted(tests.get(c, ()))} for c in ALL_CLAUSES
    }
    for case in cases:
        for clause in case["clauses"]:
            if clause in out:
                out[clause]["vectors"].append(case["id"])
    for prop in PROPERTIES:
        for clause in prop.clauses:
            out[clause]["properties"].append(prop.id)
    return out
