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
RADIUS = 22
LAYER_TITLES = (("input layer", "入力層"), ("hidden layer", "中間層"),
                ("hidden layer", "中間層"), ("output layer", "出力層"))  # fmt: skip

#: The two layouts: ``wide`` (layers left to right) and ``phone`` (layers top to bottom, for a
#: narrow screen, drawn at its own size so its labels stay readable).
LAYOUTS = {
    "wide": {
        "size": (974, 560),
        "columns": (85, 353, 621, 889),
        "step": 140,
        "font": 14,
        "box": 158,
    },
    "phone": {
        "size": (384, 1560),
        "rows": (50, 540, 1030, 1500),
        "step": 128,
        "font": 11,
        "box": 122,
    },
}
#: A neuron is a box: its name, then its values, inside it.
LINE = 16
#: Estimated advance of one character, as a fraction of the font size (digits, latin, ∂, δ).
CHAR = 0.62


def fmt(value: float, digits: int = 4) -> str:
    """Four significant digits, a true minus sign, integers without a point."""
    text = str(int(value)) if value == int(value) and abs(value) < 1e6 else f"{value:.{digits}g}"
    return text.replace("-", "−")


def _text(x, y, s, size=13, anchor="middle", weight="normal", fill="#222", role="") -> str:
    data = f' data-for="{role}"' if role else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" stroke="white" stroke-width="3" '
        f'paint-order="stroke"{data}>{escape(s)}</text>'
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


def _positions(layout: str) -> list[list[tuple[float, float]]]:
    spec = LAYOUTS[layout]
    width, height = spec["size"]
    out = []
    for k, names in enumerate(NAMES):
        offsets = [spec["step"] * (i - (len(names) - 1) / 2) for i in range(len(names))]
        if layout == "wide":
            out.append([(spec["columns"][k], height / 2 + 10 + o) for o in offsets])
        else:
            out.append([(width / 2 + o, spec["rows"][k]) for o in offsets])
    return out


def _computed():
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X, gradients
    from nnref.reference.network import forward_pass

    records = forward_pass(TUTORIAL_LAYERS, TUTORIAL_X)
    grads = gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    return TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, records, grads


# -- geometry: boxes of texts, segments of edges -----------------------------------------


def text_box(x: float, y: float, text: str, size: float, anchor: str = "middle"):
    """(left, top, right, bottom) of a text drawn at baseline y, estimated from its length."""
    width = CHAR * size * len(text)
    left = {"middle": x - width / 2, "start": x, "end": x - width}[anchor]
    return (left - 1, y - 0.78 * size - 1, left + width + 1, y + 0.24 * size + 1)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(box, seg) -> bool:
    """Whether the segment meets the box (Liang-Barsky clipping)."""
    (x1, y1), (x2, y2) = seg
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
            if lo > hi:
                return False
    return True


def _segments_cross(a, b, c, d) -> bool:
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _distance(point, seg) -> float:
    (x1, y1), (x2, y2) = seg
    px, py = point
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy or 1)))
    return ((px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2) ** 0.5


def _box_circle(box, circle) -> bool:
    cx, cy, r = circle
    nx, ny = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return (nx - cx) ** 2 + (ny - cy) ** 2 < (r + 2) ** 2


def _port(n: int, count: int, extent: float) -> float:
    """Where the n-th of ``count`` edges meets a box side of length ``extent``: spread apart,
    so edges that share a neuron leave it (and arrive) at their own points."""
    if count == 1:
        return 0.0
    spread = 0.36 * extent
    return -spread + 2 * spread * n / (count - 1)


def _segment(src, dst, layout, heights, ports):
    """From the side of one box to the side of the next: right to left, or bottom to top."""
    (x1, y1), (x2, y2) = src, dst
    h1, h2 = heights
    (j, n_out), (i, n_in) = ports
    if layout == "wide":
        half = LAYOUTS[layout]["box"] / 2
        return ((x1 + half, y1 + _port(j, n_out, h1)), (x2 - half, y2 + _port(i, n_in, h2)))
    box = LAYOUTS[layout]["box"]
    return ((x1 + _port(j, n_out, box), y1 + h1 / 2), (x2 + _port(i, n_in, box), y2 - h2 / 2))


class Layout:
    """Places labels one by one where they meet no edge, no circle and no other label."""

    def __init__(self, size, segments, circles):
        self.size, self.segments, self.circles = size, segments, circles
        self.boxes: list[tuple] = []

    def free(self, box, own: int | None = None) -> bool:
        width, height = self.size
        if box[0] < 2 or box[1] < 2 or box[2] > width - 2 or box[3] > height - 2:
            return False
        if any(_overlap(box, b) for b in self.boxes):
            return False
        if any(_crosses(box, seg) for seg in self.segments):
            return False
        if any(_box_circle(box, c) for c in self.circles):
            return False
        if own is not None:  # nearer its own edge than any other, by a clear margin
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            mine = _distance(centre, self.segments[own])
            others = [_distance(centre, s) for k, s in enumerate(self.segments) if k != own]
            if others and min(others) < mine + 2:
                return False
        return True

    def take(self, box) -> None:
        self.boxes.append(box)

    def edge_label(self, k: int, text: str, size: float):
        """(x, baseline y) for the label of edge k, beside it; None when there is no room."""
        (x1, y1), (x2, y2) = self.segments[k]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        width = CHAR * size * len(text)
        ts = sorted((k / 40 for k in range(2, 39)), key=lambda t: abs(t - 0.5))
        for t in ts:
            px, py = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
            for side in (1, -1):
                # the distance from the edge to the box's centre that just clears the edge
                clear = (abs(nx) * width + abs(ny) * size) / 2 + 3
                for extra in (0, 2, 5, 9):
                    cx, cy = px + side * nx * (clear + extra), py + side * ny * (clear + extra)
                    y = cy + 0.27 * size
                    box = text_box(cx, y, text, size)
                    if self.free(box, own=k):
                        self.take(box)
                        return cx, y
        return None


def network(kind: str, lang: str, layout: str = "wide") -> str:
    """The network as SVG: ``forward`` (weights, thresholds, u, y) or ``backward`` (gradients).

    Each neuron is a box holding its name and values; each edge's weight (or gradient) is
    placed beside its edge where it meets no other edge, box or label (``Layout``), and the
    drawn SVG is read back and checked (``check_layout``)."""
    from nnref_docs.errors import DocsBuildError

    layers, x, t, records, grads = _computed()
    spec = LAYOUTS[layout]
    width, height = spec["size"]
    size = spec["font"]
    pos = _positions(layout)
    values = [[_labels(kind, k, j, layers, x, t, records, grads) for j in range(len(col))]
              for k, col in enumerate(pos)]  # fmt: skip
    heights = [[LINE * (1 + len(a) + len(b)) + 8 for a, b in col] for col in values]
    edges, segments = [], []
    for k, layer in enumerate(layers):
        for i, src in enumerate(pos[k]):
            for j, dst in enumerate(pos[k + 1]):
                value = layer["W"][i][j] if kind == "forward" else grads[k]["W"][i][j]
                edges.append((k, i, j, value))
                ports = ((j, len(pos[k + 1])), (i, len(pos[k])))
                segments.append(
                    _segment(src, dst, layout, (heights[k][i], heights[k + 1][j]), ports)
                )
    place = Layout((width, height), segments, [])
    nodes, labels = [], []
    for k, column in enumerate(pos):
        for j, (cx, cy) in enumerate(column):
            above, below = values[k][j]
            h = heights[k][j]
            half = spec["box"] / 2
            box = (cx - half, cy - h / 2, cx + half, cy + h / 2)
            place.take(box)
            nodes.append(_neuron_box(box, NAMES[k][j], above + below, size))
    if layout == "wide":
        for k, (en, ja) in enumerate(LAYER_TITLES):
            title = tr(lang, en, ja)
            tx, ty = pos[k][0][0], 22
            place.take(text_box(tx, ty, title, size + 3))
            labels.append(_text(tx, ty, title, size=size + 3, weight="bold"))
    lines = [_edge_line(segments[n], edge[3], kind) for n, edge in enumerate(edges)]

    def crossings(n: int) -> int:  # the edges with least room go first
        (a, b), mine = segments[n], 0
        for m, (c, d) in enumerate(segments):
            if m != n and a != c and b != d and _segments_cross(a, b, c, d):
                mine += 1
        return mine

    for n in sorted(range(len(edges)), key=lambda n: -crossings(n)):
        k, i, j, value = edges[n]
        text = fmt(value, 3)
        spot = place.edge_label(n, text, size)
        if spot is None:
            raise DocsBuildError(
                f"network figure ({kind}, {layout}): no free place for the label {text} of the "
                f"edge {NAMES[k][i]} -> {NAMES[k + 1][j]}"
            )
        fill = "#555" if kind == "forward" else _color(value)
        labels.append(_text(*spot, text, size=size, fill=fill, role=f"edge{n}"))
    title = tr(
        lang,
        "The tutorial's network, " + ("forward pass" if kind == "forward" else "backward pass"),
        "チュートリアルのネットワークの" + ("順伝播" if kind == "forward" else "逆伝播"),
    )
    return _svg(width, height, lines + nodes + labels, title)


def _neuron_box(box, name, lines, size) -> str:
    left, top, right, bottom = box
    cx = (left + right) / 2
    out = [
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
        f'height="{bottom - top:.1f}" rx="10" fill="#eef1fb" stroke="#3f51b5" stroke-width="2"/>',
        _text(cx, top + LINE + 1, name, size=size + 3, weight="bold", fill="#1a237e", role="node"),
    ]
    for n, line in enumerate(lines):
        out.append(_text(cx, top + LINE * (n + 2) + 1, line, size=size, role="node"))
    return "\n".join(out)


def _color(value: float) -> str:
    return "#888888" if value == 0 else ("#1f5fbf" if value > 0 else "#c0392b")


def _edge_line(seg, value: float, kind: str) -> str:
    (x1, y1), (x2, y2) = seg
    if kind == "forward":
        color, width = "#8a8fa8", 1.4
    else:
        color = "#bbbbbb" if value == 0 else _color(value)
        width = 1.2 if value == 0 else min(4.0, 1.2 + 2.0 * abs(value))
    dash = ' stroke-dasharray="4 4"' if kind == "backward" and value == 0 else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{color}" stroke-width="{width:.2f}"{dash}/>'
    )


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


def check_layout(svg: str) -> list[str]:
    """Read a drawn figure back and list every label that overlaps another label, crosses an
    edge, leaves the picture or covers a neuron's box, or sits nearer another edge than its
    own (``data-for="edgeN"``). A neuron's own texts (``data-for="node"``) must lie inside
    its box."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    segments = [((float(e.get("x1")), float(e.get("y1"))), (float(e.get("x2")), float(e.get("y2"))))
                for e in root.iter(f"{ns}line")]  # fmt: skip
    rects = [(float(r.get("x")), float(r.get("y")), float(r.get("x")) + float(r.get("width")),
              float(r.get("y")) + float(r.get("height")))
             for r in root.iter(f"{ns}rect") if r.get("rx")]  # fmt: skip
    boxes, problems = [], []
    for t in root.iter(f"{ns}text"):
        box = text_box(float(t.get("x")), float(t.get("y")), t.text or "",
                       float(t.get("font-size")), t.get("text-anchor", "start"))  # fmt: skip
        if t.get("data-for") == "node":
            if not any(r[0] <= box[0] and box[2] <= r[2] and r[1] <= box[1] and box[3] <= r[3]
                       for r in rects):  # fmt: skip
                problems.append(f"{t.text!r} sticks out of its neuron's box")
            continue
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
            problems.append(f"{t.text!r} leaves the picture")
        boxes.append((t.text, box, t.get("data-for")))
    for n, (text, box, role) in enumerate(boxes):
        for other, obox, _ in boxes[n + 1 :]:
            if _overlap(box, obox):
                problems.append(f"{text!r} overlaps {other!r}")
        for k, seg in enumerate(segments):
            if _crosses(box, seg):
                problems.append(f"{text!r} crosses edge {k}")
        if any(_overlap(box, r) for r in rects):
            problems.append(f"{text!r} covers a neuron")
        if role and role.startswith("edge"):
            own = int(role[4:])
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            mine = _distance(centre, segments[own])
            if any(_distance(centre, s) < mine for k, s in enumerate(segments) if k != own):
                problems.append(f"{text!r} is nearer another edge than its own")
    return problems


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
            for layout in LAYOUTS:
                suffix = "" if layout == "wide" else f"_{layout}"
                names.append(f"network_{kind}{suffix}-{lang}.svg")
                svg = network(kind, lang, layout)
                problems = check_layout(svg)
                if problems:
                    from nnref_docs.errors import DocsBuildError

                    raise DocsBuildError(f"{names[-1]}: " + "; ".join(problems))
                write_if_changed(OUT / names[-1], svg)
        for pattern in PATTERNS:
            names.append(f"chain_{pattern}-{lang}.svg")
            write_if_changed(OUT / names[-1], chain_pattern(pattern, lang))
    return names


@generator("network_figure")
def network_figure(lang: str, arg: str | None) -> str:
    """The figure in its wide layout, and its phone layout on a narrow screen; both open full
    size (zoomable) from the link under them."""
    kind = arg or "forward"
    alt = tr(
        lang,
        f"The tutorial's 3-2-3-3 network, {kind} pass, drawn from the reference",
        "チュートリアルの 3-2-3-3 ネットワークの" + ("順伝播" if kind == "forward" else "逆伝播")
        + "（参照実装の値で描画）",
    )  # fmt: skip
    prefix = "" if lang == "en" else "../"  # raw HTML: the page's own folder (ja/ for Japanese)
    wide = f"{prefix}generated/figures/network_{kind}-{lang}.svg"
    phone = f"{prefix}generated/figures/network_{kind}_phone-{lang}.svg"
    link = tr(lang, "open the figure full size", "図を原寸で開く")
    tall = tr(lang, "the tall version for phones", "スマートフォン向けの縦長の図")
    return (
        '<figure class="nnref-network-figure">\n'
        f'<picture><source media="(max-width: 600px)" srcset="{phone}">'
        f'<img class="nnref-network" src="{wide}" alt="{escape(alt)}"></picture>\n'
        f'<figcaption><a href="{wide}">{link}</a> · <a href="{phone}">{tall}</a></figcaption>\n'
        "</figure>"
    )  # fmt: skip


def chain_figure(pattern: str, lang: str, prefix: str) -> str:
    """Markdown for one chain-rule figure; ``prefix`` leads from the page to ``generated/``."""
    clause, en, ja, _ = PATTERNS[pattern]
    alt = tr(lang, f"{clause}: the {en} pattern", f"{clause}: {ja}のパターン")
    return f"![{alt}]({prefix}figures/chain_{pattern}-{lang}.svg)"
