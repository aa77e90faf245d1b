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


#: FORMAT.md's tables in Japanese, key by key: a key FORMAT.md adds without its Japanese here
#: fails the build, so the Japanese page never lags behind the English one.
FILE_KEYS_JA = {
    "schema_version": "`1`。ほかの版は読み込み側が拒否する。",
    "set": "`tutorial`（すべての例題とチュートリアルのネットワーク全体）または "
    "`generated`（シードつきで生成したケース）。",
    "flags": "ファイルで使うフラグそれぞれの意味。",
    "cases": "ケースのリスト。",
}
CASE_KEYS_JA = {
    "id": "すべてのファイルを通じて一意で変わらない。結果はこれをキーにする。",
    "clauses": "検査する仕様の条項（`S20`、`W3_3`、`E1` など）。",
    "operation": "計算するもの（下の表）。",
    "inputs": "引数（名前つき）。数は float64。`adam_step` の `t` は整数。",
    "expected": "答え。NaN や無限大になることはない（拒否すべきケースにはない）。",
    "reject": "拒否すべきケースだけにあり、`expected` と `tolerance` の代わりに、入力が外れている"
    "定義域を示す（下記）。",
    "tolerance": '`{"abs": a, "rel": r}`: `abs(got - expected) <= a + r * abs(expected)` なら'
    "その要素は合格。",
    "provenance": "ケースの出どころ（チュートリアルの問題、または生成の方法）。",
    "flags": "ケースの目的（`relu_at_zero`、`extreme`、`tutorial` など）。",
    "tutorial_value": "（任意）チュートリアルに記載された値。",
    "erratum": "（任意）記載された値が誤っているときの正誤の番号（D_ce なら E1）。",
    "expected_if": '（任意）別の規約のもとでの答え: `{"relu_grad_at_zero=0": ...}`。',
    "expected_min": "（任意）`tolerance` つきの `expected` の代わりに、この値以上の数か +∞ なら"
    "合格。このとき `expected` は参照実装自身の有限の答え（S14 の注: y_k = 0 かつ t_k = 1 の"
    "Cross-entropy関数）。",
    "note": "（任意）そのほか知っておくべきこと。",
}
OPERATIONS_JA = {
    "linear": "リスト `u`、u_j = sum_i x_i W[i][j] - b_j",
    "step": "リスト、ベクトル全体の活性化関数の値",
    "squared_error": "数",
    "forward": "リスト、ネットワークの出力",
    "gradients": '層ごとに一つの `{"W": dW, "b": db}` のリスト: その 1 サンプルの損失の勾配',
    "sgd_step": "リスト、`w - lr * g`",
    "adam_step": "`t` 番目（1 から数える）の Adam（Algorithm 1）の更新後の "
    '`{"w": [...], "m": [...], "v": [...]}`',
    "adam_trajectory": '更新ごとに一つの `{"w", "m", "v"}` のリスト: m = v = 0 から始め、t = 1 で '
    "`grads[0]`、t = 2 で `grads[1]`、… と `adam_step` を続ける",
    "box_muller": "数 `sqrt(-2 ln x) cos(2 pi y)`",
    "encode_applicant": "0 か 1 の数三つのリスト（S4。任意）",
}
INPUTS_JA = {
    "adam_step": "`w`、`g`、`m`、`v`、`t`、任意で `lr`、`beta1`、`beta2`、`eps`"
    "（既定値 0.001、0.9、0.999、1e-8）",
    "adam_trajectory": "`w`、`grads`（勾配のリスト）、任意でハイパーパラメータ",
}


def _table_keys(text: str, heading: str) -> list[list[str]]:
    """The rows (cells) of the first table after ``heading`` in FORMAT.md."""
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.split("\n\n", 2)[1].splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[1:]


def _vector_format_ja(text: str) -> str:
    """FORMAT.md's vector files, case keys, conventions, must-reject cases and operations, in
    Japanese; each table's keys are read from FORMAT.md and must all have their Japanese."""

    def rows_for(heading: str, meanings: dict) -> list[list[str]]:
        out = []
        for cells in _table_keys(text, heading):
            key = cells[0].strip("`")
            if key not in meanings:
                raise DocsBuildError(f"FORMAT.md's key {key} has no Japanese (checking.py)")
            out.append([cells[0], meanings[key]])
        return out

    operations = []
    for cells in _table_keys(text, "### Operations"):
        names = [c.strip("` ") for c in cells[0].split(",")]
        meaning = next((OPERATIONS_JA[n] for n in names if n in OPERATIONS_JA), None)
        if meaning is None:
            raise DocsBuildError(f"FORMAT.md's operation {cells[0]} has no Japanese (checking.py)")
        inputs = next((INPUTS_JA[n] for n in names if n in INPUTS_JA), cells[1].replace(", ", "、"))
        operations.append([cells[0].replace(", ", "、"), inputs, meaning])
    from nnref_docs.fmt import table

    return "\n".join(
        [
            "### ベクトルのファイル",
            "",
            "各ファイルは一つのオブジェクトで、形式は `schema.json`（JSON Schema、draft 2020-12）が"
            "定める:",
            "",
            table(["キー", "意味"], rows_for("## Vector files", FILE_KEYS_JA)),
            "",
            "各ケース:",
            "",
            table(["キー", "意味"], rows_for("Each case:", CASE_KEYS_JA)),
            "",
            "#### 規約",
            "",
            "層は `u = x W - b` を計算する。閾値 `b` は**引く**（S1）。`W` は行が入力、列が"
            "ニューロン（`W[i][j]`: 入力 i からニューロン j へ）。ネットワーク（`layers`）は "
            '`{"W": [[...]], "b": [...], "activation": 名前}` のリスト。活性化関数は `step`、'
            "`sigmoid`、`tanh`、`relu`、`identity`、`softmax`。損失関数は `squared_error`"
            "（E = 1/2 sum (y - t)^2、半分にした和）と `cross_entropy`（E = -sum t ln y、"
            "**自然対数**。t_k = 0 の項は 0）。教師データは one-hot でなくてもよく、"
            "`soft_teacher` のケースの教師データは和が 1 にならない。Softmax関数の後では "
            "delta = y sum(t) - t で、sum t = 1 のときに限り y - t になる。ReLU'(0) = 1。"
            "`relu_grad_at_zero=0` で検査するときは、`expected_if` のあるケースはその値を使う。",
            "",
            "別の規約（バイアスを足す、`W` を (出力, 入力) で持つ、平均二乗誤差、ReLU'(0) = 0、"
            "Adam の効率的な形）で書いたコードはそれを宣言し（`nnref conventions` ですべて"
            "一覧できる）、その規約のもとで動かした参照実装と比べられる。`weight_layout=out_in` "
            "ではベクトルの `W` をすべて転置して読み、`dW` も (出力, 入力) で返す。"
            "`threshold=added` では `b` をすべて符号を反転して読む（バイアスは閾値の符号を"
            "反転したもの）。どのケースでも `u` はチュートリアルのとおりになり、`u` をちょうど 0 に"
            "するケース（ReLU'(0)、step(0)）もそのまま働く。",
            "",
            "#### 拒否すべきケース",
            "",
            "`reject` のあるケース（フラグ `must_reject`）は仕様の定義域の外の入力を与える: "
            "Adam の t < 1（S23）、ボックス=ミューラー法の X が (0, 1] の外（S25）、形の合わない"
            "配列（S2、S13、S14、S15、S22、S23）、存在しない活性化関数や損失関数の名前、"
            "逆伝播するステップ関数の層（S5）、t_k が 0 でないところで負の出力の Cross-entropy関数"
            "（S14）。コードはこれを拒否しなければならない。Python では何であれ例外を送出し"
            "（何が違うかを述べるメッセージで）、結果ファイルでは "
            '`{"error": "メッセージ"}` と書く。値を返すと、NaN でも、`reject` を引用した FAIL に'
            "なる。`NotImplementedError` を送出する Python の関数は、どこでもそうであるように"
            "未提供になる。`SystemExit`、`KeyboardInterrupt`、`MemoryError` は拒否ではなく"
            " ERROR になる。",
            "",
            "#### y_k = 0 かつ t_k = 1 の Cross-entropy関数",
            "",
            "本当の値は +∞（-ln 0）。ケース `cross_entropy-zero-where-t-one` の `expected_min` は "
            "690 で、+∞ か 690 以上の有限の代わりの値なら合格する。例外、NaN、小さなクランプ"
            "（ln(y + 1e-7) は 16.1）は不合格。結果ファイルには無限大を書けないので、"
            "`1.7976931348623157e308` のような大きな有限の数を書く。",
            "",
            "#### 演算",
            "",
            table(["演算", "入力", "期待値 / あなたの結果"], operations),
        ]
    )


def _results_format_ja(text: str) -> str:
    """The vector format and the results file in Japanese, with FORMAT.md's own example."""
    section = text.split("## The results file", 1)[-1]
    example = section.split("```json", 1)[1].split("```", 1)[0].strip("\n")
    return "\n".join(
        [
            "ベクトルの形式と結果ファイルの形式は `conformance/vectors/FORMAT.md`（英語。"
            "`nnref vectors export DIR` でベクトルと一緒に出力される）に書かれている。"
            "以下はその日本語訳で、表のキーと演算はビルド時に FORMAT.md から読む。",
            "",
            _vector_format_ja(text),
            "",
            "### 結果ファイル",
            "",
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
            "一行のメッセージと終了コード 2 で拒否される。",
            "",
            "### Python の実装",
            "",
            "Python の実装にファイルは要らない。`nnref check pkg.module:attr` がプロトコルの関数"
            "（一覧は conformance/protocol/README.md）を直接呼び、`pytest --nnref-impl "
            "pkg.module:attr` は同じ検査を pytest のテストとして実行する（ケースごとに一つの"
            "テスト id があるので `-k`、`--junitxml`、`-n auto` が使える）。どちらも hypothesis に"
            "よる性質の検査を加える: 実装自身の順伝播と損失の有限差分と勾配の比較、Softmax関数の"
            "和が 1、勾配が決定的であること、入力を書き換えないこと。",
            "",
            "### 報告（`nnref check --json FILE`）",
            "",
            "JSON の報告の形は、このページの「JSON の報告」の節にある実際の出力のとおり。"
            "`status` は `PASS`、`FAIL`、`ERROR`、`not provided`。`kind` は `vector`、`property`、"
            "`input`（ベクトルや結果のファイルの問題）。`max_abs_err` と `max_rel_err` はケースの"
            "全要素にわたる最大値で、別々の要素から取られることもある。`worst` は許容誤差に対する"
            "比 `ratio` = `abs_err / (abs + rel * |expected|)` が最も大きい一つの要素。",
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
