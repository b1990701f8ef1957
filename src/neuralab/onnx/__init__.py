"""ONNX export of neuralab networks, estimators, pipelines and Predictors.

``nl.onnx.export(obj, "model.onnx")`` writes a graph built with the ``onnx`` package's helper
API (no PyTorch involved), which ONNX Runtime and other ONNX tools run. Needs the optional
extra: ``pip install "neuralab[onnx]"``. See :mod:`neuralab.onnx.export` for what each kind of
object becomes.
"""

from .export import export, to_onnx
from .graph import OPSET

__all__ = ["OPSET", "export", "to_onnx"]
