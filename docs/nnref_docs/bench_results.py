"""The Benchmarks page's figures and plots, from the committed runs in ``benchmarks/results/``.

Every ``benchmarks/bench_NAME.py`` writes ``benchmarks/results/NAME.json`` with
``--json`` (format and validator: ``benchmarks/results.py``). The build reads
those files, never runs a benchmark (they take minutes, and belong in one
side-by-side run), and fails with one line if a file is missing, malformed,
not a full run, made by another command, or has a figure this page cannot
name in Japanese.

Markers: ``<!-- nnref:benchmark_summary -->`` (every figure with a goal, one
table), ``<!-- nnref:benchmark_results NAME -->`` (one benchmark: machine,
date and load average, the command, every figure, its plot). Plots go to
``docs/generated/figures/bench_NAME.png`` (``bench_NAME-ja.png`` in Japanese), drawn by
:func:`draw_all` before the pages are built (``generate.generate_all``).
"""

from __future__ import annotations

import re
from functools import cache

from nnref_docs.bench_labels import JA, TITLES
from nnref_docs.errors import DocsBuildError
from nnref_docs.figures import figure_name
from nnref_docs.fmt import table
from nnref_docs.i18n import LANGS, tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT

RESULTS = REPO_ROOT / "benchmarks" / "results"


def expected_command(name: str) -> str:
    return f"python benchmarks/bench_{name}.py --json benchmarks/results/{name}.json"


def names() -> list[str]:
    """The benchmarks, one per ``benchmarks/bench_NAME.py``, in page order."""
    found = {p.stem[len("bench_") :] for p in (REPO_ROOT / "benchmarks").glob("bench_*.py")}
    unknown = sorted(found - set(TITLES))
    if unknown:
        raise DocsBuildError(
            f"benchmarks/bench_{unknown[0]}.py has no entry in nnref_docs/bench_labels.TITLES"
        )
    return [n for n in TITLES if n in found]


def check(data: dict, name: str) -> dict:
    """The page's own demands on a valid results file: a full run, the documented command."""
    where = f"benchmarks/results/{name}.json"
    if data["mode"] != "full":
        raise DocsBuildError(f"{where} is a --{data['mode']} run; commit a full run")
    if data["command"] != expected_command(name):
        raise DocsBuildError(
            f"{where} was made by {data['command']!r}, not {expected_command(name)!r}"
        )
    missing = [f["name"] for f in data["figures"] if f["name"] not in JA.get(name, {})]
    if missing:
        raise DocsBuildError(f"{where}: figure {missing[0]!r} has no Japanese label (bench_labels)")
    return data


@cache
def load(name: str) -> dict:
    """The validated results of one benchmark; a DocsBuildError (one line) otherwise."""
    try:
        from benchmarks.results import ResultsError
        from benchmarks.results import load as load_results
    except ImportError as exc:
        raise DocsBuildError(f"benchmarks/results.py is not importable: {exc}") from exc
    try:
        data = load_results(RESULTS / f"{name}.json", name)
    except ResultsError as exc:
        text = str(exc).replace(str(REPO_ROOT) + "/", "")
        raise DocsBuildError(f"{text} (rerun: {expected_command(name)})") from None
    return check(data, name)


def value_text(value: float, unit: str, lang: str = "en") -> str:
    """A figure in the unit it was measured in: 1.23 s, 221x, 232/s, 78%, 101,770."""
    if unit == "bool":
        return tr(lang, "yes", "はい") if value else tr(lang, "no", "いいえ")
    if unit in ("s", "x", "1/s"):
        digits = 0 if value >= 100 else 1 if value >= 10 else 2 if value >= 0.1 else 3
        text = f"{value:,.{digits}f}"
        return {"s": f"{text} s", "x": f"{text}x", "1/s": f"{text}/s"}[unit]
    if unit == "fraction":
        return f"{100 * value:.0f}%"
    if unit == "us":
        return f"{value:,.0f} µs"
    if unit == "abs":
        return f"{value:.1e}"
    if unit in ("count", "evals", "params", "status"):
        return f"{int(value):,}" if value == int(value) else f"{value:,.1f}"
    return f"{value:g} {unit}"


def goal_text(fig: dict, lang: str = "en") -> str:
    """``< 10 s``, ``>= 100x``, ``== 0``; a yes/no figure's goal is just yes."""
    goal = fig["goal"]
    if goal is None:
        return ""
    if fig["unit"] == "bool":
        return value_text(goal["value"], "bool", lang)
    suffix = {"s": " s", "x": "x", "1/s": "/s"}.get(fig["unit"], "")
    return f"{goal['op']} {goal['value']:g}{suffix}"


def met_text(lang: str, met) -> str:
    if met is None:
        return ""
    return tr(lang, "yes", "達成") if met else tr(lang, "**NO**", "**未達**")


def label(lang: str, name: str, fig: dict) -> str:
    """The figure's name in the page's language, as Markdown text (``W1[3][7]`` is no link)."""
    text = JA[name][fig["name"]] if lang == "ja" else fig["label"]
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def machine_line(lang: str, data: dict) -> str:
    m = data["machine"]
    load = "/".join(f"{x:.2f}" for x in m["load_average"]) if m["load_average"] else "n/a"
    return tr(
        lang,
        f"Measured {m['date']} on `{m['platform']}`, Python {m['python']}, {m['cpu_count']} "
        f"CPUs; load average (1/5/15 min) at the start: **{load}**.",
        f"測定日時 {m['date']}、`{m['platform']}`、Python {m['python']}、CPU {m['cpu_count']} "
        f"個。開始時のロードアベレージ（1/5/15 分）: **{load}**。",
    )


HEADER = {
    "en": ["figure", "goal", "measured", "met?"],
    "ja": ["項目", "目標", "測定値", "達成?"],
}


@generator("benchmark_results")
def benchmark_results(lang: str, arg: str | None) -> str:
    if arg not in TITLES:
        raise DocsBuildError(f"needs a benchmark name, one of {', '.join(TITLES)}")
    data = load(arg)
    rows = [
        [
            label(lang, arg, f),
            goal_text(f, lang),
            value_text(f["value"], f["unit"], lang),
            met_text(lang, f["met"]),
        ]
        for f in data["figures"]
    ]
    alt = tr(lang, TITLES[arg][0], TITLES[arg][1])
    repro = tr(lang, "Reproduce (from the repository's root):", "再現（リポジトリの最上位で）:")
    # a run amended afterwards (bench_mutation --rejudge) shows those commands after its own
    commands = "\n".join([data["command"], *data.get("amended_by", [])])
    return "\n\n".join(
        [
            machine_line(lang, data),
            f"{repro}\n\n```sh\n{commands}\n```",
            table(HEADER["ja" if lang == "ja" else "en"], rows),
            f"![{alt}](generated/figures/{figure_name(f'bench_{arg}', lang)})",
        ]
    )


@generator("benchmark_summary")
def benchmark_summary(lang: str, arg: str | None) -> str:
    """Every figure that has a goal, across all benchmarks."""
    rows = []
    for name in names():
        data = load(name)
        for f in data["figures"]:
            if f["goal"] is not None:
                rows.append(
                    [
                        tr(lang, TITLES[name][0], TITLES[name][1]),
                        label(lang, name, f),
                        goal_text(f, lang),
                        value_text(f["value"], f["unit"], lang),
                        met_text(lang, f["met"]),
                    ]
                )
    header = [tr(lang, "benchmark", "ベンチマーク"), *HEADER["ja" if lang == "ja" else "en"]]
    return table(header, rows)


def draw_all() -> list[str]:
    """Draw each benchmark's plot in each language (after checking every results file)."""
    from nnref_docs import bench_plots

    loaded = {name: load(name) for name in names()}  # every file checked before any drawing
    return [bench_plots.PLOTS[name](data, lang) for lang in LANGS for name, data in loaded.items()]
