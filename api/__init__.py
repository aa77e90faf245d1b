"""nnref: a verified neural-network reference, and a judge for anyone's implementation.

    import nnref

    report = nnref.check("mypkg.mynet", nnref.CheckOptions(quick=True))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

    report = nnref.check_results("results.json")   # results computed in another language
    result = nnref.gradcheck(f, x, grad)            # any gradient against finite differences

The three parts of the project are subpackages: ``nnref.reference`` (the network in
plain Python, standard library only), ``nnref.symbolic`` (SymPy derivations) and
``nnref.conformance`` (vectors, the judge, the gradient checker, the CLI and the pytest
plugin). The names below are imported on first use, so ``import nnref`` stays fast.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.2.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "check": "nnref.conformance.check.pipeline",
    "check_results": "nnref.conformance.check.pipeline",
    "CheckOptions": "nnref.conformance.check.options",
    "Report": "nnref.conformance.report.data",
    "gradcheck": "nnref.conformance.finitediff",
    "GradcheckOptions": "nnref.conformance.finitediff.settings",
    "GradcheckResult": "nnref.conformance.finitediff.result",
    "NnrefError": "nnref.conformance.errors",
    "InputError": "nnref.conformance.errors",
    "ImplementationSpecError": "nnref.conformance.errors",
    "ResultsFileError": "nnref.conformance.errors",
    "VectorsError": "nnref.conformance.errors",
    "GradcheckInputError": "nnref.conformance.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nnref' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
