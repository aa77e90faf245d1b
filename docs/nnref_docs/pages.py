"""Import every module that registers a marker generator, so all markers are known."""

from nnref_docs import derivations, errata, figures, worked  # noqa: F401
