"""The property checks draw networks of a few fixed shapes (a framework compiles each once),
and those shapes still cover every width, square and non-square layers, and every depth."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnref import reference
from nnref.conformance.properties.suite import SHAPES, draw_network
from nnref.conformance.protocol.operations import implementation_fns

FNS = implementation_fns(reference)


def _sizes(layers, x) -> tuple[int, ...]:
    return (len(x), *(len(layer["b"]) for layer in layers))


@pytest.mark.spec("S15", "S20")
@settings(max_examples=200, database=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_S20_every_network_drawn_has_one_of_the_fixed_shapes(data):
    layers, x, t, _loss, _ = draw_network(data, FNS)
    sizes = _sizes(layers, x)
    assert sizes in SHAPES[len(layers)]
    assert len(t) == sizes[-1]
    for layer, (n, m) in zip(layers, pairwise(sizes)):
        assert len(layer["W"]) == n and all(len(row) == m for row in layer["W"])


@pytest.mark.spec("S15", "S20")
def test_S20_the_fixed_shapes_cover_every_width_depth_and_layer_kind():
    shapes = [s for depth in (1, 2, 3) for s in SHAPES[depth]]
    assert sorted(SHAPES) == [1, 2, 3]
    assert all(len(s) == depth + 1 for depth in SHAPES for s in SHAPES[depth])
    assert {s[0] for s in shapes} == {1, 2, 3, 4}  # inputs
    assert {w for s in shapes for w in s[1:-1]} == {1, 2, 3, 4}  # hidden layers
    assert {s[-1] for s in shapes} == {2, 3, 4}  # outputs: at least two
    layers = {(n, m) for s in shapes for n, m in pairwise(s)}
    assert any(n == m for n, m in layers) and any(n < m for n, m in layers)
    assert any(n > m for n, m in layers)
    assert len(shapes) <= 9  # few: each compiled once by a framework that compiles per shape
