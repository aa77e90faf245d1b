"""Every accepted form of x and grad, the names of entries, and one-line errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck, vjp
from nnref.conformance.finitediff.inputs import flatten


def test_names_of_a_dict_of_arrays():
    flat = flatten({"W1": np.zeros((4, 8)), "b1": np.zeros(8)})
    assert flat.name(3 * 8 + 7) == "W1[3][7]"
    assert flat.name(32 + 2) == "b1[2]"


@pytest.mark.spec("S2")
def test_S2_names_of_protocol_layers_with_activation_passed_through():
    layers = [
        {"W": [[0.0] * 3] * 2, "b": [0.0] * 3, "activation": "relu"},
        {"W": [[0.0]] * 3, "b": [0.0], "activation": "identity"},
    ]
    flat = flatten(layers)
    assert flat.n == 6 + 3 + 3 + 1
    assert flat.name(5) == "layers[0].W[1][2]"
    assert flat.name(6 + 3 + 2) == "layers[1].W[2][0]"
    rebuilt = flat.rebuild(flat.theta)
    assert rebuilt[0]["activation"] == "relu" and isinstance(rebuilt[0]["W"][1][2], float)


def test_names_of_nested_lists_numbers_and_named_top():
    assert flatten([[1.0, 2.0], [3.0, 4.0]]).name(3) == "x[1][1]"
    assert flatten(2.5).name(0) == "x"
    assert flatten(np.zeros((2, 2)), prefix="theta").name(2) == "theta[1][0]"
    assert flatten({"net": {"W": np.zeros(2)}}).name(1) == "net.W[1]"


def test_f_receives_the_users_structure():
    seen = []

    def f(p):
        seen.append((type(p["W"]), type(p["b"]), p["act"]))
        return float(np.sum(p["W"]) + sum(p["b"]))

    x = {"W": np.ones((2, 2)), "b": [1.0, 2.0], "act": "tanh"}
    assert gradcheck(f, x, {"W": np.ones((2, 2)), "b": [1.0, 1.0]})
    assert set(seen) == {(np.ndarray, list, "tanh")}


def test_gradient_as_flat_array_and_callable_and_jacobian_list():
    x = {"a": np.array([1.0, 2.0]), "b": np.array([3.0])}

    def f(p):
        return float(p["a"] @ p["a"] + 3 * p["b"][0])

    assert gradcheck(f, x, np.array([2.0, 4.0, 3.0]))
    assert gradcheck(f, x, lambda p: {"a": 2 * p["a"], "b": [3.0]})

    def g(p):
        return np.array([p["a"][0] * p["b"][0], p["a"][1]])

    rows = [{"a": [3.0, 0.0], "b": [1.0]}, {"a": [0.0, 1.0], "b": [0.0]}]
    assert gradcheck(g, x, rows)
    assert gradcheck(g, x, vjp(lambda p, w: {"a": [w[0] * 3.0, w[1]], "b": [w[0] * 1.0]}))


def test_vector_f_failure_names_output_and_entry():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    result = gradcheck(lambda v: A @ v, [0.5, -0.5], A.T)
    assert not result
    assert set(result.failing_names) == {"f[0] wrt x[1]", "f[1] wrt x[0]"}


@pytest.mark.parametrize(
    ("x", "grad", "message"),
    [
        ({"W": np.zeros(2)}, {"W": np.zeros(3)}, "grad W has shape (3,) but W has shape (2,)"),
        ({"W": np.zeros(2)}, {"V": np.zeros(2)}, "grad has no entry W"),
        ({"W": ["a", "b"]}, {"W": [0, 0]}, "holds no numbers"),
        ("text", 0.0, "holds no numbers"),
    ],
)
def test_bad_input_is_one_line(x, grad, message):
    with pytest.raises(GradcheckInputError) as info:
        gradcheck(lambda p: 0.0, x, grad)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_f_raising_names_the_probe_and_options_are_checked():
    def f(v):
        if v[1] > 1.0:
            raise ZeroDivisionError("boom")
        return float(np.sum(v))

    with pytest.raises(
        GradcheckInputError, match=r"f raised ZeroDivisionError at x \+ h\*e\[x\[1\]\]"
    ):
        gradcheck(f, [0.0, 1.0], [1.0, 1.0])
    with pytest.raises(TypeError, match="unexpected keyword argument 'tol'"):
        gradcheck(f, [0.0], [1.0], tol=1)  # the options are named in the signature
    with pytest.raises(GradcheckInputError, match="method must be"):
        gradcheck(f, [0.0], [1.0], method="forward")


def test_f_writing_into_its_argument_gets_a_clear_error():
    def f(v):
        v[0] = 0.0
        return float(np.sum(v))

    with pytest.raises(GradcheckInputError, match=r"f raised ValueError at x: .*read-only"):
        gradcheck(f, np.array([1.0, 2.0]), [1.0, 1.0])


def test_lists_are_fresh_at_every_call():
    def f(v):
        total = sum(t * t for t in v)
        v[0] = 99.0
        return total

    assert gradcheck(f, [1.0, 2.0], [2.0, 4.0])


@pytest.mark.slow  # importing torch takes seconds
def test_torch_tensor_and_autograd_gradient():
    torch = pytest.importorskip("torch")
    W = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float64)

    def f(p):
        return torch.tanh(p["W"]).sum()

    Wg = W.clone().requires_grad_(True)
    f({"W": Wg}).backward()
    assert gradcheck(f, {"W": W}, {"W": Wg.grad})
    wrong = Wg.grad.clone()
    wrong[1, 0] *= -1
    result = gradcheck(f, {"W": W}, {"W": wrong})
    assert result.failing_names == ["W[1][0]"]
