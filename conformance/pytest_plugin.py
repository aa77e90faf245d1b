"""pytest plugin: run nnref's conformance suite against an implementation.

``pytest --nnref-impl pkg.module:attr`` (see ``conformance.runner``).
"""


def pytest_addoption(parser):
    group = parser.getgroup("nnref")
    group.addoption(
        "--nnref-impl",
        default=None,
        metavar="IMPL",
        help="run nnref's conformance vectors against this implementation (pkg.module:attr)",
    )
