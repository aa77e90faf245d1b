"""The reference, recording what its process was given (argv, environment) to a file."""

import json
import os
import sys

from nnref.reference import *  # noqa: F403

with open(os.environ["NNREF_TEST_SEEN"], "a", encoding="utf-8") as _fh:
    _fh.write(json.dumps({"argv": sys.argv, "env": dict(os.environ)}) + "\n")
