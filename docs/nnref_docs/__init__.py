"""Build-time generation for the nnref documentation site.

MkDocs loads ``docs/nnref_docs/hooks.py`` (``hooks:`` in mkdocs.yml). The hooks
call into this package, which computes everything the pages show from the
project's own code at build time:

- ``katex``: copies the KaTeX renderer (installed by ``npm ci --prefix docs``)
  into the site, so math renders offline;
- ``markers``: expands ``<!-- nnref:NAME -->`` lines in hand-written pages
  into tables and text computed by ``reference``, ``symbolic`` and
  ``conformance``, in the page's language;
- ``derivations``: writes one page per derivation group from ``symbolic``'s
  registry, and fails the build when a derivation does not verify;
- ``figures``: redraws the tutorial's figures with matplotlib.

Generated files go to ``docs/generated/`` (gitignored). Anything missing makes
the build fail with a message naming it: nothing is silently skipped.
"""
