import sys

from nnref.conformance.cli import main

sys.exit(main())
