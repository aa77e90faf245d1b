"""How fast is the plain-Python reference? Side by side, in one run.

The network is the tutorial code's iris network: 4-100-100-100-100-3, ReLU
hidden layers, softmax output with cross-entropy, one sample per step, Adam.
Three things are timed on the same standardized iris samples:

1. the reference (``nnref.reference.gradients`` and ``nnref.reference.optimizers.Adam``);
2. micrograd 0.1.0 (scalar autograd): the same network with the same
   weights, built from its ``MLP``; softmax + cross-entropy from its
   ``Value`` nodes (0.1.0 has no exp/log, so two nodes are added here in
   micrograd's own style); a hand-written Adam update over its parameters;
3. the pure-Python arithmetic floor: 3 x the network's multiply-adds (one
   forward, two backward: input gradients and weight gradients), each layer
   done as ``sum(map(operator.mul, a, b))`` over lists of the layer widths.

Reported: samples per second of each, the speed-up over micrograd (goal
>= 100x) and the reference's time over the floor (goal <= 2x), for the
gradients (forward + backward) and for the whole step (plus Adam), then a
cProfile of the reference's step. Times are process CPU time, best of
several runs. Run it from the repository root:

    python benchmarks/bench_reference.py            # about a minute
    python benchmarks/bench_reference.py --quick    # fewer samples, for a smoke test
    python benchmarks/bench_reference.py --json benchmarks/results/reference.json

``--json FILE`` writes the figures in the format of ``benchmarks/results.py``
(the docs' Benchmarks page reads ``benchmarks/results/reference.json``);
``--smoke`` times one sample once on a 4-10-10-3 network (seconds; for the tests of that
format).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import math
import operator
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import Recorder, command_line
from nnref import reference
from nnref.reference.datasets import load
from nnref.reference.optimizers import Adam
from nnref.reference.training.loop import one_hot
from nnref.reference.training.prepare import Standardizer

SIZES = [4, 100, 100, 100, 100, 3]
ACTIVATIONS = ["relu"] * 4 + ["softmax"]
SMOKE_SIZES = [4, 10, 10, 3]  # --smoke: the same code on a small network
LR = 0.001


def multiply_adds(sizes: list[int]) -> int:
    """Multiply-adds of one forward pass: sum over layers of n_in * n_out."""
    return sum(n * m for n, m in itertools.pairwise(sizes))


def iris_samples() -> tuple[list[list[float]], list[list[float]]]:
    """All 150 iris samples, standardized, with one-hot teachers."""
    data = load("iris")
    z = Standardizer.fit(data.rows)
    return [z(row) for row in data.rows], [one_hot(k, 3) for k in data.targets]


def best_times(runs: dict, counts: dict, rounds: int) -> dict:
    """CPU seconds per sample of each ``runs[name](counts[name])``: the best of ``rounds``.

    The runs take turns within each round, so a slow spell of a shared
    machine hits all of them alike; process CPU time (not wall time) leaves
    out the time spent waiting for a core.
    """
    best = dict.fromkeys(runs, math.inf)
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            run(counts[name])
            best[name] = min(best[name], (time.process_time() - start) / counts[name])
    return best


# --- 1. the reference ---------------------------------------------------------------------


def reference_runs(layers, xs, ts):
    def grads_only(n):
        for k in range(n):
            reference.gradients(layers, xs[k % len(xs)], ts[k % len(ts)], "cross_entropy")

    adam = Adam(LR)

    def full_step(n):
        for k in range(n):
            g = reference.gradients(layers, xs[k % len(xs)], ts[k % len(ts)], "cross_entropy")
            adam.step(layers, g)

    return grads_only, full_step


# --- 2. micrograd -------------------------------------------------------------------------


def micrograd_network(layers):
    """micrograd's MLP with the reference's weights (its neurons add b: b = -threshold)."""
    from micrograd.nn import MLP

    sizes = [len(layers[0]["W"])] + [len(layer["b"]) for layer in layers]
    mlp = MLP(sizes[0], sizes[1:])  # its own random init is overwritten below
    for layer, ours in zip(mlp.layers, layers, strict=True):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = ours["W"][i][j]
            neuron.b.data = -ours["b"][j]
    return mlp


def _exp(v):
    """e^v as a micrograd node (0.1.0 has none): d e^v / dv = e^v."""
    from micrograd.engine import Value

    out = Value(math.exp(v.data), (v,), "exp")

    def _backward():
        v.grad += out.data * out.grad

    out._backward = _backward
    return out


def _log(v):
    """ln v as a micrograd node (0.1.0 has none): d ln v / dv = 1 / v."""
    from micrograd.engine import Value

    out = Value(math.log(v.data), (v,), "log")

    def _backward():
        v.grad += out.grad / v.data

    out._backward = _backward
    return out


def micrograd_loss(mlp, x, t):
    """Softmax + cross-entropy from Value ops: E = ln sum_j e^(u_j - c) - sum_k t_k (u_k - c)."""
    u = mlp(x)
    c = max(ui.data for ui in u)  # a constant shift, for no overflow
    shifted = [ui - c for ui in u]
    log_sum = _log(sum(_exp(s) for s in shifted))
    return log_sum - sum(s * tk for s, tk in zip(shifted, t, strict=True) if tk)


def micrograd_runs(mlp, xs, ts):
    params = mlp.parameters()

    def grads_only(n):
        for k in range(n):
            mlp.zero_grad()
            micrograd_loss(mlp, xs[k % len(xs)], ts[k % len(ts)]).backward()

    m, v, step = [0.0] * len(params), [0.0] * len(params), [0]

    def full_step(n, beta1=0.9, beta2=0.999, eps=1e-8):
        for k in range(n):
            mlp.zero_grad()
            micrograd_loss(mlp, xs[k % len(xs)], ts[k % len(ts)]).backward()
            step[0] += 1
            c1, c2 = 1 - beta1 ** step[0], 1 - beta2 ** step[0]
            for i, p in enumerate(params):  # Adam, S23, written out by hand
                m[i] = beta1 * m[i] + (1 - beta1) * p.grad
                v[i] = beta2 * v[i] + (1 - beta2) * p.grad * p.grad
                p.data -= LR * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)

    return grads_only, full_step


def check_same_network(layers, mlp, x, t) -> float:
    """Largest difference between the two first-layer weight gradients (should be ~1e-16)."""
    mlp.zero_grad()
    micrograd_loss(mlp, x, t).backward()
    ours = reference.gradients(layers, x, t, "cross_entropy")[0]["W"]
    theirs = mlp.layers[0].neurons
    return max(
        abs(ours[i][j] - neuron.w[i].grad)
        for j, neuron in enumerate(theirs)
        for i in range(len(neuron.w))
    )


# --- 3. the arithmetic floor --------------------------------------------------------------


def floor_run(sizes, rng, layers=None):
    """3 x the multiply-adds, as sum(map(mul, a, b)) over lists of the layer widths.

    The lists are fresh, so their floats lie in memory in the order they are
    read. With ``layers``, the same arithmetic reads the network's own weight
    columns (as the forward pass does), whose floats were created row by row.
    """
    tables = [
        ([rng.random() for _ in range(n)], [[rng.random() for _ in range(n)] for _ in range(m)])
        for n, m in itertools.pairwise(sizes)
    ]
    if layers is not None:
        tables = [
            (a, [list(column) for column in zip(*layer["W"], strict=True)])
            for (a, _), layer in zip(tables, layers, strict=True)
        ]
    mul = operator.mul

    def run(count):
        for _ in range(count):
            for _ in range(3):  # forward, input gradients, weight gradients
                for a, columns in tables:
                    for b in columns:
                        sum(map(mul, a, b))

    return run


# --- the report ---------------------------------------------------------------------------


def profile_step(layers, xs, ts, n: int, top: int) -> str:
    """cProfile of n reference training steps: the functions with the most own time."""
    adam = Adam(LR)
    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(n):
        adam.step(layers, reference.gradients(layers, xs[k], ts[k], "cross_entropy"))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few samples: a smoke test")
    parser.add_argument("--smoke", action="store_true", help="one sample, once, 4-10-10-3")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    recorder = Recorder("reference", mode, command_line("bench_reference.py", argv))
    n_ref, n_micro, rounds = {"smoke": (1, 1, 1), "quick": (10, 1, 2), "full": (30, 1, 7)}[mode]

    xs, ts = iris_samples()
    sizes = SMOKE_SIZES if mode == "smoke" else SIZES
    activations = ["relu"] * (len(sizes) - 2) + ["softmax"]
    layers = reference.init_layers(sizes, activations, random.Random(0))
    mlp = micrograd_network(layers)
    difference = check_same_network(layers, mlp, xs[0], ts[0])

    macs = multiply_adds(sizes)
    print(f"network {'-'.join(map(str, sizes))}, ReLU, softmax + cross-entropy, one sample/step")
    print(f"multiply-adds per forward pass: {macs}; floor = 3 x {macs} as sum(map(mul, a, b))")
    print(f"same network check: largest first-layer dW difference vs micrograd {difference:.1e}")
    print(f"Python {sys.version.split()[0]}")
    ref_grads, ref_step = reference_runs(layers, xs, ts)
    micro_grads, micro_step = micrograd_runs(mlp, xs, ts)
    runs = {
        "floor": floor_run(sizes, random.Random(1)),
        "floor_w": floor_run(sizes, random.Random(1), layers),
        "ref_grads": ref_grads,
        "ref_step": ref_step,
        "micro_grads": micro_grads,
        "micro_step": micro_step,
    }
    counts = {name: n_micro if name.startswith("micro") else n_ref for name in runs}
    t = best_times(runs, counts, rounds)

    print()
    print(f"{'':32}{'reference':>12}{'micrograd':>12}{'floor':>10}{'speed-up':>11}{'/ floor':>9}")
    rows = (("gradients (forward + backward)", "grads"), ("training step (+ Adam)", "step"))
    for what, key in rows:
        ref, micro, floor = t[f"ref_{key}"], t[f"micro_{key}"], t["floor"]
        print(
            f"{what:32}{1 / ref:>9.0f}/s {1 / micro:>9.1f}/s {1 / floor:>7.0f}/s"
            f"{micro / ref:>10.0f}x{ref / floor:>8.2f}x"
        )
    print("goals: speed-up over micrograd >= 100x; reference / floor <= 2x")
    record(recorder, t, difference, sizes)
    adam = t["ref_step"] - t["ref_grads"]
    print(
        f"Adam's update of the {sum(n * m + m for n, m in itertools.pairwise(sizes))} parameters: "
        f"{1e3 * adam:.1f} ms per step, {100 * adam / t['ref_step']:.0f}% of the step "
        f"({adam / t['floor']:.1f}x the whole floor)"
    )
    print(
        f"the floor's arithmetic over the network's own weight columns: {1 / t['floor_w']:.0f}/s "
        f"({t['floor_w'] / t['floor']:.2f}x the floor: memory layout, floats made row by row)"
    )
    recorder.write(args.json)
    if mode == "smoke":
        return 0
    print()
    print("cProfile of the reference's training step (own time):")
    fresh = reference.init_layers(SIZES, ACTIVATIONS, random.Random(0))
    print(profile_step(fresh, xs, ts, 20 if args.quick else 100, 12))
    return 0


def record(recorder: Recorder, t: dict, difference: float, sizes: list[int]) -> None:
    """The figures of the --json file: samples/s of each, then the two ratios (the goals)."""
    net = "-".join(map(str, sizes))
    for key, what in (("grads", "gradients"), ("step", "training step")):
        recorder.add(f"reference_{key}_per_s", f"reference, {what}", 1 / t[f"ref_{key}"], "1/s")
        recorder.add(f"micrograd_{key}_per_s", f"micrograd, {what}", 1 / t[f"micro_{key}"], "1/s")
        recorder.add(
            f"speedup_{key}",
            f"reference over micrograd, {what} ({net})",
            t[f"micro_{key}"] / t[f"ref_{key}"],
            "x",
            (">=", 100),
        )
        recorder.add(
            f"over_floor_{key}",
            f"reference / arithmetic floor, {what}",
            t[f"ref_{key}"] / t["floor"],
            "x",
            ("<=", 2),
        )
    recorder.add("floor_per_s", "arithmetic floor, 3 x multiply-adds", 1 / t["floor"], "1/s")
    recorder.add(
        "adam_share",
        "Adam's share of the training step",
        (t["ref_step"] - t["ref_grads"]) / t["ref_step"],
        "fraction",
    )
    recorder.add(
        "floor_own_weights",
        "floor over the network's own weight columns / floor",
        t["floor_w"] / t["floor"],
        "x",
    )
    recorder.add(
        "same_network_difference",
        "largest first-layer dW difference, reference vs micrograd",
        difference,
        "abs",
    )


if __name__ == "__main__":
    sys.exit(main())
