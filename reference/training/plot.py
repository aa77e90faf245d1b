"""Training curves as an SVG file, written with the standard library (``nnref train --plot``).

Two panels side by side: the mean cross-entropy per epoch, and the train and test accuracy
per epoch with the majority-class baseline dashed. Each curve is one polyline; the axes
have a few round ticks. The picture is text, so it is the same byte for byte for the same
history.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 900, 360
PANEL_WIDTH, PANEL_HEIGHT = 360, 230
MARGIN_LEFT, MARGIN_TOP = 70, 60
COLOURS = {"loss": "#d62728", "train": "#1f77b4", "test": "#ff7f0e", "baseline": "#7f7f7f"}


def training_svg(history: list[dict], baseline: float, title: str) -> str:
    """The SVG document for ``history`` (one dict per epoch: epoch, loss, train_accuracy,
    test_accuracy) and the majority-class ``baseline`` (a fraction)."""
    epochs = [e["epoch"] for e in history]
    losses = [e["loss"] for e in history]
    loss_top = max((v for v in losses if math.isfinite(v)), default=1.0) or 1.0
    left = Panel(MARGIN_LEFT, "training loss", "mean cross-entropy", epochs, (0.0, loss_top))
    right = Panel(MARGIN_LEFT + 450, "accuracy", "accuracy (%)", epochs, (0.0, 100.0))
    parts = [*left.frame(), left.curve(losses, COLOURS["loss"])]
    parts += right.frame()
    for key, label in (("train_accuracy", "train"), ("test_accuracy", "test")):
        parts.append(right.curve([100 * e[key] for e in history], COLOURS[label]))
    parts.append(right.level(100 * baseline, COLOURS["baseline"]))
    parts += right.legend([("train", "train"), ("test", "test"), ("majority class", "baseline")])
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">'
    )
    background = f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
    heading = _text(WIDTH / 2, 24, title, size=15, anchor="middle")
    return "\n".join([head, background, heading, *parts, "</svg>"]) + "\n"


class Panel:
    """One plot: its place on the page, its title and axis labels, and the data ranges."""

    def __init__(self, x0: float, title: str, ylabel: str, epochs: list, y_range: tuple):
        self.x0, self.y0 = x0, MARGIN_TOP
        self.title, self.ylabel = title, ylabel
        self.x_lo, self.x_hi = (min(epochs), max(epochs)) if epochs else (0, 1)
        if self.x_hi == self.x_lo:
            self.x_hi = self.x_lo + 1
        self.y_lo, self.y_hi = y_range
        self.epochs = epochs

    def x(self, epoch: float) -> float:
        return self.x0 + PANEL_WIDTH * (epoch - self.x_lo) / (self.x_hi - self.x_lo)

    def y(self, value: float) -> float:
        share = (value - self.y_lo) / (self.y_hi - self.y_lo)
        return self.y0 + PANEL_HEIGHT * (1 - min(1.0, max(0.0, share)))

    def frame(self) -> list[str]:
        """The axes box, the ticks with their labels, the title and the axis names."""
        x1, y1 = self.x0 + PANEL_WIDTH, self.y0 + PANEL_HEIGHT
        out = [
            f'<rect x="{self.x0}" y="{self.y0}" width="{PANEL_WIDTH}" height="{PANEL_HEIGHT}" '
            'fill="none" stroke="black"/>',
            _text((self.x0 + x1) / 2, self.y0 - 10, self.title, size=13, anchor="middle"),
            _text((self.x0 + x1) / 2, y1 + 36, "epoch", anchor="middle"),
            _text(self.x0 - 50, (self.y0 + y1) / 2, self.ylabel, anchor="middle", turn=True),
        ]
        for tick in ticks(self.x_lo, self.x_hi):
            out.append(_line(self.x(tick), y1, self.x(tick), y1 + 5))
            out.append(_text(self.x(tick), y1 + 18, _number(tick), anchor="middle"))
        for tick in ticks(self.y_lo, self.y_hi):
            out.append(_line(self.x0 - 5, self.y(tick), self.x0, self.y(tick)))
            out.append(_text(self.x0 - 8, self.y(tick) + 4, _number(tick), anchor="end"))
        return out

    def curve(self, values: list[float], colour: str) -> str:
        points = " ".join(
            f"{self.x(e):.1f},{self.y(v):.1f}"
            for e, v in zip(self.epochs, values)
            if math.isfinite(v)
        )
        return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'

    def level(self, value: float, colour: str) -> str:
        """A dashed horizontal line at ``value``."""
        y = f"{self.y(value):.1f}"
        return (
            f'<line x1="{self.x0}" y1="{y}" x2="{self.x0 + PANEL_WIDTH}" y2="{y}" '
            f'stroke="{colour}" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )

    def legend(self, entries: list[tuple[str, str]]) -> list[str]:
        out = []
        for i, (label, key) in enumerate(entries):
            y = self.y0 + PANEL_HEIGHT - 14 - 16 * (len(entries) - 1 - i)
            x = self.x0 + PANEL_WIDTH - 120
            dash = ' stroke-dasharray="6 4"' if key == "baseline" else ""
            out.append(
                f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{COLOURS[key]}" '
                f'stroke-width="2"{dash}/>'
            )
            out.append(_text(x + 30, y + 4, label))
        return out


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values between ``lo`` and ``hi`` (1, 2 or 5 times a power of ten apart)."""
    span = hi - lo
    if not span > 0 or not math.isfinite(span):
        return [lo]
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step) * step
    return [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:.6g}"


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="black"/>'


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", turn=False):
    rotate = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if turn else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{rotate}>'
        f"{escape(text)}</text>"
    )
