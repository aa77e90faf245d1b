"""``property-gradients-deterministic`` allows a few ulps, and names the mistake it sees."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.judge.results import FAIL, PASS

ONLY = ["property-gradients-deterministic"]


def _result(impl):
    (r,) = check_implementation(impl, CheckOptions(only=ONLY, seed=0, max_examples=20)).results
    return r


@pytest.mark.spec("S12", "S20")
def test_S12_gradients_that_differ_in_the_last_bits_between_calls_pass():
    assert _result("tests.verdict.odd:LAST_BITS").status == PASS


@pytest.mark.spec("S12", "S20")
def test_S12_noisy_gradients_fail_as_not_deterministic_not_as_state():
    r = _result("tests.verdict.odd:NOISY")
    assert r.status == FAIL
    assert "the gradients are not deterministic" in r.message
    assert "keeps state" not in r.message


@pytest.mark.spec("S12")
def test_S12_state_kept_between_calls_is_said_only_when_a_replay_reproduces_it():
    r = _result("tests.conformance.impls:STALE_RECORDS")
    assert r.status == FAIL
    assert "a replay gave the second value again: the implementation keeps state" in r.message
