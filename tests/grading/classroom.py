"""A folder of student submissions, each a directory holding ``net.py`` (the same file name
for all), for the tests of ``nnref check DIR... --entry net.py``.

Each ``net.py`` imports a sibling ``helpers.py`` whose contents differ per student, and
checks at import that it got its own: a child that imported another submission's
``helpers`` would fail to import.
"""

from __future__ import annotations

from pathlib import Path

_HEAD = """\
import helpers

assert helpers.OWNER == {owner!r}, "imported another submission's helpers"
"""

CORRECT = "from nnref.reference import *  # noqa: F403\n"

BODIES = {
    "alice": CORRECT,
    "bob": CORRECT,
    "carol": CORRECT,
    "dave": "from tests.conformance.impls import WRONG_BIAS_SIGN as _I\n"
    "from nnref.reference import *  # noqa: F403\n"
    "linear, forward, gradients = _I.linear, _I.forward, _I.gradients\n",
    "erin": "from nnref.conformance.variants.catalogue import BY_ID as _BY_ID\n"
    "from nnref.conformance.variants.replay import variant_fns as _fns\n"
    "globals().update({k: v for k, v in _fns(_BY_ID['hidden_delta_no_derivative'].knobs).items()"
    " if k in ('forward', 'gradients')})\n"
    "from nnref.reference import sigmoid, tanh, relu, step, identity, softmax, linear\n"
    "from nnref.reference import squared_error, cross_entropy, sgd_step, adam_step, box_muller\n",
    "frank": "import torchh  # a typo\n",
    "grace": "import os\nfrom nnref.reference import *  # noqa: F403\n\n\n"
    "def adam_step(*args, **kwargs):\n    os._exit(3)\n",
    "heidi": "import time\nfrom nnref.reference import *  # noqa: F403\n\n\n"
    "def tanh(u):\n    time.sleep(1000)\n",
    # just under the timeout on every call: only a budget stops it
    "ivy": "import time\nfrom nnref.reference import *  # noqa: F403\n"
    "from nnref.reference import sigmoid as _sigmoid\n\n\n"
    "def sigmoid(u):\n    time.sleep(0.8)\n    return _sigmoid(u)\n",
}

CONFORMANT = ("alice", "bob", "carol")


def make_class(root: Path, names=tuple(BODIES)) -> list[str]:
    """Write the submissions under ``root``; their folders, in the order given."""
    folders = []
    for name in names:
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "helpers.py").write_text(f"OWNER = {name!r}\n", encoding="utf-8")
        (folder / "net.py").write_text(_HEAD.format(owner=name) + BODIES[name], encoding="utf-8")
        folders.append(str(folder))
    return folders
