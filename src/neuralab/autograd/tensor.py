"""The Tensor: a NumPy array that remembers how it was computed (the walk back is backward.py).

Every operation on tensors that require gradients records a node: the op that made the result
(``t.op``), the tensors it came from (``t.parents``) and what the op saved for its backward.
``loss.backward()`` then runs three plain steps:

1. seed dL/dL = 1 at the root;
2. visit the nodes in reverse topological order (iteratively, so 10,000 chained ops are fine);
3. at each node, its op turns dL/d(its output) into dL/d(each input).

Gradients of leaves (parameters) *accumulate* into ``.grad`` across calls, as in PyTorch: call
``zero_grad()`` on the optimizer (or set ``.grad = None``) between steps.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from .. import _config
from .._config import FLOAT_DTYPES, GRAD_MODE, OPEN_NO_GRAD, STATE
from .backward import run_backward, unit_seed
from .function import Op, ShapeError
from .ops import activation as act
from .ops import elementwise as ew
from .ops import linalg, reduce
from .ops import shape as shape_ops

#: creation numbers: an op's output is always numbered after its inputs (see backward.run_backward)
_creation_order = itertools.count()


def apply(op: type[Op], *inputs: Tensor, **params) -> Tensor:
    """Run ``op`` forward on the inputs' arrays and, if any input requires grad, record the node.

    This is the single place where the graph is built: no op creates tensors itself.
    """
    # Ops with one to three inputs are nearly all calls; spelling them out avoids the two
    # comprehension frames of the general case (Python 3.11 runs each as a function call).
    if len(inputs) == 2:
        a, b = inputs
        arrays = (a.data, b.data)
        needs = (a.requires_grad, b.requires_grad)
    elif len(inputs) == 1:
        arrays = (inputs[0].data,)
        needs = (inputs[0].requires_grad,)
    elif len(inputs) == 3:  # linear: x, W, b
        a, b, c = inputs
        arrays = (a.data, b.data, c.data)
        needs = (a.requires_grad, b.requires_grad, c.requires_grad)
    else:
        arrays = tuple([t.data for t in inputs])
        needs = tuple([t.requires_grad for t in inputs])
    try:
        out, saved = op.forward(*arrays, **params)
    except ValueError as err:
        if not any(word in str(err) for word in ("broadcast", "mismatch", "align", "shape")):
            raise
        shapes = " and ".join(str(t.shape) for t in inputs)
        raise ShapeError(f"{op.name}: cannot combine tensors of shapes {shapes}: {err}") from None
    if type(out) is not np.ndarray:  # NumPy turns 0-d results into scalars
        out = np.asarray(out)
    result = Tensor.__new__(Tensor)
    result.data = out
    result.grad = None
    result.name = None
    result._retain = False
    result._seq = next(_creation_order)
    if True in needs and (not OPEN_NO_GRAD[0] or GRAD_MODE.enabled):
        result.requires_grad = True
        result._op = op
        result._params = params  # for replay.py: the graph can be run again on new arrays
        result._parents = inputs
        result._saved = saved
        result._needs = needs
    else:
        result.requires_grad = False
        result._op = None
        result._params = None
        result._parents = ()
        result._saved = None
        result._needs = ()
    return result


def _as_array(data, dtype=None) -> np.ndarray:
    """``data`` as an ndarray with neuralab's dtype rules.

    Floats -- Python floats and float arrays of any precision alike -- become the default float
    dtype (float32, see ``nl.config``) unless ``dtype`` says otherwise; integers and booleans keep
    their kind (labels, masks). A scipy.sparse matrix stays sparse (see :func:`_sparse_rows`).
    Anything else is refused.
    """
    if isinstance(data, Tensor):
        data = data.data
    if type(data).__module__.startswith("scipy.sparse"):
        return _sparse_rows(data, dtype)
    if dtype is not None:
        return np.asarray(data, dtype=_config.as_dtype(dtype))
    array = np.asarray(data)
    kind = array.dtype.kind
    if kind == "f":
        return array if array.dtype == STATE.default_dtype else array.astype(STATE.default_dtype)
    if kind in "iu":
        return array if array.dtype in (np.int32, np.int64) else array.astype(np.int64)
    if kind == "b":
        return array
    raise TypeError(
        f"Cannot make a tensor from data of dtype {array.dtype} ({type(data).__name__}). "
        "Pass numbers, lists of numbers or a numeric numpy array."
    )


def _sparse_rows(matrix, dtype=None):
    """A scipy.sparse matrix or array kept sparse, as CSR rows of a float dtype (the default
    one unless ``dtype`` says otherwise); no copy when it already is one.

    Sparse data is only ever the input x of a linear layer, whose op multiplies it without
    densifying (``ops/linalg.py``); every other op needs dense arrays.
    """
    target = STATE.default_dtype if dtype is None else _config.as_dtype(dtype)
    rows = matrix.tocsr()
    return rows if rows.dtype == target else rows.astype(target)


def tensor(data, requires_grad: bool = False, dtype=None, name: str | None = None) -> Tensor:
    """Create a tensor from a number, a (nested) list or a numpy array (copied).

    Parameters
    ----------
    data : number, sequence or ndarray
    requires_grad : bool
        Track operations on it so that ``backward()`` fills ``.grad`` (floating dtypes only).
    dtype : "float32", "float64", "int32", "int64", "bool" or a numpy dtype, optional
        Default: float32 for floating data (see ``nl.config``), int64 for integers.
    name : str, optional
        A label shown in graphs and traces, e.g. "w1".

    Examples
    --------
    >>> w = nl.tensor([[0.3], [0.6]], requires_grad=True, name="w")
    """
    array = _as_array(data, dtype)
    if array is data or (isinstance(data, Tensor) and array is data.data):
        array = array.copy()
    return Tensor(array, requires_grad=requires_grad, name=name)


def _lift(value, like: Tensor) -> Tensor:
    """Wrap a Python number or array met in an operation with ``like`` as a constant tensor.

    A raw number or float array adopts ``like``'s float dtype, so ``x32 * 0.5`` and
    ``x32 + np.ones(3)`` stay float32 (no silent upcast).
    """
    if isinstance(value, Tensor):
        return value
    if like.data.dtype.kind == "f":
        array = np.asarray(value)
        if array.dtype.kind in "fiub":
            array = array.astype(like.data.dtype, copy=False)
    else:
        array = _as_array(value)
    return Tensor(array)


class Tensor:
    """An n-dimensional array with automatic differentiation.

    Create tensors with :func:`neuralab.tensor` or the helpers (``zeros``, ``randn``, ...).

    Parameters
    ----------
    data : ndarray, number or (nested) sequence
        The values; an ndarray is used as it is (not copied), anything else is converted.
    requires_grad : bool
        Record operations on it for ``backward()`` (floating dtypes only).
    name : str, optional
        A label shown in graphs and traces.

    Attributes
    ----------
    data : ndarray
        The values.
    grad : ndarray or None
        dL/d(this tensor) after ``backward()``, same shape and dtype as ``data`` (leaves only,
        unless ``retain_grad()`` was called).
    requires_grad : bool
        Whether operations on it are recorded for backward.
    name : str or None
        A label for graphs and traces.
    op : str or None
        The name of the operation that produced it (None for leaves).
    parents : tuple of Tensor
        The inputs of that operation (empty for leaves).
    """

    __slots__ = (
        "_needs", "_op", "_params", "_parents", "_retain", "_saved", "_seq",
        "data", "grad", "name", "requires_grad",
    )
    # Make numpy defer to Tensor's operators: ``ndarray + Tensor`` calls Tensor.__radd__.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, name: str | None = None) -> None:
        array = data if isinstance(data, np.ndarray) else _as_array(data)
        if requires_grad and array.dtype not in FLOAT_DTYPES:
            raise TypeError(
                f"Only floating-point tensors can require gradients; this one has dtype "
                f"{array.dtype}. Create it with dtype='float32' or 'float64'."
            )
        self.data = array
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._op = None
        self._params = None
        self._parents = ()
        self._saved = None
        self._needs = ()
        self._retain = False
        self._seq = next(_creation_order)

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def op(self) -> str | None:
        """Name of the operation that made this tensor, or None for a leaf."""
        return self._op.name if self._op is not None else None

    @property
    def parents(self) -> tuple:
        """The tensors this one was computed from (empty for a leaf)."""
        return self._parents

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded operation (inputs, parameters)."""
        return self._op is None

    @property
    def T(self) -> Tensor:
        return self.transpose()

    # ------------------------------------------------------------------ conversion
    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element; this one has shape {self.shape}."
            )
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The underlying ndarray (shared, not copied)."""
        return self.data

    def tolist(self) -> list:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """A new leaf tensor sharing this one's data, cut off from the graph."""
        return Tensor(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (on a leaf) and return self."""
        if not self.is_leaf:
            raise RuntimeError(
                "requires_grad_() can only be set on leaf tensors; use detach() first."
            )
        if requires_grad and self.data.dtype not in FLOAT_DTYPES:
            raise TypeError(f"Only floating-point tensors can require gradients, not {self.dtype}.")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf tensor after backward (for inspection and teaching)."""
        self._retain = True
        return self

    def astype(self, dtype) -> Tensor:
        """A copy converted to ``dtype``; differentiable between float dtypes."""
        target = _config.as_dtype(dtype)
        if target == self.data.dtype:
            return self
        if target not in FLOAT_DTYPES:
            return Tensor(self.data.astype(target))
        return apply(ew.Cast, self, dtype=target)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extras = []
        if self.data.dtype != STATE.default_dtype and self.data.dtype.kind == "f":
            extras.append(f"dtype={self.data.dtype}")
        if self.name:
            extras.append(f"name={self.name!r}")
        if self._op is not None:
            extras.append(f"op={self._op.name!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other):
        return apply(ew.Add, self, _lift(other, self))

    def __radd__(self, other):
        return apply(ew.Add, _lift(other, self), self)

    def __sub__(self, other):
        return apply(ew.Sub, self, _lift(other, self))

    def __rsub__(self, other):
        return apply(ew.Sub, _lift(other, self), self)

    def __mul__(self, other):
        return apply(ew.Mul, self, _lift(other, self))

    def __rmul__(self, other):
        return apply(ew.Mul, _lift(other, self), self)

    def __truediv__(self, other):
        return apply(ew.Div, self, _lift(other, self))

    def __rtruediv__(self, other):
        return apply(ew.Div, _lift(other, self), self)

    def __pow__(self, exponent):
        """x ** p: a constant number p (x ** 2, x ** 0.5), or a tensor exponent (x ** y)."""
        if isinstance(exponent, Tensor) or np.ndim(exponent) != 0:
            return apply(ew.Power, self, _lift(exponent, self))
        return apply(ew.Pow, self, exponent=float(exponent) if exponent != 2 else 2)

    def __rpow__(self, base):
        """base ** x for a constant base: any sign, 0 ** 0 = 1 (see ``ops.elementwise.Power``)."""
        return apply(ew.Power, _lift(base, self), self)

    def __neg__(self):
        return apply(ew.Neg, self)

    def __matmul__(self, other):
        return apply(linalg.MatMul, self, _lift(other, self))

    def __rmatmul__(self, other):
        return apply(linalg.MatMul, _lift(other, self), self)

    # comparisons give plain (boolean) tensors: no gradient flows through them
    def _compare(self, other, ufunc) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        return Tensor(ufunc(self.data, other))

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other):  # type: ignore[override]
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    # ------------------------------------------------------------------ math
    def exp(self) -> Tensor:
        return apply(ew.Exp, self)

    def log(self) -> Tensor:
        return apply(ew.Log, self)

    def sqrt(self) -> Tensor:
        return apply(ew.Sqrt, self)

    def abs(self) -> Tensor:
        return apply(ew.Abs, self)

    def clip(self, min=None, max=None) -> Tensor:
        """Limit values to [min, max]; gradient 1 inside the range, 0 where clipped."""
        if min is None and max is None:
            raise ValueError("clip() needs min, max or both.")
        return apply(ew.Clip, self, low=min, high=max)

    def sum(self, axis=None, keepdims: bool = False) -> Tensor:
        return apply(reduce.Sum, self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False) -> Tensor:
        return apply(reduce.Mean, self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False) -> Tensor:
        return apply(reduce.Max, self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False) -> Tensor:
        return apply(reduce.Min, self, axis=axis, keepdims=keepdims)

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape) -> Tensor:
        """Same elements, new shape; accepts ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], Sequence | np.ndarray):
            shape = tuple(shape[0])
        return apply(shape_ops.Reshape, self, shape=shape)

    def transpose(self, *axes) -> Tensor:
        """Permute axes; with no arguments reverse them (the matrix transpose for 2-D)."""
        if len(axes) == 1 and isinstance(axes[0], Sequence):
            axes = tuple(axes[0])
        return apply(shape_ops.Transpose, self, axes=axes or None)

    def __getitem__(self, index) -> Tensor:
        return apply(shape_ops.GetItem, self, index=_index_arrays(index))

    # ------------------------------------------------------------------ activations
    def sigmoid(self) -> Tensor:
        """σ(z) = 1 / (1 + e^(-z)), stable for any z."""
        return apply(act.Sigmoid, self)

    def tanh(self) -> Tensor:
        return apply(act.Tanh, self)

    def relu(self) -> Tensor:
        return apply(act.ReLU, self)

    def leaky_relu(self, alpha: float = 0.01) -> Tensor:
        return apply(act.LeakyReLU, self, alpha=alpha)

    def softmax(self, axis: int = -1) -> Tensor:
        return apply(act.Softmax, self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return apply(act.LogSoftmax, self, axis=axis)

    def identity(self) -> Tensor:
        return apply(act.Identity, self)

    def step(self) -> Tensor:
        """Heaviside step H(z) = 1 if z > 0 else 0 (forward only: it has no useful gradient)."""
        return apply(act.Step, self)

    # ------------------------------------------------------------------ backward
    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Compute dself/dx for every tensor x in the graph and accumulate it into ``x.grad``.

        Parameters
        ----------
        grad : array-like, optional
            dL/d(self). May be omitted when self holds one element (a loss): it is then 1.
        retain_graph : bool
            Keep what the ops saved so that backward can run through this graph again.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() was called on a tensor that does not require grad: no input of the "
                "computation had requires_grad=True (or it ran inside no_grad())."
            )
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a tensor of shape {self.shape} needs grad=: the gradient is "
                    "only implicit (1) for a single-element tensor such as a loss. Reduce it first "
                    "(e.g. loss.mean()) or pass grad= with the same shape."
                )
            grad = unit_seed(self.data)
        else:
            grad = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if grad.shape != self.shape:
                raise ShapeError(
                    f"backward(): grad has shape {grad.shape}, the tensor {self.shape}."
                )
        run_backward(self, grad, retain_graph)


def _index_arrays(index):
    """Replace tensors inside an index by their arrays; lists become integer/boolean arrays."""
    if isinstance(index, tuple):
        return tuple(_index_arrays(part) for part in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index

