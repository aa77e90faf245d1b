"""How long does ``nnref check`` take against the reference, and what does isolation cost?

Measured side by side in one run, on the project's 2-core machine:

- ``full``: the default profile, the implementation in child processes (goal:
  under 10 s), and ``full_in_process``: the same checks with the implementation
  imported into the judge (the unprotected runner, kept behind a hidden
  ``--in-process`` option only for this comparison); goal: isolated at most
  1.5x the in-process time;
- ``quick``: ``--quick`` (goal: under 2 s);
- ``hang``: ``--quick`` against an implementation whose ``tanh`` never returns,
  with ``--timeout 2`` (goal: under two timeouts plus the time of ``quick``);
- ``many``: 20 implementations (the reference 20 times, ``--quick``) with
  ``--jobs 2`` and with ``--jobs 1`` (informational: the speed-up).

Each profile
runs as its own process, exactly as a user types it
(``python -m nnref.conformance.cli check [--quick]``; ``nnref check`` once installed),
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

#: profile name -> (extra arguments of `nnref check`, goal in seconds or None)
PROFILES = {
    "full": ([], 10.0),
    "full_in_process": (["--in-process"], None),
    "quick": (["--quick"], 2.0),
}
SMOKE_ARGS = ["--only", "W1_1*", "--no-properties"]
HANG_TIMEOUT = 2.0
HANG = ["tests.isolation.hostile:LOOP", "--quick", "--timeout", str(HANG_TIMEOUT)]
MANY = 20


def run_check(extra: list[str], expect: int = 0) -> tuple[float, float, int]:
    """(wall s, child CPU s, exit status) of one ``python -m nnref.conformance.cli check`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "nnref.conformance.cli", "check", "-q", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != expect:
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
    print(f"{'profile':>16} {'wall s':>8} {'cpu s':>8} {'exit':>5}  goal")
    status, walls = 0, {}
    for name, (extra, goal) in PROFILES.items():
        extra = extra + SMOKE_ARGS if args.smoke else extra
        rounds = 1 if args.smoke or name.startswith("full") else args.rounds
        wall, code = _profile(rec, name, extra, goal, rounds)
        walls[name], status = wall, max(status, code)
    ratio = walls["full"] / walls["full_in_process"]
    print(f"{'isolated/in-process':>16} {ratio:>8.2f}  <= 1.5: {'yes' if ratio <= 1.5 else 'NO'}")
    rec.add("isolation_ratio", "full: isolated / in-process", ratio, "x", ("<=", 1.5))
    if not args.smoke:
        goal = 2 * HANG_TIMEOUT + walls["quick"]
        _profile(rec, "hang", HANG, goal, 1, expect=1)
        _many(rec)
    rec.write(args.json)
    return 1 if status else 0


def _profile(rec, name, extra, goal, rounds, expect=0) -> tuple[float, int]:
    runs = [run_check(extra, expect) for _ in range(rounds)]
    wall, cpu, code = min(runs)
    met = "-" if goal is None else (f"< {goal:.1f} s: " + ("yes" if wall < goal else "NO"))
    print(f"{name:>16} {wall:>8.2f} {cpu:>8.2f} {code:>5}  {met}")
    flag = f" {' '.join(extra)}" if extra else ""
    rec.add(f"{name}_wall_s", f"nnref check{flag}, wall", wall, "s", goal and ("<", goal))
    rec.add(f"{name}_cpu_s", f"nnref check{flag}, CPU of the process", cpu, "s")
    rec.add(f"{name}_exit", f"nnref check{flag}, exit status", code, "status", ("==", expect))
    return wall, 0 if code == expect else 1


def _many(rec) -> None:
    """20 implementations with --jobs 2 and one after another."""
    specs = ["reference"] * MANY
    walls = {}
    for jobs in (2, 1):
        wall, cpu, code = run_check([*specs, "--quick", "--jobs", str(jobs)])
        walls[jobs] = wall
        print(f"{f'{MANY} impls -j{jobs}':>16} {wall:>8.2f} {cpu:>8.2f} {code:>5}  -")
        label = f"nnref check with {MANY} implementations --quick --jobs {jobs}, wall"
        rec.add(f"many_jobs{jobs}_wall_s", label, wall, "s")
    rec.add("many_speedup", "--jobs 2 speed-up over --jobs 1", walls[1] / walls[2], "x")


if __name__ == "__main__":
    sys.exit(main())
