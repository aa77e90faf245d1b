"""The reference, whose import works once: every later import raises (a marker file says so)."""

import os
import tempfile

from nnref.reference import *  # noqa: F403

_MARKER = os.environ.get("NNREF_TEST_IMPORT_MARKER") or os.path.join(
    tempfile.gettempdir(), "nnref-second-import-marker"
)
if os.path.exists(_MARKER):
    raise RuntimeError("imported twice")
open(_MARKER, "w").close()


def tanh(u):
    os._exit(9)  # the child ends, so the judge must import the module again
