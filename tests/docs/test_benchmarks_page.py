"""The Benchmarks page: the committed results, their tables and plots, and loud failures.

Fast unit tests of ``docs/nnref_docs/bench_results.py``; no site is built
(``test_site.py`` builds it). The page reads ``benchmarks/results/NAME.json``
for every ``benchmarks/bench_NAME.py``; a file that is missing, not JSON,
malformed, a smoke run, made by another command, or with a figure the page
cannot name in Japanese stops the build with one line.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import bench_plots, bench_results, figures, markers, pages
from nnref_docs.bench_labels import JA, TITLES
from nnref_docs.errors import DocsBuildError

from tests.docs import DOCS

pytestmark = pytest.mark.docs
assert pages  # every generator registered
NAMES = bench_results.names()


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    """A copy of benchmarks/results/ the test may break; the page reads it instead."""
    copy = tmp_path / "results"
    shutil.copytree(bench_results.RESULTS, copy)
    monkeypatch.setattr(bench_results, "RESULTS", copy)
    bench_results.load.cache_clear()
    yield copy
    bench_results.load.cache_clear()


def test_every_script_has_committed_full_results():
    assert set(NAMES) == set(TITLES) == {"reference", "symbolic", "gradcheck", "check", "mutation",
                                         "class"}  # fmt: skip
    for name in NAMES:
        data = bench_results.load(name)
        assert data["mode"] == "full"
        assert data["command"] == bench_results.expected_command(name)
        # no stale Japanese label: every name in bench_labels is a figure of the run
        assert {f["name"] for f in data["figures"]} == set(JA[name]), name


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", NAMES)
def test_the_table_shows_every_measured_figure(name, lang):
    data = bench_results.load(name)
    text = bench_results.benchmark_results(lang, name)
    assert data["command"] in text
    assert data["machine"]["date"] in text
    load = "/".join(f"{x:.2f}" for x in data["machine"]["load_average"])
    assert load in text
    for fig in data["figures"]:
        row = [
            ln
            for ln in text.splitlines()
            if ln.startswith(f"| {bench_results.label(lang, name, fig)} |")
        ]
        assert len(row) == 1, fig["name"]
        assert bench_results.value_text(fig["value"], fig["unit"], lang) in row[0]
        assert bench_results.goal_text(fig, lang) in row[0]
    assert f"(generated/figures/{figures.figure_name(f'bench_{name}', lang)})" in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_summary_lists_every_goal_and_whether_it_was_met(lang):
    text = bench_results.benchmark_summary(lang, None)
    goals = [(n, f) for n in NAMES for f in bench_results.load(n)["figures"] if f["goal"]]
    assert len(text.splitlines()) == 2 + len(goals)
    for (name, fig), line in zip(goals, text.splitlines()[2:], strict=True):
        assert bench_results.label(lang, name, fig) in line
        assert line.endswith(bench_results.met_text(lang, fig["met"]) + " |")


def test_values_are_shown_in_their_units():
    assert bench_results.value_text(221.4, "x") == "221x"
    assert bench_results.value_text(45.57, "x") == "45.6x"
    assert bench_results.value_text(1.284, "x") == "1.28x"
    assert bench_results.value_text(0.0421, "s") == "0.042 s"
    assert bench_results.value_text(0.78, "fraction") == "78%"
    assert bench_results.value_text(203541, "evals") == "203,541"
    assert bench_results.value_text(1, "bool", "ja") == "はい"
    assert bench_results.goal_text({"unit": "s", "goal": {"op": "<", "value": 60.0}}) == "< 60 s"
    assert bench_results.goal_text({"unit": "x", "goal": {"op": ">=", "value": 100}}) == ">= 100x"
    # an entry name in a label is text, not a Markdown reference link (mkdocs --strict)
    fig = {"label": "names W1[300][64], MAX_PARAMS"}
    assert bench_results.label("en", "gradcheck", fig) == r"names W1\[300\]\[64\], MAX\_PARAMS"


@pytest.mark.slow
def test_the_page_expands_and_every_plot_is_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "OUT", tmp_path)
    drawn = bench_results.draw_all()
    assert drawn == [f"bench_{n}.png" for n in NAMES] + [f"bench_{n}-ja.png" for n in NAMES]
    for name in drawn:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for page, lang in (("benchmarks.md", "en"), ("benchmarks.ja.md", "ja")):
        text = markers.expand((DOCS / page).read_text(encoding="utf-8"), lang, page)
        assert "nnref:" not in text
        for name in NAMES:
            assert f"generated/figures/{figures.figure_name(f'bench_{name}', lang)}" in text


@pytest.mark.parametrize("name", NAMES)
def test_the_japanese_plots_are_drawn_in_japanese_with_every_glyph(name, tmp_path, monkeypatch):
    """On the Japanese page the plots carry Japanese labels, in the font that has their glyphs."""
    pytest.importorskip("japanize_matplotlib", reason="pip install japanize-matplotlib")
    monkeypatch.setattr(figures, "OUT", tmp_path)
    import matplotlib.text

    drawn = []
    real = matplotlib.text.Text.draw
    monkeypatch.setattr(
        matplotlib.text.Text, "draw", lambda self, r: drawn.append(self.get_text()) or real(self, r)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        assert bench_plots.PLOTS[name](bench_results.load(name), "ja") == f"bench_{name}-ja.png"
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) for text in drawn), drawn
    english = [
        t
        for t in drawn
        if re.search(
            r"(?<![.\w])(seconds|samples|parameters|evaluations|goal|wall|each|mutants|hidden|gradients)\b",
            t,
        )
    ]
    assert not english, english


def _one_line_failure(name: str, match: str) -> None:
    with pytest.raises(DocsBuildError, match=match) as exc:
        bench_results.draw_all()
    assert "\n" not in str(exc.value)
    assert f"benchmarks/results/{name}.json" in str(exc.value)


def test_a_missing_results_file_fails_the_build(results_dir):
    (results_dir / "symbolic.json").unlink()
    _one_line_failure("symbolic", r"symbolic\.json: missing \(rerun: python benchmarks/bench_sym")


def test_a_truncated_results_file_fails_the_build(results_dir):
    path = results_dir / "gradcheck.json"
    path.write_text(path.read_text()[:200])
    _one_line_failure("gradcheck", "not readable JSON")


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_figure_whose_met_contradicts_its_goal_fails_the_build(results_dir):
    def flip(data):
        judged = [f for f in data["figures"] if f.get("goal")]
        judged[-1]["met"] = not judged[-1]["met"]

    _edit(results_dir / "check.json", flip)
    _one_line_failure("check", "met is")


def test_a_smoke_run_cannot_stand_in_for_a_full_one(results_dir):
    _edit(results_dir / "reference.json", lambda d: d.update(mode="smoke"))
    _one_line_failure("reference", "is a --smoke run; commit a full run")


def test_results_from_another_command_fail_the_build(results_dir):
    command = (
        "python benchmarks/bench_reference.py --quick --json benchmarks/results/reference.json"
    )
    _edit(results_dir / "reference.json", lambda d: d.update(command=command))
    _one_line_failure("reference", "was made by")


def test_a_figure_without_a_japanese_label_fails_the_build(results_dir):
    def add(data):
        data["figures"].append(dict(data["figures"][0], name="brand_new"))

    _edit(results_dir / "check.json", add)
    _one_line_failure("check", "figure 'brand_new' has no Japanese label")


@pytest.mark.slow
def test_a_plot_whose_data_is_gone_fails_the_build(results_dir):
    _edit(results_dir / "symbolic.json", lambda d: d.update(series={}))
    _one_line_failure("symbolic", "no series 'curve' to plot")
    assert bench_plots.PLOTS.keys() == set(TITLES)


def test_a_new_script_without_a_page_entry_fails_the_build(tmp_path, monkeypatch):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_new.py").write_text('"""New."""\n')
    monkeypatch.setattr(bench_results, "REPO_ROOT", tmp_path)
    with pytest.raises(DocsBuildError, match=r"bench_new\.py has no entry"):
        bench_results.names()
