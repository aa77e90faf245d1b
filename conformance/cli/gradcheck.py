"""``nnref gradcheck IMPL``: an implementation's gradients against its own forward and loss.

    nnref gradcheck reference
    nnref gradcheck mycode --seed 3 --relu-grad-at-zero 0 --json report.json
    nnref gradcheck torchnet --convention weight_layout=out_in --convention input_type=torch
    nnref gradcheck mycode --kinks strict   # a kink passes only at a one-sided derivative

For every activation/loss pairing a seeded random network is built and the
implementation's ``gradients`` is compared, entry by entry, with central
differences of its own ``forward`` followed by its own loss (see
``nnref.conformance.finitediff.selfcheck``). No reference is involved: it is a
self-consistency verdict. The implementation runs in a child process, as in
``nnref check``: its exits, crashes and hangs are ERRORs of the case in flight.
Conventions are declared as in ``nnref check`` (``--convention``, the
implementation's ``nnref_conventions``; ``--relu-grad-at-zero`` is an alias);
the report names those in force and those gradcheck does not use. Ctrl-C
prints the cases finished so far and their summary. The exit statuses are
``nnref check``'s (``judge.results.EXIT_STATUSES``): 0 at least one case passed and
none failed or raised, 1 a case failed or raised or nothing was checked, 2 bad
input (or nothing of the protocol provided), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import textwrap

from nnref import __version__
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import start_source
from nnref.conformance.check.sources import Isolated
from nnref.conformance.cli.arguments import add_isolation_options, integer, megabytes, seconds
from nnref.conformance.cli.conventions import add_convention_options
from nnref.conformance.errors import NnrefError
from nnref.conformance.finitediff import selfcheck
from nnref.conformance.isolation.sandbox import protect
from nnref.conformance.judge.results import (
    ERROR,
    FAIL,
    PASS,
    exit_status,
    exit_status_help,
)
from nnref.conformance.protocol.names import HIDDEN, LOSSES, OUTPUTS, PROTOCOL

DESCRIPTION = (
    "Check an implementation's gradients(layers, x, t, loss) against finite differences of its "
    "own forward and loss, on seeded random networks of every pairing of hidden activation "
    f"({', '.join(HIDDEN)}), output activation ({', '.join(OUTPUTS)}) and loss "
    f"({', '.join(LOSSES)}), plus ReLU units exactly at a kink. What the implementation "
    "lacks is reported as not provided. Failing entries are named, e.g. layers[1].b[0]. "
    "Conventions are declared as in nnref check: weight_layout, input_type, precision, "
    "relu_grad_at_zero and threshold (where the kink cases put u = 0) change what is "
    "built and handed over; squared_error and adam do not affect gradcheck (the "
    "implementation's own loss is differentiated, whatever its reduction; no optimizer is "
    "checked)."
)


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = textwrap.fill(DESCRIPTION, 79)
    p.epilog = exit_status_help()
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("impl", metavar="IMPL", help="'pkg.module' or 'pkg.module:attr'")
    p.add_argument("--seed", type=integer, default=0, help="seed of the networks (default 0)")
    add_convention_options(
        p,
        relu_note=", judged at the cases with a ReLU unit at u = 0",
        convention_note="; squared_error and adam do not affect gradcheck",
    )
    p.add_argument(
        "--method",
        choices=("central", "richardson"),
        default="central",
        help="central differences (default) or the 4th-order Richardson stencil",
    )
    p.add_argument("--fast", action="store_true", help="random directions instead of every entry")
    p.add_argument(
        "--kinks",
        choices=("lenient", "strict"),
        default="lenient",
        help="at a kink (a ReLU unit at u = 0) accept any value between the one-sided "
        "derivatives (lenient, default) or only one of them (strict)",
    )
    p.add_argument(
        "--timeout",
        type=seconds,
        default=10.0,
        metavar="SECONDS",
        help="give up on a call of the implementation after this long (default 10)",
    )
    p.add_argument(
        "--memory-limit",
        type=megabytes,
        default=None,
        metavar="MB",
        help="address space for the implementation's process, in MB (Linux only)",
    )
    add_isolation_options(p)
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="print every case's full report")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """A view of the pipeline's start (the same conventions and errors as ``nnref check``) and
    of its exit rule (nothing checked is exit 1)."""
    options = CheckOptions(
        relu_grad_at_zero=float(args.relu_grad_at_zero or 1),
        conventions_declared=list(args.convention),
        timeout=args.timeout,
        memory_limit=args.memory_limit,
        debug=bool(getattr(args, "debug", False)),
        budget=args.budget,
        sandbox=args.sandbox,
    )
    protect(args.json)
    with Isolated(args.impl, PROTOCOL) as source:
        started, options = start_source(source, options)
        where = [f"gradcheck of {args.impl}"]
        found = source.callables(started.provides, where, options)
        how = {"method": args.method, "fast": args.fast, "kinks": args.kinks}
        cases, interrupted = selfcheck.run(found, found, args.seed, options.in_force(), **how)
    _print(started.name, args, options, cases, interrupted)
    if args.json:
        _write_json(args.json, started.name, args, options, cases, interrupted)
    return exit_status([c.status for c in cases], interrupted)


def _print(name, args, force, cases, interrupted) -> None:
    mode = "fast mode" if args.fast else "full mode"
    kinks = "" if args.kinks == "lenient" else ", strict kinks"
    print(f"nnref gradcheck {name} (seed {args.seed}, {mode}, {args.method} differences{kinks})")
    print("  gradients() against finite differences of its own forward() and loss")
    in_force = force.in_force()
    declared = in_force.declared()
    shown = ", ".join(f"{k}={v}" for k, v in declared.items()) or "the tutorial's"
    relu = in_force["relu_grad_at_zero"]
    print(f"  conventions: {shown} (ReLU'(0) = {relu} expected at the kinks)")
    unused = selfcheck.unused(in_force)
    for k in (k for k in declared if k in unused):
        print(f"  note: {k}={declared[k]} does not affect gradcheck: {unused[k]}")
    for c in cases:
        print(c.line())
        if c.result is not None and (args.verbose or c.status == "FAIL"):
            print("\n".join("    " + line for line in str(c.result).splitlines()))
    if interrupted:
        print("interrupted: the summary below counts only the checks that finished")
    elif not any(c.status in (PASS, FAIL, ERROR) for c in cases):
        print("nothing was checked: the implementation provides nothing these cases need")
    print(selfcheck.summary_line(cases))


def _write_json(path, name, args, force, cases, interrupted) -> None:
    report = {
        "schema_version": 1,
        "nnref_version": __version__,
        "command": "gradcheck",
        "implementation": name,
        "seed": args.seed,
        "options": {"method": args.method, "fast": args.fast, "kinks": args.kinks},
        "conventions": force.conventions(),
        "conventions_unused": selfcheck.unused(force.in_force()),
        "summary": selfcheck.summary(cases),
        "interrupted": interrupted,
        "cases": [c.as_dict() for c in cases],
    }
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, allow_nan=False)
            fh.write("\n")
    except OSError as exc:
        raise NnrefError(f"cannot write --json {path}: {exc.strerror}") from None
