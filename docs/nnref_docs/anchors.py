"""Heading ids of the English pages, recorded by the hooks as each page is built.

``ENGLISH[name]`` is the list of (level, id) of page ``name`` (``api`` for api.md), in order.
The Japanese pages are built after the English ones, so their hooks and generators read it.
"""

ENGLISH: dict[str, list[tuple[str, str]]] = {}
