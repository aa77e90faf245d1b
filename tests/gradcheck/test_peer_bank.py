"""The peer bank: every buggy backward rule fails nnref, every correct twin passes, and nnref
is never behind torch.autograd.gradcheck on the same rule (full and fast_mode side by side).

What the peers do on each rule is printed by ``benchmarks/gradcheck_peers.py`` and recorded
on the docs page (docs/gradcheck.md).
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.gradcheck.peer_bank import BANK, nnref_check, torch_check

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spec("S20"),
    pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch"),
]
MODES = ["full", "fast"]


def test_the_bank_covers_the_issue_list():
    ids = {r.id for r in BANK}
    assert len(BANK) >= 12 and "detached-second-order" in ids and "noisy-float32-forward" in ids


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rule", BANK, ids=lambda r: r.id)
def test_the_bug_fails_and_its_twin_passes(rule, mode):
    assert not nnref_check(rule, buggy=True, fast=mode == "fast"), rule.what
    assert nnref_check(rule, buggy=False, fast=mode == "fast"), rule.what


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rule", BANK, ids=lambda r: r.id)
def test_never_behind_torch(rule, mode):
    fast = mode == "fast"
    if not torch_check(rule, buggy=True, fast=fast):  # torch caught it: so does nnref
        assert not nnref_check(rule, buggy=True, fast=fast)
    if torch_check(rule, buggy=False, fast=fast):  # torch passed the twin: so does nnref
        assert nnref_check(rule, buggy=False, fast=fast)
