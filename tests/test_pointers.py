"""Every file and module that the project's texts point a reader to exists.

Help texts, docstrings, READMEs, the docs and the spec cite paths of the repository
(``conformance/vectors/FORMAT.md``) and dotted module names (``nnref.conformance.judge``);
a pointer that leads nowhere is a defect, so each one is resolved here.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: top folders of the repository (``nnref/conformance/...`` is a path inside the wheel, not here)
TOPS = ("conformance", "reference", "symbolic", "docs", "tests", "benchmarks")
PATH = re.compile(
    r"(?<![\w./-])((?:" + "|".join(TOPS) + r")/[\w./-]*\w\.(?:py|json|md|csv|js|css|yml))"
)
MODULE = re.compile(r"(?<![\w./-])(nnref(?:\.\w+)+)")
#: where the texts are
SOURCES = ("conformance", "reference", "symbolic", "nnref", "docs", "benchmarks", ".ci")
TOP_FILES = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "pyproject.toml", "mkdocs.yml")
#: paths written as examples of what a user creates, not files of the repository
EXAMPLES = {"docs/generated", "tests/test_x.py"}
#: a dotted word ending so is a file name (``nnref.xml``), not a module
FILE_ENDINGS = ("xml", "css", "js", "json", "svg", "png", "yml", "md", "py", "html", "txt")


def texts():
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".yml", "") and _ours(path):
                yield path
    for name in TOP_FILES:
        if (ROOT / name).exists():
            yield ROOT / name


def _ours(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return not ({"node_modules", "__pycache__", "generated"} & set(parts))


def _resolves(dotted: str) -> bool:
    with contextlib.suppress(ImportError, ValueError):
        if importlib.util.find_spec(dotted) is not None:
            return True  # a module, found without running it: its optional library may be absent
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


@pytest.mark.parametrize("path", list(texts()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_path_and_module_exists(path):
    text = path.read_text(encoding="utf-8")
    missing = []
    for cited in sorted(set(PATH.findall(text))):
        if "NAME" in cited or any(cited.startswith(e) for e in EXAMPLES):
            continue
        if not (ROOT / cited).exists():
            missing.append(cited)
    for dotted in sorted(set(MODULE.findall(text))):
        dotted = dotted.rstrip(".")
        if dotted.endswith(".NAME") or dotted.rsplit(".", 1)[-1] in FILE_ENDINGS:
            continue
        if not _resolves(dotted):
            missing.append(dotted)
    assert not missing, missing
