"""The package layout holds: the dependency arrows, the layers of ``conformance``, no import
circles, no private names across modules, and imports at the top of a module.

Files are parsed, not imported, so an import inside a function counts too. Each rule names
the files that break it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from nnref.conformance import cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reference", "symbolic", "conformance")

#: top-level package -> what it may import besides the standard library and itself
ALLOWED = {
    "reference": set(),
    "symbolic": {"reference", "sympy", "mpmath"},
    "conformance": {
        "reference",
        "symbolic",
        "numpy",
        "mpmath",
        "hypothesis",
        "jsonschema",
        "pytest",
    },
}
#: libraries a module may import only inside a function, where the feature that needs them runs
OPTIONAL = {"torch", "jax", "jaxlib", "matplotlib", "micrograd", "keras", "sklearn", "optax"}
#: code that is only ever run as an example or a user's implementation (it may use OPTIONAL at top)
EXAMPLES = ("conformance/adapters/", "conformance/casebank/")

#: The layers of ``conformance``, bottom first: a subpackage imports only its own modules and
#: the layers listed before it. Modules at the package's top (errors.py) come first.
LAYERS = (
    ("errors", "spec"),
    ("protocol",),
    ("vectors",),
    ("judge",),
    ("variants",),
    ("isolation",),
    ("properties", "finitediff", "casebank"),
    ("report",),
    ("check",),
    ("coverage", "plugins", "cli", "adapters"),
)

#: Imports inside a function that are there on purpose, with the reason (file, module).
DEFERRED = {
    ("conformance/protocol/plain.py", "numpy"): "the child loads plain before the implementation",
    ("conformance/isolation/worker.py", "conformance.protocol.native"): (
        "the child loads numpy and torch only when a call declares arrays"
    ),
    ("conformance/isolation/worker.py", "ctypes"): "Linux only: the parent-death signal",
    ("conformance/isolation/worker.py", "signal"): "Linux only: the parent-death signal",
    ("conformance/isolation/worker.py", "resource"): "Unix only: the memory limit",
    ("conformance/isolation/child.py", "fcntl"): "Linux only: a wider pipe buffer",
    ("conformance/plugins/pytest_plugin.py", "conformance.plugins.pytest_items"): (
        "loaded by every pytest run of anyone who installs nnref: inert until --nnref-impl"
    ),
    ("conformance/plugins/pytest_plugin.py", "conformance.cli.conventions"): (
        "loaded by every pytest run of anyone who installs nnref: inert until an option is given"
    ),
}


def source_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path):
    """(line, imported module, names, inside a function) for every import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_of(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((child.lineno, _strip(alias.name), (), in_function))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - child.level + 1]
                    name = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    name = _strip(child.module or "")
                names = tuple(a.name for a in child.names)
                found.append((child.lineno, name, names, in_function))
            elif not isinstance(child, ast.If) or not _is_type_checking(child):
                visit(child, inner)

    visit(tree, False)
    return found


def _strip(name: str) -> str:
    """The name of an import with its ``nnref.`` prefix removed: the repository's folder names."""
    return name.removeprefix("nnref.") if name.split(".")[0] == "nnref" else name


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def every_import():
    for package in PACKAGES:
        for path in source_files(package):
            for line, name, names, in_function in imports(path):
                yield path.relative_to(ROOT).as_posix(), line, name, names, in_function


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_the_arrows_allow(package):
    bad = []
    for path in source_files(package):
        rel = path.relative_to(ROOT).as_posix()
        for line, name, _, _ in imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in (package, "nnref", ""):
                continue
            if top in ALLOWED[package] or (top in OPTIONAL and package == "conformance"):
                continue
            bad.append(f"{rel}:{line} imports {name}")
    assert not bad, bad


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "conformance" or len(parts) < 2:
        return None
    for i, names in enumerate(LAYERS):
        if parts[1] in names:
            return i
    raise AssertionError(f"{module}: conformance/{parts[1]} is in no layer of LAYERS")


def test_conformance_subpackages_import_only_their_own_layer_or_below():
    bad = []
    for rel, line, name, _, _ in every_import():
        here = _layer(module_of(ROOT / rel))
        there = _layer(name)
        if here is None or there is None or name.split(".")[1] == rel.split("/")[1]:
            continue
        if there > here:
            bad.append(f"{rel}:{line} imports {name} (a higher layer)")
    assert not bad, bad


def _graph() -> dict[str, set[str]]:
    known = {module_of(p) for pkg in PACKAGES for p in source_files(pkg)}
    graph: dict[str, set[str]] = {m: set() for m in known}
    for rel, _, name, names, _ in every_import():
        src = module_of(ROOT / rel)
        for target in [f"{name}.{n}" for n in names] + [name]:
            if target in known and target != src:
                graph[src].add(target)
                break
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan's algorithm)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10_000)

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_no_import_circles_between_modules():
    assert _cycles(_graph()) == []


def test_no_package_imports_a_package_that_imports_it_back():
    def package(m):
        return m.rsplit(".", 1)[0] if (ROOT / (m.replace(".", "/") + ".py")).exists() else m

    packages: dict[str, set[str]] = {}
    for src, targets in _graph().items():
        for t in targets:
            a, b = package(src), package(t)
            if a != b and not b.startswith(a + ".") and not a.startswith(b + "."):
                packages.setdefault(a, set()).add(b)
    for a in packages:
        packages.setdefault(a, set())
    for targets in list(packages.values()):
        for t in targets:
            packages.setdefault(t, set())
    assert _cycles(packages) == []


def test_no_private_name_is_imported_from_another_module():
    bad = [
        f"{rel}:{line} takes {n} from {name}"
        for rel, line, name, names, _ in every_import()
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert not bad, bad


def test_imports_sit_at_the_top_of_a_module_except_optional_libraries():
    bad = []
    for rel, line, name, _, in_function in every_import():
        top = name.split(".")[0]
        deferred = {(f, _strip(m)) for f, m in DEFERRED}
        if not in_function or top in OPTIONAL or {(rel, top), (rel, name)} & deferred:
            continue
        bad.append(f"{rel}:{line} imports {name} inside a function")
    assert not bad, bad


def test_optional_libraries_are_imported_only_inside_functions_outside_examples():
    bad = [
        f"{rel}:{line} imports {name} at module level"
        for rel, line, name, _, in_function in every_import()
        if name.split(".")[0] in OPTIONAL and not in_function and not rel.startswith(EXAMPLES)
    ]
    assert not bad, bad


def test_one_module_for_each_name_in_conformance_outside_the_cli():
    """``cli/NAME.py`` is the command ``nnref NAME``; every other module name is used once.

    (``reference`` and ``symbolic`` mirror each other on purpose: ``activations``, ``losses``.)
    """
    seen: dict[str, list[str]] = {}
    for package in ("conformance",):
        for path in source_files(package):
            rel = path.relative_to(ROOT).as_posix()
            if path.name in ("__init__.py", "__main__.py", "cli.py") or "/cli/" in rel:
                continue
            if rel.startswith(EXAMPLES) or "/adapters/" in rel:
                continue
            seen.setdefault(path.stem, []).append(rel)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_train_and_derive_sit_beside_the_packages_they_serve():
    assert cli.module_name("train") == "nnref.reference.training.cli"
    assert cli.module_name("derive") == "nnref.symbolic.cli"
    assert cli.module_name("check") == "nnref.conformance.cli.check"


def test_every_subcommand_module_registers_itself():
    parser = cli.build_parser(everything=True)
    (sub,) = (a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == list(cli.SUBCOMMANDS)
    for name, command in sub.choices.items():
        assert command.get_default("func") is not None, name


def test_a_missing_subcommand_module_is_an_error_not_a_skip(monkeypatch):
    monkeypatch.setattr(cli, "SUBCOMMANDS", {**cli.SUBCOMMANDS, "no_such_command": "x"})
    with pytest.raises(ModuleNotFoundError, match="no_such_command"):
        cli.build_parser(everything=True)


def test_nnref_help_imports_no_subcommand_and_a_command_imports_only_its_own():
    code = (
        "import sys\n"
        "from nnref.conformance import cli\n"
        "cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith('nnref.conformance.cli.')))\n"
        "print('numpy' in sys.modules, 'sympy' in sys.modules)\n"
        "cli.build_parser('train')\n"
        "print('numpy' in sys.modules, 'sympy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:3] == ["[]", "False False", "False False"]


def test_benchmarks_do_not_import_the_test_suite():
    bad = []
    for path in sorted((ROOT / "benchmarks").rglob("*.py")):
        bad += [f"{path.name}:{line}" for line, name, _, _ in imports(path) if name == "tests"]
    assert not bad


def test_no_module_imports_the_old_top_level_names():
    """In a checkout ``reference`` is the folder; installed, only ``nnref.*`` exists."""
    bad = []
    for folder in (*PACKAGES, "tests", "benchmarks", "docs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module.split(".")[0] in PACKAGES:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] in PACKAGES:
                            bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert not bad, bad


def test_only_the_pytest_plugins_import_pytest():
    """pytest is not a dependency of nnref: only the plugins, which pytest loads, use it."""
    bad = [
        f"{rel}:{line}"
        for rel, line, name, _, _ in every_import()
        if name.split(".")[0] == "pytest" and not rel.startswith("conformance/plugins/")
    ]
    assert not bad, bad


def test_no_test_changes_sys_path():
    """Import paths are pytest's ``pythonpath`` setting, not a side effect of importing a test
    module (a test that imports another only for its sys.path change breaks when run alone)."""
    bad = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "path"
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad
