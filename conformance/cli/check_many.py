"""``nnref check A B C [--jobs N]``: several implementations, each checked by its own judge.

Each implementation is checked by a separate ``nnref check IMPL --json FILE``
process (which runs the implementation in children of its own), started
through ``concurrent.futures`` threads, at most ``--jobs`` at a time. The
reports are printed in the order given, then a matrix: implementation x
passed, failed, errors, not provided, seconds. With ``--json DIR``: one
report per implementation plus ``index.json``. The exit status is the worst
of the implementations' (2 over 1 over 0; 130 if interrupted).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.sandbox import Sandbox

#: Options passed on to each implementation's own ``nnref check``.
_PASSED_ON = ("relu_grad_at_zero", "seed", "max_examples", "timeout", "memory_limit", "budget")


def run_many(args) -> int:
    if getattr(args, "sandbox", False):
        Sandbox()  # bwrap missing or unusable: one line, before any check starts
    out_dir = Path(args.json) if args.json else None
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise NnrefError(f"--json {out_dir}: with several implementations, give a directory")
        out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nnref-many-") as tmp:
        files = [Path(tmp) / f"{i:03d}.json" for i in range(len(args.impl))]
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            jobs = [pool.submit(_one, spec, f, args) for spec, f in zip(args.impl, files)]
            done = [job.result() for job in jobs]
        rows = []
        for spec, f, (status, text, errors, seconds) in zip(args.impl, files, done):
            sys.stdout.write(text + "".join(f"{spec}: {line}\n" for line in errors.splitlines()))
            print()
            report = _read(f)
            rows.append(_row(spec, status, report, seconds, errors))
            if out_dir is not None and report is not None:
                name = _file_name(spec)
                (out_dir / name).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
                rows[-1]["report"] = name
    for line in matrix(rows):
        print(line)
    if out_dir is not None:
        index = {"schema_version": 1, "implementations": rows}
        (out_dir / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    statuses = [r["exit_status"] for r in rows]
    return 130 if 130 in statuses else max(statuses)


def _one(spec: str, json_file: Path, args) -> tuple[int, str, str, float]:
    """One implementation's ``nnref check``: (exit status, stdout, stderr, seconds)."""
    command = [
        sys.executable,
        "-P",  # the current directory must not shadow nnref (a clone's root holds api/, ...)
        "-m",
        "nnref.conformance.cli",
        "check",
        spec,
        "--json",
        str(json_file),
    ]
    for name in _PASSED_ON:
        value = getattr(args, name, None)
        if value is not None:
            flag = "--" + name.replace("_", "-")
            command += [flag, str(value // 2**20 if name == "memory_limit" else value)]
    for flag in ("quick", "no_properties", "retry_timeouts", "quiet", "sandbox"):
        if getattr(args, flag, False):
            command.append("--" + flag.replace("_", "-"))
    for pattern in args.only:
        command += ["--only", pattern]
    for convention in getattr(args, "convention", []):
        command += ["--convention", convention]
    for path in args.vectors:
        command += ["--vectors", path]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _row(spec, status, report, seconds, errors) -> dict:
    summary = (report or {}).get("summary", {})
    row = {"implementation": spec, "exit_status": status, "seconds": round(seconds, 2)}
    row.update({k: summary.get(k) for k in ("passed", "failed", "errors", "not_provided")})
    if report is None:
        lines = [ln.removeprefix("nnref: error: ") for ln in errors.splitlines() if ln.strip()]
        row["error"] = lines[-1] if lines else f"exited with status {status}"
    return row


def matrix(rows: list[dict]) -> list[str]:
    """The implementations side by side: one line each."""
    width = max([len("implementation"), *(len(r["implementation"]) for r in rows)])
    head = f"{'implementation':<{width}}  passed  failed  errors  not provided  seconds"
    out = ["", head]
    for r in rows:
        if "error" in r:
            out.append(f"{r['implementation']:<{width}}  {r['error']}")
            continue
        out.append(
            f"{r['implementation']:<{width}}  {r['passed']:>6}  {r['failed']:>6}  "
            f"{r['errors']:>6}  {r['not_provided']:>12}  {r['seconds']:>7.1f}"
        )
    return out


def _file_name(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", spec) + ".json"
