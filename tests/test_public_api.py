"""What ``import conformance`` offers: checking an implementation, a results file, gradcheck."""

from __future__ import annotations

import inspect
import subprocess
import sys

import conformance


def test_the_public_names_resolve_and_are_the_documented_ones():
    assert set(conformance.__all__) >= {
        "CheckOptions",
        "GradcheckOptions",
        "check_implementation",
        "check_results",
        "gradcheck",
    }
    for name in conformance.__all__:
        assert getattr(conformance, name) is not None
    assert conformance.CheckOptions is not conformance.GradcheckOptions


def test_an_unknown_name_is_an_attribute_error():
    try:
        conformance.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("conformance.no_such_thing resolved")


def test_gradcheck_is_callable_from_the_top_level_whatever_was_imported_first():
    """``conformance.gradcheck`` is also a subpackage; both spellings call the checker."""
    import conformance.gradcheck as package
    from conformance import gradcheck

    for fn in (gradcheck, package, conformance.gradcheck):
        result = fn(lambda x: x[0] * x[0], [3.0], [6.0])
        assert result.passed


def test_gradcheck_names_its_keyword_options_in_its_signature():
    params = inspect.signature(conformance.gradcheck).parameters
    keywords = [p for p in params.values() if p.kind is p.KEYWORD_ONLY]
    assert {"atol", "rtol", "method", "fast", "seed"} <= {p.name for p in keywords}
    assert not any(p.kind is p.VAR_KEYWORD for p in params.values())


def test_importing_conformance_loads_neither_numpy_nor_the_runner():
    code = (
        "import sys, conformance;print('numpy' in sys.modules, 'conformance.runner' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_report_from_the_top_level_api():
    options = conformance.CheckOptions(only=["W1_1"], properties=False)
    report = conformance.check_implementation(None, options)
    assert report.exit_status() == 0 and report.results[0].status == "PASS"
