"""What ``import nnref`` offers: checking an implementation or a results file, gradcheck, the
options, the report, the errors and the version."""

from __future__ import annotations

import inspect
import subprocess
import sys

import nnref

DOCUMENTED = {
    "__version__",
    "check",
    "check_results",
    "gradcheck",
    "CheckOptions",
    "GradcheckOptions",
    "GradcheckResult",
    "Report",
    "NnrefError",
    "InputError",
    "ImplementationSpecError",
    "ResultsFileError",
    "VectorsError",
    "GradcheckInputError",
}


def test_the_public_names_resolve_and_are_the_documented_ones():
    assert set(nnref.__all__) == DOCUMENTED
    for name in nnref.__all__:
        assert getattr(nnref, name) is not None
    assert nnref.CheckOptions is not nnref.GradcheckOptions


def test_the_errors_share_one_base():
    for name in ("InputError", "ImplementationSpecError", "ResultsFileError", "VectorsError"):
        assert issubclass(getattr(nnref, name), nnref.NnrefError)
    assert issubclass(nnref.GradcheckInputError, ValueError)


def test_an_unknown_name_is_an_attribute_error():
    try:
        nnref.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("nnref.no_such_thing resolved")


def test_gradcheck_is_a_function_with_its_keywords_in_its_signature():
    assert inspect.isfunction(nnref.gradcheck)
    assert nnref.gradcheck(lambda x: x[0] * x[0], [3.0], [6.0]).passed
    params = inspect.signature(nnref.gradcheck).parameters
    keywords = [p for p in params.values() if p.kind is p.KEYWORD_ONLY]
    assert {"atol", "rtol", "method", "fast", "seed"} <= {p.name for p in keywords}
    assert not any(p.kind is p.VAR_KEYWORD for p in params.values())


def test_importing_nnref_loads_neither_numpy_nor_the_pipeline():
    code = (
        "import sys, nnref, nnref.conformance; "
        "print('numpy' in sys.modules, 'nnref.conformance.check.pipeline' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_report_from_the_top_level_api():
    options = nnref.CheckOptions(only=["W1_1"], properties=False)
    report = nnref.check(None, options)
    assert report.exit_status() == 0 and report.results[0].status == "PASS"
