"""The judge: statuses and case results (results), comparing a result with the expected
value (compare), a case's verdict from what came back (verdict), and what a failing call of the
implementation means to the property code (faults)."""
