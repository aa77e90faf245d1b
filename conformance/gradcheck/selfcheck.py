"""Self-consistency of an implementation: its ``gradients`` against differences of its own loss.

For every pairing of a hidden activation (sigmoid, tanh, relu, identity; step
has no derivative, S5), an output activation (identity, softmax, sigmoid) and
a loss (squared_error, cross_entropy), a seeded random network
(``[3, 5, 4, 3]``: two hidden layers, so the backward recursion of S20 runs
twice) is checked with ``gradcheck``:

    f(layers) = impl.<loss>(impl.forward(layers, x), t)
    grad      = impl.gradients(layers, x, t, loss)

No reference is needed: the verdict says whether the implementation's
backpropagation is the derivative of its own forward pass and loss. Two more
cases put a ReLU unit exactly at u = 0 (dyadic numbers, exact in any summation
order) to show the kink handling and ``relu_grad_at_zero``. Cross-entropy of
an identity output is skipped (the outputs can be <= 0, where ln is undefined).
"""

from __future__ import annotations

import inspect
import math
import random
from dataclasses import dataclass, field

import numpy as np

from conformance.gradcheck import GradcheckInputError, GradcheckResult, gradcheck
from conformance.names import CLAUSE_OF, HIDDEN, LOSSES, OUTPUTS, PAIRINGS, S15_PAIRINGS

SIZES = (3, 5, 4, 3)


@dataclass
class Case:
    """One network of one pairing, and what came of checking it."""

    id: str
    hidden: str
    output: str
    loss: str
    clauses: list[str]
    kink: bool = False
    status: str = ""  # PASS | FAIL | ERROR | not provided | skipped
    message: str = ""
    result: GradcheckResult | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        r = self.result
        return {
            "id": self.id,
            "clauses": self.clauses,
            "hidden": self.hidden,
            "output": self.output,
            "loss": self.loss,
            "at_kink": self.kink,
            "status": self.status,
            "message": self.message,
            "max_abs_err": r.max_abs_err if r is not None else None,
            "max_rel_err": r.max_rel_err if r is not None else None,
            "result": r.as_dict() if r is not None else None,
        }


def cases() -> list[Case]:
    """Every hidden x output x loss (the full grid, unpaired ones included), then the two kinks."""
    out = []
    for hidden in HIDDEN:
        for output in OUTPUTS:
            for loss in LOSSES:
                out.append(_case(hidden, output, loss))
    out.append(_case("relu", "identity", "squared_error", kink=True))
    out.append(_case("relu", "softmax", "cross_entropy", kink=True))
    return out


def _case(hidden, output, loss, kink=False) -> Case:
    clauses = ["S1", "S2", CLAUSE_OF[hidden], CLAUSE_OF[output], CLAUSE_OF[loss], "S19", "S20"]
    if (output, loss) in S15_PAIRINGS:
        clauses.insert(5, "S15")
    name = f"gradcheck/{hidden}-{output}-{loss}" + ("-at-kink" if kink else "")
    return Case(name, hidden, output, loss, sorted(set(clauses), key=_clause_key), kink)


def _clause_key(c: str) -> int:
    return int(c[1:])


def random_network(rng: random.Random, hidden: str, output: str):
    """Layers with weights N(0, 1/fan_in), thresholds U(-0.5, 0.5); x in U(-1, 1); t one-hot."""
    layers = []
    for n_in, n_out, act in zip(SIZES[:-1], SIZES[1:], (hidden, hidden, output), strict=True):
        W = [[rng.gauss(0.0, 1.0 / math.sqrt(n_in)) for _ in range(n_out)] for _ in range(n_in)]
        b = [rng.uniform(-0.5, 0.5) for _ in range(n_out)]
        layers.append({"W": W, "b": b, "activation": act})
    x = [rng.uniform(-1.0, 1.0) for _ in range(SIZES[0])]
    t = [0.0] * SIZES[-1]
    t[rng.randrange(SIZES[-1])] = 1.0
    return layers, x, t


def kink_network(rng: random.Random, output: str):
    """One ReLU layer whose first unit has u = x.W[:,0] - b_0 = 0 exactly (dyadic numbers)."""
    x = [1.0, 0.0, 1.0]  # the tutorial's applicant (S4)

    def dyadic():
        return rng.randint(-8, 8) / 4.0

    W1 = [[dyadic() for _ in range(4)] for _ in range(3)]
    b1 = [dyadic() + 0.125 for _ in range(4)]  # + 1/8: the other units are never at 0
    b1[0] = sum(x[i] * W1[i][0] for i in range(3))
    W2 = [[dyadic() + 0.0625 for _ in range(3)] for _ in range(4)]
    b2 = [dyadic() for _ in range(3)]
    layers = [
        {"W": W1, "b": b1, "activation": "relu"},
        {"W": W2, "b": b2, "activation": output},
    ]
    t = [0.0, 1.0, 0.0]
    return layers, x, t


def run(impl, provided: dict, seed: int = 0, relu_grad_at_zero=None, **options) -> list[Case]:
    """Check every case; ``provided`` maps protocol names to the implementation's callables."""
    all_cases = cases()
    notes = []
    grad_kwargs = {}
    if relu_grad_at_zero is not None:
        if "gradients" in provided and _accepts(provided["gradients"], "relu_grad_at_zero"):
            grad_kwargs["relu_grad_at_zero"] = relu_grad_at_zero
        else:
            notes.append(
                "gradients() takes no relu_grad_at_zero: the implementation's own ReLU'(0) is used"
            )
    for k, case in enumerate(all_cases):
        case.notes = list(notes)
        missing = [n for n in ("gradients", "forward", case.loss) if n not in provided]
        if missing:
            case.status, case.message = "not provided", ", ".join(missing)
            continue
        # The grid keeps the one combination of OUTPUTS x LOSSES that is not a protocol
        # pairing, identity + cross_entropy, and reports it as skipped rather than dropping it.
        if (case.output, case.loss) not in PAIRINGS:
            case.status = "skipped"
            case.message = "cross_entropy of an identity output (outputs can be <= 0: ln undefined)"
            continue
        rng = random.Random(seed * 1000 + k)
        if case.kink:
            layers, x, t = kink_network(rng, case.output)
        else:
            layers, x, t = random_network(rng, case.hidden, case.output)
        _check_one(case, provided, layers, x, t, grad_kwargs, seed, options)
    return all_cases


def _check_one(case, provided, layers, x, t, grad_kwargs, seed, options) -> None:
    forward, loss_fn, gradients = provided["forward"], provided[case.loss], provided["gradients"]

    def f(params):
        y = np.asarray(_plain(forward(params, list(x))), dtype=np.float64).reshape(-1)
        return float(np.asarray(_plain(loss_fn(y.tolist(), list(t)))))

    def grad(params):
        return gradients(params, list(x), list(t), case.loss, **grad_kwargs)

    try:
        result = gradcheck(f, layers, grad, seed=seed, **options)
    except GradcheckInputError as exc:
        case.status, case.message = "ERROR", str(exc)
        return
    case.result = result
    case.status = "PASS" if result else "FAIL"
    if not result:
        worst = result.failures[0] if result.failures else None
        case.message = (
            f"{result.failed} failing, worst {worst.name}: analytic {worst.analytic:.6g}, "
            f"numeric {worst.numeric:.6g}"
            if worst
            else f"{result.nonfinite} non-finite"
        )
    else:
        what = "directions" if result.mode == "fast" else "entries"
        case.message = f"{result.checked} {what}, {result.kinks} kinks"


def _plain(value):
    """A tensor or array-like as something numpy takes (tensors detached)."""
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value


def _accepts(fn, name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
