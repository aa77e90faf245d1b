"""Derivation pages, generated from ``symbolic``'s registry at build time.

One page per registry group (``nnref.symbolic.registry.GROUPS``), in English and
Japanese, written to ``docs/generated/derivations/``. Every derivation is
verified first (``Derivation.verify()``, an exact SymPy proof of every step);
one that does not verify fails the build, naming the step and SymPy's
message. Each step is shown as rendered math (``nnref.symbolic.render.step_latex``:
the derivation's display notation, its substitutions), with its note and the
method that proved it.

Marker: ``<!-- nnref:derivation_index -->`` (the table of every derivation).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from nnref_docs import derivations_ja, texprint
from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import table
from nnref_docs.i18n import LANGS, tr
from nnref_docs.markers import generator
from nnref_docs.paths import GENERATED, write_if_changed

log = logging.getLogger("mkdocs.plugins.nnref_docs")

OUT = GENERATED / "derivations"
NAV_PREFIX = "generated/derivations"

GROUP_TITLES = {
    "activations": ("Activations and their derivatives", "活性化関数とその導関数"),
    "losses": ("Losses and the output error", "損失関数と出力の誤差"),
    "backprop": ("Backpropagation", "誤差逆伝播"),
    "optimizers": ("Optimizers", "最適化手法"),
    "initialization": ("Initialization", "重みの初期化"),
    "errata": ("Errata, proven", "正誤表の証明"),
    "worked": ("Worked examples, exactly", "例題の厳密な計算"),
}


#: Japanese titles of the derivations (the English ones come from the code).
JA_TITLES = {
    "step_not_differentiable": "ステップ関数を通しては学習できない",
    "sigmoid_derivative": "シグモイド: f' = f(1 − f)、最大値 1/4 は 0 でのみ、値域は開区間 (0, 1)",
    "tanh_derivative": "tanh: f' = 1 − f²",
    "relu_derivative": "ReLU: x ≥ 0 で f' = 1（0 での約束）、x < 0 で 0",
    "softmax_sum_and_jacobian": "Softmax関数: 出力の和は 1、ヤコビ行列は diag(y) − y yᵀ",
    "linear_layers_collapse": "非線形性がなければ二つの層は一つの線形層",
    "identity_squared_error_delta": "線形関数の出力＋二乗誤差: δ = y − t",
    "softmax_cross_entropy_delta": "Softmax関数＋Cross-entropy関数（交差エントロピー）: "
    "ロジットについて δ = y − t、"
    "出力について −t/y",
    "chain_rule_patterns": "連鎖律の四つのパターン: 分岐、加算、乗算、関数",
    "dense_backward": "全結合層の逆伝播: dW = xᵀδ、db = −δ、dx = Wδ、中間層の δ = dx · f'",
    "vanishing_gradient": "k 層のシグモイドは勾配を高々 (1/4)ᵏ 倍にする",
    "sgd_step_quadratic": "SGD（w ← w − η ∂E/∂w）が二次の損失を下げるのは、"
    "ちょうど 0 < η < 2/a のとき",
    "adam_bias_correction": "Adam: 勾配 g が一定なら mₜ = (1 − β₁ᵗ) g なので m̂ = g",
    "init_variance": "標準正規分布を s 倍すると分散は s²（標準偏差 1/√n は分散 1/n）",
    "box_muller": "ボックス=ミューラー法: (z0, z1) は 2 次元標準正規分布に従う",
    "cross_entropy_log_base": "D_ce: 記載された 1.33149646163 は log10、自然対数では 3.0658839038",
    "squared_error_halved_sum": "D_mse: E = ½ Σ (y − t)² = 1252 は平均ではなく半分にした和",
    "chain_step_w31": "E3: c の勾配は ∂f·w11 + ∂g·w21 + ∂h·w31（記載は「∂h・31」）",
    "tanh_open_range": "E7: tanh は −1 にも 1 にもならない。値域は開区間 (−1, 1)",
    "relu_differentiable_off_zero": "E8: ReLU は x < 0（傾き 0）と x > 0（傾き 1）で微分可能、"
    "0 でのみ不可",
    "output_gradients_f_g_h": "E9: 出力層のニューロンは f、g、h（「出力f, c, h」は誤植）、"
    "c は中間層",
    "regression_not_recursion": "E10: 線形関数の出力＋二乗誤差は数値を当てはめる（回帰）",
    "worked_weighted_sum": "W1_1: u = −1、W2_*: −1 と 5 のステップ関数と ReLU",
    "worked_tutorial_forward": "チュートリアルのネットワークの順伝播: (a, b) = (1, 0)、"
    "(c, d, e) = (0, 1, 2)、Softmax関数は e で厳密に",
    "worked_softmax_and_output_error": "D_softmax と W4_1: 記載された小数の背後にある厳密な値",
}


#: English titles whose ASCII math (x^T delta, beta1^t) reads better as symbols on a page.
EN_TITLES = {
    "softmax_sum_and_jacobian": "Softmax: outputs sum to 1; Jacobian diag(y) − y yᵀ",
    "dense_backward": "Dense backward: dW = xᵀδ, db = −δ, dx = Wδ; hidden δ = dx · f′",
    "vanishing_gradient": "k sigmoid layers scale a gradient by at most (1/4)ᵏ",
    "sgd_step_quadratic": "SGD, w ← w − η ∂E/∂w, lowers a quadratic loss exactly when 0 < η < 2/a",
    "adam_bias_correction": "Adam: for a constant gradient g, mₜ = (1 − β₁ᵗ) g, so m̂ = g",
    "init_variance": "A standard normal scaled by s has variance s² (std 1/√n is variance 1/n)",
    "sigmoid_derivative": "Sigmoid: f′ = f (1 − f), at most 1/4, reached only at 0; range (0, 1) "
    "open",
    "tanh_derivative": "tanh: f′ = 1 − f²",
    "identity_squared_error_delta": "Identity output + squared error: δ = y − t",
    "softmax_cross_entropy_delta": "Softmax + cross-entropy: δ = y − t for the logits, −t/y for "
    "the outputs",
    "worked_weighted_sum": "W1_1: u = −1; W2_*: step and ReLU of −1 and of 5",
    "squared_error_halved_sum": "D_mse: E = ½ Σ (y − t)² = 1252, a halved sum, not a mean",
}

#: How a step was proved (``nnref.symbolic.prove``'s method names), in words.
METHODS = {
    "as built": ("exactly as built", "そのままで一致"),
    "cancel": ("the difference, over a common denominator, is 0", "差を通分して整理すると 0"),
    "expand": ("the difference expands to 0", "差を展開すると 0"),
    "factor_terms": ("the difference expands to 0", "差を展開すると 0"),
    "simplify": ("the difference simplifies to 0", "差を簡単にすると 0"),
    "assumptions": ("decided by SymPy's assumptions", "SymPy の仮定による判定"),
    "solveset": ("the solution set, computed exactly", "解集合を厳密に計算"),
    "exp form": ("0 once rewritten with exp", "指数関数で書き直すと 0"),
    "piecewise": ("equal piece by piece", "場合ごとに一致"),
}


def title(derivation, lang: str) -> str:
    """The derivation's title in ``lang``."""
    if lang == "ja":
        if derivation.name not in JA_TITLES:
            raise DocsBuildError(
                f"derivation {derivation.name!r} has no Japanese title (derivations.JA_TITLES)"
            )
        return JA_TITLES[derivation.name]
    return EN_TITLES.get(derivation.name, derivation.title)


def _registry():
    try:
        from nnref.symbolic import registry
    except ImportError as exc:
        raise DocsBuildError(
            f"nnref.symbolic.registry is not importable ({exc}): the derivation pages need it"
        ) from exc
    return registry


def groups() -> list[str]:
    """The registry's groups that hold at least one derivation, in registry order."""
    registry = _registry()
    present = {registry.group_of(name) for name in registry.names()}
    return [g for g in registry.GROUPS if g in present]


def nav_entries() -> list[str]:
    """The generated pages, as nav entries (paths relative to docs/)."""
    return [f"{NAV_PREFIX}/{group}.md" for group in groups()]


def group_title(group: str, lang: str) -> str:
    en, ja = GROUP_TITLES.get(group, (group.replace("_", " ").capitalize(),) * 2)
    return tr(lang, en, ja)


@cache
def verified() -> list[tuple]:
    """(derivation, group, result) for every registered derivation; fails on any failed proof."""
    registry = _registry()
    pairs = []
    for name in registry.names():
        try:
            pairs.append((registry.get(name), registry.group_of(name)))
        except Exception as exc:
            raise DocsBuildError(
                f"derivation {name!r} could not be built: {type(exc).__name__}: {exc}"
            ) from exc
    return verify(pairs)


def verify(pairs) -> list[tuple]:
    """Prove every (derivation, group); DocsBuildError naming each step that fails."""
    out, failures = [], []
    for derivation, group in pairs:
        try:
            result = derivation.verify()
        except Exception as exc:
            raise DocsBuildError(
                f"derivation {derivation.name!r} raised while being verified: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        for step in result.failures():
            failures.append(f"{derivation.name} step {step.index} ({step.label}): {step.message}")
        out.append((derivation, group, result))
    if failures:
        raise DocsBuildError("derivations that do not verify: " + "; ".join(failures))
    return out


#: A display formula wider than this (in visible characters) is stacked: lhs, then "= rhs".
WIDE = 56
_COMMANDS = re.compile(r"\\(?:left|right|begin\{matrix\}|end\{matrix\}|[a-zA-Z]+)|[{}^_&]")


def _width(tex: str) -> int:
    """A rough width of a LaTeX formula: its characters less commands and braces."""
    return len(_COMMANDS.sub("", tex).replace(" ", ""))


@dataclass(frozen=True)
class Parts:
    """A step's LaTeX in pieces, printed by the site's printer (``texprint``)."""

    lhs: str
    relation: str
    rhs: str
    given: tuple[str, ...]
    entries: tuple[tuple[int, int, str, str], ...] = ()


def step_parts(step, derivation) -> Parts:
    """One step as LaTeX pieces: display notation substituted, the tutorial's notation."""
    import sympy as sp

    from nnref.symbolic.render import LATEX_RELATIONS, display_form, symbol_names

    def shown(obj):
        return display_form(obj, derivation)

    lhs, rhs = shown(step.lhs), shown(step.rhs)
    given = [(shown(a), shown(b)) for a, b in step.given]
    names = symbol_names(lhs, rhs, *(x for pair in given for x in pair))
    entries = ()
    both = isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase)
    if both and lhs.shape == rhs.shape and len(lhs) > 1:
        entries = tuple(
            (i + 1, j + 1, texprint.latex(lhs[i, j], names), texprint.latex(rhs[i, j], names))
            for i in range(lhs.rows)
            for j in range(lhs.cols)
        )
    return Parts(
        lhs=texprint.latex(lhs, names),
        relation=LATEX_RELATIONS[step.relation],
        rhs=texprint.latex(rhs, names),
        given=tuple(f"{texprint.latex(a, names)} = {texprint.latex(b, names)}" for a, b in given),
        entries=entries,
    )


def restates(step, derivation) -> bool:
    """A step that only restates itself on the page (``ln(10) = ln(10)``, ``1252 = 1252``).

    It is still proven (it checks the expression it was built from), but SymPy evaluated that
    expression while building it, so the page would show a tautology: it is not shown.
    """
    p = step_parts(step, derivation)
    return p.relation == "=" and not p.given and p.lhs.replace(" ", "") == p.rhs.replace(" ", "")


def _math(step, derivation) -> str:
    """A step's display math, stacked so that it fits a page's column.

    A matrix equation is shown entry by entry; a long equation as the left side
    on one line and the relation with the right side on the next.
    """
    p = step_parts(step, derivation)
    wide = _width(p.lhs) + _width(p.rhs) > WIDE
    if p.entries and wide:
        column = all(j == 1 for _, j, _, _ in p.entries)
        lines = []
        for i, j, lhs, rhs in p.entries:
            label = f"({i})" if column else f"({i},{j})"
            if _width(lhs) + _width(rhs) > WIDE:
                lines += [f"{label}\\colon\\ & {lhs}", f"& {p.relation} {rhs}"]
            else:
                lines.append(f"{label}\\colon\\ & {lhs} {p.relation} {rhs}")
        return "\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}"
    if wide:
        return f"\\begin{{aligned}} & {p.lhs} \\\\ & {p.relation} {p.rhs} \\end{{aligned}}"
    return f"{p.lhs} {p.relation} {p.rhs}"


def _words(derivation, key: str, english: str, lang: str) -> str:
    return derivations_ja.text(derivation.name, key, english) if lang == "ja" else english


#: (derivation, step label) -> the chain-rule figure drawn before that step (network_svg)
CHAIN_FIGURES = {
    ("chain_rule_patterns", "branch"): "branch",
    ("chain_rule_patterns", "add-differential"): "add",
    ("chain_rule_patterns", "mul-differential"): "multiply",
    ("chain_rule_patterns", "function"): "function",
}


def _step(derivation, step, outcome, lang: str) -> str:
    """A step: its note, its math (stacked to fit) and what it was given."""
    from nnref_docs.network_svg import chain_figure

    note = _words(derivation, step.label, step.note, lang) if step.note else ""
    parts = [f"**{note}**" if note else "", ""]
    pattern = CHAIN_FIGURES.get((derivation.name, step.label))
    if pattern:
        parts += [chain_figure(pattern, lang, "../"), ""]
    parts += [f"\\[ {_math(step, derivation)} \\]", ""]
    given = step_parts(step, derivation).given
    if given:
        subs = (
            "、".join(f"\\({g}\\)" for g in given)
            if lang == "ja"
            else ", ".join(f"\\({g}\\)" for g in given)
        )
        parts += [tr(lang, f"Given {subs}.", f"ただし {subs}。"), ""]
    return "\n".join(parts).rstrip("\n")


def status_line(derivation, result, lang: str, shown: int, equalities: int = 0) -> str:
    """The one line under a derivation that says what SymPy verified in this build."""
    if not result.ok:
        return tr(lang, "**Not verified.**", "**検証できなかった。**")
    n = len(result.steps)
    methods = []
    for step in result.steps:
        en, ja = METHODS.get(step.method, (step.method, step.method))
        word = tr(lang, en, ja)
        if word not in methods:
            methods.append(word)
    hidden = n - shown if not equalities else 0
    how = ("; " if lang == "en" else "、").join(methods)
    extra_en = f" ({hidden} of them only restate a number and are not shown)" if hidden else ""
    extra_ja = f"（そのうち {hidden} ステップは数を言い直すだけなので表示しない）" if hidden else ""
    if equalities:
        return tr(
            lang,
            f"*Verified by SymPy at build time: the {equalities} relations written out above, "
            f"and all {n} steps of `{derivation.name}` (`nnref derive {derivation.name}`), "
            f"exactly.*",
            f"*ビルド時に SymPy で検証済み: 上に書き下した {equalities} 個の関係式と、"
            f"`{derivation.name}` の {n} ステップすべて（`nnref derive {derivation.name}`）を"
            f"厳密に。*",
        )
    return tr(
        lang,
        f"*Verified by SymPy at build time: all {n} steps of `{derivation.name}`{extra_en}, "
        f"exactly ({how}).*",
        f"*ビルド時に SymPy で検証済み: `{derivation.name}` の {n} ステップすべて{extra_ja}を"
        f"厳密に（{how}）。*",
    )


def render_derivation(derivation, result, lang: str) -> str:
    from nnref_docs import lessons

    out = [
        f"## {title(derivation, lang)} {{#{derivation.name}}}",
        "",
        f"`{derivation.id}` · {tr(lang, 'clauses', '条項')}: " + ", ".join(derivation.clauses),
        "",
    ]
    if derivation.summary:
        out += [_words(derivation, "summary", derivation.summary, lang), ""]
    if derivation.assumptions:
        out += [f"**{tr(lang, 'Assumptions', '仮定')}**", ""]
        out += [
            f"- {_words(derivation, f'assume{k}', a, lang)}"
            for k, a in enumerate(derivation.assumptions)
        ] + [""]
    if derivation.where:
        out += [f"**{tr(lang, 'Notation', '記法')}**", ""]
        for k, w in enumerate(derivation.where):
            shown = derivations_ja.where_ja(derivation.name, k, w) if lang == "ja" else None
            out.append(f"- {shown or derivations_ja.where_en(w)}")
        out.append("")
    lesson = lessons.lesson(derivation.name)
    if lesson is not None:
        out += [lessons.render(lesson, lang), ""]
        out += [status_line(derivation, result, lang, 0, lessons.count(lesson)), ""]
        return "\n".join(out)
    out += [f"**{tr(lang, 'Steps', 'ステップ')}**", ""]
    shown = 0
    for step, outcome in zip(derivation.steps, result.steps, strict=True):
        if restates(step, derivation):
            continue
        shown += 1
        body = _step(derivation, step, outcome, lang).replace("\n", "\n    ")
        out += [f"{shown}. {body}", ""]
    out += [status_line(derivation, result, lang, shown), ""]
    return "\n".join(out)


def render_group(group: str, lang: str) -> str:
    entries = [(d, r) for d, g, r in verified() if g == group]
    intro = tr(
        lang,
        "Generated at build time from `symbolic`'s registry. Every equality shown is "
        "verified exactly by SymPy during this build; one that does not verify fails the "
        "build. The step function is written step(u), with step(0) = 1 (S5); ∂E/∂w is a "
        "partial derivative. Reproduce with `nnref derive NAME`.",
        "このページはビルド時に `symbolic` のレジストリから生成される。表示した等式はすべて"
        "このビルド中に SymPy で厳密に検証した。検証できない等式があればビルドは失敗する。"
        "ステップ関数は step(u) と書き、step(0) = 1 とする（S5）。∂E/∂w は偏微分である。"
        "`nnref derive 名前` で再現できる。",
    )
    out = [f"# {group_title(group, lang)}", "", intro, ""]
    for derivation, result in entries:
        out += [render_derivation(derivation, result, lang), ""]
    return "\n".join(out)


def write_pages() -> int:
    """Write every group page in both languages; return the number of derivations."""
    for group in groups():
        for lang in LANGS:
            suffix = "" if lang == "en" else f".{lang}"
            write_if_changed(OUT / f"{group}{suffix}.md", render_group(group, lang))
    return len(verified())


@generator("derivation_index")
def derivation_index(lang: str, arg: str | None) -> str:
    rows = []
    for derivation, group, result in verified():
        link = f"[{title(derivation, lang)}](generated/derivations/{group}.md#{derivation.name})"
        rows.append(
            [
                link,
                ", ".join(derivation.clauses),
                group_title(group, lang),
                f"{sum(s.ok for s in result.steps)}/{len(result.steps)}",
                f"{result.seconds:.2f}",
            ]
        )
    header = [
        tr(lang, "derivation", "導出"),
        tr(lang, "clauses", "条項"),
        tr(lang, "group", "グループ"),
        tr(lang, "steps proved", "証明済みステップ"),
        tr(lang, "seconds", "秒"),
    ]
    total = sum(r.seconds for _, _, r in verified())
    note = tr(
        lang,
        f"{len(rows)} derivations, all proven during this build in {total:.1f} s.",
        f"{len(rows)} 個の導出。すべてこのビルド中に {total:.1f} 秒で証明された。",
    )
    return note + "\n\n" + table(header, rows)


@generator("derive_cli")
def derive_cli(lang: str, arg: str | None) -> str:
    """The output of ``nnref derive ARG``, run in-process while the page is built."""
    import contextlib
    import io

    from nnref.conformance.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(["derive", arg or ""])
    if status != 0:
        raise DocsBuildError(f"`nnref derive {arg}` exited {status}: {out.getvalue()[:200]}")
    text = out.getvalue().rstrip("\n")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("status:"))
    return f"```text\n$ nnref derive {arg}\n{text}\n```"
