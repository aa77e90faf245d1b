"""The tutorial as data: language-neutral JSON test vectors, their schema and their generator.

Files (shipped inside the package):

- ``tutorial.json``: every worked example of the spec and the whole tutorial network.
- ``generated.json``: a seeded sweep of every protocol operation and its edge cases.
- ``schema.json``: the JSON Schema (draft 2020-12) both files follow.
- ``results.schema.json``: the JSON Schema of a results file (``nnref check --results``).
- ``FORMAT.md``: the vectors and the results format, for users in other languages.

``python -m nnref.conformance.vectors.build`` rewrites the two vector files from
the reference (checked against an exact mpmath oracle); the same seed gives the
same bytes.
"""

from __future__ import annotations

from pathlib import Path

#: Version of the vector-file and results-file formats; readers reject any other.
SCHEMA_VERSION = 1

#: The directory holding the JSON files.
DIRECTORY = Path(__file__).resolve().parent

#: The vector sets, in the order the runner runs them.
SETS = ("tutorial", "generated")

#: The seed of the generated set.
SEED = 20261128

#: What each flag on a case means (Wycheproof style: flags say what a case is for).
FLAGS = {
    "tutorial": "a worked example of the tutorial (SPEC W*/D_*)",
    "figure_only": "the example's inputs are only in a figure; its printed answer is used",
    "erratum": "the tutorial printed a different value; see the case's erratum id",
    "data_only": "checks data the tutorial defines (S4 encoding); optional callable",
    "random": "seeded random inputs",
    "sign": "checks the sign convention of the threshold (u = xW - b)",
    "step_at_zero": "step at exactly 0 (S5: step(0) = 1)",
    "relu_at_zero": "a ReLU pre-activation is exactly 0; ReLU'(0) decides the answer (S8)",
    "extreme": "inputs around +-1000: naive exp overflows or underflows",
    "zero_probability": "y_k = 0 where t_k = 0 (the term is 0)",
    "small_probability": "a small y_k where t_k = 1: a clip or an epsilon in ln y changes E",
    "unnormalised": "outputs that do not sum to 1 (sigmoid outputs): E must not renormalise y",
    "deep": "a network of three or more layers",
    "vanishing": "a deep sigmoid stack (S21)",
    "defaults": "Adam called without hyperparameters: the defaults of S23 apply",
    "adam_zero_grad": "an Adam step with a zero gradient (still a step, S23)",
    "trajectory": "several Adam steps in a row",
    "small_gradient": "Adam with gradients about as small as eps: eps's place and value matter",
    "known_uniforms": "Box-Muller at chosen uniforms",
    "must_reject": "the inputs lie outside the spec's domain: the implementation must raise",
    "zero_probability_true_class": "y_k = 0 where t_k = 1: +inf or a large stand-in, no error",
    "soft_teacher": "a teacher that is not one-hot (its entries need not sum to 1)",
    "saturated": "a sigmoid output whose y underflows to 0: the gradient must not vanish",
}


def path_of(name: str) -> Path:
    """The file of vector set ``name``."""
    return DIRECTORY / f"{name}.json"
