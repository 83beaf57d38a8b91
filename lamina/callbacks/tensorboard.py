"""`TensorBoard`: writes training logs as TensorBoard event files (no TensorFlow needed)."""

import numbers
import os
import time
import types
import warnings

import numpy as np

from lamina import config
from lamina import ops
from lamina.callbacks.callback import Callback
from lamina.optimizers.optimizer import Optimizer
from lamina.utils import summary_protos
from lamina.utils.event_file_writer import EventFileWriter


def _parse_profile_batch(profile_batch):
    """`(start, stop)` from an int, a `"start,stop"` string or a pair, checked as Keras does."""
    message = (
        "TensorBoard: profile_batch must be a non-negative integer or a 2-tuple of positive "
        f"integers (start, stop) with start <= stop. Received: profile_batch={profile_batch!r}"
    )
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            raise ValueError(message) from None
        value = value[0] if len(value) == 1 else value
    if isinstance(value, int) and not isinstance(value, bool):
        start = stop = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = value
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


def _weight_as_images(weight):
    """The image batch Keras makes of a weight (biases, dense and conv kernels), or `None`."""
    image = np.squeeze(weight)
    shape = image.shape
    if len(shape) == 1:
        image = image.reshape(1, shape[0], 1, 1)
    elif len(shape) == 2:
        if shape[0] > shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif len(shape) == 3:
        if config.image_data_format() == "channels_last":
            # One image per kernel: channels first.
            image = np.transpose(image, (2, 0, 1))
        image = image.reshape(image.shape + (1,))
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    TensorBoard is a visualization tool provided with TensorFlow; it reads the
    event files this callback writes (TensorFlow itself is not needed). Run
    `tensorboard --logdir=path_to_your_logs` to see them. The callback writes to
    `<log_dir>/train` and `<log_dir>/validation`:

    * `epoch_<metric>` scalars after each epoch (validation results, without
      their `val_` prefix, go to the validation directory), plus
      `epoch_learning_rate` (the optimizer's learning rate) and, with
      `write_steps_per_second`, `epoch_steps_per_second`;
    * `batch_<metric>` scalars every `update_freq` batches, at the global
      training step;
    * `evaluation_<metric>_vs_iterations` scalars at the end of each evaluation
      (in `evaluate()` and in `fit`'s validation), at the optimizer's iteration;
    * histograms of every weight (`<weight.path>/histogram`) every
      `histogram_freq` epochs, and with `write_images`, the weights as images;
    * with `write_graph`, the model's JSON config (tag `keras`), which
      TensorBoard's graph dashboard draws as the conceptual graph of a
      Sequential or Functional model. lamina has no TensorFlow op graph to
      write, so no op graph is written.

    Args:
        log_dir: Path of the directory in which to write the logs.
        histogram_freq: Frequency (in epochs) at which to write weight
            histograms. `0`: no histograms.
        write_graph: Whether to write the model's (conceptual) graph.
        write_images: Whether to write the weights as images (with the
            histograms, so only when `histogram_freq > 0`).
        write_steps_per_second: Whether to log the training steps per second
            (per epoch, and per logged batch when `update_freq` is not
            `"epoch"`).
        update_freq: `"epoch"`, `"batch"` or an integer. `"batch"`: write the
            batch logs after every batch; an integer `N`: after every `N`
            batches; `"epoch"`: only per-epoch logs.
        profile_batch: Batches to profile. Profiling is not available in
            lamina: only `0` (no profiling) is accepted.
        embeddings_freq: Frequency (in epochs) at which embedding layers are
            visualized. Not available in lamina (the projector reads
            TensorFlow checkpoints): only `0` is accepted.
        embeddings_metadata: Dict mapping embedding layer names to metadata
            file names; only meaningful with `embeddings_freq`.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> import lamina
    >>> log_dir = tempfile.mkdtemp()
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    >>> callback = lamina.callbacks.TensorBoard(log_dir)
    >>> history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y), callbacks=[callback])
    >>> sorted(os.listdir(log_dir))
    ['train', 'validation']
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self.log_dir = str(log_dir)
        if not isinstance(histogram_freq, numbers.Integral) or histogram_freq < 0:
            raise ValueError(
                f"TensorBoard: histogram_freq must be a non-negative integer. Received: {histogram_freq!r}"
            )
        is_positive_int = (
            isinstance(update_freq, int) and not isinstance(update_freq, bool) and update_freq > 0
        )
        if update_freq not in ("epoch", "batch") and not is_positive_int:
            raise ValueError(
                "TensorBoard: update_freq must be 'epoch', 'batch' or a positive integer. "
                f"Received: update_freq={update_freq!r}"
            )
        start_batch, stop_batch = _parse_profile_batch(profile_batch)
        if (start_batch, stop_batch) != (0, 0):
            raise ValueError(
                "TensorBoard: profiling is not available in lamina (Keras's profiler traces need "
                f"TensorFlow's profiler). Received: profile_batch={profile_batch!r} (must be 0)."
            )
        if embeddings_freq:
            raise ValueError(
                "TensorBoard: embedding visualization is not available in lamina (TensorBoard's "
                "projector reads TensorFlow checkpoints). "
                f"Received: embeddings_freq={embeddings_freq!r} (must be 0)."
            )
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers = {}
        self._in_fit = False
        if self.update_freq == "epoch":
            # Nothing is written per batch: leave the batch hooks as the base class's, so `fit`
            # does not convert every batch's logs to Python floats (a device sync per step).
            self.on_train_batch_begin = types.MethodType(Callback.on_train_batch_begin, self)
            self.on_train_batch_end = types.MethodType(Callback.on_train_batch_end, self)

    def set_model(self, model):
        """Sets the model, starts new event files and writes the model's graph if asked."""
        self._model = model
        self._close_writers()
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        if self.write_graph:
            self._write_keras_model_summary()

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = EventFileWriter(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = EventFileWriter(self._val_dir)
        return self._writers["val"]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def _write_keras_model_summary(self):
        model = self._model
        if type(model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            json_string = model.to_json()
        except Exception as error:  # noqa: BLE001 - as Keras: a model that cannot serialize is skipped.
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {error}", stacklevel=2)
            return
        value = summary_protos.string_value("keras", json_string, "graph_keras_model", b"1")
        self._train_writer.write_summary_values([value], step=0)
        # Released now: `predict` also calls set_model and never ends a run.
        self._train_writer.close()

    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_writers()

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        step = int(ops.convert_to_numpy(optimizer.iterations))
        for name, value in (logs or {}).items():
            self._val_writer.scalar(f"evaluation_{name}_vs_iterations", value, step=step)
        if not self._in_fit:
            self._close_writers()
        elif logs:
            self._val_writer.flush()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if self.update_freq == "epoch" or step % self.update_freq != 0:
            return
        writer = self._train_writer
        if self.write_steps_per_second:
            writer.scalar("batch_steps_per_second", 1.0 / (time.time() - self._batch_start_time), step)
        if isinstance(logs, dict):
            for name, value in logs.items():
                writer.scalar(f"batch_{name}", value, step=step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = int(ops.convert_to_numpy(self.model.optimizer.iterations))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        """Writes the epoch's scalars, and the weight histograms every `histogram_freq` epochs."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _collect_learning_rate(self, logs):
        optimizer = self.model.optimizer
        # A LossScaleOptimizer wraps the optimizer whose learning rate matters.
        if hasattr(optimizer, "inner_optimizer"):
            optimizer = optimizer.inner_optimizer
        if hasattr(optimizer, "optimizers"):
            for inner in optimizer.optimizers:
                logs[f"learning_rate_{inner.name}"] = float(ops.convert_to_numpy(inner.learning_rate))
        elif isinstance(optimizer, Optimizer):
            logs["learning_rate"] = float(ops.convert_to_numpy(optimizer.learning_rate))
        return logs

    def _compute_steps_per_second(self):
        iterations = int(ops.convert_to_numpy(self.model.optimizer.iterations))
        elapsed = time.time() - self._epoch_start_time
        return (iterations - self._previous_epoch_iterations) / elapsed

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {name: value for name, value in logs.items() if not name.startswith("val_")}
        val_logs = {name[4:]: value for name, value in logs.items() if name.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            train_logs["steps_per_second"] = self._compute_steps_per_second()
        for writer, epoch_logs in ((self._train_writer, train_logs), (self._val_writer, val_logs)):
            if not epoch_logs:
                continue
            for name, value in epoch_logs.items():
                writer.scalar(f"epoch_{name}", value, step=epoch)
            writer.flush()

    def _log_weights(self, epoch):
        writer = self._train_writer
        for layer in self.model.layers:
            for weight in layer.weights:
                weight_name = weight.path.replace(":", "_")
                # Suffixes keep the histogram and image tags of one weight apart.
                values = ops.convert_to_numpy(weight)
                writer.histogram(f"{weight_name}/histogram", values, step=epoch)
                if self.write_images:
                    images = _weight_as_images(values)
                    if images is not None:
                        writer.image(f"{weight_name}/image", images, step=epoch)
        writer.flush()
