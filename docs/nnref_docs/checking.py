"""The "Checking your implementation" page: real ``nnref check`` runs at build time.

Markers: ``<!-- nnref:check_quickstart -->`` (the page's own minimal implementation,
saved as a module and checked by ``nnref check`` in a child process),
``<!-- nnref:check_numpy -->`` (the numpy adapter, quick profile),
``<!-- nnref:check_broken -->`` (a buggy example and the report it gets),
``<!-- nnref:source PATH -->`` (a file of the repository in a code block),
``<!-- nnref:results_format -->`` (the results-file section of FORMAT.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from nnref_docs.errors import DocsBuildError
from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT


@cache
def _report(spec: str, only: tuple[str, ...] = ()):
    try:
        from nnref.conformance.check.options import CheckOptions
        from nnref.conformance.check.pipeline import check_implementation
    except ImportError as exc:
        raise DocsBuildError(f"nnref.conformance.check.pipeline is not importable: {exc}") from exc
    options = CheckOptions(quick=True, only=list(only), properties=not only)
    return check_implementation(spec, options)


def _block(lines: list[str], lang_hint: str = "text") -> str:
    return f"```{lang_hint}\n" + "\n".join(lines) + "\n```"


@generator("check_numpy")
def check_numpy(lang: str, arg: str | None) -> str:
    report = _report("nnref.conformance.adapters.numpy_impl")
    if report.exit_status() != 0:
        raise DocsBuildError("the numpy adapter no longer passes `nnref check --quick`")
    lines = report.lines()
    shown = [*lines[:6], "...", *lines[-6:]]
    intro = tr(
        lang,
        "Output of `nnref check nnref.conformance.adapters.numpy_impl --quick`, run while this "
        "page was built (first and last lines):",
        "`nnref check nnref.conformance.adapters.numpy_impl --quick` の出力（このページのビルド中に"
        "実行、最初と最後の数行）:",
    )
    return (
        intro
        + "\n\n"
        + _block(["$ nnref check nnref.conformance.adapters.numpy_impl --quick", *shown])
    )


@generator("check_broken")
def check_broken(lang: str, arg: str | None) -> str:
    spec = "nnref_docs.examples.mynet"
    report = _report(spec, ("W4_1*", "tutorial-network-gradients"))
    if report.exit_status() == 0:
        raise DocsBuildError(f"{spec} has a deliberate bug but passed nnref check")
    command = f"$ nnref check {spec} --only 'W4_1*' --only tutorial-network-gradients"
    intro = tr(
        lang,
        "Its report, produced while this page was built. Each FAIL names the entry that "
        "differs (`gradients[0]['b'][0]`: layer 0's first threshold gradient), what was "
        "expected and what came back; the sign is flipped, so the fix is `-delta`:",
        "このページのビルド中に得られた報告。各 FAIL は食い違う成分（`gradients[0]['b'][0]`: "
        "層 0 の最初の閾値の勾配）、期待値、返ってきた値を示す。符号が逆なので、修正は "
        "`-delta` である:",
    )
    return intro + "\n\n" + _block([command, *report.lines()])


@generator("source")
def source(lang: str, arg: str | None) -> str:
    if not arg:
        raise DocsBuildError("nnref:source needs a path")
    path = REPO_ROOT / arg
    if not path.is_file():
        raise DocsBuildError(f"nnref:source: {arg} does not exist")
    return _block(path.read_text(encoding="utf-8").rstrip("\n").splitlines(), "python")


@generator("results_format")
def results_format(lang: str, arg: str | None) -> str:
    path = REPO_ROOT / "conformance" / "vectors" / "FORMAT.md"
    if not path.is_file():
        raise DocsBuildError("conformance/vectors/FORMAT.md is missing")
    text = path.read_text(encoding="utf-8")
    if lang == "ja":
        return _results_format_ja(text)
    body = text.split("\n", 1)[1]  # drop the title; the page has its own
    out, fence = [], False
    for line in body.splitlines():
        fence ^= line.startswith("```")
        if not fence and not line.startswith("    "):
            line = _literal_stars(line)
        out.append("#" + line if line.startswith("#") else line)  # one heading level down
    note = tr(
        lang,
        "The following is `conformance/vectors/FORMAT.md`, included at build time "
        "(`nnref vectors export DIR` ships it with the vectors).",
        "以下は `conformance/vectors/FORMAT.md` をビルド時に取り込んだもの（英語。"
        "`nnref vectors export DIR` でベクトルと一緒に出力される）。",
    )
    return note + "\n\n" + "\n".join(out)


def _literal_stars(line: str) -> str:
    """Escape a lone ``*`` that ends a word with no emphasis open (``W*/D_*``): a wildcard,
    not emphasis. Code spans, ``**bold**`` and ``*emphasis*`` are left as they are."""
    parts = line.split("`")
    parts[::2] = [_stars(p) for p in parts[::2]]
    return "`".join(parts)


def _stars(text: str) -> str:
    out, open_, i = [], False, 0
    while i < len(text):
        if text.startswith("**", i):
            out.append("**")
            i += 2
            continue
        char = text[i]
        if char == "*":
            after_word = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
            if open_:
                open_ = False
            elif after_word:
                char = "\\*"
            else:
                open_ = True
        out.append(char)
        i += 1
    return "".join(out)


def _results_format_ja(text: str) -> str:
    """The results file in Japanese, with FORMAT.md's own example; FORMAT.md itself is English."""
    section = text.split("## The results file", 1)[-1]
    example = section.split("```json", 1)[1].split("```", 1)[0].strip("\n")
    return "\n".join(
        [
            "結果ファイルは一つの JSON オブジェクトで、形式は `results.schema.json`"
            "（JSON Schema）が定める。",
            "",
            "```json",
            example,
            "```",
            "",
            "- `results` はケースの `id` から結果への対応で、結果の形はケースの `expected` と同じ"
            '（数、リスト、リストのリスト、`{"w", "m", "v"}`、`{"W", "b"}` のリスト）。'
            "数は要素一つのリストでもよい。",
            '- `{"error": "メッセージ"}` は計算できなかったことを表し、ERROR として報告される。',
            "- 書かなかったケースは「未提供」として報告される（失敗ではない）。",
            "- どのベクトルにもない `id` は ERROR になる（打ち間違いを見逃さないため）。",
            "- 数は float64 を正確に復元できる桁数（有効数字 17 桁）で書く。NaN と無限大は JSON に"
            'ないので `{"error": ...}` と書く。',
            "- `conventions` は記録のためのもの。`relu_at_zero` のケースを `expected_if` と"
            "比べるには `nnref check --results` に `--relu-grad-at-zero 0` を渡す。",
            "",
            "JSON でない、途中で切れている、`results` がない、`schema_version` が違うファイルは、"
            "一行のメッセージと終了コード 2 で拒否される。ベクトルの各キーと演算の一覧は "
            "`conformance/vectors/FORMAT.md`（英語。`nnref vectors export DIR` でベクトルと一緒に"
            "出力される）にある。",
        ]
    )


@generator("check_json")
def check_json(lang: str, arg: str | None) -> str:
    import json

    report = _report("nnref_docs.examples.mynet", ("W4_1*", "tutorial-network-gradients"))
    data = report.to_json()
    data["cases"] = data["cases"][:1]
    intro = tr(
        lang,
        "The JSON report of the buggy example above (`--json report.json`; made while this "
        "page was built, cases cut to the first):",
        "上の誤りを含む例の JSON の報告（`--json report.json`。このページのビルド中に作成し、"
        "ケースは最初の一つだけ示す）:",
    )
    return (
        intro + "\n\n" + _block(json.dumps(data, indent=2, ensure_ascii=False).splitlines(), "json")
    )


#: The page whose first ``python`` code block is the copyable minimal implementation.
QUICKSTART_PAGE = REPO_ROOT / "docs" / "checking.md"
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def quickstart_code(page=QUICKSTART_PAGE) -> str:
    """The minimal implementation exactly as the page shows it (its first python block)."""
    found = _PYTHON_BLOCK.search(page.read_text(encoding="utf-8"))
    if not found:
        raise DocsBuildError(f"{page.name} has no python code block for the quick start")
    return found.group(1)


def run_cli_check(code: str, module: str = "mynet") -> subprocess.CompletedProcess:
    """``nnref check MODULE`` through the CLI, in a child process, on ``code`` saved as a module."""
    with tempfile.TemporaryDirectory(prefix="nnref-quickstart-") as tmp:
        Path(tmp, f"{module}.py").write_text(code, encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([tmp, str(REPO_ROOT)]))
        return subprocess.run(
            [sys.executable, "-m", "nnref.conformance.cli", "check", module],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip


@cache
def _quickstart_run() -> list[str]:
    done = run_cli_check(quickstart_code())
    if done.returncode != 0:
        raise DocsBuildError(
            f"the quick start's minimal implementation fails nnref check:\n{done.stdout[-1500:]}"
        )
    return done.stdout.splitlines()


@generator("check_quickstart")
def check_quickstart(lang: str, arg: str | None) -> str:
    lines = _quickstart_run()
    passed = [line for line in lines if line.startswith("PASS")]
    shown = [*lines[:1], *passed[:3], "...", *lines[-1:]]
    intro = tr(
        lang,
        "What it printed while this page was built (first and last lines):",
        "このページのビルド中に実行したときの出力（最初と最後の数行）:",
    )
    return intro + "\n\n" + _block(["$ nnref check mynet", *shown])
