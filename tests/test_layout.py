"""The package layout holds: the dependency arrows, and where each subcommand lives.

The arrows are reference <- symbolic <- conformance: ``reference`` imports
only the standard library (and itself), ``symbolic`` adds SymPy and
``reference``, and nothing below imports what sits above it. Files are
parsed, not imported, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from conformance import cli

ROOT = Path(__file__).resolve().parents[1]
#: package -> the top-level modules it may import besides the standard library
ALLOWED = {
    "reference": {"reference", "matplotlib"},  # matplotlib: only ``nnref train --plot``
    "symbolic": {"symbolic", "reference", "sympy", "mpmath"},
}


def imported_tops(path: Path) -> set[str]:
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_what_the_arrows_allow(package):
    bad = {
        f"{path.relative_to(ROOT)}: {top}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for top in imported_tops(path)
        if top not in sys.stdlib_module_names and top not in ALLOWED[package]
    }
    assert not bad, sorted(bad)


def test_train_and_derive_sit_beside_the_packages_they_serve():
    assert cli.module_name("train") == "reference.training.cli"
    assert cli.module_name("derive") == "symbolic.cli"
    assert cli.module_name("check") == "conformance.cli.check"


def test_every_subcommand_module_registers_itself():
    parser = cli.build_parser()
    (sub,) = (a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == list(cli.SUBCOMMANDS)


def test_a_missing_subcommand_module_is_an_error_not_a_skip(monkeypatch):
    monkeypatch.setattr(cli, "SUBCOMMANDS", (*cli.SUBCOMMANDS, "no_such_command"))
    with pytest.raises(ModuleNotFoundError, match="no_such_command"):
        cli.build_parser()


def test_benchmarks_do_not_import_the_test_suite():
    bad = [
        p.name for p in sorted((ROOT / "benchmarks").rglob("*.py")) if "tests" in imported_tops(p)
    ]
    assert not bad
