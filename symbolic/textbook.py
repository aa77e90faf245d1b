"""Derivations written as a textbook writes them, and proven by SymPy.

A :class:`Chain` is one displayed line, ``A = B = C``: each member is a formula
written by hand, in the tutorial's symbols and order, as a short Python
expression (``"x1*w1 + x2*w2 - b"``). The same text gives both the LaTeX on
the page and the SymPy value that is proven, so what is shown is what is
checked: the text is parsed with :mod:`ast` (never evaluated) and walked
twice, once to print LaTeX keeping the order it was written in, once to build
SymPy objects. Adjacent members must be exactly equal (or, for ``≈``, the
members differ by no more than the rounding of the decimals they show: half a unit of
the last digit of each decimal of four or more places); :func:`verify` says
which pair is not. A pair that shows the same formula twice is rejected: a
tautology is not a proof.

Notation of names: ``w11`` is w₁₁, ``x1`` is x₁, greek names (``delta1``,
``eta``, ``beta1``) are letters, ``dE_dw11`` is ∂E/∂w₁₁, ``m_hat`` is m̂,
``c_p`` is c′. Calls: ``step``, ``relu``, ``sigma`` (the sigmoid), ``ln``,
``exp``, ``sqrt``, ``max``, ``cos``, ``sin``, ``tanh``; ``exp(1)`` is
Euler's number e (the name ``e`` is the tutorial's neuron e). Names not in the
environment are symbols.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass, field

import sympy as sp

from nnref.symbolic.prove import prove_equal, prove_relation

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "pi",
    "sigma", "tau", "phi", "omega",
}  # fmt: skip
_NAME = re.compile(r"^(?P<base>[A-Za-z]+?)(?P<sub>\d+)?(?P<suffix>_hat|_p)?$")


#: A decimal shown rounded: four or more decimals (0.88580). A shorter one (a learning rate
#: 0.01, β = 0.9, an input 0.3) is exact as written.
ROUNDED = re.compile(r"\d+\.\d{4,}")


class TextbookError(ValueError):
    """A formula that cannot be read, or a chain that does not hold."""


def name_tex(name: str) -> str:
    """``w11`` -> ``w_{11}``, ``dE_dw11`` -> ``\\frac{\\partial E}{\\partial w_{11}}``."""
    if name.startswith("d") and "_d" in name and name[1:2].isupper():
        top, bottom = name[1:].split("_d", 1)
        return rf"\frac{{\partial {name_tex(top)}}}{{\partial {name_tex(bottom)}}}"
    match = _NAME.match(name)
    if not match:
        raise TextbookError(f"cannot write the name {name!r}")
    base, sub, suffix = match["base"], match["sub"], match["suffix"]
    tex = f"\\{base}" if base in GREEK else base
    if len(base) > 1 and base not in GREEK:
        tex = rf"\mathrm{{{base}}}"
    if suffix == "_hat":
        tex = rf"\hat{{{tex}}}"
    if sub:
        tex += f"_{{{sub}}}"
    if suffix == "_p":
        tex += "'"
    return tex


FUNCTIONS = {
    "step": (r"\operatorname{step}", lambda u: sp.Heaviside(u, 1)),
    "relu": (r"\operatorname{ReLU}", lambda u: sp.Max(0, u)),
    "sigma": (r"\sigma", lambda u: 1 / (1 + sp.exp(-u))),
    "ln": (r"\ln", sp.log),
    "exp": (r"\exp", sp.exp),
    "tanh": (r"\tanh", sp.tanh),
    "cos": (r"\cos", sp.cos),
    "sin": (r"\sin", sp.sin),
    "max": (r"\max", sp.Max),
    "sqrt": (None, sp.sqrt),
    "drelu": (r"\operatorname{ReLU}'", lambda u: sp.Heaviside(u, 1)),
    "dsigma": (r"\sigma'", lambda u: sp.exp(-u) / (1 + sp.exp(-u)) ** 2),
}

# precedence: sum 1, product 2, unary minus 3, power 4, atom 5
_SUM, _PRODUCT, _NEG, _POWER, _ATOM = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Formula:
    """One formula: its source text, its LaTeX and its SymPy value.

    ``rounding`` bounds how far the value may be from what the formula stands for, because
    its decimals are rounded: half a unit of each literal's last digit, times how much the
    value moves with that literal (0 for a formula without decimals).
    """

    text: str
    tex: str
    value: object
    rounding: object = None


class _Walker:
    def __init__(self, text: str, env: dict, tex_names: dict, symbolize: bool = False):
        self.text, self.env, self.tex_names = text, env, tex_names
        self.symbolize = symbolize
        self.decimals: dict = {}  # symbol -> (exact value of the literal, its decimals)

    def fail(self, what: str):
        raise TextbookError(f"{self.text!r}: {what}")

    def name(self, node: ast.Name) -> tuple[str, object]:
        tex = self.tex_names.get(node.id) or name_tex(node.id)
        value = self.env.get(node.id, sp.Symbol(node.id, real=True))
        return tex, sp.sympify(value)

    def walk(self, node) -> tuple[str, object, int]:
        """(LaTeX, SymPy value, precedence) of a node."""
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                self.fail("booleans are not numbers here")
            source = ast.get_source_segment(self.text, node) or repr(node.value)
            value = sp.Integer(node.value) if isinstance(node.value, int) else sp.Rational(source)
            if self.symbolize and ROUNDED.fullmatch(source):
                q = sp.Symbol(f"_q{len(self.decimals)}")
                self.decimals[q] = (value, len(source.split(".")[1]) if "." in source else 0)
                value = q
            return source, value, _ATOM
        if isinstance(node, ast.Name):
            tex, value = self.name(node)
            return tex, value, _ATOM
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            tex, value, prec = self.walk(node.operand)
            if prec <= _NEG:
                tex = rf"\left({tex}\right)"
            return f"-{tex}", -value, _NEG
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node)
        if isinstance(node, ast.Tuple):
            parts = [self.walk(e) for e in node.elts]
            tex = r"\left(" + ", ".join(p[0] for p in parts) + r"\right)"
            return tex, sp.Matrix([[p[1] for p in parts]]), _ATOM
        self.fail(f"{type(node).__name__} is not part of a formula")

    def binop(self, node: ast.BinOp) -> tuple[str, object, int]:
        left, lv, lp = self.walk(node.left)
        right, rv, rp = self.walk(node.right)
        op = node.op
        if isinstance(op, ast.Add | ast.Sub):
            if rp == _NEG or (isinstance(op, ast.Sub) and rp == _SUM):  # a - (-4), a - (b + c)
                right = rf"\left({right}\right)"
            if isinstance(op, ast.Add):
                return f"{left} + {right}", sp.Add(lv, rv), _SUM
            return f"{left} - {right}", sp.Add(lv, -rv), _SUM
        if isinstance(op, ast.Mult):
            coefficient = (  # 2 \pi Y, -2 \ln X: a number before a name or a function
                isinstance(node.left, ast.Constant | ast.UnaryOp)
                and re.fullmatch(r"-?\d+", left)
                and re.match(r"[A-Za-z]|\\(?!left|frac)", right)
            )
            if coefficient:
                return f"{left} {right}", sp.Mul(lv, rv), _PRODUCT
            if lp in (_SUM, _NEG):
                left = rf"\left({left}\right)"
            if rp in (_SUM, _NEG):
                right = rf"\left({right}\right)"
            letters = re.compile(r"^(\\[a-zA-Z]+\{?)?[A-Za-z]")
            juxtapose = (
                letters.match(left) and letters.match(right) and r"\frac" not in left + right
                and not right.startswith(r"\left")
            ) or (left.startswith(r"\frac") and rp == _SUM)  # fmt: skip
            joint = " " if juxtapose else r" \cdot "
            return f"{left}{joint}{right}", sp.Mul(lv, rv), _PRODUCT
        if isinstance(op, ast.Div):
            return rf"\frac{{{left}}}{{{right}}}", lv / rv, _ATOM
        if isinstance(op, ast.Pow):
            if lp < _ATOM or left.startswith("-") or r"\frac" in left:
                left = rf"\left({left}\right)"
            return f"{left}^{{{right}}}", sp.Pow(lv, rv), _POWER
        self.fail(f"the operator {type(op).__name__} is not part of a formula")

    def call(self, node: ast.Call) -> tuple[str, object, int]:
        fname = node.func.id
        args = [self.walk(a) for a in node.args]
        if node.keywords:
            self.fail("keyword arguments are not part of a formula")
        if fname == "P":  # P(f, x): the partial derivative of f by x
            if len(args) != 2 or not isinstance(args[1][1], sp.Symbol):
                self.fail("P(f, x) needs a formula and a symbol")
            (ft, fv, _), (xt, xv, _) = args
            if isinstance(node.args[0], ast.Name):
                tex = rf"\frac{{\partial {ft}}}{{\partial {xt}}}"
            else:
                tex = rf"\frac{{\partial}}{{\partial {xt}}}\left({ft}\right)"
            return tex, sp.diff(fv, xv), _ATOM
        if fname == "D":  # D(f, x): the derivative of a function of x alone
            (ft, fv, _), (xt, xv, _) = args
            if not (fv.free_symbols <= {xv}):
                self.fail("D(f, x) is for a function of x alone: write P(f, x)")
            return rf"\frac{{d}}{{d{xt}}}\left({ft}\right)", sp.diff(fv, xv), _ATOM
        if fname not in FUNCTIONS:
            self.fail(f"unknown function {fname}")
        head, func = FUNCTIONS[fname]
        inner = ", ".join(a[0] for a in args)
        value = func(*[a[1] for a in args])
        if fname == "ln" and len(args) == 1 and isinstance(node.args[0], ast.Name | ast.Constant):
            return rf"\ln {inner}", value, _POWER
        if fname == "sqrt":
            return rf"\sqrt{{{inner}}}", value, _ATOM
        if fname == "exp" and len(args) == 1 and args[0][0] == "1":
            return "e", value, _ATOM
        if fname == "exp" and len(args) == 1 and args[0][2] >= _NEG and len(args[0][0]) <= 12:
            return f"e^{{{inner}}}", value, _POWER
        return rf"{head}\left({inner}\right)", value, _ATOM


def formula(text: str, env: dict | None = None, tex_names: dict | None = None) -> Formula:
    """Read one formula: its LaTeX (in the order written) and its exact SymPy value."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise TextbookError(f"{text!r} is not a formula: {exc.msg}") from None
    walker = _Walker(text.strip(), env or {}, tex_names or {})
    tex, value, _ = walker.walk(tree.body)
    rounding = None
    if ROUNDED.search(text):
        rounding = sp.Integer(0)
        marked = _Walker(text.strip(), env or {}, tex_names or {}, symbolize=True)
        _, template, _ = marked.walk(tree.body)
        at = {q: v for q, (v, _) in marked.decimals.items()}
        linear = True
        for q, (_, digits) in marked.decimals.items():
            slope = sp.diff(template, q)
            linear = linear and not slope.has(*marked.decimals)
            rounding += sp.Abs(slope.subs(at)) * sp.Rational(1, 2 * 10**digits)
        if not linear:  # first order only: twice the linear bound (the decimals are tiny steps)
            rounding *= 2
    return Formula(text, tex, value, rounding)


RELATIONS = {"=": "=", "≈": r"\approx", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}


@dataclass(frozen=True)
class Chain:
    """One displayed line ``A = B ≈ C``, with the sentence that says why it holds.

    ``members`` alternate formula texts and relations: ``("u", "=", "x1*w1 - b", "=", "-1")``.
    ``why`` is ``(English, Japanese)``. ``env`` gives names their values (numbers, exact).
    """

    members: tuple[str, ...]
    why: tuple[str, str]
    env: dict = field(default_factory=dict, compare=False)
    tex_names: dict = field(default_factory=dict, compare=False)

    def formulas(self) -> list[Formula]:
        return [formula(m, self.env, self.tex_names) for m in self.members[::2]]

    def relations(self) -> list[str]:
        rels = list(self.members[1::2])
        for rel in rels:
            if rel not in RELATIONS:
                raise TextbookError(f"unknown relation {rel!r} (known: {', '.join(RELATIONS)})")
        return rels

    def tex(self, stacked: bool = False) -> str:
        parts = self.formulas()
        rels = [RELATIONS[r] for r in self.relations()]
        if not stacked:
            out = parts[0].tex
            for rel, part in zip(rels, parts[1:]):
                out += f" {rel} {part.tex}"
            return out
        lines = []
        if len(parts) == 2:  # one relation: the right side alone is broken
            pieces = _split(parts[1].tex)
            lines.append(f"{parts[0].tex} &{rels[0]} {pieces[0]}")
            lines += [rf"&\qquad {p}" for p in pieces[1:]]
            return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
        for k, (rel, part) in enumerate(zip(rels, parts[1:])):
            pieces = _split(part.tex)
            head = parts[0].tex if k == 0 else ""
            lines.append(f"{head} &{rel} {pieces[0]}")
            lines += [rf"&\qquad {p}" for p in pieces[1:]]
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


#: A member of a stacked chain longer than this (visible characters, roughly) is broken
#: before a top-level + or -, so it fits a phone's column.
LINE = 34


def _visible(tex: str) -> int:
    """Roughly how wide ``tex`` is, in characters: a command is one, braces and spaces none,
    and a binary operator (with the space around it) two."""
    tex = re.sub(r"\\(left|right|frac|operatorname)\b", "", tex)
    tex = re.sub(r"\\cdot", "..", tex)
    tex = re.sub(r"\s[+=-]\s", "...", tex)
    return len(re.sub(r"[{}_^ ]", "", re.sub(r"\\[a-zA-Z]+", "x", tex)))


def _split(tex: str) -> list[str]:
    """``tex`` broken before top-level ``+``/``-`` signs into lines of at most LINE."""
    if _visible(tex) <= LINE:
        return [tex]
    cuts, depth, k = [], 0, 0
    while k < len(tex):
        if tex.startswith(r"\left", k) or tex[k] == "{":
            depth += 1
        elif tex.startswith(r"\right", k) or tex[k] == "}":
            depth -= 1
        elif depth == 0 and k > 0 and tex[k - 1] == " " and tex[k] in "+-" and tex[k + 1] == " ":
            cuts.append(k)
        k += 1
    bounds = [0, *cuts, len(tex)]
    segments = [tex[a:b].strip() for a, b in itertools.pairwise(bounds)]
    lines = [segments[0]]
    for segment in segments[1:]:
        if _visible(lines[-1] + segment) <= LINE:
            lines[-1] += " " + segment
        else:
            lines.append(segment)
    return lines


def _decimals(text: str) -> int | None:
    match = re.fullmatch(r"-?\d+\.(\d+)", text.strip())
    return len(match[1]) if match else None


def _as_rounded(part: Formula) -> Formula:
    """A member that is one decimal (``0.333``) stands for a rounded number, whatever its places."""
    digits = _decimals(part.text)
    if digits is None or part.rounding is not None:
        return part
    return Formula(part.text, part.tex, part.value, sp.Rational(1, 2 * 10**digits))


def check_pair(left: Formula, relation: str, right: Formula) -> str | None:
    """None when ``left relation right`` holds exactly; else why not."""
    if left.tex.replace(" ", "") == right.tex.replace(" ", ""):
        return f"{left.text!r} {relation} {right.text!r} shows the same formula twice"
    if relation == "≈":  # equal but for the rounding of the decimals shown on either side
        left, right = _as_rounded(left), _as_rounded(right)
        if left.rounding is None and right.rounding is None:
            return f"{left.text!r} ≈ {right.text!r}: neither side has a rounded decimal"
        gap = sp.Abs(sp.sympify(left.value) - sp.sympify(right.value))
        bound = (left.rounding or 0) + (right.rounding or 0)
        ok, _, message = prove_relation(gap, bound, "<=")
        return None if ok else f"{left.text!r} is not {right.text} to its digits: {message}"
    if relation == "=":
        ok, _, message = prove_equal(left.value, right.value)
    else:
        ok, _, message = prove_relation(left.value, right.value, relation)
    return None if ok else f"{left.text!r} {relation} {right.text!r}: {message}"


def verify(chain: Chain) -> list[str]:
    """Every pair of the chain that does not hold, with SymPy's reason (empty: all hold)."""
    try:
        parts, rels = chain.formulas(), chain.relations()
    except TextbookError as exc:
        return [str(exc)]
    if len(parts) < 2 or len(rels) != len(parts) - 1:
        return [f"{chain.members!r}: a chain needs formula, relation, formula, ..."]
    problems = []
    first, last = parts[0], parts[-1]
    if "≈" in rels and first.rounding is None and _decimals(last.text) is not None:
        # the chain as a whole: the exact start rounds to the decimal it ends with
        problem = check_pair(first, "≈", last)
        if problem:
            problems.append(problem)
    for left, rel, right in zip(parts, rels, parts[1:]):
        problem = check_pair(left, rel, right)
        if problem:
            problems.append(problem)
    return problems
