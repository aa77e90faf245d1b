"""pytest plugin: run nnref's conformance suite against an implementation.

    pytest --nnref-impl pkg.module:attr [--nnref-relu-grad-at-zero 0] [-n auto] [--junitxml r.xml]

adds one test item per vector case and per property group (``nnref::W1_1-weighted-sum``,
``nnref::property-softmax-sums-to-one``), so ``-k``, JUnit XML and pytest-xdist work
as for any test. A case the implementation does not provide is skipped. Without
``--nnref-impl`` the plugin does nothing: it is loaded in every pytest run of anyone
who installs nnref, so it imports nothing of its own until the option is given.
"""

from __future__ import annotations

import secrets

import pytest


def _relu_value(text: str) -> str:
    from nnref.conformance.cli.conventions import relu_value  # only when the option is given

    return relu_value(text)


def pytest_addoption(parser):
    group = parser.getgroup("nnref")
    group.addoption(
        "--nnref-impl",
        default=None,
        metavar="IMPL",
        help="run nnref's conformance vectors against this implementation (pkg.module:attr)",
    )
    group.addoption(
        "--nnref-relu-grad-at-zero",
        default="1",
        type=_relu_value,
        help="the ReLU'(0) convention expected: any number in [0, 1] (default 1, the tutorial's)",
    )
    group.addoption(
        "--nnref-convention",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="check under this convention (repeatable), as nnref check --convention",
    )
    group.addoption(
        "--nnref-seed",
        default=None,
        type=int,
        help="the run's seed: hypothesis's and the fresh inputs' (default: drawn at random, "
        "printed in the summary)",
    )
    group.addoption(
        "--nnref-max-examples", default=None, type=int, help="hypothesis examples per property"
    )
    group.addoption(
        "--nnref-timeout", default=10.0, type=float, help="seconds per case (default 10)"
    )
    group.addoption(
        "--nnref-sandbox",
        action="store_true",
        help="run the implementation under bubblewrap (bwrap), as nnref check --sandbox does",
    )


def pytest_configure(config):
    """Draw the run's seed once, in the controller: xdist hands its options to the workers."""
    wanted = config.getoption("nnref_impl", None) and not hasattr(config, "workerinput")
    if wanted and config.getoption("nnref_seed", None) is None:
        config.option.nnref_seed = secrets.randbelow(2**31)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Append the suite's items before -k / -m deselection runs."""
    spec = config.getoption("nnref_impl", None)
    if not spec:
        return
    from nnref.conformance.plugins.pytest_items import suite_items  # only when asked for

    items.extend(suite_items(session, config, spec))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not config.getoption("nnref_impl", None):
        return
    from nnref.conformance.plugins.pytest_items import summary_lines

    seed = config.getoption("nnref_seed", None)
    terminalreporter.write_line(f"nnref: seed {seed} (--nnref-seed {seed} repeats this run)")
    for line in summary_lines(config):
        terminalreporter.write_line(line)
