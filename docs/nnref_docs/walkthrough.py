"""The tutorial walk-through's later chapters, with the tutorial network's numbers.

Every number is computed by the reference while the site is built and shown rounded to five
decimals; every displayed line is a :class:`nnref.symbolic.textbook.Chain` whose exact start
(SymPy's closed form, in powers of e) is checked against the reference's rounded numbers, so a
reference that drifts, or a line that does not hold, fails the build.

Markers: ``<!-- nnref:walk chain -->`` (the four chain-rule patterns, layer by layer),
``<!-- nnref:walk optimizers -->`` (one SGD step and one Adam step),
``<!-- nnref:walk init -->`` (Box-Muller and the fan-in scales),
``<!-- nnref:walk vanishing -->`` (sigmoid's 1/4 and the bound (1/4)^k).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from nnref_docs import lessons
from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import table
from nnref_docs.i18n import tr
from nnref_docs.markers import generator

NAMES = (("x1", "x2", "x3"), ("a", "b"), ("c", "d", "e"), ("f", "g", "h"))
DIGITS = 5


def dec(value: float, digits: int = DIGITS) -> str:
    """A float rounded to ``digits`` decimals, as a literal (negatives in parentheses)."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return f"({text})" if text.startswith("-") else text


def result(value: float, digits: int = DIGITS) -> tuple[str, str]:
    """The last relation and member of a chain: ``= 0`` for an exact zero, else ``≈ decimal``."""
    return ("=", "0") if value == 0 else ("≈", dec(value, digits))


def plain(value: float) -> str:
    """An integer the reference computed (weights, thresholds, ReLU outputs)."""
    if float(value) != int(value):
        raise DocsBuildError(f"expected a whole number, got {value!r}")
    return lessons.literal(int(value))


def tex_names() -> dict[str, str]:
    out = {}
    for layer in range(1, 4):
        for src in NAMES[layer - 1]:
            for dst in NAMES[layer]:
                w = f"w{src}{dst}"
                sub = src.replace("x", "x_") if src.startswith("x") else src
                out[w] = f"w_{{{sub}{dst}}}"
                out[f"dE_d{w}"] = rf"\frac{{\partial E}}{{\partial w_{{{sub}{dst}}}}}"
    for n in "abcdefgh":
        out[f"delta{n}"] = rf"\delta_{n}"
        out[f"u{n}"] = f"u_{n}"
        out[f"dE_db{n}"] = rf"\frac{{\partial E}}{{\partial b_{n}}}"
        out[f"b{n}"] = f"b_{n}"
        out[f"y{n}"] = f"y_{n}"
        out[f"t{n}"] = f"t_{n}"
    return out


@cache
def network() -> dict:
    """The tutorial network: weights, the reference's forward and backward values, and exact
    SymPy values of every output, δ and gradient."""
    from nnref.reference.network import backward_pass, forward_pass, output_delta
    from nnref.symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X

    layers, x, t = TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T
    records = forward_pass(layers, x)
    last = records[-1]
    delta = output_delta("softmax", "cross_entropy", last.u, last.y, t)
    grads = backward_pass(layers, records, delta)
    # exact: the same computation in SymPy (integers in, powers of e out)
    ys = [[sp.Integer(v) for v in x]]
    us = []
    for layer in layers:
        W, b = layer["W"], layer["b"]
        u = [sum(ys[-1][i] * W[i][j] for i in range(len(W))) - b[j] for j in range(len(b))]
        us.append(u)
        if layer["activation"] == "relu":
            ys.append([sp.Max(0, v) for v in u])
        else:
            total = sum(sp.exp(v) for v in u)
            ys.append([sp.exp(v) / total for v in u])
    deltas = [None] * 3
    deltas[2] = [ys[3][j] - t[j] for j in range(3)]
    dy = [None] * 3
    for k in (2, 1):
        W = layers[k]["W"]
        dy[k - 1] = [sum(W[i][j] * deltas[k][j] for j in range(len(deltas[k])))
                     for i in range(len(W))]  # fmt: skip
        deltas[k - 1] = [g * sp.Heaviside(u, 1) for g, u in zip(dy[k - 1], us[k - 1])]
    return {
        "layers": layers, "x": x, "t": t, "records": records, "grads": grads,
        "delta_ref": delta, "ys": ys, "us": us, "deltas": deltas, "dy": dy,
    }  # fmt: skip


def env() -> dict:
    """Exact values of every name a chain uses."""
    net = network()
    out = {}
    for k in range(3):
        for i, src in enumerate(NAMES[k]):
            for j, dst in enumerate(NAMES[k + 1]):
                out[f"w{src}{dst}"] = net["layers"][k]["W"][i][j]
                out[f"dE_dw{src}{dst}"] = net["deltas"][k][j] * net["ys"][k][i]
        for j, dst in enumerate(NAMES[k + 1]):
            out[dst] = net["ys"][k + 1][j]
            out[f"u{dst}"] = net["us"][k][j]
            out[f"b{dst}"] = net["layers"][k]["b"][j]
            out[f"delta{dst}"] = net["deltas"][k][j]
            out[f"dE_db{dst}"] = -net["deltas"][k][j]
            if k < 2:
                out[f"dE_d{dst}"] = net["dy"][k][j]
    for i, src in enumerate(NAMES[0]):
        out[src] = net["x"][i]
    for j, n in enumerate(NAMES[3]):
        out[f"y{n}"], out[f"t{n}"] = net["ys"][3][j], net["t"][j]
    return out


def chain(members, why) -> object:
    from nnref.symbolic.textbook import Chain

    return Chain(tuple(members), why, env(), tex_names())


def _ref(kind: str, layer: int, *index) -> float:
    """A value the reference computed: 'y', 'u' (forward), 'delta', 'W', 'b' (gradients)."""
    net = network()
    if kind in ("y", "u"):
        return getattr(net["records"][layer], kind)[index[0]]
    if kind == "W":
        return net["grads"][layer]["W"][index[0]][index[1]]
    if kind == "b":
        return net["grads"][layer]["b"][index[0]]
    raise KeyError(kind)


def _ref_delta(layer: int, j: int) -> float:
    """δ of neuron j of a layer, from the reference: -∂E/∂b (S20: the threshold is subtracted)."""
    return -_ref("b", layer, j)


def _ref_dy(layer: int, i: int) -> float:
    """∂E/∂(output i of a layer) from the reference: Σ_j W[i][j] δ_j of the layer above."""
    net = network()
    W = net["layers"][layer + 1]["W"]
    return sum(W[i][j] * _ref_delta(layer + 1, j) for j in range(len(W[0])))


def _branch(k: int, why: tuple[str, str]) -> list:
    """Pattern 1 for the neurons of layer ``k`` (``NAMES[k]``): ∂E/∂ of each output is the sum
    of δ times weight over the neurons it feeds (layer ``k`` of the reference's network);
    ``why`` goes on the first row."""
    W = network()["layers"][k]["W"]
    rows = []
    for i, src in enumerate(NAMES[k]):
        symbolic = " + ".join(f"delta{n}*w{src}{n}" for n in NAMES[k + 1])
        numbers = " + ".join(
            f"{dec(_ref_delta(k, j))}*{plain(W[i][j])}" for j in range(len(NAMES[k + 1]))
        )
        rows.append(chain(
            [f"dE_d{src}", "=", symbolic, "≈", numbers, *result(_ref_dy(k - 1, i))],
            why if i == 0 else ("", ""),
        ))  # fmt: skip
    return rows


def _through_relu(k: int, why: tuple[str, str]) -> list:
    """Pattern 4 for the neurons of layer ``k``: δ is ∂E/∂ of the output times ReLU'(u)."""
    rows = []
    for i, src in enumerate(NAMES[k]):
        rows.append(chain(
            [f"delta{src}", "=", f"dE_d{src}*drelu(u{src})", "≈",
             f"{dec(_ref_dy(k - 1, i))}*drelu({plain(_ref('u', k - 1, i))})",
             *result(_ref_delta(k - 1, i))],
            why if i == 0 else ("", ""),
        ))  # fmt: skip
    return rows


def chain_chains() -> list[tuple[str, list]]:
    """(subheading, chains) for the four patterns, from the output layer down."""
    net = network()
    out = []
    f = NAMES[3][0]
    # the output error (S15)
    rows = []
    for j, n in enumerate(NAMES[3]):
        rows.append(chain(
            [f"delta{n}", "=", f"y{n} - t{n}", "≈",
             f"{dec(_ref('y', 2, j))} - {net['t'][j]}", *result(_ref_delta(2, j))],
            ("The output error of softmax with cross-entropy is y − t (S15, E4):",
             "Softmax関数と Cross-entropy関数の出力の誤差は y − t（S15、E4）:")
            if j == 0 else ("", ""),
        ))  # fmt: skip
    out.append(("output", rows))
    # pattern 3 (multiply) and 2 (add) for f
    rows = []
    for i, src in enumerate(NAMES[2]):
        yv = _ref("y", 1, i)
        rows.append(chain(
            [f"dE_dw{src}{f}", "=", f"delta{f}*{src}", "≈", f"{dec(_ref_delta(2, 0))}*{plain(yv)}",
             *result(_ref("W", 2, i, 0))],
            ("Pattern 3, multiplication: in \\(u_f\\) the weight \\(w_{cf}\\) multiplies c, so "
             "its gradient is \\(\\delta_f\\) times c (S18):",
             "パターン3（乗算）: \\(u_f\\) の中で重み \\(w_{cf}\\) は c と掛け合わされるので、"
             "その勾配は \\(\\delta_f\\) と c の積（S18）:") if i == 0 else ("", ""),
        ))  # fmt: skip
    rows.append(chain(
        [f"dE_db{f}", "=", f"-delta{f}", *result(_ref("b", 2, 0))],
        ("Pattern 2, addition: \\(u_f = \\dots - b_f\\) passes its gradient to each term, and the "
         "threshold's term has the sign −1 (S17, S20):",
         "パターン2（加算）: \\(u_f = \\dots - b_f\\) は勾配をそのまま各項に渡す。"
         "閾値の項には符号 −1 が付く（S17、S20）:"),
    ))  # fmt: skip
    out.append(("f", rows))
    # pattern 1 (branch): c, d, e feed f, g and h
    rows = _branch(2, (
        "Pattern 1, branch: c's output goes to f, g and h, so its gradient is the sum of "
        "what comes back along the three edges (S16; the tutorial prints the last term "
        "as ∂h·31, E3):",
        "パターン1（分岐）: c の出力は f、g、h に分かれて伝わるので、その勾配は三本の辺から"
        "戻る勾配の和（S16。チュートリアルは最後の項を ∂h・31 と記載している。E3）:",
    ))  # fmt: skip
    out.append(("branch", rows))
    # pattern 4 (function): through ReLU
    rows = _through_relu(2, (
        "Pattern 4, function: \\(c = \\operatorname{ReLU}(u_c)\\), so the gradient is "
        "multiplied by \\(\\operatorname{ReLU}'(u_c)\\), 1 for \\(u \\ge 0\\) and 0 "
        "below (S19, S8). c's u is −1: nothing passes, and "
        "\\(\\partial E/\\partial c \\ne \\delta_c\\) (E11):",
        "パターン4（関数）: \\(c = \\operatorname{ReLU}(u_c)\\) なので、勾配に "
        "\\(\\operatorname{ReLU}'(u_c)\\) を掛ける。\\(u \\ge 0\\) で 1、それより下で 0"
        "（S19、S8）。c の u は −1 なので何も伝わらず、"
        "\\(\\partial E/\\partial c \\ne \\delta_c\\)（E11）:",
    ))  # fmt: skip
    out.append(("function", rows))
    # the first layer: a and b, the same four patterns once more
    rows = _branch(1, (
        "One layer down, the same patterns: a and b branch into c, d and e (1, 3),",
        "一つ下の層でも同じパターン: a と b は c、d、e に分岐する（1、3）:",
    ))  # fmt: skip
    rows += _through_relu(1, ("then through ReLU (4),", "次に ReLU を通る（4）:"))
    for i, src in enumerate(NAMES[0]):
        rows.append(chain(
            [f"dE_dw{src}a", "=", f"deltaa*{src}", "≈",
             f"{dec(_ref_delta(0, 0))}*{plain(net['x'][i])}", *result(_ref("W", 0, i, 0))],
            ("and the first layer's weights get δ times their input x (3), its thresholds −δ (2):",
             "最初の層の重みの勾配は δ と入力 x の積（3）、閾値の勾配は −δ（2）:")
            if i == 0 else ("", ""),
        ))  # fmt: skip
    rows.append(chain(["dE_dba", "=", "-deltaa", *result(_ref("b", 0, 0))], ("", "")))
    out.append(("first", rows))
    return out


SUBHEADINGS = {
    "output": ("The output layer's error", "出力層の誤差"),
    "f": ("Patterns 3 and 2: the weights and threshold of f", "パターン3と2: f の重みと閾値"),
    "branch": ("Pattern 1: the gradient of c, d and e", "パターン1: c、d、e の勾配"),
    "function": ("Pattern 4: through ReLU", "パターン4: ReLU を通る"),
    "first": ("The first layer", "最初の層"),
}


def _render(chains, lang) -> str:
    from nnref.symbolic.textbook import verify

    for c in chains:
        problems = verify(c)
        if problems:
            raise DocsBuildError("walk-through line does not verify: " + "; ".join(problems))
    return lessons.render(chains, lang)


def _status(count: int, lang: str) -> str:
    return tr(
        lang,
        f"*Verified by SymPy at build time: the {count} relations above, exact values against "
        f"the reference's numbers rounded to {DIGITS} decimals.*",
        f"*ビルド時に SymPy で検証済み: 上の {count} 個の関係式。厳密な値と、参照実装の値を"
        f"小数第 {DIGITS} 位に丸めたものを比べた。*",
    )


def walk_chain(lang: str) -> str:
    out, total = [], 0
    for key, chains in chain_chains():
        out += [f"**{tr(lang, *SUBHEADINGS[key])}**", "", _render(chains, lang), ""]
        total += lessons.count(chains)
    out.append(_status(total, lang))
    return "\n".join(out)


# ------------------------------------------------------------------------- optimizers

LR_SGD = 0.01
LR_ADAM = 0.001


def _flat(layers):
    return [v for layer in layers for row in layer["W"] for v in row] + [
        v for layer in layers for v in layer["b"]
    ]


def walk_optimizers(lang: str) -> str:
    from nnref.reference.network import loss_value
    from nnref.reference.optimizers import adam_step, sgd_step

    net = network()
    w0 = net["layers"][2]["W"][1][0]  # w_df
    g_ref = _ref("W", 2, 1, 0)
    g_exact = env()["dE_dwdf"]
    w_sgd = sgd_step([w0], [g_ref], LR_SGD)[0]
    w_adam, m1, v1 = adam_step([w0], [g_ref], [0.0], [0.0], 1, lr=LR_ADAM)
    e = {"wdf": w0, "dE_dwdf": g_exact, "eta": sp.Rational(str(LR_SGD))}
    from nnref.symbolic.textbook import Chain

    names = tex_names() | {"w_new": "w_{df}'", "m1": "m_1", "v1": "v_1", "m1_hat": r"\hat m_1",
                           "v1_hat": r"\hat v_1", "g": "g"}  # fmt: skip
    sgd = [
        Chain(("w_new", "=", "wdf - eta*dE_dwdf", "≈", f"{plain(w0)} - {LR_SGD}*{dec(g_ref)}",
               "≈", dec(w_sgd)),
              ("SGD moves the weight against its gradient, by the learning rate η times it "
               f"(S22); here w_df, the weight from d into f, with η = {LR_SGD}:",
               "SGD は重みを勾配と逆の向きに、学習率 η 倍だけ動かす（S22）。ここでは d から f への"
               f"重み w_df、η = {LR_SGD}:"),
              e | {"w_new": w0 - e["eta"] * g_exact}, names),
    ]  # fmt: skip
    b1, b2, eta = sp.Rational("0.9"), sp.Rational("0.999"), sp.Rational(str(LR_ADAM))
    m_exact = (1 - b1) * g_exact
    v_exact = (1 - b2) * g_exact**2
    ea = {"g": g_exact, "beta1": b1, "beta2": b2, "eta": eta, "wdf": w0, "m1": m_exact,
          "v1": v_exact, "m1_hat": m_exact / (1 - b1), "v1_hat": v_exact / (1 - b2),
          "epsilon": sp.Rational(1, 10**8)}  # fmt: skip
    ea["w_new"] = w0 - eta * ea["m1_hat"] / (sp.sqrt(ea["v1_hat"]) + ea["epsilon"])
    adam = [
        Chain(("m1", "=", "beta1*0 + (1 - beta1)*g", "=", "(1 - beta1)*g", "≈", dec(m1[0])),
              ("Adam keeps a running mean m of the gradient g, from m₀ = 0 (S23):",
               "Adam は勾配 g の移動平均 m を m₀ = 0 から保つ（S23）:"), ea, names),
        Chain(("v1", "=", "beta2*0 + (1 - beta2)*g**2", "≈", dec(v1[0], 8)),
              ("and a running mean v of g² (E17), from v₀ = 0:",
               "g² の移動平均 v も v₀ = 0 から保つ（E17）:"), ea, names),
        Chain(("m1_hat", "=", "m1/(1 - beta1)", "=", "g"),
              ("Both start at 0 and are biased toward it; dividing by 1 − β^t undoes that, so "
               "after one step m̂ is the gradient itself:",
               "どちらも 0 から始まるので 0 に偏る。1 − β^t で割るとその偏りが消え、1 ステップ目の "
               "m̂ は勾配そのものになる:"), ea, names),
        Chain(("w_new", "=", "wdf - eta*m1_hat/(sqrt(v1_hat) + epsilon)", "≈",
               f"{plain(w0)} - {LR_ADAM}*{dec(g_ref)}/(sqrt({dec(g_ref)}**2) + epsilon)",
               "≈", dec(w_adam[0], 8)),
              ("The step divides m̂ by √v̂ = |g|: the first step has the size η whatever the "
               f"gradient's size (η = {LR_ADAM}, Adam's default; ε = 10⁻⁸ only guards against "
               "dividing by 0):",
               "更新では m̂ を √v̂ = |g| で割る。1 ステップ目の大きさは勾配の大きさによらず η になる"
               f"（η = {LR_ADAM}、Adam の既定値。ε = 10⁻⁸ は 0 で割らないためだけのもの）:"),
              ea, names),
    ]  # fmt: skip
    # the whole network, one step of each: the loss before and after (reference)
    layers = net["layers"]
    grads = net["grads"]
    before = loss_value(layers, net["x"], net["t"], "cross_entropy")

    def stepped(update):
        flat_w, flat_g = _flat(layers), _flat(grads)
        new = update(flat_w, flat_g)
        out, k = [], 0
        for layer in layers:
            rows = []
            for row in layer["W"]:
                rows.append(new[k : k + len(row)])
                k += len(row)
            out.append({"W": rows, "b": None, "activation": layer["activation"]})
        for layer in out:
            n = len(layer["W"][0])
            layer["b"], k = new[k : k + n], k + n
        return loss_value(out, net["x"], net["t"], "cross_entropy")

    after_sgd = stepped(lambda w, g: sgd_step(w, g, LR_SGD))
    after_adam = stepped(lambda w, g: adam_step(w, g, [0.0] * len(w), [0.0] * len(w), 1,
                                                lr=LR_ADAM)[0])  # fmt: skip
    rows = [
        [tr(lang, "before", "更新前"), "—", f"{before:.6f}"],
        ["SGD", f"η = {LR_SGD}", f"{after_sgd:.6f}"],
        ["Adam", f"η = {LR_ADAM}", f"{after_adam:.6f}"],
    ]
    if not after_sgd < before or not after_adam < before:
        raise DocsBuildError("one optimizer step did not lower the tutorial network's loss")
    loss_table = table([tr(lang, "step", "更新"), tr(lang, "learning rate", "学習率"),
                        tr(lang, "loss E", "損失 E")], rows)  # fmt: skip
    parts = [
        f"**{tr(lang, 'One SGD step', 'SGD の 1 ステップ')}**", "", _render(sgd, lang), "",
        f"**{tr(lang, 'One Adam step', 'Adam の 1 ステップ')}**", "", _render(adam, lang), "",
        _status(lessons.count(sgd) + lessons.count(adam), lang), "",
        tr(lang, "Every weight and threshold of the network updated at once, by the reference "
           "(`sgd_step`, `adam_step` on the gradients of chapter 8): both steps lower the loss.",
           "ネットワークのすべての重みと閾値を参照実装（`sgd_step`、`adam_step`、8 章の勾配）で"
           "一度に更新すると、どちらのステップでも損失が下がる。"), "",
        loss_table,
    ]  # fmt: skip
    return "\n".join(parts)


# ---------------------------------------------------------------------- initialization

X_UNIFORM, Y_UNIFORM = 0.3, 0.7


def walk_init(lang: str) -> str:
    from nnref.reference.init import box_muller, weight_scale
    from nnref.symbolic.textbook import Chain

    z = box_muller(X_UNIFORM, Y_UNIFORM)
    e = {"X": sp.Rational(str(X_UNIFORM)), "Y": sp.Rational(str(Y_UNIFORM)), "pi": sp.pi}
    e["z"] = sp.sqrt(-2 * sp.log(e["X"])) * sp.cos(2 * sp.pi * e["Y"])
    chains = [
        Chain(("z", "=", "sqrt(-2*ln(X))*cos(2*pi*Y)", "=",
               f"sqrt(-2*ln({X_UNIFORM}))*cos(2*pi*{Y_UNIFORM})", "≈", dec(z)),
              (f"Box–Muller turns two uniform numbers X, Y in (0, 1) into one standard normal "
               f"number z (mean 0, variance 1; S25). For X = {X_UNIFORM}, Y = {Y_UNIFORM}:",
               f"ボックス=ミューラー法は (0, 1) の一様乱数 X、Y 二つから標準正規分布（平均 0、"
               f"分散 1）に従う数 z を一つ作る（S25）。X = {X_UNIFORM}、Y = {Y_UNIFORM} なら:"),
              e),
    ]  # fmt: skip
    rows = []
    net = network()
    for k, layer in enumerate(net["layers"]):
        n = len(layer["W"])
        act = layer["activation"]
        s = weight_scale(n, act)
        exact = sp.sqrt(sp.Rational(2, n)) if act == "relu" else 1 / sp.sqrt(n)
        formula = "sqrt(2/n)" if act == "relu" else "1/sqrt(n)"
        chains.append(Chain(
            ("s", "=", formula, "=", formula.replace("n", str(n)), "≈", dec(s)),
            (f"Layer {k + 1} ({act}) has n = {n} inputs: its weights are z times s, "
             f"standard deviation s, variance s² (S24, E2):" if k == 0 else
             f"Layer {k + 1} ({act}), n = {n}:",
             f"{k + 1} 層目（{act}）の入力は n = {n} 個。重みは z を s 倍したもので、標準偏差は "
             f"s、分散は s²（S24、E2）:" if k == 0 else f"{k + 1} 層目（{act}）、n = {n}:"),
            {"s": exact, "n": n},
        ))  # fmt: skip
        shown = "√(2/n)" if act == "relu" else "1/√n"
        rows.append([str(k + 1), act, str(n), shown.replace("n", str(n)),
                     f"{s:.5f}", f"{s * s:.5f}"])  # fmt: skip
    head = [tr(lang, "layer", "層"), tr(lang, "activation", "活性化関数"), "n",
            "s", tr(lang, "std s", "標準偏差 s"), tr(lang, "variance s²", "分散 s²")]  # fmt: skip
    return "\n".join([
        _render(chains, lang), "", _status(lessons.count(chains), lang), "",
        table(head, rows),
    ])  # fmt: skip


# ------------------------------------------------------------------------ vanishing


def walk_vanishing(lang: str) -> str:
    from nnref.symbolic.textbook import Chain
    from nnref_docs.figures import vanishing_ratios

    e = {"u": sp.Symbol("u", real=True)}
    chains = [
        Chain(("dsigma(u)", "=", "sigma(u)*(1 - sigma(u))"),
              ("The sigmoid's derivative is written with its own output (S6, S12):",
               "シグモイド関数の導関数はその出力で書ける（S6、S12）:"), e),
        Chain(("1/4 - sigma(u)*(1 - sigma(u))", "=", "(sigma(u) - 1/2)**2", ">=", "0"),
              ("How far it stays below 1/4 is a square, never negative, so σ′ ≤ 1/4, reached "
               "at u = 0 only:",
               "1/4 との差は二乗なので負にならない。よって σ′ ≤ 1/4 で、等号は u = 0 のときだけ:"),
              e),
        Chain(("dsigma(0)", "=", "1/2*(1 - 1/2)", "=", "1/4"),
              ("At u = 0 the bound is reached:", "u = 0 でちょうど上限になる:")),
    ]  # fmt: skip
    ratios = vanishing_ratios()
    k, r = ratios[-1]
    chains.append(Chain(
        ("(1/4)**k", "=", f"(1/4)**{k}", "=", f"1/{4**k}", "≈", f"{0.25**k:.10f}"),
        (f"Pattern 4 multiplies the gradient by σ′ once per sigmoid layer, so through k layers "
         f"(weights 1) it shrinks to at most (1/4)^k (S21); for k = {k}:",
         f"パターン4 でシグモイドの層を一つ通るたびに勾配に σ′ を掛けるので、k 層（重み 1）を通ると"
         f"勾配は高々 (1/4)^k になる（S21）。k = {k} なら:"),
        {"k": k},
    ))  # fmt: skip
    if not r <= 0.25**k:
        raise DocsBuildError(f"the reference's gradient ratio {r} exceeds (1/4)^{k}")
    return "\n".join([_render(chains, lang), "", _status(lessons.count(chains), lang)])


WALKS = {"chain": walk_chain, "optimizers": walk_optimizers, "init": walk_init,
         "vanishing": walk_vanishing}  # fmt: skip


@generator("walk")
def walk(lang: str, arg: str | None) -> str:
    if arg not in WALKS:
        raise DocsBuildError(f"unknown walk-through chapter {arg!r} (known: {', '.join(WALKS)})")
    return WALKS[arg](lang)
