"""Benchmark symbolic/: proving every derivation, the tutorial's exact gradients, and the
time of exact whole-network gradients against parameter count (where the size guard sits).

Run from the repository root:  python benchmarks/bench_symbolic.py [--max-seconds 60]
``--json FILE`` writes the figures in the format of ``benchmarks/results.py`` (the docs'
Benchmarks page reads ``benchmarks/results/symbolic.json``); ``--smoke`` verifies three
derivations and runs the smallest curve size (seconds; for the tests of that format).

Wall time and CPU time (process_time) are both printed: on a shared machine CPU
time is the steadier figure. The reference's backprop on the same network is
timed in the same run, so the last column is a ratio, not an absolute claim.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import Recorder, command_line


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def bench_derivations(recorder: Recorder, limit: int | None = None) -> None:
    from nnref.symbolic import registry

    (derivations, build_wall, _) = timed(registry.all_derivations)
    derivations = derivations[:limit]
    rows = []
    total_wall = total_cpu = 0.0
    for d in derivations:
        result, wall, cpu = timed(d.verify)
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        rows.append((wall, cpu, d.id, result.status))
    print(f"== verify every derivation ({len(derivations)}; goal < 10 s) ==")
    print(f"build (first use of the registry): {build_wall:.2f} s wall")
    print(f"verify: {total_wall:.2f} s wall, {total_cpu:.2f} s cpu; "
          f"{sum(r[3] == 'proved' for r in rows)}/{len(rows)} proved")  # fmt: skip
    proved = sum(r[3] == "proved" for r in rows)
    recorder.add("verify_wall_s", "verify every derivation, wall", total_wall, "s", ("<", 10))
    recorder.add("verify_cpu_s", "verify every derivation, CPU", total_cpu, "s")
    recorder.add("derivations_proved", "derivations proved", proved, "count", ("==", len(rows)))
    recorder.add("registry_build_s", "build the registry (first use), wall", build_wall, "s")
    print("slowest:")
    for wall, cpu, ident, status in sorted(rows, reverse=True)[:5]:
        print(f"  {wall:6.2f} s wall {cpu:6.2f} s cpu  {ident} ({status})")


def bench_tutorial(recorder: Recorder) -> None:
    from nnref import reference
    from nnref.symbolic.gradients import gradients
    from nnref.symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_LOSS, TUTORIAL_T, TUTORIAL_X

    args = (TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, TUTORIAL_LOSS)
    raw, wall, cpu = timed(lambda: gradients(*args))
    _, s_wall, s_cpu = timed(raw.simplified)
    _, f_wall, _ = timed(raw.floats)
    _, r_wall, _ = timed(lambda: reference.gradients(*args))
    print("\n== exact gradients of the tutorial network (29 parameters; goal < 3 s) ==")
    print(f"differentiate + evaluate exactly: {wall:.2f} s wall, {cpu:.2f} s cpu")
    print(f"closed forms in e (simplified):   {s_wall:.2f} s wall, {s_cpu:.2f} s cpu")
    print(f"to floats (30 digits):            {f_wall:.2f} s wall")
    print(f"total:                            {wall + s_wall + f_wall:.2f} s wall")
    print(f"reference backprop, same sample:  {r_wall * 1e6:.0f} us "
          f"(symbolic / reference = {wall / r_wall:,.0f}x)")  # fmt: skip
    total = wall + s_wall + f_wall
    recorder.add("tutorial_exact_s", "tutorial network's exact gradients (differentiate + "
                 "evaluate), wall", wall, "s", ("<", 3))  # fmt: skip
    recorder.add("tutorial_total_s", "the same, plus closed forms in e and floats, wall",
                 total, "s", ("<", 3))  # fmt: skip
    recorder.add("tutorial_over_reference", "symbolic / reference backprop, same sample",
                 wall / r_wall, "x")  # fmt: skip


#: (inputs, hidden, outputs) -> n*h + h + h*m + m parameters: 12 ... 195
SHAPES = [(2, 2, 2), (3, 3, 3), (4, 4, 4), (4, 6, 4), (5, 8, 5), (6, 10, 6), (8, 10, 8),
          (8, 11, 8)]  # fmt: skip


def _network(shape, hidden, rng):
    n, h, m = shape

    def layer(a, b, act):
        W = [[rng.randint(-8, 8) / 8 for _ in range(b)] for _ in range(a)]
        return {"W": W, "b": [rng.randint(-8, 8) / 8 for _ in range(b)], "activation": act}

    layers = [layer(n, h, hidden), layer(h, m, "softmax")]
    x = [rng.randint(-4, 4) / 4 for _ in range(n)]
    t = [1.0] + [0.0] * (m - 1)
    return layers, x, t


def bench_curve(recorder: Recorder, max_seconds: float, shapes=SHAPES) -> None:
    from nnref import reference
    from nnref.symbolic.gradients import gradients
    from nnref.symbolic.network import MAX_PARAMS, parameter_count

    print("\n== exact whole-network gradients vs parameter count "
          "(one hidden layer, softmax + cross-entropy) ==")  # fmt: skip
    print(f"size guard: MAX_PARAMS = {MAX_PARAMS}: every parameter costs one symbolic "
          "forward + diff whose size grows with the layer widths, so time is superlinear "
          "in the count; the guard sits where one call reaches about 10 s of CPU")  # fmt: skip
    recorder.add("max_params", "size guard nnref.symbolic.network.MAX_PARAMS", MAX_PARAMS, "params")
    points = []
    print(f"{'shape':>10} {'params':>6} {'hidden':>8} {'wall s':>8} {'cpu s':>8} "
          f"{'cpu ms/param':>12} {'x reference':>12}")  # fmt: skip
    for hidden in ("sigmoid", "relu"):
        for shape in shapes:
            layers, x, t = _network(shape, hidden, random.Random(f"{shape}-{hidden}"))
            count = parameter_count(layers)
            sample = (layers, x, t, "cross_entropy")
            _, wall, cpu = timed(partial(gradients, *sample, max_params=10**6))
            _, r_wall, _ = timed(partial(reference.gradients, *sample))
            print(f"{'-'.join(map(str, shape)):>10} {count:>6} {hidden:>8} {wall:>8.2f} "
                  f"{cpu:>8.2f} {1000 * cpu / count:>12.1f} {wall / r_wall:>12,.0f}")  # fmt: skip
            points.append({"shape": "-".join(map(str, shape)), "params": count,
                           "hidden": hidden, "wall_s": wall, "cpu_s": cpu,
                           "over_reference": wall / r_wall})  # fmt: skip
            if wall > max_seconds:
                print(f"{'':>10} (stopping this curve: over {max_seconds:.0f} s)")
                break
    recorder.series("curve", points)
    guarded = [p for p in points if p["params"] <= MAX_PARAMS]
    if guarded:
        slowest = max(guarded, key=lambda p: p["cpu_s"])
        recorder.add("cpu_s_at_guard", f"slowest curve point within the guard ({slowest['shape']}, "
                     f"{slowest['hidden']}), CPU", slowest["cpu_s"], "s")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="stop a curve once one size takes longer than this")  # fmt: skip
    parser.add_argument("--skip-curve", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="3 derivations, 1 curve size")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.skip_curve else "full"
    recorder = Recorder("symbolic", mode, command_line("bench_symbolic.py", argv))
    bench_derivations(recorder, 3 if args.smoke else None)
    bench_tutorial(recorder)
    if not args.skip_curve:
        bench_curve(recorder, args.max_seconds, SHAPES[:1] if args.smoke else SHAPES)
    recorder.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
