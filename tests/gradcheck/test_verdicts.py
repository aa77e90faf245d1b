"""Verdicts that name the mistake: shapes, transposes, constant factors, and whose error it is."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck, vjp

X = np.arange(1.0, 7.0).reshape(2, 3)  # a non-square parameter


def cubes(p):
    return float(np.sum(p**3))


def cubes_grad(p):
    return 3 * np.asarray(p) ** 2


def hints_of(grad, x=X, f=cubes):
    result = gradcheck(f, x, grad)
    assert not result
    return result.hints


@pytest.mark.spec("S20")
@pytest.mark.parametrize("as_list", [False, True])
def test_S20_a_gradient_of_the_transposed_shape_is_a_one_line_shape_error(as_list):
    grad = cubes_grad(X).T
    with pytest.raises(GradcheckInputError) as info:
        gradcheck(cubes, X, grad.tolist() if as_list else grad)
    message = str(info.value)
    assert message.startswith("grad x has shape (3, 2) but x has shape (2, 3)")
    assert "transposed?" in message and "\n" not in message


def test_shapes_are_compared_per_named_array():
    x = {"W": X, "b": np.zeros(3)}
    grad = {"W": cubes_grad(X), "b": np.zeros((1, 3))}
    with pytest.raises(GradcheckInputError, match=r"grad b has shape \(1, 3\) but b has shape"):
        gradcheck(lambda p: cubes(p["W"]) + float(np.sum(p["b"])), x, grad)


def test_a_flat_gradient_in_x_order_is_still_accepted():
    assert gradcheck(cubes, X, cubes_grad(X).reshape(-1))


def test_a_jacobian_of_the_wrong_shape_is_refused():
    v = np.array([1.0, 2.0, 3.0])
    with pytest.raises(GradcheckInputError, match=r"Jacobian of shape \(2, 3\)"):
        gradcheck(lambda x: x[:2] ** 2, v, np.zeros((3, 2)))
    assert gradcheck(lambda x: x[:2] ** 2, v, np.diag(2 * v)[:2])


@pytest.mark.spec("S20")
@pytest.mark.parametrize(
    "grad",
    [cubes_grad(X).T.reshape(2, 3), cubes_grad(X).T.reshape(-1)],
    ids=["reshaped-not-transposed", "flattened-from-the-transpose"],
)
def test_S20_non_square_transposed_values_get_the_transpose_hint(grad):
    (hint,) = [h for h in hints_of(grad) if "transposed" in h]
    assert hint.startswith("x: the analytic values are the numeric gradient transposed (3x2)")


def test_a_square_transpose_is_still_named():
    x = np.array([[1.0, 2.0], [3.0, -1.0]])
    assert "x: the analytic gradient is the transpose of the numeric one" in hints_of(
        cubes_grad(x).T, x
    )


@pytest.mark.parametrize(
    ("factor", "shown", "cause"),
    [
        (15.0, "15", "a mean over 15 in the loss and a sum in the gradient"),
        (1 / 15, "1/15", "a mean over 15 in the gradient and a sum in the loss"),
        (2.0, "2", "a factor of 2 too many"),
        (0.5, "1/2", "a factor of 2 missing"),
        (-1.0, "-1", "a sign error"),
        (7.5, "15/2", "a mean over 15 in the loss, and a factor of 2"),
        (-15.0, "-15", "a sign error and a mean over 15"),
    ],
)
def test_a_constant_factor_is_named_with_its_usual_cause(factor, shown, cause):
    (hint,) = hints_of(factor * cubes_grad(X))
    assert hint.startswith(f"analytic = {shown} x numeric in every failing entry (x): {cause}")


def test_a_factor_that_is_no_simple_fraction_gets_no_cause():
    (hint,) = hints_of(1.37 * cubes_grad(X))
    assert hint.startswith("analytic = 1.37 x numeric") and "no simple fraction" in hint
    assert "mean" not in hint and "sign" not in hint


def test_a_factor_survives_a_noisy_numeric_side():
    """Ratios from a float32 f agree only to float32's precision; the factor is still found."""

    def f32(p):
        return np.float32(np.sum(np.asarray(p, dtype=np.float32) ** 3))

    (hint,) = hints_of(15 * cubes_grad(X), f=f32)
    assert hint.startswith("analytic = 15 x numeric")


def test_factors_differing_between_arrays_are_named_per_array():
    x = {"W": X, "b": np.array([0.5, -1.0, 2.0])}

    def f(p):
        return cubes(p["W"]) + cubes(p["b"])

    hints = hints_of({"W": 15 * cubes_grad(X), "b": -cubes_grad(x["b"])}, x, f)
    assert hints[0].startswith("W: analytic = 15 x numeric in all 6 failing entries")
    assert hints[1].startswith("b: analytic = -1 x numeric in all 3 failing entries")


def test_no_factor_is_claimed_when_the_ratios_differ():
    grad = cubes_grad(X) * np.array([[2.0, 3.0, 1.0], [1.0, 1.0, 1.0]])
    assert hints_of(grad) == []


def test_an_unreadable_result_of_f_is_nnref_s_message_not_f_raising():
    with pytest.raises(GradcheckInputError) as info:
        gradcheck(lambda p: [[1.0, 2.0], [3.0]], X, cubes_grad(X))
    message = str(info.value)
    assert message.startswith("f returned a list that nnref could not read as numbers")
    assert "f raised" not in message


def test_f_raising_is_still_blamed_on_f():
    def f(p):
        raise ZeroDivisionError("boom")

    with pytest.raises(GradcheckInputError, match=r"^f raised ZeroDivisionError at x: boom$"):
        gradcheck(f, X, cubes_grad(X))


def test_hints_are_in_the_json_form():
    result = gradcheck(cubes, X, 2 * cubes_grad(X))
    assert result.as_dict()["hints"] == result.hints and result.hints


def softmax(u):
    e = np.exp(u - np.max(u, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@pytest.mark.spec("S10")
def test_S10_a_softmax_jacobian_cut_to_its_diagonal_is_named():
    """Seen in from-scratch libraries: softmax' = p (1 - p), used as an elementwise derivative."""
    u = np.array([[0.3, -1.2, 2.0], [1.0, 0.5, -0.5]])
    diagonal = vjp(lambda x, w: w * softmax(x) * (1 - softmax(x)))
    (hint,) = gradcheck(softmax, u, diagonal).hints
    assert hint.startswith("analytic = 0 in all 12 failing entries, each f[k] wrt x[j]")
    assert "only the diagonal of the Jacobian" in hint
    right = vjp(lambda x, w: softmax(x) * (w - np.sum(w * softmax(x), axis=-1, keepdims=True)))
    assert gradcheck(softmax, u, right)


def test_a_wrong_diagonal_is_not_called_diagonal_only():
    v = np.array([0.5, -1.0, 2.0])
    result = gradcheck(np.tanh, v, np.diag(1 - np.tanh(v)))  # tanh' = 1 - y, not 1 - y^2
    assert not result and not any("diagonal" in h for h in result.hints)
