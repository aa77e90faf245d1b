"""Import every module that registers a marker generator, so all markers are known."""

from nnref_docs import (  # noqa: F401
    api_page,
    bench_page,
    bench_results,
    checking,
    coverage_page,
    derivations,
    errata,
    figures,
    gradcheck_page,
    network_svg,
    project,
    spec_page,
    variants_page,
    walkthrough,
    worked,
)
