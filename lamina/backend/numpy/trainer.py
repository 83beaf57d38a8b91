"""The NumPy step runner: inference only (evaluate, predict); training raises."""

import numpy as np

from lamina.backend.common.scopes import StatelessScope
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.data_adapter_utils import pack_x_y_sample_weight
from lamina.trainers.trainer_utils import concatenate_numpy
from lamina.trainers.trainer_utils import custom_step_override

# predict's batches joined as NumPy arrays (PyTorch joins them on its device first).
concatenate_batches = concatenate_numpy


def check_can_train():
    raise ValueError(
        "The numpy backend is for inference only: it has no automatic "
        "differentiation, so fit() and train_on_batch() are not available. Train on "
        "the jax or torch backend (LAMINA_BACKEND=jax or LAMINA_BACKEND=torch), move "
        "the weights with get_weights()/set_weights(), then evaluate or predict here."
    )


class StepRunner:
    """Runs test and predict steps eagerly with NumPy."""

    auto_steps_per_call = 1

    def __init__(self, model):
        self.model = model

    def begin(self, mode, adapter):
        self._adapter = adapter

    def sync_to_variables(self):
        return None

    def reload_metrics(self):
        return None

    def _batches(self, payload):
        if isinstance(payload, np.ndarray) and isinstance(self._adapter, ArrayDataAdapter):
            return [self._adapter.get_batch(indices) for indices in payload]
        return payload

    def test(self, payload):
        model = self.model
        custom_step = custom_step_override(model, "test_step")
        logs = None
        for x, y, sample_weight in self._batches(payload):
            if custom_step is not None:
                logs = custom_step(pack_x_y_sample_weight(x, y, sample_weight))
                continue
            with StatelessScope(collect_losses=True):
                y_pred = model(x, training=False)
                loss, parts = model._compute_loss_parts(x, y, y_pred, sample_weight, training=False)
            model._update_loss_trackers(loss, parts, np.shape(_first_leaf(x))[0])
            logs = model.compute_metrics(x, y, y_pred, sample_weight)
        return logs

    def predict(self, payload):
        custom_step = custom_step_override(self.model, "predict_step")
        if custom_step is not None:
            return [custom_step((batch[0],)) for batch in self._batches(payload)]
        return [self.model(batch[0], training=False) for batch in self._batches(payload)]


def direct_predict(model, x):
    """`model(x, training=False)` on the one batch `x` (a model without a custom `predict_step`).

    Args:
        model: A built model.
        x: The batch: NumPy arrays in the structure of the model's inputs.

    Returns:
        The outputs.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> tuple(direct_predict(model, np.ones((1, 3), "float32")).shape)
    (1, 2)
    """
    return model(x, training=False)


def _first_leaf(x):
    import optree

    return optree.tree_leaves(x, none_is_leaf=False)[0]
