"""The variants page: the catalogue run through the vectors, and the declarable conventions.

Computed at build time from ``nnref.conformance.variants`` (the same matrix as
``nnref variants``) and ``nnref.conformance.variants.conventions`` (``nnref conventions``).
The catalogue's one-line titles are English; the Japanese page uses ``JA``,
and a variant missing there fails the build.

Markers: ``<!-- nnref:variants_table -->``, ``<!-- nnref:conventions_table -->``.
"""

from __future__ import annotations

from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import table
from nnref_docs.i18n import tr
from nnref_docs.markers import generator

JA = {
    "threshold=added": "閾値を足す（u = xW + b、バイアスとして）",
    "weight_layout=out_in": "W を (出力, 入力) の形で読む（torch.nn.Linear と同じ）",
    "relu_grad_at_zero=0": "ReLU'(0) を 1 ではなく 0 にする",
    "relu_grad_at_zero=0.5": "ReLU'(0) を 1 ではなく 1/2 にする（maximum(u, 0) の自動微分）",
    "squared_error=mean": "二乗誤差を半分にした和ではなく平均にする",
    "squared_error=sum": "二乗誤差に 1/2 を掛けない",
    "squared_error=half_mean": "二乗誤差を平均の半分にする",
    "adam=efficient": "Adam の効率的な形（ε̂ を √v に足す）",
    "threshold_ignored": "閾値を使わない（u = xW）、閾値の勾配もない",
    "db_sign": "u = xW − b なのに閾値の勾配を db = +δ にする",
    "dW_transposed": "dW を転置して返す（δ xᵀ、ニューロンごとに一行）",
    "gradients_negated": "勾配の符号を反転して返す（dE/dw ではなく降下方向）",
    "sigmoid_grad_of_u": "シグモイドの導関数 y(1 − y) を y ではなく u から計算する",
    "sigmoid_grad_of_f_y": "シグモイドの導関数を f'(y) として計算する（シグモイドを二度かける）",
    "tanh_grad_of_u": "tanh の導関数 1 − y² を y ではなく u から計算する",
    "tanh_grad_of_f_y": "tanh の導関数を f'(y) として計算する（tanh を二度かける）",
    "tanh_grad_of_delta": (
        "tanh の微分 1 − y² を出力ではなく逆伝播してきた勾配から計算する（チュートリアルのコード）"
    ),
    "softmax_grad_diagonal": "Softmax関数の逆伝播でヤコビ行列の対角 y(1 − y) だけを使う",
    "output_delta_y_minus_t": "どの活性化関数と損失でも出力の誤差を y − t にする",
    "output_delta_dE_dy": "出力の誤差を dE/dy にする（出力層の活性化関数の導関数を掛けない）",
    "step_at_zero_0": "step(0) = 0 にする（u ≥ 0 ではなく u > 0）",
    "softmax_no_shift": "max(u) を引かずに Softmax関数を計算する（inf や nan になる）",
    "cross_entropy_log10": "Cross-entropy関数に log10 を使う（D_ce に印刷された値、E1）",
    "cross_entropy_mean": "Cross-entropy関数を出力について和ではなく平均する",
    "sgd_plus": "SGD で勾配を足す（w + ηg）",
    "adam_bias_one_minus_beta": "バイアス補正を 1 − β^t ではなく 1 − β で割る",
    "adam_no_bias_correction": "バイアス補正をしない（m と v をそのまま使う）",
    "adam_t_plus_1": "バイアス補正に t + 1 を使う（ステップ数を二重に数える）",
    "adam_bias_twice": "バイアス補正を二重にかける（ステップ幅と m̂, v̂ の両方）",
    "adam_eps_inside_sqrt": "ε を平方根の中に入れる: √(v̂ + ε)",
    "adam_eps_1e-7": "ε の既定値を 1e-8 ではなく 1e-7 にする（Keras と同じ）",
    "adam_zero_grad_skipped": (
        "勾配が 0 の重みは更新を飛ばす（その重みの m、v、w が変わらない。チュートリアルのコード）"
    ),
    "box_muller_ln_of_y": (
        "ボックス=ミューラー法で対数をとる一様乱数を取り違える: √(−2 ln y) cos(2πx)"
    ),
    "cross_entropy_binary": "多クラスの Cross-entropy関数の代わりに二値の Cross-entropy関数を使う",
    "cross_entropy_binary_mean": (
        "二値の Cross-entropy関数を出力について平均する（Keras や torch.nn.BCELoss の既定）"
    ),
    "cross_entropy_of_logits": (
        "Cross-entropy関数が y に自分で Softmax関数を適用する"
        "（torch.nn.functional.cross_entropy はロジットを受け取る）。"
        "確率を渡すと Softmax関数が二重にかかる"
    ),
    "sigmoid_grad_of_delta": (
        "シグモイドの導関数 y(1 − y) を y ではなく逆伝播してきた勾配から計算する"
    ),
    "relu_grad_always_1": (
        "ReLU の導関数を y ≥ 0 で判定する（どの出力も満たすので、すべてのユニットが勾配を通す）"
    ),
    "relu_grad_is_relu": "ReLU そのものを導関数として使う（勾配に y = max(0, u) を掛ける）",
    "hidden_delta_no_derivative": (
        "隠れ層の δ で活性化関数の導関数を掛けない（δ = W δ_次、f'(u) なし）"
    ),
    "output_delta_se_form": (
        "どの損失でも出力の誤差を (y − t) f'(u) にする（二乗誤差の式を Cross-entropy関数にも使う）"
    ),
    "dW_from_u_below": "dW で δ に下の層の出力 f(u) ではなく u を掛ける",
    "sigmoid_negated_exponent": "シグモイドを 1 / (1 + e^u) と書く（指数の符号が抜ける）",
    "tanh_from_exp": (
        "tanh を (e^u − e^−u) / (e^u + e^−u) と書く（|u| が約 710 を超えると inf / inf = nan）"
    ),
    "softmax_shift_numerator_only": (
        "Softmax関数で max(u) を分子からだけ引く: e^(u_i − max u) / Σ e^(u_j)"
    ),
    "cross_entropy_log2": "Cross-entropy関数に自然対数ではなく log2 を使う",
    "cross_entropy_no_minus": "Cross-entropy関数の負号を落とす: E = Σ t ln y（正にならない）",
    "cross_entropy_0log0_nan": (
        "Cross-entropy関数をすべてのクラスについて −Σ t ln y で計算する"
        "（t = 0 で y が 0 にアンダーフローすると 0 ln 0 = NaN、自動微分の勾配も 0/0 = NaN）"
    ),
    "adam_v_of_g": "Adam の二次モーメントに g² ではなく g を積算する",
    "adam_no_sqrt": "Adam で平方根をとらずに v̂ + ε で割る",
    "adam_betas_swapped": "Adam のモーメントで β を取り違える（m に β₂、v に β₁）",
    "cross_entropy_renormalised": (
        "y を和が 1 になるよう割ってから Cross-entropy関数を計算する"
        "（Keras の categorical_crossentropy"
        "、ln y を渡した optax の softmax_cross_entropy）"
    ),
    "cross_entropy_clipped_1e-7": (
        "y を [1e-7, 1 − 1e-7] に切り詰めてから Cross-entropy関数を計算し"
        "、範囲外の勾配は 0（Keras の epsilon）"
    ),
    "cross_entropy_clipped_eps64": (
        "y を float64 の機械イプシロン 2.2e-16 で [eps, 1 − eps] に切り詰め、範囲外の勾配は 0"
        "（scikit-learn の log_loss）"
    ),
    "box_muller_ln_of_one_minus_x": (
        "ボックス=ミューラー法で ln(1 − x) を使う（CPython の random.gauss と同じ）"
    ),
    "box_muller_sin": "ボックス=ミューラー法のもう一方の出力（cos ではなく sin）",
    "forward_returns_logits": "forward が出力層の活性化関数を通さず u（ロジット）を返す",
}

KIND_JA = {"convention": "規約", "mistake": "誤り", "different-function": "別の関数"}

CONVENTIONS_JA = {
    "threshold": (
        "閾値を引く u = xW − b（チュートリアル、S1）",
        "閾値を足す u = xW + b（多くのライブラリのバイアス）",
    ),
    "weight_layout": (
        "W[i][j] は入力 i からニューロン j への重み、入力ごとに一行（S2）",
        "W[j][i]、ニューロンごとに一行（torch.nn.Linear と同じ、W と dW の両方）",
    ),
    "relu_grad_at_zero": (
        "ReLU'(0) = 1（チュートリアル、S8）",
        "ReLU'(0) = 0（多くのライブラリ）",
        "ReLU'(0) = 1/2（maximum(u, 0) の自動微分が同値で返す値。jax.numpy.maximum、"
        "torch.maximum）。[0, 1] の任意の数を宣言できる",
    ),
    "squared_error": (
        "E = ½ Σ (y − t)²（チュートリアル、S13、E6）",
        "E = (y − t)² の平均（torch.nn.MSELoss と同じ）",
        "E = Σ (y − t)²",
        "E = (y − t)² の平均の半分",
    ),
    "adam": (
        "Kingma と Ba のアルゴリズム 1: ε を √v̂ に足す（S23）",
        "論文の効率的な形: ステップ幅 η√(1 − β₂^t)/(1 − β₁^t)、ε̂ を √v に足す",
    ),
    "input_type": (
        "Python の浮動小数点数のリスト",
        "numpy 配列（W は二次元配列）",
        "torch のテンソル",
    ),
    "precision": (
        "float64 の演算: ベクトルの許容誤差",
        "float32 の演算: float32 の機械イプシロンと各ケースの大きさから決めた許容誤差",
    ),
}


def _matrix():
    try:
        from nnref.conformance.check.matrix import matrix
    except ImportError as exc:
        raise DocsBuildError(f"nnref.conformance.variants is not importable: {exc}") from exc
    return matrix()


@generator("variants_table")
def variants_table(lang: str, arg: str | None) -> str:
    rows = _matrix()
    missing = [r.variant.id for r in rows if r.variant.id not in JA]
    if missing:
        raise DocsBuildError(f"no Japanese title for variants: {', '.join(missing)}")
    body = [
        [
            f"`{r.variant.id}`",
            tr(lang, r.variant.kind, KIND_JA[r.variant.kind]),
            r.variant.clause,
            tr(lang, r.variant.title, JA[r.variant.id]),
            str(r.killed_by),
            tr(lang, "yes" if r.named else "**no**", "はい" if r.named else "**いいえ**"),
        ]
        for r in rows
    ]
    header = [
        tr(lang, "variant", "変種"),
        tr(lang, "kind", "種類"),
        tr(lang, "clause", "条項"),
        tr(lang, "what it computes", "計算する内容"),
        tr(lang, "cases that kill it", "検出するケース数"),
        tr(lang, "named by diagnosis", "診断で名指し"),
    ]
    killed = sum(1 for r in rows if r.killed_by)
    named = sum(1 for r in rows if r.named)
    summary = tr(
        lang,
        f"{len(rows)} variants; {killed} are failed by the vectors and {named} are named "
        "by diagnosis from their own answers.",
        f"{len(rows)} 個の変種のうち、{killed} 個がベクトルで不合格になり、"
        f"{named} 個が自身の出力から診断で名指しされる。",
    )
    # In a div of its own: fixed column widths, long ids break only where they must.
    framed = '<div class="nnref-variants" markdown>\n\n' + table(header, body) + "\n\n</div>"
    return summary + "\n\n" + framed


@generator("conventions_table")
def conventions_table(lang: str, arg: str | None) -> str:
    from nnref.conformance.variants.conventions import REGISTRY

    body = []
    for name, c in REGISTRY.items():
        meanings = CONVENTIONS_JA[name] if lang == "ja" else c.meanings
        for i, (value, meaning) in enumerate(zip(c.values, meanings)):
            tutorial = tr(lang, "the tutorial's", "チュートリアル") if i == 0 else ""
            body.append([f"`{name}={value}`", meaning, tutorial])
    header = [tr(lang, "convention", "規約"), tr(lang, "meaning", "意味"), ""]
    return table(header, body)
