"""Tests of the documentation site. ``DOCS`` is the docs folder, put on sys.path so the
build-time generation package ``nnref_docs`` imports as it does under mkdocs' hooks."""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
if str(DOCS) not in sys.path:
    sys.path.insert(0, str(DOCS))
