"""The JAX bank: every buggy ``custom_vjp`` fails nnref, every correct twin passes, and nnref
is never behind ``jax.test_util.check_grads`` on the same rule (reverse mode, its default
tolerances). The rules are those of the torch bank, one for one.

What the peers do on each rule is printed by ``benchmarks/gradcheck_peers.py`` and recorded
on the docs page (docs/gradcheck.md).
"""

from __future__ import annotations

import importlib.util
import warnings
from functools import cache

import pytest

from tests.gradcheck import jax_bank, peer_bank

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spec("S20"),
    pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="needs jax"),
]
MODES = ["full", "fast"]
RULES = {rule.id: rule for rule in jax_bank.BANK}
#: The issue's list (issue 16): each kind of bug in both banks.
ISSUE_LIST = {
    "one-wrong-entry-of-10000",
    "batch-only",
    "broadcast-reduction",
    "transposed-non-square",
    "missing-factor",
    "sign-in-one-branch",
    "stale-cache",
    "ignored-input",
    "detached-second-order",
    "complex-conjugate",
    "kink-out-of-range",
    "noisy-float32-forward",
}


@cache
def nnref_passes(rule_id: str, buggy: bool, fast: bool) -> bool:
    with warnings.catch_warnings():  # f(x) runs once outside 64-bit mode, to see it is JAX
        warnings.filterwarnings("ignore", "Explicitly requested dtype")
        return jax_bank.nnref_check(RULES[rule_id], buggy, fast)


@cache
def jax_passes(rule_id: str, buggy: bool) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jax_bank.jax_check(RULES[rule_id], buggy)


def test_both_banks_cover_the_issue_list_one_for_one():
    assert set(RULES) >= ISSUE_LIST
    assert [r.id for r in jax_bank.BANK] == [r.id for r in peer_bank.BANK]
    assert RULES["detached-second-order"].order == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rule_id", list(RULES))
def test_the_bug_fails_and_its_twin_passes(rule_id, mode):
    fast = mode == "fast"
    assert not nnref_passes(rule_id, True, fast), RULES[rule_id].what
    assert nnref_passes(rule_id, False, fast), RULES[rule_id].what


@pytest.mark.parametrize("rule_id", list(RULES))
def test_never_behind_check_grads(rule_id):
    for fast in (False, True):
        if not jax_passes(rule_id, True):  # check_grads caught it: so does nnref
            assert not nnref_passes(rule_id, True, fast)
        if jax_passes(rule_id, False):  # check_grads passed the twin: so does nnref
            assert nnref_passes(rule_id, False, fast)
