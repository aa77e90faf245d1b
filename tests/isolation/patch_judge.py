"""Patches the judge's comparison when imported, and has a wrong sigmoid (0.5 everywhere)."""

import nnref.conformance.judge.compare as compare
import nnref.conformance.judge.verdict as run_vectors
from nnref.reference import *  # noqa: F403


def _always_pass(leaves, tolerance):
    return compare.Comparison(True, 0.0, 0.0)


compare.compare_leaves = run_vectors.compare_leaves = _always_pass


def sigmoid(u):
    return [0.5 for _ in u]
