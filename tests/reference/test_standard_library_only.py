"""The reference needs nothing but Python: every module of ``nnref.reference`` imports, and
a network trains and plots, with numpy, sympy, matplotlib and the other libraries nnref's
other parts use made unimportable (the tutorial's promise: no numpy needed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("numpy", "sympy", "mpmath", "matplotlib", "hypothesis", "jsonschema", "torch", "jax")

PROGRAM = textwrap.dedent(
    f"""
    import importlib, pkgutil, sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {BLOCKED!r}:
                raise ImportError(f"{{name}} is blocked: the reference must not need it")
            return None

    sys.meta_path.insert(0, Blocker())
    import nnref.reference as r

    names = [m.name for m in pkgutil.walk_packages(r.__path__, "nnref.reference.")]
    for name in names:
        importlib.import_module(name)
    from nnref.reference.training.plot import training_svg

    layers = r.init_layers([2, 3, 2], ["relu", "softmax"], __import__("random").Random(0))
    grads = r.gradients(layers, [0.5, -1.0], [1.0, 0.0], "cross_entropy")
    history = [{{"epoch": 1, "loss": 0.7, "train_accuracy": 0.5, "test_accuracy": 0.5}}]
    assert training_svg(history, 0.5, "t").startswith("<svg")
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r})
    print(len(names), len(grads), leaked)
    """
)


def test_every_reference_module_imports_and_a_network_trains_without_any_library():
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    count, layers, leaked = done.stdout.split(maxsplit=2)
    assert int(count) >= 15 and layers == "2" and leaked.strip() == "[]", done.stdout
