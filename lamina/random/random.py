"""Random ops. `seed` is an int (same numbers every call), a `SeedGenerator` (advances) or None."""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.random.seed_generator import draw_seed


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution.

    Args:
        shape: Output shape.
        mean: Mean of the distribution.
        stddev: Standard deviation.
        dtype: Float dtype (default `floatx()`).
        seed: An int, a `SeedGenerator`, or None (the global generator).

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> import lamina
    >>> tuple(lamina.random.normal((2, 3), seed=1).shape)
    (2, 3)
    """
    return current.random.normal(
        shape, mean=mean, stddev=stddev, dtype=dtypes.standardize_dtype(dtype), seed=draw_seed(seed)
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_numpy(lamina.random.uniform((100,), seed=1))
    >>> bool((x >= 0).all() and (x < 1).all())
    True
    """
    return current.random.uniform(
        shape, minval=minval, maxval=maxval, dtype=dtypes.standardize_dtype(dtype), seed=draw_seed(seed)
    )


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution with values beyond two standard deviations redrawn.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_numpy(lamina.random.truncated_normal((100,), seed=1))
    >>> bool((abs(x) <= 2).all())
    True
    """
    return current.random.truncated_normal(
        shape, mean=mean, stddev=stddev, dtype=dtypes.standardize_dtype(dtype), seed=draw_seed(seed)
    )


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Example:

    >>> import lamina
    >>> tuple(lamina.random.randint((3,), 0, 5, seed=1).shape)
    (3,)
    """
    return current.random.randint(
        shape, minval, maxval, dtype=dtypes.standardize_dtype(dtype), seed=draw_seed(seed)
    )


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by `logits` (batch, classes).

    Example:

    >>> import lamina
    >>> tuple(lamina.random.categorical(lamina.ops.zeros((2, 4)), 3, seed=1).shape)
    (2, 3)
    """
    return current.random.categorical(
        logits, num_samples, dtype=dtypes.standardize_dtype(dtype), seed=draw_seed(seed)
    )


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability `rate` and scales the rest by `1 / (1 - rate)`.

    Example:

    >>> import lamina
    >>> tuple(lamina.random.dropout(lamina.ops.ones((4, 4)), 0.5, seed=1).shape)
    (4, 4)
    """
    if not 0 <= rate < 1:
        raise ValueError(f"dropout rate must be in [0, 1). Received: rate={rate}")
    return current.random.dropout(inputs, rate, noise_shape=noise_shape, seed=draw_seed(seed))


def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis`.

    Example:

    >>> import lamina
    >>> tuple(lamina.random.shuffle(lamina.ops.ones((5, 2)), seed=1).shape)
    (5, 2)
    """
    return current.random.shuffle(x, axis=axis, seed=draw_seed(seed))
