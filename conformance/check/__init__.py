"""Checking a source (an implementation in child processes, a results file, or the
in-process path) under options: the options (options), the one pipeline (pipeline), and results
files made elsewhere (results_file)."""
