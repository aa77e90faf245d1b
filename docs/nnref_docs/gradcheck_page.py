"""The gradient checker's page: its examples run at build time, their reports shown.

Marker: ``<!-- nnref:gradcheck_run NAME -->`` runs ``NAME()`` of
``nnref_docs.examples.gradcheck_demo`` and shows the report it prints; the
build fails when a correct example fails or a wrong one passes.
"""

from __future__ import annotations

from nnref_docs.errors import DocsBuildError
from nnref_docs.markers import generator

#: Example name -> the verdict it must reach.
EXPECTED = {
    "right": True,
    "wrong_bias_sign": False,
    "relu_kink": True,
    "fast_one_wrong_entry": False,
}


@generator("gradcheck_run")
def gradcheck_run(lang: str, arg: str | None) -> str:
    if arg not in EXPECTED:
        raise DocsBuildError(f"unknown gradcheck example {arg!r} (known: {', '.join(EXPECTED)})")
    result = _run(arg)
    if bool(result) != EXPECTED[arg]:
        raise DocsBuildError(f"gradcheck example {arg} gave {bool(result)}, not {EXPECTED[arg]}")
    return f"```text\n>>> print({arg}())\n{result}\n```"


_CACHE: dict[str, object] = {}


def _run(name: str):
    try:
        from nnref_docs.examples import gradcheck_demo
    except ImportError as exc:
        raise DocsBuildError(f"nnref.conformance.finitediff is not importable: {exc}") from exc

    if name not in _CACHE:
        _CACHE[name] = getattr(gradcheck_demo, name)()
    return _CACHE[name]
