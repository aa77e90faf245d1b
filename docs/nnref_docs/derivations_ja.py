"""The derivations' words in Japanese, and the English ``where`` lines written as math.

``symbolic`` states each derivation's summary, assumptions, notation (``where``)
and step notes in English, in plain text for the terminal. The Japanese pages
take their words from here, keyed by derivation name and then by ``summary``,
``assumeN``, ``whereN`` (N counts from 0) or the step's label. A key that is
missing fails the build (see ``text``): a new derivation needs its Japanese
before the site builds, so no English reaches a Japanese page.
"""

from __future__ import annotations

from nnref_docs.errors import DocsBuildError

#: The ``where`` lines as math, for both languages (the code writes them in plain text).
WHERE_TEX = {
    "y_k = e^{u_k} / sum_j e^{u_j}": r"\(y_k = e^{u_k} / \sum_j e^{u_j}\)",
    "∂v = dE/dv, E the loss": (r"\(\partial v = \partial E / \partial v\)（\(E\) は損失）",),
    "delta_j = dE/du_j": r"\(\delta_j = \partial E / \partial u_j\)",
    "for the hidden step, x_i = f(v_i)": None,
    "z_1 = s(a), z_2 = s(z_1), z_3 = s(z_2): three sigmoid layers": None,
    "R = sqrt(-2 ln X)": r"\(R = \sqrt{-2 \ln X}\)",
    "z0 = R cos(2 pi Y), z1 = R sin(2 pi Y)": r"\(z_0 = R \cos 2\pi Y,\ z_1 = R \sin 2\pi Y\)",
    "∂f, ∂g, ∂h = dE/du of the output neurons f, g, h": None,
}

#: English ``where`` lines that need words around their math.
WHERE_EN = {
    "∂v = dE/dv, E the loss": r"\(\partial v = \partial E / \partial v\), \(E\) the loss",
    "for the hidden step, x_i = f(v_i)": r"for the hidden step, \(x_i = f(v_i)\)",
    "z_1 = s(a), z_2 = s(z_1), z_3 = s(z_2): three sigmoid layers": (
        r"\(z_1 = s(a),\ z_2 = s(z_1),\ z_3 = s(z_2)\): three sigmoid layers"
    ),
    "∂f, ∂g, ∂h = dE/du of the output neurons f, g, h": (
        r"\(\partial f, \partial g, \partial h = \partial E / \partial u\) of the output "
        "neurons f, g, h"
    ),
}

JA: dict[str, dict[str, str]] = {
    "step_not_differentiable": {
        "summary": "0 以外ではステップ関数の微分は 0（信号が伝わらない）で、0 では値が跳ぶ。",
        "assume0": "\\(x\\) は実数",
        "flat+": "\\(x > 0\\) では傾き 0",
        "flat-": "\\(x < 0\\) でも傾き 0: 勾配は伝わらない",
        "left": "左からの極限は 0",
        "right": "右からの極限は 1 = f(0): 値が跳ぶので 0 で微分できない",
    },
    "sigmoid_derivative": {
        "summary": "導関数は記録しておいた出力 \\(f\\) だけで表せる（S12）。",
        "assume0": "\\(x\\) は実数",
        "derivative": "微分して、出力で表す",
        "square": "平方完成する",
        "bound": "実数の二乗は 0 以上なので \\(f' \\le 1/4\\)",
        "at0": "上限は \\(x = 0\\) で達する",
        "only0": "\\((f - 1/2)^2 = 0\\) となるのは \\(f = 1/2\\)、つまり \\(x = 0\\) のときだけ",
        "positive": "E5: すべての実数 \\(x\\) で \\(f(x) > 0\\)",
        "symmetry": "\\(1 - f(x) = f(-x)\\)",
        "below1": "よってすべての実数 \\(x\\) で \\(f(x) < 1\\)",
        "lim-": "0 には近づくが達しない",
        "lim+": "1 にも近づくが達しない: 値域は開区間 \\((0, 1)\\)",
        "from-output": "出力 \\(f\\) から見ても同じ上限",
    },
    "tanh_derivative": {
        "assume0": "\\(x\\) は実数",
        "derivative": "微分して、出力で表す",
        "rescaled": "tanh はシグモイド関数を伸縮したもの",
        "sech": "\\(1 - \\tanh^2 = \\operatorname{sech}^2\\)",
        "positive": "よって導関数は正",
        "at0": "最大値 1 は \\(x = 0\\) でとる",
    },
    "relu_derivative": {
        "summary": "\\(f\\) は 0 で微分できない（左右の傾きが違う）。約束として右側の傾きを使う。",
        "assume0": "\\(x\\) は実数",
        "assume1": "チュートリアルの約束: \\(f'(0) = 1\\)（ライブラリでは 0 が多い）",
        "pieces": "\\(\\max(0, x)\\) を二つの場合に分ける",
        "positive": "\\(x > 0\\) では傾き 1",
        "negative": "\\(x < 0\\) では傾き 0",
        "left": "0 での左側の傾きは 0",
        "right": "0 での右側の傾きは 1: 左右が違うので \\(f'(0)\\) は存在しない",
        "convention": "約束 \\(f'(0) = 1\\) をおいた導関数",
        "product-form": "同じ関数を \\(x \\cdot H(x)\\)（\\(H(0) = 1\\)）と書く",
        "product-at0": "その 0 での微分は \\(H(0) = 1\\) で、約束と一致する",
    },
    "softmax_sum_and_jacobian": {
        "assume0": "Softmax関数（ソフトマックス）に入るロジット \\(u\\)"
        "（重み付けされた信号の和から閾値を引いた値）は実数。"
        "出力 3 個で示す（何個でも同様）",
        "sum": "出力の和は 1",
        "sum-n": "出力が \\(n\\) 個でも同じ: 分母 \\(D\\) は \\(i\\) によらない",
        "sum-n-1": "\\(D\\) はその和そのもの",
        "positive": "各出力は正",
        "jacobian": "\\(\\partial y_i / \\partial u_j = y_i (\\delta_{ij} - y_j)\\)",
    },
    "linear_layers_collapse": {
        "assume0": "両方の層の活性化関数が線形関数（恒等関数）。2 × 2 で示す",
        "collapse": "合成は再び \\(u = xW - b\\) の形",
    },
    "identity_squared_error_delta": {
        "assume0": "出力は線形関数（恒等関数）、\\(y_k = u_k\\)",
        "identity": "線形関数は勾配をそのまま通す",
        "delta": "\\(\\partial E / \\partial u_k = y_k - t_k\\)",
    },
    "softmax_cross_entropy_delta": {
        "summary": "E4: \\(y - t\\) は出力 \\(y\\) ではなく、ロジット \\(u\\)"
        "（Softmax関数に入る、重み付けされた信号の和から閾値を引いた値）についての勾配である。",
        "assume0": "\\(t\\) は one-hot なので \\(\\sum_k t_k = 1\\)",
        "assume1": "自然対数（E1）",
        "general": "Softmax関数を通して微分する（\\(t\\) は任意）",
        "delta": "\\(\\sum t = 1\\) なら \\(\\partial E / \\partial u_k = y_k - t_k\\)",
        "by-output": "E4: 出力についての勾配は \\(\\partial E / \\partial y_k = -t_k / y_k\\)",
    },
    "chain_rule_patterns": {
        "assume0": "\\(L\\) は後に続くもの（ネットワークの残り）の微分可能な任意の関数",
        "branch": "S16 分岐: \\(b = a,\\ c = a\\) なので "
        "\\(\\partial a = \\partial b + \\partial c\\)",
        "add-differential": "S17 加算: \\(c = a + b\\) の全微分は \\(da + db\\)",
        "add-a": "S17 加算: \\(\\partial a = \\partial c\\)",
        "add-b": "S17 加算: \\(\\partial b = \\partial c\\)",
        "mul-differential": "S18 乗算: \\(d(ab) = b\\,da + a\\,db\\)",
        "mul-a": "S18 乗算: \\(\\partial a = \\partial c \\cdot b\\)",
        "mul-b": "S18 乗算: \\(\\partial b = \\partial c \\cdot a\\)",
        "function": "S19 関数: \\(b = f(a)\\) なので \\(\\partial a = \\partial b \\cdot f'(a)\\)",
    },
    "dense_backward": {
        "assume0": "入力 2 個、ニューロン 3 個の層。\\(u = xW - b\\)（閾値は引く）",
        "assume1": "損失 \\(L\\) は \\(u\\) の微分可能な任意の関数",
        "where1": "中間層の段では \\(x_i = f(v_i)\\)",
        "dW": "\\(\\partial E / \\partial w_{ij} = x_i \\delta_j\\)",
        "db": "\\(\\partial E / \\partial b_j = -\\delta_j\\)（閾値は引かれるため）",
        "dx": "\\(\\partial E / \\partial x_i = \\sum_j w_{ij} \\delta_j\\)",
        "hidden": "中間層: その \\(\\delta\\) は \\(dx\\) に \\(f'(v)\\) を掛けたもの（S19）",
    },
    "vanishing_gradient": {
        "assume0": "層の間の重みは 1（重みの掛け算は別に考える）",
        "assume1": "S6: \\(0 < s' \\le 1/4\\)。\\(s' = 1/4 - q\\)（\\(q \\ge 0\\)）と書く",
        "assume2": "帰納法の仮定: \\(k\\) 層の後の係数は \\(P = (1/4)^k - p\\)（\\(p \\ge 0\\)）",
        "where0": "\\(z_1 = s(a),\\ z_2 = s(z_1),\\ z_3 = s(z_2)\\): シグモイドの 3 層",
        "chain": "3 層: 連鎖律で \\(s'\\) が三つ掛かる",
        "induction": "もう 1 層: \\((1/4)^{k+1}\\) との差",
        "bound": "0 以上の項の和なので、\\(k + 1\\) 層でも上限が成り立つ",
    },
    "sgd_step_quadratic": {
        "summary": "\\(\\eta\\) を小さくする理由（チュートリアルでは 0.001 程度）: "
        "大きすぎる一歩は最小値を通り過ぎる。",
        "assume0": "最小値 \\(w^*\\) の近くで損失は \\(E = a (w - w^*)^2 / 2\\)（\\(a > 0\\)）",
        "assume1": "閾値も重みと同じパラメータ: 同じ更新を使う",
        "one-step": "1 回の更新で損失は \\((1 - \\eta a)^2\\) 倍になる",
        "range": "減るのはちょうど \\(0 < \\eta < 2/a\\) のとき",
    },
    "adam_bias_correction": {
        "summary": "補正がなければ最初の数ステップは \\(1 - \\beta^t\\) 倍に縮む"
        "（\\(m_1 = 0.1 g\\)）。補正があれば、\\(g\\) の大きさによらず一歩の大きさは "
        "\\(\\alpha\\) になる。",
        "assume0": "勾配は毎ステップ同じ \\(g\\)",
        "assume1": "\\(m_0 = v_0 = 0\\)",
        "assume2": "\\(0 < \\beta_1, \\beta_2 < 1\\)（0.9 と 0.999）なので "
        "\\(1 - \\beta^t \\ne 0\\)",
        "m-base": "\\(t = 1\\): \\(m_1 = (1 - \\beta_1) g\\)",
        "m-step": "\\(t \\to t + 1\\): 漸化式は閉じた形を保つ（帰納法）",
        "v-base": "\\(t = 1\\): \\(v_1 = (1 - \\beta_2) g^2\\)",
        "v-step": "\\(v\\) についても \\(g^2\\) で同様",
        "m-hat": "補正した 1 次モーメントはちょうど \\(g\\)",
        "v-hat": "補正した 2 次モーメントはちょうど \\(g^2\\)",
        "update": "更新 \\(w \\leftarrow w - \\alpha \\hat m / (\\sqrt{\\hat v} + \\epsilon)\\)",
        "scale-free": "\\(g \\ne 0\\)、\\(\\epsilon \\to 0\\): "
        "\\(g\\) の大きさによらず一歩は \\(\\alpha\\)",
    },
    "init_variance": {
        "summary": "E2: チュートリアルの \\(1/\\sqrt{n}\\) と \\(\\sqrt{2/n}\\) は標準偏差である。",
        "assume0": "\\(z\\) は標準正規分布に従う（S25）",
        "assume1": "\\(n\\) はファンイン（入力の数）、\\(n > 0\\)",
        "mean": "\\(s z \\varphi(z)\\) は奇関数なので \\(s z\\) の平均は 0",
        "variance": "\\(s z\\) の分散は \\(s^2\\)",
        "general": "\\(s = 1/\\sqrt{n}\\) なら分散は \\(1/n\\)",
        "relu": "\\(s = \\sqrt{2/n}\\)（ReLU の前）なら分散は \\(2/n\\)",
    },
    "box_muller": {
        "assume0": "\\(X, Y\\) は独立で \\((0, 1)\\) 上の一様分布。"
        "\\(X \\ne 0\\)（\\(\\ln 0\\) を避ける）",
        "assume1": "\\((X, Y) \\mapsto (z_0, z_1)\\) は、平面から半直線（測度 0）を除いた部分への"
        "一対一の写像",
        "jacobian": "写像のヤコビ行列式",
        "radius": "よって \\(X = \\exp(-(z_0^2 + z_1^2) / 2)\\)",
        "density": "\\((z_0, z_1)\\) の密度 \\(= 1/\\lvert\\det J\\rvert = X / (2\\pi) "
        "= \\varphi(z_0) \\varphi(z_1)\\)",
        "marginal": "\\(\\varphi\\) の積分は 1: \\(z_0\\) だけでも標準正規分布",
        "variance": "分散は 1（平均は対称性から 0）",
    },
    "cross_entropy_log_base": {
        "summary": "nnref は自然対数を実装する。S15（\\(\\delta = y - t\\)）が成り立つのは"
        "自然対数のときである。",
        "assume0": "D_ce: \\(y = \\mathrm{softmax}(3, 0, -1)\\)、\\(t = (0, 1, 0)\\)",
        "exact": "\\(E = -\\ln y_2 = \\ln(e^3 + 1 + e^{-1})\\)",
        "y2": "D_softmax に記載された \\(y_2\\)（四捨五入ではなく切り捨て）",
        "natural": "自然対数による値",
        "printed": "記載された値は、記載された \\(y_2\\) の \\(-\\log_{10}\\)",
        "log10": "（厳密な \\(y_2\\) の \\(-\\log_{10}\\) とは小数第 11 位で違う）",
        "ratio": "二つの読み方の比は \\(\\ln 10\\)",
    },
    "squared_error_halved_sum": {
        "summary": "D_mse は一つのサンプルの二つの出力についての和を半分にしている。"
        "本文によれば式には \\(\\tfrac12\\) があるので、出力についての平均なら 626 になる。"
        "名前の平均は出力についてではない。サンプルについての平均かどうかは、"
        "サンプルが一つ（\\(N = 1\\)）では判断できない。",
        "assume0": "D_mse: \\(y = (28, 500)\\)、\\(t = (30, 550)\\)",
        "halved-sum": "半分にした和: \\((4 + 2500) / 2\\)",
        "only-K2": "平均 \\(S/K\\) が半分にした和 \\(S/2\\) と等しいのは、"
        "出力が \\(K = 2\\) 個のときだけ",
        "halved-mean": "出力についての平均を半分にすると 626 になり、記載された 1252 より小さい",
        "one-sample": "\\(N = 1\\) 個のサンプルについての平均を半分にしても同じ値",
    },
    "chain_step_w31": {
        "assume0": "出力層のニューロン f、g、h が中間層の出力 c、d、e を受け取る",
        "assume1": "\\(w_{k1}\\) は c から出力ニューロン \\(k\\) への重み（チュートリアルの添字）",
        "where0": "\\(\\partial f, \\partial g, \\partial h\\) は出力ニューロン f、g、h の "
        "\\(\\partial E / \\partial u\\)",
        "dc": "乗算（S18）の次に分岐（S16）: 最後の項は \\(\\partial h \\cdot w_{31}\\)",
        "dw31": "\\(\\partial w_{31} = \\partial h \\cdot c\\)",
        "db3": "\\(\\partial b_3 = -\\partial h\\)",
    },
    "tanh_open_range": {
        "summary": "本文の「-1以上1以下」は両端を含むが、\\(-1\\) も 1 も tanh の値にはならない。",
        "assume0": "\\(x\\) は実数",
        "gap+": "\\(1 - \\tanh x = 2 f(-2x)\\)（\\(f\\) はシグモイド関数）",
        "below1": "これは正なので \\(\\tanh x < 1\\)",
        "gap-": "\\(1 + \\tanh x = 2 f(2x)\\)",
        "above-1": "これも正なので \\(\\tanh x > -1\\)",
        "never1": "\\(\\tanh x = 1\\) となる実数 \\(x\\) はない",
        "never-1": "\\(\\tanh x = -1\\) となる実数 \\(x\\) もない",
        "lim+": "1 には近づくが達しない",
        "lim-": "\\(-1\\) にも近づくが達しない",
    },
    "relu_differentiable_off_zero": {
        "summary": "本文は \\(x < 0\\) で ReLU は微分できないとするが、"
        "傾きがないのは \\(x = 0\\) の一点だけである。",
        "assume0": "\\(x\\) は実数",
        "zero-piece": "\\(\\max(0, x)\\) が定数 0 になるのはちょうど \\(x \\le 0\\) のとき",
        "negative": "よって \\(x < 0\\) ではどこでも導関数は 0",
        "at-minus-half": "例えば \\(x = -1/2\\) では、左右どちらからの差分商も極限は 0",
        "at-plus-half": "\\(x = 1/2\\) では極限は 1",
        "left0": "0 での左側の傾きは 0",
        "right0": "右側の傾きは 1: 導関数がないのは \\(x = 0\\) の一点だけ",
    },
    "output_gradients_f_g_h": {
        "summary": "W4_1 に記載された \\(\\partial g\\) は出力 g についての \\(g - t_2\\) である。"
        "中間層の c の勾配はこれとは別で、"
        "\\(\\partial f, \\partial g, \\partial h\\) から計算する。",
        "assume0": "W3_3 の出力層（入力は \\((c, d, e) = (0, 1, 2)\\)）、"
        "W4_1 の教師データ \\(t = (1, 0, 0)\\)",
        "fgh-sum": "Softmax関数の層の出力 f、g、h の和は 1",
        "fch-sum": "\\(f + c + h\\) は 1 にならない: \\(c = 0\\) はこの層の出力ではない",
        "dg": "\\(\\partial g = g - t_2\\) は W4_1 に記載された答え",
        "dc": "\\(\\partial c = \\partial f \\cdot w_{11} + \\partial g \\cdot w_{21} "
        "+ \\partial h \\cdot w_{31}\\)、\\(w = (-1, 2, -2)\\)",
        "dc-value": "中間層の c の勾配",
    },
    "regression_not_recursion": {
        "summary": "本文の「再帰的な問題」は回帰問題のことである: "
        "実数の答えを二乗誤差で当てはめる。"
        "ネットワークは一度の計算で答えを出し、何も再帰しない。",
        "assume0": "実数の出力 \\(y\\) 一つを教師データ \\(t_1, t_2, t_3\\)"
        "（年齢や価格）に当てはめる",
        "gradient": "S15 の出力の誤差 \\(y - t\\) をサンプルについて足したもの",
        "mean": "一つだけ答えるなら、最もよいのは教師データの平均",
        "minimum": "これは最小値: 最小二乗法、つまり回帰",
        "D_mse": "D_mse: 勾配が 0 になるのは、年齢の出力が教師データの 30 に等しいときだけ",
    },
    "worked_weighted_sum": {
        "assume0": "W1_2 の入力は図の中にしかない。答え \\(u = 5\\) をそのまま使う",
        "W1_1": "W1_1: \\(x = (1, -1, 2, -2)\\)、\\(w = (1, 2, -1, -2)\\)、\\(b = 2\\)",
        "W2_1": "W2_1: \\(\\mathrm{step}(-1)\\)",
        "W2_2": "W2_2: \\(\\mathrm{step}(5)\\)",
        "W2_3": "W2_3: \\(\\mathrm{ReLU}(-1)\\)",
        "W2_4": "W2_4: \\(\\mathrm{ReLU}(5)\\)",
    },
    "worked_tutorial_forward": {
        "assume0": "\\(x = (1, 0, 1)\\): 入力層の例の申込者（S4）",
        "assume1": "ReLU、ReLU、Softmax関数",
        "D_hidden": "D_hidden: \\(a = \\max(0, 1) = 1\\)、\\(b = \\max(0, -1) = 0\\)",
        "W3_2": "W3_2: \\(c = \\max(0, -1) = 0\\)、\\(d = 1\\)、\\(e = 2\\)",
        "logits": "W3_3: 出力層のニューロンの重み付けされた信号の和から閾値を引いた値",
        "W3_3": "W3_3: Softmax関数を \\(e\\) のべきで厳密に",
        "W3_3-0": "W3_3: 記載された値 0.11419519938",
        "W3_3-1": "W3_3: 記載された値 0.84379473448",
        "W3_3-2": "W3_3: 記載された値 0.04201006613",
    },
    "worked_softmax_and_output_error": {
        "assume0": "W4_1: \\(y\\) は W3_3 の出力、\\(t = (1, 0, 0)\\)、"
        "\\(\\delta = y - t\\)（S15）",
        "D_softmax": "D_softmax: \\(\\mathrm{softmax}(3, 0, -1)\\) を厳密に",
        "D_softmax-0": "D_softmax: 記載された値 0.93623955187（四捨五入ではなく切り捨て）",
        "D_softmax-1": "D_softmax: 記載された値 0.04661262257（四捨五入ではなく切り捨て）",
        "D_softmax-2": "D_softmax: 記載された値 0.01714782554（四捨五入ではなく切り捨て）",
        "W4_1": "W4_1: 最初の成分 \\(f - 1\\)",
        "W4_1-0": "W4_1: 記載された値 -0.88580480062",
        "W4_1-1": "W4_1: 記載された値 0.84379473448",
        "W4_1-2": "W4_1: 記載された値 0.04201006613",
    },
}


def where_en(line: str) -> str:
    """An English ``where`` line with its math marked up."""
    if line in WHERE_EN:
        return WHERE_EN[line]
    tex = WHERE_TEX.get(line)
    return tex if isinstance(tex, str) else line


def where_ja(name: str, index: int, line: str) -> str:
    """A Japanese ``where`` line: a translation, or the line's math when it is only math."""
    own = JA.get(name, {}).get(f"where{index}")
    if own:
        return own
    tex = WHERE_TEX.get(line)
    if isinstance(tex, tuple):
        return tex[0]
    if isinstance(tex, str):
        return tex
    raise DocsBuildError(
        f"derivation {name!r}: no Japanese for where line {index} ({line!r}); "
        "add it to docs/nnref_docs/derivations_ja.py"
    )


def text(name: str, key: str, english: str) -> str:
    """The Japanese of one piece of derivation ``name``; fails the build when it is missing."""
    found = JA.get(name, {}).get(key)
    if found is None:
        raise DocsBuildError(
            f"derivation {name!r}: no Japanese for {key!r} ({english!r}); "
            "add it to docs/nnref_docs/derivations_ja.py"
        )
    return found
