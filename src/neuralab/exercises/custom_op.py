"""A custom op: tanh written by the student as an ``Op`` (forward and backward side by side),
graded against the engine's own tanh and then by ``nl.gradcheck``.

The op contract (see ``neuralab.autograd.function``): ``forward(z)`` returns ``(out, saved)``;
``backward(saved, grad, needs)`` receives dL/d(out) and returns a tuple with dL/dz.
"""

from __future__ import annotations

import numpy as np

from ..autograd import GradcheckError, Op, apply, gradcheck, tensor
from ._base import BadAnswer, Exercise, NotAnswered, Verdict, call, close

POINTS = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])
#: dL/d(out) handed to backward: not all ones, so a missing "times grad" shows
UPSTREAM = np.array([0.5, -1.2, 2.0, 1.0, -0.7, 1.5])


def _op_class(answer) -> type:
    if answer is Ellipsis:
        raise NotAnswered
    if not (isinstance(answer, type) and issubclass(answer, Op)):
        raise BadAnswer("Tanh must be a class that subclasses neuralab.autograd.Op (class "
                        f"Tanh(Op): ...); got {answer!r}.")
    return answer


def _first_off(got: np.ndarray, want: np.ndarray) -> int | None:
    for k, (g, w) in enumerate(zip(got, want, strict=True)):
        if not close(float(g), float(w)):
            return k
    return None


def _grade(answer) -> Verdict:
    op = _op_class(answer)
    result = call(op.forward, (POINTS.copy(),), "in forward")
    if not (isinstance(result, tuple) and len(result) == 2):
        raise BadAnswer("forward must return two things: (out, saved), the output and what "
                        "backward will need.")
    out, saved = result
    k = _first_off(np.broadcast_to(np.asarray(out, dtype=np.float64), POINTS.shape),
                   tensor(POINTS, dtype="float64").tanh().data)
    if k is not None:
        return Verdict(False, f"forward at z = {POINTS[k]:g} does not give tanh(z).",
                       "tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)); numpy has np.tanh.")
    upstream = UPSTREAM.copy()
    grads = call(op.backward, (saved, upstream, (True,)), "in backward")
    if not np.array_equal(upstream, UPSTREAM):
        return Verdict(False, "backward changed the array grad in place.",
                       "The same grad array may be handed to several ops: compute a new array "
                       "(grad * something) instead of writing into grad.")
    if not (isinstance(grads, tuple | list) and len(grads) == 1):
        raise BadAnswer("backward must return a tuple with one gradient per input: (dL/dz,).")
    z = tensor(POINTS, dtype="float64", requires_grad=True)
    (z.tanh() * UPSTREAM).sum().backward()
    got = np.broadcast_to(np.asarray(grads[0], dtype=np.float64), POINTS.shape)
    k = _first_off(got, z.grad)
    if k is not None:
        local = 1 - np.tanh(POINTS[k]) ** 2
        forgot = close(float(got[k]), float(local))
        return Verdict(
            False, f"backward at z = {POINTS[k]:g} (with dL/d(out) = {UPSTREAM[k]:g}) does not "
                   "give dL/dz.",
            "backward gets grad = dL/d(out); the chain rule wants grad times the local "
            "derivative d(out)/dz." if forgot else
            "The course writes tanh's derivative with the output g(z) itself: save the output "
            "in forward and use it in backward.")
    try:
        gradcheck(lambda t: apply(op, t), tensor(POINTS, dtype="float64", requires_grad=True))
    except GradcheckError as err:
        return Verdict(False, f"gradcheck disagrees with your op: {err}",
                       "forward and backward must describe the same function.")
    return Verdict(True, "Your op's forward is tanh, its backward equals autograd's tanh "
                         "gradient for every input, and nl.gradcheck (finite differences, "
                         "float64) agrees.")


CUSTOM_OP = Exercise(
    name="custom-op", title="a custom op's backward: tanh", lesson="activations",
    task=("Write tanh as a neuralab op: a class Tanh(Op) with forward(z) returning (out, saved) "
          "and backward(saved, grad, needs) returning (dL/dz,), where grad is dL/d(out). The "
          "course gives g(z) = (e^z - e^(-z)) / (e^z + e^(-z)) and its derivative in terms of "
          "g(z). Use it with nl.autograd.apply(Tanh, z)."),
    answer="Tanh",
    template=("import numpy as np\n\nfrom neuralab.autograd import Op\n\n\nclass Tanh(Op):\n"
              "    name = \"my_tanh\"\n\n    @staticmethod\n    def forward(z):\n"
              "        raise NotImplementedError  # return out, saved\n\n"
              "    @staticmethod\n    def backward(saved, grad, needs):\n"
              "        raise NotImplementedError  # return (dL/dz,)\n"),
    hints=["Save the output: the derivative is cheapest written with it.",
           "backward multiplies the upstream grad by the local derivative (chain rule).",
           "Never write into grad; return a new array."],
    grader=_grade,
)

EXERCISES = (CUSTOM_OP,)
