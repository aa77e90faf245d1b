"""The report of a check: its data and its text and JSON forms (data)."""
