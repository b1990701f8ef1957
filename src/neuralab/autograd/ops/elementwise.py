"""Elementwise arithmetic: + - * / ** neg exp log sqrt abs clip where, and dtype casts.

Binary ops broadcast like NumPy; their backward sums each gradient back to its input's shape
with :func:`unbroadcast`. Every forward that can meet inf - inf, 0 · inf, an overflow or a
log/sqrt outside its domain runs under :data:`quiet`: the IEEE result, as PyTorch gives it,
with no NumPy warning.
"""

from __future__ import annotations

import numpy as np

from ..function import Op, quiet, unbroadcast


class Add(Op):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    name = "add"

    @staticmethod
    @quiet
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
    @quiet
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
    @quiet
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
    @quiet
    def forward(a, b):
        return a / b, (a, b)

    @staticmethod
    @quiet
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
        return site.elementwise(-a / b / b, "-{in0}/{in1}²")  # as backward: b·b may underflow


class Pow(Op):
    """z = a ** p for a constant exponent p;  dz/da = p · a^(p-1), and 0 for p = 0.

    NumPy's float power: a negative base takes integer exponents ((-2) ** 3 = -8) and gives
    NaN for the others, as PyTorch does. For p = 0, z = 1 everywhere, so its derivative is 0
    -- also at a = 0, where p · a^(p-1) would be 0 · inf = NaN.
    """

    name = "pow"

    @staticmethod
    @quiet
    def forward(a, exponent):
        return a**exponent, (a, exponent)

    @staticmethod
    @quiet
    def backward(saved, grad, needs):
        a, exponent = saved
        if exponent == 2:  # the common square: skip the power for speed
            return (grad * (2 * a),)
        if exponent == 0:
            return (np.zeros_like(grad),)
        return (grad * (exponent * a ** (exponent - 1)),)

    @staticmethod
    def local(site):
        a, p = site.saved
        if p == 2:
            return site.elementwise(2 * a, "2{in0}")
        if p == 0:
            return site.constant(0.0, "0")
        return site.elementwise(p * a ** (p - 1), f"{p:g}·{{in0}}^{p - 1:g}")


class Power(Op):
    """z = a ** b with a tensor exponent (or a tensor base and exponent, ``2 ** x``):

        dz/da = b · a^(b-1)   (0 where b = 0)
        dz/db = a^b · ln a    (0 where a = 0 and b >= 0)

    The masks are PyTorch's: a^0 = 1 does not depend on a, and 0^b (b >= 0) is taken as
    constant in b. For a negative base, z is real for integer b only ((-2) ** [-2..3] =
    [0.25, -0.5, 1, -2, 4, -8]); there ln a is NaN, so dz/db is NaN, as in PyTorch.
    """

    name = "power"

    @staticmethod
    @quiet
    def forward(a, b):
        out = np.power(a, b)
        return out, (a, b, out)

    @staticmethod
    def derivative(saved, wrt: int, zero) -> np.ndarray:
        """dz/da (``wrt`` 0) or dz/db (``wrt`` 1), with PyTorch's masks; ``zero`` is the 0 to
        put there (of the gradient's dtype)."""
        a, b, out = saved
        if wrt == 0:
            return np.where(b == 0, zero, b * np.power(a, b - 1))
        return np.where((a == 0) & (b >= 0), zero, out * np.log(a))

    @staticmethod
    @quiet
    def backward(saved, grad, needs):
        a, b, _ = saved
        zero = np.zeros((), dtype=grad.dtype)
        grad_a = grad_b = None
        if needs[0]:
            grad_a = unbroadcast(grad * Power.derivative(saved, 0, zero), a.shape)
        if needs[1]:
            grad_b = unbroadcast(grad * Power.derivative(saved, 1, zero), b.shape)
        return grad_a, grad_b

    @staticmethod
    @quiet
    def local(site):
        values = Power.derivative(site.saved, site.wrt, 0.0)
        return site.elementwise(values, "{in1}·{in0}^({in1}-1)" if site.wrt == 0
                                else "{out}·ln {in0}")


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
    @quiet
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
    @quiet
    def forward(a):
        return np.log(a), a

    @staticmethod
    @quiet
    def backward(a, grad, needs):
        return (grad / a,)

    @staticmethod
    def local(site):
        return site.elementwise(1 / site.saved, "1/{in0}")


class Sqrt(Op):
    """z = √a;  dz/da = 1/(2√a) = 1/(2z), from the saved output."""

    name = "sqrt"

    @staticmethod
    @quiet
    def forward(a):
        out = np.sqrt(a)
        return out, out

    @staticmethod
    @quiet
    def backward(out, grad, needs):
        return (grad / (2 * out),)

    @staticmethod
    def local(site):
        return site.elementwise(1 / (2 * site.saved), "1/(2{out})")


class Abs(Op):
    """z = |a|;  dz/da = sign(a), taken as 0 at a = 0 (a subgradient) and at NaN (PyTorch's)."""

    name = "abs"

    @staticmethod
    def forward(a):
        return np.abs(a), a

    @staticmethod
    def sign(a, dtype) -> np.ndarray:
        """dz/da: 1 above 0, -1 below, 0 at 0 and at NaN (np.sign would give NaN there)."""
        sign = (a > 0).astype(dtype)
        sign -= a < 0
        return sign

    @staticmethod
    def backward(a, grad, needs):
        return (grad * Abs.sign(a, grad.dtype),)

    @staticmethod
    def local(site):
        return site.elementwise(Abs.sign(site.saved, float), "sign({in0})")


class Clip(Op):
    """z = min(max(a, low), high);  dz/da = 1 where low <= a <= high, else 0."""

    name = "clip"

    @staticmethod
    def forward(a, low, high):
        return np.clip(a, low, high), (a, low, high)

    @staticmethod
    def inside(a, low, high) -> np.ndarray:
        """dz/da: True where low <= a <= high (a missing bound does not limit)."""
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return inside

    @staticmethod
    def backward(saved, grad, needs):
        return (grad * Clip.inside(*saved),)

    @staticmethod
    def local(site):
        a, low, high = site.saved
        inside = Clip.inside(a, low, high).astype(float)
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
    @quiet
    def forward(a, dtype):
        return a.astype(dtype), a.dtype

    @staticmethod
    def backward(in_dtype, grad, needs):
        return (grad.astype(in_dtype),)

    @staticmethod
    def local(site):
        return site.constant(1.0, "1")
