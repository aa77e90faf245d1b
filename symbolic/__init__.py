"""nnref's second oracle: the tutorial's formulas derived and proven with SymPy.

API (small and stable; the docs site and ``nnref derive`` use only this):

- ``nnref.symbolic.registry.all_derivations()`` -> list of :class:`Derivation`, in order;
  ``registry.get(name)``, ``registry.names()``, ``registry.close_matches(name)``.
- ``Derivation``: ``name``, ``title``, ``clauses`` (SPEC ids, e.g. ``("S6", "E5")``),
  ``assumptions``, ``steps`` (each :class:`Step`: ``lhs``, ``relation``, ``rhs``,
  ``note``, ``given``), ``id`` (``"S6-sigmoid_derivative"``), ``verify()`` ->
  :class:`VerifyResult` (``ok``, ``status``, per-step ``steps[i].status`` /
  ``method`` / ``message``), ``with_step(label, rhs=...)`` (a mutated copy).
- ``nnref.symbolic.render.markdown(derivation, result=None)`` -> Markdown page with
  ``$$...$$`` LaTeX blocks, clauses, assumptions and proof status (verifies if no
  result is given); ``render.text(d, result, latex=False)``; ``render.to_dict(d, result)``;
  ``render.step_latex(step, d)``.
- ``nnref.symbolic.gradients.gradients(layers, x, t, loss, relu_grad_at_zero=1)`` ->
  :class:`ExactGradients` (``loss``, ``grads`` as SymPy matrices, ``floats()`` in the
  protocol's list form, ``simplified()``); raises ``SymbolicSizeError`` past
  ``nnref.symbolic.network.MAX_PARAMS`` parameters (use finite differences there).
- ``nnref.symbolic.tutorial``: ``TUTORIAL_LAYERS``, ``TUTORIAL_X``, ``TUTORIAL_T``,
  ``tutorial_gradients()`` (closed forms in e).

Every step is proven exactly (see :mod:`nnref.symbolic.prove`); no step is accepted on
a numeric spot check.
"""

from nnref.symbolic import core

__all__ = ["Derivation", "Step", "StepResult", "VerifyResult"]


def __getattr__(name: str):
    """``symbolic.Derivation`` etc., imported on first use: importing ``nnref.symbolic.cli``
    (to build the ``nnref`` parser) must not load SymPy."""
    if name in __all__:
        return getattr(core, name)
    raise AttributeError(f"module 'symbolic' has no attribute {name!r}")
