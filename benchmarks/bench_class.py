"""How long does grading a class take? N submissions, ``--jobs 2`` against one after another.

The class is ``tests/grading/classroom.py``'s folder, repeated until it has N submissions
(correct ones, a threshold added, hidden deltas without f'(u), one that fails to import,
one that exits in adam_step, one that hangs), each a folder holding ``net.py``. Both runs
are one command each, as a teaching assistant types it:

    nnref check sub-*/ --entry net.py --quick --timeout 2 [--jobs 2]

Run from the repository root (about 10 minutes for 40 submissions on 2 cores):

    python benchmarks/bench_class.py --submissions 40
    python benchmarks/bench_class.py --submissions 40 --json benchmarks/results/class.json

Reported: wall seconds of each run, seconds per submission, and the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def timed(root: Path, folders: list[str], jobs: int) -> tuple[float, int]:
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", *folders]
    command += ["--entry", "net.py", "--quick", "--timeout", "2", "--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nnref-class-") as tmp:
        root = Path(tmp)
        folders = build(root, args.submissions)
        serial, status1 = timed(root, folders, 1)
        parallel, status2 = timed(root, folders, 2)
    n = args.submissions
    figures = {
        "submissions": n,
        "jobs_1_seconds": round(serial, 1),
        "jobs_2_seconds": round(parallel, 1),
        "seconds_per_submission_jobs_2": round(parallel / n, 2),
        "speed_up": round(serial / parallel, 2),
        "exit_statuses": [status1, status2],
    }
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
