"""Property checks drawn by hypothesis in the judge: the properties (suite) and how
they are run outside pytest (runner)."""
