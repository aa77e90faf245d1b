"""The printed report and its JSON form: names, table, counts, options, seed, hints."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnref.conformance.finitediff import gradcheck


def wrong_net_result(**options):
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    b = np.array([0.1, -0.3])

    def f(p):
        return float(np.sum(np.tanh(np.array([1.0, 2.0]) @ p["W1"] - p["b1"])))

    y = np.tanh(np.array([1.0, 2.0]) @ W - b)
    delta = 1 - y**2
    grads = {"W1": np.outer([1.0, 2.0], delta), "b1": delta}  # S20: db = -delta; sign wrong
    return gradcheck(f, {"W1": W, "b1": b}, grads, **options)


@pytest.mark.spec("S20")
def test_S20_report_names_failing_entries_in_a_table():
    text = str(wrong_net_result())
    assert text.startswith("gradcheck FAILED: 2 failing entries")
    for column in ("entry", "analytic", "numeric", "abs err", "rel err", "tol"):
        assert column in text
    assert "b1[0]" in text and "b1[1]" in text and "W1[" not in text.split("failing entries")[1]
    assert "counts: checked 6, failed 2, kinks 0, non-finite 0" in text
    assert "hint: analytic = -1 x numeric in every failing entry (b1): a sign error" in text
    assert "seed=0" in text and "rtol=1e-06" in text and "atol=0" in text
    assert "x: 6 entries: W1 (2x2), b1 (2)" in text


def test_report_json_is_serializable_and_complete():
    d = wrong_net_result(fast=True, seed=5).as_dict()
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text)["counts"]["failed"] == d["counts"]["failed"] >= 1
    assert d["options"]["seed"] == 5 and d["mode"] == "fast"
    assert {"name", "analytic", "numeric", "abs_err", "rel_err", "tol"} <= set(d["failures"][0])


def test_factor_2_hint_and_passing_report():
    x = np.array([1.0, 2.0])
    text = str(gradcheck(lambda v: float(v @ v), x, 4 * x))
    assert "a factor of 2" in text
    ok = gradcheck(lambda v: float(v @ v), x, 2 * x)
    assert str(ok).startswith("gradcheck PASSED") and bool(ok)


@pytest.mark.spec("S20")
def test_S20_transposed_weight_gradient_is_named_in_a_hint():
    from nnref.conformance.casebank.bank import WRONG

    (case,) = [c for c in WRONG if c.id == "S20-net-bug-transpose_W"]
    text = str(gradcheck(case.f, case.x, case.grad))
    assert "hint: W2: the analytic gradient is the transpose of the numeric one" in text
    ok = next(c for c in WRONG if c.id == "S20-net-bug-bias_sign")
    assert "transpose" not in str(gradcheck(ok.f, ok.x, ok.grad))
