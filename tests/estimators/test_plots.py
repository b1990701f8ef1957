"""Figures for estimators and models: confusion matrix, loss and validation curves, and what a
decision-boundary plot needs from a fitted classifier."""

from __future__ import annotations

import io

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from sklearn.svm import SVC

import neuralab as nl
from neuralab import nn, viz
from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

FAST = {"hidden_layer_sizes": (8,), "learning_rate_init": 0.02, "max_iter": 30,
        "random_state": 0}


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG") and len(data) > 2000
    return data


def three_classes(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(c, 0.6, size=(n, 2)) for c in ((0, 2), (2, -1), (-2, -1))])
    return X, np.repeat(["cat", "dog", "eel"], n)


def test_confusion_matrix_of_an_estimator_counts_like_scikit_learn():
    X, y = three_classes()
    clf = NeuralabClassifier(**FAST).fit(X, y)
    figure = viz.confusion_matrix(clf, X, y)
    png(figure)
    shown = figure.axes[0].images[0].get_array()
    np.testing.assert_array_equal(shown, sklearn_confusion_matrix(y, clf.predict(X)))
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["cat", "dog", "eel"]
    normalized = viz.confusion_matrix(clf, X, y, normalize="true")
    np.testing.assert_allclose(normalized.axes[0].images[0].get_array().sum(axis=1), 1.0)


@pytest.mark.parametrize("output", [None, "sigmoid"])
def test_confusion_matrix_of_a_one_output_model_thresholds_probability_or_logit(output):
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    model = nn.MLP([1, 1], output=output, seed=0)
    model[0].weight.data[:] = 1.0
    model[0].bias.data[:] = -1.5  # logits -3.5, -2.5, -0.5, 0.5
    figure = viz.confusion_matrix(model, X, [0, 0, 1, 1])
    np.testing.assert_array_equal(figure.axes[0].images[0].get_array(), [[2, 0], [1, 1]])
    assert model.training  # the mode is put back


def test_confusion_matrix_of_a_multi_output_model_takes_the_argmax():
    X, y = three_classes()
    codes = np.unique(y, return_inverse=True)[1]
    model = nn.MLP([2, 8, 3], seed=0)
    nl.fit(model, X, codes, loss="cross_entropy", optimizer="adam", epochs=5, verbose=0, seed=0)
    with nl.no_grad():
        predicted = model.eval()(X.astype(np.float32)).data.argmax(axis=1)
    figure = viz.confusion_matrix(model, X, codes, title="three classes")
    np.testing.assert_array_equal(figure.axes[0].images[0].get_array(),
                                  sklearn_confusion_matrix(codes, predicted, labels=[0, 1, 2]))
    assert figure.axes[0].get_title() == "three classes"
    named = viz.confusion_matrix(model, X, codes, class_names=["cat", "dog", "eel"])
    assert [t.get_text() for t in named.axes[0].get_yticklabels()] == ["cat", "dog", "eel"]
    with pytest.raises(ValueError, match=r"class codes 0\.\.1"):
        viz.confusion_matrix(model, X, codes, class_names=["cat", "dog"])


def test_loss_curves_of_an_early_stopped_classifier_show_validation_accuracy():
    X, y = three_classes()
    clf = NeuralabClassifier(**{**FAST, "early_stopping": True, "validation_fraction": 0.3})
    clf.fit(X, y)
    assert viz.estimator_history(clf) == {"loss": clf.loss_curve_,
                                          "val_loss": clf.validation_loss_curve_,
                                          "val_accuracy": clf.validation_scores_}
    figure = viz.loss_curves(clf, title="early stopping")
    png(figure)
    loss_axes, score_axes = figure.axes
    assert [line.get_label() for line in loss_axes.lines] == ["train", "validation"]
    assert [line.get_label() for line in score_axes.lines] == ["validation accuracy"]
    np.testing.assert_allclose(score_axes.lines[0].get_ydata(), clf.validation_scores_)


def test_loss_curves_of_a_regressor_and_of_a_history():
    X, _ = three_classes()
    reg = NeuralabRegressor(**{**FAST, "early_stopping": True}).fit(X, X[:, 0] - X[:, 1])
    figure = viz.loss_curves(reg)
    assert figure.axes[1].get_title() == "r2"
    plain = viz.loss_curves(NeuralabRegressor(**FAST).fit(X, X[:, 0]))
    assert len(plain.axes) == 1
    model = nn.MLP([2, 4, 3], seed=0)
    history = nl.fit(model, X, np.repeat([0, 1, 2], 30), loss="cross_entropy", optimizer="adam",
                     epochs=3, validation_split=0.2, verbose=0, seed=0)
    assert len(viz.loss_curves(history).axes[1].lines) == 2
    with pytest.raises(ValueError, match="fit the estimator first"):
        viz.estimator_history(NeuralabClassifier())


def test_warm_started_validation_curves_end_with_the_training_curve():
    X, y = three_classes()
    clf = NeuralabClassifier(**{**FAST, "max_iter": 4, "warm_start": True}).fit(X, y)
    clf.set_params(early_stopping=True).fit(X, y)
    figure = viz.loss_curves(clf)
    train, validation = figure.axes[0].lines
    assert list(train.get_xdata()) == list(range(1, len(clf.loss_curve_) + 1))
    assert list(validation.get_xdata()) == list(
        range(len(clf.loss_curve_) - len(clf.validation_loss_curve_) + 1,
              len(clf.loss_curve_) + 1))


def test_regions_and_codes_of_a_binary_estimator_with_string_labels():
    X, y = three_classes()
    keep = y != "eel"
    clf = NeuralabClassifier(**FAST).fit(X[keep], y[keep])
    values, kind = viz.estimator_regions(clf, X[:5])
    assert kind == "probability"
    np.testing.assert_allclose(values, clf.predict_proba(X[:5])[:, 1])
    np.testing.assert_array_equal(viz.class_codes(clf, ["dog", "cat"]), [1, 0])
    with pytest.raises(ValueError, match=r"labels \['eel'\] that the classifier does not know"):
        viz.class_codes(clf, ["eel"])


def test_regions_of_multiclass_and_decision_function_only_classifiers():
    X, y = three_classes()
    clf = NeuralabClassifier(**FAST).fit(X, y)
    values, kind = viz.estimator_regions(clf, X)
    assert kind == "class"
    np.testing.assert_array_equal(clf.classes_[values], clf.predict(X))
    for data, labels in ((X, y), (X[y != "eel"], y[y != "eel"])):
        svm = SVC().fit(data, labels)  # decision_function, no predict_proba
        values, kind = viz.estimator_regions(svm, data)
        assert kind == "class"
        np.testing.assert_array_equal(svm.classes_[values], svm.predict(data))


def test_regions_of_a_predict_only_classifier():
    class Nearest:
        classes_ = np.array(["cat", "dog", "eel"])

        def predict(self, points):
            return self.classes_[np.argmax(points[:, :1] * [[0.0, 1.0, -1.0]], axis=1)]

    points = np.array([[1.0, 0.0], [-1.0, 0.0]])
    values, kind = viz.estimator_regions(Nearest(), points)
    assert kind == "class" and values.tolist() == [1, 2]
    np.testing.assert_array_equal(viz.class_codes(nn.MLP([2, 2]), [0, 1]), [0, 1])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_boundary_draws_an_estimator_with_string_labels(n_classes):
    X, y = three_classes()
    keep = np.isin(y, ["cat", "dog", "eel"][:n_classes])
    clf = NeuralabClassifier(**FAST).fit(X[keep], y[keep])
    figure = viz.decision_boundary(clf, X[keep], y[keep], resolution=40, title="pets")
    png(figure)
    points = figure.axes[0].collections[-1]  # the scatter of the data, coloured by class index
    np.testing.assert_array_equal(points.get_array(), np.searchsorted(clf.classes_, y[keep]))
    svm = SVC().fit(X[keep], y[keep])
    png(viz.decision_boundary(svm, X[keep], y[keep], resolution=40))

