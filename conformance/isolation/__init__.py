"""The judge runs apart from the code it judges: the implementation lives in child processes.

``nnref check`` (the *judge*) holds the vectors, the expected values, the
comparisons, the verdicts and the report, and never imports the
implementation. The implementation is imported and called only in children
(``worker``), and what crosses is plain data. So nothing it does at import or
call time (exiting, crashing, hanging, printing, patching nnref's modules or
builtins) can reach the judge's code or data.

Why ``subprocess`` and JSON lines, not ``multiprocessing``:

- ``multiprocessing`` moves data with pickle, and the project reads no pickle
  (a child's reply is data from code we do not trust). JSON keeps the boundary
  plain: numbers, lists, strings, dicts; arrays and tensors are turned into
  lists of floats in the child (``plain``), NaN and infinities travel as JSON's
  ``NaN``/``Infinity`` tokens.
- The protocol has its own pipe descriptors (``pass_fds``), not the child's
  stdin/stdout: fds 1 and 2 are files the judge made, emptied around each
  call, so whatever the implementation prints (or a crash dumps) is that
  call's captured output, never part of the protocol or of the report.
  Warnings are captured per call too.
- A child in its own session (``start_new_session``) does not get the user's
  Ctrl-C: the judge stops the run, prints the partial summary and exits 130.
- ``subprocess`` gives the exit status or the signal of a child that died,
  which names the early end ("exited with status 3", "killed by SIGSEGV").

Modules:

- ``plain``: results to plain data (bounded size), and ``first_change``, the
  check that a call left its arguments as they were (made for every call);
- ``worker``: the child's main loop;
- ``child``: one child process seen from the judge (spawn, send, receive with
  a timeout, how it ended);
- ``session``: the calls of a check, in batches, with a fresh child after an
  early end and the record of callables that timed out.

The hello message a child sends first says which protocol callables and
extras the object provides, their parameters, and its ``nnref_conventions``
attribute (plain data), for declared conventions. A call may carry
``"native": {"type": "numpy"|"torch"|"list", "dtype": "float64"|"float32"}``;
the child then converts the arguments with
``nnref.conformance.protocol.native.to_native`` before calling.
"""
