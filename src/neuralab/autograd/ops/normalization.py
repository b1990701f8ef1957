"""Batch normalisation as one fused op: forward and its closed-form backward side by side."""

from __future__ import annotations

import numpy as np

from ..function import Op, quiet


class BatchNorm(Op):
    """Batch normalisation of x of shape (N, C), per feature (column) j:

        μ_j = (1/N) Σ_i x_ij          σ²_j = (1/N) Σ_i (x_ij - μ_j)²      (biased variance)
        x̂_ij = (x_ij - μ_j) / sqrt(σ²_j + ε)
        y_ij = γ_j x̂_ij + β_j

    With g = dL/dy, s_j = 1 / sqrt(σ²_j + ε) and means over the batch (axis 0)::

        dL/dβ = Σ_i g_ij        dL/dγ = Σ_i g_ij x̂_ij
        dL/dx = γ s (g - mean_i(g) - x̂ mean_i(g x̂))          (training: μ, σ² depend on x)
        dL/dx = γ s g                                           (evaluation: μ, σ² constants)

    The training formula is the chain rule through μ and σ² collapsed into one line: the
    gradient loses its batch mean and its component along x̂, because y does not change when x
    is shifted or scaled as a whole. One op instead of ~10 elementwise ones: two N×C arrays are
    allocated in forward and backward, and nothing but x̂ and s is kept for backward.

    Inputs: x, and optionally γ and β (shape (C,); both or neither). Parameters:
    ``training`` (use batch statistics, else ``running_mean``/``running_var``), ``eps`` and,
    in training, ``running_mean``/``running_var`` (arrays updated in place, or None) with
    ``momentum`` m: running = (1 - m) running + m batch, where the batch variance folded into
    ``running_var`` is the unbiased one, σ² N / (N - 1) (as PyTorch does).
    """

    name = "batch_norm"

    @staticmethod
    @quiet
    def forward(x, weight=None, bias=None, *, training, eps, momentum=0.1,
                running_mean=None, running_var=None):
        if training:
            mean = x.mean(axis=0)
            centered = x - mean
            scratch = np.multiply(centered, centered)
            var = scratch.mean(axis=0)
            if running_mean is not None:
                n = x.shape[0]
                running_mean *= 1 - momentum
                running_mean += momentum * mean
                running_var *= 1 - momentum
                running_var += (momentum * n / (n - 1)) * var
        else:
            centered = x - running_mean
            scratch = np.empty_like(centered)
            var = running_var
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = np.multiply(centered, inv_std, out=centered)
        out = scratch  # the output reuses the scratch array: y = γ x̂ + β, or x̂ without γ, β
        if weight is None:
            np.copyto(out, x_hat)
        else:
            np.multiply(x_hat, weight, out=out)
            out += bias
        return out, (x_hat, inv_std, weight, training)

    @staticmethod
    def backward(saved, grad, needs):
        x_hat, inv_std, weight, training = saved
        grad_sum = grad.sum(axis=0)
        grad_dot_xhat = np.einsum("ij,ij->j", grad, x_hat)
        grads = [None, grad_dot_xhat, grad_sum][: len(needs)]
        if needs[0]:
            scale = inv_std if weight is None else weight * inv_std
            if training:
                n = grad.shape[0]
                grad_x = np.multiply(x_hat, -grad_dot_xhat / n)
                grad_x += grad
                grad_x -= grad_sum / n
                grad_x *= scale
            else:
                grad_x = grad * scale
            grads[0] = grad_x
        return tuple(grads)

    @staticmethod
    def local(site):
        """In evaluation mode y = γ x̂ + β element by element, with μ and σ² constants:
        dy/dx = γ s, dy/dγ = x̂, dy/dβ = 1. In training every output of a column depends on
        every input of it through μ and σ², which a chain of single factors cannot show."""
        x_hat, inv_std, weight, training = site.saved
        if training:
            raise ValueError(
                "The local derivatives of batch normalization in training mode couple every "
                "sample of the batch; trace the model in evaluation mode (model.eval())."
            )
        if site.wrt == 0:
            scale = inv_std if weight is None else weight * inv_std
            return site.elementwise(scale, "1/√(σ²+ε)" if weight is None else "γ/√(σ²+ε)")
        if site.wrt == 1:
            return site.elementwise(x_hat, "x̂")
        return site.constant(1.0, "1")
