"""``nnref check A B C [--jobs N]``: several implementations, each checked by its own judge.

Each implementation is checked by a separate ``nnref check IMPL --json FILE`` process
(which runs the implementation in children of its own), at most ``--jobs`` at a time,
so one that hangs or crashes its judge costs only its own row. As each finishes, one
line says its name, passed / total, seconds and its first mistake; on a terminal a
progress line shows done / total, the time elapsed and an estimate of the time left.
Then the matrix, sorted by passed cases (ties by name), with the first mistake of
each, and the totals. The full reports go to ``--json DIR`` (one each plus
``index.json``), or to the screen with ``-v``; ``--csv FILE`` and ``--junit FILE``
export the same rows (``report.exports``). The exit status is the worst of the
implementations' (130 if interrupted).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.sandbox import Sandbox
from nnref.conformance.report.exports import EXPORTS, first_mistake

#: Options passed on to each implementation's own ``nnref check``.
_PASSED_ON = ("relu_grad_at_zero", "seed", "max_examples", "timeout", "memory_limit", "budget")
_FLAGS = ("quick", "no_properties", "retry_timeouts", "sandbox")


def run_many(args, specs: list[str]) -> int:
    """Check ``specs`` (resolved from ``args.impl``, which keeps the names as given)."""
    if getattr(args, "sandbox", False):
        Sandbox()  # bwrap missing or unusable: one line, before any check starts
    out_dir = _json_dir(args.json)
    start, rows, reports = time.perf_counter(), {}, {}
    progress = Progress(len(specs), start)
    with tempfile.TemporaryDirectory(prefix="nnref-many-") as tmp:
        files = [Path(tmp) / f"{i:03d}.json" for i in range(len(specs))]
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            jobs = {pool.submit(_one, s, f, args): i for i, (s, f) in enumerate(zip(specs, files))}
            for job in as_completed(jobs):
                i = jobs[job]
                status, text, errors, seconds = job.result()
                report = _read(files[i])
                rows[i] = _row(args.impl[i], specs[i], status, report, seconds, errors)
                reports[i] = report
                progress.clear()
                if args.verbose:
                    sys.stdout.write(text)
                print(finished_line(rows[i]), flush=True)
                progress.show()
    progress.clear()
    ordered = [rows[i] for i in range(len(specs))]
    for line in matrix(ordered):
        print(line)
    _write_exports(args, out_dir, ordered, [reports[i] for i in range(len(specs))])
    statuses = [r["exit_status"] for r in ordered]
    return 130 if 130 in statuses else max(statuses)


class Progress:
    """The live line on a terminal (stderr): done / total, elapsed, an estimate of what is left."""

    def __init__(self, total: int, start: float):
        self.total, self.start, self.done = total, start, 0
        self.live = sys.stderr.isatty()

    def clear(self) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")

    def show(self) -> None:
        self.done += 1
        if not self.live or self.done >= self.total:
            return
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done)
        sys.stderr.write(
            f"  {self.done}/{self.total} done, {elapsed:.0f} s, about {left:.0f} s left"
        )
        sys.stderr.flush()


def _json_dir(json_arg) -> Path | None:
    if not json_arg:
        return None
    out_dir = Path(json_arg)
    if out_dir.exists() and not out_dir.is_dir():
        raise NnrefError(f"--json {out_dir}: with several implementations, give a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def _one(spec: str, json_file: Path, args) -> tuple[int, str, str, float]:
    """One implementation's ``nnref check``: (exit status, stdout, stderr, seconds)."""
    command = [sys.executable, "-P", "-m", "nnref.conformance.cli", "check", spec]
    command += ["--json", str(json_file)]  # -P: a clone's root (api/, ...) must not shadow nnref
    for name in _PASSED_ON:
        value = getattr(args, name, None)
        if value is not None:
            flag = "--" + name.replace("_", "-")
            command += [flag, str(value // 2**20 if name == "memory_limit" else value)]
    command += ["--" + f.replace("_", "-") for f in _FLAGS if getattr(args, f, False)]
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


def _row(name, spec, status, report, seconds, errors) -> dict:
    summary = (report or {}).get("summary", {})
    row = {"implementation": name, "path": spec, "exit_status": status}
    row["seconds"] = round(seconds, 2)
    row.update({k: summary.get(k) for k in ("passed", "failed", "errors", "not_provided")})
    row["total"] = summary.get("total")
    error = ""
    if report is None:
        lines = [ln.removeprefix("nnref: error: ") for ln in errors.splitlines() if ln.strip()]
        error = lines[-1] if lines else f"exited with status {status}"
        row["error"] = _short_import_error(error)
    row["diagnosis"] = first_mistake(report, row.get("error", ""))
    return row


def _short_import_error(error: str) -> str:
    """ "import failed: ModuleNotFoundError: torch" from the judge's one-line error."""
    found = re.search(r"importing it raised (.*)$", error)
    if found:
        text = found.group(1).replace("No module named ", "")
        return "import failed: " + text.replace("'", "")
    return error


def finished_line(row: dict) -> str:
    """The line printed as an implementation finishes."""
    if "error" in row:
        return f"{row['implementation']}  {row['error']}  {row['seconds']:.1f} s"
    mistake = f"  {row['diagnosis']}" if row["diagnosis"] else ""
    counts = f"{row['passed']}/{row['total']} passed"
    return f"{row['implementation']}  {counts}  {row['seconds']:.1f} s{mistake}"


def matrix(rows: list[dict]) -> list[str]:
    """The implementations side by side, most passed first (ties by name), then the totals."""
    ordered = sorted(rows, key=lambda r: (-(r.get("passed") or 0), r["implementation"]))
    width = max([len("implementation"), *(len(r["implementation"]) for r in rows)])
    head = (
        f"{'implementation':<{width}}  passed  failed  errors  not provided  seconds  first mistake"
    )
    out = ["", head]
    for r in ordered:
        if "error" in r:
            dashes = f"{'-':>6}  {'-':>6}  {'-':>6}  {'-':>12}"
            out.append(
                f"{r['implementation']:<{width}}  {dashes}  {r['seconds']:>7.1f}  {r['error']}"
            )
            continue
        out.append(
            f"{r['implementation']:<{width}}  {r['passed']:>6}  {r['failed']:>6}  "
            f"{r['errors']:>6}  {r['not_provided']:>12}  {r['seconds']:>7.1f}  {r['diagnosis']}"
        )
    out.append(totals(rows))
    return out


def totals(rows: list[dict]) -> str:
    ok = sum(r["exit_status"] == 0 for r in rows)
    unrun = sum("error" in r for r in rows)
    failing = len(rows) - ok - unrun
    return (
        f"totals: {ok} fully conformant, {failing} with failures, {unrun} did not import or run "
        f"({len(rows)} implementations)"
    )


def _write_exports(args, out_dir, rows: list[dict], reports: list[dict | None]) -> None:
    if out_dir is not None:
        for row, report in zip(rows, reports):
            if report is not None:
                name = _file_name(row["implementation"])
                (out_dir / name).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
                row["report"] = name
        index = {"schema_version": 1, "implementations": rows}
        (out_dir / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    write_exports(args, rows, reports)


def write_exports(args, rows: list[dict], reports: list[dict | None]) -> None:
    """The report formats of ``EXPORTS`` asked for, for one implementation or many."""
    try:
        for export in EXPORTS:
            if getattr(args, export.name, None):
                export.write(getattr(args, export.name), rows, reports)
    except OSError as exc:
        raise NnrefError(f"cannot write {exc.filename}: {exc.strerror}") from None


def _file_name(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", spec) + ".json"
