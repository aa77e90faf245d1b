"""Fast mode at scale: does one wrong gradient entry among a million get caught?

The case of issue 16: ``f(x) = sum(x * sin x)`` with ``x`` standard normal,
``n = 10**6`` entries, and the gradient ``sin x + x cos x`` with one entry off
by ``--error`` (default 1.0). For each seed (of ``x``, of the wrong entry and of
the directions) it prints whether nnref's fast mode caught it and named the
entry, its evaluations and time, the detection threshold the correct gradient's
pass states, and (with ``--torch``, if torch is installed) whether
``torch.autograd.gradcheck(fast_mode=True)`` caught it, in the same run.

    python benchmarks/gradcheck_scale.py                   # n = 10**6, 6 seeds
    python benchmarks/gradcheck_scale.py --n 10000 --error 1e-3 --seeds 20
    python benchmarks/gradcheck_scale.py --torch
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from nnref.conformance.finitediff import gradcheck  # noqa: E402


def case(n: int, seed: int, error: float):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    grad = np.sin(x) + x * np.cos(x)
    wrong = grad.copy()
    j = int(rng.integers(n))
    wrong[j] += error
    return x, grad, wrong, j


def f(v):
    return float(np.sum(v * np.sin(v)))


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def torch_caught(x: np.ndarray, j: int, error: float, seed: int) -> tuple[bool, float]:
    import torch

    class Wrong(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            ctx.save_for_backward(v)
            return (v * torch.sin(v)).sum()

        @staticmethod
        def backward(ctx, g):
            (v,) = ctx.saved_tensors
            out = torch.sin(v) + v * torch.cos(v)
            out[j] += error
            return g * out

    torch.manual_seed(seed)
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    start = time.perf_counter()
    try:
        ok = torch.autograd.gradcheck(Wrong.apply, (t,), fast_mode=True, raise_exception=False)
    except RuntimeError:
        ok = False
    return not ok, time.perf_counter() - start


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10**6)
    p.add_argument("--error", type=float, default=1.0)
    p.add_argument("--seeds", type=int, default=6)
    p.add_argument("--torch", action="store_true", help="also run torch fast_mode")
    args = p.parse_args(argv)
    caught = 0
    print(f"f = sum(x sin x), n = {args.n}, one entry off by {args.error:g}")
    for seed in range(args.seeds):
        x, grad, wrong, j = case(args.n, seed, args.error)
        good, t_good = timed(partial(gradcheck, f, x, grad, fast=True, seed=seed))
        bad, t_bad = timed(partial(gradcheck, f, x, wrong, fast=True, seed=seed))
        named = bad.failing_names == [f"x[{j}]"]
        caught += (not bad) and named
        verdict = "caught, named" if named else "caught" if not bad else "MISSED"
        line = (
            f"seed {seed}: wrong x[{j}] {verdict} ({bad.evaluations} evals, {t_bad:.2f} s); "
            f"correct gradient {'passes' if good else 'FALSE ALARM'} ({good.evaluations} evals, "
            f"{t_good:.2f} s, detects any single entry off by more than {good.detects:.2g})"
        )
        if args.torch:
            t_caught, t_time = torch_caught(x, j, args.error, seed)
            line += f"; torch fast_mode {'caught' if t_caught else 'MISSED'} ({t_time:.2f} s)"
        print(line, flush=True)
    print(f"caught and named: {caught} of {args.seeds}")
    return 0 if caught == args.seeds else 1


if __name__ == "__main__":
    raise SystemExit(main())
