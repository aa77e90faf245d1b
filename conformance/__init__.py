"""nnref's conformance suite: the tutorial as data, and a judge for anyone's implementation.

The public API is the top-level package, ``nnref`` (``nnref.check``, ``nnref.check_results``,
``nnref.gradcheck``, ``nnref.CheckOptions``, ``nnref.Report``, the errors). Here are its parts,
each a subpackage, from the bottom up (a package imports only those listed before it):

- ``errors``: every error nnref raises on purpose;
- ``spec``: the specification's text and its clause ids;
- ``protocol``: the vocabulary (callables, activations, losses), the operations, plain data;
- ``vectors``: the vector files, loading them, and ``build`` (the generator);
- ``judge``: statuses, case results, comparison, a case's verdict;
- ``variants``: conventions, the catalogue of known variants, and diagnosis;
- ``isolation``: the child processes that import and call the implementation;
- ``properties``: the hypothesis property checks;
- ``finitediff``: the gradient checker (``gradcheck``);
- ``report``: a check's report and its forms;
- ``check``: options and the one pipeline every entry point uses;
- ``coverage``, ``plugins`` (pytest), ``cli`` (the ``nnref`` command);
- ``adapters`` (example implementations) and ``casebank`` (functions with known derivatives).
"""
