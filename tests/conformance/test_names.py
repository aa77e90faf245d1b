"""The shared vocabulary (conformance/protocol/names.py) against the reference and SPEC S5-S15."""

from __future__ import annotations

import inspect

import pytest

from nnref import reference
from nnref.conformance.protocol.names import (
    ACTIVATIONS,
    ARGUMENTS,
    CLAUSE_OF,
    HIDDEN,
    LOSSES,
    OUTPUTS,
    PAIRINGS,
    PROTOCOL,
    S15_PAIRINGS,
)


@pytest.mark.parametrize("name", PROTOCOL)
def test_protocol_arguments_are_the_reference_signatures(name):
    params = list(inspect.signature(getattr(reference, name)).parameters)
    assert tuple(params[: len(ARGUMENTS[name])]) == ARGUMENTS[name]


def test_every_protocol_callable_has_its_arguments_in_protocol_order():
    assert tuple(ARGUMENTS) == PROTOCOL


@pytest.mark.spec("S5", "S14")
def test_S5_S14_every_activation_and_loss_names_its_clause():
    assert set(CLAUSE_OF) == {*ACTIVATIONS, *LOSSES}
    assert [CLAUSE_OF[a] for a in ACTIVATIONS] == ["S5", "S6", "S7", "S8", "S9", "S10"]
    assert [CLAUSE_OF[loss] for loss in LOSSES] == ["S13", "S14"]


@pytest.mark.spec("S5")
def test_S5_step_is_not_a_trainable_hidden_activation():
    assert "step" not in HIDDEN and set(HIDDEN) < set(ACTIVATIONS)
    assert set(OUTPUTS) < set(ACTIVATIONS)


@pytest.mark.spec("S14", "S15")
def test_S14_S15_pairings_put_cross_entropy_only_after_outputs_in_0_1():
    assert PAIRINGS[:2] == S15_PAIRINGS
    assert len(set(PAIRINGS)) == len(PAIRINGS)
    assert all(out in ACTIVATIONS and loss in LOSSES for out, loss in PAIRINGS)
    assert {out for out, loss in PAIRINGS if loss == "cross_entropy"} == {"softmax", "sigmoid"}
    assert {out for out, loss in PAIRINGS if loss == "squared_error"} == set(ACTIVATIONS) - {"step"}
