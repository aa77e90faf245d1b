"""The reference, with an alarm set at import: SIGALRM kills each child 2 s after it starts."""

import signal

from nnref.reference import *  # noqa: F403

signal.alarm(2)
