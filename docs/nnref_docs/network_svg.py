"""The tutorial's 3-2-3-3 network and the four chain-rule patterns, drawn as SVG at build time.

Every number on the network comes from ``reference`` during the build: the
weights and thresholds of ``nnref.reference.tutorial``, the forward values u and y of
``forward_pass``, and the gradients of ``gradients`` (cross-entropy, the
tutorial's teacher). The SVG is written by hand here (a few shapes and texts),
one file per figure and language, to ``docs/generated/figures/``.

Markers: ``<!-- nnref:network_figure forward -->`` and ``... backward`` (the
tutorial page); the chain-rule figures are placed by ``derivations`` beside the
steps of ``chain_rule_patterns`` (``CHAIN_FIGURES``).
"""

from __future__ import annotations

from html import escape

from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import GENERATED, write_if_changed

OUT = GENERATED / "figures"
FONT = "Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
NAMES = (("x₁", "x₂", "x₃"), ("a", "b"), ("c", "d", "e"), ("f", "g", "h"))
COLUMNS = (60, 275, 495, 705)
WIDTH, HEIGHT, RADIUS = 770, 520, 24
LAYER_TITLES = (("input layer", "入力層"), ("hidden layer", "中間層"),
                ("hidden layer", "中間層"), ("output layer", "出力層"))  # fmt: skip


def fmt(value: float) -> str:
    """Four significant digits, a true minus sign, integers without a point."""
    text = str(int(value)) if value == int(value) and abs(value) < 1e6 else f"{value:.4g}"
    return text.replace("-", "−")


def _text(x, y, s, size=13, anchor="middle", weight="normal", fill="#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" stroke="white" stroke-width="3" '
        f'paint-order="stroke">{escape(s)}</text>'
    )


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
            f"<title>{escape(title)}</title>",
            '<rect width="100%" height="100%" fill="white"/>',
            *body,
            "</svg>",
        ]
    )


def _positions() -> list[list[tuple[float, float]]]:
    out = []
    for column, names in zip(COLUMNS, NAMES, strict=True):
        step = 150
        top = HEIGHT / 2 + 10 - step * (len(names) - 1) / 2
        out.append([(column, top + step * i) for i in range(len(names))])
    return out


def _computed():
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X, gradients
    from nnref.reference.network import forward_pass

    records = forward_pass(TUTORIAL_LAYERS, TUTORIAL_X)
    grads = gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    return TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, records, grads


def network(kind: str, lang: str) -> str:
    """The network as SVG: ``forward`` (weights, thresholds, u, y) or ``backward`` (gradients)."""
    layers, x, t, records, grads = _computed()
    pos = _positions()
    body = []
    for k, (en, ja) in enumerate(LAYER_TITLES):
        body.append(_text(COLUMNS[k], 28, tr(lang, en, ja), size=17, weight="bold"))
    for k, layer in enumerate(layers):
        for i, src in enumerate(pos[k]):
            for j, dst in enumerate(pos[k + 1]):
                value = layer["W"][i][j] if kind == "forward" else grads[k]["W"][i][j]
                body.append(_edge(src, dst, value, kind, i))
    for k, column in enumerate(pos):
        for j, (cx, cy) in enumerate(column):
            body += _neuron(cx, cy, NAMES[k][j], _labels(kind, k, j, layers, x, t, records, grads))
    title = tr(
        lang,
        "The tutorial's network, " + ("forward pass" if kind == "forward" else "backward pass"),
        "チュートリアルのネットワークの" + ("順伝播" if kind == "forward" else "逆伝播"),
    )
    return _svg(WIDTH, HEIGHT, body, title)


def _edge(src, dst, value: float, kind: str, source: int) -> str:
    (x1, y1), (x2, y2) = src, dst
    if kind == "forward":
        color, width = "#8a8fa8", 1.4
    else:
        color = "#bbbbbb" if value == 0 else ("#1f5fbf" if value > 0 else "#c0392b")
        width = 1.2 if value == 0 else min(4.0, 1.2 + 2.0 * abs(value))
    dash = ' stroke-dasharray="4 4"' if kind == "backward" and value == 0 else ""
    line = (
        f'<line x1="{x1 + RADIUS:.1f}" y1="{y1:.1f}" x2="{x2 - RADIUS:.1f}" y2="{y2:.1f}" '
        f'stroke="{color}" stroke-width="{width:.2f}"{dash}/>'
    )
    # near the source, where the edges leaving one neuron fan apart; each source at its own
    # distance, so labels of edges from neighbouring neurons do not meet
    f = 0.2 + 0.13 * source
    lx, ly = x1 + RADIUS + f * (x2 - x1 - 2 * RADIUS), y1 + f * (y2 - y1)
    fill = "#555" if kind == "forward" else color
    return line + _text(lx, ly + 5, fmt(value), size=14, fill=fill)


def _labels(kind, k, j, layers, x, t, records, grads) -> tuple[list[str], list[str]]:
    """(lines above the neuron, lines below it)."""
    if k == 0:
        return [], [f"x = {fmt(x[j])}"]
    rec, layer = records[k - 1], layers[k - 1]
    if kind == "forward":
        return [f"b = {fmt(layer['b'][j])}"], [f"u = {fmt(rec.u[j])}", f"y = {fmt(rec.y[j])}"]
    db = grads[k - 1]["b"][j]
    below = [f"δ = {fmt(-db)}"]  # u = xW - b, so dE/db = -delta
    if k == len(layers):
        below.append(f"t = {fmt(t[j])}")
    return [f"∂E/∂b = {fmt(db)}"], below


def _neuron(cx, cy, name, labels) -> list[str]:
    above, below = labels
    out = [
        f'<circle cx="{cx}" cy="{cy:.1f}" r="{RADIUS}" fill="#eef1fb" stroke="#3f51b5" '
        'stroke-width="2"/>',
        _text(cx, cy + 6, name, size=18, weight="bold", fill="#1a237e"),
    ]
    for n, line in enumerate(reversed(above)):
        out.append(_text(cx, cy - RADIUS - 8 - 17 * n, line, size=14))
    for n, line in enumerate(below):
        out.append(_text(cx, cy + RADIUS + 19 + 17 * n, line, size=14))
    return out


# -- the four chain-rule patterns (S16-S19) -----------------------------------------------

#: pattern -> (clause, English name, Japanese name, the backward rule(s))
PATTERNS = {
    "branch": ("S16", "branch", "分岐", ["∂a = ∂b + ∂c"]),
    "add": ("S17", "add", "加算", ["∂a = ∂c", "∂b = ∂c"]),
    "multiply": ("S18", "multiply", "乗算", ["∂a = ∂c · b", "∂b = ∂c · a"]),
    "function": ("S19", "function", "関数", ["∂a = ∂b · f′(a)"]),
}
_ARROWS = (
    '<defs><marker id="fw" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
    '<marker id="bw" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
    'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>'
)


def _arrow(x1, y1, x2, y2, back=False) -> str:
    color, marker = ("#c0392b", "bw") if back else ("#333", "fw")
    dash = ' stroke-dasharray="5 3"' if back else ""
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="1.6"'
        f'{dash} marker-end="url(#{marker})"/>'
    )


def _node(x, y, label, box=False) -> str:
    shape = (
        f'<rect x="{x - 22}" y="{y - 18}" width="44" height="36" rx="6" fill="#fff8e1" '
        'stroke="#b28704" stroke-width="1.6"/>'
        if box
        else f'<circle cx="{x}" cy="{y}" r="16" fill="#eef1fb" stroke="#3f51b5" '
        'stroke-width="1.6"/>'
    )
    return shape + _text(x, y + 5, label, size=15, weight="bold", fill="#1a237e")


def _pattern_shapes(name: str) -> list[str]:
    """Nodes and arrows of one pattern: forward left to right, backward (red) right to left."""
    back = {"back": True}
    if name == "branch":
        return [
            _node(70, 95, "a"), _node(290, 60, "b"), _node(290, 130, "c"),
            _arrow(88, 90, 272, 62), _arrow(88, 100, 272, 128),
            _arrow(272, 75, 90, 106, **back), _arrow(272, 140, 92, 112, **back),
        ]  # fmt: skip
    if name in ("add", "multiply"):
        return [
            _node(50, 60, "a"), _node(50, 130, "b"),
            _node(180, 95, "+" if name == "add" else "×", box=True), _node(310, 95, "c"),
            _arrow(66, 64, 156, 88), _arrow(66, 126, 156, 102), _arrow(202, 95, 292, 95),
            _arrow(292, 110, 204, 110, **back), _arrow(156, 112, 68, 142, **back),
            _arrow(156, 80, 68, 48, **back),
        ]  # fmt: skip
    return [
        _node(50, 95, "a"), _node(180, 95, "f", box=True), _node(310, 95, "b"),
        _arrow(68, 95, 156, 95), _arrow(202, 95, 292, 95),
        _arrow(292, 112, 204, 112, **back), _arrow(156, 112, 68, 112, **back),
    ]  # fmt: skip


def chain_pattern(name: str, lang: str) -> str:
    """One chain-rule pattern: forward arrows in black, the backward rule in red below."""
    clause, en, ja, rules = PATTERNS[name]
    body = [_ARROWS, _text(12, 22, f"{clause} {tr(lang, en, ja)}", size=15, anchor="start",
                           weight="bold")]  # fmt: skip
    body += _pattern_shapes(name)
    for n, rule in enumerate(rules):
        body.append(_text(180, 172 + 20 * n, rule, size=14, fill="#c0392b"))
    body.append(
        _text(12, 230, tr(lang, "black: forward · red dashed: backward",
                          "黒: 順伝播 · 赤の破線: 逆伝播"), size=11, anchor="start", fill="#555")
    )  # fmt: skip
    return _svg(360, 240, body, f"{clause} {tr(lang, en, ja)}")


def draw_all() -> list[str]:
    """Write every figure of this module in both languages; return the file names."""
    names = []
    for lang in ("en", "ja"):
        for kind in ("forward", "backward"):
            names.append(f"network_{kind}-{lang}.svg")
            write_if_changed(OUT / names[-1], network(kind, lang))
        for pattern in PATTERNS:
            names.append(f"chain_{pattern}-{lang}.svg")
            write_if_changed(OUT / names[-1], chain_pattern(pattern, lang))
    return names


@generator("network_figure")
def network_figure(lang: str, arg: str | None) -> str:
    kind = arg or "forward"
    alt = tr(
        lang,
        f"The tutorial's 3-2-3-3 network, {kind} pass, drawn from the reference",
        "チュートリアルの 3-2-3-3 ネットワークの" + ("順伝播" if kind == "forward" else "逆伝播")
        + "（参照実装の値で描画）",
    )  # fmt: skip
    return f"![{alt}](generated/figures/network_{kind}-{lang}.svg){{ .nnref-network }}"


def chain_figure(pattern: str, lang: str, prefix: str) -> str:
    """Markdown for one chain-rule figure; ``prefix`` leads from the page to ``generated/``."""
    clause, en, ja, _ = PATTERNS[pattern]
    alt = tr(lang, f"{clause}: the {en} pattern", f"{clause}: {ja}のパターン")
    return f"![{alt}]({prefix}figures/chain_{pattern}-{lang}.svg)"
