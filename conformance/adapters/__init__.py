"""Example adapters: real implementations of the nnref protocol, checked in CI.

- ``numpy_impl``: an independent, vectorized numpy implementation (conformant).
- ``torch_impl``: PyTorch math, autograd gradients (ReLU'(0) = 0: ``--relu-grad-at-zero 0``).
- ``jax_impl``: jax.numpy math, ``jax.grad`` and ``jax.vjp`` gradients (ReLU'(0) = 0 as well).

Each is a worked example of how to write your own adapter; see ``README.md`` here.
Nothing is imported from this package eagerly, so torch and jax stay optional.
"""
