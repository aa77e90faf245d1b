"""``nnref train --plot``: the training curves as SVG, drawn with the standard library.

The picture is text and the same byte for byte for the same history, so a fixed history is
compared with a reviewed drawing (``data/training_plot.svg``); after an intended change to
the drawing, look at the new picture and write it with
``python -m tests.reference.test_plot``. The geometry is also checked on its own: every
point of a curve lies inside its panel, where its value says.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nnref.reference.training import plot

GOLDEN = Path(__file__).parent / "data" / "training_plot.svg"
SVG = "{http://www.w3.org/2000/svg}"


def _history() -> list[dict]:
    losses = [2.3, 1.7, 1.1, float("nan"), 0.62, 0.41, 0.35, 0.3]
    return [
        {
            "epoch": e + 1,
            "loss": loss,
            "train_accuracy": min(1.0, 0.3 + 0.09 * e),
            "test_accuracy": min(1.0, 0.28 + 0.08 * e),
        }
        for e, loss in enumerate(losses)
    ]


def _drawing() -> str:
    return plot.training_svg(_history(), baseline=0.34, title="iris: 4-8-3, relu, adam")


def test_the_drawing_of_a_fixed_history_is_the_reviewed_one():
    assert _drawing() == GOLDEN.read_text(encoding="utf-8")


def test_every_point_of_a_curve_lies_in_its_panel_where_its_value_says():
    root = ET.fromstring(_drawing())
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"]
    assert len(frames) == 2
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in frames]
    curves = list(root.iter(f"{SVG}polyline"))
    assert [c.get("stroke") for c in curves] == [
        plot.COLOURS["loss"],
        plot.COLOURS["train"],
        plot.COLOURS["test"],
    ]
    history = _history()
    for curve, (x0, y0, w, h), key, top in (
        (curves[0], boxes[0], "loss", 2.3),
        (curves[1], boxes[1], "train_accuracy", 1.0),
        (curves[2], boxes[1], "test_accuracy", 1.0),
    ):
        points = [tuple(map(float, p.split(","))) for p in curve.get("points").split()]
        finite = [e for e in history if e[key] == e[key]]  # the NaN loss is left out
        assert len(points) == len(finite)
        for (px, py), e in zip(points, finite):
            assert px == pytest.approx(x0 + w * (e["epoch"] - 1) / 7, abs=0.06)
            assert py == pytest.approx(y0 + h * (1 - e[key] / top), abs=0.06)
    baseline = next(
        ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == plot.COLOURS["baseline"]
    )
    x0, y0, w, h = boxes[1]
    assert float(baseline.get("y1")) == pytest.approx(y0 + h * (1 - 0.34), abs=0.06)


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [(0, 100, [0, 20, 40, 60, 80, 100]), (1, 8, [2, 4, 6, 8]), (0, 2.3, [0, 0.5, 1, 1.5, 2])],
)
def test_ticks_are_round_and_inside_the_range(lo, hi, expected):
    assert plot.ticks(lo, hi) == pytest.approx(expected)


if __name__ == "__main__":
    GOLDEN.write_text(_drawing(), encoding="utf-8")
    print(f"wrote {GOLDEN}")
