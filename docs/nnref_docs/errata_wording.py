"""Errata E7..E10 (slips in the tutorial's wording), each with evidence computed at build time.

Like E1..E6 in :mod:`nnref_docs.errata`, every number comes from the
reference while the page is built, and a check that does not come out as
the erratum claims fails the build. :data:`QUOTES` holds the tutorial's own
words for every erratum, copied exactly from the tutorial's text, so each
erratum on the page starts from what the reader of the tutorial saw.
"""

from __future__ import annotations

from nnref_docs.errata import _require, output_layer_gradients
from nnref_docs.fmt import num, vec
from nnref_docs.i18n import tr

#: The tutorial's exact words behind each erratum.
QUOTES = {
    "E1": "E = -(t1log(y1) + t2log(y2) + t3log(y3)} = 1.33149646163",
    "E2": "平均0、 分散1/√n（nはニューロンの数) … 分散は√(2/n)にするのがおすすめ",
    "E3": "∂c = (∂f・w11) + (∂g・w21) + (∂h・31)",
    "E4": "二乗損失関数でもCross-entropy関数でも、",
    "E5": "シグモイド関数の取りうる値は0以上1以下( 0 <= f(x) <= 1)",
    "E6": "使う損失関数は平均二乗誤差 … E = 1/2{(28 - 30)^2 + (500 - 550)^2} = 1252",
    "E7": "-1以上1以下の範囲で値を取る。",
    "E8": "厳密にはxが0未満の値をとる時、ReLU関数は微分可能ではないが"
    "便宜上微分値を0と定義することで学習が可能になる。",
    "E9": "損失関数の出力層のニューロンの出力f, c, hに関する勾配はそれぞれ∂f, ∂g, ∂hである。",
    "E10": "などという再帰的な問題にもニューラルネットワークは適用できる",
}


def e7(lang: str) -> tuple[list[list[str]], str]:
    from nnref.reference import sigmoid, tanh

    us = [i / 1000 for i in range(-8000, 8001)]
    ys = tanh(us)
    _require(min(ys) > -1.0 and max(ys) < 1.0, "tanh range on [-8, 8]")
    gap = 1.0 - tanh([3.0])[0]
    by_sigmoid = 2.0 * sigmoid([-6.0])[0]
    _require(abs(gap - by_sigmoid) < 1e-15 and gap > 0.0, "1 - tanh 3 = 2 sigmoid(-6) > 0")
    _require(tanh([20.0]) == [1.0], "tanh(20) rounds to 1.0 in float64")
    rows = [
        [tr(lang, "min and max of tanh on [-8, 8] (step 0.001)",
            "[−8, 8] 上の tanh の最小値と最大値（刻み 0.001）"), vec([min(ys), max(ys)], 17)],
        ["1 − tanh 3", num(gap, 17)],
        ["2 · sigmoid(−6)", num(by_sigmoid, 17)],
        [tr(lang, "tanh 20 (float64)", "tanh 20（float64）"), num(tanh([20.0])[0], 17)],
    ]  # fmt: skip
    verdict = tr(
        lang,
        "1 − tanh x = 2 · sigmoid(−2x) is positive for every real x, and likewise 1 + tanh x: "
        "tanh stays strictly between −1 and 1, so its range is the open interval (−1, 1). In "
        "float64, tanh 20 rounds to exactly 1.0; that is the number format, not tanh.",
        "1 − tanh x = 2 · sigmoid(−2x) はすべての実数 x で正であり、1 + tanh x も同様である。"
        "tanh は −1 と 1 の間に厳密にとどまり、値域は開区間 (−1, 1) である。float64 では tanh 20 "
        "がちょうど 1.0 に丸められるが、これは数の表現の性質であって tanh の性質ではない。",
    )
    return rows, verdict


def e8(lang: str) -> tuple[list[list[str]], str]:
    from nnref.reference import relu
    from nnref.reference.activations import relu_derivative

    h = 1e-6

    def slopes(x: float) -> tuple[float, float]:
        at = relu([x])[0]
        return (at - relu([x - h])[0]) / h, (relu([x + h])[0] - at) / h

    header = [
        "x",
        tr(lang, "slope from the left", "左からの傾き"),
        tr(lang, "slope from the right", "右からの傾き"),
        tr(lang, "reference f′(x)", "参照実装の f′(x)"),
    ]
    rows = []
    for x in (-2.0, -0.5, 0.0, 0.5, 2.0):
        left, right = slopes(x)
        derivative = relu_derivative([x], relu([x]))[0]
        same = abs(left - right) < 1e-9
        _require(same == (x != 0.0), f"one-sided slopes of ReLU at {x}")
        _require(x == 0.0 or abs(derivative - left) < 1e-9, f"ReLU' at {x}")
        rows.append([num(x), num(left, 9), num(right, 9), num(derivative)])
    verdict = tr(
        lang,
        "For every x < 0 both one-sided slopes are 0, so ReLU is differentiable there with "
        "derivative 0; for x > 0 both are 1. Only at x = 0 do they differ (0 and 1): that one "
        "point has no derivative, and the tutorial's convention gives it 1 (S8).",
        "x < 0 ではどの点でも左右の傾きがともに 0 なので、ReLU 関数はそこで微分可能で導関数は 0 "
        "である。x > 0 では左右ともに 1 である。左右の傾きが異なる（0 と 1）のは x = 0 だけで、"
        "微分係数がないのはこの一点だけである。チュートリアルの約束ではそこを 1 とする（S8）。",
    )
    return [header, *rows], verdict


def e9(lang: str) -> tuple[list[list[str]], str]:
    _, (f, g, hh), delta, dc = output_layer_gradients()
    cde = [0.0, 1.0, 2.0]  # W3_2's outputs c, d, e
    _require(abs(f + g + hh - 1.0) < 1e-15 and f + cde[0] + hh < 0.5, "f + g + h vs f + c + h")
    _require(abs(delta[1] - 0.84379473448) < 1e-11 and abs(dc - delta[1]) > 1, "∂g vs ∂c")
    rows = [
        [tr(lang, "outputs f, g, h (W3_3)", "出力 f, g, h（W3_3）"), vec([f, g, hh])],
        ["f + g + h", num(f + g + hh)],
        [tr(lang, "f + c + h (c = 0, a hidden output)", "f + c + h（c = 0 は中間層の出力）"),
         num(f + cde[0] + hh)],
        ["∂f, ∂g, ∂h = y − t (W4_1)", vec(delta)],
        [tr(lang, "∂c of the hidden neuron c (S20)", "中間層のニューロン c の ∂c（S20）"), num(dc)],
    ]  # fmt: skip
    verdict = tr(
        lang,
        "The three outputs of the softmax layer are f, g and h: they add up to 1, and ∂g = g − t₂ "
        "is W4_1's printed answer. c is a hidden neuron one layer down; its gradient ∂c, which "
        "the same paragraph computes next, is a different number.",
        "Softmax関数の層の三つの出力は f、g、h であり、合計は 1 になる。∂g = g − t₂ は "
        "W4_1 に記載された答えである。c は一つ下の中間層のニューロンで、同じ段落がこの後で求める"
        "勾配 ∂c は別の値になる。",
    )
    return rows, verdict


def e10(lang: str) -> tuple[list[list[str]], str]:
    from nnref import reference

    ages = [28.0, 30.0, 35.0]
    layer = {"W": [[0.0]], "b": [0.0], "activation": "identity"}
    lr = 0.1
    for _ in range(200):  # full-batch gradient descent on the mean loss
        grads = [reference.gradients([layer], [1.0], [t], "squared_error")[0] for t in ages]
        layer["W"][0][0] -= lr * sum(g["W"][0][0] for g in grads) / len(ages)
        layer["b"][0] -= lr * sum(g["b"][0] for g in grads) / len(ages)
    fitted = reference.forward([layer], [1.0])[0]
    mean = sum(ages) / len(ages)
    _require(abs(fitted - mean) < 1e-9, f"fitted output {fitted!r} vs mean {mean!r}")
    rows = [
        [tr(lang, "teachers (ages)", "教師データ（年齢）"), vec(ages)],
        [tr(lang, "their mean", "その平均"), num(mean)],
        [
            tr(lang, "identity output after 200 steps of gradient descent on ½ Σ (y − t)²",
               "½ Σ (y − t)² で 200 回の勾配降下をした後の線形関数の出力"),
            num(fitted),
        ],
    ]  # fmt: skip
    verdict = tr(
        lang,
        "An identity output trained with squared error learns a number: here the least-squares "
        "value, the mean age. That is regression (回帰). The network computes its output in one "
        "pass from input to output and feeds nothing back, so nothing recursive is involved.",
        "二乗誤差で学習した線形関数の出力は数値を学ぶ。ここでは最小二乗の値、すなわち年齢の平均で"
        "ある。これが回帰である。ネットワークは入力から出力へ一度通るだけで出力を計算し、何も前に"
        "戻さないので、再帰的なものは関係しない。",
    )
    return rows, verdict


ERRATA = {"E7": e7, "E8": e8, "E9": e9, "E10": e10}
