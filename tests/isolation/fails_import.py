"""A module whose import fails: a typo-like NameError at import time."""

from nnref.reference import *  # noqa: F403

WEIGHTS = undefined_name  # noqa: F405
