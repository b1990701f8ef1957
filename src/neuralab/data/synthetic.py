"""Two-dimensional teaching datasets, in the spirit of the TensorFlow playground.

Every set returns ``(X, y)``: X float32 of shape (n, 2) with coordinates of order 1 (ranges in
each docstring, before noise), y int64 class labels 0 … K−1 with the n points shared as evenly
as possible between the K classes, rows shuffled. The same ``seed`` gives the same points.
``noise`` is the standard deviation of Gaussian jitter added to the coordinates.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._config import get_rng
from ._arrays import check_int


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not noise >= 0:
        raise ValueError(f"noise must be a number >= 0 (a standard deviation). Got {noise!r}.")
    if not np.isfinite(noise):
        raise ValueError(f"noise must be finite. Got {noise!r}.")
    return float(noise)


def _class_sizes(n: int, n_classes: int) -> list[int]:
    """n points shared between the classes; the first n mod K classes get one more."""
    n = check_int(n, "n (the number of points, at least one per class)", n_classes)
    return [n // n_classes + (k < n % n_classes) for k in range(n_classes)]


def _assemble(parts: list[np.ndarray], noise: float, rng: np.random.Generator):
    """Stack the per-class point clouds, label them by class, jitter and shuffle the rows."""
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(part), k, dtype=np.int64) for k, part in enumerate(parts)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(len(X))
    return X[order].astype(np.float32), y[order]


def _on_circle(radius, angle: np.ndarray) -> np.ndarray:
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, *, seed=None, rng=None):
    """Two concentric rings: class 0 on the circle of radius 1, class 1 on radius ``factor``.

    Points sit at uniformly random angles; coordinates lie in [-1, 1] before noise. No straight
    line separates the classes, but the radius r = √(x1² + x2²) does.

    Parameters
    ----------
    n : int, default 200
        Number of points.
    noise : float, default 0.05
        Standard deviation of the jitter.
    factor : float, default 0.5
        Inner radius relative to the outer one, in (0, 1).
    seed, rng
        Randomness (see :func:`neuralab._config.get_rng`).
    """
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"factor (inner/outer radius) must be in (0, 1). Got {factor!r}.")
    noise = _check_noise(noise)
    sizes = _class_sizes(n, 2)
    generator = get_rng(seed, rng)
    parts = [
        _on_circle(radius, generator.uniform(0, 2 * np.pi, size))
        for radius, size in zip((1.0, float(factor)), sizes, strict=True)
    ]
    return _assemble(parts, noise, generator)


def xor(n: int = 200, noise: float = 0.1, *, seed=None, rng=None):
    """The four quadrants, labelled like the XOR truth table: y = (x1 > 0) XOR (x2 > 0).

    Reading a negative coordinate as bit 0 and a positive one as bit 1, the quadrants
    (−,−), (−,+), (+,−), (+,+) get 0, 1, 1, 0. Points are uniform in the square [-1.1, 1.1]²
    but kept at least 0.1 from the axes; labels come from these clean positions, so noise
    lets points near the axes cross into the neighbouring quadrant.
    """
    noise = _check_noise(noise)
    sizes = _class_sizes(n, 2)
    generator = get_rng(seed, rng)
    parts = []
    for label, size in enumerate(sizes):
        magnitude = generator.uniform(0.1, 1.1, size=(size, 2))
        sign_x1 = generator.choice([-1.0, 1.0], size=size)
        # XOR of the signs: class 1 has opposite signs, class 0 equal signs
        sign_x2 = -sign_x1 if label == 1 else sign_x1
        parts.append(magnitude * np.stack([sign_x1, sign_x2], axis=1))
    return _assemble(parts, noise, generator)


def gaussians(n: int = 200, noise: float = 0.3, *, seed=None, rng=None):
    """Two round Gaussian blobs: class 0 centred at (−0.75, −0.75), class 1 at (0.75, 0.75).

    Each blob's standard deviation is ``noise`` (default 0.3), so the classes are linearly
    separable for small noise and overlap more as it grows; most points lie in [-1.5, 1.5]²
    at the default.
    """
    noise = _check_noise(noise)
    sizes = _class_sizes(n, 2)
    generator = get_rng(seed, rng)
    parts = [np.full((size, 2), centre) for centre, size in zip((-0.75, 0.75), sizes, strict=True)]
    return _assemble(parts, noise, generator)


def spiral(n: int = 200, noise: float = 0.05, arms: int = 2, *, seed=None, rng=None):
    """Interleaved spiral arms, one class per arm.

    Arm k holds points at a random position t ∈ [0, 1) along it, at radius r = t and angle
    θ = 1.75 · 2π · t + 2π k / arms: each arm winds 1.75 turns out from the centre to the unit
    circle, so coordinates lie in [-1, 1] before noise.

    Parameters
    ----------
    n : int, default 200
        Total number of points (shared between the arms).
    noise : float, default 0.05
        Standard deviation of the jitter.
    arms : int, default 2
        Number of arms = number of classes, at least 2.
    """
    arms = check_int(arms, "arms", 2)
    noise = _check_noise(noise)
    sizes = _class_sizes(n, arms)
    generator = get_rng(seed, rng)
    parts = []
    for k, size in enumerate(sizes):
        t = generator.uniform(0.0, 1.0, size)
        parts.append(_on_circle(t, 1.75 * 2 * np.pi * t + 2 * np.pi * k / arms))
    return _assemble(parts, noise, generator)


def moons(n: int = 200, noise: float = 0.1, *, seed=None, rng=None):
    """Two interleaving half circles of radius 1.

    Class 0 is the upper arc (cos θ, sin θ) and class 1 the lower arc (1 − cos θ, 0.5 − sin θ),
    θ uniform in [0, π], both shifted by (−0.5, −0.25) so the picture is centred:
    x1 ∈ [-1.5, 1.5], x2 ∈ [-0.75, 0.75] before noise.
    """
    noise = _check_noise(noise)
    sizes = _class_sizes(n, 2)
    generator = get_rng(seed, rng)
    upper = _on_circle(1.0, generator.uniform(0, np.pi, sizes[0]))
    lower = np.array([1.0, 0.5]) - _on_circle(1.0, generator.uniform(0, np.pi, sizes[1]))
    centre = np.array([0.5, 0.25])
    return _assemble([upper - centre, lower - centre], noise, generator)
