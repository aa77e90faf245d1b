"""The protocol between nnref and an implementation: its vocabulary (names), how each
operation is called and read (operations), and the plain data that crosses a process (plain)."""
