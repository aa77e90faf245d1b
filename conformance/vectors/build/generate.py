"""Regenerate the vector files: ``python -m nnref.conformance.vectors.build [--check] [DIR]``.

Expected values come from the reference (float64) and each is checked against
the exact oracle (``nnref.conformance.vectors.build.oracle``) before it is written. The
layout is fixed (one case per line, keys in a fixed order), so regenerating
reproduces the committed files byte for byte; ``--check`` only compares.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nnref import reference
from nnref.conformance.vectors import DIRECTORY, FLAGS, SCHEMA_VERSION, SEED, SETS
from nnref.conformance.vectors.build.generated_cases import generated_cases
from nnref.conformance.vectors.build.tutorial_cases import tutorial_cases

DESCRIPTIONS = {
    "tutorial": "Every worked example of the spec (W1_1 .. W4_1, D_*) and the whole tutorial "
    "network: forward output, loss, every weight and threshold gradient.",
    "generated": "A seeded sweep of every protocol operation: random cases, every activation "
    "and loss pairing, and the edge cases the spec implies.",
}


def build(name: str) -> dict:
    """The document of vector set ``name`` (computed now, from the reference)."""

    cases = tutorial_cases(reference) if name == "tutorial" else generated_cases(reference, SEED)
    used = sorted({flag for c in cases for flag in c["flags"]})
    return {
        "schema_version": SCHEMA_VERSION,
        "set": name,
        "description": DESCRIPTIONS[name],
        "generator": f"nnref.conformance.vectors.build (seed {SEED})",
        "flags": {flag: FLAGS[flag] for flag in used},
        "cases": cases,
    }


def dumps(doc: dict) -> str:
    """Fixed layout: header keys one per line, then one case per line."""
    head = {k: v for k, v in doc.items() if k != "cases"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "cases": [')
    body = [f"    {json.dumps(c, ensure_ascii=False, allow_nan=False)}" for c in doc["cases"]]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnref.conformance.vectors.build")
    parser.add_argument("directory", nargs="?", default=str(DIRECTORY))
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    status = 0
    for name in SETS:
        text = dumps(build(name))
        target = Path(args.directory) / f"{name}.json"
        if args.check:
            same = target.exists() and target.read_text(encoding="utf-8") == text
            print(f"{target}: {'up to date' if same else 'DIFFERS'}")
            status |= not same
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target} ({len(json.loads(text)['cases'])} cases)")
    return status


if __name__ == "__main__":
    sys.exit(main())
