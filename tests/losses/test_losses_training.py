"""Gradients of the new losses against finite differences, and the losses by name in `fit`."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import losses

pytestmark = pytest.mark.requires_trainable_backend

RNG = np.random.default_rng(11)
TRUE = RNG.normal(size=(3, 4)).astype("float32")
PRED = RNG.normal(size=(3, 4)).astype("float32")
ONE_HOT = np.eye(4, dtype="float32")[[0, 2, 3]]


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# name -> (lamina function of y_pred, NumPy reference of y_pred, y_pred)
GRADIENT_CASES = {
    "huber": (
        lambda p: losses.huber(TRUE, p, delta=0.7),
        lambda p: np.where(
            np.abs(p - TRUE) <= 0.7, 0.5 * (p - TRUE) ** 2, 0.7 * np.abs(p - TRUE) - 0.5 * 0.7**2
        ).mean(-1),
        PRED,
    ),
    "log_cosh": (lambda p: losses.log_cosh(TRUE, p), lambda p: np.log(np.cosh(p - TRUE)).mean(-1), PRED),
    "cosine_similarity": (
        lambda p: losses.cosine_similarity(TRUE, p),
        lambda p: -((TRUE / np.linalg.norm(TRUE, axis=-1, keepdims=True))
                    * (p / np.linalg.norm(p, axis=-1, keepdims=True))).sum(-1),
        PRED,
    ),
    "categorical_focal_logits": (
        lambda p: losses.categorical_focal_crossentropy(ONE_HOT, p, from_logits=True),
        lambda p: (0.25 * (1 - _softmax(p)) ** 2 * -ONE_HOT * np.log(_softmax(p))).sum(-1),
        PRED,
    ),
    "poisson": (
        lambda p: losses.poisson(np.abs(TRUE), p),
        lambda p: (p - np.abs(TRUE) * np.log(p + 1e-7)).mean(-1),
        np.abs(PRED) + 0.5,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(GRADIENT_CASES))
def test_gradient_matches_finite_differences(case):
    function, reference, y_pred = GRADIENT_CASES[case]
    (ours,) = gradient(function, y_pred)
    (expected,) = numerical_gradient(reference, y_pred)
    assert_close(ours, expected, rtol=1e-3, atol=1e-3)


FIT_CASES = [
    ("huber", "regression"),
    ("log_cosh", "regression"),
    ("cosine_similarity", "regression"),
    ("kld", "distribution"),
    ("poisson", "counts"),
    ("hinge", "binary"),
    ("squared_hinge", "binary"),
    ("categorical_hinge", "one_hot"),
    ("binary_focal_crossentropy", "binary"),
    ("categorical_focal_crossentropy", "one_hot"),
    ("dice", "binary"),
    ("tversky", "binary"),
    ("Huber", "regression"),
    ("BinaryFocalCrossentropy", "binary"),
]


@pytest.mark.parametrize("loss_name, target_kind", FIT_CASES)
def test_compile_by_name_and_fit_lowers_the_loss(loss_name, target_kind):
    rng = np.random.default_rng(0)
    features = rng.normal(size=(32, 3)).astype("float32")
    signal = features @ np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.5]], dtype="float32")
    activation = None
    if target_kind == "regression":
        targets = signal
    elif target_kind == "counts":
        targets, activation = np.round(np.exp(signal / 3)).astype("float32"), "softplus"
    elif target_kind == "binary":
        targets, activation = (signal > 0).astype("float32"), "sigmoid"
    else:
        targets = np.eye(2, dtype="float32")[np.argmax(signal, axis=-1)]
        activation = "softmax"
    model = lamina.Sequential([lamina.Input(shape=(3,)), lamina.layers.Dense(2, activation=activation)])
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss=loss_name)
    history = model.fit(features, targets, batch_size=8, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
