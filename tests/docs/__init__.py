"""Tests of the documentation site. ``DOCS`` is the docs folder (importable as ``nnref_docs``
through pytest's ``pythonpath`` setting)."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
