"""The knobs a variant turns: one field per way an implementation can differ from the reference.

Each field's first value is the reference's (the tutorial's). A convention's
knob has the convention's name (``threshold``, ``weight_layout``, ...) so a
declaration maps onto knobs one to one; the other knobs are known mistakes and
easily confused functions. ``OPERATIONS_OF`` says which protocol callables a
knob can change, so diagnosis replays a variant only where it can matter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

NETWORK = ("linear", "forward", "gradients")
ADAM = ("adam_step", "adam_trajectory")


@dataclass(frozen=True)
class Knobs:
    # conventions (nnref.conformance.variants.conventions.REGISTRY)
    threshold: str = "subtracted"  # | added
    weight_layout: str = "in_out"  # | out_in
    relu_grad_at_zero: str = "1"  # | 0 | 0.5 | any number in [0, 1]
    squared_error: str = "half_sum"  # | mean | sum | half_mean
    adam: str = "algorithm1"  # | efficient
    # mistakes and confusions
    threshold_ignored: bool = False
    db_sign: str = "minus"  # | plus: db = +delta although u = xW - b
    dW_layout: str = "in_out"  # | transposed
    gradient_sign: str = "ascent"  # | negated: gradients returned as -dE/dw
    sigmoid_grad: str = "y"  # | u | f_of_y: which number y(1 - y) is computed from
    tanh_grad: str = "y"  # | u | f_of_y | delta (1 - dy^2, from the incoming gradient)
    softmax_grad: str = "jacobian"  # | diagonal
    relu_grad: str = "step"  # | always_1 (y >= 0 tested on y) | relu (ReLU itself as derivative)
    hidden_derivative: str = "applied"  # | skipped: delta = W delta_next, no f'(u)
    output_delta: str = "chain"  # | y_minus_t | dE_dy | se_form: (y - t) f'(u) for every loss
    dW_input: str = "x"  # | u_below: the layer below's u instead of its output
    step_at_zero: str = "1"  # | 0
    sigmoid_form: str = "standard"  # | negated: 1 / (1 + e^u)
    tanh_form: str = "stable"  # | exp: (e^u - e^-u) / (e^u + e^-u), nan past |u| ~ 710
    softmax_shift: str = "max"  # | none | numerator (e^(u - max) / sum e^u)
    forward_output: str = "activation"  # | logits
    cross_entropy: str = "natural"  # | log10 | log2 | binary | binary_mean | mean | of_logits
    cross_entropy_sign: str = "minus"  # | plus: E = sum t ln y
    cross_entropy_renormalise: bool = False  # y / sum(y) first (Keras, optax on ln y)
    cross_entropy_clip: float = 0.0  # | 1e-7 (Keras) | eps64 (scikit-learn): [c, 1 - c]
    cross_entropy_zero_terms: str = "skipped"  # | nan: 0 ln 0 = nan where t = 0 and y = 0
    sgd_sign: str = "minus"  # | plus
    adam_bias: str = "t"  # | one_minus_beta | none | t_plus_1 | twice
    adam_eps_place: str = "outside"  # | inside
    adam_eps_default: float = 1e-8
    adam_zero_skip: bool = False
    adam_v_of: str = "g2"  # | g: v accumulates g, not g^2
    adam_sqrt: bool = True  # False: m_hat / (v_hat + eps)
    adam_betas: str = "right"  # | swapped: m with beta2, v with beta1
    box_muller_trig: str = "cos"  # | sin
    box_muller_ln_of: str = "x"  # | y | one_minus_x (CPython's random.gauss)


REFERENCE = Knobs()

OPERATIONS_OF: dict[str, tuple[str, ...]] = {
    "threshold": NETWORK,
    "weight_layout": NETWORK,
    "relu_grad_at_zero": ("gradients",),
    "squared_error": ("squared_error", "gradients"),
    "adam": ADAM,
    "threshold_ignored": NETWORK,
    "db_sign": ("gradients",),
    "dW_layout": ("gradients",),
    "gradient_sign": ("gradients",),
    "sigmoid_grad": ("gradients",),
    "tanh_grad": ("gradients",),
    "softmax_grad": ("gradients",),
    "relu_grad": ("gradients",),
    "hidden_derivative": ("gradients",),
    "output_delta": ("gradients",),
    "dW_input": ("gradients",),
    "step_at_zero": ("step", "forward"),
    "sigmoid_form": ("sigmoid", "forward", "gradients"),
    "tanh_form": ("tanh", "forward", "gradients"),
    "softmax_shift": ("softmax", "forward", "gradients"),
    "forward_output": ("forward",),
    "cross_entropy": ("cross_entropy", "gradients"),
    "cross_entropy_sign": ("cross_entropy",),
    "cross_entropy_renormalise": ("cross_entropy", "gradients"),
    "cross_entropy_clip": ("cross_entropy", "gradients"),
    "cross_entropy_zero_terms": ("cross_entropy", "gradients"),
    "sgd_sign": ("sgd_step",),
    "adam_bias": ADAM,
    "adam_eps_place": ADAM,
    "adam_eps_default": ADAM,
    "adam_zero_skip": ADAM,
    "adam_v_of": ADAM,
    "adam_sqrt": ADAM,
    "adam_betas": ADAM,
    "box_muller_trig": ("box_muller",),
    "box_muller_ln_of": ("box_muller",),
}

KNOB_NAMES = tuple(f.name for f in fields(Knobs))
assert set(OPERATIONS_OF) == set(KNOB_NAMES)


def knobs(**changes) -> Knobs:
    """The reference's knobs with ``changes``; TypeError on an unknown knob."""
    return replace(REFERENCE, **changes)


def operations(changes: dict) -> tuple[str, ...]:
    """The protocol operations a set of knob changes can affect, in a fixed order."""
    ops = {op for name in changes for op in OPERATIONS_OF[name]}
    order = ("linear", "step", "sigmoid", "tanh", "softmax", "squared_error", "cross_entropy")
    order += ("forward",)
    order += ("gradients", "sgd_step", *ADAM, "box_muller")
    return tuple(op for op in order if op in ops)
