"""The activation functions of the course: formula, derivative, range, strengths, weaknesses.

Every value and derivative in the tables is computed by the engine: g(z) by the activation op,
g'(z) by autograd (``nl.viz.activation_values``). The step function is the exception that
proves the rule: its derivative is 0 wherever it exists and undefined at 0, and autograd
refuses to differentiate it, which is why gradient descent needs smooth activations.
Softmax maps a vector to a probability distribution; its table shows an example vector, and
its "derivative" ∂s_i/∂z_i = s_i(1 - s_i) from autograd.
"""

from __future__ import annotations

from .. import tensor
from ..autograd.function import NonDifferentiableError
from ..viz import activation_values
from ._base import Table, floats, returns_result

SUMMARY = "step, sigmoid, tanh, ReLU, Leaky ReLU, softmax: formulas, derivatives, ranges, plots"
POINTS = (-2.0, -0.5, 0.0, 0.5, 2.0)
LEAKY_ALPHA = 0.1
#: name -> (formula, derivative, output range, strength, weakness, typical use)
INFO = {
    "step": ("1 if z > 0 else 0", "0 (undefined at 0)", "{0, 1}",
             "a hard yes/no decision, the perceptron's unit",
             "no gradient to learn from", "perceptron; not for gradient descent"),
    "sigmoid": ("1 / (1 + e^-z)", "g(z)(1 - g(z)) <= 0.25", "(0, 1)",
                "smooth; reads as a probability", "vanishing gradient when saturated",
                "output of binary classifiers"),
    "tanh": ("(e^z - e^-z) / (e^z + e^-z)", "1 - g(z)²", "(-1, 1)",
             "smooth, centred on 0", "still vanishes when saturated (less than sigmoid)",
             "hidden layers"),
    "relu": ("max(0, z)", "1 if z > 0 else 0", "[0, ∞)",
             "cheap; gradient 1 for z > 0 (no vanishing)", "dying ReLU: stuck at 0",
             "hidden layers (the default)"),
    "leaky_relu": ("max(αz, z)", "1 if z > 0 else α", "(-∞, ∞)",
                   "keeps a small gradient for z < 0 (no dying)", "one more setting, α",
                   "hidden layers"),
    "softmax": ("e^z_i / Σ_j e^z_j", "s_i(1 - s_i) on the diagonal", "(0, 1), sums to 1",
                "probabilities over several classes", "exponentials need care (stability)",
                "output of multi-class classifiers"),
}
SOFTMAX_EXAMPLE = (2.0, 1.0, 0.1)


def _options(name: str) -> dict:
    return {"alpha": LEAKY_ALPHA} if name == "leaky_relu" else {}


def _softmax_example() -> dict:
    z = tensor(SOFTMAX_EXAMPLE, dtype="float64", requires_grad=True)
    s = z.softmax()
    diagonal = []
    for i in range(len(SOFTMAX_EXAMPLE)):
        z.grad = None
        s[i].backward(retain_graph=True)
        diagonal.append(float(z.grad[i]))
    return {"z": list(SOFTMAX_EXAMPLE), "s": floats(s.data), "sum": float(s.data.sum()),
            "diagonal": diagonal,
            "formula": floats(s.data * (1 - s.data))}


def _step_refused() -> str:
    z = tensor([0.5], dtype="float64", requires_grad=True)
    try:
        z.step().sum().backward()
    except NonDifferentiableError as err:
        return str(err).split(":")[0]
    return ""


@returns_result
def run() -> dict:
    values = {}
    for name in INFO:
        if name == "softmax":
            continue
        g, slope = activation_values(name, POINTS, **_options(name))
        values[name] = {"g": floats(g), "derivative": floats(slope)}
    return {"z": list(POINTS), "values": values, "softmax": _softmax_example(),
            "step_autograd": _step_refused(), "leaky_alpha": LEAKY_ALPHA}


def tables(result: dict) -> list:
    info = Table("The activation functions", ["name", "g(z)", "g'(z)", "range", "strength",
                                              "weakness", "use"],
                 [[name, *row] for name, row in INFO.items()])
    header = [f"z = {z:g}" for z in result["z"]]
    rows = []
    for name, v in result["values"].items():
        rows.append([f"{name} g(z)", *v["g"]])
        rows.append([f"{name} g'(z)", *v["derivative"]])
    sm = result["softmax"]
    return [
        info,
        Table(f"Values and autograd derivatives (Leaky ReLU with α = {result['leaky_alpha']})",
              ["", *header], rows,
              note=f"step: autograd says \"{result['step_autograd']}\"; shown as 0."),
        Table(f"Softmax of z = {tuple(sm['z'])}", ["z_i", "s_i", "ds_i/dz_i (autograd)",
                                                   "s_i(1 - s_i)"],
              [list(r) for r in zip(sm["z"], sm["s"], sm["diagonal"], sm["formula"],
                                    strict=True)],
              note=f"The s_i sum to {sm['sum']:.6g}."),
    ]


def plot(result: dict):
    from ..viz import activation_plot
    from ._plots import grid

    figure, axes = grid(2, 3, width=3.8, height=3.0, title="activations g(z) and g'(z)")
    for ax, name in zip(axes.ravel(), INFO, strict=True):
        activation_plot(name, ax=ax, **_options(name))
        ax.set(title=f"{name}: range {INFO[name][2]}")
    return figure
