"""A memoriser: it reads nnref's own vector files and returns the stored answer whenever the
inputs match a case, and something wrong everywhere else (sigmoid(u) = 0.5, u = xW + b, ...).

It passes every vector by construction; only inputs it cannot know in advance catch it.
"""

from __future__ import annotations

import json

from nnref.conformance.protocol.names import ARGUMENTS, PROTOCOL
from nnref.conformance.vectors import DIRECTORY


def _key(operation, args):
    return operation, json.dumps(args, sort_keys=True)


def _answers() -> dict:
    table = {}
    for name in ("tutorial", "generated"):
        doc = json.loads((DIRECTORY / f"{name}.json").read_text(encoding="utf-8"))
        for case in doc["cases"]:
            op = case["operation"]
            if op in ARGUMENTS and "expected" in case:
                args = [case["inputs"][k] for k in ARGUMENTS[op]]
                table[_key(op, args)] = case["expected"]
    return table


_TABLE = _answers()


def _wrong(operation, args):
    if operation == "linear":
        x, W, b = args
        return [sum(xi * row[j] for xi, row in zip(x, W)) + b[j] for j in range(len(b))]
    if operation in ("sigmoid", "tanh", "relu", "step", "identity", "softmax"):
        return [0.5 for _ in args[0]]
    if operation == "forward":
        return [[0.5] * len(layer["b"]) for layer in args[0]]
    if operation == "gradients":
        return [
            {"W": [[0.0] * len(r) for r in layer["W"]], "b": [0.0] * len(layer["b"])}
            for layer in args[0]
        ]
    if operation in ("sgd_step",):
        return list(args[0])
    if operation == "adam_step":
        return {"w": list(args[0]), "m": list(args[2]), "v": list(args[3])}
    return 0.5


def _make(operation):
    def fn(*args, **kwargs):
        answer = _TABLE.get(_key(operation, list(args)))
        return answer if answer is not None else _wrong(operation, list(args))

    fn.__name__ = operation
    return fn


for _name in PROTOCOL:
    if _name in ARGUMENTS and _name != "encode_applicant":
        globals()[_name] = _make(_name)
