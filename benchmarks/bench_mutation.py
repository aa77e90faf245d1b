"""How many planted bugs do the vectors catch? Mutation testing of ``reference/``.

Every single-point mutant of every file of ``reference/`` (``benchmarks/mutants.py``:
operators, comparisons, constants, swapped arguments, dropped statements, ...) is made;
a sample drawn with a fixed seed is then judged two ways:

- ``check``: ``nnref check --quick`` against the mutant, among the mutants the protocol
  reaches (lines that ``nnref check`` runs on the reference). The mutant is copied out of
  the package as ``nnref_mutant`` (its imports renamed) and checked as anyone's
  implementation, so the judge keeps the unmutated reference: the vectors' expected
  values, and those that ``conformance/variants/mutant.py`` computes from the reference's
  pieces under declared conventions, never come from the mutant. Goal: every mutant
  that is not equivalent is killed (exit 1 with a report). A run in which nnref itself
  misbehaves (another exit status, no report, a traceback) is listed apart.
- ``tests``: the test suite (``tests/reference`` and the vectors' lint, which
  regenerates the vectors from the reference), on a sample of all mutants, training,
  serialization and initialization included; the mutant replaces ``reference/`` in a
  copy of the repository, and ``pytest -x`` stops at the first failure. Goal: >= 95%
  killed.

Equivalent mutants (no input can tell them from the reference: a default every caller
overrides, a check that a later one repeats, a different error message) are reviewed
by hand in ``benchmarks/mutation_equivalent.json`` (key -> why), and left out of the
scores. Every survivor is printed and kept in the results' series.

    python benchmarks/bench_mutation.py --json benchmarks/results/mutation.json
    python benchmarks/bench_mutation.py --smoke           # two mutants, seconds

``--jobs N`` runs N mutants at once (default 2); ``--check-sample`` and
``--tests-sample`` set the sample sizes.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.mutants import Mutant, mutants  # noqa: E402
from benchmarks.results import Recorder, command_line  # noqa: E402

PACKAGE = ROOT / "reference"
EQUIVALENT = ROOT / "benchmarks" / "mutation_equivalent.json"
SEED = 20
CHECK_SAMPLE, TESTS_SAMPLE = 250, 150
#: how each mutant is checked (a full run and --rejudge alike)
CHECK_ARGS = ["--quick", "--timeout", "10"]
CHECK_TIMEOUT, TESTS_TIMEOUT = 180, 600
ALIAS = "nnref_mutant"
#: The vectors' lint first (it regenerates them from the reference), then these, then the rest.
LINT = "tests/conformance/test_vectors_lint.py"
FIRST = {
    "training": ["test_train_loop.py", "test_train_cli.py", "test_train_data.py"],
    "datasets": ["test_datasets.py", "test_train_data.py"],
    "serialize.py": ["test_init_and_save.py", "test_train_cli.py"],
    "init.py": ["test_init_and_save.py", "test_properties.py"],
    "optimizers.py": ["test_properties.py", "test_edges.py", "test_init_and_save.py"],
    "tutorial.py": ["test_tutorial_network.py", "test_worked_examples.py"],
}


def all_mutants() -> list[Mutant]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        out.extend(mutants(path.read_text(encoding="utf-8"), rel))
    return out


TRACE = """
import json, sys, threading
root = sys.argv[1]
hits = {}
def tracer(frame, event, arg):
    name = frame.f_code.co_filename
    if not name.startswith(root):
        return None
    hits.setdefault(name, set()).add(frame.f_lineno)
    return tracer
import reference  # imported untraced: module-level code is not what the protocol runs
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
sys.settrace(tracer)
threading.settrace(tracer)
check_implementation("reference", CheckOptions(in_process=True, quick=True))
sys.settrace(None)
print(json.dumps({k: sorted(v) for k, v in hits.items()}))
"""


def protocol_lines() -> dict[str, set[int]]:
    """file (relative) -> the lines of ``reference/`` that ``nnref check --quick`` runs."""
    done = subprocess.run(
        [sys.executable, "-c", TRACE, str(PACKAGE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    hits = json.loads(done.stdout.strip().splitlines()[-1])
    return {Path(k).resolve().relative_to(ROOT).as_posix(): set(v) for k, v in hits.items()}


def reached(m: Mutant, lines: dict[str, set[int]]) -> bool:
    """True when a call of the protocol runs the mutated line (for a default in a signature:
    calls the function; at module level: binds a name that a function it runs reads)."""
    hit = lines.get(m.file, set())
    if m.anchor in hit or any(n in hit for n in range(m.line, m.end_line + 1)):
        return True
    return "::<module>::" in m.key and _module_statement_read(m.file, m.line, frozenset(hit))


def _module_statement_read(file: str, line: int, hit: frozenset) -> bool:
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    read = {
        n.id
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and f.lineno in hit
        for n in ast.walk(f)
        if isinstance(n, ast.Name)
    }
    for stmt in tree.body:
        if stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno):
            bound = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
            return bool(bound & read) and isinstance(stmt, ast.Assign | ast.AnnAssign)
    return False


def _write_package(target: Path, m: Mutant, alias: str | None) -> None:
    """``reference/`` with ``m`` applied at ``target``; with ``alias``, its imports renamed."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / Path(m.file).relative_to("reference")).write_text(m.source, encoding="utf-8")
    if alias:
        pattern = re.compile(r"^(\s*)(from|import) nnref\.reference\b", re.MULTILINE)
        for path in target.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            path.write_text(pattern.sub(rf"\1\2 {alias}", text), encoding="utf-8")


def _env(extra_path: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": "1"}
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return env


def check_mutant(m: Mutant, work: Path, args: list[str]) -> dict:
    """``nnref check`` against the mutant copied out of the package: killed, survived, or
    misbehaved (nnref exited otherwise than 0 or 1, wrote no report, or printed a traceback)."""
    _write_package(work / ALIAS, m, ALIAS)
    report = work / "report.json"
    report.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "nnref.conformance.cli",
        "check",
        ALIAS,
        "--json",
        str(report),
        *args,
    ]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=work, env=_env(), capture_output=True, text=True, timeout=CHECK_TIMEOUT
        )
        status, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        status, output = None, f"no verdict within {CHECK_TIMEOUT} s"
    row = _row(m, time.perf_counter() - start)
    if status == 0 and report.exists():
        row["outcome"] = "survived"
    elif status == 1 and report.exists() and "Traceback" not in output:
        row["outcome"] = "killed"
        failed = [c["id"] for c in json.loads(report.read_text())["cases"] if c["status"] != "PASS"]
        row["first_failure"] = next((i for i in failed), "")
    else:
        row["outcome"] = "misbehaved"
        row["exit"] = status
        row["detail"] = " / ".join(output.strip().splitlines()[-2:])[:300]
    return row


def _suite(work: Path) -> Path:
    """A copy of the repository for the test runs: tests and pyproject copied (the tests find
    the repository from their own path), the other packages linked, ``reference/`` per mutant."""
    suite = work / "repo"
    if not suite.exists():
        suite.mkdir(parents=True)
        shutil.copytree(
            ROOT / "tests", suite / "tests", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copy(ROOT / "pyproject.toml", suite / "pyproject.toml")
        for name in ("conformance", "symbolic", "benchmarks", "docs"):
            (suite / name).symlink_to(ROOT / name)
        # ``nnref`` itself, found on PYTHONPATH before the installed (editable) copy, so
        # that ``nnref.reference`` is the mutant and the rest is the repository's
        package = suite / "nnref"
        package.mkdir()
        for path in (ROOT / "api").iterdir():
            (package / path.name).symlink_to(path)
        for name in ("conformance", "symbolic", "reference"):
            (package / name).symlink_to(suite / name)
    return suite


def test_files(m: Mutant) -> list[str]:
    """The pytest files to run, most relevant first (``-x`` stops at the first failure)."""
    rest = sorted(p.name for p in (ROOT / "tests" / "reference").glob("test_*.py"))
    first = next((files for part, files in FIRST.items() if part in m.file), [])
    order = [*first, *[f for f in rest if f not in first]]
    return [LINT, *(f"tests/reference/{f}" for f in order)]


def test_mutant(m: Mutant, work: Path, files: list[str] | None = None) -> dict:
    """The test suite against the mutant: killed (a test failed, or collection did), survived."""
    suite = _suite(work)
    _write_package(suite / "reference", m, None)
    files = files or test_files(m)
    cmd = [sys.executable, "-m", "pytest", *files, "-x", "-q", "-p", "no:cacheprovider"]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd,
            cwd=suite,
            env=_env(suite),
            capture_output=True,
            text=True,
            timeout=TESTS_TIMEOUT,
        )
        status, output = done.returncode, done.stdout
    except subprocess.TimeoutExpired:
        status, output = None, "timeout"
    row = _row(m, time.perf_counter() - start)
    row["outcome"] = "survived" if status == 0 else "killed"
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    if failed:
        row["first_failure"] = failed[0]
    return row


def _row(m: Mutant, seconds: float) -> dict:
    return {"key": m.key, "file": m.file, "line": m.line, "kind": m.kind, "text": m.text,
            "seconds": round(seconds, 2)}  # fmt: skip


def run_all(fn, items: list[Mutant], jobs: int, base: Path, label: str) -> list[dict]:
    """``fn(mutant, workdir)`` for every mutant, ``jobs`` at a time, each worker in its own
    directory; progress on stdout."""
    workers = [base / f"{label}-{k}" for k in range(jobs)]
    for w in workers:
        w.mkdir(parents=True, exist_ok=True)
    slots = list(workers)
    results: list[dict | None] = [None] * len(items)

    def one(i: int) -> None:
        work = slots.pop()
        try:
            results[i] = fn(items[i], work)
        finally:
            slots.append(work)
        r = results[i]
        if r["outcome"] != "killed":
            print(f"  {label} {r['outcome']}: {r['key']}  ({r['file']}:{r['line']})", flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, range(len(items))))
    return [r for r in results if r is not None]


def load_equivalent() -> tuple[dict[str, str], dict[str, str]]:
    """(equivalent, protocol_unreachable): key -> why, from the reviewed list."""
    data = json.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return dict(data["equivalent"]), dict(data["protocol_unreachable"])


def score(rows: list[dict], equivalent: dict[str, str]) -> tuple[int, int, int, int]:
    """(sampled, equivalent, killed among the others, misbehaved) of one judge's rows."""
    eq = [r for r in rows if r["key"] in equivalent]
    others = [r for r in rows if r["key"] not in equivalent]
    killed = sum(r["outcome"] in ("killed", "misbehaved") for r in others)
    return len(rows), len(eq), killed, sum(r["outcome"] == "misbehaved" for r in rows)


def record(rec: Recorder, rows_check, rows_tests, totals, lists) -> None:
    """The figures and series; ``lists`` = (equivalent, protocol_unreachable)."""
    equivalent, unreachable = lists
    n, eq, killed, bad = score(rows_check, {**equivalent, **unreachable})
    rec.add("mutants", "single-point mutants of reference/", totals[0], "count")
    rec.add("mutants_reached", "of them in code nnref check runs", totals[1], "count")
    rec.add("check_sampled", "sampled for nnref check --quick (seed 20)", n, "count")
    rec.add("check_equivalent", "of them equivalent or not reachable through the protocol",
            eq, "count")  # fmt: skip
    rec.add("check_killed", "killed by nnref check --quick (not equivalent; misbehaved runs count)",
            killed, "count")  # fmt: skip
    rec.add("check_survived", "survived nnref check --quick (not equivalent)", n - eq - killed,
            "count")  # fmt: skip
    rate = killed / (n - eq) if n > eq else 1.0
    rec.add("check_kill_rate", "nnref check kills of the non-equivalent mutants", rate,
            "fraction", (">=", 1.0))  # fmt: skip
    rec.add("check_misbehaved", "runs where nnref itself misbehaved", bad, "count", ("==", 0))
    n, eq, killed, _ = score(rows_tests, equivalent)
    rec.add("tests_sampled", "sampled for the test suite (all of reference/)", n, "count")
    rec.add("tests_equivalent", "of them equivalent (reviewed)", eq, "count")
    rate = killed / (n - eq) if n > eq else 1.0
    rec.add("tests_kill_rate", "test suite kills of the non-equivalent mutants", rate,
            "fraction", (">=", 0.95))  # fmt: skip
    rec.series("check", rows_check)
    rec.series("tests", rows_tests)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--smoke", action="store_true", help="two mutants of layer.py, seconds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check-sample", type=int, default=CHECK_SAMPLE)
    parser.add_argument("--tests-sample", type=int, default=TESTS_SAMPLE)
    parser.add_argument("--rescore", metavar="FILE", help="score a run's rows again, no rerun")
    parser.add_argument(
        "--rejudge",
        metavar="FILE",
        help="judge a run's survivors again (after vectors or tests were added), keep the rest",
    )
    args = parser.parse_args(argv)
    if args.rescore:
        return rescore(args.rescore)
    if args.rejudge:
        return rejudge(args.rejudge, args.jobs, argv)
    start = time.perf_counter()
    every = all_mutants()
    lines = {"reference/layer.py": set(range(1000))} if args.smoke else protocol_lines()
    reach = [m for m in every if reached(m, lines)]
    rng = random.Random(SEED)
    check_args = CHECK_ARGS
    if args.smoke:
        chosen = [m for m in every if m.file == "reference/layer.py"][:2]
        check_items = test_items = chosen
        check_args = ["--only", "linear-*", "--no-properties"]
    else:
        check_items = sorted(rng.sample(reach, min(args.check_sample, len(reach))), key=_order)
        test_items = sorted(rng.sample(every, min(args.tests_sample, len(every))), key=_order)
    print(f"{len(every)} mutants, {len(reach)} in code nnref check runs", flush=True)
    with tempfile.TemporaryDirectory(prefix="nnref-mutation-") as tmp:
        base = Path(tmp)
        check = lambda m, work: check_mutant(m, work, check_args)  # noqa: E731
        rows_check = run_all(check, check_items, args.jobs, base, "check")
        files = ["tests/reference/test_edges.py"] if args.smoke else None
        tests = lambda m, work: test_mutant(m, work, files)  # noqa: E731
        rows_tests = run_all(tests, test_items, args.jobs, base, "tests")
    mode = "smoke" if args.smoke else "full"
    rec = Recorder("mutation", mode, command_line("bench_mutation.py", argv))
    rec.data["totals"] = [len(every), len(reach)]
    finish(rec, rows_check, rows_tests, time.perf_counter() - start)
    rec.write(args.json)
    return 0


def finish(rec: Recorder, rows_check, rows_tests, seconds: float) -> None:
    """Score the rows against the reviewed list; print the figures and every survivor."""
    lists = load_equivalent()
    record(rec, rows_check, rows_tests, rec.data["totals"], lists)
    rec.add("seconds", "wall time of the run", seconds, "s")
    for fig in rec.data["figures"]:
        print(f"{fig['label']}: {fig['value']:.4g}")
    for label, rows, skip in (("check", rows_check, {**lists[0], **lists[1]}),
                              ("tests", rows_tests, lists[0])):  # fmt: skip
        for r in rows:
            if r["outcome"] != "killed" and r["key"] not in skip:
                print(f"{label} {r['outcome']}: {r['key']} ({r['file']}:{r['line']})")


def rejudge(path: str, jobs: int, argv: list[str] | None) -> int:
    """Judge again the mutants of a committed run that were not killed, the same way, and
    write the run back with their new rows. Adding vectors or tests can only kill more, so
    the killed rows are kept; the sample is the run's own."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    by_key = {m.key: m for m in all_mutants()}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nnref-mutation-") as tmp:
        base = Path(tmp)
        judges = {
            "check": lambda m, work: check_mutant(m, work, CHECK_ARGS),
            "tests": lambda m, work: test_mutant(m, work, None),
        }
        for label, judge in judges.items():
            rows = data["series"][label]
            again = [i for i, r in enumerate(rows) if r["outcome"] != "killed"]
            missing = [rows[i]["key"] for i in again if rows[i]["key"] not in by_key]
            if missing:
                raise SystemExit(f"{path}: the reference changed; not a mutant now: {missing[0]}")
            new = run_all(judge, [by_key[rows[i]["key"]] for i in again], jobs, base, label)
            for i, row in zip(again, new):
                rows[i] = row
    seconds = next(f["value"] for f in data["figures"] if f["name"] == "seconds")
    rec = Recorder("mutation", data["mode"], data["command"])  # the run whose sample this is
    rec.data["totals"] = data["totals"]
    rec.data["amended_by"] = [*data.get("amended_by", []), command_line("bench_mutation.py", argv)]
    finish(
        rec, data["series"]["check"], data["series"]["tests"], seconds + time.perf_counter() - start
    )
    rec.write(path)
    return 0


def rescore(path: str) -> int:
    """Score a committed run again after the reviewed list changed (no mutant is rerun)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rec = Recorder("mutation", data["mode"], data["command"])
    rec.data["machine"], rec.data["totals"] = data["machine"], data["totals"]
    seconds = next(f["value"] for f in data["figures"] if f["name"] == "seconds")
    finish(rec, data["series"]["check"], data["series"]["tests"], seconds)
    rec.write(path)
    return 0


def _order(m: Mutant) -> tuple:
    return (m.file, m.line, m.key)


if __name__ == "__main__":
    sys.exit(main())
