"""The optimizer base class: parameters, learning rate, per-parameter state, state dicts.

An optimizer changes the parameters in place, ``w -= lr * direction``, from their gradients.
A subclass writes its update rule once, in ``_update(w, g, slab, lr)``: the math of its
docstring on the arrays of one parameter, with g = ∇L(w) + λ w already formed (weight decay is
the same for every rule). This class checks the parameters, holds the state, calls the rule for
each parameter that has a gradient and saves/restores the state.

Speed: every per-parameter buffer (the optimizer's state and two scratch arrays for
intermediate results) is allocated once, so a step allocates no array at all: each update is a
few ``np.multiply(..., out=buf)``-style calls on existing memory. A step never changes the
values of ``p.grad`` (training loops log gradient norms after the step).

The fast path of ``fit`` (``train/step.py``) is the rule's caller, not its concern. When the
parameters share a dtype, each named buffer of all parameters is a view of one flat array, so
that ``step(pack)`` can apply the same rule *once* to a
:class:`~neuralab.optim.packing.ParameterPack`, which holds every value and gradient as two
flat arrays and acts as one big parameter: a few NumPy calls per step instead of a few per
parameter. What the rule receives is a :class:`Slab` either way.
"""

from __future__ import annotations

from itertools import repeat
from operator import is_
from typing import NamedTuple

import numpy as np

from .._validation import check_float
from ..autograd.tensor import Tensor
from .packing import ParameterPack, shared_dtype, split


def _check_params(params, owner: str) -> list[Tensor]:
    """The parameters as a list, each a leaf tensor that requires grad, each once."""
    if isinstance(params, Tensor):
        raise TypeError(
            f"{owner} takes an iterable of parameters, not a single Tensor: pass [tensor] or "
            "model.parameters()."
        )
    if callable(getattr(params, "parameters", None)):
        raise TypeError(f"{owner} takes the model's parameters: pass model.parameters().")
    params = list(params)
    if not params:
        raise ValueError(
            f"{owner} got an empty list of parameters: there is nothing to optimize. Pass "
            "model.parameters() of a model that has parameters."
        )
    for index, param in enumerate(params):
        if not isinstance(param, Tensor):
            raise TypeError(
                f"{owner} optimizes Tensors; parameter {index} is a {type(param).__name__}. "
                "Pass model.parameters() or tensors made with requires_grad=True."
            )
        if not param.requires_grad or not param.is_leaf:
            raise ValueError(
                f"{owner} can only optimize leaf tensors that require grad; parameter {index} "
                f"(shape {param.shape}) "
                + ("does not require grad. Create it with requires_grad=True or as an "
                   "nn.Parameter." if not param.requires_grad else
                   "is computed from other tensors. Optimize the tensors it came from.")
            )
    if len({id(param) for param in params}) != len(params):
        raise ValueError(f"{owner} got the same parameter more than once; pass each one once.")
    return params


def check_weight_decay(value, owner: str, n_params: int) -> float | tuple[float, ...]:
    """λ >= 0 for every parameter, or a sequence of one λ per parameter (e.g. 0 for biases)."""
    if isinstance(value, list | tuple | np.ndarray):
        rates = tuple(check_float(rate, "weight_decay", owner, 0.0) for rate in value)
        if len(rates) != n_params:
            raise ValueError(
                f"The 'weight_decay' parameter of {owner} has {len(rates)} rates for "
                f"{n_params} parameters. Give one number for all, or one per parameter in the "
                "order of params."
            )
        return rates
    return check_float(value, "weight_decay", owner, 0.0)


def per_parameter(weight_decay: float | tuple[float, ...]):
    """The weight decay of each parameter in turn, None for λ = 0 (an endless repeat of a
    single rate)."""
    if isinstance(weight_decay, tuple):
        return [rate or None for rate in weight_decay]
    return repeat(weight_decay or None)


def add_weight_decay(grad: np.ndarray, data: np.ndarray, weight_decay, out: np.ndarray):
    """g + λ w, written into ``out``; ``grad`` itself when ``weight_decay`` is None (λ = 0).

    L2 regularisation (λ/2)‖w‖² added to the loss adds λ w to its gradient. λ is a number, or
    one rate per element when a packed update covers parameters with different rates.
    """
    if weight_decay is None:
        return grad
    np.multiply(data, weight_decay, out=out)
    out += grad
    return out


def _buffers(params: list[Tensor]) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """Zeroed buffers, one per parameter in its shape and dtype, and the flat array they are
    views of (in the order of ``params``) -- None when the dtypes differ and each parameter
    gets an array of its own."""
    dtype = shared_dtype(params)
    if dtype is None:
        return None, [np.zeros_like(param.data) for param in params]
    flat = np.zeros(sum(param.data.size for param in params), dtype)
    return flat, split(flat, [param.shape for param in params])


class Slab(NamedTuple):
    """What one application of an update rule works on: one parameter's arrays, or (fit's
    packed step) every parameter's at once."""

    param: object  # its ``data`` is w, its ``grad`` ∇L(w): a Tensor or a ParameterPack
    state: dict  # the optimizer's buffers for w by name ("momentum_buffer", "exp_avg", ...)
    scratch: np.ndarray  # room for an intermediate result, shaped like w
    decayed: np.ndarray  # where g = ∇L(w) + λ w is written when λ > 0
    index: int | None  # the parameter's position in ``params``; None for all of them


class Optimizer:
    """Base class of the optimizers.

    Parameters
    ----------
    params : iterable of Tensor
        The tensors to optimize: ``model.parameters()``, or leaf tensors with
        ``requires_grad=True``. Parameters whose ``grad`` is None at a step are skipped.
    lr : float > 0
        The learning rate η; schedules change the ``lr`` attribute between epochs.

    Attributes
    ----------
    params : list of Tensor
    lr : float
    step_count : int
        How many times ``step()`` ran.
    state : dict of str -> list of ndarray
        Per-parameter buffers by name, e.g. ``state["momentum_buffer"][i]`` for ``params[i]``.
    """

    #: names of the settings saved in the state dict (besides the per-parameter state)
    hyperparameter_names: tuple[str, ...] = ("lr",)

    def __init__(self, params, lr: float) -> None:
        owner = type(self).__name__
        self.params = _check_params(params, owner)
        self.lr = check_float(lr, "lr", owner, 0.0, low_open=True)
        self.step_count = 0
        self.state: dict[str, list[np.ndarray]] = {}  # filled by _allocate_state()
        self._flat_state: dict[str, np.ndarray | None] = {}
        self._flat_scratch, self._scratch = _buffers(self.params)
        self._flat_decayed, self._decayed = _buffers(self.params)
        self._packed_decay = (None, None)  # (weight decay, its per-element form)
        self._checked_pack = None  # the last pack found to hold exactly these parameters
        self._packed_slab = None  # and its slab (see _can_step_packed)
        self._gather_slabs()

    def _allocate_state(self) -> None:
        """Zeroed per-parameter buffers for every name the current settings need."""
        self.state, self._flat_state = {}, {}
        for name in self._state_names(self.hyperparameters()):
            self._flat_state[name], self.state[name] = _buffers(self.params)
        self._gather_slabs()

    def _gather_slabs(self) -> None:
        """One :class:`Slab` per parameter, gathered once per allocation."""
        self._slabs = [
            Slab(param, {name: buffers[index] for name, buffers in self.state.items()},
                 self._scratch[index], self._decayed[index], index)
            for index, param in enumerate(self.params)
        ]

    def _state_names(self, hyperparameters: dict) -> tuple[str, ...]:
        """The names of the per-parameter buffers these settings need (override)."""
        return ()

    # ------------------------------------------------------------------ stepping
    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to None (the next backward starts afresh)."""
        for param in self.params:
            param.grad = None

    def step(self, pack: ParameterPack | None = None) -> None:
        """Update every parameter that has a gradient, in place, by the rule of the subclass.

        ``pack`` (used by ``fit``): a :class:`~neuralab.optim.packing.ParameterPack` of exactly
        ``params``, in order, whose ``grad`` holds every parameter's gradient. The rule then
        runs once over the flat arrays; the result is the same as without it. The optimizer
        falls back to one parameter at a time when its buffers are not flat or
        :meth:`_can_step_packed` says no.
        """
        self.step_count += 1
        lr = float(self.lr)
        weight_decay = getattr(self, "weight_decay", 0.0)
        if pack is not None and self._can_step_packed(pack):  # the rule once, on everything
            slab, w = self._packed_slab, pack.data
            rate = self._packed_weight_decay(pack, weight_decay)
            self._update(w, add_weight_decay(pack.grad, w, rate, slab.decayed), slab, lr)
            return
        for slab, rate in zip(self._slabs, per_parameter(weight_decay)):  # noqa: B905 (repeat)
            param = slab.param
            if param.grad is not None:
                w = param.data
                self._update(w, add_weight_decay(param.grad, w, rate, slab.decayed), slab, lr)

    def _update(self, w: np.ndarray, g: np.ndarray, slab: Slab,
                lr: float) -> None:  # pragma: no cover - subclasses override it
        """Change ``w`` in place by the rule, from g = ∇L(w) + λ w (``slab`` holds the state
        buffers and a scratch array; ``g`` must not be changed)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ the packed step
    def _packed_weight_decay(self, pack: ParameterPack, weight_decay):
        """λ for the packed slab: None or one number when every parameter has the same rate,
        else one rate per element (cached until the rates change)."""
        if not isinstance(weight_decay, tuple) or len(set(weight_decay)) == 1:
            rate = weight_decay[0] if isinstance(weight_decay, tuple) else weight_decay
            return rate or None
        if self._packed_decay[0] != weight_decay:
            rates = np.repeat(weight_decay, pack.sizes).astype(pack.data.dtype)
            self._packed_decay = (weight_decay, rates)
        return self._packed_decay[1]

    def _can_step_packed(self, pack: ParameterPack) -> bool:
        """Whether a packed step is possible: the buffers are flat and ``pack`` holds exactly
        these parameters (checked once per pack, which then gets its slab: the pack as the
        parameter, the flat buffers, index None for "every parameter"). Subclasses add their
        own conditions."""
        if pack is not self._checked_pack or self._packed_slab.state is not self._flat_state:
            if (self._flat_scratch is None or len(pack.params) != len(self.params)
                    or not all(map(is_, pack.params, self.params))):
                return False
            self._checked_pack = pack
            self._packed_slab = Slab(pack, self._flat_state, self._flat_scratch,
                                     self._flat_decayed, None)
        return True

    # ------------------------------------------------------------------ state
    def hyperparameters(self) -> dict:
        """The current settings as a JSON-friendly dict (tuples become lists)."""
        values = {name: getattr(self, name) for name in self.hyperparameter_names}
        return {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}

    def _counters(self) -> dict:
        """The JSON-friendly step counters of the state dict."""
        return {"step_count": self.step_count}

    def _load_counters(self, state: dict) -> None:
        self.step_count = int(state["step_count"])

    def state_dict(self) -> dict:
        """Everything needed to continue training identically, as one dict.

        ``{"type": class name, "hyperparameters": {...}, "step_count": int,
        "state": {"0": {buffer name: ndarray copy}, "1": ...}}``, keyed by the parameter's
        index in ``params``. All but the arrays is JSON-serialisable.
        """
        return {
            "type": type(self).__name__,
            "hyperparameters": self.hyperparameters(),
            **self._counters(),
            "state": {
                str(index): {name: buffers[index].copy() for name, buffers in self.state.items()}
                for index in range(len(self.params))
            },
        }

    def load_state_dict(self, state: dict) -> None:
        """Restore settings, counters and buffers saved by ``state_dict()`` (buffers copied).

        Raises
        ------
        ValueError
            If the state comes from another optimizer type, another number of parameters or
            parameters of other shapes; nothing is changed then.
        """
        self._check_state(state)
        for name, value in state["hyperparameters"].items():
            setattr(self, name, tuple(value) if isinstance(value, list) else value)
        self._load_counters(state)
        self._allocate_state()
        for name, buffers in self.state.items():
            for index, buffer in enumerate(buffers):
                np.copyto(buffer, state["state"][str(index)][name], casting="same_kind")

    def _check_state(self, state: dict) -> None:
        """Raise a ValueError naming the first way ``state`` does not fit this optimizer."""
        owner = type(self).__name__
        if not isinstance(state, dict) or state.get("type") != owner:
            found = state.get("type") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"Cannot load the state of a {found} into a {owner}.")
        required = {"hyperparameters", "state", *self._counters()}
        if not required <= set(state):
            raise ValueError(f"The {owner} state lacks the keys {sorted(required - set(state))}.")
        settings = state["hyperparameters"]
        if set(settings) != set(self.hyperparameter_names):
            raise ValueError(
                f"The {owner} state has the settings {sorted(settings)}; expected "
                f"{sorted(self.hyperparameter_names)}."
            )
        per_param = state["state"]
        if sorted(per_param) != sorted(str(index) for index in range(len(self.params))):
            raise ValueError(
                f"The {owner} state is for {len(per_param)} parameters; this optimizer has "
                f"{len(self.params)}. Create it with the same parameters, in the same order."
            )
        names = set(self._state_names(settings))
        for index, param in enumerate(self.params):
            buffers = per_param[str(index)]
            if set(buffers) != names:
                raise ValueError(
                    f"The {owner} state of parameter {index} holds {sorted(buffers)}; its "
                    f"settings need {sorted(names)}."
                )
            for name, array in buffers.items():
                if np.shape(array) != param.shape:
                    raise ValueError(
                        f"The {owner} state's {name!r} for parameter {index} has shape "
                        f"{np.shape(array)}; the parameter has shape {param.shape}."
                    )

    def __repr__(self) -> str:
        names = self.hyperparameter_names
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({settings})"
