"""The Japanese API page: every module and every function or class links to its English
anchor (the docstrings are English; mkdocstrings renders them once, on the English page).

The anchors are the ones the English page really has: the hooks record every heading id of
each English page as it is built (``anchors.ENGLISH``), and the i18n plugin builds English
first. A module listed here that the English page does not document fails the build.

Marker: ``<!-- nnref:api_links SECTION -->`` (``reference``, ``symbolic``, ``conformance``).
"""

from __future__ import annotations

from nnref_docs import anchors
from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import table
from nnref_docs.markers import generator

ROLES_JA = {
    "reference.layer": "全結合層: 重み付けされた信号の和から閾値を引いた値 "
    "\\(u = xW - b\\) とその逆伝播",
    "reference.activations": "活性化関数（ステップ関数、シグモイド関数、tanh、ReLU、線形関数、"
    "Softmax関数）と、それぞれの導関数",
    "reference.losses": "二乗誤差と Cross-entropy関数（自然対数）、出力の誤差",
    "reference.network": "順伝播と誤差逆伝播（一つのサンプルの勾配とバッチの勾配）",
    "reference.optimizers": "SGD と Adam",
    "reference.init": "ボックス=ミューラー法による重みの初期化",
    "reference.serialize": "学習したネットワークの JSON での保存と読み込み",
    "symbolic.core": "導出（ステップの列）と、SymPy による各ステップの厳密な証明",
    "symbolic.registry": "すべての導出の一覧と、仕様の条項による検索",
    "symbolic.gradients": "小さなネットワーク全体の厳密な勾配",
    "conformance.isolation.loader": "テストベクトルの読み込みと検証",
    "conformance.check.pipeline": "`nnref check` の本体: ベクトルと性質の検査を実装に対して"
    "実行する",
    "conformance.finitediff": "勾配チェッカー: 中心差分と比べ、食い違う成分を名指しする",
}


def _link(anchor: str, text: str) -> str:
    # raw HTML: the i18n plugin would point api.md at this (Japanese) page
    return f'<a href="../api.html#{anchor}"><code>{text}</code></a>'


@generator("api_links")
def api_links(lang: str, arg: str | None) -> str:
    ids = anchors.ENGLISH.get("api")
    if not ids:
        raise DocsBuildError("the English API page must be built before the Japanese one")
    known = {i for _, i in ids}
    rows = []
    for module, role in ROLES_JA.items():
        if not module.startswith(f"{arg}."):
            continue
        if module not in known:
            raise DocsBuildError(f"the English API page has no anchor #{module}")
        members = [
            i
            for _, i in ids
            if i.startswith(f"{module}.") and i.count(".") == module.count(".") + 1
        ]
        links = "、".join(_link(m, m.rsplit(".", 1)[1]) for m in members)
        rows.append([_link(module, f"nnref.{module}"), role, links or "—"])
    if not rows:
        raise DocsBuildError(f"no module of {arg!r} in api_page.ROLES_JA")
    return (
        '<div class="nnref-api" markdown>\n\n'
        + table(["モジュール", "役割", "関数とクラス"], rows)
        + "\n\n</div>"
    )
