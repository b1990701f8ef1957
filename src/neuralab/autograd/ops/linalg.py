"""Matrix products: ``a @ b`` (2-D, batched and 1-D, as NumPy) and the fused layer ``x @ W + b``."""

from __future__ import annotations

import numpy as np

from ..derivative import Local
from ..function import Op, quiet, unbroadcast


def _swap(m: np.ndarray) -> np.ndarray:
    """Transpose the last two axes (a view): the matrix transpose of every matrix in a batch."""
    return m.swapaxes(-1, -2)


def _product_locals(site, a, b) -> list[Local]:
    """The locals of Z = A @ B for 1-D and 2-D operands: dZ[r,c]/dA[r,q] = B[q,c] and
    dZ[r,c]/dB[q,c] = A[r,q] (a vector operand has no r, or no c)."""
    if a.ndim > 2 or b.ndim > 2 or not isinstance(a, np.ndarray):
        raise ValueError(
            "Local derivatives of a matrix product are written out for dense 1-D and 2-D "
            f"operands only; got shapes {site.in_shapes[0]} and {site.in_shapes[1]}."
        )
    rows = a.shape[0] if a.ndim == 2 else 1
    cols = b.shape[1] if b.ndim == 2 else 1

    def a_at(r, q):
        return (r, q) if a.ndim == 2 else (q,)

    def b_at(q, c):
        return (q, c) if b.ndim == 2 else (q,)

    def out(r, c):
        return (r,) * (a.ndim == 2) + (c,) * (b.ndim == 2)

    if site.wrt == 0:
        r, q = site.index if a.ndim == 2 else (0, site.index[0])
        return [Local(out(r, c), float(b[b_at(q, c)]), "{w}", {"w": (1, b_at(q, c))})
                for c in range(cols)]
    q, c = site.index if b.ndim == 2 else (site.index[0], 0)
    return [Local(out(r, c), float(a[a_at(r, q)]), "{x}", {"x": (0, a_at(r, q))})
            for r in range(rows)]


#: Linear's backward multiplies by a C-order copy of Wᵀ for weights of more than COPY_MIN and
#: at most COPY_MAX elements: the copy costs more than it saves outside (see Linear)
COPY_MIN, COPY_MAX = 64, 4096
#: from this many rows on, Linear's dL/db is a matrix-vector product (see Linear)
MANY_ROWS = 16


class MatMul(Op):
    """Z = A @ B;  dL/dA = dL/dZ @ Bᵀ,  dL/dB = Aᵀ @ dL/dZ.

    1-D operands are promoted as NumPy does (a vector on the left is a row, on the right a
    column) and the gradient is reshaped back; batch axes broadcast and are summed back.
    """

    name = "matmul"

    @staticmethod
    @quiet
    def forward(a, b):
        return a @ b, (a, b)

    @staticmethod
    def backward(saved, grad, needs):
        a, b = saved
        if a.ndim == 1 and b.ndim == 1:  # dot product: a scalar output
            return (grad * b if needs[0] else None, grad * a if needs[1] else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if needs[0]:
            grad_a = unbroadcast(g2 @ _swap(b2), a2.shape).reshape(a.shape)
        if needs[1]:
            grad_b = unbroadcast(_swap(a2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b

    @staticmethod
    def local(site):
        return _product_locals(site, *site.saved)


class Linear(Op):
    """The fully connected layer, fused: Z = X @ W + b.

    With X of shape (..., in), W of shape (in, out) and b of shape (out,)::

        dL/dX = dL/dZ @ Wᵀ      dL/dW = Xᵀ @ dL/dZ      dL/db = Σ_rows dL/dZ

    One op instead of matmul + add: the bias is added in place into the product (no second
    output array) and the backward needs no broadcasting bookkeeping. The products use
    ``np.dot``, which for a 2-D right operand is the same BLAS product as ``@`` but enters it
    with less dispatch work (about 2,000 instructions per product on small layers).

    Two products are arranged for OpenBLAS's small-matrix kernels, which multiply by a
    transposed C-order matrix more slowly than by a plain one: for a weight of 65 to 4,096
    elements dL/dX multiplies by a C-order copy of Wᵀ (64 x 64 weight, 64 rows: 5.0 µs with
    the copy instead of 7.2), and from 16 rows on dL/db is the product 1ᵀ dL/dZ instead of a
    reduction over rows (1.3 µs instead of 1.9; 128 x 256: 2.3 instead of 4.2). Both give
    the same sums up to float rounding.

    With ``out`` (see ``function.py``), dL/dW and dL/db are written into the given arrays: the
    replayed training step has them land in the flat gradient buffer of a ``ParameterPack``,
    with no copy.

    X may be a scipy.sparse matrix (a first layer on sparse features): X @ W and Xᵀ @ dL/dZ
    are then sparse-dense products, whose cost grows with X's nonzeros, and X is never
    densified.
    """

    name = "linear"
    accepts_out = True
    output_saved = False  # backward needs X and W only: a later op may overwrite Z

    @staticmethod
    def forward(x, weight, bias=None):
        if not isinstance(x, np.ndarray):  # sparse rows: the product is a dense ndarray
            out = np.asarray(x @ weight)
        else:
            out = np.dot(x, weight) if x.ndim <= 2 else x @ weight  # np.dot: BLAS for 2-D only
        if bias is not None:
            out += bias
        return out, (x, weight)

    @staticmethod
    def backward(saved, grad, needs, out=(None, None, None)):
        x, weight = saved
        if not needs[0]:
            grad_x = None
        elif grad.ndim > 2:
            grad_x = grad @ weight.T
        else:  # Wᵀ in C order for mid-sized weights: see the class docstring
            grad_x = np.dot(grad, weight.T.copy() if COPY_MIN < weight.size <= COPY_MAX
                            else weight.T)
        if grad.ndim != 2:  # batched or single inputs: treat every row alike
            x, grad = x.reshape(-1, x.shape[-1]), grad.reshape(-1, grad.shape[-1])
        if not needs[1]:
            grad_w = None
        elif isinstance(x, np.ndarray):
            grad_w = np.dot(x.T, grad, out=out[1])
        else:  # sparse x: Xᵀ @ dL/dZ is a dense array, copied into out when one is given
            grad_w = np.asarray(x.T @ grad)
            if out[1] is not None:
                np.copyto(out[1], grad_w)
                grad_w = out[1]
        if len(needs) == 2:
            return grad_x, grad_w
        if not needs[2]:
            grad_b = None
        elif len(grad) < MANY_ROWS:
            grad_b = np.add.reduce(grad, axis=0, out=out[2])
        else:  # 1ᵀ dL/dZ: one BLAS matrix-vector product (see the class docstring)
            grad_b = np.dot(np.ones(len(grad), grad.dtype), grad, out=out[2])
        return grad_x, grad_w, grad_b

    @staticmethod
    def local(site):
        if site.wrt == 2:  # the bias: dz_j/db_j = 1 in every row
            return site.constant(1.0, "1")
        return _product_locals(site, *site.saved)
