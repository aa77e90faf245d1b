"""Real float32 framework code: the torch and JAX example adapters computing in float32.

- torch: ``torch.set_default_dtype(torch.float32)``, then a fresh copy of the torch
  adapter whose tensors take the default dtype (as code that never names a dtype does).
- JAX: a fresh copy of the JAX adapter in a process where x64 stays off, JAX's default:
  the copy's float64 arrays are float32 there, as every JAX array is.

Each is an implementation for ``nnref check`` (run in its child process); neither
changes the adapters themselves.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType


def _copy(module_name: str, path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_float32() -> ModuleType:
    import torch

    from nnref.conformance.adapters import torch_impl

    torch.set_default_dtype(torch.float32)
    module = _copy("torch_impl_float32", torch_impl.__file__)
    module.DTYPE = torch.get_default_dtype()
    module.TINY = torch.finfo(module.DTYPE).tiny
    return module


def jax_float32() -> ModuleType:
    """The JAX adapter with x64 turned back off after its import turned it on."""
    import jax

    from nnref.conformance.adapters import jax_impl

    module = _copy("jax_impl_float32", jax_impl.__file__)
    jax.config.update("jax_enable_x64", False)
    module.DTYPE = jax.numpy.float32
    module.TINY = float(jax.numpy.finfo(jax.numpy.float32).tiny)
    return module


def __getattr__(name: str):
    if name == "TORCH":
        return torch_float32()
    if name == "JAX":
        return jax_float32()
    raise AttributeError(name)
