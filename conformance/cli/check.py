"""``nnref check``: run the conformance suite against an implementation or a results file."""

from __future__ import annotations

import argparse
import sys

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation, check_results
from nnref.conformance.cli.arguments import add_isolation_options, megabytes, positive, seconds
from nnref.conformance.cli.check_many import run_many, write_exports
from nnref.conformance.cli.conventions import add_convention_options
from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.loader import resolve
from nnref.conformance.isolation.sandbox import protect
from nnref.conformance.judge.results import exit_status_help
from nnref.conformance.properties.runner import use_private_hypothesis_storage
from nnref.conformance.report.exports import EXPORTS, first_mistake

DESCRIPTION = """\
Check an implementation of the protocol (conformance/protocol/README.md) against the tutorial's test
vectors and hypothesis property checks. IMPL is 'pkg.module' or 'pkg.module:attr'
(default: the reference); give several to check them side by side. The
implementation runs in child processes: its crashes, exits, hangs and prints
cannot change the verdict. Prints one line per case (PASS / FAIL / ERROR / not
provided) and a summary.
"""
EPILOG = exit_status_help()


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""

    p.description = DESCRIPTION
    p.epilog = EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument(
        "impl",
        nargs="*",
        default=[],
        metavar="IMPL",
        help="the implementation(s): 'pkg.module[:attr]', a .py file, a package folder, or "
        "DIR:net.py (default: the reference)",
    )
    p.add_argument(
        "--entry",
        metavar="FILE",
        help="for every folder given as IMPL, the file to check in it (e.g. net.py)",
    )
    p.add_argument(
        "--results",
        metavar="FILE",
        help="compare a JSON results file made elsewhere instead (see FORMAT.md)",
    )
    p.add_argument(
        "--vectors",
        action="append",
        default=[],
        metavar="PATH",
        help="vector file or directory to use instead of the built-in ones (repeatable)",
    )
    add_convention_options(p)
    p.add_argument(
        "--json",
        metavar="FILE",
        help="also write the report as JSON to FILE (with several IMPLs: a directory, "
        "one report each plus index.json)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="run only cases whose id, clause or operation matches this glob "
        "(repeatable), e.g. 'gradients-*', S20, W3_3",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="the run's seed: hypothesis's and the fresh inputs' (default: drawn at random and "
        "printed in the report, so that a run can be repeated)",
    )
    p.add_argument(
        "--max-examples",
        type=positive,
        default=None,
        metavar="N",
        help="hypothesis examples per property (default 100; --quick: 5)",
    )
    p.add_argument("--quick", action="store_true", help="the quick profile (a few seconds)")
    p.add_argument("--no-properties", action="store_true", help="run the vectors only")
    p.add_argument(
        "--timeout",
        type=seconds,
        default=10.0,
        metavar="SECONDS",
        help="give up on a call after this long (default 10); later calls of a callable "
        "that timed out are reported as not run",
    )
    p.add_argument(
        "--retry-timeouts",
        action="store_true",
        help="call a callable again after it timed out (each call then waits its timeout)",
    )
    p.add_argument(
        "--memory-limit",
        type=megabytes,
        default=None,
        metavar="MB",
        help="address space for the implementation's process, in MB (Linux only)",
    )
    add_isolation_options(p)
    p.add_argument(
        "--jobs",
        type=positive,
        default=1,
        metavar="N",
        help="with several IMPLs: how many to check at once (default 1)",
    )
    p.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    for export in EXPORTS:
        p.add_argument(f"--{export.name}", metavar="FILE", help=export.help)
    p.add_argument("-q", "--quiet", action="store_true", help="print only what did not pass")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="with several IMPLs: print every report in full, not one line each",
    )
    p.set_defaults(func=run)


def options_of(args):
    return CheckOptions(
        relu_grad_at_zero=float(args.relu_grad_at_zero or 1),
        seed=args.seed,
        max_examples=args.max_examples,
        timeout=args.timeout,
        only=list(args.only),
        quick=args.quick,
        vectors=list(args.vectors),
        properties=not args.no_properties and not args.results,
        debug=bool(getattr(args, "debug", False)),
        memory_limit=args.memory_limit,
        retry_timeouts=args.retry_timeouts,
        in_process=args.in_process,
        conventions_declared=list(args.convention),
        budget=args.budget,
        sandbox=args.sandbox,
    )


def run(args) -> int:
    if args.results and args.impl:
        raise NnrefError("give either an implementation or --results FILE, not both")
    options = options_of(args)
    options.in_force()  # a bad NAME=VALUE is a one-line error before anything runs
    specs = [resolve(text, args.entry) for text in args.impl]  # a bad path: exit 2 now
    # a sandboxed child never sees the report files
    protect(args.json, *(getattr(args, e.name) for e in EXPORTS))
    args.impl = [text.rstrip("/") or text for text in args.impl]  # "alice/" from a shell glob
    if len(specs) > 1:
        return run_many(args, specs)
    if args.results:
        report = check_results(args.results, options)
    else:
        if options.properties:
            use_private_hypothesis_storage()
        name = args.impl[0] if args.impl else None
        report = check_implementation(specs[0] if specs else None, options, name=name)
    for line in report.lines(quiet=args.quiet):
        print(line)
    if args.json:
        try:
            report.write_json(args.json)
        except OSError as exc:
            raise NnrefError(f"cannot write the JSON report to {args.json}: {exc}") from None
    _exports(args, report)
    sys.stdout.flush()
    return report.exit_status()


def _exports(args, report) -> None:
    """The report formats asked for (``EXPORTS``), for one implementation: one row."""
    if not any(getattr(args, e.name) for e in EXPORTS):
        return
    doc = report.to_json()
    row = {"implementation": report.implementation, "path": report.implementation}
    row.update(doc["summary"], seconds=round(report.seconds, 2))
    row.update(diagnosis=first_mistake(doc), exit_status=report.exit_status())
    write_exports(args, [row], [doc])
