"""PyTorch ``nn.Sequential`` networks to neuralab and back, layer by layer.

Both directions translate the same layers: Linear (PyTorch stores W transposed, (out, in);
neuralab (in, out)), Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Identity, BatchNorm1d (its
running statistics included) and Dropout, inside (nested) Sequential containers. The training
mode is carried over. Step has no PyTorch layer, so a network using it stays in neuralab.
"""

from __future__ import annotations

import numpy as np

from .._optional import require


def _torch():
    return require("torch", install="torch", purpose="PyTorch interop (from_torch / to_torch)")


def _numpy(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().copy()


def _dtype_of(module) -> str:
    """"float64" if the PyTorch module's parameters are, else "float32"."""
    torch = _torch()
    params = list(module.parameters()) + list(module.buffers())
    floats = [p for p in params if p.is_floating_point()]
    return "float64" if floats and floats[0].dtype == torch.float64 else "float32"


def _layer_from_torch(layer, where: str):
    from .. import nn

    torch_nn = _torch().nn
    if isinstance(layer, torch_nn.Sequential):
        return nn.Sequential(*[_layer_from_torch(child, f"{where}{index}.")
                               for index, child in enumerate(layer)])
    if isinstance(layer, torch_nn.Linear):
        ours = nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None,
                         init="zeros", dtype=_dtype_of(layer))
        ours.weight.data[...] = _numpy(layer.weight).T
        if layer.bias is not None:
            ours.bias.data[...] = _numpy(layer.bias)
        return ours
    if isinstance(layer, torch_nn.BatchNorm1d):
        if not layer.track_running_stats or layer.momentum is None:
            raise TypeError(
                f"Layer {where.rstrip('.')!r}: a BatchNorm1d without running statistics "
                "(track_running_stats=False) or with a cumulative average (momentum=None) has "
                "no neuralab equivalent."
            )
        ours = nn.BatchNorm1d(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                              affine=layer.affine)
        if layer.affine:
            ours.weight.data[...] = _numpy(layer.weight)
            ours.bias.data[...] = _numpy(layer.bias)
        ours.running_mean[...] = _numpy(layer.running_mean)
        ours.running_var[...] = _numpy(layer.running_var)
        return ours
    simple = {torch_nn.Sigmoid: nn.Sigmoid, torch_nn.Tanh: nn.Tanh, torch_nn.ReLU: nn.ReLU,
              torch_nn.Identity: nn.Identity}
    if type(layer) in simple:
        return simple[type(layer)]()
    if isinstance(layer, torch_nn.LeakyReLU):
        return nn.LeakyReLU(layer.negative_slope)
    if isinstance(layer, torch_nn.Softmax) and layer.dim is not None:
        return nn.Softmax(axis=layer.dim)
    if isinstance(layer, torch_nn.Dropout):
        return nn.Dropout(layer.p)
    raise TypeError(
        f"from_torch cannot translate layer {where.rstrip('.') or 'model'!r}, a "
        f"{type(layer).__name__}. It translates Sequential, Linear, Sigmoid, Tanh, ReLU, "
        "LeakyReLU, Softmax (with dim), Identity, BatchNorm1d and Dropout."
    )


def from_torch(module):
    """The neuralab network of a PyTorch ``nn.Sequential`` (or single layer), same weights.

    Parameters
    ----------
    module : torch.nn.Module
        A Sequential of the layers listed in the module docstring, or one such layer.

    Returns
    -------
    neuralab.nn.Sequential (or the one layer), in the training mode of ``module``, with its
    dtype (float32 or float64): ``ours(x)`` equals ``module(x)``.

    Raises
    ------
    TypeError
        Naming the first layer that has no neuralab equivalent.

    Examples
    --------
    >>> torch_net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
    ...                                 torch.nn.Linear(8, 1))
    >>> net = nl.interop.from_torch(torch_net)
    """
    from .._config import config

    torch_nn = _torch().nn
    if not isinstance(module, torch_nn.Module):
        raise TypeError(f"from_torch takes a torch.nn.Module. Got {type(module).__name__}.")
    with config(dtype=_dtype_of(module)):
        ours = _layer_from_torch(module, "")
    return ours.train(module.training)


def _tensor(array: np.ndarray):
    return _torch().from_numpy(np.ascontiguousarray(array).copy())


def _layer_to_torch(layer, where: str):
    from .. import nn

    torch = _torch()
    if isinstance(layer, nn.Sequential):
        return torch.nn.Sequential(*[_layer_to_torch(child, f"{where}{index}.")
                                     for index, child in enumerate(layer)])
    if isinstance(layer, nn.Linear):
        weight = layer.weight.data
        theirs = torch.nn.Linear(layer.in_features, layer.out_features,
                                 bias=layer.bias is not None, dtype=_tensor(weight).dtype)
        with torch.no_grad():
            theirs.weight.copy_(_tensor(weight.T))
            if layer.bias is not None:
                theirs.bias.copy_(_tensor(layer.bias.data))
        return theirs
    if isinstance(layer, nn.BatchNorm1d):
        theirs = torch.nn.BatchNorm1d(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                                      affine=layer.affine,
                                      dtype=_tensor(layer.running_mean).dtype)
        with torch.no_grad():
            if layer.affine:
                theirs.weight.copy_(_tensor(layer.weight.data))
                theirs.bias.copy_(_tensor(layer.bias.data))
            theirs.running_mean.copy_(_tensor(layer.running_mean))
            theirs.running_var.copy_(_tensor(layer.running_var))
        return theirs
    simple = {nn.Sigmoid: torch.nn.Sigmoid, nn.Tanh: torch.nn.Tanh, nn.ReLU: torch.nn.ReLU,
              nn.Identity: torch.nn.Identity}
    if type(layer) in simple:
        return simple[type(layer)]()
    if isinstance(layer, nn.LeakyReLU):
        return torch.nn.LeakyReLU(layer.alpha)
    if isinstance(layer, nn.Softmax):
        return torch.nn.Softmax(dim=layer.axis)
    if isinstance(layer, nn.Dropout):
        return torch.nn.Dropout(layer.p)
    raise TypeError(
        f"to_torch cannot translate layer {where.rstrip('.') or 'model'!r}, a "
        f"{type(layer).__name__}: PyTorch has no such layer. It translates Sequential, MLP, "
        "Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Identity, BatchNorm1d and Dropout."
    )


def to_torch(model):
    """A PyTorch ``nn.Sequential`` (or single layer) computing what ``model`` computes.

    Parameters
    ----------
    model : neuralab.nn.Module
        A Sequential or MLP of the layers listed in the module docstring, or one such layer.

    Returns
    -------
    torch.nn.Module with the same weights, dtype and training mode.

    Raises
    ------
    TypeError
        Naming the first layer that PyTorch has no equivalent for (Step, custom modules).
    """
    from ..nn import Module

    if not isinstance(model, Module):
        raise TypeError(f"to_torch takes a neuralab nn.Module. Got {type(model).__name__}.")
    return _layer_to_torch(model, "").train(model.training)
