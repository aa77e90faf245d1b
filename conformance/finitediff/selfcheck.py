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
order). Cross-entropy of an identity output is not a protocol pairing (the
outputs can be <= 0, where ln is undefined) and is not in the grid.

Declared conventions (``nnref.conformance.variants.conventions``, as in ``nnref check``)
change what is built and how it is handed over, never the verdict's logic
(``USES`` says how each one matters here, ``UNUSED`` why the others cannot):
``weight_layout=out_in`` builds every W as (out, in), so dW is compared in
that layout and entries are named in it; ``input_type`` and ``precision`` make
the child hand the implementation arrays or tensors of that dtype, and under
float32 the loss and the gradients are judged by the float32 rule of
``nnref.conformance.finitediff.settings``; ``threshold=added`` moves the kink
network's threshold so its ReLU unit is still at u = 0.

ReLU'(0) means what it means in ``nnref check``: the convention the
implementation *uses* (the tutorial's is 1, S8), declared, never passed to it.
Finite differences cannot check a derivative at a kink, but they measure the
two one-sided derivatives there; the unit at ``u = 0`` is known, so the side
on which it is active is known too, and ReLU'(0) = ``v`` predicts the analytic
value ``v * active + (1 - v) * inactive`` at each kink entry. A kink case
fails when the implementation's value is another, and says which ReLU'(0) it
does match.

Statuses and summary keys are those of ``nnref check`` (``PASS``, ``FAIL``,
``ERROR``, ``not provided``; ``passed``, ``failed``, ``errors``,
``not_provided``, ``total``). Errors are blamed on what raised them:
``forward raised ...``, ``gradients raised ...``, or, when nnref cannot read
what a callable returned, ``forward() returned a ... that nnref could not read``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

from nnref.conformance.finitediff import GradcheckInputError, GradcheckResult, gradcheck
from nnref.conformance.finitediff.problem import first_line, read_numbers
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS
from nnref.conformance.protocol.names import CLAUSE_OF, HIDDEN, PAIRINGS, S15_PAIRINGS
from nnref.conformance.variants.conventions import Conventions

#: How each convention matters to gradcheck.
USES = {
    "weight_layout": "W is built, handed over and its dW compared in this layout",
    "threshold": "where the kink cases put their ReLU unit at u = 0",
    "relu_grad_at_zero": "the value expected at the kink cases",
    "input_type": "how forward, the loss and gradients are handed their arguments",
    "precision": "float32: the float32 rule of steps and tolerances",
}
#: Why the other conventions cannot change gradcheck's verdict.
UNUSED = {
    "squared_error": "the implementation's own loss is differentiated, whatever its reduction",
    "adam": "no optimizer is checked",
}


def unused(conventions) -> dict[str, str]:
    """``{name: why}`` for every convention in force that gradcheck does not use."""
    return {
        name: UNUSED.get(name, "gradcheck does not use it")
        for name in conventions.as_dict()
        if name not in USES
    }


def kink_sense(conventions) -> dict[str, float]:
    """In the kink network, how the ReLU unit at u = 0 moves with each entry, by its name in
    the layout in force: du/dW[i][0] = x_i for x = (1, 0, 1), du/db[0] = -1 when the
    threshold is subtracted (S1), +1 when added. Entries not listed do not move u."""
    out_in = conventions["weight_layout"] == "out_in"
    w = ("layers[0].W[0][0]", "layers[0].W[0][2]" if out_in else "layers[0].W[2][0]")
    b = 1.0 if conventions["threshold"] == "added" else -1.0
    return {w[0]: 1.0, w[1]: 1.0, "layers[0].b[0]": b}


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
    status: str = ""  # PASS | FAIL | ERROR | not provided, as in nnref check
    message: str = ""
    result: GradcheckResult | None = None
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The report's line: status, pairing, and a message whose figures are its own entry's."""
        label = f"{self.hidden}->{self.output} {self.loss}" + (" at a kink" if self.kink else "")
        return f"{self.status:<12} {label:<42} {self.message}"

    def as_dict(self) -> dict:
        """The keys of a case in ``nnref check --json`` (kind "gradcheck"), then its own."""
        r = self.result
        tolerance = None if r is None else {"abs": r.precision.atol, "rel": r.precision.rtol}
        return {
            "id": self.id,
            "kind": "gradcheck",
            "clauses": self.clauses,
            "tolerance": tolerance,
            "hidden": self.hidden,
            "output": self.output,
            "loss": self.loss,
            "at_kink": self.kink,
            "status": self.status,
            "message": self.message,
            "max_abs_err": r.max_abs_err if r is not None else None,
            "max_rel_err": r.max_rel_err if r is not None else None,
            "worst": _worst(r),
            "result": r.as_dict() if r is not None else None,
        }


def _worst(r: GradcheckResult | None) -> dict | None:
    """The worst failing entry in the shape of ``nnref check``'s ``worst`` (expected: the
    finite difference, got: the implementation's gradient); None when nothing failed."""
    if r is None or not r.failures:
        return None
    e = r.failures[0]
    figures = {
        "expected": e.numeric,
        "got": e.analytic,
        "abs_err": e.abs_err,
        "rel_err": e.rel_err,
        "ratio": e.abs_err / e.tol if e.tol > 0 else None,
    }
    return {"entry": e.name} | {
        k: v if v is None or math.isfinite(v) else None for k, v in figures.items()
    }


def cases() -> list[Case]:
    """Every hidden activation x every S15-S20 pairing of output and loss, then the two kinks."""
    out = []
    for hidden in HIDDEN:
        for output, loss in _GRID:
            out.append(_case(hidden, output, loss))
    out.append(_case("relu", "identity", "squared_error", kink=True))
    out.append(_case("relu", "softmax", "cross_entropy", kink=True))
    return out


#: Output activation x loss: identity, softmax and sigmoid outputs with every loss they pair with.
_GRID = [pair for pair in PAIRINGS if pair[0] in ("identity", "softmax", "sigmoid")]


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


def kink_network(rng: random.Random, output: str, threshold: str = "subtracted"):
    """One ReLU layer whose first unit has u = x.W[:,0] - b_0 = 0 exactly (dyadic numbers);
    ``threshold="added"``: u = x.W[:,0] + b_0 = 0."""
    x = [1.0, 0.0, 1.0]  # the tutorial's applicant (S4)

    def dyadic():
        return rng.randint(-8, 8) / 4.0

    W1 = [[dyadic() for _ in range(4)] for _ in range(3)]
    b1 = [dyadic() + 0.125 for _ in range(4)]  # + 1/8: the other units are never at 0
    b1[0] = sum(x[i] * W1[i][0] for i in range(3))
    if threshold == "added":
        b1[0] = -b1[0]
    W2 = [[dyadic() + 0.0625 for _ in range(3)] for _ in range(4)]
    b2 = [dyadic() for _ in range(3)]
    layers = [
        {"W": W1, "b": b1, "activation": "relu"},
        {"W": W2, "b": b2, "activation": output},
    ]
    t = [0.0, 1.0, 0.0]
    return layers, x, t


def run(impl, provided: dict, seed: int = 0, conventions=None, **options):
    """``(cases, interrupted)``: every case checked; ``provided`` maps protocol names to the
    implementation's callables. Ctrl-C stops the run: the cases finished so far come
    back, with ``interrupted`` True.

    ``conventions``: the ``Conventions`` in force (None: the tutorial's). They decide
    the layout of W, the kink network's threshold, the ReLU'(0) judged at the kink
    cases and the float32 rule (see the module docstring). Arrays and tensors are
    the caller's business: ``provided`` hands them over.
    """

    conventions = conventions or Conventions.tutorial()
    done: list[Case] = []
    try:
        for k, case in enumerate(cases()):
            _run_case(case, k, provided, seed, conventions, options)
            done.append(case)
    except KeyboardInterrupt:
        return done, True
    return done, False


def _run_case(case: Case, k: int, provided, seed: int, conventions, options) -> None:
    """Build case ``k``'s network in the conventions in force, check it, judge its kinks."""
    missing = [n for n in ("gradients", "forward", case.loss) if n not in provided]
    if missing:
        case.status, case.message = NOT_PROVIDED, "no " + ", ".join(missing)
        return
    rng = random.Random(seed * 1000 + k)
    if case.kink:
        layers, x, t = kink_network(rng, case.output, conventions["threshold"])
    else:
        layers, x, t = random_network(rng, case.hidden, case.output)
    if conventions["weight_layout"] == "out_in":
        layers = [{**layer, "W": [list(col) for col in zip(*layer["W"])]} for layer in layers]
    float32 = conventions["precision"] == "float32"
    if float32:  # the point itself in float32, as the implementation will be given it
        layers, x = _rounded32(layers), np.float32(x).astype(float).tolist()
    # The kink cases (31 entries) always run entry by entry: fast mode's directions
    # would blur the kink entries, and ReLU'(0) could not be judged.
    opts = {**options, "fast": False} if case.kink else options
    _check_one(case, provided, (layers, x, t), seed, float32, opts)
    if case.kink and case.status == PASS:
        relu0 = float(conventions["relu_grad_at_zero"])
        _judge_kinks(case, relu0, kink_sense(conventions))


def summary(all_cases: list[Case]) -> dict:
    """Counts under ``nnref check``'s summary keys."""
    count = {s: sum(c.status == s for c in all_cases) for s in (PASS, FAIL, ERROR, NOT_PROVIDED)}
    return {
        "passed": count[PASS],
        "failed": count[FAIL],
        "errors": count[ERROR],
        "not_provided": count[NOT_PROVIDED],
        "total": len(all_cases),
    }


def summary_line(all_cases: list[Case]) -> str:
    """``summary: 22 passed, 0 failed, 0 errors, 0 not provided (22 checks)``, as check prints."""
    s = summary(all_cases)
    return (
        f"summary: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors, "
        f"{s['not_provided']} not provided ({s['total']} checks)"
    )


def _check_one(case, provided, network, seed, float32: bool, options) -> None:
    """Run gradcheck on one network; under float32 the loss and the gradients are marked
    float32 (they crossed from the child as plain floats), so its float32 rule applies."""
    forward, loss_fn, gradients = provided["forward"], provided[case.loss], provided["gradients"]
    layers, x, t = network
    as_float = np.float32 if float32 else float
    given = _rounded32 if float32 else (lambda params: params)

    def f(params):
        y = _called("forward", forward, given(params), list(x))
        y = _readable(y, "forward()").reshape(-1)
        loss = _readable(_called(case.loss, loss_fn, y.tolist(), list(t)), case.loss + "()")
        return as_float(float(loss))

    def grad(params):
        got = _called("gradients", gradients, given(params), list(x), list(t), case.loss)
        return _as_float32(got) if float32 else got

    try:
        result = gradcheck(f, layers, grad, seed=seed, **options)
    except GradcheckInputError as exc:
        case.status, case.message = ERROR, str(exc)
        return
    case.result = result
    case.status = PASS if result else FAIL
    if not result:
        worst = result.failures[0] if result.failures else None
        case.message = (
            f"{result.failed} failing; worst {worst.name}: analytic {worst.analytic:.6g}, "
            f"numeric {worst.numeric:.6g} (abs err {worst.abs_err:.1e}, rel {worst.rel_err:.1e})"
            if worst
            else f"{result.nonfinite} non-finite"
        )
    else:
        what = "directions" if result.mode == "fast" else "entries"
        case.message = (
            f"{result.checked} {what}, {result.kinks} kinks; largest error abs "
            f"{result.max_abs_err:.1e}, rel {result.max_rel_err:.1e}"
        )


def _called(name: str, fn, *args):
    """``fn(*args)``; what it raises is worded as the implementation's ``name`` raising."""
    try:
        return fn(*args)
    except Exception as exc:
        raise GradcheckInputError(
            f"{name} raised {type(exc).__name__}: {first_line(exc)}".rstrip(": ")
        ) from exc


def _readable(value, who: str) -> np.ndarray:
    """``value`` as float64 numbers; what nnref cannot read is nnref's message, not a raise."""
    arr = read_numbers(value, f"{who} returned")
    try:
        return np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise GradcheckInputError(
            f"{who} returned a {type(value).__name__} that nnref could not read as numbers "
            f"({type(exc).__name__}: {first_line(exc)})"
        ) from exc


def _rounded32(layers):
    """W and b rounded to float32 values (as floats): the probes exactly as a float32
    implementation receives them, so handing them over loses nothing."""

    def r(a):
        return np.asarray(a, dtype=np.float32).astype(np.float64).tolist()

    return [{**layer, "W": r(layer["W"]), "b": r(layer["b"])} for layer in layers]


def _as_float32(grads):
    """Each ``{"W": dW, "b": db}`` as float32 arrays; what cannot be read so is left as it
    came, for gradcheck's own one-line message about it."""
    try:
        return [{k: np.asarray(g[k], dtype=np.float32) for k in ("W", "b")} for g in grads]
    except (TypeError, ValueError, KeyError, IndexError):
        return grads


def _judge_kinks(case: Case, relu0: float, senses: dict[str, float]) -> None:
    """FAIL a kink case whose analytic values are not those ReLU'(0) = ``relu0`` gives."""
    wrong, implied = [], []
    for e in case.result.kink_entries:
        sense = senses.get(e.name)
        if sense is None or e.sides is None:
            continue
        active, inactive = e.sides if sense > 0 else e.sides[::-1]
        want = relu0 * active + (1.0 - relu0) * inactive
        if abs(e.analytic - want) > 2.0 * e.tol:
            wrong.append((e, want))
        if active != inactive:
            implied.append((e.analytic - inactive) / (active - inactive))
    if not wrong:
        return
    e, want = wrong[0]
    case.status = FAIL
    case.message = (
        f"{len(wrong)} kink entries disagree with ReLU'(0) = {_number(relu0)}; {e.name} "
        f"(a ReLU unit at u = 0): analytic {e.analytic:.6g}, ReLU'(0) = {_number(relu0)} "
        f"gives {want:.6g}"
    )
    if implied and max(implied) - min(implied) < 1e-6:
        value = _number(round(implied[0], 6))
        case.message += (
            f"; every kink entry matches ReLU'(0) = {value}: rerun with "
            f"--relu-grad-at-zero {value} to check it under that convention"
        )


def _number(x: float):
    return int(x) if float(x).is_integer() else x
