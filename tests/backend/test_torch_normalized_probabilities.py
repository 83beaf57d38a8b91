"""PyTorch crossentropies skip Keras's renormalization only for unmodified float32/64 softmax outputs.

Each case compares the loss and its gradient on a marked softmax output with the
same values through Keras's renormalizing path (a copy carries no mark).
"""

import numpy as np
import pytest
from sklearn.datasets import load_iris

import lamina
from lamina import ops
from tests.testing_utils import assert_close

pytestmark = pytest.mark.torch_only


def _logits(shape, seed=0):
    import torch

    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=4.0, size=shape)
    logits.reshape(-1)[::7] = 40.0  # some probabilities clip at 1 - epsilon, others at epsilon
    return torch.tensor(logits, dtype=torch.float32, requires_grad=True)


def _loss_and_gradient(loss_function, logits, target, axis, unmarked):
    import torch

    probabilities = ops.softmax(logits, axis=axis)
    if unmarked:
        probabilities = probabilities.clone()  # a new tensor: no mark, so Keras's renormalization runs
    loss = torch.sum(loss_function(target, probabilities, axis=axis))
    (gradient,) = torch.autograd.grad(loss, logits)
    return float(loss.detach()), gradient.numpy()


@pytest.mark.parametrize("shape, axis", [((128, 10), -1), ((4, 20), -1), ((3, 5, 6), 1)])
def test_categorical_crossentropy_on_softmax_outputs_matches_the_renormalized_loss(shape, axis):
    logits = _logits(shape)
    labels = np.random.default_rng(1).integers(0, shape[axis], size=np.delete(shape, axis % len(shape)))
    target = ops.convert_to_tensor(np.moveaxis(np.eye(shape[axis], dtype="float32")[labels], -1, axis))
    marked = _loss_and_gradient(ops.categorical_crossentropy, logits, target, axis, unmarked=False)
    renormalized = _loss_and_gradient(ops.categorical_crossentropy, logits, target, axis, unmarked=True)
    assert_close(marked[0], renormalized[0], rtol=1e-6, atol=0)
    assert_close(marked[1], renormalized[1], rtol=1e-5, atol=1e-7)


def test_sparse_categorical_crossentropy_on_softmax_outputs_matches_the_renormalized_loss():
    logits = _logits((64, 10), seed=3)
    target = ops.convert_to_tensor(np.random.default_rng(4).integers(0, 10, size=(64,)))
    marked = _loss_and_gradient(ops.sparse_categorical_crossentropy, logits, target, -1, unmarked=False)
    renormalized = _loss_and_gradient(ops.sparse_categorical_crossentropy, logits, target, -1, unmarked=True)
    assert_close(marked[0], renormalized[0], rtol=1e-6, atol=0)
    assert_close(marked[1], renormalized[1], rtol=1e-5, atol=1e-7)


def test_a_softmax_output_changed_in_place_is_renormalized():
    import torch

    probabilities = ops.softmax(_logits((8, 5)).detach(), axis=-1)
    target = ops.one_hot(ops.arange(8) % 5, 5)
    with torch.no_grad():
        probabilities.mul_(3.0)  # no longer sums to 1: Keras divides by the sum again
    expected = ops.categorical_crossentropy(target, probabilities.clone())
    assert_close(ops.categorical_crossentropy(target, probabilities), expected, rtol=1e-6)
    clipped = np.clip(probabilities.numpy(), 1e-7, 1 - 1e-7)
    unnormalized = -np.sum(ops.convert_to_numpy(target) * np.log(clipped), -1)
    assert not np.allclose(ops.convert_to_numpy(expected), unnormalized, rtol=1e-3)


def test_only_float32_and_float64_softmax_outputs_along_the_loss_axis_skip_renormalization():
    import torch

    from lamina.backend.torch import _normalized_probabilities

    logits = torch.zeros(4, 3)
    assert _normalized_probabilities.is_normalized(ops.softmax(logits), -1)
    assert _normalized_probabilities.is_normalized(ops.softmax(logits.double()), 1)
    assert not _normalized_probabilities.is_normalized(ops.softmax(logits, axis=0), -1)
    assert not _normalized_probabilities.is_normalized(ops.softmax(logits.half()), -1)
    assert not _normalized_probabilities.is_normalized(ops.softmax(logits.bfloat16()), -1)
    assert not _normalized_probabilities.is_normalized(ops.softmax(logits) * 1.0, -1)
    assert not _normalized_probabilities.is_normalized(ops.softmax(logits), (0, 1))


def test_training_a_softmax_classifier_gives_the_renormalized_losses(monkeypatch):
    from lamina.backend.torch import _normalized_probabilities

    iris = load_iris()
    x = ((iris.data - iris.data.mean(0)) / iris.data.std(0)).astype("float32")
    y = iris.target

    def losses():
        lamina.utils.set_random_seed(0)
        hidden = lamina.layers.Dense(16, activation="relu")
        model = lamina.Sequential([lamina.Input((4,)), hidden, lamina.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        return model.fit(x, y, batch_size=16, epochs=8, verbose=0, shuffle=False).history["loss"]

    skipped = losses()
    monkeypatch.setattr(_normalized_probabilities, "is_normalized", lambda output, axis: False)
    renormalized = losses()
    assert skipped[-1] < 0.5 * skipped[0]  # it trains
    assert_close(np.array(skipped), np.array(renormalized), rtol=1e-4, atol=0)


def test_softmax_models_and_crossentropies_run_under_inference_mode():
    # Inference tensors have no version counter: they are left unmarked (and renormalized).
    import torch

    model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3, activation="softmax")])
    x = load_iris().data[:130].astype("float32")  # 130 rows: the short-axis softmax path too
    labels = load_iris().target[:130]
    expected = ops.convert_to_numpy(model(x))
    expected_loss = ops.convert_to_numpy(ops.mean(ops.sparse_categorical_crossentropy(labels, model(x))))
    with torch.inference_mode():
        probabilities = model(x)
        assert probabilities.is_inference()
        loss = ops.mean(ops.sparse_categorical_crossentropy(labels, probabilities))
        assert_close(probabilities, expected, rtol=1e-6)
        assert_close(loss, expected_loss, rtol=1e-6)
        assert_close(model.predict(x, verbose=0), expected, rtol=1e-6)
