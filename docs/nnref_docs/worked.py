"""The tutorial's worked examples, recomputed by the reference at build time.

The cases come from ``conformance/vectors/tutorial.json`` (each carries its
SPEC clauses, its inputs, the expected value, a tolerance and the value the
tutorial printed). The build calls the reference on every case's inputs and
fails when the reference leaves the tolerance: the page can only show values
the code really computes.

Markers: ``<!-- nnref:example ID -->`` (every case of worked example ID, e.g.
W1_1 or D_softmax), ``<!-- nnref:examples_summary -->``,
``<!-- nnref:tutorial_network -->``.
"""

from __future__ import annotations

import json
from functools import cache

from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import flatten, num, table, tex_matrix, vec, within, worst_error
from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT

VECTORS = REPO_ROOT / "conformance" / "vectors" / "tutorial.json"

#: The vectors' notes, in Japanese (and in English with their math marked up), by case id.
#: A note without its Japanese fails the build: the Japanese pages carry no English.
NOTES = {
    "encode_applicant": (
        "`encode_applicant(income_yen, has_loan, detached_house)` is optional: an "
        "implementation without it is reported as *not provided*.",
        "`encode_applicant(income_yen, has_loan, detached_house)` は任意の関数で、"
        "ない実装は「未提供」と報告される。",
    ),
    "D_ce": (
        "The tutorial printed \\(-\\log_{10} y_2 = 1.33149646163\\); cross-entropy uses the "
        "natural log: \\(-\\ln y_2 = 3.0658839038\\ldots\\)",
        "チュートリアルに記載された値は \\(-\\log_{10} y_2 = 1.33149646163\\)。Cross-entropy関数は"
        "自然対数を使う: \\(-\\ln y_2 = 3.0658839038\\ldots\\)",
    ),
    "W4_1-output-error": (
        "The tutorial gives the output error \\(\\delta = y - t\\); the threshold gradient is "
        "\\(\\partial E / \\partial b = -\\delta\\) (S20: the threshold is subtracted) and "
        "\\(\\partial E / \\partial W_{ij} = x_i \\delta_j\\).",
        "チュートリアルは出力の誤差 \\(\\delta = y - t\\) を記載している。閾値の勾配は "
        "\\(\\partial E / \\partial b = -\\delta\\)（S20: 閾値は引かれる）、重みの勾配は "
        "\\(\\partial E / \\partial W_{ij} = x_i \\delta_j\\)。",
    ),
}
NOTES["W3_1-encoding"] = NOTES["S4-applicant-encoding"] = NOTES["encode_applicant"]


def note(case: dict, lang: str) -> str:
    """A vector's note in ``lang``; fails the build when it has no translation."""
    if case["id"] not in NOTES:
        raise DocsBuildError(
            f"tutorial vector {case['id']} has a note with no Japanese in worked.NOTES: "
            f"{case['note']!r}"
        )
    return tr(lang, *NOTES[case["id"]])


@cache
def cases() -> list[dict]:
    """The tutorial vectors, each with ``got``: what the reference computes now."""
    if not VECTORS.exists():
        raise DocsBuildError(f"{VECTORS.relative_to(REPO_ROOT)} is missing (conformance vectors)")
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    out = []
    for case in data["cases"]:
        got = run(case["operation"], case["inputs"])
        if not within(got, case["expected"], case["tolerance"]):
            raise DocsBuildError(
                f"the reference gives {got} for tutorial vector {case['id']}, "
                f"which expects {case['expected']} (tolerance {case['tolerance']})"
            )
        out.append({**case, "got": got})
    return out


def run(operation: str, inputs: dict):
    """Call the reference's protocol callable ``operation`` on a vector's inputs."""
    from nnref import reference
    from nnref.reference.tutorial import encode_applicant

    functions = {"encode_applicant": encode_applicant}
    func = functions.get(operation) or getattr(reference, operation, None)
    if func is None:
        raise DocsBuildError(f"the reference has no operation {operation!r}")
    return func(**inputs)


def example_id(case: dict) -> str:
    """The worked example a case belongs to: the id's first part (W1_1, D_softmax, tutorial)."""
    return case["id"].split("-")[0]


def _value(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "↓"
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], list):
        return num(value[0])  # one number, not a one-element tuple "(-1)"
    if isinstance(value, list):
        return vec(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return num(value)


def _inputs(inputs: dict, lang: str) -> str:
    parts = []
    for key, value in inputs.items():
        if key == "layers":
            names = ", ".join(v["activation"] for v in value)
            parts.append(tr(lang, f"{len(value)} layers: {names}", f"{len(value)} 層: {names}"))
        elif isinstance(value, list) and value and isinstance(value[0], list):
            parts.append(f"{key} = " + "[" + "; ".join(vec(r) for r in value) + "]")
        elif isinstance(value, list):
            parts.append(f"{key} = {_value(value)}")
        else:
            parts.append(f"{key} = {value}")
    return ", ".join(parts)


def _linear_tex(inputs: dict, got) -> str:
    """u_j = x_1 W_1j + ... - b_j written out with the numbers, one line per neuron, each line
    proven by SymPy (the sum of the numbers shown is exactly the reference's u_j)."""
    from nnref.symbolic.textbook import Chain, verify
    from nnref_docs.lessons import literal

    x, W, b = inputs["x"], inputs["W"], inputs["b"]
    lines = []
    for j in range(len(b)):
        terms = " + ".join(f"{literal(x[i])}*{literal(W[i][j])}" for i in range(len(x)))
        result = got[j]
        if float(result) != int(result):
            raise DocsBuildError(f"u_{j + 1} = {result!r} is not a whole number")
        chain = Chain(
            (f"u{j + 1}", "=", f"{terms} - {literal(b[j])}", "=", literal(int(result))),
            ("", ""),
            {f"u{j + 1}": int(result)},
            {f"u{j + 1}": f"u_{{{j + 1}}}"},
        )
        problems = verify(chain)
        if problems:
            raise DocsBuildError("worked arithmetic does not verify: " + "; ".join(problems))
        lines.append(f"\\[ {chain.tex(stacked=True)} \\]")
    return "\n\n".join(lines)


def _places(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def tutorial_difference(case: dict, lang: str) -> str:
    """The reference against the value the tutorial printed: agreement to the digits printed,
    or the difference, with the erratum that explains it."""
    if "tutorial_value" not in case:
        return "—"
    got, printed = flatten(case["got"]), flatten(case["tutorial_value"])
    if len(got) != len(printed):
        return "—"
    worst, digits = 0.0, 0
    for g, p in zip(got, printed, strict=True):
        worst, digits = max(worst, abs(g - p)), max(digits, _places(p))
    # printed digits are rounded or cut (D_softmax): within one unit of the last digit
    if worst <= 10.0**-digits:
        return tr(lang, "agrees to the digits printed", "記載された桁まで一致")
    shown = f"{worst:.5g}"
    erratum = case.get("erratum")
    if erratum:
        link = f"[{erratum}](errata.md#{erratum.lower()})"
        return tr(lang, f"differs by {shown}: see {link}", f"{shown} 異なる: {link} を参照")
    return tr(lang, f"differs by {shown}", f"{shown} 異なる")


def _implementers(case: dict, lang: str) -> str:
    """The vector's details a reader of the tutorial does not need, in a collapsed block."""
    abs_err, rel_err = worst_error(case["got"], case["expected"])
    rows = [
        [tr(lang, "expected (conformance vector)", "期待値（適合性ベクトル）"),
         _value(case["expected"])],
        [tr(lang, "reference − expected", "参照実装 − 期待値"),
         tr(lang, "abs {:.1e}, rel {:.1e}", "絶対 {:.1e}、相対 {:.1e}").format(abs_err, rel_err)],
        [tr(lang, "tolerance", "許容誤差"),
         tr(lang, "abs {:g}, rel {:g}", "絶対 {:g}、相対 {:g}").format(
             case["tolerance"]["abs"], case["tolerance"]["rel"])],
        [tr(lang, "operation", "演算"), f"`{case['operation']}`"],
    ]  # fmt: skip
    flags = [f for f in case.get("flags", []) if f != "tutorial"]
    if flags:
        rows.append([tr(lang, "flags", "フラグ"), ", ".join(f"`{f}`" for f in flags)])
    body = [table([tr(lang, "what", "項目"), tr(lang, "value", "値")], rows)]
    if case.get("note"):
        body += [
            "",
            tr(lang, "Note (from the vector): ", "注（ベクトルより）: ") + note(case, lang),
        ]
    title = tr(lang, "For implementers", "実装する人向け")
    inner = "\n".join(f"    {line}" if line else "" for line in "\n".join(body).split("\n"))
    return f'??? info "{title}: `{case["id"]}`"\n\n{inner}'


def render_case(case: dict, lang: str) -> str:
    out = [f"**`{case['id']}`** ({tr(lang, 'clauses', '条項')}: {', '.join(case['clauses'])})", ""]
    if case["operation"] == "linear":
        out += [_linear_tex(case["inputs"], case["got"]), ""]
    rows = [
        [tr(lang, "inputs", "入力"), _inputs(case["inputs"], lang)],
        [tr(lang, "the reference (computed at build time)", "参照実装（ビルド時に計算）"),
         _value(case["got"])],
    ]  # fmt: skip
    if "tutorial_value" in case:
        rows.append([tr(lang, "printed in the tutorial", "チュートリアルの値"),
                     _value(case["tutorial_value"])])  # fmt: skip
        rows.append([tr(lang, "reference against the tutorial", "参照実装とチュートリアルの差"),
                     tutorial_difference(case, lang)])  # fmt: skip
    if case["operation"] == "gradients":
        out += [_gradients_tex(case["got"]), ""]
    out += [table([tr(lang, "what", "項目"), tr(lang, "value", "値")], rows), ""]
    out.append(_implementers(case, lang))
    return "\n".join(out)


def _gradients_tex(grads: list[dict]) -> str:
    lines = []
    for k, g in enumerate(grads, start=1):
        lines.append(f"\\frac{{\\partial E}}{{\\partial W^{{({k})}}}} &= {tex_matrix(g['W'], 8)}")
        lines.append(f"\\frac{{\\partial E}}{{\\partial b^{{({k})}}}} &= {tex_matrix(g['b'], 8)}")
    return "\\[\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n\\]"


@generator("example")
def example(lang: str, arg: str | None) -> str:
    chosen = [c for c in cases() if example_id(c) == arg]
    if not chosen:
        known = sorted({example_id(c) for c in cases()})
        raise DocsBuildError(f"no tutorial vector for example {arg!r} (known: {known})")
    return "\n\n".join(render_case(c, lang) for c in chosen)


@generator("examples_summary")
def examples_summary(lang: str, arg: str | None) -> str:
    rows, checks = [], []
    for c in cases():
        rows.append(
            [
                f"`{c['id']}`",
                ", ".join(c["clauses"]),
                _value(c["got"]),
                _value(c["tutorial_value"]) if "tutorial_value" in c else "—",
                tutorial_difference(c, lang),
            ]
        )
        abs_err, _ = worst_error(c["got"], c["expected"])
        checks.append([f"`{c['id']}`", f"{abs_err:.1e}",
                       f"{c['tolerance']['abs']:g} / {c['tolerance']['rel']:g}"])  # fmt: skip
    header = [
        "id",
        tr(lang, "clauses", "条項"),
        tr(lang, "reference", "参照実装"),
        tr(lang, "printed in the tutorial", "チュートリアルの値"),
        tr(lang, "reference against the tutorial", "参照実装とチュートリアルの差"),
    ]
    inner = table(["id", tr(lang, "reference − vector (abs)", "参照実装 − ベクトル（絶対）"),
                   tr(lang, "tolerance abs / rel", "許容誤差（絶対 / 相対）")], checks)  # fmt: skip
    inner = "\n".join("    " + line for line in inner.split("\n"))
    title = tr(lang, "For implementers: the reference against the vectors",
               "実装する人向け: 参照実装とベクトルの差")  # fmt: skip
    return table(header, rows) + f'\n\n??? info "{title}"\n\n{inner}'


@generator("tutorial_network")
def tutorial_network(lang: str, arg: str | None) -> str:
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X, gradients
    from nnref.reference.network import forward_pass

    records = forward_pass(TUTORIAL_LAYERS, TUTORIAL_X)
    grads = gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    from nnref import reference

    loss = reference.cross_entropy(records[-1].y, TUTORIAL_T)
    out = [
        tr(
            lang,
            "Forward pass (\\(u = xW - b\\), then the activation), computed by the reference:",
            "順伝播（\\(u = xW - b\\) の後に活性化関数）。参照実装による計算:",
        ),
        "",
        "\\[",
        "\\begin{aligned}",
    ]
    lines = [f"x &= {tex_matrix(TUTORIAL_X)}"]
    for k, (layer, rec) in enumerate(zip(TUTORIAL_LAYERS, records, strict=True), start=1):
        lines.append(f"u^{{({k})}} &= {tex_matrix(rec.u, 10)}")
        lines.append(
            f"y^{{({k})}} &= \\mathrm{{{layer['activation']}}}(u^{{({k})}}) "
            f"= {tex_matrix(rec.y, 10)}"
        )
    lines.append(f"t &= {tex_matrix(TUTORIAL_T)}")
    lines.append(f"E &= -\\sum_k t_k \\ln y_k = {num(loss)}")
    out += [" \\\\\n".join(lines), "\\end{aligned}", "\\]", ""]
    out += [
        tr(
            lang,
            "Backward pass: every weight and threshold gradient (S15-S20):",
            "逆伝播: すべての重みと閾値の勾配（S15〜S20）:",
        ),
        "",
        _gradients_tex(grads),
    ]
    out += ["", _symbolic_agreement(grads, loss, lang)]
    return "\n".join(out)


def _symbolic_agreement(grads, loss, lang: str) -> str:
    """The exact gradients from symbolic/ and their distance to the reference's floats."""
    try:
        from nnref.symbolic.tutorial import tutorial_gradients
    except ImportError as exc:  # pragma: no cover - symbolic is part of the repository
        raise DocsBuildError(f"nnref.symbolic.tutorial is not importable: {exc}") from exc
    exact = tutorial_gradients()
    abs_err, rel_err = worst_error(grads, exact.floats())
    if rel_err > 1e-12 and abs_err > 1e-12:
        raise DocsBuildError(
            f"the reference's tutorial gradients differ from symbolic's exact ones "
            f"(abs {abs_err:.2e}, rel {rel_err:.2e})"
        )
    import sympy as sp

    loss_tex = sp.latex(exact.loss, ln_notation=True)
    return "\n".join(
        [
            tr(
                lang,
                "SymPy's exact loss of the same sample (`nnref.symbolic.tutorial`):",
                "同じサンプルの厳密な損失（SymPy, `nnref.symbolic.tutorial`）:",
            ),
            "",
            f"\\[ E = {loss_tex} \\approx {num(exact.loss_float())} \\]",
            "",
            tr(
                lang,
                f"Every gradient above agrees with SymPy's exact one: worst absolute error "
                f"{abs_err:.1e}, worst relative error {rel_err:.1e} (bound 1e-12).",
                f"上の勾配はすべて SymPy の厳密な勾配と一致する: 最大絶対誤差 {abs_err:.1e}、"
                f"最大相対誤差 {rel_err:.1e}（上限 1e-12）。",
            ),
        ]
    )


@generator("home_network")
def home_network(lang: str, arg: str | None) -> str:
    from nnref import reference
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X

    y = reference.forward(TUTORIAL_LAYERS, TUTORIAL_X)
    loss = reference.cross_entropy(y, TUTORIAL_T)
    rows = [[f"y{k + 1}", num(v)] for k, v in enumerate(y)]
    rows.append(["E", num(loss)])
    return table([tr(lang, "output", "出力"), tr(lang, "value", "値")], rows)
