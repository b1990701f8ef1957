"""Elementwise arithmetic: + - * / ** neg exp log sqrt abs clip where, and dtype casts.

Binary ops broadcast like NumPy; their backward sums each gradient back to its input's shape
with :func:`unbroadcast`.
"""

from __future__ import annotations

import numpy as np

from ..function import Op, unbroadcast


class Add(Op):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    name = "add"

    @staticmethod
    def forward(a, b):
        return a + b, (a.shape, b.shape)

    @staticmethod
    def backward(saved, grad, needs):
        a_shape, b_shape = saved
        return (
            unbroadcast(grad, a_shape) if needs[0] else None,
            unbroadcast(grad, b_shape) if needs[1] else None,
        )


class Sub(Op):
    """z = a - b;  dz/da = 1, dz/db = -1."""

    name = "sub"

    @staticmethod
    def forward(a, b):
        return a - b, (a.shape, b.shape)

    @staticmethod
    def backward(saved, grad, needs):
        a_shape, b_shape = saved
        return (
            unbroadcast(grad, a_shape) if needs[0] else None,
            unbroadcast(-grad, b_shape) if needs[1] else None,
        )


class Mul(Op):
    """z = a * b;  dz/da = b, dz/db = a."""

    name = "mul"

    @staticmethod
    def forward(a, b):
        return a * b, (a, b)

    @staticmethod
    def backward(saved, grad, needs):
        a, b = saved
        return (
            unbroadcast(grad * b, a.shape) if needs[0] else None,
            unbroadcast(grad * a, b.shape) if needs[1] else None,
        )


class Div(Op):
    """z = a / b;  dz/da = 1/b, dz/db = -a/b²."""

    name = "div"

    @staticmethod
    def forward(a, b):
        return a / b, (a, b)

    @staticmethod
    def backward(saved, grad, needs):
        a, b = saved
        grad_over_b = grad / b
        return (
            unbroadcast(grad_over_b, a.shape) if needs[0] else None,
            unbroadcast(-grad_over_b * a / b, b.shape) if needs[1] else None,
        )


class Pow(Op):
    """z = a ** p for a constant exponent p;  dz/da = p · a^(p-1)."""

    name = "pow"

    @staticmethod
    def forward(a, exponent):
        return a**exponent, (a, exponent)

    @staticmethod
    def backward(saved, grad, needs):
        a, exponent = saved
        if exponent == 2:  # the common square: skip the power for speed
            return (grad * (2 * a),)
        return (grad * (exponent * a ** (exponent - 1)),)


class Neg(Op):
    """z = -a;  dz/da = -1."""

    name = "neg"

    @staticmethod
    def forward(a):
        return -a, None

    @staticmethod
    def backward(saved, grad, needs):
        return (-grad,)


class Exp(Op):
    """z = e^a;  dz/da = e^a = z, so backward reuses the saved output."""

    name = "exp"

    @staticmethod
    def forward(a):
        out = np.exp(a)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        return (grad * out,)


class Log(Op):
    """z = ln a;  dz/da = 1/a."""

    name = "log"

    @staticmethod
    def forward(a):
        return np.log(a), a

    @staticmethod
    def backward(a, grad, needs):
        return (grad / a,)


class Sqrt(Op):
    """z = √a;  dz/da = 1/(2√a) = 1/(2z), from the saved output."""

    name = "sqrt"

    @staticmethod
    def forward(a):
        out = np.sqrt(a)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        return (grad / (2 * out),)


class Abs(Op):
    """z = |a|;  dz/da = sign(a), taken as 0 at a = 0 (a subgradient)."""

    name = "abs"

    @staticmethod
    def forward(a):
        return np.abs(a), a

    @staticmethod
    def backward(a, grad, needs):
        return (grad * np.sign(a),)


class Clip(Op):
    """z = min(max(a, low), high);  dz/da = 1 where low <= a <= high, else 0."""

    name = "clip"

    @staticmethod
    def forward(a, low, high):
        return np.clip(a, low, high), (a, low, high)

    @staticmethod
    def backward(saved, grad, needs):
        a, low, high = saved
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return (grad * inside,)


class Where(Op):
    """z = a where cond else b;  dz/da = cond, dz/db = not cond."""

    name = "where"

    @staticmethod
    def forward(a, b, cond):
        return np.where(cond, a, b), (cond, a.shape, b.shape)

    @staticmethod
    def backward(saved, grad, needs):
        cond, a_shape, b_shape = saved
        zero = np.zeros((), dtype=grad.dtype)
        return (
            unbroadcast(np.where(cond, grad, zero), a_shape) if needs[0] else None,
            unbroadcast(np.where(cond, zero, grad), b_shape) if needs[1] else None,
        )


class Cast(Op):
    """z = a converted to another dtype;  the gradient is converted back."""

    name = "cast"

    @staticmethod
    def forward(a, dtype):
        return a.astype(dtype), a.dtype

    @staticmethod
    def backward(in_dtype, grad, needs):
        return (grad.astype(in_dtype),)
