"""Tests of lamina.ops.layer_normalization and lamina.ops.rms_normalization."""

import os
import sys

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor


def _keras():
    """The real Keras (JAX backend), used as a numerical oracle."""
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _broadcast(parameter, shape, axes):
    if parameter is None or parameter.ndim == len(shape):
        return parameter
    return np.reshape(parameter, [size if dim in axes else 1 for dim, size in enumerate(shape)])


def _axes(axis, ndim):
    return tuple(sorted(dim % ndim for dim in ((axis,) if isinstance(axis, int) else axis)))


def _layer_norm_reference(x, gamma=None, beta=None, axis=-1, epsilon=1e-7, rms_scaling=False):
    x = np.asarray(x, np.float64)
    axes = _axes(axis, x.ndim)
    gamma, beta = _broadcast(gamma, x.shape, axes), _broadcast(beta, x.shape, axes)
    centered = x - np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(centered), axis=axes, keepdims=True)
    outputs = (x if rms_scaling else centered) / np.sqrt(variance + epsilon)
    if gamma is not None:
        outputs = outputs * gamma
    if beta is not None and not rms_scaling:
        outputs = outputs + beta
    return outputs


def _rms_norm_reference(x, scale=None, axis=-1, epsilon=1e-7):
    x = np.asarray(x, np.float64)
    axes = _axes(axis, x.ndim)
    outputs = x / np.sqrt(np.mean(np.square(x), axis=axes, keepdims=True) + epsilon)
    scale = _broadcast(scale, x.shape, axes)
    return outputs if scale is None else outputs * scale


def _data(shape=(3, 4, 5), axis=-1, seed=0):
    generator = np.random.default_rng(seed)
    x = (generator.normal(size=shape) * 2.0 + 1.0).astype("float32")
    parameter_shape = tuple(shape[dim] for dim in _axes(axis, len(shape)))
    gamma = generator.normal(size=parameter_shape).astype("float32")
    beta = generator.normal(size=parameter_shape).astype("float32")
    return x, gamma, beta


@pytest.mark.parametrize("axis", [-1, (1, 2), 1, [0, 2]])
@pytest.mark.parametrize("with_parameters", [True, False])
def test_layer_normalization_matches_reference(axis, with_parameters):
    x, gamma, beta = _data(axis=axis)
    if not with_parameters:
        gamma = beta = None
    outputs = ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3)
    assert ops.convert_to_numpy(outputs).dtype == np.float32
    assert_close(outputs, _layer_norm_reference(x, gamma, beta, axis=axis, epsilon=1e-3), atol=1e-5)


def test_layer_normalization_default_epsilon_and_full_rank_parameters():
    x, gamma, beta = _data(shape=(2, 6))
    outputs = ops.layer_normalization(x, gamma.reshape(1, 6), beta.reshape(1, 6))
    assert_close(outputs, _layer_norm_reference(x, gamma, beta, epsilon=lamina.config.epsilon()))


@pytest.mark.parametrize("axis", [-1, (1, 2)])
def test_layer_normalization_rms_scaling_warns_and_matches_reference(axis):
    x, gamma, beta = _data(axis=axis)
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        outputs = ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3, rms_scaling=True)
    expected = _layer_norm_reference(x, gamma, beta, axis=axis, epsilon=1e-3, rms_scaling=True)
    assert_close(outputs, expected, atol=1e-5)


@pytest.mark.parametrize("axis", [-1, (1, 2), 0])
@pytest.mark.parametrize("with_scale", [True, False])
def test_rms_normalization_matches_reference(axis, with_scale):
    x, scale, _ = _data(axis=axis)
    scale = scale if with_scale else None
    outputs = ops.rms_normalization(x, scale, axis=axis, epsilon=1e-6)
    assert ops.convert_to_numpy(outputs).dtype == np.float32
    assert_close(outputs, _rms_norm_reference(x, scale, axis=axis, epsilon=1e-6), atol=1e-5)


def test_half_precision_keeps_its_dtype():
    x, gamma, beta = _data()
    outputs = ops.layer_normalization(ops.cast(x, "float16"), gamma, beta)
    assert lamina.backend.standardize_dtype(outputs.dtype) == "float16"
    assert_close(outputs, _layer_norm_reference(x, gamma, beta), dtype="float16")
    outputs = ops.rms_normalization(ops.cast(x, "float16"), gamma)
    assert lamina.backend.standardize_dtype(outputs.dtype) == "float16"
    assert_close(outputs, _rms_norm_reference(x, gamma), dtype="float16")


def test_symbolic_shapes_and_errors():
    x = KerasTensor((None, 4, 5), dtype="float32")
    outputs = ops.layer_normalization(x, KerasTensor((5,)), KerasTensor((5,)))
    assert outputs.shape == (None, 4, 5) and outputs.dtype == "float32"
    assert ops.rms_normalization(x, KerasTensor((4, 5)), axis=(1, 2)).shape == (None, 4, 5)
    with pytest.raises(ValueError, match=r"layer_normalization expects gamma .*Received: gamma.shape=\(4,\)"):
        ops.layer_normalization(x, KerasTensor((4,)))
    with pytest.raises(ValueError, match="rms_normalization: axis 3 is out of range"):
        ops.rms_normalization(x, axis=3)
    with pytest.raises(ValueError, match="rank >= 1"):
        ops.rms_normalization(KerasTensor((), dtype="float32"))
    with pytest.raises(TypeError, match="layer_normalization got unexpected keyword arguments"):
        ops.layer_normalization(x, center=True)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("axis", [-1, (1, 2)])
def test_layer_normalization_gradients(axis):
    x, gamma, beta = _data(shape=(2, 3, 4), axis=axis)
    weights = np.random.default_rng(1).normal(size=x.shape)

    def function(x, gamma, beta):
        return ops.multiply(
            ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3),
            ops.convert_to_tensor(weights, "float32"),
        )

    def reference(x, gamma, beta):
        return _layer_norm_reference(x, gamma, beta, axis=axis, epsilon=1e-3) * weights

    for actual, expected in zip(
        gradient(function, x, gamma, beta), numerical_gradient(reference, x, gamma, beta)
    ):
        np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("axis", [-1, (1, 2)])
def test_rms_normalization_gradients(axis):
    x, scale, _ = _data(shape=(2, 3, 4), axis=axis)
    weights = np.random.default_rng(1).normal(size=x.shape)

    def function(x, scale):
        return ops.multiply(
            ops.rms_normalization(x, scale, axis=axis, epsilon=1e-3),
            ops.convert_to_tensor(weights, "float32"),
        )

    def reference(x, scale):
        return _rms_norm_reference(x, scale, axis=axis, epsilon=1e-3) * weights

    for actual, expected in zip(gradient(function, x, scale), numerical_gradient(reference, x, scale)):
        np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.jax_only
@pytest.mark.parametrize("axis", [-1, [1, 2], 1])
def test_parity_with_keras(axis):
    keras = _keras()
    x, gamma, beta = _data(axis=axis)
    assert_close(
        ops.layer_normalization(x, gamma, beta, axis=axis),
        np.asarray(keras.ops.layer_normalization(x, gamma, beta, axis=axis)),
    )
    # Keras's rms_normalization broadcasts `scale` as is, so it gets the full-rank shape.
    scale = _broadcast(gamma, x.shape, _axes(axis, x.ndim))
    assert_close(
        ops.rms_normalization(x, gamma, axis=axis, epsilon=1e-6),
        np.asarray(keras.ops.rms_normalization(x, scale, axis=axis, epsilon=1e-6)),
    )
    assert_close(
        ops.layer_normalization(x, axis=axis), np.asarray(keras.ops.layer_normalization(x, axis=axis))
    )
    assert_close(ops.rms_normalization(x, axis=axis), np.asarray(keras.ops.rms_normalization(x, axis=axis)))


@pytest.mark.torch_only
@pytest.mark.parametrize("axis", [-1, (1, 2)])
def test_torch_fused_path_equals_generic_formula(axis, monkeypatch):
    import torch

    from lamina.backend.torch import nn as torch_nn

    calls = []
    for name in ("layer_norm", "rms_norm"):
        kernel = getattr(torch_nn.functional, name)

        def spy(*args, kernel=kernel, name=name, **kwargs):
            calls.append(name)
            return kernel(*args, **kwargs)

        monkeypatch.setattr(torch_nn.functional, name, spy)
    x, gamma, beta = (torch.from_numpy(value) for value in _data(axis=axis))
    full_rank = [1] * x.ndim
    for dim in _axes(axis, x.ndim):
        full_rank[dim] = x.shape[dim]
    fused = torch_nn.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3)
    assert calls == ["layer_norm"]
    # Parameters of full rank take the generic formula.
    generic = torch_nn.layer_normalization(
        x, gamma.reshape(full_rank), beta.reshape(full_rank), axis=axis, epsilon=1e-3
    )
    assert calls == ["layer_norm"]
    torch.testing.assert_close(fused, generic, rtol=1e-6, atol=2e-6)
    fused = torch_nn.rms_normalization(x, gamma, axis=axis, epsilon=1e-3)
    assert calls == ["layer_norm", "rms_norm"]
    generic = torch_nn.rms_normalization(x, gamma.reshape(full_rank), axis=axis, epsilon=1e-3)
    assert calls == ["layer_norm", "rms_norm"]
    torch.testing.assert_close(fused, generic, rtol=1e-6, atol=2e-6)


@pytest.mark.torch_only
def test_torch_leading_axes_use_the_generic_formula(monkeypatch):
    from lamina.backend.torch import nn as torch_nn

    def fail(*args, **kwargs):
        raise AssertionError("the fused kernel only normalizes trailing axes")

    monkeypatch.setattr(torch_nn.functional, "layer_norm", fail)
    x, gamma, beta = _data(axis=0)
    outputs = ops.layer_normalization(x, gamma, beta, axis=0)
    assert_close(outputs, _layer_norm_reference(x, gamma, beta, axis=0))
