"""Shared helpers of the conformance tests: running ``nnref`` in-process, making results files."""

from __future__ import annotations

import copy
import json

from nnref.conformance.cli import main
from nnref.conformance.protocol.numbers import to_array
from nnref.conformance.protocol.operations import OPERATIONS, implementation_fns
from nnref.conformance.vectors.load import load_cases

IMPLS = "tests.conformance.impls"


def nnref(capsys, *argv) -> tuple[int, str, str]:
    """Run ``nnref ARGV`` in this process: (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def lines_with(out: str, word: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(word)]


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and value and isinstance(value[0], dict):
        return [jsonable(v) for v in value]
    return to_array(value, "result").tolist()


def results_of(impl, **conventions) -> dict:
    """A results file (as a dict) computed by ``impl`` for every vector it can compute; under
    declared ``conventions`` the inputs are read as FORMAT.md says (W transposed, b negated)."""
    from nnref.conformance.variants.adapt import adapt_cases
    from nnref.conformance.variants.conventions import Conventions

    fns = implementation_fns(impl)
    cases = adapt_cases(load_cases()[0], Conventions.from_declared(declared=conventions))
    results = {}
    for case in cases:
        op = OPERATIONS[case["operation"]]
        if all(name in fns for name in op.requires):
            try:
                got = op.call(fns, copy.deepcopy(case["inputs"]))
            except Exception as exc:  # as a program in another language would record it
                results[case["id"]] = {"error": str(exc)}
                continue
            if case["operation"] == "adam_step":
                got = dict(zip("wmv", got))
            results[case["id"]] = jsonable(got)
    return {
        "schema_version": 1,
        "implementation": "test",
        "conventions": conventions,
        "results": results,
    }


def write_json(path, doc) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)
