"""The state of one ``fit`` call: what callbacks see, what a checkpoint holds, how a run resumes.

A resumed run ends bit for bit where an uninterrupted one would, so a checkpoint holds every
source of randomness the run draws from, besides the weights, the optimizer and the schedule:

* the run's seed, from which fit draws its validation split and the loader's generator (fit
  draws the seed from the default generator when ``seed=None`` is given);
* the loader's generator (the order of the next epochs);
* every generator a module owns (a seeded ``Dropout``, or one given ``rng=``);
* the default generator (``nl.manual_seed``), which an unseeded ``Dropout`` -- or any custom
  layer calling ``nl.rand`` without a seed -- draws from.
"""

from __future__ import annotations

import numpy as np

from .._config import default_generator
from .checkpoint import load_checkpoint, save_checkpoint


def read_resume_state(path, epochs: int, seed: int | None) -> dict:
    """The checkpoint at ``path``, checked against fit's ``epochs`` and ``seed`` before fit
    starts: the run must have epochs left, and the same seed (None takes the checkpoint's)."""
    state, _ = load_checkpoint(path)
    if state["epoch"] >= epochs:
        raise ValueError(
            f"The checkpoint {str(path)!r} has completed {state['epoch']} epochs already; ask "
            f"for more than that (epochs={epochs})."
        )
    saved_seed = state.get("seed")
    if seed is not None and saved_seed is not None and seed != saved_seed:
        raise ValueError(
            f"The checkpoint {str(path)!r} was written by a run with seed={saved_seed}, but "
            f"fit got seed={seed}: the validation split and the shuffling would differ from "
            f"the interrupted run's. Pass seed={saved_seed}, or seed=None to take the "
            "checkpoint's."
        )
    return state


class TrainingRun:
    """The state of one ``fit`` call, shared with the callbacks (as ``callback.run``).

    Attributes: ``model``, ``optimizer``, ``scheduler``, ``loader``, ``history``, ``epochs``,
    ``seed`` (the run's seed), ``initial_epoch`` (epochs already done when resuming),
    ``epoch`` (epochs completed so far) and ``stop_training`` (set it to True to stop after
    the current epoch).
    """

    def __init__(self, model, optimizer, scheduler, loader, history, callbacks, epochs,
                 seed: int | None = None) -> None:
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.loader, self.history, self.callbacks = loader, history, callbacks
        self.epochs, self.seed = epochs, seed
        self.initial_epoch = self.epoch = 0
        self.stop_training = False

    def _generators(self) -> list[np.random.Generator]:
        """Random generators owned by modules (dropout), in a fixed order."""
        return [
            value for module in self.model.modules() for value in vars(module).values()
            if isinstance(value, np.random.Generator)
        ]

    def state(self) -> dict:
        """Everything needed to continue this run exactly where it is."""
        return {
            "epoch": self.epoch,
            "seed": self.seed,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "loader": self.loader.get_state(),
            "generators": [g.bit_generator.state for g in self._generators()],
            "default_generator": default_generator().bit_generator.state,
            "callbacks": [cb.get_state() for cb in self.callbacks],
        }

    def save_checkpoint(self, path) -> None:
        """Write :meth:`state` to ``path`` (atomically)."""
        save_checkpoint(path, self.state(), self.model.to_config())

    def resume(self, state: dict) -> None:
        """Continue from a checkpoint's state (see :func:`read_resume_state`) of a run of the
        same model."""
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state["scheduler"] is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.loader.set_state(state["loader"])
        for generator, saved in zip(self._generators(), state["generators"], strict=True):
            generator.bit_generator.state = saved
        if "default_generator" in state:  # checkpoints written before it was saved lack it
            default_generator().bit_generator.state = state["default_generator"]
        for callback, saved in zip(self.callbacks, state["callbacks"], strict=False):
            callback.set_state(saved)
        self.initial_epoch = self.epoch = state["epoch"]
