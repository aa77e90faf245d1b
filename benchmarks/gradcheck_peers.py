"""nnref's gradcheck side by side with torch.autograd.gradcheck and jax's check_grads.

1. The peer banks: buggy backward rules, each with a correct twin, as custom
   ``torch.autograd.Function``s (``tests/gradcheck/peer_bank.py``) and as JAX
   ``custom_vjp``s (``tests/gradcheck/jax_bank.py``, the same rules one for one).
   For nnref full and fast mode on each bank, torch full and ``fast_mode=True``
   (``gradgradcheck`` for the second-order rule) and ``jax.test_util.check_grads``
   (reverse mode, order 1 or 2, its default tolerances): bugs caught, missed,
   false alarms on the twins, errors. ``--markdown`` prints the tables for the docs.
2. Scale: ``f = sum(x sin x)`` as a custom Function at ``--sizes`` entries,
   correct and with one entry off by ``1e-3 * max|g|``: time and verdict of nnref
   fast mode and torch ``fast_mode``, and nnref's stated detection threshold.
   (torch full mode is O(n^2) work at these sizes and is not run.)

3. The same scale case as a jitted JAX ``custom_vjp``: nnref fast mode and
   ``jax.test_util.check_grads`` (when jax is installed).

    python benchmarks/gradcheck_peers.py                       # bank + 10^4, 10^5, 10^6
    python benchmarks/gradcheck_peers.py --sizes 1000000 10000000 --seeds 10
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from nnref.conformance.finitediff import gradcheck  # noqa: E402
from tests.gradcheck import jax_bank, peer_bank  # noqa: E402


def checkers(with_jax: bool) -> dict:
    """``{column: (bank, check(rule, buggy) -> passes)}``."""
    torch_bank = {r.id: r for r in peer_bank.BANK}
    out = {
        "nnref full (torch)": (torch_bank, partial(_fast, peer_bank.nnref_check, False)),
        "nnref fast (torch)": (torch_bank, partial(_fast, peer_bank.nnref_check, True)),
        "torch gradcheck": (torch_bank, partial(_fast, peer_bank.torch_check, False)),
        "torch fast_mode": (torch_bank, partial(_fast, peer_bank.torch_check, True)),
    }
    if with_jax:
        bank = {r.id: r for r in jax_bank.BANK}
        out["nnref full (jax)"] = (bank, partial(_fast, jax_bank.nnref_check, False))
        out["nnref fast (jax)"] = (bank, partial(_fast, jax_bank.nnref_check, True))
        out["jax check_grads"] = (bank, jax_bank.jax_check)
    return out


def _fast(check, fast, rule, buggy):
    return check(rule, buggy, fast=fast)


def run_bank(markdown: bool) -> None:
    import importlib.util

    columns = checkers(importlib.util.find_spec("jax") is not None)
    totals = {name: {"caught": 0, "missed": 0, "false alarms": 0, "errors": 0} for name in columns}
    ids = [r.id for r in peer_bank.BANK]
    rows = []
    print(f"peer banks: {len(ids)} buggy backward rules, each with a correct twin")
    print(f"  {'rule':<26}" + "".join(f"{name:>20}" for name in columns))
    for rule_id in ids:
        cells = []
        for name, (bank, check) in columns.items():
            rule = bank[rule_id]
            try:
                bug_passes, twin_passes = check(rule, True), check(rule, False)
            except Exception as exc:  # a checker that cannot run the rule
                totals[name]["errors"] += 1
                cells.append(f"error {type(exc).__name__}"[:19])
                continue
            totals[name]["missed" if bug_passes else "caught"] += 1
            totals[name]["false alarms"] += not twin_passes
            cell = ("MISSED" if bug_passes else "caught") + ("" if twin_passes else ", FALSE")
            cells.append(cell)
        rows.append((rule_id, cells))
        print(f"  {rule_id:<26}" + "".join(f"{c:>20}" for c in cells), flush=True)
    print("  | checker | caught | missed | false alarms | errors |")
    for name, t in totals.items():
        print(f"  | {name} | {t['caught']} | {t['missed']} | {t['false alarms']} | {t['errors']} |")
    if markdown:
        print("\n| rule | " + " | ".join(columns) + " |")
        print("|---" * (len(columns) + 1) + "|")
        for rule_id, cells in rows:
            print(f"| {rule_id} | " + " | ".join(cells).replace("FALSE", "false alarm") + " |")


def scale_case(n: int, seed: int):
    import torch

    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    g = np.sin(x) + x * np.cos(x)
    j = int(rng.integers(n))
    size = 1e-3 * float(np.max(np.abs(g)))

    def function(buggy: bool):
        class XSinX(torch.autograd.Function):
            @staticmethod
            def forward(ctx, v):
                ctx.save_for_backward(v)
                return (v * torch.sin(v)).sum()

            @staticmethod
            def backward(ctx, gout):
                (v,) = ctx.saved_tensors
                out = torch.sin(v) + v * torch.cos(v)
                if buggy:
                    out[j] += size
                return gout * out

        return XSinX.apply

    return torch.tensor(x), function, j


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run_scale(sizes: list[int], seeds: int) -> None:
    import torch

    print("scale: f = sum(x sin x), one entry off by 1e-3 max|g|; nnref fast vs torch fast_mode")
    for n in sizes:
        caught = {"nnref": 0, "torch": 0, "named": 0}
        false = {"nnref": 0, "torch": 0}
        times = {(who, buggy): [] for who in ("nnref", "torch") for buggy in (False, True)}
        detects = []
        for seed in range(seeds):
            x, function, j = scale_case(n, seed)
            for buggy in (False, True):
                fn = function(buggy)
                r, t_n = timed(partial(gradcheck, fn, x, fast=True, seed=seed))
                torch.manual_seed(seed)
                xt = x.clone().requires_grad_(True)
                ok, t_t = timed(
                    partial(torch.autograd.gradcheck, fn, (xt,), fast_mode=True,
                            raise_exception=False)
                )  # fmt: skip
                times["nnref", buggy].append(t_n)
                times["torch", buggy].append(t_t)
                if buggy:
                    caught["nnref"] += not r
                    caught["named"] += (not r) and r.failing_names == [f"x[{j}]"]
                    caught["torch"] += not ok
                else:
                    false["nnref"] += not r
                    false["torch"] += not ok
                    detects.append(r.detects if r.detects is not None else np.inf)

        def med(who, buggy, times=times):
            return float(np.median(times[who, buggy]))

        print(
            f"  n = {n}: bug caught nnref {caught['nnref']}/{seeds} (the entry named in "
            f"{caught['named']}), torch "
            f"{caught['torch']}/{seeds}; false alarms nnref {false['nnref']}, torch "
            f"{false['torch']}; median time, correct: nnref {med('nnref', False):.3f} s, torch "
            f"{med('torch', False):.3f} s; buggy: nnref {med('nnref', True):.3f} s, torch "
            f"{med('torch', True):.3f} s; nnref detects any single entry off by more than "
            f"{max(detects):.2g} (worst seed)",
            flush=True,
        )


def run_scale_jax(sizes: list[int], seeds: int) -> None:
    """The scale case as a jitted JAX ``custom_vjp``: nnref fast mode and ``check_grads``."""
    import jax
    import jax.numpy as jnp
    from jax.test_util import check_grads

    print("scale, JAX: the same f as a custom_vjp; nnref fast vs jax.test_util.check_grads")
    for n in sizes:
        caught = {"nnref": 0, "jax": 0, "named": 0}
        false = {"nnref": 0, "jax": 0}
        times = {(who, buggy): [] for who in ("nnref", "jax") for buggy in (False, True)}
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            x = rng.standard_normal(n)
            j = int(rng.integers(n))
            size = 1e-3 * float(np.max(np.abs(np.sin(x) + x * np.cos(x))))
            for buggy in (False, True):

                def forward(v):
                    return jnp.sum(v * jnp.sin(v))

                def bwd(v, g, buggy=buggy, j=j, size=size):
                    out = jnp.sin(v) + v * jnp.cos(v)
                    return (g * (out.at[j].add(size) if buggy else out),)

                fn = jax.custom_vjp(forward)
                fn.defvjp(lambda v: (forward(v), v), bwd)
                fn = jax.jit(fn)
                r, t_n = timed(partial(gradcheck, fn, x, fast=True, seed=seed))

                def peer(fn=fn, x=x):
                    with jax_bank.x64():
                        try:
                            check_grads(fn, (x,), order=1, modes=("rev",))
                        except AssertionError:
                            return False
                    return True

                ok, t_j = timed(peer)
                times["nnref", buggy].append(t_n)
                times["jax", buggy].append(t_j)
                if buggy:
                    caught["nnref"] += not r
                    caught["named"] += (not r) and r.failing_names == [f"x[{j}]"]
                    caught["jax"] += not ok
                else:
                    false["nnref"] += not r
                    false["jax"] += not ok

        def med(who, buggy, times=times):
            return float(np.median(times[who, buggy]))

        print(
            f"  n = {n}: bug caught nnref {caught['nnref']}/{seeds} (the entry named in "
            f"{caught['named']}), check_grads "
            f"{caught['jax']}/{seeds}; false alarms nnref {false['nnref']}, check_grads "
            f"{false['jax']}; median time, correct: nnref {med('nnref', False):.3f} s, "
            f"check_grads {med('jax', False):.3f} s; buggy: nnref {med('nnref', True):.3f} s, "
            f"check_grads {med('jax', True):.3f} s",
            flush=True,
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[10**4, 10**5, 10**6])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--no-bank", action="store_true")
    p.add_argument("--markdown", action="store_true", help="also print the bank as a table")
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")
    import torch

    versions = f"torch {torch.__version__}, numpy {np.__version__}"
    try:
        import jax

        versions += f", jax {jax.__version__}"
    except ImportError:
        pass
    print(versions)
    if not args.no_bank:
        run_bank(args.markdown)
    if args.sizes:
        run_scale(args.sizes, args.seeds)
        if "jax" in versions:
            run_scale_jax(args.sizes, args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
