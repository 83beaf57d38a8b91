"""Mixed precision: float16 / bfloat16 compute with float32 weights, and automatic loss scaling."""

import numpy as np
import pytest

import lamina


@pytest.fixture
def policy(request):
    lamina.dtype_policies.set_global_policy(request.param)
    yield request.param
    lamina.dtype_policies.set_global_policy("float32")


def _model():
    lamina.utils.set_random_seed(0)
    return lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(8, activation="relu"),
            lamina.layers.Dense(1, dtype="float32"),
        ]
    )


def _data():
    x = np.random.RandomState(0).normal(size=(64, 4)).astype("float32")
    return x, (x[:, :1] * 2.0 - x[:, 1:2]).astype("float32")


@pytest.mark.parametrize(
    "policy, compute_dtype",
    [("mixed_float16", "float16"), ("mixed_bfloat16", "bfloat16")],
    indirect=["policy"],
)
def test_layers_compute_in_half_precision_with_float32_weights(policy, compute_dtype):
    model = _model()
    hidden = model.layers[0]
    assert (hidden.compute_dtype, hidden.variable_dtype, hidden.dtype) == (
        compute_dtype,
        "float32",
        "float32",
    )
    assert hidden.kernel.dtype == "float32"
    x, _ = _data()
    assert lamina.ops.dtype(hidden(x)) == compute_dtype
    assert lamina.ops.dtype(model(x)) == "float32"


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"], indirect=True)
def test_mixed_precision_trains_and_float16_scales_the_loss(policy, tmp_path):
    model = _model()
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse")
    scaled = policy == "mixed_float16"
    assert isinstance(model.optimizer, lamina.optimizers.LossScaleOptimizer) == scaled
    assert model.get_compile_config()["optimizer"].__class__.__name__ == "Adam"
    x, y = _data()
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    path = tmp_path / "mixed.keras"
    model.save(path)
    restored = lamina.saving.load_model(path)
    assert restored.layers[0].compute_dtype == model.layers[0].compute_dtype
    assert isinstance(restored.optimizer, lamina.optimizers.LossScaleOptimizer) == scaled
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-3, atol=1e-3
    )


@pytest.mark.requires_trainable_backend
def test_auto_scale_loss_can_be_turned_off():
    lamina.dtype_policies.set_global_policy("mixed_float16")
    try:
        model = _model()
        model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
        assert not isinstance(model.optimizer, lamina.optimizers.LossScaleOptimizer)
    finally:
        lamina.dtype_policies.set_global_policy("float32")
