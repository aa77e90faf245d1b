"""``nnref gradcheck IMPL``: self-consistency of gradients with forward + loss (S15-S20)."""

from __future__ import annotations

import json

import pytest

from conformance.cli import main

IMPLS = "tests.gradcheck.impls"


def run(capsys, *argv):
    status = main(["gradcheck", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.spec("S20")
def test_S20_correct_numpy_implementation_passes(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:correct")
    assert status == 0
    assert "summary: 22 PASS, 0 FAIL, 0 ERROR, 4 skipped, 0 not provided" in out
    assert "relu->identity squared_error at a kink" in out


@pytest.mark.spec("S20")
def test_S20_wrong_bias_sign_fails_and_names_thresholds(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:broken_bias")
    assert status == 1
    assert "22 FAIL" in out
    assert "worst layers[2].b[" in out
    assert "hint: analytic = -numeric in every failing entry: a sign error" in out


@pytest.mark.spec("S7")
def test_S7_wrong_tanh_derivative_fails_only_tanh_pairings(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:broken_tanh")
    assert status == 1
    failing = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert failing and all("tanh->" in line for line in failing)
    assert len(failing) == 5  # tanh with every output/loss except identity + cross-entropy


def test_missing_callables_are_not_provided(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:no_forward")
    assert status == 0 and "26 not provided" in out and "forward" in out
    status, out, _ = run(capsys, f"{IMPLS}:no_cross_entropy")
    assert status == 0
    assert out.count("not provided") >= 8 and "cross_entropy" in out


def test_raising_gradients_is_an_error(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:raises")
    assert status == 1
    assert "grad raised ValueError at x: backward not implemented yet" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no_such_module_xyz"], "no module named 'no_such_module_xyz'"),
        ([f"{IMPLS}:nothing"], "has no attribute 'nothing'"),
    ],
)
def test_bad_implementation_is_exit_2_one_line(capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_bad_option_is_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["gradcheck", f"{IMPLS}:correct", "--relu-grad-at-zero", "inf"])
    assert info.value.code == 2
    assert "expected a finite number" in capsys.readouterr().err


def test_json_report(capsys, tmp_path):
    path = tmp_path / "report.json"
    status, _, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "4", "--json", str(path))
    assert status == 1
    report = json.loads(path.read_text())
    assert report["schema_version"] == 1 and report["seed"] == 4
    assert report["summary"]["FAIL"] == 22
    case = next(c for c in report["cases"] if c["status"] == "FAIL")
    assert "S20" in case["clauses"] and case["result"]["failures"][0]["name"].startswith("layers[")


def test_json_to_unwritable_path_is_exit_2(capsys, tmp_path):
    status, _, err = run(capsys, f"{IMPLS}:correct", "--json", str(tmp_path / "no" / "r.json"))
    assert status == 2 and "cannot write --json" in err


def kink_analytics(capsys, tmp_path, impl, value):
    path = tmp_path / f"{value}.json"
    status, out, _ = run(capsys, impl, "--relu-grad-at-zero", value, "--json", str(path))
    assert status == 0 and "3 kinks" in out
    case = next(c for c in json.loads(path.read_text())["cases"] if c["id"].endswith("at-kink"))
    return [k["analytic"] for k in case["result"]["kinks"]], out


@pytest.mark.spec("S8")
def test_S8_relu_grad_at_zero_is_passed_through(capsys, tmp_path):
    at_0, _ = kink_analytics(capsys, tmp_path, f"{IMPLS}:correct", "0")
    at_1, _ = kink_analytics(capsys, tmp_path, f"{IMPLS}:correct", "1")
    assert len(at_0) == 3 and all(a == 0.0 for a in at_0) and all(a != 0.0 for a in at_1)


@pytest.mark.spec("S8")
def test_S8_relu_grad_at_zero_not_accepted_is_said(capsys, tmp_path):
    at_0, out = kink_analytics(capsys, tmp_path, f"{IMPLS}:no_relu_kwarg", "0")
    assert "gradients() takes no relu_grad_at_zero" in out
    assert all(a != 0.0 for a in at_0)  # its own ReLU'(0) = 1 was used


def test_same_seed_same_report(capsys):
    _, first, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "2", "--fast")
    _, second, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "2", "--fast")
    assert first == second and "fast mode" in first


@pytest.mark.spec("S20")
def test_S20_reference_passes(capsys):
    status, out, _ = run(capsys, "reference")
    assert status == 0, out
    assert "0 FAIL, 0 ERROR" in out
