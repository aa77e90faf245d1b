"""nnref's conformance suite: the tutorial as data, and checkers for anyone's implementation.

What users call::

    from conformance import CheckOptions, check_implementation, check_results, gradcheck

    report = check_implementation("mypkg.mynet", CheckOptions(quick=True))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

    report = check_results("results.json")          # results computed in another language
    result = gradcheck(f, x, grad)                  # any gradient against central differences
    print(result)

``check_implementation`` runs the implementation in child processes (the judge never imports
it); ``gradcheck`` runs in this process, on the function you hand it.

Subpackages: ``runner`` (the judge: cases, comparison, verdicts, report), ``isolation`` (the
child processes), ``gradcheck``, ``variants`` and ``conventions`` (declared conventions,
known mistakes, diagnosis), ``vectors`` (the spec as JSON), ``spec`` (the specification
text), ``cli`` (the ``nnref`` command), ``pytest_plugin``.

The names are imported on first use, so ``import conformance`` (and ``nnref --help``) stays
fast.
"""

from __future__ import annotations

from importlib import import_module

#: Public name -> the module that defines it.
_EXPORTS = {
    "CheckOptions": "conformance.runner.model",
    "Report": "conformance.runner.report",
    "check_implementation": "conformance.runner",
    "check_results": "conformance.runner",
    "GradcheckOptions": "conformance.gradcheck.options",
    "GradcheckResult": "conformance.gradcheck.result",
    "gradcheck": "conformance.gradcheck",
    "NnrefError": "conformance.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'conformance' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
