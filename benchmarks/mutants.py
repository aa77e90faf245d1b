"""A small AST mutator: every single-point mutant of a Python source file, reproducibly.

``mutants(source, file)`` lists the mutants of one file, each one change at one place:

- ``binop``: an arithmetic operator swapped (+ and -, * and /, ** to *, // to /, % to //);
- ``compare``: a comparison loosened, tightened or negated (< and <=, > and >=, == and
  !=, in and not in, is and is not);
- ``boolop``: ``and`` and ``or`` swapped;
- ``unary``: a unary minus or a ``not`` dropped;
- ``constant``: a number changed (0 to 1, 1 to 0 and to 2, c to c + 1), True and False
  swapped: off-by-one errors in indices and ranges among them;
- ``swap_args``: the first two positional arguments of a call swapped;
- ``min_max``: ``min`` and ``max`` swapped;
- ``negate_if``: an ``if`` condition negated;
- ``drop``: a statement dropped (a ``raise``, a call made for its effect, an augmented
  assignment), ``pass`` in its place.

Left alone, since changing them can only change a message or a type hint: docstrings,
f-strings and other strings, what a ``raise`` says (the raise itself is dropped, not its
message), annotations, decorators and ``__all__``. ``Mutant.source`` is the mutated
file (``ast.unparse``, so comments are gone); ``line`` and ``text`` say where and what.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

BINOP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
COMPARE = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
SYMBOL = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.FloorDiv: "//", ast.Mod: "%", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
    ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in",
    ast.Is: "is", ast.IsNot: "is not", ast.And: "and", ast.Or: "or",
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    id: str  # "reference/layer.py:17:binop:0" (line and number: this version of the file)
    key: str  # "reference/layer.py::linear::- -> +#0": stable while the function is unchanged
    file: str
    line: int
    end_line: int
    kind: str
    text: str  # what changed: "- -> +", "1 -> 0", "drop raise statement"
    source: str  # the whole mutated file
    anchor: int = 0  # a default in a signature: the def's line (run when the function is called)


def _signatures(tree: ast.AST) -> dict[int, int]:
    """id(node) -> the line of its function's ``def``, for the nodes of every signature."""
    out: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for part in ast.walk(node.args):
                out[id(part)] = node.lineno
    return out


def _scopes(tree: ast.AST) -> dict[int, str]:
    """id(node) -> the qualified name of the function or class it is in ("" at module level)."""
    out: dict[int, str] = {}

    def visit(node, scope):
        out[id(node)] = scope
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = f"{scope}.{node.name}" if scope else node.name
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(tree, "")
    return out


def _skipped(tree: ast.AST) -> set[int]:
    """ids of nodes not to mutate: docstrings, strings, raise messages, annotations, ..."""
    skip: set[int] = set()

    def all_of(node):
        skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            all_of(node)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            all_of(node.exc)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for a in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                if a.annotation is not None:
                    all_of(a.annotation)
            for d in node.decorator_list:
                all_of(d)
            if node.returns is not None:
                all_of(node.returns)
        elif isinstance(node, ast.ClassDef):
            for d in node.decorator_list:
                all_of(d)
        elif isinstance(node, ast.AnnAssign):
            all_of(node.annotation)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("__all__", "Vector", "Matrix")
            for t in node.targets
        ):
            all_of(node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            all_of(node)  # a docstring
    return skip


def _points(tree: ast.AST) -> list[tuple[int, str, object]]:
    """(node index in ast.walk order, kind, detail) for every mutation point of ``tree``."""
    skip = _skipped(tree)
    out = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in BINOP:
            out.append((index, "binop", None))
        elif isinstance(node, ast.Compare):
            out += [(index, "compare", i) for i, op in enumerate(node.ops) if type(op) in COMPARE]
        elif isinstance(node, ast.BoolOp):
            out.append((index, "boolop", None))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
            out.append((index, "unary", None))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            out.append((index, "constant", not node.value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            out += [(index, "constant", v) for v in _new_numbers(node.value)]
        elif isinstance(node, ast.Call):
            positional = [a for a in node.args if not isinstance(a, ast.Starred)]
            if len(positional) >= 2 and len(positional) == len(node.args):
                out.append((index, "swap_args", None))
            if isinstance(node.func, ast.Name) and node.func.id in ("min", "max"):
                out.append((index, "min_max", None))
        elif isinstance(node, ast.If):
            out.append((index, "negate_if", None))
        elif isinstance(node, ast.Raise | ast.AugAssign) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        ):
            out.append((index, "drop", None))
    return out


def _new_numbers(value):
    if value == 0:
        return [type(value)(1)]
    if value == 1:
        return [type(value)(0), type(value)(2)]
    return [value + 1]


class _Drop(ast.NodeTransformer):
    """The statement ``target`` becomes ``pass``."""

    def __init__(self, target):
        self.target = target

    def visit(self, node):
        if node is self.target:
            return ast.copy_location(ast.Pass(), node)
        return super().visit(node)


def _apply(tree: ast.AST, index: int, kind: str, detail) -> str:
    """Mutate node ``index`` of ``tree`` in place; return what changed, in words."""
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == index)
    if kind == "binop":
        old = type(node.op)
        node.op = BINOP[old]()
        return f"{SYMBOL[old]} -> {SYMBOL[BINOP[old]]}"
    if kind == "compare":
        old = type(node.ops[detail])
        node.ops[detail] = COMPARE[old]()
        return f"{SYMBOL[old]} -> {SYMBOL[COMPARE[old]]}"
    if kind == "boolop":
        old = type(node.op)
        node.op = ast.Or() if old is ast.And else ast.And()
        return f"{SYMBOL[old]} -> {'or' if old is ast.And else 'and'}"
    if kind == "unary":
        if isinstance(node.op, ast.USub):
            node.op = ast.UAdd()  # +x is x
            return "drop -"
        node.drop_not = True  # _Unnot replaces the node by its operand
        return "drop not"
    if kind == "constant":
        old, node.value = node.value, detail
        return f"{old!r} -> {detail!r}"
    if kind == "swap_args":
        node.args[0], node.args[1] = node.args[1], node.args[0]
        return f"swap the first two arguments of {ast.unparse(node.func)}()"
    if kind == "min_max":
        old = node.func.id
        node.func.id = "max" if old == "min" else "min"
        return f"{old} -> {node.func.id}"
    if kind == "negate_if":
        node.test = ast.UnaryOp(ast.Not(), node.test)
        return "negate the if condition"
    if kind == "drop":
        _Drop(node).visit(tree)
        return f"drop {type(node).__name__.lower()} statement"
    raise ValueError(kind)


class _Unnot(ast.NodeTransformer):
    """``not x`` marked ``drop_not`` becomes ``x``."""

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node.operand if getattr(node, "drop_not", False) else node


def mutants(source: str, file: str) -> list[Mutant]:
    """Every single-point mutant of ``source`` (a file named ``file`` in the reports)."""
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    scopes = _scopes(tree)
    signatures = _signatures(tree)
    seen: dict[str, int] = {}
    out = []
    for number, (index, kind, detail) in enumerate(_points(tree)):
        copy_ = copy.deepcopy(tree)
        node = next(n for i, n in enumerate(ast.walk(copy_)) if i == index)
        line, end = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        if kind == "negate_if":
            end = node.test.end_lineno or line
        text = _apply(copy_, index, kind, detail)
        copy_ = _Unnot().visit(copy_)
        ast.fix_missing_locations(copy_)
        key = f"{file}::{scopes[id(nodes[index])] or '<module>'}::{text}"
        seen[key] = seen.get(key, -1) + 1
        out.append(
            Mutant(
                f"{file}:{line}:{kind}:{number}",
                f"{key}#{seen[key]}",
                file,
                line,
                end,
                kind,
                text,
                ast.unparse(copy_),
                signatures.get(id(nodes[index]), line),
            )
        )
    return out
