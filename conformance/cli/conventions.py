"""``nnref conventions``: the conventions an implementation may declare, and what each changes."""

from __future__ import annotations

import argparse

from nnref.conformance.errors import NnrefError
from nnref.conformance.variants.conventions import REGISTRY, parse_pair

DESCRIPTION = """\
Libraries differ from the tutorial in legitimate ways (a bias added, W as (out, in),
the mean squared error, ReLU'(0) = 0 or 1/2, Adam's efficient form, arrays instead of
lists, float32). Declare the ones your code follows with --convention NAME=VALUE on
'nnref check' (repeatable) or with an attribute on your implementation:
nnref_conventions = {"weight_layout": "out_in", ...}. Expected values are then the
reference's under those conventions; the tutorial's value is listed first.
"""


def add_convention_options(p, relu_note: str = "", convention_note: str = "") -> None:
    """``--convention NAME=VALUE`` (repeatable) and its alias ``--relu-grad-at-zero``, worded
    alike for every command that checks an implementation (check, gradcheck)."""
    p.add_argument(
        "--relu-grad-at-zero",
        type=relu_value,
        default=None,
        metavar="C",
        help="the ReLU'(0) convention expected: any number in [0, 1], e.g. 1 (the default, "
        "the tutorial's; S8), 0 or 0.5"
        + relu_note
        + "; the same as --convention relu_grad_at_zero=VALUE",
    )
    p.add_argument(
        "--convention",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="check under this convention (repeatable), e.g. weight_layout=out_in; "
        "'nnref conventions' lists them. Wins over the implementation's nnref_conventions"
        + convention_note,
    )


def relu_value(text: str) -> str:
    """An argparse type: a ReLU'(0) value, any number in [0, 1], spelled canonically."""
    try:
        return parse_pair(f"relu_grad_at_zero={text}")[1]
    except NnrefError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}") from None


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    p.set_defaults(func=run)


def run(args) -> int:
    for line in lines():
        print(line)
    return 0


def lines() -> list[str]:
    out = []
    for c in REGISTRY.values():
        out.append(f"{c.name}  (changes: {c.changes})")
        for i, (value, meaning) in enumerate(zip(c.values, c.meanings)):
            mark = "  (the tutorial's)" if i == 0 else ""
            out.append(f"  {c.name + '=' + value:<28} {meaning}{mark}")
        if c.number_range is not None:
            out.append(f"  {c.name + '=C':<28} {c.accepted()}")
    out.append("declare: nnref check IMPL --convention NAME=VALUE, or nnref_conventions = {...}")
    return out
