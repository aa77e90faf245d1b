"""What a check reads its answers from: a source.

The pipeline (``check.pipeline.run_check``) does the same for every source: it starts it,
takes the conventions it declares, selects and adapts the cases, asks the source
for its verdict on them and on the properties, explains the failures and writes
one ``Report``. A source differs only in where the answers come from:

- ``Isolated``: the implementation imported and called in child processes (the default
  for the CLI, the API and the pytest plugin);
- ``InProcess``: the implementation imported here, unprotected (only to measure what
  isolation costs);
- ``ResultsFile``: answers computed elsewhere, read from a JSON file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.results_file import judge_results, read_results
from nnref.conformance.check.run_vectors import run_case, run_cases
from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.loader import REFERENCE, describe, load_implementation
from nnref.conformance.isolation.remote import remote_fns
from nnref.conformance.isolation.session import Session
from nnref.conformance.judge.results import CaseResult
from nnref.conformance.properties.runner import run_properties, run_properties_remote
from nnref.conformance.protocol.names import PROTOCOL
from nnref.conformance.protocol.operations import EXTRAS, implementation_fns
from nnref.conformance.variants.adapt import layout_wrapped


@dataclass
class Started:
    """What a source says of itself before anything is checked."""

    name: str
    provides: list[str]
    conventions: object = None  # the declared conventions, as plain data
    output: dict = field(default_factory=dict)  # what the import printed
    mode: str = "implementation"  # or "results file"


class Source:
    """What every source shares: a context manager whose ``close`` ends what ``start`` began,
    and ``notes`` said after it is closed."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        return None

    def notes(self) -> list[str]:
        """Lines for the report once the source is closed (nothing, unless a source has some)."""
        return []


class Isolated(Source):
    """An implementation (``pkg.module[:attr]``) run in child processes."""

    def __init__(self, spec: str | None, names=(*PROTOCOL, *EXTRAS)):
        self.spec = spec or REFERENCE
        self.names = list(names)
        self.session: Session | None = None

    def close(self) -> None:
        if self.session is not None:
            self.session.close()

    def notes(self) -> list[str]:
        """The processes the implementation left running, killed by nnref."""
        return self.session.notes() if self.session is not None else []

    def start(self, options: CheckOptions) -> Started:
        limits = {"budget": options.budget, "sandbox": options.sandbox, "hide": options.vectors}
        self.session = Session(
            self.spec,
            self.names,
            options.timeout,
            options.memory_limit,
            options.retry_timeouts,
            **limits,
        )
        hello = self.session.start(debug=options.debug)
        _require_protocol(self.spec, hello.provides, hello.conventions_error)
        return Started(hello.name, list(hello.provides), hello.conventions, hello.output)

    def judge_cases(self, cases: list[dict], options: CheckOptions, sink: dict, ids=()) -> None:
        run_cases(cases, self.session, set(self.session.hello.provides), options, sink)

    def judge_properties(self, options: CheckOptions, out: list) -> None:
        wrap = lambda fns: for_properties(fns, options)  # noqa: E731
        run_properties_remote(self.session, self.session.hello.provides, options, out, wrap)

    def callables(self, names, where: list[str], options: CheckOptions) -> dict:
        """The child's callables as local ones (for ``nnref gradcheck``)."""
        return remote_fns(self.session, names, where, options.native())


class InProcess(Source):
    """An implementation imported and called in this process: no protection at all."""

    def __init__(self, spec: str | None):
        self.spec = spec or REFERENCE
        self.fns: dict = {}

    def start(self, options: CheckOptions) -> Started:
        impl = load_implementation(self.spec)
        self.fns = implementation_fns(impl)
        declared = getattr(impl, "nnref_conventions", None)
        _require_protocol(self.spec, list(self.fns), None)
        return Started(describe(self.spec, impl), sorted(self.fns), copy.deepcopy(declared))

    def judge_cases(self, cases: list[dict], options: CheckOptions, sink: dict, ids=()) -> None:
        for i, case in enumerate(cases):
            sink[i] = run_case(case, self.fns, options)

    def judge_properties(self, options: CheckOptions, out: list) -> None:
        out.extend(run_properties(for_properties(self.fns, options), options))

    def callables(self, names, where: list[str], options: CheckOptions) -> dict:
        return {n: self.fns[n] for n in names if n in self.fns}


class ResultsFile(Source):
    """Answers computed elsewhere (another language), read from a JSON results file."""

    def __init__(self, path: str):
        self.path = path
        self.values: dict = {}

    def start(self, options: CheckOptions) -> Started:
        name, conventions, self.values = read_results(self.path)
        return Started(name, [], conventions, mode="results file")

    def judge_cases(self, cases: list[dict], options: CheckOptions, sink: dict, ids=()) -> None:
        """``ids``: every case id of the vectors (an id in the file that none has is an ERROR)."""
        results: list[CaseResult] = judge_results(cases, self.values, options, set(ids))
        sink.update(enumerate(results))

    def judge_properties(self, options: CheckOptions, out: list) -> None:
        return None  # a file holds no callables to draw inputs for

    def callables(self, names, where, options) -> dict:
        return {}


def for_properties(fns: dict, options: CheckOptions) -> dict:
    """The property checks draw networks with W as (in, out): hand them over in the layout in
    force."""
    if options.in_force()["weight_layout"] == "out_in":
        return layout_wrapped(fns)
    return fns


def _require_protocol(spec: str, provides, conventions_error) -> None:
    if not any(name in PROTOCOL for name in provides):
        raise NnrefError(
            f"implementation {spec!r} provides none of the protocol's callables "
            f"({', '.join(PROTOCOL)})"
        )
    if conventions_error:
        raise NnrefError(f"implementation {spec!r}: {conventions_error}")
