"""Textbook derivations: the tutorial's computations written out by hand, proven by SymPy.

Each lesson is a list of :class:`nnref.symbolic.textbook.Chain` lines: first the formula in
the tutorial's symbols, then the same formula with the numbers put in once, in its order,
then the result, each line after one sentence of why. The numbers come from the tutorial
vectors (``conformance/vectors/tutorial.json``) and the results from the reference, computed
while the site is built; SymPy proves every displayed equality exactly, and a line that does
not hold (or shows one formula twice) fails the build.

A derivation page shows a derivation's lesson instead of the registry's raw steps when one is
written here (``LESSONS``); the registry's steps are still proven and counted in the status
line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import num
from nnref_docs.i18n import tr

LESSONS: dict[str, Callable[[], list]] = {}


def lesson_for(name: str):
    def register(build):
        LESSONS[name] = build
        return build

    return register


@cache
def lesson(name: str) -> list | None:
    """The verified chains of a derivation's lesson, or None when it has none."""
    if name not in LESSONS:
        return None
    chains = LESSONS[name]()
    check(name, chains)
    return chains


def check(name: str, chains) -> None:
    from nnref.symbolic.textbook import verify

    problems = [f"line {k + 1}: {p}" for k, c in enumerate(chains) for p in verify(c)]
    if problems:
        raise DocsBuildError(f"lesson {name!r} does not verify: " + "; ".join(problems))


def count(chains) -> int:
    """How many relations (``=``, ``≈``, ``<``) the chains display: each one is proven."""
    return sum(len(c.members) // 2 for c in chains)


#: A chain that shows more characters than this (about a phone's column) is stacked, one
#: member a line, long members broken before a + or -.
WIDE = 34


def _visible(tex: str) -> int:
    from nnref.symbolic.textbook import _visible as visible

    return visible(tex)


def render(chains, lang: str) -> str:
    out = []
    for chain in chains:
        why = tr(lang, *chain.why)
        tex = chain.tex()
        stacked = _visible(tex) > WIDE
        out += [why, ""] if why else []
        out += [f"\\[ {chain.tex(stacked)} \\]", ""]
    return "\n".join(out).rstrip("\n")


def _case(case_id: str) -> dict:
    from nnref_docs import worked

    for case in worked.cases():
        if case["id"] == case_id:
            return case
    raise DocsBuildError(f"no tutorial vector {case_id!r}")


def exact(value) -> str:
    """A float the reference computed, as an exact literal; it must be an integer here."""
    if float(value) != int(value):
        raise DocsBuildError(f"expected a whole number from the reference, got {value!r}")
    return str(int(value))


def literal(value: float) -> str:
    """A number for a formula: integers without a point, negatives in parentheses."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


# ----------------------------------------------------------------------------- the lessons


@lesson_for("worked_weighted_sum")
def _weighted_sum():
    from nnref.reference.activations import relu, step
    from nnref.reference.layer import linear
    from nnref.symbolic.textbook import Chain

    case = _case("W1_1-weighted-sum")
    x, w, b = case["inputs"]["x"], [r[0] for r in case["inputs"]["W"]], case["inputs"]["b"][0]
    u = linear(x, case["inputs"]["W"], [b])[0]
    names = {f"x{i + 1}": v for i, v in enumerate(x)} | {f"w{i + 1}": v for i, v in enumerate(w)}
    symbolic = " + ".join(f"x{i + 1}*w{i + 1}" for i in range(len(x))) + " - b"
    numbers = " + ".join(f"{literal(a)}*{literal(c)}" for a, c in zip(x, w)) + f" - {literal(b)}"
    five = 5  # W1_2's u: its inputs are only in a figure (see Assumptions)
    env = {**names, "b": b, "u": u}
    return [
        Chain(
            ("u", "=", symbolic, "=", numbers, "=", exact(u)),
            (
                "W1_1. A neuron adds its inputs times their weights and subtracts its "
                "threshold b (S1):",
                "W1_1。ニューロンは入力と重みの積を足し合わせ、閾値 b を引く（S1）:",
            ),
            env,
        ),
        Chain(
            ("step(u)", "=", f"step({literal(u)})", "=", exact(step([u])[0])),
            (
                "W2_1. The step function gives 0 for a negative u:",
                "W2_1。ステップ関数は負の u に 0 を返す:",
            ),
            env,
        ),
        Chain(
            (f"step({five})", "=", exact(step([five])[0])),
            (
                "W2_2. W1_2's u is 5, positive, so the step gives 1:",
                "W2_2。W1_2 の u は 5 で正なので、ステップ関数は 1 を返す:",
            ),
        ),
        Chain(
            ("relu(u)", "=", f"max(0, {literal(u)})", "=", exact(relu([u])[0])),
            (
                "W2_3. ReLU keeps a positive u and cuts a negative one to 0:",
                "W2_3。ReLU は正の u をそのまま通し、負の u を 0 にする:",
            ),
            env,
        ),
        Chain(
            (f"relu({five})", "=", f"max(0, {five})", "=", exact(relu([five])[0])),
            ("W2_4. For u = 5 it passes u on:", "W2_4。u = 5 ならそのまま通す:"),
        ),
    ]


@lesson_for("squared_error_halved_sum")
def _squared_error():
    from nnref.reference.losses import squared_error
    from nnref.symbolic.textbook import Chain

    case = _case("D_mse")
    y, t = case["inputs"]["y"], case["inputs"]["t"]
    E = squared_error(y, t)
    env = {"y1": y[0], "y2": y[1], "t1": t[0], "t2": t[1], "E": E}
    d = [a - c for a, c in zip(y, t)]
    return [
        Chain(
            ("E", "=", "1/2*((y1 - t1)**2 + (y2 - t2)**2)",
             "=", f"1/2*(({num(y[0])} - {num(t[0])})**2 + ({num(y[1])} - {num(t[1])})**2)",
             "=", f"1/2*({literal(d[0])}**2 + {literal(d[1])}**2)",
             "=", f"1/2*({num(d[0] ** 2)} + {num(d[1] ** 2)})", "=", exact(E)),
            ("D_mse. Square each output's miss, add them, and halve the sum (S13):",
             "D_mse。出力ごとのずれを二乗して足し、その和を半分にする（S13）:"),
            env,
        ),
        Chain(
            ("1/2*(4 + 2500)/2", "=", "626", "<", exact(E)),
            ("A mean over the two outputs would halve once more, and give less than the "
             "printed value: the tutorial's number is a halved sum (E6).",
             "二つの出力について平均を取るとさらに半分になり、記載された値より小さい。"
             "チュートリアルの値は半分にした和である（E6）。"),
        ),
    ]  # fmt: skip


@lesson_for("cross_entropy_log_base")
def _cross_entropy():
    import sympy as sp

    from nnref.symbolic.textbook import Chain

    case = _case("D_ce")
    t = case["inputs"]["t"]
    env = {"t1": t[0], "t2": t[1], "t3": t[2], "y2": 1 / (sp.E**3 + 1 + sp.E**-1)}
    printed = num(case["tutorial_value"])
    natural = f"{float(case['expected']):.10f}"
    return [
        Chain(
            ("-(t1*ln(y1) + t2*ln(y2) + t3*ln(y3))", "=", "-ln(y2)",
             "=", "ln(exp(3) + 1 + exp(-1))", "≈", natural),
            ("D_ce. Only the teacher's class (t₂ = 1) counts, and y₂ = 1/(e³ + 1 + e⁻¹) is "
             "the softmax of (3, 0, −1) (S14):",
             "D_ce。教師データが 1 のクラス（t₂ = 1）だけが残る。y₂ = 1/(e³ + 1 + e⁻¹) は "
             "(3, 0, −1) の Softmax関数（S14）:"),
            env,
        ),
        Chain(
            ("-ln(y2)/ln(10)", "≈", printed[:12]),
            ("The printed value is the same sum with log₁₀ in place of ln (E1):",
             "記載された値は ln の代わりに log₁₀ を使った同じ和である（E1）:"),
            env,
        ),
    ]  # fmt: skip


@lesson_for("worked_tutorial_forward")
def _forward():
    from nnref.reference.network import forward_pass
    from nnref.symbolic.textbook import Chain
    from nnref.symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_X

    records = forward_pass(TUTORIAL_LAYERS, TUTORIAL_X)
    names = (("a", "b"), ("c", "d", "e"), ("f", "g", "h"))
    inputs = [("x1", "x2", "x3"), names[0], names[1]]
    values = dict(zip(inputs[0], TUTORIAL_X))
    chains = []
    whys = {
        0: ("D_hidden. Each hidden neuron weighs the applicant x = (1, 0, 1), subtracts its "
            "threshold, and ReLU cuts a negative sum to 0:",
            "D_hidden。中間層の各ニューロンは申込者 x = (1, 0, 1) に重みを掛けて足し、閾値を"
            "引く。負の和は ReLU で 0 になる:"),
        1: ("W3_2. The second layer does the same with a and b:",
            "W3_2。二つ目の層は a と b について同じことをする:"),
        2: ("W3_3. The output layer's sums (its softmax follows):",
            "W3_3。出力層の和（この後に Softmax関数）:"),
    }  # fmt: skip
    for k, (layer, record) in enumerate(zip(TUTORIAL_LAYERS, records)):
        W, b = layer["W"], layer["b"]
        for j, neuron in enumerate(names[k]):
            terms = [f"{literal(values[i])}*{literal(W[n][j])}" for n, i in enumerate(inputs[k])]
            sums = " + ".join(terms) + f" - {literal(b[j])}"
            u, y = record.u[j], record.y[j]
            if layer["activation"] == "relu":
                members = (neuron, "=", f"relu({sums})", "=", f"relu({literal(u)})", "=", exact(y))
            else:
                members = (f"u{neuron}", "=", sums, "=", exact(u))
            env = {neuron: y, f"u{neuron}": u}
            chains.append(
                Chain(members, whys[k] if j == 0 else ("", ""), env, {f"u{neuron}": f"u_{neuron}"})
            )
        values.update(dict(zip(names[k], record.y)))
    return chains
