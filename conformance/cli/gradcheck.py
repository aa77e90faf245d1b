"""``nnref gradcheck IMPL``: an implementation's gradients against its own forward and loss.

    nnref gradcheck reference
    nnref gradcheck mycode --seed 3 --relu-grad-at-zero 0 --json report.json

For every activation/loss pairing a seeded random network is built and the
implementation's ``gradients`` is compared, entry by entry, with central
differences of its own ``forward`` followed by its own loss (see
``conformance.gradcheck.selfcheck``). No reference is involved: it is a
self-consistency verdict. The implementation runs in a child process, as in
``nnref check``: its exits, crashes and hangs are ERRORs of the case in flight.
Exit status: 0 every case passed (or was not provided / skipped), 1 a case
failed or raised, 2 bad input (or nothing of the protocol provided), 130
interrupted.
"""

from __future__ import annotations

import argparse
import json
import math

from conformance.errors import NnrefError
from conformance.names import HIDDEN, LOSSES, OUTPUTS

DESCRIPTION = (
    "Check an implementation's gradients(layers, x, t, loss) against finite differences of its "
    "own forward and loss, on seeded random networks of every pairing of hidden activation "
    f"({', '.join(HIDDEN)}), output activation ({', '.join(OUTPUTS)}) and loss "
    f"({', '.join(LOSSES)}), plus ReLU units exactly at a kink. What the implementation "
    "lacks is reported as not provided. Failing entries are named, e.g. layers[1].b[0]."
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gradcheck",
        help="check an implementation's gradients against differences of its own loss",
        description=DESCRIPTION,
    )
    p.add_argument("impl", metavar="IMPL", help="'pkg.module' or 'pkg.module:attr'")
    p.add_argument("--seed", type=_integer, default=0, help="seed of the networks (default 0)")
    p.add_argument(
        "--relu-grad-at-zero",
        type=_finite,
        default=None,
        metavar="VALUE",
        help="the ReLU'(0) convention expected, as in nnref check (default 1, the "
        "tutorial's, S8; many libraries use 0): judged at the cases with a ReLU unit at u = 0",
    )
    p.add_argument(
        "--method",
        choices=("central", "richardson"),
        default="central",
        help="central differences (default) or the 4th-order Richardson stencil",
    )
    p.add_argument("--fast", action="store_true", help="random directions instead of every entry")
    p.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=10.0,
        metavar="SECONDS",
        help="give up on a call of the implementation after this long (default 10)",
    )
    p.add_argument(
        "--memory-limit",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="address space for the implementation's process, in MB (Linux only)",
    )
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="print every case's full report")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from conformance.gradcheck import selfcheck
    from conformance.isolation.session import Session
    from conformance.names import PROTOCOL
    from conformance.runner.remote import remote_fns

    with Session(args.impl, PROTOCOL, args.timeout, args.memory_limit) as session:
        hello = session.start(debug=bool(getattr(args, "debug", False)))
        if not hello.provides:
            raise NnrefError(
                f"implementation {args.impl!r} provides none of the protocol's callables "
                f"({', '.join(PROTOCOL)})"
            )
        found = remote_fns(session, hello.provides, [f"gradcheck of {args.impl}"])
        options = {"method": args.method, "fast": args.fast}
        cases = selfcheck.run(found, found, args.seed, args.relu_grad_at_zero, **options)
    name = hello.name
    _print(name, args, cases)
    if args.json:
        _write_json(args.json, name, args, cases)
    return 1 if any(c.status in ("FAIL", "ERROR") for c in cases) else 0


def _print(name, args, cases) -> None:
    from conformance.gradcheck import selfcheck

    mode = "fast mode" if args.fast else "full mode"
    print(f"nnref gradcheck {name} (seed {args.seed}, {mode}, {args.method} differences)")
    print("  gradients() against finite differences of its own forward() and loss")
    for note in cases[0].notes if cases else []:
        print(f"  note: {note}")
    for c in cases:
        print(c.line())
        if c.result is not None and (args.verbose or c.status == "FAIL"):
            print("\n".join("    " + line for line in str(c.result).splitlines()))
    print(selfcheck.summary_line(cases))


def _write_json(path, name, args, cases) -> None:
    from conformance.gradcheck import selfcheck

    report = {
        "schema_version": 1,
        "command": "gradcheck",
        "implementation": name,
        "seed": args.seed,
        "options": {"method": args.method, "fast": args.fast},
        "conventions": {"relu_grad_at_zero": selfcheck.relu_convention(args.relu_grad_at_zero)},
        "summary": selfcheck.summary(cases),
        "cases": [c.as_dict() for c in cases],
    }
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, allow_nan=False)
            fh.write("\n")
    except OSError as exc:
        raise NnrefError(f"cannot write --json {path}: {exc.strerror}") from None


def _megabytes(text: str) -> int:
    from conformance.cli.check import _megabytes as megabytes

    return megabytes(text)


def _positive_seconds(text: str) -> float:
    value = _finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value
