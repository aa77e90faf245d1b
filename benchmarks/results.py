"""The JSON results file every benchmark writes with ``--json FILE``, and its validator.

One file per benchmark (``benchmarks/results/NAME.json``), read by the docs'
Benchmarks page at build time, so the page and the measurements cannot drift::

    {"format": "nnref-benchmark/1", "benchmark": "reference", "mode": "full",
     "command": "python benchmarks/bench_reference.py --json benchmarks/results/reference.json",
     "machine": {"platform", "python", "cpu_count", "date", "load_average": [1, 5, 15 min]},
     "figures": [{"name", "label", "value", "unit", "goal": {"op", "value"} | null,
                  "met": true | false | null}, ...],
     "series": {NAME: [{...}, ...]}}          # data behind the plots, per benchmark

A figure with a goal is met when ``value OP goal.value`` (OP one of ``<``,
``<=``, ``>=``, ``>``, ``==``); ``met`` is stored and re-checked on reading.
The load average is taken when the script starts: ratios measured side by
side in one run are the headline, absolute times depend on that load.
"""

from __future__ import annotations

import datetime
import json
import math
import operator
import os
import platform
import sys
from pathlib import Path

FORMAT = "nnref-benchmark/1"
MODES = ("full", "quick", "smoke")
OPS = {"<": operator.lt, "<=": operator.le, ">=": operator.ge, ">": operator.gt, "==": operator.eq}


def machine_info() -> dict:
    """Platform, Python version, CPU count, date (UTC) and the load average right now."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not available on this platform
        load = None
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "load_average": load,
    }


def figure(name: str, label: str, value: float, unit: str, goal: tuple | None = None) -> dict:
    """One figure; ``goal`` is ``(op, value)``, e.g. ``(">=", 100)``, or None (informational)."""
    met = None if goal is None else bool(OPS[goal[0]](value, goal[1]))
    return {
        "name": name,
        "label": label,
        "value": value,
        "unit": unit,
        "goal": None if goal is None else {"op": goal[0], "value": goal[1]},
        "met": met,
    }


class Recorder:
    """Collects figures and series during a run; :meth:`write` saves them as JSON."""

    def __init__(self, benchmark: str, mode: str, command: str):
        self.data = {
            "format": FORMAT,
            "benchmark": benchmark,
            "mode": mode,
            "command": command,
            "machine": machine_info(),
            "figures": [],
            "series": {},
        }

    def add(self, *args, **kwargs) -> dict:
        fig = figure(*args, **kwargs)
        self.data["figures"].append(fig)
        return fig

    def series(self, name: str, rows: list[dict]) -> None:
        self.data["series"][name] = rows

    def write(self, path: str | Path | None) -> None:
        if path is None:
            return
        validate(self.data)  # never write a file the docs would reject
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {path}")


def command_line(script: str, argv: list[str] | None) -> str:
    """The command that produced a run, as typed from the repository root."""
    args = sys.argv[1:] if argv is None else argv
    return " ".join(["python", f"benchmarks/{script}", *args])


class ResultsError(ValueError):
    """A results file that does not follow the format; the message is one line."""


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_figure(i: int, fig) -> None:
    where = f"figures[{i}]"
    if not isinstance(fig, dict):
        raise ResultsError(f"{where} is not an object")
    for key, kind in (("name", str), ("label", str), ("unit", str)):
        if not isinstance(fig.get(key), kind) or not fig[key]:
            raise ResultsError(f"{where} has no {key} (a non-empty string)")
    where = f"figure {fig['name']!r}"
    if not _number(fig.get("value")):
        raise ResultsError(f"{where}: value {fig.get('value')!r} is not a finite number")
    goal = fig.get("goal", "missing")
    if goal is None:
        if fig.get("met", "missing") is not None:
            raise ResultsError(f"{where}: met must be null when there is no goal")
        return
    if not isinstance(goal, dict) or goal.get("op") not in OPS or not _number(goal.get("value")):
        raise ResultsError(f"{where}: goal must be null or {{op: one of {list(OPS)}, value}}")
    expected = bool(OPS[goal["op"]](fig["value"], goal["value"]))
    if fig.get("met") is not expected:
        raise ResultsError(
            f"{where}: met is {fig.get('met')!r} but {fig['value']} {goal['op']} "
            f"{goal['value']} is {expected}"
        )


def _check_machine(machine) -> None:
    if not isinstance(machine, dict):
        raise ResultsError("machine is not an object")
    for key in ("platform", "python", "date"):
        if not isinstance(machine.get(key), str):
            raise ResultsError(f"machine.{key} is missing")
    if not isinstance(machine.get("cpu_count"), int):
        raise ResultsError("machine.cpu_count is not an integer")
    load = machine.get("load_average", "missing")
    if load is not None and not (
        isinstance(load, list) and len(load) == 3 and all(_number(x) for x in load)
    ):
        raise ResultsError("machine.load_average is not null or [1, 5, 15 minute] numbers")


def validate(data, benchmark: str | None = None) -> dict:
    """Check a results document; raise :class:`ResultsError` (one line) if it is malformed."""
    if not isinstance(data, dict):
        raise ResultsError("the top level is not an object")
    if data.get("format") != FORMAT:
        raise ResultsError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
    if benchmark is not None and data.get("benchmark") != benchmark:
        raise ResultsError(f"benchmark is {data.get('benchmark')!r}, expected {benchmark!r}")
    if data.get("mode") not in MODES:
        raise ResultsError(f"mode is {data.get('mode')!r}, expected one of {list(MODES)}")
    if not isinstance(data.get("command"), str) or not data["command"].startswith("python "):
        raise ResultsError("command is missing (the command line that produced the file)")
    _check_machine(data.get("machine"))
    figures = data.get("figures")
    if not isinstance(figures, list) or not figures:
        raise ResultsError("figures is not a non-empty list")
    for i, fig in enumerate(figures):
        _check_figure(i, fig)
    names = [f["name"] for f in figures]
    if len(set(names)) != len(names):
        raise ResultsError(
            f"figure names repeat: {sorted({n for n in names if names.count(n) > 1})}"
        )
    series = data.get("series")
    if not isinstance(series, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in series.values()
    ):
        raise ResultsError("series is not an object of lists of objects")
    return data


def load(path: str | Path, benchmark: str | None = None) -> dict:
    """Read and validate one results file; :class:`ResultsError` names the file and the problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not readable JSON ({exc})") from None
    try:
        return validate(data, benchmark)
    except ResultsError as exc:
        raise ResultsError(f"{path}: {exc}") from None
