"""The Layer base class: building, tracking, weights, training flag, stateless calls, config."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from tests.testing_utils import assert_close


class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")
        self.offset = self.add_weight(shape=(), initializer="zeros", trainable=False, name="offset")

    def call(self, inputs):
        return inputs * self.scale * self.factor + self.offset


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = layers.Dense(4)
        self.stack = [layers.Dense(3), layers.Dense(2)]
        self.by_name = {"head": layers.Dense(1)}

    def call(self, inputs):
        x = self.first(inputs)
        for layer in self.stack:
            x = layer(x)
        return self.by_name["head"](x)


class TrainingEcho(layers.Layer):
    def call(self, inputs, training=None):
        return inputs * (2.0 if training else 1.0)


class Outer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = TrainingEcho()

    def call(self, inputs):
        return self.inner(inputs)


def test_builds_on_first_call_with_input_shape():
    layer = Scale()
    assert not layer.built
    outputs = layer(np.ones((2, 3), dtype="float32"))
    assert layer.built
    assert ops.shape(outputs) == (2, 3)
    assert [w.path for w in layer.weights] == ["scale/scale", "scale/offset"]
    assert_close(outputs, np.full((2, 3), 2.0))


def test_trainable_and_non_trainable_weights():
    layer = Scale()
    layer.build((None, 3))
    assert [w.name for w in layer.trainable_weights] == ["scale"]
    assert [w.name for w in layer.non_trainable_weights] == ["offset"]
    assert layer.count_params() == 4


def test_sublayers_in_attributes_lists_and_dicts_are_tracked():
    block = Block()
    block(np.ones((2, 5), dtype="float32"))
    assert len(block.weights) == 8
    assert [w.shape for w in block.trainable_weights] == [
        (5, 4),
        (4,),
        (4, 3),
        (3,),
        (3, 2),
        (2,),
        (2, 1),
        (1,),
    ]
    block.stack.append(layers.Dense(7))
    assert len(block._layers) == 5


def test_paths_nest_under_the_calling_layer():
    block = Block(name="block")
    block(np.ones((1, 5), dtype="float32"))
    assert block.weights[0].path == "block/dense/kernel"


def test_freezing_removes_trainable_weights():
    block = Block()
    block(np.ones((2, 5), dtype="float32"))
    block.trainable = False
    assert block.trainable_weights == []
    assert len(block.non_trainable_weights) == 8
    assert all(not layer.trainable for layer in block._layers)
    block.trainable = True
    assert len(block.trainable_weights) == 8


def test_get_and_set_weights_round_trip_and_shape_errors():
    source = Block()
    target = Block()
    inputs = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    source(inputs)
    target(inputs)
    target.set_weights(source.get_weights())
    assert_close(target(inputs), ops.convert_to_numpy(source(inputs)))
    with pytest.raises(ValueError, match="has 8 weights, but set_weights received 1 arrays"):
        target.set_weights([np.zeros((5, 4))])
    bad = source.get_weights()
    bad[0] = np.zeros((2, 2))
    with pytest.raises(
        ValueError, match=r"has shape \(5, 4\), but set_weights received an array of shape \(2, 2\)"
    ):
        target.set_weights(bad)


def test_training_argument_propagates_to_nested_layers():
    outer = Outer()
    inputs = np.ones((1, 2), dtype="float32")
    assert_close(outer(inputs), np.ones((1, 2)))
    assert_close(outer(inputs, training=True), np.full((1, 2), 2.0))


def test_stateless_call_uses_given_values_and_leaves_variables_alone():
    layer = Scale()
    layer.build((None, 2))
    trainable = [np.array([3.0, 4.0], dtype="float32")]
    non_trainable = [np.array(1.0, dtype="float32")]
    outputs, new_non_trainable = layer.stateless_call(
        trainable, non_trainable, np.ones((1, 2), dtype="float32")
    )
    assert_close(outputs, [[7.0, 9.0]])
    assert_close(layer.scale.numpy(), [1.0, 1.0])
    assert_close(new_non_trainable[0], 1.0)


def test_stateless_call_checks_value_counts():
    layer = Scale()
    layer.build((None, 2))
    with pytest.raises(ValueError, match="expects 1 trainable and 1 non-trainable values"):
        layer.stateless_call([], [], np.ones((1, 2)))


def test_symbolic_call_uses_shape_rules_only():
    layer = Scale()
    x = lamina.KerasTensor((None, 3))
    y = layer(x)
    assert y.shape == (None, 3)
    assert layer.built


def test_auto_config_round_trip_for_simple_arguments():
    layer = Scale(factor=3.0, name="custom")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "custom"
    clone = Scale.from_config(config)
    assert clone.factor == 3.0 and clone.name == "custom"


def test_auto_config_refuses_complex_arguments():
    class Holder(layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

    with pytest.raises(NotImplementedError, match="Define get_config"):
        Holder(layers.Dense(2)).get_config()


def test_unknown_constructor_argument_is_a_clear_error():
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['unit'\]"):
        layers.Dense(3, unit=4)


def test_add_loss_and_regularization_losses():
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs))
            return inputs

    layer = Penalized()
    layer(np.ones((2, 2), dtype="float32"))
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 4.0)
    dense = layers.Dense(2, kernel_regularizer=lamina.regularizers.L2(0.5), kernel_initializer="ones")
    dense(np.ones((1, 3), dtype="float32"))
    assert_close(dense.losses[0], 0.5 * 6.0)


def test_compute_output_shape_is_traced_from_call():
    assert Scale().compute_output_shape((None, 4)) == (None, 4)


def test_names_are_unique_and_reset_by_clear_session():
    assert layers.Dense(1).name == "dense"
    assert layers.Dense(1).name == "dense_1"
    lamina.backend.clear_session()
    assert layers.Dense(1).name == "dense"


@pytest.mark.torch_only
def test_torch_layers_are_modules_with_natural_parameter_names():
    import torch

    block = Block()
    block(np.ones((2, 5), dtype="float32"))
    assert isinstance(block, torch.nn.Module)
    names = [name for name, _ in block.named_parameters()]
    assert names[:2] == ["first.kernel", "first.bias"]
    assert len(names) == 8
    assert len(list(block.parameters())) == 8
