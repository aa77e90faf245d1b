"""``python -m nnref``: the ``nnref`` command."""

import sys

from nnref.conformance.cli import main

if __name__ == "__main__":
    sys.exit(main())
