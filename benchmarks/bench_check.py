"""How long does ``nnref check`` take against the reference? Full and --quick.

Goals: the full default profile in under 60 s on the
project's 2-core machine, the ``--quick`` profile in under 5 s. Each profile
runs as its own process, exactly as a user types it
(``python -m conformance.cli check [--quick]``; ``nnref check`` once installed),
so interpreter start-up and imports are included. Reported per profile: wall
time (the goal; the best of ``--rounds`` runs) and the CPU time of the child
process (steadier on a shared machine), and its exit status, which must be 0.

Run from the repository root:

    python benchmarks/bench_check.py            # about a minute
    python benchmarks/bench_check.py --json benchmarks/results/check.json

``--json FILE`` writes the figures in the format of ``benchmarks/results.py`` (the docs'
Benchmarks page reads ``benchmarks/results/check.json``); ``--smoke`` times two vectors
only, no properties (seconds; for the tests of that format).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Recorder, command_line  # noqa: E402

#: profile name -> (extra arguments of `nnref check`, goal in seconds)
PROFILES = {"full": ([], 60.0), "quick": (["--quick"], 5.0)}
SMOKE_ARGS = ["--only", "W1_1*", "--no-properties"]


def run_check(extra: list[str]) -> tuple[float, float, int]:
    """(wall s, child CPU s, exit status) of one ``python -m conformance.cli check`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "check", "-q", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        print(f"  exit status {proc.returncode}: " + " / ".join(tail))
    return wall, cpu, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of --quick (best is kept)")
    parser.add_argument("--smoke", action="store_true", help="two vectors, no properties")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "full"
    rec = Recorder("check", mode, command_line("bench_check.py", argv))
    print(f"nnref check against the reference; Python {sys.version.split()[0]}")
    print(f"{'profile':>8} {'wall s':>8} {'cpu s':>8} {'exit':>5}  goal")
    status = 0
    for name, (extra, goal) in PROFILES.items():
        extra = extra + SMOKE_ARGS if args.smoke else extra
        rounds = 1 if args.smoke or name == "full" else args.rounds
        runs = [run_check(extra) for _ in range(rounds)]
        wall, cpu, code = min(runs)
        status = max(status, *(r[2] for r in runs))
        met = "yes" if wall < goal else "NO"
        print(f"{name:>8} {wall:>8.2f} {cpu:>8.2f} {code:>5}  < {goal:.0f} s: {met}")
        flag = f" {' '.join(extra)}" if extra else ""
        rec.add(f"{name}_wall_s", f"nnref check{flag}, wall", wall, "s", ("<", goal))
        rec.add(f"{name}_cpu_s", f"nnref check{flag}, CPU of the process", cpu, "s")
        rec.add(f"{name}_exit", f"nnref check{flag}, exit status", code, "status", ("==", 0))
    rec.write(args.json)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
