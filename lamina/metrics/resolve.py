"""Resolving `"accuracy"` and `"crossentropy"` into a concrete variant from shapes.

`compile(metrics=["accuracy"])` means binary, categorical or sparse
categorical accuracy depending on the targets and predictions (likewise
`"crossentropy"` for metrics, and for the loss); the trainer calls these
helpers once the shapes are known.
"""

from lamina.losses import loss as loss_module
from lamina.losses import probabilistic
from lamina.metrics import probabilistic_metrics
from lamina.metrics.accuracy_metrics import BinaryAccuracy
from lamina.metrics.accuracy_metrics import CategoricalAccuracy
from lamina.metrics.accuracy_metrics import SparseCategoricalAccuracy

_BINARY_LOSS_NAMES = ("binary_crossentropy", "bce", "BinaryCrossentropy")


def is_binary_or_sparse_categorical(y_true_shape, y_pred_shape):
    """Returns `(is_binary, is_sparse_categorical)` for targets and predictions of these shapes.

    Binary when the predictions' last axis has size 1; sparse categorical when
    the targets have a lower rank than the predictions, or a last axis of
    size 1 against several classes.

    Args:
        y_true_shape: Shape tuple of the targets (`None` for unknown sizes).
        y_pred_shape: Shape tuple of the predictions.

    Returns:
        A pair of bools.

    Example:

    >>> is_binary_or_sparse_categorical((32,), (32, 10))
    (False, True)
    """
    y_true_shape = tuple(y_true_shape)
    y_pred_shape = tuple(y_pred_shape)
    true_last = y_true_shape[-1] if y_true_shape else None
    pred_last = y_pred_shape[-1] if y_pred_shape else None
    is_binary = pred_last == 1
    is_sparse = len(y_true_shape) < len(y_pred_shape) or (
        true_last == 1 and pred_last is not None and pred_last > 1
    )
    return is_binary, is_sparse


def is_binary_crossentropy(loss):
    """Returns whether `loss` (a name, function or Loss object) is the binary crossentropy.

    Example:

    >>> is_binary_crossentropy("binary_crossentropy"), is_binary_crossentropy("mse")
    (True, False)
    """
    if loss is None:
        return False
    if isinstance(loss, str):
        return loss in _BINARY_LOSS_NAMES or loss.lower() == "bce"
    if loss is probabilistic.binary_crossentropy or isinstance(loss, probabilistic.BinaryCrossentropy):
        return True
    if isinstance(loss, loss_module.LossFunctionWrapper):
        return loss.fn is probabilistic.binary_crossentropy
    return False


def resolve_accuracy(y_true_shape, y_pred_shape, loss=None):
    """Returns the accuracy class that `"accuracy"` / `"acc"` means for these shapes.

    Binary accuracy when the loss is the binary crossentropy or the
    predictions' last axis has size 1; sparse categorical accuracy when the
    targets are integer labels (lower rank, or last axis 1 against several
    classes); categorical accuracy otherwise. Keras 3 itself ignores the loss;
    pass `loss=None` for exactly its choice.

    Args:
        y_true_shape: Shape tuple of the targets.
        y_pred_shape: Shape tuple of the predictions.
        loss: Optional loss (name, function or Loss object) of the same output.

    Returns:
        `BinaryAccuracy`, `SparseCategoricalAccuracy` or `CategoricalAccuracy`.

    Example:

    >>> resolve_accuracy((32,), (32, 10)).__name__
    'SparseCategoricalAccuracy'
    >>> resolve_accuracy((32, 5), (32, 5), "binary_crossentropy").__name__
    'BinaryAccuracy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary or is_binary_crossentropy(loss):
        return BinaryAccuracy
    if is_sparse:
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


def resolve_crossentropy(y_true_shape, y_pred_shape, loss=None):
    """Returns the crossentropy metric class that `"crossentropy"` / `"ce"` means for these shapes.

    The same rules as `resolve_accuracy`.

    Args:
        y_true_shape: Shape tuple of the targets.
        y_pred_shape: Shape tuple of the predictions.
        loss: Optional loss (name, function or Loss object) of the same output.

    Returns:
        The `BinaryCrossentropy`, `SparseCategoricalCrossentropy` or
        `CategoricalCrossentropy` metric class.

    Example:

    >>> resolve_crossentropy((32,), (32, 10)).__name__
    'SparseCategoricalCrossentropy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary or is_binary_crossentropy(loss):
        return probabilistic_metrics.BinaryCrossentropy
    if is_sparse:
        return probabilistic_metrics.SparseCategoricalCrossentropy
    return probabilistic_metrics.CategoricalCrossentropy


def resolve_crossentropy_loss(y_true_shape, y_pred_shape):
    """Returns the loss function that `compile(loss="crossentropy")` (or `"ce"`) means, as in Keras 3.

    Args:
        y_true_shape: Shape tuple of the targets.
        y_pred_shape: Shape tuple of the predictions.

    Returns:
        `binary_crossentropy`, `sparse_categorical_crossentropy` or
        `categorical_crossentropy` (functions from `lamina.losses`).

    Example:

    >>> resolve_crossentropy_loss((32, 1), (32, 1)).__name__
    'binary_crossentropy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary:
        return probabilistic.binary_crossentropy
    if is_sparse:
        return probabilistic.sparse_categorical_crossentropy
    return probabilistic.categorical_crossentropy
