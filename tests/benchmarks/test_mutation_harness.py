"""The mutation benchmark judges the mutant, never the installed reference.

``benchmarks/bench_mutation.py`` copies each mutant out of the package. If a copy still
imported ``nnref.reference``, every mutant would be judged as the reference and "survive"
(that happened once, after the move to the ``nnref.*`` names); these tests keep it honest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_mutation as bm


def _a_mutant_of_layer():
    return next(m for m in bm.all_mutants() if m.file == "reference/layer.py")


def _run(code: str, cwd, pythonpath=None) -> str:
    env = bm._env(pythonpath)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_the_copy_for_nnref_check_imports_only_itself(tmp_path):
    m = _a_mutant_of_layer()
    bm._write_package(tmp_path / bm.ALIAS, m, bm.ALIAS)
    for path in (tmp_path / bm.ALIAS).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from nnref.reference" not in text and "import nnref.reference" not in text, path
    code = f"import sys, {bm.ALIAS}; print(sorted(n for n in sys.modules if 'reference' in n))"
    assert _run(code, tmp_path) == "[]"
    copied = (tmp_path / bm.ALIAS / "layer.py").read_text(encoding="utf-8")
    assert copied == m.source.replace("nnref.reference", bm.ALIAS)


@pytest.mark.slow
def test_the_test_suites_copy_sees_the_mutant_as_nnref_reference(tmp_path):
    m = _a_mutant_of_layer()
    suite = bm._suite(tmp_path)
    bm._write_package(suite / "reference", m, None)
    code = (
        "import nnref.reference.layer as l, nnref.conformance as c; print(l.__file__, c.__file__)"
    )
    layer, conformance = _run(code, suite, suite).split()
    assert layer.startswith(str(suite)), layer
    assert Path(layer).read_text(encoding="utf-8") == m.source
    assert conformance.startswith(str(suite)), conformance  # the same nnref throughout
