"""LaTeX of SymPy objects as the site shows them: the tutorial's notation, not SymPy's.

``nnref.symbolic.render`` prints for the terminal and ``nnref derive --latex``; the site
prints the same objects with a printer of its own:

- terms in the order they were built (``order="none"``), except that a sum in SymPy's
  own order puts its positive terms first (``f - 1/2``, not ``-1/2 + f``) and an
  exponent's number last (``k + 1``); a product of
  a parenthesized factor and a number with ``\\cdot`` (``(-1)2`` reads like a power);
- a partial derivative as ∂E/∂w (SymPy writes d/dw E for a function of one symbol);
- the Heaviside step as ``step(u)`` (its second argument, the value at 0, is the
  convention of S5 and is said once in the text, never printed);
- ``ln`` for the natural logarithm (erratum E1);
- a negative number after a sign in parentheses: ``- (-4)``, never ``- -4``.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from nnref.symbolic.render import symbol_names

#: A sign, space, then a minus: "- -4", "+ -4", "= -x" is fine (only + and - are binary here).
_DOUBLE_SIGN = re.compile(r"([+-])\s*-\s*(\d+(?:\.\d+)?|\\frac\{[^{}]*\}\{[^{}]*\}|[a-zA-Z])")


def _negative_fraction(expr) -> bool:
    """``(-1 - e^3)/D``: a fraction whose numerator's terms all carry a minus sign."""
    if not isinstance(expr, sp.Mul):
        return False
    top, bottom = sp.fraction(expr, exact=True)
    return (
        bottom != 1
        and isinstance(top, sp.Add)
        and all(term.could_extract_minus_sign() for term in top.args)
    )


def _negative(term) -> bool:
    """The term is printed after a minus sign."""
    if _negative_fraction(term):
        return True
    return term.could_extract_minus_sign() and not _negative_fraction(-term)


def _minus(term):
    """``-term``, with a negative fraction's minus taken out of its numerator."""
    if _negative_fraction(term):
        top, bottom = sp.fraction(term, exact=True)
        return sp.Mul(-top, sp.Pow(bottom, -1), evaluate=False)
    return -term


class SitePrinter(LatexPrinter):
    def __init__(self, symbol_names=None):
        super().__init__(
            {
                "order": "none",
                "ln_notation": True,
                "symbol_names": symbol_names or {},
            }
        )

    def _print_Add(self, expr, order=None):
        """A sum in textbook order: SymPy's own order (``-1/2 + f``, ``-b + xw``) puts the
        positive terms first (``f - 1/2``, ``xw - b``); an order chosen when the sum was
        built (``evaluate=False``, not SymPy's) is kept."""
        terms = list(self._as_ordered_terms(expr, order=order))
        if (
            isinstance(expr, sp.Add)
            and terms
            and _negative(terms[0])
            and tuple(expr.args) == sp.Add(*expr.args).args
        ):
            plus = [t for t in terms if not _negative(t)]
            if plus:
                terms = plus + [t for t in terms if _negative(t)]
        tex = ""
        for i, term in enumerate(terms):
            if i == 0:
                pass
            elif _negative(term):
                tex += " - "
                term = _minus(term)
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr):
        """A fraction whose numerator is all minus signs, ``(-1 - e^3)/D``, as ``-(1 + e^3)/D``."""
        if _negative_fraction(expr):
            return "- " + self._print(_minus(expr))
        if expr.could_extract_minus_sign() and _negative_fraction(-expr):  # -(-1 - e^3)/D
            return self._print(_minus(-expr))
        return super()._print_Mul(expr)

    def _print_Pow(self, expr, **options):
        """An exponent ``1 + k`` (SymPy's order) as a textbook writes it: ``k + 1``."""
        power = expr.exp
        if (
            isinstance(power, sp.Add)
            and power.args[0].is_Number
            and power.args[0] > 0
            and not any(term.could_extract_minus_sign() for term in power.args[1:])
        ):
            reordered = sp.Add(*power.args[1:], power.args[0], evaluate=False)
            expr = sp.Pow(expr.base, reordered, evaluate=False)
        return super()._print_Pow(expr, **options)

    def _print_Heaviside(self, expr, exp=None):
        tex = r"\operatorname{step}\left(" + self._print(expr.args[0]) + r"\right)"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_Derivative(self, expr):
        target = expr.expr
        variables = [v for v, _ in expr.variable_count]
        counts = [n for _, n in expr.variable_count]
        one = len(variables) == 1
        if isinstance(target, sp.Symbol):  # a display name: "f(x)" is of x alone, "E" is not
            single = one and target.name.endswith(f"({variables[0]})")
        else:
            single = one and target.free_symbols <= set(variables)
        d = "d" if single else r"\partial"
        order = sum(counts)
        denominator = " ".join(
            f"{d} {self._print(v)}" + (f"^{{{n}}}" if n > 1 else "") for v, n in expr.variable_count
        )
        top = d if order == 1 else f"{d}^{{{order}}}"
        if isinstance(target, sp.Symbol):
            return rf"\frac{{{top} {self._print(target)}}}{{{denominator}}}"
        if isinstance(target, sp.core.function.AppliedUndef):
            return rf"\frac{{{top} {target.func.__name__}}}{{{denominator}}}"
        return rf"\frac{{{top}}}{{{denominator}}}\left({self._print(target)}\right)"


#: A factor in parentheses followed by a number: ``(-1) 2`` reads like a power; write ``(-1)·2``.
_PAREN_NUMBER = re.compile(r"\\right\) (\d)")


#: The tutorial's gradient ∂c times a factor: ``\partial c b`` reads as one name; write ∂c·b.
_PARTIAL_FACTOR = re.compile(r"(\\partial [a-zA-Z](?:_\{[^}]*\})?) (?=([a-zA-Z]|\\frac|\\left))")


def tidy(tex: str) -> str:
    """``- -4`` as ``- \\left(-4\\right)``: a sign never stands next to another; ``(-1) 2``
    as ``(-1) \\cdot 2``."""
    tex = _DOUBLE_SIGN.sub(lambda m: rf"{m[1]} \left(-{m[2]}\right)", tex)
    tex = _PARTIAL_FACTOR.sub(r"\1 \\cdot ", tex)
    return _PAREN_NUMBER.sub(r"\\right) \\cdot \1", tex)


def latex(obj, names: dict | None = None) -> str:
    obj = sp.sympify(obj)
    return tidy(SitePrinter(names if names is not None else symbol_names(obj)).doprint(obj))
