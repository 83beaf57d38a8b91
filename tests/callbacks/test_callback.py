"""`Callback`: default hooks, legacy aliases, `params`, and the `model` property's state sync."""

import pytest

from lamina.callbacks import Callback
from lamina.callbacks.callback import is_overridden

HOOKS_WITH_INDEX = [
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
]
HOOKS_WITHOUT_INDEX = [
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
]


@pytest.mark.parametrize("hook", HOOKS_WITH_INDEX)
def test_indexed_hooks_do_nothing_by_default(hook):
    assert getattr(Callback(), hook)(0, logs={"loss": 1.0}) is None
    assert getattr(Callback(), hook)(0) is None


@pytest.mark.parametrize("hook", HOOKS_WITHOUT_INDEX)
def test_begin_end_hooks_do_nothing_by_default(hook):
    assert getattr(Callback(), hook)(logs={}) is None
    assert getattr(Callback(), hook)() is None


def test_train_batch_hooks_call_the_legacy_aliases():
    calls = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch, logs))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs))

    callback = Legacy()
    callback.on_train_batch_begin(3, logs={})
    callback.on_train_batch_end(3, logs={"loss": 0.5})
    callback.on_test_batch_end(3, logs={"loss": 0.5})
    assert calls == [("begin", 3, {}), ("end", 3, {"loss": 0.5})]


def test_params_and_model_setters():
    callback = Callback()
    assert callback.params is None and callback.model is None
    params = {"verbose": 1, "epochs": 3, "steps": 10}
    callback.set_params(params)
    assert callback.params == params
    model = object()
    callback.set_model(model)
    assert callback.model is model


def test_model_property_syncs_trainer_state_first():
    class TrainingModel:
        def __init__(self):
            self.synced = 0

        def _sync_state_to_variables(self):
            self.synced += 1

    model = TrainingModel()
    callback = Callback()
    callback.set_model(model)
    assert callback.model is model
    assert callback.model is model
    assert model.synced == 2
    assert callback._model is model and model.synced == 2


def test_model_property_unwraps_distributed_data_parallel():
    class Inner:
        pass

    class DistributedDataParallel:
        def __init__(self, module):
            self.module = module

    inner = Inner()
    callback = Callback()
    callback.set_model(DistributedDataParallel(inner))
    assert callback.model is inner


def test_is_overridden_sees_subclass_methods_and_instance_attributes():
    class EpochOnly(Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    callback = EpochOnly()
    assert is_overridden(callback, "on_epoch_end")
    assert not is_overridden(callback, "on_train_batch_end")
    callback.on_train_batch_end = lambda batch, logs=None: None
    assert is_overridden(callback, "on_train_batch_end")
