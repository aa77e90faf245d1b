"""``nnref gradcheck`` under declared conventions, as ``nnref check`` reads them (S2, S1, S8).

W laid out (out, in) is built, handed over and compared in that layout;
arrays of float32 are handed over and judged by the float32 rule; the
threshold's sign moves the kink network's unit to u = 0; the conventions that
cannot matter are said not to.
"""

from __future__ import annotations

import json

import pytest

from tests.gradcheck.test_cli import kink_lines, run

OUT_IN = "tests.gradcheck.out_in_impl"
ADDED = "tests.conformance.impls:WRONG_BIAS_SIGN"  # u = xW + b with a matching backward
ALL = "summary: 22 passed, 0 failed, 0 errors, 0 not provided (22 checks)"


@pytest.mark.slow
@pytest.mark.spec("S2")
def test_S2_an_out_in_implementation_fails_undeclared_and_passes_declared(capsys, tmp_path):
    status, out, _ = run(capsys, f"{OUT_IN}:undeclared")
    assert status == 1 and "22 errors" in out and "W has 5 rows but its input has 3" in out
    status, out, _ = run(capsys, f"{OUT_IN}:undeclared", "--convention", "weight_layout=out_in")
    assert status == 0 and ALL in out
    assert "conventions: weight_layout=out_in (ReLU'(0) = 1 expected at the kinks)" in out
    path = tmp_path / "r.json"
    status, out, _ = run(capsys, f"{OUT_IN}:declared", "--verbose", "--json", str(path))
    assert status == 0 and ALL in out
    assert "layers[0].W (5x3)" in out  # W built, and dW compared, in the (out, in) layout
    report = json.loads(path.read_text())
    assert report["conventions"]["weight_layout"] == "out_in"
    assert set(report["conventions_unused"]) == {"squared_error", "adam"}


@pytest.mark.slow
@pytest.mark.spec("S2", "S8")
def test_S8_the_kinks_are_judged_in_the_out_in_layout(capsys):
    """Under out_in the kink entries have other names; they must still be judged."""
    status, lines = kink_lines(capsys, f"{OUT_IN}:declared", "--relu-grad-at-zero", "0")
    assert status == 1 and len(lines) == 2 and all(line.startswith("FAIL") for line in lines)
    assert "3 kink entries disagree" in lines[0]  # all three, named in the (out, in) layout
    assert "every kink entry matches ReLU'(0) = 1" in lines[0]


@pytest.mark.slow
@pytest.mark.spec("S1", "S8")
def test_S1_an_added_threshold_keeps_the_kink_at_u_0_when_declared(capsys):
    status, lines = kink_lines(capsys, ADDED, "--convention", "threshold=added")
    assert status == 0 and all(line.startswith("PASS") and " 3 kinks" in line for line in lines)
    status, lines = kink_lines(
        capsys, ADDED, "--convention", "threshold=added", "--relu-grad-at-zero", "0"
    )
    assert status == 1 and all(line.startswith("FAIL") for line in lines)
    status, lines = kink_lines(capsys, ADDED)  # undeclared, the unit is not at 0: not judged
    assert all(" 0 kinks" in line for line in lines)


@pytest.mark.slow
@pytest.mark.spec("S19", "S20")
def test_S20_float32_numpy_arrays_are_handed_over_and_judged_as_float32(capsys):
    status, out, _ = run(capsys, f"{OUT_IN}:numpy_float32")
    assert status == 0 and ALL in out
    assert "input_type=numpy, precision=float32" in out
    status, out, _ = run(capsys, f"{OUT_IN}:numpy_float32", "--convention", "precision=float64")
    assert status == 1 and "must be a float32 numpy array" in out


@pytest.mark.slow
@pytest.mark.spec("S13")
def test_S13_conventions_gradcheck_does_not_use_are_said_so(capsys):
    status, out, _ = run(
        capsys, "tests.gradcheck.impls:correct", "--convention", "squared_error=mean"
    )
    assert status == 0  # its own loss is differentiated, whatever its reduction
    assert "note: squared_error=mean does not affect gradcheck" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--convention", "weight_layout=sideways"], "weight_layout"),
    ],
)
def test_a_bad_convention_is_one_line_and_exit_2(capsys, argv, message):
    status, _, err = run(capsys, "tests.gradcheck.impls:correct", *argv)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_relu_grad_at_zero_takes_check_s_values_only(capsys):
    """The alias is the same option as in nnref check: a number in [0, 1], a one-line usage
    error else."""
    with pytest.raises(SystemExit) as info:
        run(capsys, "tests.gradcheck.impls:correct", "--relu-grad-at-zero", "1.5")
    err = capsys.readouterr().err
    assert info.value.code == 2 and "--relu-grad-at-zero: expected a number in [0, 1]" in err
    assert len(err.strip().splitlines()) == 1
