"""The spec-coverage page: every SPEC clause and what checks it, computed at build time.

Sources: the conformance vectors (their ``clauses``), the tests (scanned by
``nnref.conformance.coverage.listing``, which reads test names and pytest ids as
text), ``symbolic``'s derivations (their ``clauses``) and the errata page.

Marker: ``<!-- nnref:coverage_table -->``.
"""

from __future__ import annotations

from nnref_docs import errata
from nnref_docs.fmt import table
from nnref_docs.i18n import tr
from nnref_docs.markers import generator

TITLES = {
    "S1": ("weighted sum minus threshold", "重み付けされた信号の和から閾値を引く"),
    "S2": ("layer u = xW - b", "層 u = xW − b"),
    "S3": ("input layer passes data on", "入力層はそのまま渡す"),
    "S4": ("applicant encoding", "申込者の符号化"),
    "S5": ("step", "ステップ関数"),
    "S6": ("sigmoid, f' = f(1 - f) <= 1/4", "シグモイド、f' = f(1 − f) ≤ 1/4"),
    "S7": ("tanh, f' = 1 - f^2", "tanh、f' = 1 − f²"),
    "S8": ("ReLU, ReLU'(0) = 1", "ReLU、ReLU'(0) = 1"),
    "S9": ("identity output", "線形関数の出力"),
    "S10": ("softmax output", "Softmax関数の出力"),
    "S11": ("why non-linear activations", "非線形な活性化関数が必要な理由"),
    "S12": ("derivatives from the recorded output", "記録した出力から導関数を計算"),
    "S13": ("squared error (halved sum)", "二乗誤差（半分にした和）"),
    "S14": ("cross-entropy (natural log)", "Cross-entropy関数（自然対数）"),
    "S15": ("output error y - t", "出力の誤差 y − t"),
    "S16": ("chain rule: branch", "連鎖律: 分岐"),
    "S17": ("chain rule: add", "連鎖律: 加算"),
    "S18": ("chain rule: multiply", "連鎖律: 乗算"),
    "S19": ("chain rule: function", "連鎖律: 関数"),
    "S20": ("dense backward", "全結合層の逆伝播"),
    "S21": ("vanishing gradient", "勾配消失"),
    "S22": ("SGD", "確率的勾配降下法"),
    "S23": ("Adam", "Adam"),
    "S24": ("Gaussian initialization", "ガウス分布による初期化"),
    "S25": ("Box-Muller", "ボックス=ミューラー法"),
    "S26": ("thresholds start at 0", "閾値の初期値は 0"),
    "S27": ("forward pass, layer by layer", "順伝播、一層ずつ"),
    "S28": ("samples are (input, teacher) pairs", "サンプルは入力と教師データの組"),
    "S29": ("one training step: gradients, then updates", "一回の学習: 勾配の後に更新"),
}


def _short(items: list[str], n: int = 3) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:n])
    return f"{len(items)}: {shown}" + (", ..." if len(items) > n else "") if items else "—"


def rows(lang: str) -> tuple[list[list[str]], list[str]]:
    """Table rows and the clauses nothing checks."""
    from nnref_docs.spec_page import checked_by

    out, uncovered = [], []
    for clause, found in checked_by().items():
        derived = found["derivations"]
        if clause.startswith("E") and errata.has_section(clause, lang):
            derived = [*derived, f"[{tr(lang, 'errata', '正誤表')}](errata.md#{clause.lower()})"]
        if not (found["vectors"] or found["tests"] or derived):
            uncovered.append(clause)
        title = TITLES.get(clause, ("", ""))
        out.append(
            [
                f"**{clause}**",
                tr(lang, *title) if clause in TITLES else "",
                _short(found["vectors"]),
                ", ".join(derived) or "—",
                _short([t.split("::")[-1] for t in found["tests"]], 2),
            ]
        )
    return out, uncovered


@generator("coverage_table")
def coverage_table(lang: str, arg: str | None) -> str:
    body, uncovered = rows(lang)
    header = [
        tr(lang, "clause", "条項"),
        tr(lang, "what", "内容"),
        tr(lang, "vectors", "ベクトル"),
        tr(lang, "derivations", "導出"),
        tr(lang, "tests", "テスト"),
    ]
    summary = tr(
        lang,
        f"{len(body)} clauses; {len(body) - len(uncovered)} are checked by at least one "
        "vector, test or proven derivation",
        f"{len(body)} 条項。そのうち {len(body) - len(uncovered)} 条項が少なくとも一つのベクトル、"
        "テスト、または証明済みの導出で検査されている",
    )
    if uncovered:
        summary += tr(lang, "; unchecked: ", "。未検査: ") + ", ".join(uncovered)
    # md_in_html: the wrapper gives the table the column widths of nnref.css
    return (
        summary
        + '.\n\n<div class="nnref-coverage" markdown>\n\n'
        + table(header, body)
        + "\n\n</div>"
    )
