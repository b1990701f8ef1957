"""A trained network with the preprocessing its inputs need: raw rows in, predictions out.

``neuralab train`` standardises its features and encodes text columns before the network sees
them, and trains classifiers on class codes; the network alone cannot be used on a new CSV. A
:class:`Predictor` keeps all of it -- the column encoding (:class:`~neuralab.data.encoding
.TableEncoder`), the training mean and scale of every feature, the task, the class labels and,
for regression, the target's mean and scale -- and ``nl.save`` writes it into the model file's
metadata as JSON, so ``nl.load`` gives the Predictor back and ``neuralab predict`` uses the same
code.

Shapes: the network takes z = (x − mean) / scale, with x the encoded features of a row. For
classification it returns logits: one (z > 0 means ``classes[1]``, P = σ(z)) for two classes,
one per class otherwise (P = softmax); for regression the standardised target, so that the
prediction is output · target_scale + target_mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import functional as F
from ._config import no_grad
from ._network import input_width, output_width, parameter_dtype
from .autograd import Tensor

TASKS = ("classification", "regression")


def _floats(values, name: str, size: int | None, positive: bool = False) -> np.ndarray:
    """A list of finite floats (> 0 with ``positive``) of length ``size``, or a ValueError."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not a list of numbers") from None
    if array.ndim != 1 or (size is not None and len(array) != size):
        raise ValueError(f"{name} has shape {array.shape}, expected ({size},)")
    if not np.all(np.isfinite(array)) or (positive and np.any(array <= 0)):
        raise ValueError(f"{name} holds values that are not finite" +
                         (" and positive" if positive else ""))
    return array


class Predictor:
    """A network and its preprocessing: ``predict`` takes the rows of a table as they come.

    Usually loaded, not built: ``nl.load("runs/.../model.safetensors")`` returns one for a
    file written by ``neuralab train``, and ``nl.save(predictor, path)`` writes one.

    Parameters
    ----------
    model : nn.Module
        The trained network (see the module docstring for what it takes and returns).
    encoder : neuralab.data.TableEncoder
        Fitted: which columns the rows need and how they become features.
    mean, scale : array-like of shape (n_features,)
        The standardisation z = (x − mean) / scale fitted on the training features.
    task : {"classification", "regression"}
    classes : sequence, optional
        Classification: the label of each class, in the network's output order.
    target : str, default "prediction"
        The name of the predicted column (``neuralab predict`` writes it as the header).
    target_mean, target_scale : float, default 0 and 1
        Regression: prediction = output · target_scale + target_mean.

    Attributes
    ----------
    input_columns : list of str
        The columns ``predict`` reads (others are ignored).
    feature_names : list of str
        The network's inputs, after encoding ("color=red", ...).

    Examples
    --------
    >>> predictor = nl.load("runs/20260101-120000/model.safetensors")
    >>> predictor.predict("new_rows.csv")          # labels (or numbers, for regression)
    >>> predictor.predict_proba(dataframe)         # classification: P(class) per column
    """

    def __init__(self, model, encoder, mean, scale, task: str, classes=None, *,
                 target: str = "prediction", target_mean: float = 0.0,
                 target_scale: float = 1.0) -> None:
        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}. Got {task!r} instead.")
        n_features = len(encoder.feature_names_)
        self.model, self.encoder, self.task, self.target = model, encoder, task, str(target)
        self.mean = _floats(mean, "mean", n_features)
        self.scale = _floats(scale, "scale", n_features, positive=True)
        width = input_width(model)
        if width is not None and width != n_features:
            raise ValueError(f"the network takes {width} inputs but the encoder makes "
                             f"{n_features} features")
        self.classes = None
        if task == "classification":
            self.classes = np.asarray(classes if classes is not None else [])
            n_out = output_width(model)
            expected = 1 if len(self.classes) == 2 else len(self.classes)
            if len(self.classes) < 2 or len(np.unique(self.classes)) != len(self.classes) or (
                    n_out is not None and n_out != expected):
                raise ValueError(f"classes must be at least two distinct labels, one per output "
                                 f"of the network ({n_out} outputs, {len(self.classes)} labels)")
        self.target_mean, self.target_scale = (
            float(v) for v in _floats([target_mean, target_scale], "target mean/scale", 2))
        if self.target_scale <= 0:
            raise ValueError("target_scale must be positive")

    @property
    def input_columns(self) -> list[str]:
        return self.encoder.input_columns_

    @property
    def feature_names(self) -> list[str]:
        return self.encoder.feature_names_

    # ------------------------------------------------------------------ prediction
    def _frame(self, data):
        """``(DataFrame, row describer)`` for a CSV path, a DataFrame, a mapping or an array."""
        from .data.encoding import require_pandas
        from .data.tabular import line_describer, read_table

        pd = require_pandas()
        if isinstance(data, str | Path):
            text = [c["name"] for c in self.encoder.columns_ if c["kind"] == "category"]
            return read_table(data, text_columns=text), line_describer(Path(data))
        if isinstance(data, pd.DataFrame):
            return data, lambda row: f"row {row!r}"
        if isinstance(data, dict):
            return pd.DataFrame(data), lambda row: f"row {row!r}"
        array = np.asarray(data, dtype=object)
        if array.ndim != 2 or array.shape[1] != len(self.input_columns):
            raise ValueError(
                f"An array of rows must have shape (n, {len(self.input_columns)}): one value per "
                f"column {', '.join(self.input_columns)}. Got shape {array.shape}; pass a "
                "DataFrame or a CSV path to give the columns by name."
            )
        frame = pd.DataFrame(array, columns=self.input_columns).infer_objects()
        return frame, lambda row: f"row {row!r}"

    def transform(self, data) -> np.ndarray:
        """The network's input for ``data``: encoded, then standardised (float32).

        ``data`` is a path to a CSV file, a pandas DataFrame, a dict of columns, or a 2-D
        array with one column per ``input_columns`` entry, in that order.

        Raises
        ------
        ValueError
            A missing column or value, an unseen category, text in a number column, a
            non-finite number: each names the column and the first row.
        """
        frame, describe_row = self._frame(data)
        X = self.encoder.transform(frame, describe_row)
        return ((X - self.mean) / self.scale).astype(np.float32)

    def _outputs(self, data) -> np.ndarray:
        """The network's raw outputs for ``data`` (evaluation mode), float64, (n, outputs)."""
        X = self.transform(data)
        model = self.model
        with model.evaluating(), no_grad():
            output = model(X.astype(parameter_dtype(model), copy=False))
        output = np.asarray(output.data, dtype=np.float64)
        return output.reshape(len(X), -1)

    def _values(self, outputs: np.ndarray) -> np.ndarray:
        """Predicted labels or values from the network's outputs."""
        if self.task == "regression":
            values = outputs * self.target_scale + self.target_mean
            return values[:, 0] if values.shape[1] == 1 else values
        from .train.targets import predicted_labels

        kind = "bce_with_logits" if outputs.shape[1] == 1 else "cross_entropy"
        return self.classes[predicted_labels(outputs, kind).reshape(len(outputs))]

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        if self.task != "classification":
            raise ValueError("Probabilities are for classification models; this one predicts "
                             f"{self.target!r} as a number (use predict).")
        if logits.shape[1] == 1:
            logits = np.hstack([np.zeros_like(logits), logits])
        return np.exp(F.log_softmax(Tensor(logits)).data)

    def predict(self, data) -> np.ndarray:
        """The predicted label (classification) or value (regression) of every row, shape (n,)
        (or (n, k) for k regression targets). ``data`` as for :meth:`transform`."""
        return self._values(self._outputs(data))

    def predict_proba(self, data) -> np.ndarray:
        """P(class | row), shape (n, n_classes), columns in ``classes`` order (classification).

        Two classes: [1 − σ(z), σ(z)], computed as softmax([0, z]); more: softmax(z).
        """
        return self._probabilities(self._outputs(data))

    def predict_frame(self, data, proba: bool = False):
        """The predictions as a DataFrame, as ``neuralab predict`` writes them: a column named
        after the target, and with ``proba`` one column "proba_CLASS" per class."""
        outputs = self._outputs(data)
        probabilities = self._probabilities(outputs) if proba else None
        return prediction_table(self.target, self._values(outputs), self.classes, probabilities)

    # ------------------------------------------------------------------ as data
    def preprocessing(self) -> dict:
        """Everything but the network, as JSON-serialisable data (see
        :meth:`from_preprocessing`)."""
        return {
            "encoder": self.encoder.to_dict(), "mean": self.mean.tolist(),
            "scale": self.scale.tolist(), "task": self.task, "target": self.target,
            "classes": None if self.classes is None else self.classes.tolist(),
            "target_mean": self.target_mean, "target_scale": self.target_scale,
        }

    def _to_model_file(self):
        """What ``nl.save`` writes: the "preprocessing" JSON and the network (see
        :mod:`neuralab.io.payloads`)."""
        import json

        return "preprocessing", json.dumps(self.preprocessing()), self.model

    @classmethod
    def from_preprocessing(cls, model, spec, path="the file") -> Predictor:
        """The Predictor of ``model`` and :meth:`preprocessing`'s data, every field checked.

        Raises
        ------
        neuralab.ModelFileError
            Naming the first field that is missing or does not fit the network.
        """
        from .data.encoding import TableEncoder
        from .io import ModelFileError

        try:
            if not isinstance(spec, dict):
                raise ValueError("it is not a JSON object")
            classes = spec.get("classes")
            if classes is not None and not (isinstance(classes, list) and all(
                    isinstance(label, str | int | float | bool) for label in classes)):
                raise ValueError("classes is not a list of labels")
            return cls(model, TableEncoder.from_dict(spec.get("encoder")), spec.get("mean"),
                       spec.get("scale"), spec.get("task"), classes,
                       target=spec.get("target", "prediction"),
                       target_mean=spec.get("target_mean", 0.0),
                       target_scale=spec.get("target_scale", 1.0))
        except (ValueError, TypeError) as err:
            raise ModelFileError(
                f"{str(path)!r} holds an invalid preprocessing description: {err}."
            ) from None

    def __repr__(self) -> str:
        what = (f"{len(self.classes)} classes" if self.task == "classification"
                else "a number")
        return (f"Predictor({self.task}: {len(self.input_columns)} columns -> "
                f"{len(self.feature_names)} features -> {what} {self.target!r})")


def from_model_file(text: str, build, path="the file") -> Predictor:
    """The Predictor a model file holds: the ``neuralab.model_files`` loader for
    "preprocessing" (see :mod:`neuralab.io.payloads`)."""
    from .io import parse_json

    return Predictor.from_preprocessing(build(), parse_json(text, "preprocessing", path), path)


def prediction_table(target: str, values: np.ndarray, classes=None, probabilities=None):
    """A DataFrame of predictions: ``target`` (the values; "target_j" for each of several),
    then "proba_CLASS" per class."""
    from .data.encoding import require_pandas

    values = np.asarray(values)
    columns = ({target: values} if values.ndim == 1 else
               {f"{target}_{j}": values[:, j] for j in range(values.shape[1])})
    table = require_pandas().DataFrame(columns)
    if probabilities is not None:
        for index, label in enumerate(np.asarray(classes).tolist()):
            table[f"proba_{label}"] = probabilities[:, index]
    return table
