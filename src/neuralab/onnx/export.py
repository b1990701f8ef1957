"""``nl.onnx.export``: a module, an estimator, a scikit-learn pipeline or a Predictor as ONNX.

What each becomes (input "X", one row per sample, in the network's float dtype):

- an ``nn.Module``: output "output", the module's output in evaluation mode (Dropout is the
  identity, BatchNorm1d uses its running statistics);
- a fitted ``NeuralabClassifier``: outputs "label" (what ``predict`` returns) and
  "probabilities" (``predict_proba``, columns in ``classes_`` order); a ``NeuralabRegressor``:
  "variable" (``predict``: shape (N,) for one target, (N, k) for k);
- a scikit-learn ``Pipeline`` of ``StandardScaler`` steps (or "passthrough") ending in one of
  those estimators: the scalers' (x − mean_) / scale_ first, then the estimator's outputs;
- a :class:`~neuralab.Predictor` (what ``neuralab train`` saves): its input is the encoded
  feature row (the names are in the model's metadata, "feature_names"), standardised inside
  the graph; outputs as for the estimators, with the target in its own units for regression.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._network import input_width, output_width, parameter_dtype
from .graph import IR_VERSION, OPSET, Graph, module_nodes, onnx_module


def _classifier_head(graph: Graph, logits: str, classes) -> list[tuple]:
    """Nodes from the logits to "label" and "probabilities"; their output descriptions.

    Two classes have one logit z: the pair [0, z] gives softmax [1 − σ(z), σ(z)] and the label
    classes[z > 0] (argmax takes the first of equal values, so z = 0 gives classes[0]).
    """
    from onnx import helper

    classes = np.asarray(classes)
    if len(classes) == 2:
        zero = helper.make_tensor("value", graph.float_type(), [1], [0.0])
        zeros = graph.node("ConstantOfShape", [graph.node("Shape", [logits], "logit_shape")],
                           "zeros", value=zero)
        logits = graph.node("Concat", [zeros, logits], "logit_pair", axis=1)
    graph.node("Softmax", [logits], "probabilities", output="probabilities", axis=1)
    index = graph.node("ArgMax", [logits], "class_index", axis=1, keepdims=0)
    table = classes.astype(object) if classes.dtype.kind in "USO" else (
        classes.astype(np.int64) if classes.dtype.kind in "iu" else classes)
    labels = graph.constant(table, "classes", dtype=table.dtype)
    graph.node("Gather", [labels, index], "label", output="label", axis=0)
    label_type = helper.np_dtype_to_tensor_dtype(np.dtype(str) if table.dtype == object
                                                 else table.dtype)
    return [("label", label_type, ["N"]),
            ("probabilities", graph.float_type(), ["N", len(classes)])]


def _regressor_head(graph: Graph, values: str, n_outputs: int) -> list[tuple]:
    """"variable": shape (N,) for one target (as ``predict`` returns it), else (N, k)."""
    if n_outputs == 1:
        flat = graph.constant([-1], "flat_shape", dtype=np.int64)
        graph.node("Reshape", [values, flat], "variable", output="variable")
        return [("variable", graph.float_type(), ["N"])]
    graph.node("Identity", [values], "variable", output="variable")
    return [("variable", graph.float_type(), ["N", n_outputs])]


def _estimator_head(graph: Graph, estimator, x: str) -> list[tuple]:
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator)
    outputs = module_nodes(graph, estimator.model_, x)
    if hasattr(estimator, "classes_"):
        return _classifier_head(graph, outputs, estimator.classes_)
    return _regressor_head(graph, outputs, output_width(estimator.model_))


def _scaler_nodes(graph: Graph, step, x: str, where: str) -> str:
    """A fitted StandardScaler: (x − mean_) / scale_ (either part absent if switched off)."""
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(step)
    if step.mean_ is not None:
        x = graph.node("Sub", [x, graph.constant(step.mean_, f"{where}mean")], f"{where}center")
    if step.scale_ is not None:
        x = graph.node("Div", [x, graph.constant(step.scale_, f"{where}scale")], f"{where}scale")
    return x


def _pipeline_head(graph: Graph, pipeline, x: str) -> list[tuple]:
    from sklearn.preprocessing import StandardScaler

    from ..estimators import NeuralabClassifier, NeuralabRegressor

    *steps, (_, last) = pipeline.steps
    if not isinstance(last, NeuralabClassifier | NeuralabRegressor):
        raise TypeError(
            "nl.onnx.export takes a Pipeline that ends in a NeuralabClassifier or "
            f"NeuralabRegressor. This one ends in a {type(last).__name__}."
        )
    for name, step in steps:
        if step is None or step == "passthrough":
            continue
        if type(step) is not StandardScaler:
            raise TypeError(
                f"nl.onnx.export translates the pipeline steps StandardScaler and 'passthrough'; "
                f"step {name!r} is a {type(step).__name__}. Export the network alone "
                "(nl.onnx.export(pipeline[-1], path)) and convert the other steps with skl2onnx."
            )
        x = _scaler_nodes(graph, step, x, f"{name}.")
    return _estimator_head(graph, last, x)


def _predictor_head(graph: Graph, predictor, x: str) -> list[tuple]:
    """Standardise, run the network, then the labels or the target in its units."""
    x = graph.node("Sub", [x, graph.constant(predictor.mean, "feature_mean")], "center")
    x = graph.node("Div", [x, graph.constant(predictor.scale, "feature_scale")], "standardise")
    outputs = module_nodes(graph, predictor.model, x)
    if predictor.task == "classification":
        return _classifier_head(graph, outputs, predictor.classes)
    outputs = graph.node("Mul", [outputs, graph.constant(predictor.target_scale,
                                                         "target_scale")], "unscale")
    outputs = graph.node("Add", [outputs, graph.constant(predictor.target_mean,
                                                         "target_mean")], "uncenter")
    return _regressor_head(graph, outputs, output_width(predictor.model))


def _plan(obj):
    """``(network, head function, input width, feature names)`` for any exportable object."""
    from sklearn.pipeline import Pipeline

    from ..estimators import NeuralabClassifier, NeuralabRegressor
    from ..nn import Module
    from ..predictor import Predictor

    if isinstance(obj, Predictor):
        return obj.model, _predictor_head, len(obj.feature_names), obj.feature_names
    if isinstance(obj, NeuralabClassifier | NeuralabRegressor):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(obj)
        names = getattr(obj, "feature_names_in_", None)
        return obj.model_, _estimator_head, obj.n_features_in_, names
    if isinstance(obj, Pipeline):
        last = obj.steps[-1][1]
        network = getattr(last, "model_", None)
        if network is None:
            raise TypeError("nl.onnx.export takes a fitted Pipeline ending in a neuralab "
                            f"estimator; its last step is a {type(last).__name__}.")
        names = getattr(obj, "feature_names_in_", None)
        return network, _pipeline_head, obj.n_features_in_, names
    if isinstance(obj, Module):
        def head(graph, module, x):
            output = graph.node("Identity", [module_nodes(graph, module, x)], "output",
                                output="output")
            return [(output, graph.float_type(), ["N", output_width(module)])]
        return obj, head, input_width(obj), None
    raise TypeError(
        "nl.onnx.export takes an nn.Module, a fitted NeuralabClassifier / NeuralabRegressor, a "
        f"scikit-learn Pipeline ending in one, or a neuralab Predictor. Got {type(obj).__name__}."
    )


def to_onnx(obj):
    """The ONNX model (an ``onnx.ModelProto``) of ``obj``; see :func:`export`.

    Raises
    ------
    TypeError
        For an object or layer that has no ONNX translation (the message says which).
    sklearn.exceptions.NotFittedError
        For an estimator or pipeline that is not fitted.
    """
    onnx = onnx_module()
    from onnx import helper

    network, head, width, names = _plan(obj)
    graph = Graph(parameter_dtype(network))
    outputs = head(graph, obj, graph.name("X"))
    x = helper.make_tensor_value_info("X", graph.float_type(), ["N", width])
    graph_proto = helper.make_graph(
        graph.nodes, f"neuralab_{type(obj).__name__}", [x],
        [helper.make_tensor_value_info(name, kind, shape) for name, kind, shape in outputs],
        initializer=graph.initializers)
    model = helper.make_model(graph_proto, producer_name="neuralab",
                              opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=IR_VERSION)
    from .. import __version__

    model.producer_version = __version__
    model.doc_string = f"{type(obj).__name__} exported by neuralab {__version__}"
    if names is not None:
        helper.set_model_props(model, {"feature_names": json.dumps([str(n) for n in names])})
    onnx.checker.check_model(model, full_check=True)
    return model


def export(obj, path) -> Path:
    """Write ``obj`` as an ONNX model to ``path`` (needs ``pip install "neuralab[onnx]"``).

    Parameters
    ----------
    obj : nn.Module, NeuralabClassifier, NeuralabRegressor, Pipeline or Predictor
        See the module docstring for each one's inputs and outputs. Modules may contain
        Linear, the activations (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Step, Identity),
        BatchNorm1d and Dropout, in Sequential / MLP containers; the graph computes the
        evaluation-mode forward.
    path : str or Path

    Returns
    -------
    Path of the written file.

    Examples
    --------
    >>> nl.onnx.export(clf, "clf.onnx")
    >>> import onnxruntime
    >>> session = onnxruntime.InferenceSession("clf.onnx")
    >>> labels, probabilities = session.run(None, {"X": X_test.astype("float32")})
    """
    onnx = onnx_module()
    model = to_onnx(obj)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path
