"""The catalogue of known variants: conventions, mistakes seen in the wild, confused functions.

Each variant is a small named mutation of the reference (a few ``Knobs``
turned, see ``knobs.py``; ``model.protocol`` builds its callables from the
reference's own pieces). Diagnosis replays failing cases through them and
names the ones that reproduce an implementation's answers; the vectors must
fail every one of them (``tests/variants``).

Kinds: ``convention`` (legitimate, declare it with ``--convention``),
``mistake`` (a bug), ``different-function`` (a real function, not the one
the protocol asks for).

Where they come from. The tutorial's own code and text (its log10
cross-entropy, E1; "y - t for both losses", E4; ReLU'(0), S8) and a survey of
public from-scratch code read for this purpose (nothing copied):
Nielsen's ``network.py``/``network2.py``; karpathy's micrograd; the
Sentdex "Neural Networks from Scratch" series; course notebooks and
assignments (e.g. Antonis-Georgakopoulos/deep-learning-1,
t1mtw0/nn_scratch, jihwan-jeong's backpropagation notes); numpy Adam
implementations (unknownusername504/MicroGrad, ruziniuuuuu/niukb,
every-algorithm/python, whose step size and moments both carry the bias
correction); Keras (eps = 1e-7) and PyTorch (bias added, W as (out, in),
MSELoss's mean, ReLU'(0) = 0) for the conventions. Typical finds:
``sigmoid_derivative(z) = z * (1 - z)`` called on u; ``softmax_derivative =
s * (1 - s)``; ``np.exp(x) / np.sum(np.exp(x))`` without the shift; binary
cross-entropy where the categorical one is meant; ``p += lr * ...``.
Trying nnref on six public code bases added three variants (FIELD.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

from nnref.conformance.variants.conventions import REGISTRY
from nnref.conformance.variants.knobs import Knobs, knobs, operations

CONVENTION, MISTAKE, DIFFERENT = "convention", "mistake", "different-function"
EPS64 = sys.float_info.epsilon


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per variant
class Variant:
    id: str
    kind: str
    title: str  # one line: what the variant computes
    clause: str  # the SPEC clause it breaks (or, for a convention, departs from)
    fix: str
    changes: dict  # knob -> value

    @property
    def knobs(self) -> Knobs:
        return knobs(**self.changes)

    @property
    def operations(self) -> tuple[str, ...]:
        return operations(self.changes)


def _v(id, kind, title, clause, fix, **changes) -> Variant:
    return Variant(id, kind, title, clause, fix, changes)


CLAUSE_OF_CONVENTION = {name: c.clause for name, c in REGISTRY.items() if c.clause}


def _convention(name, value, title=None, clause=None) -> Variant:
    """The variant "convention ``name`` has ``value``" (title from the registry by default)."""
    if title is None:
        convention = REGISTRY[name]
        title = f"{name} = {value}: " + convention.meaning(value)
    clause = clause or CLAUSE_OF_CONVENTION[name]
    if value == REGISTRY[name].default:
        fix = f"that is the tutorial's convention: drop the declaration of {name}"
        return _v(f"{name}={value}", CONVENTION, title, clause, fix, **{name: value})
    fix = (
        f"declare it: --convention {name}={value} (or nnref_conventions = {{{name!r}: {value!r}}})"
    )
    return _v(f"{name}={value}", CONVENTION, title, clause, fix, **{name: value})


CATALOGUE: tuple[Variant, ...] = (
    # --- conventions (declare them) -----------------------------------------
    _convention("threshold", "added", "the threshold is added, u = xW + b (a bias)", "S1"),
    _convention("weight_layout", "out_in", "W is read as (out, in), as torch.nn.Linear", "S2"),
    _convention("relu_grad_at_zero", "0", "ReLU'(0) = 0 instead of 1", "S8"),
    _convention(
        "relu_grad_at_zero",
        "0.5",
        "ReLU'(0) = 1/2 instead of 1 (autodiff of maximum(u, 0): jax.numpy.maximum, torch.maximum)",
        "S8",
    ),
    _convention("squared_error", "mean", "squared error is the mean, not the halved sum", "S13"),
    _convention("squared_error", "sum", "squared error without the 1/2", "S13"),
    _convention("squared_error", "half_mean", "squared error is the halved mean", "S13"),
    _convention("adam", "efficient", "Adam's efficient form: eps-hat added to sqrt(v)", "S23"),
    # --- mistakes: the dense layer and backpropagation ------------------------
    _v(
        "threshold_ignored",
        MISTAKE,
        "the threshold is never used (u = xW) and gets no gradient",
        "S1",
        "subtract b in every neuron: u = xW - b",
        threshold_ignored=True,
    ),
    _v(
        "db_sign",
        MISTAKE,
        "threshold gradient db = +delta although u = xW - b",
        "S20",
        "b is subtracted, so dE/db = -delta",
        db_sign="plus",
    ),
    _v(
        "dW_transposed",
        MISTAKE,
        "dW comes back transposed (delta x^T, one row per neuron)",
        "S20",
        "dW[i][j] = x_i delta_j: one row per input, shaped like W",
        dW_layout="transposed",
    ),
    _v(
        "gradients_negated",
        MISTAKE,
        "gradients come back negated (the descent direction, not dE/dw)",
        "S20",
        "return dE/dw itself; the optimizer subtracts it",
        gradient_sign="negated",
    ),
    _v(
        "sigmoid_grad_of_u",
        MISTAKE,
        "sigmoid's derivative y(1 - y) computed from u instead of y",
        "S12",
        "f'(u) = y(1 - y) with y = sigmoid(u), the recorded output",
        sigmoid_grad="u",
    ),
    _v(
        "sigmoid_grad_of_f_y",
        MISTAKE,
        "sigmoid's derivative computed as f'(y), sigmoid applied twice",
        "S12",
        "f'(u) = y(1 - y): y is already sigmoid(u)",
        sigmoid_grad="f_of_y",
    ),
    _v(
        "tanh_grad_of_u",
        MISTAKE,
        "tanh's derivative 1 - y^2 computed from u instead of y",
        "S12",
        "f'(u) = 1 - y^2 with y = tanh(u), the recorded output",
        tanh_grad="u",
    ),
    _v(
        "tanh_grad_of_f_y",
        MISTAKE,
        "tanh's derivative computed as f'(y), tanh applied twice",
        "S12",
        "f'(u) = 1 - y^2: y is already tanh(u)",
        tanh_grad="f_of_y",
    ),
    _v(
        "tanh_grad_of_delta",
        MISTAKE,
        "tanh's derivative 1 - y^2 computed from the incoming gradient (the tutorial's code)",
        "S12",
        "f'(u) = 1 - y^2 with y = tanh(u), the recorded output, times the incoming gradient",
        tanh_grad="delta",
    ),
    _v(
        "softmax_grad_diagonal",
        MISTAKE,
        "softmax backward uses only the Jacobian's diagonal y(1 - y)",
        "S10",
        "multiply by the whole Jacobian: du = y * (dy - sum_j y_j dy_j)",
        softmax_grad="diagonal",
    ),
    _v(
        "output_delta_y_minus_t",
        MISTAKE,
        "the output error is y - t for every activation and loss",
        "S15",
        "y - t holds for identity + squared error and softmax + cross-entropy only (E4)",
        output_delta="y_minus_t",
    ),
    _v(
        "output_delta_dE_dy",
        MISTAKE,
        "the output error is dE/dy; the output activation's derivative is left out",
        "S15",
        "delta = dE/du: multiply dE/dy by the output activation's derivative (S19)",
        output_delta="dE_dy",
    ),
    _v(
        "sigmoid_grad_of_delta",
        MISTAKE,
        "sigmoid's derivative y(1 - y) computed from the incoming gradient instead of y",
        "S12",
        "f'(u) = y(1 - y) with y = sigmoid(u), the recorded output, times the incoming gradient",
        sigmoid_grad="delta",
    ),
    _v(
        "relu_grad_always_1",
        MISTAKE,
        "ReLU's derivative tested on y as y >= 0, which every output meets: all units pass "
        "the gradient",
        "S8",
        "f'(u) = 1 where u > 0 (or y > 0), 0 where u < 0",
        relu_grad="always_1",
    ),
    _v(
        "relu_grad_is_relu",
        MISTAKE,
        "ReLU itself used as its derivative: the gradient is multiplied by y = max(0, u)",
        "S8",
        "f'(u) is the step 1[u > 0], not max(0, u)",
        relu_grad="relu",
    ),
    _v(
        "hidden_delta_no_derivative",
        MISTAKE,
        "hidden deltas skip the activation's derivative: delta = W delta_next, no f'(u)",
        "S17",
        "delta_j = f'(u_j) sum_k w_jk delta_k: multiply by the hidden layer's f'(u)",
        hidden_derivative="skipped",
    ),
    _v(
        "output_delta_se_form",
        MISTAKE,
        "the output error is (y - t) f'(u) for every loss: the squared error's, used with "
        "cross-entropy too",
        "S15",
        "with cross-entropy, delta = f'(u) dE/dy with dE/dy = -t / y (y - t after softmax, E4)",
        output_delta="se_form",
    ),
    _v(
        "dW_from_u_below",
        MISTAKE,
        "dW multiplies delta by the layer below's u instead of its output f(u)",
        "S20",
        "dW[i][j] = x_i delta_j with x the layer's input: the activation of the layer below",
        dW_input="u_below",
    ),
    # --- mistakes: activations and losses --------------------------------------
    _v(
        "step_at_zero_0",
        MISTAKE,
        "step(0) = 0 (u > 0 instead of u >= 0)",
        "S5",
        "1 where u >= 0",
        step_at_zero="0",
    ),
    _v(
        "softmax_no_shift",
        MISTAKE,
        "softmax without subtracting max(u): overflows to inf/nan",
        "S10",
        "compute e^(u_i - max u) / sum_j e^(u_j - max u)",
        softmax_shift="none",
    ),
    _v(
        "sigmoid_negated_exponent",
        MISTAKE,
        "sigmoid written 1 / (1 + e^u): the sign of the exponent dropped",
        "S6",
        "sigmoid(u) = 1 / (1 + e^(-u))",
        sigmoid_form="negated",
    ),
    _v(
        "tanh_from_exp",
        MISTAKE,
        "tanh written (e^u - e^-u) / (e^u + e^-u): inf / inf = nan for |u| past about 710",
        "S7",
        "use math.tanh / numpy.tanh, or (1 - e^(-2|u|)) / (1 + e^(-2|u|)) with the sign of u",
        tanh_form="exp",
    ),
    _v(
        "softmax_shift_numerator_only",
        MISTAKE,
        "softmax with max(u) subtracted in the numerator only: e^(u_i - max u) / sum_j e^(u_j)",
        "S10",
        "subtract max(u) in both: e^(u_i - max u) / sum_j e^(u_j - max u)",
        softmax_shift="numerator",
    ),
    _v(
        "cross_entropy_log10",
        MISTAKE,
        "cross-entropy with log10 (the tutorial's printed D_ce, E1)",
        "S14",
        "use the natural log",
        cross_entropy="log10",
    ),
    _v(
        "cross_entropy_mean",
        MISTAKE,
        "cross-entropy averaged over the classes instead of summed",
        "S14",
        "E = -sum_k t_k ln y_k (a sum over the outputs)",
        cross_entropy="mean",
    ),
    _v(
        "cross_entropy_log2",
        MISTAKE,
        "cross-entropy with log2 (bits) instead of the natural log",
        "S14",
        "use the natural log: E = -sum_k t_k ln y_k",
        cross_entropy="log2",
    ),
    _v(
        "cross_entropy_no_minus",
        MISTAKE,
        "cross-entropy without its minus sign: E = sum_k t_k ln y_k (never positive)",
        "S14",
        "E = -sum_k t_k ln y_k",
        cross_entropy_sign="plus",
    ),
    _v(
        "cross_entropy_0log0_nan",
        MISTAKE,
        "cross-entropy -sum t ln y over every class: 0 ln 0 = NaN where t = 0 and y underflowed "
        "to 0 (and autodiff's 0/0 = NaN in the gradient)",
        "S14",
        "skip the terms with t_k = 0 (0 ln 0 = 0), e.g. scipy.special.xlogy or where(t > 0, ...); "
        "for gradients, differentiate through the logits: delta = y - t (E4)",
        cross_entropy_zero_terms="nan",
    ),
    # --- mistakes: optimizers -------------------------------------------------
    _v(
        "sgd_plus",
        MISTAKE,
        "SGD adds the gradient (w + lr g)",
        "S22",
        "w <- w - lr g",
        sgd_sign="plus",
    ),
    _v(
        "adam_bias_one_minus_beta",
        MISTAKE,
        "bias correction with 1 - beta instead of 1 - beta^t",
        "S23",
        "m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)",
        adam_bias="one_minus_beta",
    ),
    _v(
        "adam_no_bias_correction",
        MISTAKE,
        "no bias correction (m and v used as they are)",
        "S23",
        "divide by 1 - beta1^t and 1 - beta2^t",
        adam_bias="none",
    ),
    _v(
        "adam_t_plus_1",
        MISTAKE,
        "bias correction with t + 1 (the step number counted twice)",
        "S23",
        "t is the 1-based number of this step",
        adam_bias="t_plus_1",
    ),
    _v(
        "adam_bias_twice",
        MISTAKE,
        "bias correction applied twice: in the step size and in m_hat, v_hat",
        "S23",
        "correct either m and v (Algorithm 1) or the step size (efficient form), not both",
        adam_bias="twice",
    ),
    _v(
        "adam_eps_inside_sqrt",
        MISTAKE,
        "eps inside the square root: sqrt(v_hat + eps)",
        "S23",
        "w <- w - lr m_hat / (sqrt(v_hat) + eps)",
        adam_eps_place="inside",
    ),
    _v(
        "adam_eps_1e-7",
        MISTAKE,
        "eps defaults to 1e-7 (Keras, numpy-ml) instead of 1e-8",
        "S23",
        "the protocol's default eps is 1e-8: an adapter passes eps=1e-8 to a library whose "
        "own default differs",
        adam_eps_default=1e-7,
    ),
    _v(
        "adam_zero_grad_skipped",
        MISTAKE,
        "a weight whose gradient is 0 is skipped (its m, v and w unchanged; the tutorial's code)",
        "S23",
        "every step counts for every weight: m and v decay and w moves",
        adam_zero_skip=True,
    ),
    _v(
        "adam_v_of_g",
        MISTAKE,
        "Adam's second moment accumulates g instead of g^2",
        "S23",
        "v <- beta2 v + (1 - beta2) g^2",
        adam_v_of="g",
    ),
    _v(
        "adam_no_sqrt",
        MISTAKE,
        "Adam divides by v_hat + eps, without the square root",
        "S23",
        "w <- w - lr m_hat / (sqrt(v_hat) + eps)",
        adam_sqrt=False,
    ),
    _v(
        "adam_betas_swapped",
        MISTAKE,
        "Adam's moments with the betas swapped: m with beta2, v with beta1",
        "S23",
        "m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2",
        adam_betas="swapped",
    ),
    _v(
        "box_muller_ln_of_y",
        MISTAKE,
        "Box-Muller takes ln of the wrong uniform: sqrt(-2 ln y) cos(2 pi x)",
        "S25",
        "z = sqrt(-2 ln x) cos(2 pi y)",
        box_muller_ln_of="y",
    ),
    # --- different functions ----------------------------------------------------
    _v(
        "cross_entropy_binary",
        DIFFERENT,
        "binary cross-entropy where the categorical one is meant",
        "S14",
        "E = -sum_k t_k ln y_k, without the (1 - t) ln(1 - y) terms",
        cross_entropy="binary",
    ),
    _v(
        "cross_entropy_binary_mean",
        DIFFERENT,
        "binary cross-entropy averaged over the outputs (Keras, torch.nn.BCELoss's mean)",
        "S14",
        "E = -sum_k t_k ln y_k: the categorical one, summed over the outputs",
        cross_entropy="binary_mean",
    ),
    _v(
        "cross_entropy_of_logits",
        DIFFERENT,
        "cross-entropy that applies its own softmax to y, as torch.nn.functional.cross_entropy "
        "does to logits: given probabilities, softmax is applied twice",
        "S14",
        "E = -sum_k t_k ln y_k on the probabilities y (or hand such a loss the logits u)",
        cross_entropy="of_logits",
    ),
    _v(
        "cross_entropy_renormalised",
        DIFFERENT,
        "cross-entropy of y / sum(y): y renormalised to sum to 1 first (Keras's "
        "categorical_crossentropy; optax's softmax cross-entropy given ln y)",
        "S14",
        "E = -sum_k t_k ln y_k on y as given (the same only where y sums to 1)",
        cross_entropy_renormalise=True,
    ),
    _v(
        "cross_entropy_clipped_1e-7",
        DIFFERENT,
        "cross-entropy of y clipped into [1e-7, 1 - 1e-7], with no gradient outside the clip "
        "(Keras's epsilon)",
        "S14",
        "E = -sum_k t_k ln y_k on y as given: no clip (an underflowed y counts as the smallest "
        "float), and delta = y - t after softmax (E4)",
        cross_entropy_clip=1e-7,
    ),
    _v(
        "cross_entropy_clipped_eps64",
        DIFFERENT,
        "cross-entropy of y clipped into [eps, 1 - eps] with float64's eps = 2.2e-16, no "
        "gradient outside (scikit-learn's log_loss)",
        "S14",
        "E = -sum_k t_k ln y_k on y as given: no clip (an underflowed y counts as the smallest "
        "float)",
        cross_entropy_clip=EPS64,
    ),
    _v(
        "box_muller_ln_of_one_minus_x",
        DIFFERENT,
        "Box-Muller with ln(1 - x): sqrt(-2 ln(1 - x)) cos(2 pi y), as CPython's random.gauss",
        "S25",
        "z = sqrt(-2 ln x) cos(2 pi y)",
        box_muller_ln_of="one_minus_x",
    ),
    _v(
        "box_muller_sin",
        DIFFERENT,
        "Box-Muller's other output, with sin instead of cos",
        "S25",
        "z = sqrt(-2 ln x) cos(2 pi y)",
        box_muller_trig="sin",
    ),
    _v(
        "forward_returns_logits",
        DIFFERENT,
        "forward returns the last layer's u (logits), not its activation",
        "S10",
        "apply the output layer's activation in forward",
        forward_output="logits",
    ),
)

BY_ID = {v.id: v for v in CATALOGUE}
assert len(BY_ID) == len(CATALOGUE)


@cache
def candidates(base: Knobs) -> tuple[Variant, ...]:
    """What diagnosis tries under the conventions ``base``: every mistake and confusion, and
    every value of each convention other than the one in force (the tutorial's included)."""
    out = [v for v in CATALOGUE if v.kind != CONVENTION]
    for name in CLAUSE_OF_CONVENTION:
        for value in REGISTRY[name].values:
            if value != getattr(base, name):
                out.append(BY_ID.get(f"{name}={value}") or _convention(name, value))
    return tuple(out)
