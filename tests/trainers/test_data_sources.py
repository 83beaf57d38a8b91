"""Data sources in fit / evaluate / predict: PyDataset (threads, processes), torch DataLoader,
pandas, split_dataset results, and the validation / steps options."""

import threading
import time
import warnings

import numpy as np
import pytest

import lamina
from lamina.config import backend

BATCH = 5


def _data():
    generator = np.random.RandomState(0)
    x = generator.normal(size=(20, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3).astype("float32")
    return x, y


def _model():
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(4, activation="tanh"), lamina.layers.Dense(1)]
    )
    model.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    return model


def _reference_weights(epochs=2):
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, shuffle=False, verbose=0)
    return model.get_weights()


def _assert_same_weights(model, expected):
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


class Batches(lamina.utils.PyDataset):
    """The arrays of `_data()` in batches of 5; counts its epoch hooks."""

    def __init__(self, fail_at=None, delay=0.0, with_targets=True, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = _data()
        self.fail_at = fail_at
        self.delay = delay
        self.with_targets = with_targets
        self.begins = 0
        self.ends = 0
        self.seen = []

    def __len__(self):
        return len(self.x) // BATCH

    def __getitem__(self, index):
        if index == self.fail_at:
            raise KeyError(f"broken batch {index}")
        time.sleep(self.delay)
        self.seen.append(index)
        rows = slice(index * BATCH, (index + 1) * BATCH)
        return (self.x[rows], self.y[rows]) if self.with_targets else self.x[rows]

    def on_epoch_begin(self):
        self.begins += 1

    def on_epoch_end(self):
        self.ends += 1


class Endless(Batches):
    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        return super().__getitem__(index % 4)


# JAX warns about os.fork in any multithreaded process; the workers only run NumPy code.
fork_warning = pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize(
    "options",
    [{}, {"workers": 2}, {"workers": 2, "max_queue_size": 1}, {"workers": 2, "use_multiprocessing": True}],
    ids=["inline", "threads", "queue1", "processes"],
)
@fork_warning
def test_py_dataset_trains_like_arrays(options):
    dataset = Batches(**options)
    model = _model()
    model.fit(dataset, epochs=2, shuffle=False, verbose=0)
    _assert_same_weights(model, _reference_weights())
    assert (dataset.begins, dataset.ends) == (2, 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_py_dataset_evaluate_and_predict_match_arrays(workers):
    x, y = _data()
    model = _model()
    expected_loss = model.evaluate(x, y, batch_size=BATCH, verbose=0)
    np.testing.assert_allclose(model.evaluate(Batches(workers=workers), verbose=0), expected_loss, rtol=1e-6)
    predictions = model.predict(Batches(workers=workers, with_targets=False), verbose=0)
    np.testing.assert_allclose(predictions, model.predict(x, batch_size=BATCH, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("options", [{}, {"workers": 2}, {"workers": 3, "use_multiprocessing": True}])
@fork_warning
def test_py_dataset_exception_surfaces_quickly_and_pool_stops(options):
    model = _model()
    start = time.monotonic()
    with pytest.raises(KeyError, match="broken batch 2"):
        model.predict(Batches(fail_at=2, with_targets=False, **options), verbose=0)
    assert time.monotonic() - start < 2.5
    deadline = time.monotonic() + 1.0
    while any(t.name.startswith("lamina_py_dataset") for t in threading.enumerate()):
        assert time.monotonic() < deadline, "PyDataset worker threads still running"
        time.sleep(0.01)


@pytest.mark.requires_trainable_backend
def test_py_dataset_shuffle_visits_every_batch_each_epoch():
    dataset = Batches()
    _model().fit(dataset, epochs=2, verbose=0)  # fit's default shuffle=True reorders batches
    assert sorted(dataset.seen[1:5]) == [0, 1, 2, 3] and sorted(dataset.seen[5:]) == [0, 1, 2, 3]


@pytest.mark.requires_trainable_backend
def test_endless_py_dataset_needs_steps():
    model = _model()
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(Endless(), epochs=1, shuffle=False, verbose=0)
    model.fit(Endless(workers=2), epochs=2, steps_per_epoch=4, shuffle=False, verbose=0)
    _assert_same_weights(model, _reference_weights())


def test_py_dataset_rejects_y_and_warns_without_super_init():
    with pytest.raises(ValueError, match="do not pass y"):
        _model().evaluate(Batches(), np.zeros((20, 1)), verbose=0)

    class NoSuper(lamina.utils.PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

    with pytest.warns(UserWarning, match="super"):
        assert NoSuper().workers == 1
    assert lamina.utils.Sequence is lamina.utils.PyDataset


def _torch_data():
    torch = pytest.importorskip("torch")
    x, y = _data()
    return torch, torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("kind", ["loader", "dataset"])
def test_torch_data_trains_like_arrays(kind):
    torch, dataset = _torch_data()
    model = _model()
    if kind == "loader":
        model.fit(torch.utils.data.DataLoader(dataset, batch_size=BATCH), epochs=2, shuffle=False, verbose=0)
    else:
        model.fit(dataset, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
    _assert_same_weights(model, _reference_weights())


def test_torch_data_loader_evaluate_predict_and_errors():
    torch, dataset = _torch_data()
    x, y = _data()
    model = _model()
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH)
    np.testing.assert_allclose(
        model.evaluate(loader, verbose=0), model.evaluate(x, y, batch_size=BATCH, verbose=0), rtol=1e-6
    )
    inputs = torch.utils.data.DataLoader(torch.from_numpy(x), batch_size=BATCH)
    np.testing.assert_allclose(
        model.predict(inputs, verbose=0), model.predict(x, batch_size=BATCH, verbose=0), rtol=1e-6
    )
    assert model.evaluate(loader, steps=1, verbose=0) == pytest.approx(
        model.evaluate(x[:BATCH], y[:BATCH], verbose=0), rel=1e-6
    )
    with pytest.raises(ValueError, match="do not pass y"):
        model.evaluate(loader, y, verbose=0)
    if backend() != "numpy":
        with pytest.warns(UserWarning, match="torch DataLoader"):
            model.fit(loader, epochs=1, verbose=0)


@pytest.mark.parametrize("kind", ["frame", "series"])
def test_pandas_inputs_match_arrays(kind):
    pandas = pytest.importorskip("pandas")
    x, y = _data()
    frame = pandas.DataFrame(x, columns=["a", "b", "c"])
    targets = pandas.Series(y[:, 0]) if kind == "series" else pandas.DataFrame(y)
    model = _model()
    np.testing.assert_allclose(
        model.predict(frame, batch_size=BATCH, verbose=0),
        model.predict(x, batch_size=BATCH, verbose=0),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        model.evaluate(frame, targets, batch_size=BATCH, verbose=0),
        model.evaluate(x, y, batch_size=BATCH, verbose=0),
        rtol=1e-6,
    )
    if backend() != "numpy":
        model.fit(frame, targets, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
        _assert_same_weights(model, _reference_weights())


@pytest.mark.requires_trainable_backend
def test_split_dataset_and_timeseries_feed_fit():
    x, y = _data()
    left, right = lamina.utils.split_dataset((x, y), left_size=0.75)
    model = _model()
    history = model.fit(
        left, batch_size=BATCH, epochs=1, validation_data=right.arrays, shuffle=False, verbose=0
    )
    assert len(history.history["val_loss"]) == 1
    series = lamina.utils.timeseries_dataset_from_array(x, y[1:], sequence_length=2, batch_size=BATCH)
    windows = np.stack([x[:-1], x[1:]], axis=1)[: len(y) - 1]
    lamina.utils.set_random_seed(0)
    sequence_model = lamina.Sequential(
        [lamina.Input((2, 3)), lamina.layers.Flatten(), lamina.layers.Dense(1)]
    )
    sequence_model.compile(optimizer="sgd", loss="mse")
    expected = sequence_model.evaluate(windows, y[1:], batch_size=BATCH, verbose=0)
    np.testing.assert_allclose(sequence_model.evaluate(series, verbose=0), expected, rtol=1e-6)
    sequence_model.fit(series, epochs=1, verbose=0)


class _CountTestBatches(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.sizes = []

    def on_test_batch_end(self, batch, logs=None):
        self.sizes.append(batch)


@pytest.mark.requires_trainable_backend
def test_validation_freq_batch_size_and_steps():
    x, y = _data()
    counter = _CountTestBatches()
    history = _model().fit(
        x,
        y,
        batch_size=BATCH,
        epochs=4,
        validation_data=(x, y),
        validation_freq=2,
        validation_batch_size=4,
        validation_steps=3,
        callbacks=[counter],
        verbose=0,
    )
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    assert counter.sizes == [0, 1, 2, 0, 1, 2]
    counter.sizes.clear()
    _model().fit(
        x,
        y,
        batch_size=BATCH,
        epochs=1,
        validation_data=(x, y),
        validation_batch_size=10,
        callbacks=[counter],
        verbose=0,
    )
    assert counter.sizes == [0, 1]


@pytest.mark.requires_trainable_backend
def test_steps_per_epoch_with_repeating_and_exhausting_generators():
    x, y = _data()

    def repeating():
        while True:
            for start in range(0, 20, BATCH):
                yield x[start : start + BATCH], y[start : start + BATCH]

    model = _model()
    history = model.fit(repeating(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    _assert_same_weights(model, _reference_weights())

    def once():
        for start in range(0, 20, BATCH):
            yield x[start : start + BATCH], y[start : start + BATCH]

    with pytest.warns(UserWarning, match="ran out of data"):
        history = _model().fit(once(), steps_per_epoch=2, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(_model().fit(Batches(), steps_per_epoch=2, epochs=3, verbose=0).history["loss"]) == 3


class _StopAfterFirstBatch(lamina.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        self.model.stop_training = True


@pytest.mark.requires_trainable_backend
def test_py_dataset_workers_stop_training_mid_epoch_leaves_no_thread():
    dataset = Batches(workers=2, delay=0.01)
    history = _model().fit(dataset, epochs=3, shuffle=False, callbacks=[_StopAfterFirstBatch()], verbose=0)
    assert len(history.history.get("loss", [])) <= 1
    deadline = time.monotonic() + 1.0
    while any(t.name.startswith("lamina_py_dataset") for t in threading.enumerate()):
        assert time.monotonic() < deadline, "PyDataset worker threads still running"
        time.sleep(0.01)


def test_py_dataset_class_weight_becomes_sample_weight():
    from lamina.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    class Labels(lamina.utils.PyDataset):
        def __len__(self):
            return 1

        def __getitem__(self, index):
            return np.zeros((3, 2), "float32"), np.array([0, 1, 1])

    adapter = PyDatasetAdapter(Labels(), class_weight={0: 2.0, 1: 0.5})
    np.testing.assert_allclose(adapter.peek()[2], [2.0, 0.5, 0.5])
    np.testing.assert_allclose(next(adapter.batches())[2], [2.0, 0.5, 0.5])
