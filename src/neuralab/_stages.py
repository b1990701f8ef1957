"""A Sequential MLP seen as layers: each Linear with the modules that follow it.

The teaching views (``explain.trace``, ``diagnostics.report``) speak of "layer 2" and "unit 3"
the way the course does: a layer is one ``Linear`` (z = a W + b) together with what comes after
it up to the next ``Linear`` (an activation, and possibly BatchNorm1d or Dropout). This module
splits a model into such stages and picks the loss a network's output calls for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .nn import Activation, Linear, Sequential, Sigmoid


@dataclass
class Stage:
    """One layer of an MLP: its ``Linear`` and the modules after it.

    Attributes
    ----------
    number : int
        1 for the first layer (the course counts layers from the input side).
    name : str
        The Linear's name in the Sequential ("0", "2", ...): its parameters are "<name>.weight"
        and "<name>.bias".
    linear : Linear
    after : list of (name, Module)
        The modules up to the next Linear.
    """

    number: int
    name: str
    linear: Linear
    after: list = field(default_factory=list)

    @property
    def activation(self):
        """The last activation module of the layer, or None (a linear layer)."""
        found = [module for _, module in self.after if isinstance(module, Activation)]
        return found[-1] if found else None

    @property
    def width(self) -> int:
        return self.linear.out_features


def split_stages(model, who: str) -> list[Stage]:
    """The layers of ``model``, a Sequential (or MLP) that starts with a Linear.

    Raises
    ------
    TypeError
        For anything else; ``who`` names the caller in the message.
    """
    if not isinstance(model, Sequential):
        raise TypeError(
            f"{who} works on an nn.Sequential (or nn.MLP) of Linear layers and activations. Got "
            f"{type(model).__name__} instead."
        )
    stages: list[Stage] = []
    for name, module in model.named_children():
        if isinstance(module, Linear):
            stages.append(Stage(len(stages) + 1, name, module))
        elif not stages:
            raise TypeError(
                f"{who} needs the network to start with a Linear layer; its first module is "
                f"{type(module).__name__}."
            )
        else:
            stages[-1].after.append((name, module))
    if not stages:
        raise TypeError(f"{who} needs at least one Linear layer; the Sequential is empty.")
    return stages


def default_loss(stages: list[Stage]) -> str:
    """The loss the output calls for: "bce" after a sigmoid (the course's network),
    "bce_with_logits" for one raw score, "cross_entropy" for several."""
    if isinstance(stages[-1].activation, Sigmoid):
        return "bce"
    if stages[-1].activation is not None:
        raise ValueError(
            f"The network ends with {type(stages[-1].activation).__name__}, so the loss cannot "
            "be guessed. Pass loss= ('bce', 'bce_with_logits', 'mse' or 'cross_entropy')."
        )
    return "bce_with_logits" if stages[-1].width == 1 else "cross_entropy"


def loss_function(loss, stages: list[Stage]):
    """``(callable, kind)`` for ``loss`` (None: :func:`default_loss`), as ``fit`` resolves it."""
    from .train.targets import resolve_loss

    return resolve_loss(default_loss(stages) if loss is None else loss)
