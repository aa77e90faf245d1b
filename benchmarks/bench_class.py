"""How long does grading a class take? N submissions, ``--jobs 2`` against one after another.

The class is ``tests/grading/classroom.py``'s folder, repeated until it has N submissions
(correct ones, a threshold added, hidden deltas without f'(u), one that fails to import,
one that exits in adam_step, one that hangs), each a folder holding ``net.py``. Both runs
are one command each, as a teaching assistant types it:

    nnref check sub-*/ --entry net.py --quick --timeout 2 [--jobs 2]

Run from the repository root (about 10 minutes for 40 submissions on 2 cores):

    python benchmarks/bench_class.py --submissions 40
    python benchmarks/bench_class.py --submissions 40 --json benchmarks/results/class.json

Reported: wall seconds of each run, seconds per submission, and the speed-up. ``--json FILE``
writes them in the format of ``benchmarks/results.py`` (the docs' Benchmarks page reads
``benchmarks/results/class.json``); ``--smoke`` grades 4 submissions on two vectors.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Recorder, command_line  # noqa: E402
from tests.grading.classroom import BODIES, make_class  # noqa: E402


def build(root: Path, n: int) -> list[str]:
    names = list(BODIES)
    folders = []
    for i in range(n):
        name = names[i % len(names)]
        sub = root / f"sub-{i:03d}"
        made = make_class(sub, [name])[0]
        folders.append(os.path.relpath(made, root))
    return folders


def timed(root: Path, folders: list[str], jobs: int, extra: list[str]) -> tuple[float, int]:
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", *folders]
    command += ["--entry", "net.py", "--quick", "--timeout", "2", "--jobs", str(jobs), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--smoke", action="store_true", help="4 submissions, two vectors each")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    n = 4 if args.smoke else args.submissions
    extra = ["--only", "W1_1*", "--no-properties"] if args.smoke else []
    rec = Recorder("class", "smoke" if args.smoke else "full", command_line("bench_class.py", argv))
    with tempfile.TemporaryDirectory(prefix="nnref-class-") as tmp:
        root = Path(tmp)
        folders = build(root, n)
        serial, status1 = timed(root, folders, 1, extra)
        parallel, status2 = timed(root, folders, 2, extra)
    rec.add("submissions", "submissions in the class", n, "count")
    rec.add("jobs1_wall_s", "the class one after another (--jobs 1), wall", serial, "s")
    rec.add("jobs2_wall_s", "the class with --jobs 2, wall", parallel, "s")
    rec.add("per_submission_s", "seconds per submission with --jobs 2", parallel / n, "s")
    rec.add("speedup", "--jobs 2 over --jobs 1", serial / parallel, "x")
    rec.add("exit", "exit status, the worst of the class", max(status1, status2), "status")
    for f in rec.data["figures"]:
        print(f"{f['label']:>52}: {f['value']:.3g} {f['unit']}")
    rec.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
