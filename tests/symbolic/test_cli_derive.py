"""``nnref derive``: listing, one derivation as text / LaTeX / JSON, clear errors."""

from __future__ import annotations

import json

import pytest

from nnref.conformance.cli import main
from nnref.symbolic import registry


@pytest.mark.spec("S6")
def test_S6_list_without_proofs_names_every_derivation_and_clause(capsys):
    assert main(["derive", "--no-verify"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(registry.names())
    sigmoid = next(line for line in lines if "sigmoid_derivative" in line)
    assert "S6" in sigmoid and "E5" in sigmoid


@pytest.mark.spec("S20")
def test_S20_show_one_as_text_with_proof_status(capsys):
    assert main(["derive", "dense_backward"]) == 0
    out = capsys.readouterr().out
    assert "dE/db_j = -delta_j" in out and "[proved" in out and "status: proved" in out


@pytest.mark.spec("S20")
def test_S20_show_one_as_latex(capsys):
    assert main(["derive", "dense_backward", "--latex", "--no-verify"]) == 0
    out = capsys.readouterr().out
    assert r"\delta_{1}" in out and r"\left[\begin{matrix}" in out


@pytest.mark.spec("E1")
def test_E1_select_by_clause_as_json(capsys):
    assert main(["derive", "E1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in doc] == ["cross_entropy_log_base"]
    assert doc[0]["status"] == "proved"
    assert all(s["status"] == "proved" and s["latex"] for s in doc[0]["steps"])


def test_list_as_json(capsys):
    assert main(["derive", "--json", "--no-verify"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {d["name"] for d in doc} == set(registry.names())
    assert all(d["clauses"] for d in doc)


def test_unknown_name_is_one_line_with_close_matches(capsys):
    assert main(["derive", "sigmoid_derivatve"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("nnref: error: no derivation named 'sigmoid_derivatve'")
    assert "sigmoid_derivative" in err


def test_failed_proof_exits_1(capsys, monkeypatch):
    broken = registry.get("tanh_derivative").with_step("derivative", rhs=1)
    monkeypatch.setattr(registry, "get", lambda name: broken)
    assert main(["derive", "tanh_derivative"]) == 1
    assert "FAILED" in capsys.readouterr().out
