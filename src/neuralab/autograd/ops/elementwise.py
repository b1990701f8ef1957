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

    @staticmethod
    def local(site):
        return site.constant(1.0, "1")


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

    @staticmethod
    def local(site):
        return site.constant(1.0, "1") if site.wrt == 0 else site.constant(-1.0, "-1")


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

    @staticmethod
    def local(site):
        other = site.saved[1 - site.wrt]
        return site.elementwise(other, f"{{in{1 - site.wrt}}}")


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

    @staticmethod
    def local(site):
        a, b = site.saved
        if site.wrt == 0:
            return site.elementwise(1 / b, "1/{in1}")
        return site.elementwise(-a / (b * b), "-{in0}/{in1}²")


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

    @staticmethod
    def local(site):
        a, p = site.saved
        if p == 2:
            return site.elementwise(2 * a, "2{in0}")
        return site.elementwise(p * a ** (p - 1), f"{p:g}·{{in0}}^{p - 1:g}")


class Neg(Op):
    """z = -a;  dz/da = -1."""

    name = "neg"

    @staticmethod
    def forward(a):
        return -a, None

    @staticmethod
    def backward(saved, grad, needs):
        return (-grad,)

    @staticmethod
    def local(site):
        return site.constant(-1.0, "-1")


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

    @staticmethod
    def local(site):
        return site.elementwise(site.saved, "{out}")


class Log(Op):
    """z = ln a;  dz/da = 1/a."""

    name = "log"

    @staticmethod
    def forward(a):
        return np.log(a), a

    @staticmethod
    def backward(a, grad, needs):
        return (grad / a,)

    @staticmethod
    def local(site):
        return site.elementwise(1 / site.saved, "1/{in0}")


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

    @staticmethod
    def local(site):
        return site.elementwise(1 / (2 * site.saved), "1/(2{out})")


class Abs(Op):
    """z = |a|;  dz/da = sign(a), taken as 0 at a = 0 (a subgradient)."""

    name = "abs"

    @staticmethod
    def forward(a):
        return np.abs(a), a

    @staticmethod
    def backward(a, grad, needs):
        return (grad * np.sign(a),)

    @staticmethod
    def local(site):
        return site.elementwise(np.sign(site.saved), "sign({in0})")


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

    @staticmethod
    def local(site):
        a, low, high = site.saved
        inside = np.ones(a.shape)
        if low is not None:
            inside *= a >= low
        if high is not None:
            inside *= a <= high
        low_text = "" if low is None else f"{low:g} ≤ "
        high_text = "" if high is None else f" ≤ {high:g}"
        return site.elementwise(inside, f"[{low_text}{{in0}}{high_text}]")


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

    @staticmethod
    def local(site):
        cond = site.saved[0]
        return site.elementwise(cond if site.wrt == 0 else ~cond,
                                "[cond]" if site.wrt == 0 else "[not cond]")


class Cast(Op):
    """z = a converted to another dtype;  the gradient is converted back."""

    name = "cast"

    @staticmethod
    def forward(a, dtype):
        return a.astype(dtype), a.dtype

    @staticmethod
    def backward(in_dtype, grad, needs):
        return (grad.astype(in_dtype),)

    @staticmethod
    def local(site):
        return site.constant(1.0, "1")
