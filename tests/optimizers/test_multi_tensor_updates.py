"""The optimizers' multi-tensor fast path (torch) gives the per-variable update.

SGD's multi-tensor formula is the per-variable one, operation for operation, so
the results are equal. Adam's variants run in PyTorch's fused CPU kernel, which
applies the same formula in one pass and rounds differently (a few float32 ulps).
"""

import numpy as np
import pytest

import lamina
from lamina import config
from lamina.backend.common import lazy_package

OPTIMIZERS = {
    "sgd": lambda: lamina.optimizers.SGD(0.1),
    "momentum": lambda: lamina.optimizers.SGD(0.1, momentum=0.9),
    "nesterov": lambda: lamina.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "adam": lambda: lamina.optimizers.Adam(0.01),
    "amsgrad": lambda: lamina.optimizers.Adam(0.01, amsgrad=True),
    "adamw": lambda: lamina.optimizers.AdamW(0.01, weight_decay=0.1),
    "adam_clipped": lambda: lamina.optimizers.Adam(0.01, global_clipnorm=0.5),
}


def _run(make_optimizer, multi_tensor, steps=4):
    rng = np.random.default_rng(0)
    variables = [
        lamina.Variable(rng.normal(size=(3, 4)).astype("float32")),
        lamina.Variable(rng.normal(size=(4,)).astype("float32")),
    ]
    optimizer = make_optimizer()
    if not multi_tensor:
        optimizer._multi_tensor_update = lambda *args: False
    for _ in range(steps):
        grads = [lamina.ops.convert_to_tensor(rng.normal(size=v.shape).astype("float32")) for v in variables]
        optimizer.apply(grads, variables)
    return [v.numpy() for v in variables] + [v.numpy() for v in optimizer.variables]


FUSED_ON_CPU = ("adam", "amsgrad", "adamw", "adam_clipped")


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_multi_tensor_update_equals_per_variable_update(name):
    fast = _run(OPTIMIZERS[name], multi_tensor=True)
    reference = _run(OPTIMIZERS[name], multi_tensor=False)
    assert len(fast) == len(reference)
    for value, expected in zip(fast, reference):
        if name in FUSED_ON_CPU and config.backend() == "torch":
            np.testing.assert_allclose(value, expected, rtol=2e-6, atol=1e-8)
        else:
            np.testing.assert_array_equal(value, expected)


@pytest.mark.skipif(config.backend() != "torch", reason="the fused kernel is PyTorch's")
@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_takes_the_fused_kernel_on_cpu(monkeypatch, amsgrad):
    updates = lazy_package.in_place_updates("torch")
    calls = []
    fused = updates._fused_adam
    monkeypatch.setattr(updates, "_fused_adam", lambda *args: calls.append(args) or fused(*args))
    fast = _run(lambda: lamina.optimizers.Adam(0.01, amsgrad=amsgrad), multi_tensor=True)
    reference = _run(lambda: lamina.optimizers.Adam(0.01, amsgrad=amsgrad), multi_tensor=False)
    assert len(calls) == 4
    for value, expected in zip(fast, reference):
        np.testing.assert_allclose(value, expected, rtol=2e-6, atol=1e-8)


def test_multi_tensor_path_is_taken_on_torch_only(monkeypatch):
    module = lazy_package.in_place_updates(config.backend())
    assert (module is not None) == (config.backend() == "torch")
    if module is None:
        return
    calls = []
    original = module.adam
    monkeypatch.setattr(module, "adam", lambda *args: calls.append(1) or original(*args))
    _run(OPTIMIZERS["adam"], multi_tensor=True, steps=2)
    assert len(calls) == 2


def test_overridden_update_step_keeps_the_per_variable_path():
    seen = []

    class RecordingSGD(lamina.optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            seen.append(variable.path)
            super().update_step(gradient, variable, learning_rate)

    variable = lamina.Variable(np.ones((2,), "float32"))
    RecordingSGD(0.5).apply([lamina.ops.convert_to_tensor(np.ones((2,), "float32"))], [variable])
    assert len(seen) == 1
    np.testing.assert_allclose(variable.numpy(), [0.5, 0.5])


def test_mixed_dtypes_fall_back_and_still_update():
    variables = [
        lamina.Variable(np.ones((2,), "float32")),
        lamina.Variable(np.ones((2,), "float16"), dtype="float16"),
    ]
    grads = [lamina.ops.ones((2,), dtype="float32"), lamina.ops.ones((2,), dtype="float16")]
    lamina.optimizers.Adam(0.1).apply(grads, variables)
    for variable in variables:
        np.testing.assert_allclose(variable.numpy().astype("float32"), [0.9, 0.9], rtol=5e-3)
