"""The table of the PyTorch harness (``test_torch_harness.py``): one row per public op.

A row says how to draw a case (shapes, broadcasting partners, axes -- negative ones included --
and values with the edge values 0, ±1, ±1e4, ±inf and NaN mixed in), how to call the op in
neuralab and how to call the same op in PyTorch. The harness runs every row on drawn cases in
float64 and float32 and compares values and the gradient of every floating input.

Adding an op is adding one row. ``test_every_public_op_has_a_row`` fails for a public op of the
Tensor, functional or loss-module API without one (or without an entry in ``NOT_OPS`` saying
why it is not an op). Where neuralab deliberately differs from PyTorch, the row's ``note`` says
how and why, and its draw keeps to the inputs where the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import neuralab as nl

torch = __import__("pytest").importorskip("torch")
TF = torch.nn.functional
F = nl.functional
INF, NAN = float("inf"), float("nan")

#: the edge values every "real" input mixes in
EDGES = (0.0, -0.0, 1.0, -1.0, 1e4, -1e4, INF, -INF, NAN)
FINITE_EDGES = (0.0, -0.0, 1.0, -1.0, 1e4, -1e4)


def _mix(plain, edges):
    # plain numbers twice as often as edge values, so that gradients are mostly finite
    return st.one_of(plain, plain, st.sampled_from(edges))


_ordinary = st.floats(-3, 3, allow_subnormal=False)
#: value domains: what an input's elements are drawn from
DOMAINS = {
    "real": _mix(_ordinary, EDGES),
    "real, no -0 or -inf": _mix(_ordinary, tuple(e for e in EDGES if str(e) not in ("-0.0",
                                                                                  "-inf"))),
    "finite": _mix(_ordinary, FINITE_EDGES),
    "moderate": _mix(_ordinary, (0.0, 1.0, -1.0)),
    "positive": _mix(st.floats(0.05, 5), (1.0, 1e4, INF)),
    "nonnegative": _mix(st.floats(0, 5), (0.0, 1.0, 1e4)),
    "unit": _mix(st.floats(0, 1), (0.0, 1.0, 0.5)),
}
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


@dataclass(frozen=True)
class Case:
    """Drawn inputs: ``arrays`` become tensors requiring grad; ``params`` are passed as is."""

    arrays: tuple
    params: dict


@dataclass(frozen=True)
class Row:
    """One op: its public name, a case drawer, the neuralab and the PyTorch call."""

    name: str
    draw: Callable  # (hypothesis data) -> Case
    ours: Callable  # (*nl tensors, **params) -> Tensor
    theirs: Callable  # (*torch tensors, **params) -> torch.Tensor
    grad: bool = True  # False: no gradient (comparisons, the step function)
    leaves: tuple = ()  # the indices of the inputs that are to be nn.Parameters
    rtol64: float | None = None  # a looser float64 tolerance, explained in the note
    note: str = ""  # a deliberate difference from PyTorch, and why


# ---------------------------------------------------------------------- drawing helpers
def shape(data, min_dims=0, max_dims=3):
    return data.draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                                      max_side=4))


def array(data, shape_, domain="real"):
    return data.draw(hnp.arrays(np.float64, shape_, elements=DOMAINS[domain]))


def axis_of(data, ndim):
    return data.draw(st.integers(-ndim, ndim - 1))


def axes_of(data, ndim):
    """None (all axes), one axis or a tuple of distinct axes, each maybe negative."""
    if ndim == 0:
        return None
    return data.draw(st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1),
        st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).flatmap(
            lambda axes: st.tuples(*[st.sampled_from([a, a - ndim]) for a in axes])),
    ))


def torch_dims(axes, ndim):
    """neuralab's axis argument as PyTorch's dim (None -> every axis)."""
    return tuple(range(ndim)) if axes is None else axes


def unary(domain="real", min_dims=0):
    def draw(data):
        return Case((array(data, shape(data, min_dims), domain),), {})
    return draw


def binary(first="real", second="real"):
    def draw(data):
        shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0,
                                                             max_dims=3, max_side=3))
        a_shape, b_shape = shapes.input_shapes
        return Case((array(data, a_shape, first), array(data, b_shape, second)), {})
    return draw


def with_scalar(domain="real"):
    """A tensor and a Python number on the other side of the operator."""
    def draw(data):
        scalar = data.draw(st.one_of(st.floats(-3, 3), st.sampled_from(FINITE_EDGES)))
        return Case((array(data, shape(data), domain),), {"scalar": scalar})
    return draw


def no_tiny(draw):
    """The case of ``draw`` with |x| < 1e-18 made 0 (see DIV_NOTE)."""
    def tidy(data):
        case = draw(data)
        arrays = tuple(np.where(np.abs(a) < 1e-18, 0.0, a) for a in case.arrays)
        return Case(arrays, case.params)
    return tidy


def reduction(min_dims=0):
    def draw(data):
        x = array(data, shape(data, min_dims))
        return Case((x,), {"axis": axes_of(data, x.ndim), "keepdims": data.draw(st.booleans())})
    return draw


def along_axis(domain="real"):
    def draw(data):
        x = array(data, shape(data, 1), domain)
        return Case((x,), {"axis": axis_of(data, x.ndim)})
    return draw


def _reduce_torch(method):
    def call(t, axis, keepdims):
        if t.ndim == 0:
            return getattr(t, method)()
        return getattr(t, method)(dim=torch_dims(axis, t.ndim), keepdim=keepdims)
    return call


# ---------------------------------------------------------------------- cases of the losses
def labels_case(data, min_classes=1):
    """Logits (N, C) or (N, d, C) and integer class labels of the leading shape."""
    lead = data.draw(st.sampled_from([(), (1,), (2,), (3,), (2, 2)]))[:2]
    lead = lead if lead else (data.draw(st.integers(1, 4)),)
    classes = data.draw(st.integers(min_classes, 4))
    z = array(data, (*lead, classes))
    labels = data.draw(hnp.arrays(np.int64, lead, elements=st.integers(0, classes - 1)))
    return z, labels


def cross_entropy_labels(data):
    z, labels = labels_case(data)
    return Case((z,), {"target": labels, "reduction": data.draw(REDUCTIONS),
                       "label_smoothing": data.draw(st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.0]))})


def cross_entropy_rows(data):
    z, _ = labels_case(data)
    rows = array(data, z.shape, "nonnegative")  # rows need not sum to 1
    return Case((z,), {"target": rows, "reduction": data.draw(REDUCTIONS),
                       "label_smoothing": data.draw(st.sampled_from([0.0, 0.0, 0.2]))})


def _torch_cross_entropy(z, target, reduction, label_smoothing):
    target = torch.as_tensor(target)
    if target.dtype.is_floating_point:
        target = target.to(z.dtype).movedim(-1, 1) if z.ndim > 2 else target.to(z.dtype)
    out = TF.cross_entropy(z.movedim(-1, 1) if z.ndim > 2 else z, target,
                           reduction=reduction, label_smoothing=label_smoothing)
    return out


def targets_like(domain):
    """A prediction of any shape and same-shaped float targets (plus a reduction)."""
    def draw(data, input_domain="real"):
        x = array(data, shape(data), input_domain)
        return Case((x,), {"target": array(data, x.shape, domain),
                           "reduction": data.draw(REDUCTIONS)})
    return draw


def bce_case(data):
    return targets_like("unit")(data, input_domain="unit")


def bce_logits_case(data):
    case = targets_like("unit")(data, input_domain="finite")
    x = case.arrays[0]
    pos_weight = None
    if x.ndim and data.draw(st.booleans()):
        pos_weight = array(data, data.draw(st.sampled_from([(), x.shape[-1:]])), "nonnegative")
    return Case(case.arrays, {**case.params, "pos_weight": pos_weight})


def _torch_bce_logits(z, target, reduction, pos_weight):
    weight = None if pos_weight is None else torch.as_tensor(pos_weight, dtype=z.dtype)
    return TF.binary_cross_entropy_with_logits(z, torch.as_tensor(target, dtype=z.dtype),
                                               reduction=reduction, pos_weight=weight)


def _t(target, like):
    return torch.as_tensor(target, dtype=like.dtype)


def linear_case(data):
    lead = data.draw(st.sampled_from([(), (1,), (3,), (2, 2)]))
    n_in, n_out = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    x = array(data, (*lead, n_in), "finite")
    w, b = array(data, (n_in, n_out), "finite"), array(data, (n_out,), "finite")
    return Case((x, w, b), {})


def matmul_case(data):
    n, k, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    batch = data.draw(st.sampled_from([(), (2,), (1, 2)]))
    a_shape = data.draw(st.sampled_from([(k,), (n, k), (*batch, n, k)]))
    b_shape = data.draw(st.sampled_from([(k,), (k, m), (*batch[-1:], k, m)]))
    return Case((array(data, a_shape), array(data, b_shape)), {})


def batch_norm_case(data):
    n, c = data.draw(st.integers(2, 5)), data.draw(st.integers(1, 3))
    return Case((array(data, (n, c), "moderate"), array(data, (c,), "finite"),
                 array(data, (c,), "finite")), {})


def _ours_batch_norm(x, gamma, beta):
    layer = nl.nn.BatchNorm1d(x.shape[1])
    layer.weight, layer.bias = gamma, beta  # the drawn Parameters (see ``leaves``)
    return layer(x)


def _theirs_batch_norm(x, gamma, beta):
    c = x.shape[1]
    return TF.batch_norm(x, torch.zeros(c, dtype=x.dtype), torch.ones(c, dtype=x.dtype), gamma,
                         beta, training=True, momentum=0.1, eps=1e-5)


def transpose_case(data):
    x = array(data, shape(data, 0, 4))
    perm = data.draw(st.permutations(range(x.ndim)))
    axes = tuple(data.draw(st.sampled_from([a, a - x.ndim])) for a in perm)
    return Case((x,), {"axes": axes})


def reshape_case(data):
    x = array(data, shape(data))
    sizes = [x.size, 1] if x.size > 1 else [1]
    target = data.draw(st.sampled_from([(-1,), (x.size, 1), (1, -1), tuple(sizes)]))
    return Case((x,), {"shape": target})


def getitem_case(data):
    x = array(data, shape(data, 1))
    n = x.shape[0]
    index = data.draw(st.one_of(
        st.integers(-n, n - 1),
        st.builds(slice, st.integers(0, n), st.integers(0, n), st.integers(1, 2)),
        hnp.arrays(np.int64, st.integers(1, 5), elements=st.integers(-n, n - 1)),  # repeats
        st.just((Ellipsis, 0)),
        hnp.arrays(np.bool_, (n,)),
    ))
    return Case((x,), {"index": index})


def _torch_index(index):
    return torch.as_tensor(index) if isinstance(index, np.ndarray) else index


def joined(new_axis):
    def draw(data):
        count = data.draw(st.integers(1, 3))
        base = shape(data, 0 if new_axis else 1)
        ndim = len(base) + (1 if new_axis else 0)
        axis = axis_of(data, ndim)
        shapes = []
        for _ in range(count):
            s = list(base)
            if not new_axis:
                s[axis] = data.draw(st.integers(1, 3))
            shapes.append(tuple(s))
        return Case(tuple(array(data, s) for s in shapes), {"axis": axis})
    return draw


def where_case(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
    cond_shape, a_shape, b_shape = shapes.input_shapes
    cond = data.draw(hnp.arrays(np.bool_, cond_shape))
    return Case((array(data, a_shape), array(data, b_shape)), {"cond": cond})


def clip_case(data):
    low = data.draw(st.one_of(st.none(), st.floats(-2, 1)))
    high = data.draw(st.floats(1, 2) if low is None else st.one_of(st.none(), st.floats(1, 2)))
    return Case((array(data, shape(data)),), {"low": low, "high": high})


def power_constant_case(data):
    exponent = data.draw(st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5, 2.5]))
    base = array(data, shape(data), "real, no -0 or -inf")
    # no -0.0, nor a tiny negative number that float32 rounds to -0.0
    return Case((np.where(np.abs(base) < 1e-30, 0.0, base),), {"p": exponent})


def rpow_case(data):
    base = data.draw(st.sampled_from([2.0, 0.5, 1.0, 0.0, -2.0, -0.5, np.e]))
    exponents = data.draw(hnp.arrays(np.float64, shape(data), elements=st.one_of(
        st.integers(-3, 3).map(float), st.floats(-3, 3), st.sampled_from(EDGES))))
    return Case((exponents,), {"scalar": base})


def power_tensor_case(data):
    case = binary()(data)
    base, exponent = case.arrays
    # integer exponents often, so that negative bases meet defined powers
    exponent = np.where(data.draw(hnp.arrays(np.bool_, exponent.shape)), np.round(exponent),
                        exponent)
    return Case((base, exponent), {})


# ---------------------------------------------------------------------- the table
DIV_NOTE = ("no denominators below 1e-18 in magnitude: d(a/b)/db = -a/b² is computed as "
            "-(g/b)·a/b here, as -g·a/(b·b) in PyTorch, whose b·b underflows to 0 for such b "
            "(0/1e-228 gets the gradient 0 here, NaN there)")
BN_NOTE = ("values up to ±1 plus 0 and ±1: PyTorch's float32 batch statistics lose the "
           "variance of large constant columns (x = [1e4, 1e4] normalises to 216, the exact "
           "answer, given here, is 0)")
BCE_EPS = ("at ŷ = 0 or 1 the gradient divides by max(ŷ(1 - ŷ), 1e-12); PyTorch's 1e-12 is a "
           "float32 constant (9.9999999600e-13), so in float64 the two differ by 4e-9 there")
ROWS = [
    # arithmetic (the operators of Tensor), broadcasting between any two shapes
    Row("Tensor.__add__", binary(), lambda a, b: a + b, lambda a, b: a + b),
    Row("Tensor.__radd__", with_scalar(), lambda a, scalar: scalar + a,
        lambda a, scalar: scalar + a),
    Row("Tensor.__sub__", binary(), lambda a, b: a - b, lambda a, b: a - b),
    Row("Tensor.__rsub__", with_scalar(), lambda a, scalar: scalar - a,
        lambda a, scalar: scalar - a),
    Row("Tensor.__mul__", binary(), lambda a, b: a * b, lambda a, b: a * b),
    Row("Tensor.__rmul__", with_scalar(), lambda a, scalar: scalar * a,
        lambda a, scalar: scalar * a),
    Row("Tensor.__truediv__", no_tiny(binary()), lambda a, b: a / b, lambda a, b: a / b,
        note=DIV_NOTE),
    Row("Tensor.__rtruediv__", no_tiny(with_scalar()), lambda a, scalar: scalar / a,
        lambda a, scalar: scalar / a, note=DIV_NOTE),
    Row("Tensor.__pow__", power_constant_case, lambda a, p: a ** p, lambda a, p: a ** p,
        note="no -0.0 or -inf base: PyTorch computes x ** ±0.5 as sqrt or rsqrt, so "
             "(-inf) ** 0.5 is NaN and the gradient of x ** 0.5 at -0.0 is -inf, where NumPy's "
             "power (C's pow) gives +inf for both"),
    Row("Tensor.__pow__ (tensor exponent)", power_tensor_case, lambda a, b: a ** b,
        lambda a, b: a ** b),
    Row("Tensor.__rpow__", rpow_case, lambda a, scalar: scalar ** a,
        lambda a, scalar: scalar ** a),
    Row("Tensor.__neg__", unary(), lambda a: -a, lambda a: -a),
    Row("Tensor.__matmul__", matmul_case, lambda a, b: a @ b, lambda a, b: a @ b),
    Row("Tensor.__rmatmul__", matmul_case, lambda a, b: a.data @ b, lambda a, b: a.detach() @ b,
        note="the left operand is a plain array: only the right one has a gradient"),
    # comparisons: boolean results, no gradient
    *[Row(f"Tensor.{dunder}", binary(), getattr(__import__("operator"), dunder.strip("_")),
          getattr(__import__("operator"), dunder.strip("_")), grad=False)
      for dunder in ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__")],
    # elementwise math
    Row("Tensor.exp", unary(), lambda a: a.exp(), torch.exp),
    Row("Tensor.log", unary(), lambda a: a.log(), torch.log),
    Row("Tensor.sqrt", unary(), lambda a: a.sqrt(), torch.sqrt),
    Row("Tensor.abs", unary(), lambda a: a.abs(), torch.abs),
    Row("Tensor.clip", clip_case, lambda a, low, high: a.clip(low, high),
        lambda a, low, high: torch.clamp(a, low, high)),
    Row("Tensor.astype", unary(), lambda a: a.astype("float32"), lambda a: a.to(torch.float32)),
    # reductions over None, one or several axes, negative ones included, with keepdims
    Row("Tensor.sum", reduction(), lambda a, axis, keepdims: a.sum(axis, keepdims),
        _reduce_torch("sum")),
    Row("Tensor.mean", reduction(), lambda a, axis, keepdims: a.mean(axis, keepdims),
        _reduce_torch("mean")),
    Row("Tensor.max", reduction(), lambda a, axis, keepdims: a.max(axis, keepdims),
        _reduce_torch("amax"), note="ties share the gradient equally, as torch.amax does"),
    Row("Tensor.min", reduction(), lambda a, axis, keepdims: a.min(axis, keepdims),
        _reduce_torch("amin")),
    # shapes
    Row("Tensor.reshape", reshape_case, lambda a, shape: a.reshape(shape),
        lambda a, shape: a.reshape(shape)),
    Row("Tensor.transpose", transpose_case, lambda a, axes: a.transpose(*axes),
        lambda a, axes: a.permute(axes)),
    Row("Tensor.T", unary(), lambda a: a.T, lambda a: a.permute(tuple(reversed(range(a.ndim))))),
    Row("Tensor.__getitem__", getitem_case, lambda a, index: a[index],
        lambda a, index: a[_torch_index(index)]),
    Row("nl.concatenate", joined(new_axis=False), lambda *ts, axis: nl.concatenate(ts, axis),
        lambda *ts, axis: torch.cat(ts, dim=axis)),
    Row("nl.stack", joined(new_axis=True), lambda *ts, axis: nl.stack(ts, axis),
        lambda *ts, axis: torch.stack(ts, dim=axis)),
    Row("nl.where", where_case, lambda a, b, cond: nl.where(cond, a, b),
        lambda a, b, cond: torch.where(torch.as_tensor(cond), a, b)),
    # activations: the Tensor methods and the functional forms
    *[Row(f"{owner}.{name}", unary(), call, theirs)
      for name, theirs in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
                           ("relu", torch.relu), ("identity", torch.clone)]
      for owner, call in [("Tensor", getattr(nl.Tensor, name)), ("functional", getattr(F, name))]],
    *[Row(f"{owner}.leaky_relu", unary(), call, lambda a: TF.leaky_relu(a, 0.2))
      for owner, call in [("Tensor", lambda a: a.leaky_relu(0.2)),
                          ("functional", lambda a: F.leaky_relu(a, 0.2))]],
    *[Row(f"{owner}.{name}", along_axis(), call, theirs)
      for name, theirs in [("softmax", lambda a, axis: torch.softmax(a, axis)),
                           ("log_softmax", lambda a, axis: torch.log_softmax(a, axis))]
      for owner, call in [("Tensor", lambda a, axis, n=name: getattr(a, n)(axis)),
                          ("functional", lambda a, axis, n=name: getattr(F, n)(a, axis))]],
    *[Row(f"{owner}.step", unary("finite"), call,
          lambda a: torch.heaviside(a, torch.zeros((), dtype=a.dtype)), grad=False,
          note="H(NaN) is 0 here (the unit does not fire: z > 0 is false), NaN in "
               "torch.heaviside; NaN is left out of the draw")
      for owner, call in [("Tensor", lambda a: a.step()), ("functional", F.step)]],
    # the fused layers
    *[Row(f"functional.{name}", linear_case, call, lambda x, w, b: x @ w + b,
          note="finite inputs only: the fused linear op is the hot path of every network and "
               "skips the floating-point guard (np.errstate) that would cost ~0.7 µs a call, "
               "so ±inf in x or W gets NumPy's 'invalid value in dot' warning; its values "
               "equal PyTorch's")
      for name, call in [("linear", F.linear), ("linear_of_tensors", F.linear_of_tensors)]],
    Row("nn.BatchNorm1d", batch_norm_case, _ours_batch_norm, _theirs_batch_norm, leaves=(1, 2),
        note=BN_NOTE),
    # losses, every reduction
    Row("functional.binary_cross_entropy", bce_case,
        lambda p, target, reduction: F.binary_cross_entropy(p, target, reduction),
        lambda p, target, reduction: TF.binary_cross_entropy(p, _t(target, p),
                                                             reduction=reduction),
        rtol64=1e-8, note=BCE_EPS),
    Row("functional.binary_cross_entropy_with_logits", bce_logits_case,
        lambda z, **kw: F.binary_cross_entropy_with_logits(z, **kw), _torch_bce_logits,
        note="finite logits: at z = ±inf neuralab gives the loss's limit (0 or inf) where "
             "PyTorch's formula gives NaN (its gradients agree); test_engine_edges.py checks "
             "the limits"),
    Row("functional.cross_entropy", cross_entropy_labels,
        lambda z, **kw: F.cross_entropy(z, **kw), _torch_cross_entropy),
    Row("functional.cross_entropy (target rows)", cross_entropy_rows,
        lambda z, **kw: F.cross_entropy(z, **kw), _torch_cross_entropy),
    Row("functional.mse_loss", targets_like("finite"),
        lambda a, target, reduction: F.mse_loss(a, target, reduction),
        lambda a, target, reduction: TF.mse_loss(a, _t(target, a), reduction=reduction)),
    Row("functional.poisson_nll_loss", targets_like("nonnegative"),
        lambda z, target, reduction: F.poisson_nll_loss(z, target, reduction),
        lambda z, target, reduction: TF.poisson_nll_loss(z, _t(target, z), log_input=True,
                                                         full=False, reduction=reduction)),
    Row("nn.BCELoss", bce_case,
        lambda p, target, reduction: nl.nn.BCELoss(reduction)(p, target),
        lambda p, target, reduction: torch.nn.BCELoss(reduction=reduction)(p, _t(target, p)),
        rtol64=1e-8, note=BCE_EPS),
    Row("nn.BCEWithLogitsLoss", bce_logits_case,
        lambda z, target, reduction, pos_weight: nl.nn.BCEWithLogitsLoss(
            reduction, pos_weight)(z, target),
        _torch_bce_logits, note="as functional.binary_cross_entropy_with_logits"),
    Row("nn.CrossEntropyLoss", cross_entropy_labels,
        lambda z, target, reduction, label_smoothing: nl.nn.CrossEntropyLoss(
            reduction, label_smoothing)(z, target), _torch_cross_entropy),
    Row("nn.MSELoss", targets_like("finite"),
        lambda a, target, reduction: nl.nn.MSELoss(reduction)(a, target),
        lambda a, target, reduction: TF.mse_loss(a, _t(target, a), reduction=reduction)),
    Row("nn.PoissonNLLLoss", targets_like("nonnegative"),
        lambda z, target, reduction: nl.nn.PoissonNLLLoss(reduction)(z, target),
        lambda z, target, reduction: TF.poisson_nll_loss(z, _t(target, z), log_input=True,
                                                         full=False, reduction=reduction)),
]

#: public names of the Tensor/functional/loss API that are not ops, and why
NOT_OPS = {
    "Tensor.__init__": "constructor",
    "Tensor.__repr__": "printing",
    "Tensor.__array__": "conversion to NumPy (shares the data)",
    "Tensor.__len__": "length of the first axis",
    "Tensor.__iter__": "iterates __getitem__ (which has a row)",
    "Tensor.__bool__": "conversion of a one-element tensor",
    "Tensor.__float__": "conversion of a one-element tensor",
    "Tensor.__int__": "conversion of a one-element tensor",
    "Tensor.__hash__": "identity hash",
    "Tensor.item": "conversion to a Python number",
    "Tensor.numpy": "the array itself",
    "Tensor.tolist": "conversion to lists",
    "Tensor.detach": "a leaf sharing the data (no computation)",
    "Tensor.requires_grad_": "a flag",
    "Tensor.retain_grad": "a flag",
    "Tensor.backward": "runs the ops' backward (every row calls it)",
    "functional.get_activation": "a lookup by name, returns one of the functions with rows",
}
