"""The playground's datasets: what each one is, which problem it poses, where its points come from.

Three problems:

* **binary** classification (two classes): the network has one output unit, read as the
  probability p of class 1 (through a sigmoid);
* **multiclass** classification (three or more classes): one output unit per class, read
  through a softmax, trained by cross-entropy; the page colours each class's region;
* **regression**: one output unit, its value itself, trained by squared error; the page colours
  the plane by the value.

The classification sets come from :mod:`neuralab.data` (by their ``load_dataset`` names); the
regression sets are defined here as a target function t(x1, x2) of points drawn uniformly in
the square [-1, 1]²; "custom" is the learner's own points (drawn on the map or read from a CSV
file), which travel inside the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dataset:
    """One entry of the dataset menu.

    Attributes
    ----------
    label : str
        Its name in the page.
    problem : str
        "classification", "regression", or "custom" (decided by the points themselves).
    classes : int
        Classes of a classification set (0 otherwise).
    source : str or None
        Its name for ``nl.data.load_dataset`` (classification sets).
    options : dict
        Extra options for ``load_dataset`` (the three-arm spiral's ``arms``).
    fixed : bool
        A logic gate's truth table: four fixed points, used for training and testing alike.
    suggested : dict
        Settings the page switches to when the learner picks this dataset from the menu (keys
        of ``PlaygroundConfig``). The defaults suit the simple sets; a spiral needs more points
        and a deeper network to be learnt in half a minute. A link's settings are never
        replaced: the suggestion applies only to a choice made in the menu.
    """

    label: str
    problem: str
    classes: int = 0
    source: str | None = None
    options: dict = field(default_factory=dict)
    fixed: bool = False
    suggested: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"label": self.label, "problem": self.problem, "classes": self.classes,
                "fixed": self.fixed, "suggested": dict(self.suggested)}


def _gate(name: str, source: str) -> Dataset:
    return Dataset(f"{name} gate", "classification", 2, source, fixed=True)


#: regression target id -> NumPy expression of x1 and x2 (the exported script writes the same)
REGRESSION_TARGETS = {
    "plane": "(x1 + x2) / 2",
    "bump": "np.exp(-2 * (x1 * x1 + x2 * x2))",
}

#: what the spirals learn well with in half a minute of the page: with the defaults (200
#: points, 4-4 tanh, learning rate 0.03) test accuracy stays near 0.59 (two arms) and 0.43
#: (three); with these, after 1,000 epochs, 0.91 and 0.85 (means over 4 seeds)
SPIRAL_SETTINGS = {"points": 500, "hidden": [8, 8, 8, 8], "activation": "relu",
                   "learning_rate": 0.01}

#: dataset id -> what it is; the menu's order
DATASETS = {
    "circles": Dataset("Circles", "classification", 2, "circles"),
    "xor": Dataset("XOR quadrants", "classification", 2, "xor"),
    "gaussians": Dataset("Two Gaussians", "classification", 2, "gaussians"),
    "spiral": Dataset("Spiral", "classification", 2, "spiral", suggested=SPIRAL_SETTINGS),
    "moons": Dataset("Moons", "classification", 2, "moons"),
    "spiral3": Dataset("Spiral, three arms", "classification", 3, "spiral", {"arms": 3},
                       suggested=SPIRAL_SETTINGS),
    "plane": Dataset("Plane", "regression"),
    "bump": Dataset("Gaussian bump", "regression"),
    "and": _gate("AND", "and"),
    "or": _gate("OR", "or"),
    "nand": _gate("NAND", "nand"),
    "nor": _gate("NOR", "nor"),
    "xor_gate": _gate("XOR", "xor_gate"),
    "xnor": _gate("XNOR", "xnor"),
    "custom": Dataset("Your own data", "custom"),
}
#: the truth-table datasets
GATES = tuple(name for name, dataset in DATASETS.items() if dataset.fixed)
#: what a custom dataset's labels are
CUSTOM_TASKS = ("classification", "regression")
