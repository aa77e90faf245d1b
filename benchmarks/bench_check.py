"""How long does ``nnref check`` take against the reference, and what do isolation and
``--sandbox`` cost? Does a hostile flood stay cheap?

Measured side by side in one run, on the project's 2-core machine:

- ``full``: the default profile, the implementation in child processes (goal:
  under 10 s); ``full_in_process``: the same checks with the implementation
  imported into the judge (the unprotected runner, kept behind a hidden
  ``--in-process`` option only for this comparison), goal: isolated at most
  1.35x the in-process time; ``full_sandbox``: every child under bubblewrap
  (``--sandbox``), goal: at most 1.1x the isolated time;
- ``quick``: ``--quick`` (goal: under 2 s);
- ``hang``: ``--quick`` against an implementation whose ``tanh`` never returns,
  with ``--timeout 2`` (goal: under two timeouts plus the time of ``quick``);
- ``flood`` and ``forged``: a callable that writes 64 MiB without a newline on the
  protocol's pipe, and one that writes a well-formed reply of 8 million numbers
  (goal: under two timeouts of 2 s, and the judge's peak RSS, its children's
  included, under 300 MB);
- ``many``: 20 implementations (the reference 20 times, ``--quick``) with
  ``--jobs 2`` and with ``--jobs 1`` (goal: ``--jobs 2`` at most 0.6x the time);
- ``torch`` and ``jax``: the full check of the example adapters
  (``nnref.conformance.adapters.torch_impl`` and ``jax_impl``, ``--relu-grad-at-zero 0``),
  interleaved with ``full`` (goal: each at most 3x the reference's ``full``); ``jax`` loads
  JAX's compiled programs from a disk cache (``NNREF_JAX_CACHE``, emptied when the
  benchmark starts, so the first round fills it and the best round is a later run),
  ``jax_cold`` compiles every one (no cache: a first run). Skipped when the library is
  not installed; ``--frameworks`` runs only these and ``full``.

Each profile runs as its own process, exactly as a user types it
(``python -m nnref.conformance.cli check [--quick]``; ``nnref check`` once installed),
so interpreter start-up and imports are included. Reported per profile: wall
time (the goal; the best of the runs), the CPU time of the process and its
children (steadier on a shared machine), its peak RSS, and its exit status.

Run from the repository root:

    python benchmarks/bench_check.py            # a few minutes
    python benchmarks/bench_check.py --json benchmarks/results/check.json

``--json FILE`` writes the figures in the format of ``benchmarks/results.py`` (the docs'
Benchmarks page reads ``benchmarks/results/check.json``); ``--smoke`` times two vectors
only, no properties (seconds; for the tests of that format).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Recorder, command_line  # noqa: E402

#: profile name -> (extra arguments of `nnref check`, goal in seconds or None)
PROFILES = {
    "full": ([], 10.0),
    "full_in_process": (["--in-process"], None),
    "full_sandbox": (["--sandbox"], None),
    "quick": (["--quick"], 2.0),
}
TORCH = ["nnref.conformance.adapters.torch_impl", "--relu-grad-at-zero", "0"]
JAX = ["nnref.conformance.adapters.jax_impl", "--relu-grad-at-zero", "0"]
JAX_CACHE = os.path.join(tempfile.gettempdir(), "nnref-bench-jax-cache")
#: framework profile -> (the library it needs, the arguments of `nnref check`, environment)
FRAMEWORKS = {
    "torch": ("torch", TORCH, {}),
    # JAX's programs from the adapter's disk cache, emptied when the benchmark starts: the
    # first round fills it, the best of the rounds is a later run
    "jax": ("jax", JAX, {"NNREF_JAX_CACHE": JAX_CACHE}),
    "jax_cold": ("jax", JAX, {}),  # no cache: every program compiled (a first run)
}
#: A framework's full check may take at most this many times the reference's.
FRAMEWORK_RATIO = 3.0
SMOKE_ARGS = ["--only", "W1_1*", "--no-properties"]
HANG_TIMEOUT = 2.0
HANG = ["tests.isolation.hostile:LOOP", "--quick", "--timeout", str(HANG_TIMEOUT)]
#: name -> the hostile implementation; each is checked on two cases, no properties
FLOODS = {"flood": "FLOOD", "forged": "FORGED_EIGHT_MILLION"}
#: How the report names the flood profiles (their command lines are too long for a table).
FLOOD_TITLES = {
    "flood": "on a 64 MiB flood without a newline",
    "forged": "on a forged 8M-number reply",
}
FLOOD_ARGS = ["--no-properties", "--only=relu-000", "--only=softmax-000", "--timeout=2"]
RSS_GOAL_MB = 300
MANY = 20


def run_check(extra: list[str], expect: int = 0, env=None) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, exit status) of one ``nnref check`` process; the CPU and
    the RSS are those of the process and of every child it waited for (``wait4``). ``env``:
    variables added to the environment."""
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", "-q", *extra]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        environ = {**os.environ, **(env or {})}
        streams = {"stdout": out, "stderr": subprocess.STDOUT}
        proc = subprocess.Popen(command, cwd=ROOT, env=environ, **streams)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != expect:
        tail = text.strip().splitlines()[-3:]
        print(f"  exit status {proc.returncode}: " + " / ".join(tail))
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each profile (best kept)")
    parser.add_argument("--smoke", action="store_true", help="two vectors, no properties")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument(
        "--frameworks", action="store_true", help="only the reference's and the adapters' checks"
    )
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "full"
    rec = Recorder("check", mode, command_line("bench_check.py", argv))
    print(f"nnref check against the reference; Python {sys.version.split()[0]}")
    print(f"{'profile':>20} {'wall s':>8} {'cpu s':>8} {'RSS MB':>7} {'exit':>5}  goal")
    status, walls = 0, {}
    profiles = {k: v for k, v in PROFILES.items() if k != "full_sandbox" or shutil.which("bwrap")}
    if args.frameworks:
        profiles = {"full": PROFILES["full"]}
    for name, (library, extra, _env) in FRAMEWORKS.items():
        if importlib.util.find_spec(library) is None:
            print(f"{name:>20} skipped: {library} is not installed")
        else:
            profiles[name] = (extra, None)
    rounds = 1 if args.smoke else args.rounds
    shutil.rmtree(JAX_CACHE, ignore_errors=True)
    for _ in range(rounds):  # interleaved, so a change of load hits every profile alike
        for name, (extra, _goal) in profiles.items():
            extra = extra + SMOKE_ARGS if args.smoke else extra
            env = FRAMEWORKS[name][2] if name in FRAMEWORKS else None
            walls.setdefault(name, []).append(run_check(extra, env=env))
    for name, (extra, goal) in profiles.items():
        best = min(walls[name])
        walls[name] = best[0]
        status = max(status, _record(rec, name, extra, goal, best))
    if "full_in_process" in walls:
        _ratio(rec, "isolation_ratio", "full: isolated / in-process", walls["full"],
               walls["full_in_process"], 1.35)  # fmt: skip
    if "full_sandbox" in walls:
        _ratio(rec, "sandbox_ratio", "full: --sandbox / isolated", walls["full_sandbox"],
               walls["full"], 1.1)  # fmt: skip
    for name in FRAMEWORKS:
        if name in walls:
            _ratio(rec, f"{name}_ratio", f"full: {name} / reference", walls[name], walls["full"],
                   FRAMEWORK_RATIO)  # fmt: skip
    if not args.smoke and not args.frameworks:
        goal = 2 * HANG_TIMEOUT + walls["quick"]
        status = max(status, _record(rec, "hang", HANG, goal, run_check(HANG, 1), expect=1))
        for name, hostile in FLOODS.items():
            extra = [f"tests.isolation.protocol_hostile:{hostile}", *FLOOD_ARGS]
            run = run_check(extra, 1)
            status = max(status, _record(rec, name, extra, 2 * 2.0, run, expect=1))
            label = f"nnref check {FLOOD_TITLES[name]}, peak RSS of the judge and its children"
            rec.add(f"{name}_rss_mb", label, run[2], "MB", ("<", RSS_GOAL_MB))
        _many(rec)
    rec.write(args.json)
    return 1 if status else 0


def _record(rec, name, extra, goal, run, expect=0) -> int:
    wall, cpu, rss, code = run
    met = "-" if goal is None else (f"< {goal:.1f} s: " + ("yes" if wall < goal else "NO"))
    print(f"{name:>20} {wall:>8.2f} {cpu:>8.2f} {rss:>7.0f} {code:>5}  {met}")
    flag = (
        f" {FLOOD_TITLES[name]}" if name in FLOOD_TITLES else f" {' '.join(extra)}" if extra else ""
    )
    env = FRAMEWORKS[name][2] if name in FRAMEWORKS else {}
    flag = "".join(f"{k}={v} " for k, v in env.items()) + flag.lstrip() if env else flag
    flag = f" {flag.lstrip()}" if flag else ""
    rec.add(f"{name}_wall_s", f"nnref check{flag}, wall", wall, "s", goal and ("<", goal))
    rec.add(f"{name}_cpu_s", f"nnref check{flag}, CPU of the process", cpu, "s")
    rec.add(f"{name}_exit", f"nnref check{flag}, exit status", code, "status", ("==", expect))
    return 0 if code == expect else 1


def _ratio(rec, name: str, label: str, a: float, b: float, goal: float) -> None:
    ratio = a / b
    print(f"{label:>20} {ratio:>8.2f}  <= {goal}: {'yes' if ratio <= goal else 'NO'}")
    rec.add(name, label, ratio, "x", ("<=", goal))


def _many(rec) -> None:
    """20 implementations with --jobs 2 and one after another."""
    specs = ["reference"] * MANY
    walls = {}
    for jobs in (2, 1):
        wall, cpu, rss, code = run_check([*specs, "--quick", "--jobs", str(jobs)])
        walls[jobs] = wall
        print(f"{f'{MANY} impls -j{jobs}':>20} {wall:>8.2f} {cpu:>8.2f} {rss:>7.0f} {code:>5}  -")
        label = f"nnref check with {MANY} implementations --quick --jobs {jobs}, wall"
        rec.add(f"many_jobs{jobs}_wall_s", label, wall, "s")
    rec.add("many_speedup", "--jobs 2 speed-up over --jobs 1", walls[1] / walls[2], "x")
    _ratio(rec, "many_ratio", f"{MANY} impls: --jobs 2 / --jobs 1", walls[2], walls[1], 0.6)


if __name__ == "__main__":
    sys.exit(main())
