"""A one-line progress display while training: epoch, loss, accuracy.

It rewrites one line of a terminal with a carriage return; when the stream
is not a terminal (a pipe, a file, a test) it prints nothing at all.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Call ``update(...)`` after each epoch and ``close()`` at the end."""

    def __init__(self, epochs: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.epochs = epochs
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = enabled if enabled is not None else bool(isatty and isatty())
        self._shown = False

    def update(self, entry: dict) -> None:
        """Show one epoch's entry of the training history (epoch, loss, accuracies, seconds)."""
        if not self.enabled:
            return
        line = (
            f"epoch {entry['epoch']:>{len(str(self.epochs))}}/{self.epochs}  "
            f"loss {entry['loss']:.4f}  train accuracy {100 * entry['train_accuracy']:5.1f}%  "
            f"test accuracy {100 * entry['test_accuracy']:5.1f}%  {entry['seconds']:.2f} s"
        )
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
