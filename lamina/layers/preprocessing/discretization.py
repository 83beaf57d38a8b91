"""`Discretization`: buckets continuous features by bin boundaries, given or learned as quantiles."""

import numpy as np

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.category_encoding import encode_categorical_inputs
from lamina.layers.preprocessing.category_encoding import encoded_shape

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def summarize(values, epsilon):
    """Summarizes values as `[points, weights]`: about `1 / epsilon` evenly spaced order statistics."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size / (1.0 / epsilon), 1)
    points = values[int(step - 1) :: int(step)]
    return np.stack([points, np.full_like(points, step)])


def compress_summary(summary, epsilon):
    """Re-samples a summary at cumulative-weight fractions `epsilon, 2 * epsilon, ..., 1`."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    cumulative_fractions = cumulative / cumulative[-1]
    points = np.interp(fractions, cumulative_fractions, summary[0])
    new_cumulative = np.interp(fractions, cumulative_fractions, cumulative)
    weights = np.diff(new_cumulative, prepend=0.0)
    return np.stack((points, weights)).astype("float32")


def merge_summaries(first, second, epsilon):
    """Merges two summaries (sorted by point) and compresses the result."""
    merged = np.concatenate((first, second), axis=1)
    merged = merged[:, np.argsort(merged[0], kind="quicksort")]
    return compress_summary(merged, epsilon)


class Discretization(Layer):
    """Buckets continuous features into integer bins.

    A value `x` goes to bin `i` when `bin_boundaries[i - 1] <= x < bin_boundaries[i]`.
    The boundaries are given, or learned by `adapt()` as approximate quantiles
    splitting the data into `num_bins` bins of similar counts.

    Args:
        bin_boundaries: Sorted list of boundaries (`len + 1` bins). Mutually
            exclusive with `num_bins`.
        num_bins: Number of bins `adapt()` computes.
        epsilon: Error tolerance of the quantile summary (default 0.01).
        output_mode: `"int"` (bin indices), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: Must be False: lamina tensors are dense.
        dtype: Dtype of the encoded outputs (not of `"int"` outputs, which are int32).
        name: Layer name.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> lamina.ops.convert_to_numpy(layer([[-1.5, 1.0, 3.4, 0.5]])).tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError(
                f"Discretization layer '{self.name}' does not support sparse=True: lamina tensors "
                "are dense. Pass sparse=False."
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"Discretization layer '{self.name}' expects output_mode to be one of {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode!r}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"Discretization layer '{self.name}' expects num_bins >= 0. Received: num_bins={num_bins}"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f"Discretization layer '{self.name}' takes num_bins or bin_boundaries, not both. "
                f"Received: num_bins={num_bins} and bin_boundaries={bin_boundaries}"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(f"Discretization layer '{self.name}' needs num_bins or bin_boundaries.")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True

    @property
    def output_dtype(self):
        return "int32" if self.output_mode == "int" else self.dtype_policy.compute_dtype

    def adapt(self, data, steps=None):
        """Learns `num_bins` quantile bin boundaries from `data`.

        Args:
            data: A NumPy array or tensor, or an iterable of batches.
            steps: Optional number of batches to read from an iterable.
        """
        if self.num_bins is None:
            raise ValueError(
                f"Discretization layer '{self.name}' was created with bin_boundaries and cannot "
                "adapt; create it with num_bins instead."
            )
        self.reset_state()
        if isinstance(data, np.ndarray) or ops.is_tensor(data) or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for index, batch in enumerate(data):
                if steps is not None and index >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        data = np.asarray(ops.convert_to_numpy(data)).astype("float32")
        self.summary = merge_summaries(summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"Discretization layer '{self.name}' has no bin boundaries: pass bin_boundaries "
                "when creating it, or call adapt(data) before using it."
            )
        inputs = ops.convert_to_tensor(inputs)
        boundaries = ops.convert_to_tensor(np.asarray(self.bin_boundaries, dtype="float32"))
        if not ops.dtype(inputs).startswith(("float", "bfloat")):
            inputs = ops.cast(inputs, "float32")
        indices = ops.digitize(inputs, ops.cast(boundaries, ops.dtype(inputs)))
        return encode_categorical_inputs(indices, self.output_mode, self._depth(), self.output_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": super().get_config()["dtype"],
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        bin_boundaries = config.pop("bin_boundaries", None)
        if bin_boundaries is not None and config.get("num_bins") is not None:
            # After adapt() both are set, which the constructor refuses: restore the boundaries after.
            layer = super().from_config(config)
            layer.bin_boundaries = list(bin_boundaries)
            return layer
        config["bin_boundaries"] = bin_boundaries
        return super().from_config(config)
