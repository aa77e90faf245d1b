"""Does a speed-up change a verdict? Every status of every case, before and after.

Checks a fixed bank of implementations (the reference, the numpy, torch and JAX example
adapters, and the deliberately broken implementations of ``tests.conformance.impls``) with
fixed seeds, and writes ``{implementation: {case id: status}}`` as JSON; with
``--against FILE`` it compares the statuses with those of an earlier run and prints every
difference (exit status 1 if there is any).

    python benchmarks/verdict_statuses.py --save /tmp/before.json      # on the old code
    python benchmarks/verdict_statuses.py --against /tmp/before.json   # on the new code

The torch and JAX adapters are skipped (and said so) when the library is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnref.conformance.check.options import CheckOptions  # noqa: E402
from nnref.conformance.check.pipeline import check_implementation  # noqa: E402

SEEDS = (1, 2)
ADAPTERS = {
    "reference": ({}, None),
    "nnref.conformance.adapters.numpy_impl": ({}, "numpy"),
    "nnref.conformance.adapters.numpy_library_style": ({}, "numpy"),
    "nnref.conformance.adapters.torch_impl": ({"relu_grad_at_zero": 0.0}, "torch"),
    "nnref.conformance.adapters.jax_impl": ({"relu_grad_at_zero": 0.0}, "jax"),
}
BROKEN = "tests.conformance.impls"


def bank() -> list[tuple[str, dict]]:
    """(implementation, options) of every check, seeds included."""
    out = []
    for spec, (options, needs) in ADAPTERS.items():
        if needs and importlib.util.find_spec(needs) is None:
            print(f"skipped {spec}: {needs} is not installed")
            continue
        out += [(spec, {**options, "seed": s}) for s in SEEDS]
    sys.path.insert(0, str(ROOT))
    broken = importlib.import_module(BROKEN)
    names = sorted(n for n in vars(broken) if n.isupper() and not n.startswith("_"))
    names = [n for n in names if n not in ("HANGS",)]  # a hang costs its timeouts only
    out += [(f"{BROKEN}:{n}", {"seed": s, "timeout": 5.0}) for n in names for s in SEEDS]
    return out


def statuses() -> dict:
    found = {}
    for spec, options in bank():
        seed = options["seed"]
        impl = None if spec == "reference" else spec
        try:
            report = check_implementation(impl, CheckOptions(**options))
        except Exception as exc:  # an implementation that cannot be checked: its one line
            found[f"{spec} seed {seed}"] = {"(no report)": f"{type(exc).__name__}: {exc}"}
            continue
        found[f"{spec} seed {seed}"] = {r.id: r.status for r in report.results}
        bad = sum(r.status not in ("PASS", "not provided") for r in report.results)
        print(f"{spec} seed {seed}: {len(report.results)} results, {bad} not passed", flush=True)
    return found


def compare(before: dict, after: dict) -> list[str]:
    lines = []
    for impl in sorted(set(before) | set(after)):
        old, new = before.get(impl, {}), after.get(impl, {})
        for cid in sorted(set(old) | set(new)):
            if old.get(cid) != new.get(cid):
                lines.append(f"{impl}: {cid}: {old.get(cid)} -> {new.get(cid)}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", metavar="FILE", help="write the statuses to FILE")
    parser.add_argument("--against", metavar="FILE", help="compare with the statuses in FILE")
    args = parser.parse_args(argv)
    found = statuses()
    if args.save:
        Path(args.save).write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    if args.against:
        diff = compare(json.loads(Path(args.against).read_text()), found)
        print("\n".join(diff) or "every status is the same")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
