"""Errata E1..E6, each with evidence computed at build time (E7..E10: ``errata_wording``).

Every number below comes from the reference (plain Python floats) during the
build, and each erratum also names the ``symbolic`` derivations that prove it
exactly (looked up in the registry by clause id, verified in the same build).
A check that does not come out as the erratum claims fails the build.

Marker: ``<!-- nnref:erratum E1 -->`` .. ``E10``. Each starts with the tutorial's own words.
"""

from __future__ import annotations

import math
import random

from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import num, table, vec
from nnref_docs.i18n import tr
from nnref_docs.markers import generator

D_SOFTMAX = [3.0, 0.0, -1.0]


def has_section(erratum: str, lang: str) -> bool:
    """Whether the errata page in ``lang`` has a section for ``erratum`` (E11.. may not yet)."""
    from nnref_docs.paths import DOCS_DIR

    page = DOCS_DIR / ("errata.md" if lang == "en" else f"errata.{lang}.md")
    return f"{{#{erratum.lower()}}}" in page.read_text(encoding="utf-8")


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise DocsBuildError(f"erratum evidence no longer holds: {what}")


def _derivations(erratum: str, lang: str) -> str:
    from nnref_docs import derivations

    links = [
        f"[{derivations.title(d, lang)}](generated/derivations/{group}.md#{d.name})"
        for d, group, _ in derivations.verified()
        if erratum in d.clauses
    ]
    _require(bool(links), f"no derivation in symbolic's registry establishes {erratum}")
    return tr(lang, "Proven exactly in this build: ", "このビルドで厳密に証明済み: ") + "; ".join(
        links
    )


def e1(lang: str) -> tuple[list[list[str]], str]:
    from nnref import reference

    y = reference.softmax(D_SOFTMAX)
    natural = reference.cross_entropy(y, [0.0, 1.0, 0.0])
    log10 = -math.log10(y[1])
    printed_y2 = -math.log10(0.04661262257)  # y2 as the tutorial printed it (11 digits)
    _require(f"{printed_y2:.11f}" == "1.33149646163", f"-log10(0.04661262257) = {printed_y2!r}")
    _require(abs(natural - 3.0658839038) < 1e-9, f"natural-log cross-entropy = {natural!r}")
    # S15 only holds for the natural log: d/du2 of -log10(softmax(u)_2) is (y - t) / ln 10.
    h = 1e-6

    def ce10(u2: float) -> float:
        return -math.log10(reference.softmax([3.0, u2, -1.0])[1])

    slope10 = (ce10(h) - ce10(-h)) / (2 * h)
    _require(abs(slope10 * math.log(10) - (y[1] - 1.0)) < 1e-7, "log10 slope")
    rows = [
        [tr(lang, "printed in the tutorial", "チュートリアルの値"), "1.33149646163"],
        [
            tr(
                lang,
                "-log10 of the printed y2 = 0.04661262257",
                "記載された y2 = 0.04661262257 の −log10",
            ),
            num(printed_y2),
        ],
        [tr(lang, "-log10 of the exact y2", "厳密な y2 の −log10"), num(log10)],
        [
            tr(
                lang,
                "reference `cross_entropy` (natural log)",
                "参照実装 `cross_entropy`（自然対数）",
            ),
            num(natural),
        ],
        [tr(lang, "ratio", "比"), f"{natural / log10:.12f} = ln 10"],
        [
            tr(lang, "dE/du2 with log10 (central difference)", "log10 の場合の dE/du2（中心差分）"),
            f"{slope10:.9f} = (y2 - t2) / ln 10",
        ],
        ["y2 - t2 (S15)", num(y[1] - 1.0)],
    ]
    verdict = tr(
        lang,
        "The printed value is the base-10 logarithm. nnref uses the natural log: it is what makes "
        "the output error y - t of S15 exact (with log10 every gradient shrinks by ln 10).",
        "チュートリアルの値は常用対数（底 10）による。nnref は自然対数を使う。S15 の出力誤差 "
        "y − t が厳密に成り立つのは自然対数の場合だけである（log10 ではすべての勾配が ln 10 "
        "で割られる）。",
    )
    return rows, verdict


def e2(lang: str) -> tuple[list[list[str]], str]:
    from nnref.reference.init import gaussian, weight_scale

    rng = random.Random(20261128)
    n, count = 16, 100_000
    rows = []
    for activation in ("sigmoid", "relu"):
        scale = weight_scale(n, activation)
        draws = [scale * gaussian(rng) for _ in range(count)]
        mean = sum(draws) / count
        var = sum((d - mean) ** 2 for d in draws) / (count - 1)
        want_var = 1 / n if activation != "relu" else 2 / n
        _require(abs(var - want_var) < 0.02 * want_var, f"{activation} variance {var}")
        rows.append(
            [
                f"{activation} (n = {n})",
                f"{scale:.6f}",
                f"{math.sqrt(var):.6f}",
                f"{var:.6f}",
                f"{want_var:.6f}",
                f"{scale:.6f}",
            ]
        )
    header = [
        tr(lang, "layer", "層"),
        tr(lang, "scale used", "スケール"),
        tr(lang, "sample std", "標本標準偏差"),
        tr(lang, "sample variance", "標本分散"),
        tr(lang, "1/n or 2/n", "1/n または 2/n"),
        tr(lang, "what the text calls variance", "本文が「分散」と呼ぶ値"),
    ]
    verdict = tr(
        lang,
        f"{count:,} seeded draws (`nnref.reference.init.gaussian`, Box-Muller, seed 20261128) "
        "per row. "
        "The sample variance matches 1/n and 2/n, not 1/sqrt(n) and sqrt(2/n): those are "
        "standard deviations. nnref scales by the standard deviation (what the tutorial's code "
        "does).",
        f"各行 {count:,} 個の乱数（`nnref.reference.init.gaussian`、ボックス=ミューラー法、シード "
        "20261128）。標本分散は 1/n と 2/n に一致し、1/√n や √(2/n) には一致しない。後者は"
        "標準偏差である。nnref は標準偏差としてスケールする（チュートリアルのコードと同じ）。",
    )
    return [header, *rows], verdict


def output_layer_gradients() -> tuple[dict, list[float], list[float], float]:
    """W3_3's output layer over (c, d, e) = (0, 1, 2): the layer, outputs f, g, h,
    ∂f, ∂g, ∂h (W4_1's teacher) and the hidden c's gradient ∂c, all from the reference."""
    from nnref import reference
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T
    from nnref.reference.layer import input_gradient

    out_layer = TUTORIAL_LAYERS[2]
    y = reference.softmax(reference.linear([0.0, 1.0, 2.0], out_layer["W"], out_layer["b"]))
    delta = [yk - tk for yk, tk in zip(y, TUTORIAL_T, strict=True)]
    return out_layer, y, delta, input_gradient(out_layer["W"], delta)[0]


def e3(lang: str) -> tuple[list[list[str]], str]:
    from nnref import reference
    from nnref.reference import TUTORIAL_T

    out_layer, _, delta, dc = output_layer_gradients()
    w = [out_layer["W"][0][k] for k in range(3)]  # w11, w21, w31: from c into f, g, h
    by_hand = delta[0] * w[0] + delta[1] * w[1] + delta[2] * w[2]
    misprint = delta[0] * w[0] + delta[1] * w[1] + delta[2] * 31
    h = 1e-6

    def loss(c: float) -> float:
        return reference.loss_value([out_layer], [c, 1.0, 2.0], TUTORIAL_T, "cross_entropy")

    numeric = (loss(h) - loss(-h)) / (2 * h)
    _require(abs(dc - by_hand) < 1e-12 and abs(numeric - dc) < 1e-6, "dE/dc")
    rows = [
        ["∂f, ∂g, ∂h (W4_1)", vec(delta)],
        ["w11, w21, w31", vec(w)],
        ["∂f·w11 + ∂g·w21 + ∂h·w31", num(by_hand)],
        [tr(lang, "reference (dense backward, S20)", "参照実装（全結合層の逆伝播、S20）"), num(dc)],
        [tr(lang, "central difference of E in c", "E の c に関する中心差分"), num(numeric, 9)],
        [
            tr(lang, "the misprint read literally (∂h·31)", "誤植をそのまま読む（∂h・31）"),
            num(misprint),
        ],
    ]
    verdict = tr(
        lang,
        "Only ∂h·w31 agrees with the finite difference; '31' is a dropped 'w'.",
        "中心差分と一致するのは ∂h·w31 だけである。「31」は w の脱字。",
    )
    return rows, verdict


def e4(lang: str) -> tuple[list[list[str]], str]:
    from nnref import reference
    from nnref.reference import TUTORIAL_T

    u = [-1.0, 1.0, -2.0]  # W3_3's logits
    y = reference.softmax(u)
    t = TUTORIAL_T
    layer = {
        "W": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        "b": [0.0, 0.0, 0.0],
        "activation": "softmax",
    }
    h = 1e-6
    by_logit = []
    for k in range(3):
        up, down = list(u), list(u)
        up[k] += h
        down[k] -= h
        by_logit.append(
            (
                reference.loss_value([layer], up, t, "cross_entropy")
                - reference.loss_value([layer], down, t, "cross_entropy")
            )
            / (2 * h)
        )
    by_output = [-tk / yk for tk, yk in zip(t, y, strict=True)]
    y_minus_t = [yk - tk for yk, tk in zip(y, t, strict=True)]
    _require(all(abs(a - b) < 1e-7 for a, b in zip(by_logit, y_minus_t, strict=True)), "dE/du")
    rows = [
        ["y - t", vec(y_minus_t)],
        [
            tr(lang, "dE/du (central differences in the logits)", "dE/du（ロジットの中心差分）"),
            vec(by_logit, 9),
        ],
        [
            tr(
                lang,
                "dE/dy = -t/y (with respect to the outputs)",
                "dE/dy = −t/y（出力に関する勾配）",
            ),
            vec(by_output),
        ],
    ]
    verdict = tr(
        lang,
        "For softmax + cross-entropy, y - t is the gradient with respect to the logits u "
        "(what backpropagation needs), not with respect to the outputs y. For identity + "
        "squared error the two coincide.",
        "Softmax関数＋Cross-entropy関数では、y − t はロジット u に関する勾配（誤差逆伝播に"
        "必要なもの）であり、出力 y に関する勾配ではない。線形関数＋二乗誤差では両者が一致する。",
    )
    return rows, verdict


def e5(lang: str) -> tuple[list[list[str]], str]:
    from nnref.reference import sigmoid
    from nnref.reference.activations import sigmoid_derivative

    us = [i / 1000 for i in range(-8000, 8001)]
    ys = sigmoid(us)
    ds = sigmoid_derivative(us, ys)
    best = max(range(len(us)), key=lambda i: ds[i])
    _require(us[best] == 0.0 and ds[best] == 0.25, "sigmoid' maximum")
    _require(min(ys) > 0.0 and max(ys) < 1.0, "sigmoid range on [-8, 8]")
    big = sigmoid([40.0, -40.0])
    rows = [
        [
            tr(lang, "max of f' on [-8, 8] (step 0.001)", "[−8, 8] 上の f' の最大値（刻み 0.001）"),
            f"{ds[best]} at u = {us[best]}",
        ],
        ["f(-8), f(8)", vec([ys[0], ys[-1]])],
        ["f(40), f(-40) (float64)", vec(big, 17)],
    ]
    verdict = tr(
        lang,
        "Mathematically 0 < f < 1 for every real u (the range is open) and f' = 1/4 only at 0. "
        "In float64, f(40) rounds to exactly 1.0: the open range is a statement about real "
        "numbers, and code that takes log(1 - f) must not rely on it.",
        "数学的にはすべての実数 u で 0 < f < 1（値域は開区間）であり、f' = 1/4 となるのは 0 "
        "のみ。float64 では f(40) はちょうど 1.0 に丸められる。開区間は実数についての主張で"
        "あり、log(1 − f) を計算するコードはそれに頼ってはならない。",
    )
    return rows, verdict


def e6(lang: str) -> tuple[list[list[str]], str]:
    from nnref import reference

    y, t = [28.0, 500.0], [30.0, 550.0]
    halved_sum = reference.squared_error(y, t)
    squares = [(a - b) ** 2 for a, b in zip(y, t, strict=True)]
    mean = sum(squares) / len(squares)
    y3, t3 = [28.0, 500.0, 1.0], [30.0, 550.0, 0.0]
    halved3 = reference.squared_error(y3, t3)
    mean3 = sum((a - b) ** 2 for a, b in zip(y3, t3, strict=True)) / 3
    _require(halved_sum == 1252.0 and mean == 1252.0 and halved3 != mean3, "D_mse")
    rows = [
        [
            tr(
                lang,
                "D_mse: reference `squared_error` (½ Σ)",
                "D_mse: 参照実装 `squared_error`（½ Σ）",
            ),
            num(halved_sum),
        ],
        [tr(lang, "D_mse: mean of the squares", "D_mse: 二乗の平均"), num(mean)],
        [
            tr(
                lang,
                "3 outputs y = (28, 500, 1), t = (30, 550, 0): ½ Σ",
                "出力 3 個 y = (28, 500, 1), t = (30, 550, 0): ½ Σ",
            ),
            num(halved3),
        ],
        [tr(lang, "the same: mean of the squares", "同: 二乗の平均"), num(mean3)],
    ]
    verdict = tr(
        lang,
        "With two outputs the halved sum and the mean of the squares are the same number; with "
        "three they differ. The text says the formula has a ½, and with it a mean over the "
        "outputs would give 626 in D_mse, not 1252. nnref computes what D_mse computes, "
        "E = ½ Σ (y - t)² over one sample's outputs (S13).",
        "出力が 2 個のときは半分にした和と二乗の平均が同じ値になり、3 個では異なる。本文は式に ½ "
        "があるとしており、½ のもとで出力について平均すると D_mse は 1252 ではなく 626 になる。"
        "nnref は D_mse と同じく、一つのサンプルの出力について E = ½ Σ (y − t)² を計算する"
        "（S13）。",
    )
    return rows, verdict


ERRATA = {"E1": e1, "E2": e2, "E3": e3, "E4": e4, "E5": e5, "E6": e6}


@generator("erratum")
def erratum(lang: str, arg: str | None) -> str:
    from nnref_docs import errata_wording

    known = {**ERRATA, **errata_wording.ERRATA}
    if arg not in known:
        raise DocsBuildError(f"unknown erratum {arg!r} (known: {', '.join(known)})")
    rows, verdict = known[arg](lang)
    if rows and len(rows[0]) > 2:
        body = table(rows[0], rows[1:])
    else:
        body = table([tr(lang, "evidence", "根拠"), tr(lang, "value", "値")], rows)
    quote = (
        tr(lang, "The tutorial: ", "チュートリアルの原文: ") + f"「{errata_wording.QUOTES[arg]}」"
    )
    return "\n\n".join([quote, body, verdict, _derivations(arg, lang)])


@generator("errata_more")
def errata_more(lang: str, arg: str | None) -> str:
    """A section for every erratum of the spec that has no computed section on the page.

    The spec's own text, in the page's language, under the same kind of heading; when a
    computed section is written for one of them, it drops out of this list by itself.
    """
    from nnref.conformance.spec import clauses
    from nnref_docs import errata_wording

    computed = {**ERRATA, **errata_wording.ERRATA}
    parts = []
    for clause in clauses(lang):
        if not (clause.id.startswith("E") and clause.id[1:].isdigit()) or clause.id in computed:
            continue
        parts.append(f"## {clause.id}: {clause.title} {{#{clause.id.lower()}}}\n\n{clause.text}")
    return "\n\n".join(parts)


@generator("computed_errata")
def computed_errata(lang: str, arg: str | None) -> str:
    """The range of errata that have a computed section (``E1–E10``), for running text."""
    from nnref_docs import errata_wording

    ids = sorted({**ERRATA, **errata_wording.ERRATA}, key=lambda e: int(e[1:]))
    return f"{ids[0]}–{ids[-1]}"
