"""Small sweep configs that train in milliseconds."""

from __future__ import annotations

import copy

#: the issue's test grid: 2 activations x 2 learning rates x 2 seeds on a small moons set
GRID = {
    "data": {"name": "moons", "n_samples": 80, "noise": 0.2},
    "model": {"hidden": [6], "optimizer": "sgd", "epochs": 4, "batch_size": 16},
    "grid": {"activation": ["relu", "tanh"], "lr": [0.3, 0.05]},
    "sweep": {"seeds": 2},
}

#: the same grid as TOML text
TOML = """
[data]
name = "moons"
n_samples = 80
noise = 0.2

[model]
hidden = [6]
optimizer = "sgd"
epochs = 4
batch_size = 16

[grid]
activation = ["relu", "tanh"]
lr = [0.3, 0.05]

[sweep]
seeds = 2
"""


def config(**changes) -> dict:
    """A copy of :data:`GRID` with whole sections replaced, e.g. ``config(grid={...})``."""
    result = copy.deepcopy(GRID)
    result.update(copy.deepcopy(changes))
    return result
