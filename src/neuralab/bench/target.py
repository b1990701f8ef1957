"""Fit-to-target: the scikit-learn estimators against each other on the digits.

``NeuralabClassifier`` and ``MLPClassifier`` get the same settings -- one hidden layer of 64
ReLU units, Adam, scikit-learn's defaults for everything else (batch size min(200, n), learning
rate 1e-3, alpha 1e-4, tol 1e-4 over 10 epochs, at most 200 epochs) -- on the same standardised
train/test split (float64, as StandardScaler gives it: both estimators compute in their input's
dtype), for several seeds, fits interleaved. Reported: the median seconds per fit and the mean
test accuracy.
"""

from __future__ import annotations

import statistics
import time
import warnings

SETTINGS = {"hidden_layer_sizes": (64,), "solver": "adam", "max_iter": 200}


def _split():
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from ..data import load_digits

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0,
                                                        stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def fit_to_target(seeds: int = 5) -> dict:
    """{"neuralab": {...}, "sklearn": {...}} with "seconds" (median), "accuracy" (mean) and
    their per-seed lists."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from ..estimators import NeuralabClassifier

    X_train, X_test, y_train, y_test = _split()
    makers = {"neuralab": NeuralabClassifier, "sklearn": MLPClassifier}
    runs = {name: {"seconds_all": [], "accuracy_all": []} for name in makers}
    for seed in range(seeds):
        for name, make in makers.items():
            model = make(random_state=seed, **SETTINGS)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X_train, y_train)
            runs[name]["seconds_all"].append(time.perf_counter() - start)
            runs[name]["accuracy_all"].append(float(model.score(X_test, y_test)))
    for result in runs.values():
        result["seconds"] = statistics.median(result["seconds_all"])
        result["accuracy"] = statistics.fmean(result["accuracy_all"])
    return runs
