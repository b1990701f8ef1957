"""Training: ``fit`` and ``evaluate``, callbacks, checkpoints that resume exactly."""

from .callbacks import Callback, CSVLogger, EarlyStopping, History, ModelCheckpoint, Monitor
from .guard import TrainingDivergedError
from .live import LivePlot
from .loop import evaluate, fit
from .progress import ProgressBar
from .run import TrainingRun

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "History",
    "LivePlot",
    "ModelCheckpoint",
    "Monitor",
    "ProgressBar",
    "TrainingDivergedError",
    "TrainingRun",
    "evaluate",
    "fit",
]
