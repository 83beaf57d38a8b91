"""What a `fit`-API case measures with a workload's `<workload>_keras_api.build_model`, for lamina or Keras.

The same functions run for both libraries (`keras` is the imported lamina or keras
module): timed `fit` epochs, the deterministic same-start run, `predict` throughput
and latency, and the memory-growth run.
"""

import time

import common


def epoch_recorder(keras):
    """A Callback recording each epoch's wall time, its loss and the RSS after it."""

    class EpochRecorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epoch_times, self.losses, self.rss_mb = [], [], []
            self._start = None

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            # The epoch's logs are on the host here, so its work has finished.
            self.epoch_times.append(time.perf_counter() - self._start)
            self.losses.append(float(logs["loss"]))
            self.rss_mb.append(common.current_rss_megabytes())

    return EpochRecorder()


def fit(keras, program, setup, x, y, epochs, shuffle=True, dropout_rate=None):
    """Runs `model.fit` from the shared initial weights; returns the epoch recorder."""
    model = program.build_model(keras) if dropout_rate is None else program.build_model(keras, dropout_rate)
    recorder = epoch_recorder(keras)
    model.fit(
        x, y, batch_size=setup.BATCH_SIZE, epochs=epochs, shuffle=shuffle, verbose=0, callbacks=[recorder]
    )
    return recorder


def timed_fit(keras, program, setup, epochs):
    """The timed run: `(epoch_times, epoch_losses)` of `fit` on the workload's data."""
    x, y = setup.make_data()
    recorder = fit(keras, program, setup, x, y, epochs)
    return recorder.epoch_times, recorder.losses


def same_start(keras, program, setup):
    """One epoch on the first `SAME_START_SAMPLES`, in order, dropout 0; returns the epoch's mean loss."""
    x, y = setup.make_data()
    count = setup.SAME_START_SAMPLES
    recorder = fit(keras, program, setup, x[:count], y[:count], 1, shuffle=False, dropout_rate=0.0)
    return recorder.losses[-1]


def predict_figures(keras, program, setup, x, latency_calls):
    """`model.predict(x)` throughput, and the latency of `model.predict(x[:1])` and `model(x[:1])`."""
    model = program.build_model(keras)
    one = x[:1]
    return {
        "predict_throughput": common.best_throughput(
            lambda: model.predict(x, batch_size=setup.BATCH_SIZE, verbose=0), len(x)
        ),
        "predict_one_latency": common.median_latency_seconds(
            lambda: model.predict(one, verbose=0), latency_calls
        ),
        "call_one_latency": common.median_latency_seconds(
            lambda: keras.ops.convert_to_numpy(model(one)), latency_calls
        ),
    }


def growth(keras, program, setup, quick):
    """The memory-growth run: RSS (MiB) after each epoch of a long run on a smaller dataset."""
    x, y = setup.make_data(setup.GROWTH_SAMPLES)
    epochs = 10 if quick else setup.GROWTH_EPOCHS
    recorder = fit(keras, program, setup, x, y, epochs)
    return {"rss_after_epoch_mb": recorder.rss_mb, "epoch_times": recorder.epoch_times}
