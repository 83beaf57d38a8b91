"""`Normalization`: shifts and scales features by a mean and variance, given or learned by `adapt`."""

import itertools
import math

import numpy as np

from lamina import config
from lamina import ops
from lamina.layers.layer import Layer


def _first_of_batch(batch):
    # Datasets often yield (x, y) pairs; adapt only looks at the features.
    if isinstance(batch, (tuple, list)) and batch and hasattr(batch[0], "shape"):
        return batch[0]
    return batch


class Normalization(Layer):
    """Normalizes features: `(inputs - mean) / sqrt(variance)`.

    The mean and variance are either given (`mean`, `variance`) or computed
    from data with `adapt()`, one value per position along `axis`. Adapted
    statistics live in non-trainable weights `mean`, `variance` and `count`,
    as in Keras, so they are saved with the model.

    Args:
        axis: Integer, tuple of integers or None: the axes kept (one statistic
            per position). `None` computes a single scalar mean and variance.
            Default -1 (one statistic per feature).
        mean: Optional mean, broadcastable to the kept axes.
        variance: Optional variance, given together with `mean`.
        invert: If True, undoes the normalization: `inputs * sqrt(variance) + mean`.
        **kwargs: Base layer arguments (`name`, `dtype`).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> layer = lamina.layers.Normalization()
    >>> layer.adapt(np.array([[1.0], [2.0], [3.0]], dtype="float32"))
    >>> [round(float(v), 4) for v in lamina.ops.convert_to_numpy(layer([[2.0], [4.0]])).ravel()]
    [0.0, 2.4495]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self._build_input_shape = None
        if (mean is None) != (variance is None):
            raise ValueError(
                f"Normalization layer '{self.name}' needs both mean and variance when setting "
                f"them directly. Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    f"Normalization layer '{self.name}' expects mean and variance of the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    f"Normalization layer '{self.name}': the rank of mean must be at most the "
                    f"number of axes ({len(self.axis)}). Received: mean shape {np.shape(mean)} "
                    f"for axis={self.axis}"
                )

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization layer '{self.name}' expects every axis in [-ndim, ndim). Received "
                f"inputs of rank {ndim} (shape {input_shape}) and axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(
                    f"Normalization layer '{self.name}' needs a known size on every kept axis. "
                    f"Received axis={self.axis} and inputs.shape={input_shape} (axis {a} is unknown)."
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._mean_and_var_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._mean_and_var_shape, initializer="ones", trainable=False
            )
            # Keras keeps `count` only so that older files load; adapt does not use it.
            self.count = self.add_weight(
                name="count", shape=(), dtype="int", initializer="zeros", trainable=False
            )
        else:
            self._fixed_mean = self._broadcast_given(self.input_mean)
            self._fixed_variance = self._broadcast_given(self.input_variance)

    def _broadcast_given(self, value):
        value = np.asarray(value, dtype="float64")
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        value = np.broadcast_to(value.reshape(expanded), self._broadcast_shape)
        return value.astype(self.dtype_policy.compute_dtype)

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of `data` along the non-kept axes.

        Args:
            data: A NumPy array, a backend tensor, or an iterable of batches
                (arrays, tensors, or `(x, y)` tuples whose `x` is used).
            batch_size: Optional batch size used to walk an array in chunks
                (the result is the same; it bounds memory).
            steps: Optional number of batches to read from an iterable.
        """
        if isinstance(data, np.ndarray) or ops.is_tensor(data):
            array = np.asarray(ops.convert_to_numpy(data))
            if batch_size is None:
                batches = iter([array])
            else:
                batches = (array[i : i + batch_size] for i in range(0, max(len(array), 1), batch_size))
        elif hasattr(data, "__iter__") and not isinstance(data, (str, bytes, dict)):
            batches = iter(data)
        else:
            raise TypeError(
                f"Normalization layer '{self.name}'.adapt() expects a NumPy array, a tensor or an "
                f"iterable of batches. Received: {type(data).__name__}"
            )
        if steps is not None:
            batches = itertools.islice(batches, steps)
        first = next(batches, None)
        if first is None:
            raise ValueError(
                f"Normalization layer '{self.name}'.adapt() received no batches. Pass a non-empty "
                "array or iterable of arrays."
            )
        first = np.asarray(ops.convert_to_numpy(_first_of_batch(first)))
        if not self.built:
            self._build_with_shapes({"input_shape": tuple(first.shape)})
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization layer '{self.name}' was given mean and variance; it cannot adapt."
            )
        total_mean = np.zeros(self._mean_and_var_shape)
        total_variance = np.zeros(self._mean_and_var_shape)
        total_count = 0
        for batch in itertools.chain([first], batches):
            batch = np.asarray(ops.convert_to_numpy(_first_of_batch(batch)), dtype="float64")
            self._check_adapt_shape(batch.shape)
            batch_mean = np.mean(batch, axis=self._reduce_axis)
            batch_variance = np.var(batch, axis=self._reduce_axis)
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis) if self._reduce_axis else 1
            total_count += batch_count
            batch_weight = batch_count / total_count
            existing_weight = 1.0 - batch_weight
            new_mean = total_mean * existing_weight + batch_mean * batch_weight
            # Chan's parallel update: each part's variance plus its mean's squared shift.
            total_variance = (total_variance + (total_mean - new_mean) ** 2) * existing_weight + (
                batch_variance + (batch_mean - new_mean) ** 2
            ) * batch_weight
            total_mean = new_mean
        self.adapt_mean.assign(total_mean.astype(self.adapt_mean.dtype))
        self.adapt_variance.assign(total_variance.astype(self.adapt_variance.dtype))

    def _check_adapt_shape(self, shape):
        if len(shape) != len(self._build_input_shape) or any(
            shape[d] != self._build_input_shape[d] for d in self._keep_axis
        ):
            raise ValueError(
                f"Normalization layer '{self.name}' was built for inputs of shape "
                f"{self._build_input_shape} (axis={self.axis}), but adapt() received data of "
                f"shape {tuple(shape)}."
            )

    def _statistics(self):
        if self.input_mean is not None:
            return ops.convert_to_tensor(self._fixed_mean), ops.convert_to_tensor(self._fixed_variance)
        dtype = self.dtype_policy.compute_dtype
        mean = ops.cast(ops.reshape(self.adapt_mean, self._broadcast_shape), dtype)
        variance = ops.cast(ops.reshape(self.adapt_variance, self._broadcast_shape), dtype)
        return mean, variance

    def call(self, inputs):
        inputs = ops.cast(ops.convert_to_tensor(inputs), self.dtype_policy.compute_dtype)
        mean, variance = self._statistics()
        scale = ops.maximum(ops.sqrt(variance), config.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "axis": self.axis,
                "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist(),
            }
        )
        return config_dict
