"""`to_categorical` and `normalize`: small array utilities of `lamina.utils`."""

import numpy as np


def _is_backend_tensor(x):
    """A JAX or PyTorch tensor (NumPy arrays take the NumPy path on every backend)."""
    if isinstance(x, (np.ndarray, np.generic, list, tuple, int, float)):
        return False
    from lamina import ops

    return ops.is_tensor(x)


def _integer_labels(x, function_name):
    labels = np.asarray(x)
    if labels.dtype.kind not in "biuf":
        raise TypeError(
            f"{function_name} expects integer class labels. Received an array of dtype {labels.dtype}."
        )
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.floor(labels)):
            raise ValueError(
                f"{function_name} expects integer class labels. Received non-integer values, "
                f"e.g. {labels[labels != np.floor(labels)].ravel()[:3].tolist()}."
            )
    return labels.astype("int64")


def _check_labels(labels, num_classes, function_name):
    if num_classes is None:
        if labels.size == 0:
            raise ValueError(f"{function_name} cannot infer num_classes from empty labels. Pass num_classes.")
        num_classes = int(labels.max()) + 1
    if not isinstance(num_classes, (int, np.integer)) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(
            f"{function_name} expects num_classes to be a positive integer. "
            f"Received: num_classes={num_classes!r}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{function_name} expects labels in [0, {num_classes - 1}] for num_classes={num_classes}. "
            f"Received labels in [{labels.min()}, {labels.max()}]."
        )
    return int(num_classes)


def to_categorical(x, num_classes=None):
    """Converts a class vector (integers) to a binary class matrix.

    E.g. for use with `categorical_crossentropy`. A trailing axis of size 1
    (labels shaped `(batch, 1)`) is dropped before the class axis is added.

    Args:
        x: Array-like of class values, integers from 0 to `num_classes - 1`.
        num_classes: Total number of classes. If `None`, inferred as
            `max(x) + 1`.

    Returns:
        A float32 NumPy array (a backend tensor when `x` is one) with the
        class axis last: shape `x.shape + (num_classes,)`.

    Example:

    >>> import lamina
    >>> print(lamina.utils.to_categorical([0, 1, 2, 3], num_classes=4))
    [[1. 0. 0. 0.]
     [0. 1. 0. 0.]
     [0. 0. 1. 0.]
     [0. 0. 0. 1.]]
    >>> lamina.utils.to_categorical([[1], [0]]).shape
    (2, 2)
    """
    if _is_backend_tensor(x):
        from lamina import ops

        if num_classes is None:
            labels = _integer_labels(ops.convert_to_numpy(x), "to_categorical")
            num_classes = _check_labels(labels, num_classes, "to_categorical")
        else:
            # No value checks here: they would pull the tensor to the host (and fail under jit).
            num_classes = _check_labels(np.zeros((0,), "int64"), num_classes, "to_categorical")
        if len(x.shape) > 1 and x.shape[-1] == 1:
            x = ops.reshape(x, tuple(x.shape[:-1]))
        return ops.one_hot(x, num_classes, dtype="float32")
    labels = _integer_labels(x, "to_categorical")
    num_classes = _check_labels(labels, num_classes, "to_categorical")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    categorical = np.zeros((flat.shape[0], num_classes), dtype="float32")
    categorical[np.arange(flat.shape[0]), flat] = 1.0
    return categorical.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Normalizes an array: divides it by its `order`-norm along `axis`.

    A NumPy array gives a NumPy array; a backend tensor gives a backend
    tensor (through `lamina.ops.normalize`). Zero vectors stay zero.

    Args:
        x: Array to normalize.
        axis: Axis (or tuple of axes) along which to normalize; `None` for
            the norm of the whole (flattened) array.
        order: Normalization order (e.g. `order=2` for the L2 norm); an int
            >= 1, or `numpy.inf` for NumPy input.

    Returns:
        A normalized copy of the array, shaped like `x` (a scalar becomes a
        vector of length 1).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(lamina.utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]])))
    [[0.6 0.8]
     [0.  0. ]]
    """
    if not isinstance(x, np.ndarray):
        if _is_backend_tensor(x):
            from lamina import ops

            return ops.normalize(x, axis=axis, order=order)
        x = np.asarray(x)
    is_inf = order == np.inf
    if not is_inf and (isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1):
        raise ValueError(
            f"normalize expects order to be an int >= 1 (or numpy.inf). Received: order={order!r}"
        )
    if x.ndim == 0:
        x = x.reshape(1)
    axis = tuple(axis) if isinstance(axis, list) else axis
    magnitude = np.abs(x)
    if is_inf:
        norm = np.max(magnitude, axis=axis, keepdims=True)
    elif order == 1:
        norm = np.sum(magnitude, axis=axis, keepdims=True)
    elif order == 2:
        norm = np.sqrt(np.sum(np.square(magnitude), axis=axis, keepdims=True))
    else:
        norm = np.sum(magnitude**order, axis=axis, keepdims=True) ** (1.0 / order)
    norm = np.where(norm == 0, np.ones_like(norm), norm)
    return x / norm
