"""The benchmarks page: the scripts in benchmarks/, listed from their own docstrings.

Marker: ``<!-- nnref:benchmark_list -->``. The benchmarks are not run at build
time (they take minutes and belong in one side-by-side run); their committed
results in benchmarks/results/ are rendered by ``bench_results.py``.
"""

from __future__ import annotations

import ast

from nnref_docs.bench_labels import TITLES
from nnref_docs.errors import DocsBuildError
from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT


@generator("benchmark_list")
def benchmark_list(lang: str, arg: str | None) -> str:
    scripts = sorted((REPO_ROOT / "benchmarks").glob("bench_*.py"))
    if not scripts:
        raise DocsBuildError("benchmarks/ has no bench_*.py script")
    out = []
    for path in scripts:
        if lang == "ja":
            name = path.stem.removeprefix("bench_")
            if name not in TITLES:
                raise DocsBuildError(f"benchmarks/{path.name} has no Japanese title (bench_labels)")
            first = TITLES[name][1]
        else:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            first = doc.split("\n\n", 1)[0].replace("\n", " ")
        out.append(f"- `python benchmarks/{path.name}`: {first}")
    note = tr(
        lang,
        "Scripts in `benchmarks/` (found at build time; descriptions from their docstrings):",
        "`benchmarks/` のスクリプト（ビルド時に検出）:",
    )
    return note + "\n\n" + "\n".join(out)
