"""`TensorBoard`: the event files `fit` and `evaluate` write, read back with TensorBoard's own reader."""

import inspect
import json
import os

import numpy as np
import pytest

import lamina
from lamina.callbacks import TensorBoard

plugin_event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.plugin_event_accumulator"
)
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")


def _read(directory):
    """{tag: [(step, array), ...]} of every event file in `directory`, as TensorBoard loads them."""
    accumulator = plugin_event_accumulator.EventAccumulator(str(directory), size_guidance={"tensors": 0})
    accumulator.Reload()
    return {
        tag: [
            (event.step, tensor_util.make_ndarray(event.tensor_proto)) for event in accumulator.Tensors(tag)
        ]
        for tag in accumulator.Tags()["tensors"]
    }


def _scalars(directory, tag):
    return [(step, float(value)) for step, value in _read(directory)[tag]]


def _model():
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
    return model


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


def test_defaults_match_keras(keras):
    ours = inspect.signature(TensorBoard.__init__).parameters
    theirs = inspect.signature(keras.callbacks.TensorBoard.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"profile_batch": 2}, "profile_batch=2"),
        ({"profile_batch": "1,3"}, "profiling is not available"),
        ({"profile_batch": (3, 1)}, "start <= stop"),
        ({"profile_batch": "a,b"}, "profile_batch='a,b'"),
        ({"embeddings_freq": 1}, "embeddings_freq=1"),
        ({"update_freq": "step"}, "update_freq='step'"),
        ({"update_freq": 0}, "positive integer"),
        ({"histogram_freq": -1}, "histogram_freq"),
    ],
)
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TensorBoard(**kwargs)


def test_accepted_arguments_and_attributes(tmp_path):
    callback = TensorBoard(
        tmp_path, update_freq="batch", profile_batch="0,0", embeddings_metadata={"e": "m.tsv"}
    )
    assert callback.log_dir == str(tmp_path)
    assert callback.update_freq == 1
    assert TensorBoard(tmp_path, histogram_freq=np.int64(2)).histogram_freq == 2


class _ModelWithoutOptimizer:
    """Just enough of a model to drive the hooks by hand (on every backend)."""

    optimizer = None
    layers = ()


def test_epoch_logs_split_into_train_and_validation(tmp_path):
    callback = TensorBoard(tmp_path)
    callback.set_model(_ModelWithoutOptimizer())
    callback.on_train_begin()
    for epoch in range(2):
        callback.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 2.0 + epoch, "val_mae": 0.5})
    callback.on_train_end()
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    assert _scalars(tmp_path / "train", "epoch_loss") == [(0, 1.0), (1, 0.5)]
    assert set(_read(tmp_path / "train")) == {"epoch_loss"}
    assert _scalars(tmp_path / "validation", "epoch_loss") == [(0, 2.0), (1, 3.0)]
    assert _scalars(tmp_path / "validation", "epoch_mae") == [(0, 0.5), (1, 0.5)]


def test_epoch_mode_leaves_batch_logs_unconverted(tmp_path):
    # Batch hooks that read logs make `fit` sync with the device every step; "epoch" needs none.
    from lamina.callbacks.callback import is_overridden

    assert not is_overridden(TensorBoard(tmp_path), "on_train_batch_end")
    assert is_overridden(TensorBoard(tmp_path, update_freq=3), "on_train_batch_end")


@pytest.mark.requires_trainable_backend
def test_fit_epoch_scalars_equal_history_and_learning_rate(tmp_path):
    model = _model()
    x, y = _data()
    callback = TensorBoard(tmp_path, write_graph=False)
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, validation_data=(x, y), callbacks=[callback])
    train, validation = _read(tmp_path / "train"), _read(tmp_path / "validation")
    assert set(train) == {"epoch_loss", "epoch_mae", "epoch_learning_rate"}
    for name in ("loss", "mae"):
        np.testing.assert_allclose([v for _, v in train[f"epoch_{name}"]], history.history[name], rtol=1e-6)
        np.testing.assert_allclose(
            [v for _, v in validation[f"epoch_{name}"]], history.history[f"val_{name}"], rtol=1e-6
        )
        assert [step for step, _ in train[f"epoch_{name}"]] == [0, 1, 2]
    np.testing.assert_allclose([v for _, v in train["epoch_learning_rate"]], [0.05] * 3, rtol=1e-6)
    # fit's validation runs are evaluations too: logged at the optimizer's iteration (4 steps an epoch).
    evaluation = validation["evaluation_loss_vs_iterations"]
    assert [step for step, _ in evaluation] == [4, 8, 12]
    np.testing.assert_allclose([v for _, v in evaluation], history.history["val_loss"], rtol=1e-6)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("update_freq, steps", [(2, [2, 4, 6, 8]), ("batch", list(range(1, 9)))])
def test_fit_batch_scalars(tmp_path, update_freq, steps):
    model = _model()
    x, y = _data()
    seen = {}

    def record(batch, logs):
        seen[len(seen) + 1] = float(logs["loss"])

    callbacks = [
        TensorBoard(tmp_path, update_freq=update_freq, write_steps_per_second=True, write_graph=False),
        lamina.callbacks.LambdaCallback(on_train_batch_end=record),
    ]
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=callbacks)
    train = _read(tmp_path / "train")
    assert [step for step, _ in train["batch_loss"]] == steps
    np.testing.assert_allclose([v for _, v in train["batch_loss"]], [seen[s] for s in steps], rtol=1e-6)
    assert [step for step, _ in train["batch_steps_per_second"]] == steps
    assert [step for step, _ in train["epoch_steps_per_second"]] == [0, 1]
    assert all(value > 0 for _, value in train["epoch_steps_per_second"])


@pytest.mark.requires_trainable_backend
def test_fit_histograms_and_images_of_every_weight(tmp_path):
    model = _model()
    x, y = _data()
    weights_at_epoch = {}

    def snapshot(epoch, logs):
        # A copy: on torch the NumPy view would follow later updates.
        weights_at_epoch[epoch] = {w.path: np.array(lamina.ops.convert_to_numpy(w)) for w in model.weights}

    callbacks = [
        TensorBoard(tmp_path, histogram_freq=2, write_images=True, write_graph=False),
        lamina.callbacks.LambdaCallback(on_epoch_end=snapshot),
    ]
    model.fit(x, y, batch_size=8, epochs=3, verbose=0, callbacks=callbacks)
    accumulator = plugin_event_accumulator.EventAccumulator(str(tmp_path / "train"))
    accumulator.Reload()
    paths = [w.path for w in model.weights]
    assert paths == [
        "sequential/dense/kernel",
        "sequential/dense/bias",
        "sequential/dense_1/kernel",
        "sequential/dense_1/bias",
    ]
    tensor_tags = accumulator.Tags()["tensors"]
    for path in paths:
        events = accumulator.Tensors(f"{path}/histogram")
        assert [event.step for event in events] == [0, 2]
        for event in events:
            buckets = tensor_util.make_ndarray(event.tensor_proto)
            weight = weights_at_epoch[event.step][path].reshape(-1)
            assert buckets[:, 2].sum() == weight.size
            np.testing.assert_allclose(
                [buckets[0, 0], buckets[-1, 1]], [weight.min(), weight.max()], rtol=1e-6
            )
        # As in Keras, a weight that squeezes to a scalar (the (1,) bias) is not drawn.
        assert (f"{path}/image" in tensor_tags) == (path != "sequential/dense_1/bias")
    image = tensor_util.make_ndarray(accumulator.Tensors("sequential/dense/kernel/image")[0].tensor_proto)
    assert list(image[:2]) == [b"3", b"2"]  # the (3, 2) kernel is shown transposed: 2 rows, 3 columns


@pytest.mark.requires_trainable_backend
def test_histogram_statistics_match_the_weights(tmp_path):
    event_file_loader = pytest.importorskip("tensorboard.backend.event_processing.event_file_loader")
    model = _model()
    x, y = _data()
    model.fit(
        x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path, histogram_freq=1, write_graph=False)]
    )
    weights = {f"{w.path}/histogram": lamina.ops.convert_to_numpy(w).reshape(-1) for w in model.weights}
    (name,) = os.listdir(tmp_path / "train")
    histograms = {
        value.tag: value.histo
        for event in event_file_loader.LegacyEventFileLoader(str(tmp_path / "train" / name)).Load()
        for value in event.summary.value
        if value.HasField("histo")
    }
    assert set(histograms) == set(weights)
    for tag, weight in weights.items():
        histogram = histograms[tag]
        assert (histogram.min, histogram.max, histogram.num) == (weight.min(), weight.max(), weight.size)
        assert histogram.sum == pytest.approx(weight.astype("float64").sum(), rel=1e-6, abs=1e-7)


@pytest.mark.requires_trainable_backend
def test_write_graph_stores_the_model_json(tmp_path):
    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    ((step, value),) = _read(tmp_path / "train")["keras"]
    assert step == 0
    assert json.loads(value.item()) == json.loads(model.to_json())


@pytest.mark.requires_trainable_backend
def test_two_fits_add_files_read_together_and_evaluate_logs(tmp_path):
    model = _model()
    x, y = _data()
    history_one = model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[TensorBoard(tmp_path)])
    history_two = model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    assert len(os.listdir(tmp_path / "train")) == 2
    losses = _scalars(tmp_path / "train", "epoch_loss")
    assert [step for step, _ in losses] == [0, 1, 0]
    np.testing.assert_allclose(
        [v for _, v in losses], history_one.history["loss"] + history_two.history["loss"]
    )
    results = model.evaluate(x, y, verbose=0, return_dict=True, callbacks=[TensorBoard(tmp_path)])
    validation = _read(tmp_path / "validation")
    assert set(validation) == {"evaluation_loss_vs_iterations", "evaluation_mae_vs_iterations"}
    ((step, value),) = validation["evaluation_mae_vs_iterations"]
    assert step == 6  # 2 epochs x 2 steps + 1 epoch x 2 steps
    np.testing.assert_allclose(value, results["mae"], rtol=1e-6)


@pytest.mark.requires_trainable_backend
def test_predict_writes_only_the_graph_and_releases_the_file(tmp_path):
    model = _model()
    model.predict(_data()[0], verbose=0, callbacks=[TensorBoard(tmp_path)])
    assert set(_read(tmp_path / "train")) == {"keras"}


@pytest.mark.requires_trainable_backend
def test_learning_rate_follows_a_schedule(tmp_path):
    model = _model()
    schedule = lamina.optimizers.schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5)
    model.compile(optimizer=lamina.optimizers.SGD(schedule), loss="mse")
    x, y = _data()
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[TensorBoard(tmp_path, write_graph=False)])
    # The optimizer's rate after each epoch's 4 steps: 0.1 * 0.5 ** (steps / 4).
    rates = _scalars(tmp_path / "train", "epoch_learning_rate")
    np.testing.assert_allclose([v for _, v in rates], [0.05, 0.025], rtol=1e-6)


@pytest.mark.requires_trainable_backend
def test_tensorboard_dashboards_list_every_kind(tmp_path):
    # The path TensorBoard's web UI takes: multiplexer -> data provider, one query per dashboard.
    multiplexer_module = pytest.importorskip("tensorboard.backend.event_processing.plugin_event_multiplexer")
    data_provider = pytest.importorskip("tensorboard.backend.event_processing.data_provider")
    context = pytest.importorskip("tensorboard.context")
    model = _model()
    x, y = _data()
    callback = TensorBoard(tmp_path, histogram_freq=1, write_images=True)
    model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y), callbacks=[callback])
    multiplexer = multiplexer_module.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(tmp_path))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(tmp_path))
    request = context.RequestContext()
    scalars = provider.read_scalars(request, experiment_id="", plugin_name="scalars", downsample=10)
    assert scalars["validation"]["epoch_loss"][0].value == pytest.approx(model.history.history["val_loss"][0])
    assert set(scalars["train"]) == {"epoch_loss", "epoch_mae", "epoch_learning_rate"}
    histograms = provider.list_tensors(request, experiment_id="", plugin_name="histograms")
    assert set(histograms["train"]) == {f"{w.path}/histogram" for w in model.weights}
    images = provider.list_blob_sequences(request, experiment_id="", plugin_name="images")
    assert "sequential/dense/kernel/image" in images["train"]
    graphs = provider.list_blob_sequences(request, experiment_id="", plugin_name="graph_keras_model")
    assert set(graphs["train"]) == {"keras"}
