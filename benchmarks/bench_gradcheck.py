"""How many evaluations, and how long, does gradcheck need? Side by side, in one run.

The model is a numpy MLP 784-128-10 (tanh hidden layer, softmax output,
cross-entropy; u = xW - b as in SPEC S1): 101,770 parameters in a dict
``{"W1", "b1", "W2", "b2"}``, gradients by hand-written backprop
(``conformance/casebank/nets.py``). Measured:

1. full mode (every entry, central differences): evaluations of f and time;
2. fast mode (its default 2 random directions) on the correct gradient;
3. fast mode on a gradient with one wrong entry, localization included
   (goal: under 1 s);
4. torch.autograd.gradcheck's evaluations for the same model, counted by
   wrapping the function (if torch is installed): fast mode on the full
   model, slow mode on a small model of the same shape family (its count is
   exactly 2 per parameter + a constant, so it is extrapolated to the full model
   rather than run for minutes); and what torch needs to *find* the wrong
   entry (fast mode only says that the check failed: slow mode is the only
   way to a name);
5. the bank of ``conformance/casebank/bank.py``: false failures, misses and
   evaluations per check in each mode;
6. side by side (issue 16), if torch and jax are installed: nnref fast mode (its default 2
   directions, and 1), torch ``fast_mode`` and ``jax.test_util.check_grads`` on f = sum(x sin x) at
   ``--peer-sizes`` (10^3, 10^5, 10^6, 10^7): time, forward/backward calls and peak
   memory, each in a fresh process, and one entry off by 1e-3 max abs(g) at the largest
   size for ``--seeds`` seeds: caught, named, evaluations (about 20 minutes at 10^7).

Run from the repository root:

    python benchmarks/bench_gradcheck.py            # full mode on all 101,770 entries: ~1 minute
    python benchmarks/bench_gradcheck.py --quick    # full mode: 5,000 sampled entries, extrapolated
    python benchmarks/bench_gradcheck.py --json benchmarks/results/gradcheck.json

``--json FILE`` writes the figures in the format of ``benchmarks/results.py`` (the docs'
Benchmarks page reads ``benchmarks/results/gradcheck.json``); ``--smoke`` runs everything on
a 20-8-10 model instead (seconds; for the tests of that format).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread: the machine is shared, timings stay honest

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.results import Recorder, command_line  # noqa: E402
from nnref.conformance.casebank import nets  # noqa: E402
from nnref.conformance.casebank.bank import CORRECT, WRONG  # noqa: E402
from nnref.conformance.finitediff import gradcheck  # noqa: E402
from nnref.conformance.finitediff.full import check_entries  # noqa: E402

SIZES = (784, 128, 10)
WRONG_ENTRY = ("W1", 300, 64)


def model(sizes=SIZES, seed=0):
    rng = np.random.default_rng(seed)
    params = nets.make_params(list(sizes), rng)
    x = rng.standard_normal(sizes[0])
    t = np.eye(sizes[-1])[3]

    def f(p):
        return nets.loss(p, x, t, "tanh", "softmax", "cross_entropy")

    grad = nets.gradients(params, x, t, "tanh", "softmax", "cross_entropy")
    return params, f, grad, x, t


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def bench_full(params, f, grad, quick: bool):
    n = sum(v.size for v in params.values())
    if not quick or n <= 5000:
        result, seconds = timed(lambda: gradcheck(f, params, grad))
        return result.evaluations, seconds, bool(result), n
    # A seeded sample of entries, timed and extrapolated per entry.
    from nnref.conformance.finitediff import problem
    from nnref.conformance.finitediff import settings as options
    from nnref.conformance.finitediff.full import Context
    from nnref.conformance.finitediff.inputs import flatten

    flat = flatten(params)
    ev = problem.Evaluator(f, flat)
    f0 = ev.start()
    ctx = Context(
        ev,
        flat,
        f0,
        problem.Analytic(grad, flat, ev),
        options.GradcheckOptions(),
        options.precision_for(options.GradcheckOptions(), False, False, 1.0, False),
    )
    sample = np.sort(np.random.default_rng(1).choice(n, 5000, replace=False))
    out, seconds = timed(lambda: check_entries(ctx, sample))
    per_entry = seconds / len(sample)
    return 2 * n + 1, per_entry * n, not out.failures, n


def torch_counts(sizes, fast: bool):
    """Forward and backward calls torch.autograd.gradcheck makes on the same model."""
    import torch

    params, _, _, x, t = model(sizes)
    tensors = [torch.tensor(params[k], requires_grad=True) for k in ("W1", "b1", "W2", "b2")]
    xt, tt = torch.tensor(x), torch.tensor(t)
    calls = {"forward": 0, "backward": 0}

    def fn(W1, b1, W2, b2):
        calls["forward"] += 1
        h = torch.tanh(xt @ W1 - b1)
        out = -(tt * torch.log_softmax(h @ W2 - b2, dim=0)).sum()
        if out.requires_grad:
            out.register_hook(lambda g: calls.__setitem__("backward", calls["backward"] + 1) or g)
        return out

    start = time.perf_counter()
    ok = torch.autograd.gradcheck(fn, tuple(tensors), fast_mode=fast)
    return calls, time.perf_counter() - start, ok


def bench_bank():
    rows = []
    for mode in ("full", "fast"):
        false_fail = misses = evals = 0
        for case in CORRECT + WRONG:
            r = gradcheck(case.f, case.x, case.grad, fast=mode == "fast", **case.options)
            evals += r.evaluations
            false_fail += case.correct and not r
            misses += (not case.correct) and bool(r)
        rows.append((mode, false_fail, misses, evals / len(CORRECT + WRONG)))
    return rows


# --- Side by side at scale: nnref fast mode, torch fast_mode, jax check_grads (issue 16) ---
#
# The function is f = sum(x sin x) with x standard normal, as a custom torch.autograd.Function
# (for nnref and torch) and a JAX custom_vjp (for nnref and jax), correct or with one gradient
# entry off by 1e-3 max abs(g). Each measurement runs in a fresh process (its peak memory is its
# own: VmHWM, reset after the warm-up and the point are built), the checkers one after
# another for each size, so the ratios compare runs made under the same load.

PEER_SIZES = (10**3, 10**5, 10**6, 10**7)
CHECKERS = ("nnref/torch", "nnref/torch, 1 dir", "torch fast_mode", "nnref/jax", "jax check_grads")
#: nnref through JAX converts every probe point to a JAX array: slow at 10**7, fewer seeds.
JAX_DETECTION_SEEDS = 3


def _rss_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM, the peak resident set
        return True
    except OSError:
        return False


def xsinx_case(n: int, seed: int):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    g = np.sin(x)
    g += x * np.cos(x)
    j = int(rng.integers(n))
    return x, j, 1e-3 * float(np.max(np.abs(g)))


def torch_xsinx(j: int, size: float, buggy: bool, calls: dict):
    import torch

    class XSinX(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            calls["forward"] += 1
            ctx.save_for_backward(v)
            return (v * torch.sin(v)).sum()

        @staticmethod
        def backward(ctx, gout):
            calls["backward"] += 1
            (v,) = ctx.saved_tensors
            out = torch.sin(v)
            out += v * torch.cos(v)
            if buggy:
                out[j] += size
            return gout * out

    return XSinX.apply


def jax_xsinx(j: int, size: float, buggy: bool, calls: dict):
    import jax
    import jax.numpy as jnp

    @jax.custom_vjp
    def f(v):
        calls["forward"] += 1
        return jnp.sum(v * jnp.sin(v))

    def fwd(v):
        calls["forward"] += 1
        return jnp.sum(v * jnp.sin(v)), v

    def bwd(v, gout):
        calls["backward"] += 1
        out = jnp.sin(v) + v * jnp.cos(v)
        if buggy:
            out = out.at[j].add(size)
        return (gout * out,)

    f.defvjp(fwd, bwd)
    return f


def _run_checker(checker: str, n: int, seed: int, buggy: bool) -> dict:
    """One check of ``checker`` on f = sum(x sin x): verdict, time, forward/backward calls."""
    x, j, size = xsinx_case(n, seed)
    calls = {"forward": 0, "backward": 0}
    row = {"checker": checker, "n": n, "seed": seed, "buggy": buggy, "entry": j}
    if "torch" in checker:
        import torch

        fn = torch_xsinx(j, size, buggy, calls)
        xt = torch.from_numpy(x)
        del x
        start = time.perf_counter()
        if checker.startswith("nnref"):
            options = {"directions": 1} if checker.endswith("1 dir") else {}
            r = gradcheck(fn, xt, fast=True, seed=seed, **options)
        else:
            torch.manual_seed(seed)
            xg = xt.requires_grad_(True)
            ok = torch.autograd.gradcheck(fn, (xg,), fast_mode=True, raise_exception=False)
    else:
        import jax
        import jax.numpy as jnp
        from jax.test_util import check_grads

        fn = jax_xsinx(j, size, buggy, calls)
        xj = jnp.asarray(x)
        del x
        start = time.perf_counter()
        if checker == "nnref/jax":
            r = gradcheck(fn, xj, fast=True, seed=seed)
        else:
            try:
                check_grads(fn, (xj,), order=1, modes=["rev"])
                ok = True
            except AssertionError:
                ok = False
            del jax
    row["s"] = time.perf_counter() - start
    if checker.startswith("nnref"):
        ok = bool(r)
        row["evaluations"] = r.evaluations
        row["named"] = r.failing_names == [f"x[{j}]"]
        row["detects"] = r.detects
    row.update(passed=ok, **calls)
    return row


def worker(spec: dict) -> dict:
    """In a fresh process: warm up (imports, first calls), build the point, reset the peak
    resident set, run the checks of ``spec``, report them with the peak."""
    import jax

    jax.config.update("jax_enable_x64", True)  # every checker in float64
    _run_checker(spec["checker"], 64, 0, False)  # warm-up: lazy imports, first traces
    rows = []
    for seed in spec["seeds"]:
        for buggy in spec["cases"]:
            start_rss = _rss_mib("VmRSS")
            reset = _reset_peak()
            row = _run_checker(spec["checker"], spec["n"], seed, buggy)
            row["peak_mib"] = _rss_mib("VmHWM") if reset else float("nan")
            row["start_mib"] = start_rss
            rows.append(row)
    return {"rows": rows}


def _peers_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("torch", "jax"))


def run_worker(spec: dict) -> list[dict]:
    import subprocess

    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"worker {spec} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["rows"]


def bench_peers(rec, sizes, seeds: int, repeats: int) -> None:
    """The table of issue 16's goals, in one run."""
    print(
        "\nside by side, f = sum(x sin x) (custom torch Function / JAX custom_vjp), float64; "
        f"min time of {repeats} runs each, peak resident memory per process"
    )
    print(
        f"  {'n':>9} {'checker':<16} {'correct s':>9} {'fwd':>4} {'bwd':>4} {'peak MiB':>9} "
        f"{'buggy s':>8} {'fwd':>4} {'bwd':>4} {'peak MiB':>9}  verdicts (correct, buggy)"
    )
    table = []
    for n in sizes:
        best: dict = {}
        for _ in range(repeats):
            for checker in CHECKERS:
                for row in run_worker(
                    {"checker": checker, "n": n, "seeds": [0], "cases": [False, True]}
                ):
                    key = (checker, row["buggy"])
                    if key not in best or row["s"] < best[key]["s"]:
                        peak = min(row["peak_mib"], best.get(key, row)["peak_mib"])
                        best[key] = dict(row, peak_mib=peak)
                    else:
                        best[key]["peak_mib"] = min(best[key]["peak_mib"], row["peak_mib"])
        for checker in CHECKERS:
            good, bad = best[checker, False], best[checker, True]
            verdict = (
                f"{'pass' if good['passed'] else 'FALSE ALARM'}, "
                f"{'MISSED' if bad['passed'] else 'caught'}"
                + (", named" if bad.get("named") else "")
            )
            print(
                f"  {n:>9,} {checker:<16} {good['s']:>9.3f} {good['forward']:>4} "
                f"{good['backward']:>4} {good['peak_mib']:>9.0f} {bad['s']:>8.3f} "
                f"{bad['forward']:>4} {bad['backward']:>4} {bad['peak_mib']:>9.0f}  {verdict}"
            )
            table.append({"n": n, "checker": checker, "correct": good, "buggy": bad})
        ratios = {
            "time": best["nnref/torch", False]["s"] / best["torch fast_mode", False]["s"],
            "time_1": best["nnref/torch, 1 dir", False]["s"] / best["torch fast_mode", False]["s"],
            "memory": best["nnref/torch", False]["peak_mib"]
            / best["torch fast_mode", False]["peak_mib"],
            "time_jax": best["nnref/jax", False]["s"] / best["jax check_grads", False]["s"],
            "memory_jax": best["nnref/jax", False]["peak_mib"]
            / best["jax check_grads", False]["peak_mib"],
        }
        print(
            f"  {n:>9,} nnref / torch fast_mode: time {ratios['time']:.2f}x, peak memory "
            f"{ratios['memory']:.2f}x (1 direction: time {ratios['time_1']:.2f}x); "
            f"nnref / jax check_grads: time {ratios['time_jax']:.2f}x, "
            f"peak memory {ratios['memory_jax']:.2f}x (correct gradient)"
        )
        tag = f"1e{round(math.log10(n))}"
        goal = ("<=", 1.0) if n >= 10**6 else None
        rec.add(f"peer_time_ratio_{tag}", f"nnref fast / torch fast_mode, time, n = {n:,}",
                ratios["time"], "x", goal)  # fmt: skip
        rec.add(f"peer_memory_ratio_{tag}", f"nnref fast / torch fast_mode, peak memory, "
                f"n = {n:,}", ratios["memory"], "x", ("<=", 1.0))  # fmt: skip
        rec.add(f"peer_time_ratio_1dir_{tag}", f"nnref fast with directions=1 / torch "
                f"fast_mode, time, n = {n:,}", ratios["time_1"], "x")  # fmt: skip
        rec.add(f"peer_time_ratio_jax_{tag}", f"nnref fast / jax check_grads, time, n = {n:,}",
                ratios["time_jax"], "x")  # fmt: skip
    rec.series("peers", table)


def bench_detection(rec, n: int, seeds: int) -> None:
    """One entry off by 1e-3 max abs(g) at ``n``: caught (and named, by nnref) for every seed?"""
    count = {"nnref/jax": min(seeds, JAX_DETECTION_SEEDS)}
    specs = {c: {"checker": c, "n": n, "seeds": list(range(count.get(c, seeds))),
                 "cases": [True]} for c in CHECKERS if c != "nnref/torch, 1 dir"}  # fmt: skip
    rows = {c: run_worker(spec) for c, spec in specs.items()}
    nn = rows["nnref/torch"] + rows["nnref/jax"]
    named = sum(r["named"] for r in nn)
    worst = max(r["evaluations"] for r in nn)
    print(
        f"\none entry off by 1e-3 max abs(g) at n = {n:,}, {seeds} seeds: nnref fast (torch) named "
        f"{sum(r['named'] for r in rows['nnref/torch'])}/{seeds}, nnref fast (jax) named "
        f"{sum(r['named'] for r in rows['nnref/jax'])}/{len(rows['nnref/jax'])}, at most "
        f"{worst} evaluations; "
        f"torch fast_mode caught {sum(not r['passed'] for r in rows['torch fast_mode'])}/{seeds}; "
        f"jax check_grads caught {sum(not r['passed'] for r in rows['jax check_grads'])}/{seeds}"
    )
    for r in nn:
        if not r["named"]:
            print(f"  missed: {r['checker']} seed {r['seed']} entry {r['entry']}")
    tag = f"1e{round(math.log10(n))}"
    rec.add(f"detect_named_{tag}", f"one entry off by 1e-3 max abs(g) at n = {n:,}: named by nnref "
            f"fast, of {len(nn)} checks ({seeds} seeds through torch, "
            f"{len(rows['nnref/jax'])} through jax)", named, "count",
            ("==", len(nn)))  # fmt: skip
    rec.add(f"detect_evaluations_{tag}", "the same, most evaluations of f to name it", worst,
            "evals", ("<=", 200))  # fmt: skip
    rec.add(f"detect_torch_{tag}", f"the same, caught by torch fast_mode, of {seeds}",
            sum(not r["passed"] for r in rows["torch fast_mode"]), "count")  # fmt: skip
    rec.add(f"detect_jax_{tag}", f"the same, caught by jax check_grads, of {seeds}",
            sum(not r["passed"] for r in rows["jax check_grads"]), "count")  # fmt: skip
    rec.series("detection", rows["nnref/torch"] + rows["nnref/jax"] + rows["torch fast_mode"]
               + rows["jax check_grads"])  # fmt: skip


SMOKE_SIZES = (20, 8, 10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sample 5,000 entries in full mode")
    parser.add_argument("--smoke", action="store_true", help="a 20-8-10 model: seconds")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument(
        "--peer-sizes", type=int, nargs="*", default=list(PEER_SIZES), help="side-by-side sizes"
    )
    parser.add_argument("--seeds", type=int, default=10, help="seeds of the detection run")
    parser.add_argument("--repeats", type=int, default=2, help="runs per measurement (min)")
    parser.add_argument("--no-peers", action="store_true", help="skip torch and jax")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    rec = Recorder("gradcheck", mode, command_line("bench_gradcheck.py", argv))
    sizes = SMOKE_SIZES if args.smoke else SIZES

    params, f, grad, _, _ = model(sizes)
    n = sum(v.size for v in params.values())
    _, t_f = timed(lambda: [f(params) for _ in range(200)])
    print(
        f"model: numpy MLP {'-'.join(map(str, sizes))}, tanh/softmax/cross-entropy, {n:,} "
        f"parameters; one evaluation of f: {t_f / 200 * 1e6:.0f} us"
    )

    evals, seconds, ok, _ = bench_full(params, f, grad, args.quick)
    how = "extrapolated from 5,000 sampled entries" if args.quick else "measured"
    print(f"full mode:            {evals:>9,} evaluations  {seconds:8.2f} s  pass={ok}  ({how})")
    rec.add("parameters", f"parameters of the numpy MLP {'-'.join(map(str, sizes))}", n, "params")
    rec.add("f_eval_us", "one evaluation of f", t_f / 200 * 1e6, "us")
    rec.add("full_evaluations", "full mode, evaluations of f", evals, "evals")
    rec.add("full_s", f"full mode, time ({how})", seconds, "s")
    rec.add("full_pass", "full mode passes the correct gradient", int(ok), "bool", ("==", 1))

    r, s = timed(lambda: gradcheck(f, params, grad, fast=True))
    print(f"fast mode, correct:   {r.evaluations:>9,} evaluations  {s:8.3f} s  pass={bool(r)}")
    rec.add("fast_correct_evaluations", "fast mode, correct gradient, evaluations",
            r.evaluations, "evals")  # fmt: skip
    rec.add("fast_correct_s", "fast mode, correct gradient, time", s, "s", ("<", 1))
    rec.add("fast_correct_pass", "fast mode passes the correct gradient", int(bool(r)),
            "bool", ("==", 1))  # fmt: skip
    bad = {k: v.copy() for k, v in grad.items()}
    name, i, j = WRONG_ENTRY
    i, j = i % bad[name].shape[0], j % bad[name].shape[1]
    bad[name][i, j] += 0.5 * abs(bad[name][i, j]) + 1e-3
    r, s = timed(lambda: gradcheck(f, params, bad, fast=True))
    print(
        f"fast mode, one wrong: {r.evaluations:>9,} evaluations  {s:8.3f} s  pass={bool(r)}  "
        f"found {r.failing_names} (goal: under 1 s: {'yes' if s < 1 else 'NO'})"
    )
    print(f"  ratio full/fast evaluations: {evals / r.evaluations:,.0f}x")
    rec.add("fast_wrong_evaluations", "fast mode, one wrong entry, evaluations (localizing it)",
            r.evaluations, "evals")  # fmt: skip
    rec.add("fast_wrong_s", "fast mode, one wrong entry, localized, time", s, "s", ("<", 1))
    rec.add("fast_wrong_fails", "fast mode fails the wrong gradient", int(not r), "bool",
            ("==", 1))  # fmt: skip
    rec.add("fast_wrong_found", f"fast mode names the wrong entry {name}[{i}][{j}] and no other",
            int(r.failing_names == [f"{name}[{i}][{j}]"]), "bool", ("==", 1))  # fmt: skip
    rec.add("full_over_fast", "full / fast evaluations (one wrong entry)",
            evals / r.evaluations, "x")  # fmt: skip
    torch_rows = [{"mode": "nnref full", "forward": evals, "backward": 0},
                  {"mode": "nnref fast", "forward": r.evaluations, "backward": 0}]  # fmt: skip

    try:
        import torch  # noqa: F401
    except ImportError:
        print(
            "torch: not installed; by its documented algorithm slow mode needs 2n+1 = "
            f"{2 * n + 1:,} forward evaluations, fast mode 2 per input tensor + 1 = 9"
        )
    else:
        small = (20, 8, 10)
        n_small = 20 * 8 + 8 + 8 * 10 + 10
        calls, s, ok = torch_counts(small, fast=False)
        extra = calls["forward"] - 2 * n_small
        print(
            f"torch.autograd.gradcheck slow mode on {'-'.join(map(str, small))} ({n_small} "
            f"params): {calls['forward']} forward (= 2n + {extra}), "
            f"{calls['backward']} backward"
        )
        print(
            f"  -> on {n:,} parameters: 2n + {extra} = {2 * n + extra:,} forward evaluations "
            "(full mode here: 2n + 1); it names no entry, it prints whole Jacobians"
        )
        rec.add("torch_slow_forward", "torch gradcheck slow mode, forward evaluations "
                "(2n + k, k from the small model)", 2 * n + extra, "evals")  # fmt: skip
        torch_rows.append(
            {"mode": "torch slow", "forward": 2 * n + extra, "backward": calls["backward"]}
        )
        calls, s, ok = torch_counts(sizes, fast=True)
        rec.add("torch_fast_forward", "torch gradcheck fast mode, forward evaluations",
                calls["forward"], "evals")  # fmt: skip
        rec.add("torch_fast_backward", "torch gradcheck fast mode, backward evaluations",
                calls["backward"], "evals")  # fmt: skip
        torch_rows.append({"mode": "torch fast", **calls})
        print(
            f"torch.autograd.gradcheck fast mode on {n:,} params: {calls['forward']} forward, "
            f"{calls['backward']} backward, {s:.3f} s, pass={ok}; on failure it only says "
            "the check failed: finding the entry needs slow mode, "
            f"{2 * n + extra:,} evaluations, vs {r.evaluations} here"
        )

    rec.series("evaluations", torch_rows)
    if not args.no_peers and _peers_installed():
        sizes_ = [10**3, 10**5] if args.smoke else args.peer_sizes  # sizes the page names
        bench_peers(rec, sizes_, args.seeds, 1 if args.smoke else args.repeats)
        if not args.smoke:  # the page names the detection figures of the full size only
            bench_detection(rec, max(sizes_), args.seeds)
    for bank_mode, false_fail, misses, per_check in [] if args.smoke else bench_bank():
        rec.add(f"bank_{bank_mode}_false_failures", f"bank, {bank_mode} mode, false failures",
                false_fail, "count", ("==", 0))  # fmt: skip
        rec.add(f"bank_{bank_mode}_misses", f"bank, {bank_mode} mode, misses", misses, "count",
                ("==", 0))  # fmt: skip
        rec.add(f"bank_{bank_mode}_evaluations", f"bank, {bank_mode} mode, evaluations per check",
                per_check, "evals")  # fmt: skip
        print(
            f"bank ({len(CORRECT)} correct, {len(WRONG)} wrong), {bank_mode} mode: "
            f"{false_fail} false failures, {misses} misses, "
            f"{per_check:,.0f} evaluations per check on average"
        )
    rec.write(args.json)


if __name__ == "__main__":
    main()
