"""A module providing none of the protocol."""

GREETING = "hello"
