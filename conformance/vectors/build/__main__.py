import sys

from nnref.conformance.vectors.build.generate import main

sys.exit(main())
