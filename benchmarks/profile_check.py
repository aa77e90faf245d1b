"""Where does a check's time go? Seconds, round trips and calls per phase of one ``nnref check``.

    python benchmarks/profile_check.py                                   # the reference
    python benchmarks/profile_check.py nnref.conformance.adapters.jax_impl --relu-grad-at-zero 0

One check in this process (the implementation in its child, as usual), with the judge's
side counted: per phase (the vectors, each hypothesis property, the fresh inputs) its wall
time, the batches sent to the child (round trips), the calls they held and the runs of
those calls (a call with ``each`` runs once per probe), and the distinct network shapes
(layer sizes) and structures (sizes, activations, loss) the properties drew: what a
framework that compiles per shape compiles.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnref.conformance.check import pipeline, sources  # noqa: E402
from nnref.conformance.check.options import CheckOptions  # noqa: E402
from nnref.conformance.isolation import session  # noqa: E402
from nnref.conformance.properties import runner, suite  # noqa: E402


def profile(spec: str | None, options: CheckOptions) -> None:
    counts: collections.Counter = collections.Counter()
    seconds: dict = collections.defaultdict(float)
    shapes: dict = collections.defaultdict(set)
    phase = ["start"]
    send, run_property = session.Session._send, runner.run_property
    judge_cases, draw = sources.Isolated.judge_cases, suite.draw_network

    def counted_send(self, batch, stop=False):
        counts[phase[0], "batches"] += 1
        counts[phase[0], "calls"] += len(batch)
        counts[phase[0], "runs"] += sum(c.runs for c in batch)
        yield from send(self, batch, stop)

    def timed_property(prop, fns, opts, guard=True):
        phase[0] = prop.id
        start = time.perf_counter()
        try:
            return run_property(prop, fns, opts, guard)
        finally:
            seconds[prop.id] += time.perf_counter() - start

    def timed_cases(self, cases, opts, sink, ids=()):
        phase[0] = "fresh inputs" if "vectors" in seconds else "vectors"
        start = time.perf_counter()
        try:
            return judge_cases(self, cases, opts, sink, ids)
        finally:
            seconds[phase[0]] += time.perf_counter() - start

    def drawn(data, fns, pairing=None):
        layers, x, t, loss, desc = draw(data, fns, pairing)
        sizes = (len(x), *(len(layer["b"]) for layer in layers))
        shapes[phase[0], "shapes"].add(sizes)
        shapes[phase[0], "structures"].add((sizes, tuple(la["activation"] for la in layers), loss))
        return layers, x, t, loss, desc

    session.Session._send, runner.run_property = counted_send, timed_property
    sources.Isolated.judge_cases, suite.draw_network = timed_cases, drawn
    start = time.perf_counter()
    report = pipeline.check_implementation(spec, options)
    total = time.perf_counter() - start
    print(f"{report.implementation}: {total:.1f} s, {report.lines()[-1]}")
    heads = ("s", "trips", "calls", "runs", "shapes", "struct")
    print(f"{'phase':>42} " + " ".join(f"{h:>6}" for h in heads))
    for name, s in seconds.items():
        row = [counts[name, k] for k in ("batches", "calls", "runs")]
        row += [len(shapes[name, k]) for k in ("shapes", "structures")]
        print(f"{name:>42} {s:>6.2f} " + " ".join(f"{v:>6}" for v in row))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("impl", nargs="?", help="the implementation (default: the reference)")
    parser.add_argument("--relu-grad-at-zero", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    profile(args.impl, CheckOptions(relu_grad_at_zero=args.relu_grad_at_zero, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
