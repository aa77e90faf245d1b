"""``nnref gradcheck IMPL``: self-consistency of gradients with forward + loss (S15-S20)."""

from __future__ import annotations

import json

import pytest

import nnref
from nnref.conformance.cli import main

IMPLS = "tests.gradcheck.impls"
STATUS = ("PASS", "FAIL", "ERRO", "not ")


def run(capsys, *argv):
    status = main(["gradcheck", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_correct_numpy_implementation_passes(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:correct")
    assert status == 0
    assert "summary: 22 passed, 0 failed, 0 errors, 0 not provided (22 checks)" in out
    assert "conventions: the tutorial's (ReLU'(0) = 1 expected at the kinks)" in out
    assert "relu->identity squared_error at a kink" in out


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_wrong_bias_sign_fails_and_names_thresholds(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:broken_bias")
    assert status == 1
    assert "22 failed" in out
    assert "worst layers[2].b[" in out
    assert "hint: analytic = -1 x numeric in every failing entry" in out and "sign error" in out


@pytest.mark.slow
@pytest.mark.spec("S7")
def test_S7_wrong_tanh_derivative_fails_only_tanh_pairings(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:broken_tanh")
    assert status == 1
    failing = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert failing and all("tanh->" in line for line in failing)
    assert len(failing) == 5  # tanh with every output/loss pairing


@pytest.mark.slow
def test_missing_callables_are_not_provided(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:no_forward")
    assert status == 1 and "22 not provided" in out and "no forward" in out  # nothing checked
    assert "nothing was checked" in out
    status, out, _ = run(capsys, f"{IMPLS}:no_cross_entropy")
    assert status == 0
    assert out.count("not provided") >= 8 and "cross_entropy" in out


def test_raising_gradients_is_an_error(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:raises")
    assert status == 1
    assert "gradients raised ValueError: backward not implemented yet" in out


def test_unreadable_forward_result_is_not_blamed_on_the_implementation_raising(capsys):
    status, out, _ = run(capsys, f"{IMPLS}:ragged_forward")
    assert status == 1
    assert "forward() returned a list that nnref could not read as numbers" in out
    assert "raised" not in out.split("could not read")[0].splitlines()[-1]


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
    assert "--relu-grad-at-zero: expected a number in [0, 1], got 'inf'" in capsys.readouterr().err


@pytest.mark.slow
def test_json_report(capsys, tmp_path):
    path = tmp_path / "report.json"
    status, _, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "4", "--json", str(path))
    assert status == 1
    report = json.loads(path.read_text())
    assert report["schema_version"] == 1 and report["seed"] == 4
    assert report["nnref_version"] == nnref.__version__
    assert report["summary"]["failed"] == 22 and report["summary"]["total"] == 22
    case = next(c for c in report["cases"] if c["status"] == "FAIL")
    assert "S20" in case["clauses"] and case["result"]["failures"][0]["name"].startswith("layers[")


@pytest.mark.slow
def test_json_to_unwritable_path_is_exit_2(capsys, tmp_path):
    status, _, err = run(capsys, f"{IMPLS}:correct", "--json", str(tmp_path / "no" / "r.json"))
    assert status == 2 and "cannot write --json" in err


def kink_lines(capsys, impl, *argv):
    status, out, _ = run(capsys, impl, *argv)
    return status, [line for line in out.splitlines() if "at a kink" in line]


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_relu_grad_at_zero_is_the_declared_convention_as_in_check(capsys):
    status, lines = kink_lines(capsys, f"{IMPLS}:correct")
    assert status == 0 and len(lines) == 2 and all(line.startswith("PASS") for line in lines)
    status, lines = kink_lines(capsys, f"{IMPLS}:correct", "--relu-grad-at-zero", "0")
    assert status == 1 and all(line.startswith("FAIL") for line in lines)
    assert "matches ReLU'(0) = 1: rerun with --relu-grad-at-zero 1" in lines[0]


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_an_implementation_with_relu_grad_0_is_told_and_passes_when_declared(capsys):
    status, lines = kink_lines(capsys, f"{IMPLS}:relu_zero")
    assert status == 1 and all(line.startswith("FAIL") for line in lines)
    assert "disagree with ReLU'(0) = 1" in lines[0]
    assert "rerun with --relu-grad-at-zero 0" in lines[0]
    status, lines = kink_lines(capsys, f"{IMPLS}:relu_zero", "--relu-grad-at-zero", "0")
    assert status == 0 and all(line.startswith("PASS") for line in lines)


@pytest.mark.spec("S8")
def test_S8_fast_mode_still_judges_relu_grad_at_zero(capsys):
    status, lines = kink_lines(capsys, f"{IMPLS}:relu_zero", "--fast")
    assert status == 1 and all(line.startswith("FAIL") for line in lines)


@pytest.mark.spec("S8")
def test_S8_kinks_strict_accepts_only_a_one_sided_value(capsys):
    status, lines = kink_lines(capsys, f"{IMPLS}:relu_half", "--relu-grad-at-zero", "0.5")
    assert status == 0 and len(lines) == 2 and all(line.startswith("PASS") for line in lines)
    argv = ("--relu-grad-at-zero", "0.5", "--kinks", "strict")
    status, out, _ = run(capsys, f"{IMPLS}:relu_half", *argv)
    lines = [line for line in out.splitlines() if "at a kink" in line and line[:4] in STATUS]
    assert status == 1 and len(lines) == 2 and lines[0].startswith("FAIL")
    assert "analytic -0.0187988" in lines[0]  # between the sides: a kink only when lenient
    assert "strict kinks" in out.splitlines()[0]
    status, lines = kink_lines(capsys, f"{IMPLS}:correct", "--kinks", "strict")
    assert status == 0 and all(line.startswith("PASS") for line in lines)


@pytest.mark.spec("S8")
def test_S8_kinks_is_checked_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["gradcheck", f"{IMPLS}:correct", "--kinks", "loose"])
    assert exc.value.code == 2
    assert "invalid choice: 'loose'" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_the_value_is_never_passed_to_gradients(capsys):
    """Like check, the flag declares; an implementation accepting the keyword keeps its own."""
    status, lines = kink_lines(capsys, f"{IMPLS}:no_relu_kwarg", "--relu-grad-at-zero", "0")
    assert status == 1 and all(line.startswith("FAIL") for line in lines)


@pytest.mark.slow
def test_json_summary_keys_and_statuses_are_those_of_check(capsys, tmp_path):
    from nnref.conformance.check.options import CheckOptions
    from nnref.conformance.check.pipeline import check_implementation

    path = tmp_path / "g.json"
    run(capsys, f"{IMPLS}:no_cross_entropy", "--json", str(path))
    report = json.loads(path.read_text())
    options = CheckOptions(only=["D_ce"], properties=False)
    checked = check_implementation(f"{IMPLS}:no_cross_entropy", options)
    assert set(report["summary"]) == set(checked.summary())
    assert {c["status"] for c in report["cases"]} <= {"PASS", "FAIL", "ERROR", "not provided"}
    check_case_keys = set(checked.to_json()["cases"][0]) | {"worst"}
    assert all(check_case_keys <= set(c) for c in report["cases"])
    assert report["conventions"] == checked.to_json()["conventions"]


@pytest.mark.slow
def test_failing_line_figures_are_the_named_entry_s(capsys, tmp_path):
    path = tmp_path / "r.json"
    _, out, _ = run(capsys, f"{IMPLS}:broken_tanh", "--json", str(path))
    case = next(c for c in json.loads(path.read_text())["cases"] if c["status"] == "FAIL")
    worst = case["result"]["failures"][0]
    assert case["worst"]["entry"] == worst["name"] and case["worst"]["got"] == worst["analytic"]
    assert f"worst {worst['name']}: analytic {worst['analytic']:.6g}" in case["message"]
    assert f"(abs err {worst['abs_err']:.1e}, rel {worst['rel_err']:.1e})" in case["message"]
    assert "max abs err" not in out


@pytest.mark.slow
def test_same_seed_same_report(capsys):
    _, first, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "2", "--fast")
    _, second, _ = run(capsys, f"{IMPLS}:broken_bias", "--seed", "2", "--fast")
    assert first == second and "fast mode" in first


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_reference_passes(capsys):
    status, out, _ = run(capsys, "nnref.reference")
    assert status == 0, out
    assert "0 failed, 0 errors" in out
