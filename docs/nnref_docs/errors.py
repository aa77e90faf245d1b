"""The one error the docs build raises: a clear, one-line reason to stop."""

from mkdocs.exceptions import PluginError


class DocsBuildError(PluginError):
    """Raised when a page cannot be generated; ``mkdocs build`` prints it and exits 1."""
