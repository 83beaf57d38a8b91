"""Several steps per call by default: the results of one step per call; batch-watching callbacks see each.

With `steps_per_execution=1` and no callback on the batch hooks, `fit`,
`evaluate` and `predict` hand the runner groups of steps (JAX runs a group of
convolution-free steps in one `lax.scan`; PyTorch skips all but the last
step's metric results). A callback that overrides a batch hook turns the
grouping off, which gives the one-step-per-call reference here.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import lamina
from lamina import layers
from lamina.backend import current

pytestmark = pytest.mark.requires_trainable_backend


class BatchCounter(lamina.callbacks.Callback):
    """Watches every batch (so the loops run one step per call) and counts them."""

    def __init__(self):
        super().__init__()
        self.train_batches, self.test_batches, self.predict_batches = [], [], []

    def on_train_batch_end(self, batch, logs=None):
        self.train_batches.append(batch)

    def on_test_batch_end(self, batch, logs=None):
        self.test_batches.append(batch)

    def on_predict_batch_end(self, batch, logs=None):
        self.predict_batches.append(batch)


def _digits():
    data = load_digits()
    return (data.data / 16.0).astype("float32"), data.target


def _mlp():
    lamina.utils.set_random_seed(3)
    model = lamina.Sequential(
        [lamina.Input((64,)), layers.Dense(32, activation="relu"), layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _cnn():
    lamina.utils.set_random_seed(3)
    model = lamina.Sequential(
        [
            lamina.Input((8, 8, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _train(build, x, y, callbacks):
    model = build()
    # 1,000 samples in batches of 16: 62 full batches (7 groups of 8 and 6 single steps) and a partial one.
    history = model.fit(
        x[:1000], y[:1000], batch_size=16, epochs=2, shuffle=True, verbose=0, callbacks=callbacks
    )
    evaluation = model.evaluate(x[1000:], y[1000:], batch_size=16, verbose=0, callbacks=callbacks)
    predictions = model.predict(x[1000:], batch_size=16, verbose=0, callbacks=callbacks)
    return model, history.history, evaluation, predictions


@pytest.mark.parametrize("build, shape", [(_mlp, (64,)), (_cnn, (8, 8, 1))], ids=["mlp", "cnn"])
def test_grouped_steps_match_one_step_per_call(build, shape):
    x, y = _digits()
    x = x.reshape((-1,) + shape)
    grouped_model, grouped_history, grouped_evaluation, grouped_predictions = _train(build, x, y, None)
    counter = BatchCounter()
    single_model, single_history, single_evaluation, single_predictions = _train(build, x, y, [counter])

    assert counter.train_batches == list(range(63)) * 2
    assert counter.test_batches == list(range(50))
    assert counter.predict_batches == list(range(50))
    for grouped, single in zip(grouped_model.get_weights(), single_model.get_weights()):
        np.testing.assert_allclose(grouped, single, rtol=1e-4, atol=1e-5)
    for key in single_history:
        np.testing.assert_allclose(grouped_history[key], single_history[key], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grouped_evaluation, single_evaluation, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grouped_predictions, single_predictions, rtol=1e-4, atol=1e-6)
    assert grouped_predictions.shape == (797, 10)
    np.testing.assert_allclose(
        grouped_predictions, lamina.ops.convert_to_numpy(grouped_model(x[1000:])), rtol=1e-5, atol=1e-6
    )


@pytest.mark.jax_only
def test_jax_scans_groups_without_convolutions_only():
    x, y = _digits()
    mlp, *_ = _train(_mlp, x, y, None)
    cnn, *_ = _train(_cnn, x.reshape(-1, 8, 8, 1), y, None)
    assert mlp._get_runner()._loops_well == {"train": True, "test": True, "predict": True}
    assert cnn._get_runner()._loops_well == {"train": False, "test": False, "predict": False}


@pytest.mark.jax_only
def test_jax_device_resident_gather_matches_host_gather(monkeypatch):
    """On an accelerator the data stays on the device and batches are gathered there."""
    from lamina.backend.jax import trainer as jax_trainer

    x, y = _digits()
    on_host = _train(_mlp, x, y, None)
    monkeypatch.setattr(jax_trainer, "_gathers_on_host", lambda: False)
    on_device = _train(_mlp, x, y, None)
    assert on_device[0]._get_runner()._data is not None
    for host, device in zip(on_host[0].get_weights(), on_device[0].get_weights()):
        np.testing.assert_allclose(host, device, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(on_host[3], on_device[3], rtol=1e-5, atol=1e-6)


def test_a_steps_per_execution_the_user_sets_is_kept():
    x, y = _digits()
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", steps_per_execution=3)
    assert model.steps_per_execution == 3
    history = model.fit(x[:480], y[:480], batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    if current.__name__.endswith("jax"):
        assert model._get_runner()._loops_well == {}


@pytest.mark.jax_only
def test_a_convolution_nested_in_control_flow_is_found():
    import jax
    import jax.numpy as jnp

    from lamina.backend.jax import _step_grouping

    def convolve_if_positive(images):
        convolve = lambda a: jax.lax.conv_general_dilated(a, a, (1, 1), "SAME")  # noqa: E731
        return jax.lax.cond(images.sum() > 0, convolve, lambda a: a, images)

    images = jnp.ones((1, 1, 3, 3))
    assert not _step_grouping.runs_well_in_a_loop(jax.jit(convolve_if_positive), images)
    assert _step_grouping.runs_well_in_a_loop(jax.jit(lambda a: jnp.tanh(a) * 2), images)
    nested = jax.make_jaxpr(jax.jit(convolve_if_positive))(images)  # the walk older JAX versions take
    assert _step_grouping._uses(nested.jaxpr, _step_grouping._SLOW_IN_A_LOOP)


def test_contiguous_runs_are_recognised():
    from lamina.trainers.data_adapters.array_data_adapter import contiguous_start

    assert contiguous_start(np.arange(5, 13, dtype=np.int32).reshape(2, 4)) == 5
    assert contiguous_start(np.array([7])) == 7
    assert contiguous_start(np.array([0, 2, 1, 3])) is None  # same ends, not a run
    assert contiguous_start(np.array([[0, 1], [3, 4]])) is None
    assert contiguous_start(np.array([], dtype=np.int32)) is None


def test_sliced_batches_equal_gathered_ones(monkeypatch):
    """Unshuffled groups are served as slices of the data: the same batches as gathering the rows."""
    backend_name = "jax" if current.__name__.endswith("jax") else "torch"
    from lamina.trainers.data_adapters import array_data_adapter
    from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    x, y = _digits()
    model = _mlp()
    adapter = ArrayDataAdapter(x[:96], y[:96], batch_size=16)
    runner = model._get_runner()
    runner.begin("test", adapter)
    payload = np.arange(16, 80, dtype=np.int32).reshape(4, 16)

    def batches():
        if backend_name == "jax":
            mode, stacked = runner._batches_from_payload(payload)
            assert mode == "stacked"
            return [[np.asarray(leaf[step]) for leaf in stacked[:2]] for step in range(4)]
        return [
            [lamina.ops.convert_to_numpy(leaf) for leaf in batch[:2]] for batch in runner._batches(payload)
        ]

    sliced = batches()
    module = runner.__class__.__module__
    monkeypatch.setattr(__import__(module, fromlist=["_"]), "contiguous_start", lambda indices: None)
    gathered = batches()
    assert array_data_adapter.contiguous_start(payload) == 16
    for sliced_batch, gathered_batch in zip(sliced, gathered):
        for sliced_leaf, gathered_leaf in zip(sliced_batch, gathered_batch):
            np.testing.assert_array_equal(sliced_leaf, gathered_leaf)
    np.testing.assert_array_equal(sliced[1][0], x[32:48])
