"""pytest plugins: `--nnref-impl` (pytest_plugin, pytest_items) and the spec markers
(clause_markers)."""
