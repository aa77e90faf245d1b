"""A module whose import fails: a typo-like NameError at import time."""

from reference import *  # noqa: F403

WEIGHTS = undefined_name  # noqa: F405
