"""Benchmark symbolic/: proving every derivation, the tutorial's exact gradients, and the
time of exact whole-network gradients against parameter count (where the size guard sits).

Run from the repository root:  python benchmarks/bench_symbolic.py [--max-seconds 60]

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


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def bench_derivations() -> None:
    from symbolic import registry

    (derivations, build_wall, _) = timed(registry.all_derivations)
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
    print("slowest:")
    for wall, cpu, ident, status in sorted(rows, reverse=True)[:5]:
        print(f"  {wall:6.2f} s wall {cpu:6.2f} s cpu  {ident} ({status})")


def bench_tutorial() -> None:
    import reference
    from symbolic.gradients import gradients
    from symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_LOSS, TUTORIAL_T, TUTORIAL_X

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


def bench_curve(max_seconds: float) -> None:
    import reference
    from symbolic.gradients import gradients
    from symbolic.network import MAX_PARAMS, parameter_count

    print("\n== exact whole-network gradients vs parameter count "
          "(one hidden layer, softmax + cross-entropy) ==")  # fmt: skip
    print(f"size guard: MAX_PARAMS = {MAX_PARAMS}: every parameter costs one symbolic "
          "forward + diff whose size grows with the layer widths, so time is superlinear "
          "in the count; the guard sits where one call reaches about 10 s of CPU")  # fmt: skip
    print(f"{'shape':>10} {'params':>6} {'hidden':>8} {'wall s':>8} {'cpu s':>8} "
          f"{'cpu ms/param':>12} {'x reference':>12}")  # fmt: skip
    for hidden in ("sigmoid", "relu"):
        for shape in SHAPES:
            layers, x, t = _network(shape, hidden, random.Random(f"{shape}-{hidden}"))
            count = parameter_count(layers)
            sample = (layers, x, t, "cross_entropy")
            _, wall, cpu = timed(partial(gradients, *sample, max_params=10**6))
            _, r_wall, _ = timed(partial(reference.gradients, *sample))
            print(f"{'-'.join(map(str, shape)):>10} {count:>6} {hidden:>8} {wall:>8.2f} "
                  f"{cpu:>8.2f} {1000 * cpu / count:>12.1f} {wall / r_wall:>12,.0f}")  # fmt: skip
            if wall > max_seconds:
                print(f"{'':>10} (stopping this curve: over {max_seconds:.0f} s)")
                break


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="stop a curve once one size takes longer than this")  # fmt: skip
    parser.add_argument("--skip-curve", action="store_true")
    args = parser.parse_args()
    bench_derivations()
    bench_tutorial()
    if not args.skip_curve:
        bench_curve(args.max_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
