"""User mistakes in compile / fit get clear errors that name the argument, expected and received."""

import numpy as np
import pytest

import lamina
from lamina import layers


def _model():
    model = lamina.Sequential([lamina.Input((4,)), layers.Dense(3, activation="softmax")])
    return model


def test_fit_before_compile():
    with pytest.raises(ValueError, match=r"You must call compile\(\) before fit\(\)"):
        _model().fit(np.ones((4, 4)), np.ones((4, 3)))


@pytest.mark.requires_trainable_backend
def test_x_and_y_lengths_differ():
    model = _model()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="x sizes: 10; y sizes: 9"):
        model.fit(np.ones((10, 4)), np.ones((9, 3)), verbose=0)


@pytest.mark.requires_trainable_backend
def test_integer_labels_with_categorical_crossentropy():
    model = _model()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(np.ones((8, 4), dtype="float32"), np.zeros((8,), dtype="int32"), verbose=0)


@pytest.mark.requires_trainable_backend
def test_wrong_feature_count():
    model = _model()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(None, 5\)"):
        model.fit(np.ones((8, 5), dtype="float32"), np.ones((8, 3)), verbose=0)


def test_unknown_optimizer_and_loss_names():
    with pytest.raises(ValueError, match="adamm"):
        _model().compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match="msee"):
        _model().compile(optimizer="sgd", loss="msee")


def test_bad_steps_per_execution():
    with pytest.raises(ValueError, match="steps_per_execution to be a positive integer"):
        _model().compile(optimizer="sgd", loss="mse", steps_per_execution=0)


@pytest.mark.numpy_only
def test_numpy_backend_refuses_to_train_but_predicts():
    model = _model()
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError, match="inference only"):
        model.fit(np.ones((4, 4)), np.ones((4, 3)), verbose=0)
    assert model.predict(np.ones((4, 4)), verbose=0).shape == (4, 3)
    loss, accuracy = model.evaluate(np.ones((4, 4)), np.eye(3)[[0, 1, 2, 0]], verbose=0)
    assert loss > 0 and 0 <= accuracy <= 1
