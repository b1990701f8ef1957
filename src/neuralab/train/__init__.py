"""Training: ``fit`` and ``evaluate``, callbacks, checkpoints that resume exactly."""

from .callbacks import Callback, CSVLogger, EarlyStopping, History, ModelCheckpoint, Monitor
from .live import LivePlot
from .loop import TrainingDivergedError, TrainingRun, evaluate, fit
from .progress import ProgressBar

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
