"""Which vectors and tests check each spec clause: the packaged index of test markers
(index) and the listing behind `nnref coverage` (listing)."""
