"""Formatting helpers: numbers, vectors and matrices as text, LaTeX and Markdown tables."""

from __future__ import annotations

import math


def num(value, digits: int = 12) -> str:
    """A number with ``digits`` significant digits, integers without a decimal point."""
    if isinstance(value, bool):
        return str(int(value))
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"


def vec(values, digits: int = 12) -> str:
    """(a, b, c) in plain text."""
    return "(" + ", ".join(num(v, digits) for v in values) + ")"


def tex_num(value, digits: int = 12) -> str:
    text = num(value, digits)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return text


def tex_matrix(rows, digits: int = 10) -> str:
    """A LaTeX bmatrix of a list of rows (or a row vector given as a flat list)."""
    if rows and not isinstance(rows[0], list | tuple):
        rows = [rows]
    body = r" \\ ".join(" & ".join(tex_num(v, digits) for v in row) for row in rows)
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells are escaped for the pipe character."""

    def cell(text) -> str:
        return str(text).replace("|", r"\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def flatten(value) -> list[float]:
    """Every number of a nested structure of lists and {"W", "b"} dicts, in order."""
    if isinstance(value, dict):
        return [v for key in sorted(value) for v in flatten(value[key])]
    if isinstance(value, list | tuple):
        return [v for item in value for v in flatten(item)]
    return [float(value)]


def worst_error(got, expected) -> tuple[float, float]:
    """(max absolute error, max relative error) between two structures of the same shape."""
    a, b = flatten(got), flatten(expected)
    if len(a) != len(b):
        raise ValueError(f"shapes differ: {len(a)} numbers against {len(b)}")
    abs_err = max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0.0)
    rel_err = max((abs(x - y) / abs(y) for x, y in zip(a, b, strict=True) if y != 0), default=0.0)
    return abs_err, rel_err


def within(got, expected, tolerance: dict) -> bool:
    """Every entry satisfies |got - expected| <= abs + rel * |expected|."""
    a, b = flatten(got), flatten(expected)
    return len(a) == len(b) and all(
        abs(x - y) <= tolerance["abs"] + tolerance["rel"] * abs(y)
        for x, y in zip(a, b, strict=True)
    )
