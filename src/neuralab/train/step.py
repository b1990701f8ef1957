"""One training update of ``fit``, behind one boundary: :class:`TrainingStep`.

Every update is the course's loop::

    output = model(x_batch); loss = loss_fn(output, y_batch)
    optimizer.zero_grad(); loss.backward(); optimizer.step()

plus the global gradient norm (and optional clipping) and a check that the loss and the norm
are finite before the parameters change. ``fit`` builds one ``TrainingStep`` per run and calls
it once per batch; everything done for speed lives here, so that neither the epoch loop nor
the optimizers nor the modules need to know about it:

* **Replay** (``autograd/replay.py``). When every module of the model declares
  ``static_graph = True`` (its forward computes the same ops on every batch, with no hidden
  state) and the loss is a built-in one without sample weights, the first batch runs eagerly,
  as above, and its recorded graph is flattened into a list of instructions; later batches
  run those instructions on arrays, without building tensors. A replay that refuses to run
  (a parameter was frozen, unfrozen or given a new array) makes the step run eagerly and
  trace again.
* **The parameter pack** (``optim/packing.py``). With replay, the parameters' values and
  gradients are views of two flat arrays while fit trains, so the gradient norm and the
  optimizer's update are one NumPy call each over the whole model (``optimizer.step(pack)``).
  :meth:`TrainingStep.close` gives each parameter its own array back.

The result is the same as the eager loop's, value for value (``tests/autograd/test_replay.py``
trains with and without the fast path and compares).
"""

from __future__ import annotations

from collections.abc import Callable
from math import isfinite

import numpy as np

from ..autograd.replay import Replay
from ..optim import clip_grad_norm_, grad_norm
from ..optim.packing import ParameterPack


class NonFiniteStep(ArithmeticError):
    """A batch gave a non-finite loss or gradient norm; the parameters were not updated.

    Attributes
    ----------
    loss, norm : float
    """

    def __init__(self, loss: float, norm: float) -> None:
        super().__init__(f"loss {loss}, gradient norm {norm}")
        self.loss, self.norm = loss, norm


def replayable(model, kind: str, weighted: bool) -> bool:
    """Whether fit may trace and replay the steps of ``model``: every module's class declares
    ``static_graph = True`` (see ``nn.Module``), the loss is built in (``kind`` is not
    "custom") and there are no sample weights (the weighted loss is a composite of ops)."""
    return (not weighted and kind != "custom"
            and all(type(module).static_graph for module in model.modules()))


class TrainingStep:
    """``step(x, y, w)``: one update of ``model`` on a batch; returns ``(output array, loss
    value, gradient norm before clipping)``.

    Raises :class:`NonFiniteStep`, before the update, when the loss or the norm is not
    finite. Build it when training starts (it packs the parameters for the fast path) and
    call :meth:`close` when training ends, however it ends.

    Parameters
    ----------
    model : neuralab.nn.Module
    optimizer : neuralab.optim.Optimizer
    loss_fn : callable
        ``loss_fn(output, y)``.
    kind : str
        The loss kind (``train/targets.py``), "custom" for a callable of the user's.
    max_norm : float or None
        Clip the global gradient norm to this (None: no clipping).
    weighted : callable, optional
        ``weighted(output, y, w)``, the loss with sample weights: batches then come with
        their weights.
    output_check : callable, optional
        Sees the first batch's output array before its loss is computed (``loss="bce"``
        checks that the outputs are probabilities).

    Attributes
    ----------
    params : list of Tensor
        The model's parameters.
    replays : bool
        Whether the fast path is on (see the module docstring).
    replay : Replay or None
        The traced step, once there is one.
    pack : ParameterPack or None
        The parameters' flat arrays while training (fast path only).
    """

    def __init__(self, model, optimizer, loss_fn: Callable, kind: str, *,
                 max_norm: float | None = None, weighted: Callable | None = None,
                 output_check: Callable | None = None) -> None:
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.max_norm, self.weighted, self.output_check = max_norm, weighted, output_check
        self.params = list(model.parameters())
        self.replays = replayable(model, kind, weighted is not None)
        self.replay: Replay | None = None
        self.pack = ParameterPack.pack(self.params) if self.replays else None

    def __call__(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> tuple:
        replay = self.replay
        replayed = replay.run(x, y) if replay is not None else None
        if replayed is None:
            output, loss = self._eager(x, y, w)
            pack = None
        else:
            output, loss = replayed
            pack = replay.pack  # None, or the pack that now holds every gradient
        params = self.params if pack is None else (pack,)  # a pack acts as one parameter
        norm = grad_norm(params) if self.max_norm is None else clip_grad_norm_(params,
                                                                               self.max_norm)
        if not (isfinite(loss) and isfinite(norm)):
            raise NonFiniteStep(loss, norm)
        self.optimizer.step(pack)
        return output, loss, norm

    def _eager(self, x, y, w) -> tuple[np.ndarray, float]:
        """``model(x)``, the loss, ``zero_grad()`` and ``backward()`` as written by hand; with
        the fast path, the step is traced too (again, if the replay refused to run)."""
        output = self.model(x)
        if self.output_check is not None:
            self.output_check(output.data)
            self.output_check = None
        loss = self.loss_fn(output, y) if w is None else self.weighted(output, y, w)
        self.optimizer.zero_grad()
        loss.backward()
        if self.replays:
            pack = self.pack if self.pack is not None and self.pack.intact() else None
            self.replay = Replay.trace(loss, output, self.params, x, y, pack)
        return output.data, float(loss.data)

    def close(self) -> None:
        """Training is over: every parameter gets its own array back (see ``ParameterPack``)."""
        if self.pack is not None:
            self.pack.unpack()
