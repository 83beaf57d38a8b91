"""The eager call path of built models: graph replay, call features, and JAX's compiled call."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking
from tests.testing_utils import assert_close


def _numpy(x):
    return ops.convert_to_numpy(x)


def _mlp():
    return lamina.Sequential(
        [lamina.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(3, activation="softmax")]
    )


def _mlp_reference(model, x):
    (k1, b1), (k2, b2) = [layer.get_weights() for layer in model.layers]
    hidden = np.maximum(x @ k1 + b1, 0.0)
    logits = hidden @ k2 + b2
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def _runner(model):
    from lamina.models import model as model_module

    return model_module._COMPILED_CALLS.get(model)


class AddsLoss(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs))
        return inputs * 2.0


class CountsCalls(layers.Layer):
    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        self.count.assign(self.count.value + 1.0)
        return inputs + self.count.value


class PositiveBranch(layers.Layer):
    def call(self, inputs):
        # A Python branch on a tensor value: untraceable.
        if float(ops.convert_to_numpy(ops.sum(inputs))) > 0:
            return inputs
        return -inputs

    def compute_output_shape(self, input_shape):
        return input_shape


class ReadsForeignVariable(layers.Layer):
    def __init__(self, variable, **kwargs):
        super().__init__(**kwargs)
        object.__setattr__(self, "foreign", variable)

    def call(self, inputs):
        return inputs * self.foreign.value


def test_sequential_call_matches_numpy_over_repeated_calls():
    model = _mlp()
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    for _ in range(4):
        assert_close(model(x), _mlp_reference(model, x))


def test_graph_with_shared_layer_op_kwargs_and_dict_outputs():
    a = lamina.Input((4,), name="a")
    b = lamina.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    joined = ops.concatenate([shared(a), shared(b)], axis=-1)
    model = lamina.Model({"a": a, "b": b}, {"joined": joined, "sum": ops.sum(joined, axis=1, keepdims=True)})
    rng = np.random.default_rng(1)
    xa = rng.normal(size=(2, 4)).astype("float32")
    xb = rng.normal(size=(2, 4)).astype("float32")
    kernel, bias = shared.get_weights()
    expected = np.concatenate([xa @ kernel + bias, xb @ kernel + bias], axis=-1)
    for _ in range(4):
        outputs = model({"a": xa, "b": xb})
        assert_close(outputs["joined"], expected)
        assert_close(outputs["sum"], expected.sum(axis=1, keepdims=True))


def test_model_cut_at_an_inner_tensor_takes_it_as_input():
    inputs = lamina.Input((3,))
    hidden = layers.Dense(2, name="first")(inputs)
    outputs = layers.Dense(1, name="second")(hidden)
    sub_model = lamina.Model(hidden, outputs)
    x = np.ones((2, 2), "float32")
    kernel, bias = sub_model.layers[-1].get_weights()
    assert_close(sub_model(x), x @ kernel + bias)


def test_training_flag_reaches_nested_dropout():
    inner_input = lamina.Input((64,))
    inner = lamina.Model(inner_input, layers.Dropout(0.5)(inner_input))
    outer_input = lamina.Input((64,))
    model = lamina.Model(outer_input, inner(outer_input))
    x = np.ones((4, 64), "float32")
    for _ in range(3):
        np.testing.assert_array_equal(_numpy(model(x)), x)
    dropped = _numpy(model(x, training=True))
    assert (dropped == 0).any() and set(np.unique(dropped)) <= {0.0, 2.0}


def test_losses_are_those_of_the_last_call():
    inputs = lamina.Input((2,))
    model = lamina.Model(inputs, AddsLoss()(inputs))
    for scale in (1.0, 2.0, 3.0, 4.0, 5.0):
        model(np.full((1, 2), scale, "float32"))
        assert len(model.losses) == 1
        assert_close(model.losses[0], 2.0 * scale)


def test_masks_reach_the_outputs():
    inputs = lamina.Input((3,), dtype="int32")
    outputs = layers.Embedding(5, 2, mask_zero=True)(inputs)
    model = lamina.Model(inputs, outputs)
    x = np.array([[1, 0, 2]], "int32")
    for _ in range(4):
        mask = masking.get_keras_mask(model(x))
        np.testing.assert_array_equal(_numpy(mask), [[True, False, True]])


def test_state_assigned_in_call_is_kept_on_every_call():
    inputs = lamina.Input((2,))
    counter = CountsCalls()
    model = lamina.Model(inputs, counter(inputs))
    x = np.zeros((1, 2), "float32")
    # Counted from where model construction left it (its symbolic call assigns too).
    start = float(counter.count.numpy())
    for call in range(1, 6):
        assert_close(model(x), np.full((1, 2), start + call))
    assert float(counter.count.numpy()) == start + 5.0


@pytest.mark.jax_only
def test_compiled_call_after_two_eager_calls_without_retrace():
    model = _mlp()
    x = ops.convert_to_tensor(np.random.default_rng(2).normal(size=(1, 5)).astype("float32"))
    model(x)
    model(x)
    assert not _runner(model).entries
    for _ in range(4):
        assert_close(model(x), _mlp_reference(model, _numpy(x)))
    (entry,) = _runner(model).entries.values()
    assert entry.num_traces == 1
    model(ops.ones((2, 5)))
    assert len(_runner(model).entries) == 1


@pytest.mark.jax_only
def test_compile_now_compiles_on_the_first_call_and_later_calls_reuse_it():
    from lamina.backend.jax._compiled_call import CompiledCall

    model = _mlp()
    x = np.random.default_rng(3).normal(size=(2, 5)).astype("float32")
    graph = model._compiled_call_graph()
    compiled = CompiledCall()
    assert compiled(model, graph, (x,), {}) is CompiledCall.NOT_HANDLED
    outputs = compiled(model, graph, (x,), {"training": False}, compile_now=True)
    assert_close(outputs, _mlp_reference(model, x))
    (entry,) = compiled.entries.values()
    assert_close(compiled(model, graph, (x,), {}), _mlp_reference(model, x))
    assert entry.num_traces == 1 and len(compiled.entries) == 1


def _compiled_mlp(x):
    """An MLP whose calls on `x` have reached its compiled call."""
    model = _mlp()
    for _ in range(3):
        model(x)
    assert _runner(model).entries
    return model


def _assert_quarter_quarter_half(model, x):
    # A zero kernel leaves the bias: softmax([0, 0, log 2]).
    model.layers[-1].bias.assign(np.array([0.0, 0.0, np.log(2.0)], "float32"))
    assert_close(model(x), [[0.25, 0.25, 0.5]])


@pytest.mark.jax_only
def test_compiled_call_sees_weight_assignments():
    x = ops.ones((1, 5))
    model = _compiled_mlp(x)
    last = model.layers[-1]
    last.kernel.assign(np.zeros(last.kernel.shape, "float32"))
    _assert_quarter_quarter_half(model, x)


@pytest.mark.jax_only
def test_compiled_call_follows_a_weight_replaced_by_a_new_variable():
    # The compiled call reads `model.variables` again only after a layer change:
    # setting a layer attribute is one, so the new variable (not the old) is read.
    x = ops.ones((1, 5))
    model = _compiled_mlp(x)
    last = model.layers[-1]
    old_kernel = last.kernel
    last.kernel = lamina.Variable(np.zeros(last.kernel.shape, "float32"), name="kernel")
    _assert_quarter_quarter_half(model, x)
    old_kernel.assign(np.ones(old_kernel.shape, "float32"))
    _assert_quarter_quarter_half(model, x)


@pytest.mark.jax_only
def test_training_calls_and_subclassed_models_stay_eager():
    model = _mlp()
    x = ops.ones((1, 5))
    for _ in range(4):
        model(x, training=True)
    assert not _runner(model).entries

    class Subclassed(lamina.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    subclassed = Subclassed()
    for _ in range(4):
        subclassed(x)
    assert _runner(subclassed) is None


@pytest.mark.jax_only
def test_untraceable_call_falls_back_to_eager_for_good():
    inputs = lamina.Input((2,))
    model = lamina.Model(inputs, PositiveBranch()(inputs))
    for value in (1.0, 1.0, 1.0, -1.0, 1.0):
        x = ops.full((1, 2), value)
        assert_close(model(x), np.full((1, 2), abs(value)))
    assert _runner(model).disabled


@pytest.mark.jax_only
def test_reading_a_variable_the_model_does_not_own_falls_back():
    foreign = lamina.Variable(2.0)
    inputs = lamina.Input((2,))
    model = lamina.Model(inputs, ReadsForeignVariable(foreign)(inputs))
    x = ops.ones((1, 2))
    for _ in range(3):
        assert_close(model(x), [[2.0, 2.0]])
    foreign.assign(3.0)
    assert_close(model(x), [[3.0, 3.0]])
    assert _runner(model).disabled


@pytest.mark.jax_only
def test_model_called_inside_a_jax_trace_runs_eagerly():
    import jax

    model = _mlp()
    x = ops.ones((1, 5))
    expected = _numpy(model(x))
    traced = jax.jit(lambda inputs: model(inputs))
    for _ in range(3):
        assert_close(traced(x), expected)
    assert not _runner(model).entries


@pytest.mark.jax_only
def test_numpy_inputs_reach_the_compiled_call_converted_as_the_eager_call_converts_them():
    from lamina.models import model as model_module

    tokens = lamina.Input((3,), dtype="int32")
    embedded = layers.Flatten()(layers.Embedding(10, 2)(tokens))
    token_model = lamina.Model(tokens, embedded)
    dense_model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2)])
    cases = [
        (token_model, np.array([[1, 2, 3]], dtype=np.int64)),
        (dense_model, np.linspace(0.0, 1.0, 3).reshape(1, 3)),  # float64
    ]
    for model, x in cases:
        eager = [ops.convert_to_numpy(model(x)) for _ in range(2)]
        compiled = ops.convert_to_numpy(model(x))
        assert model_module._COMPILED_CALLS[model].entries, "the third call should have compiled"
        assert compiled.dtype == eager[0].dtype == np.float32
        np.testing.assert_allclose(compiled, eager[0], rtol=1e-6)
        np.testing.assert_allclose(compiled, ops.convert_to_numpy(model(ops.convert_to_tensor(x))), rtol=1e-6)


def _repeat_shortcut(model):
    return _runner(model).repeat


@pytest.mark.jax_only
def test_repeated_numpy_calls_take_the_shortcut_and_read_the_current_weights():
    x = np.random.default_rng(4).normal(size=(1, 5)).astype("float32")
    model = _compiled_mlp(x)
    assert _repeat_shortcut(model) is not None
    for _ in range(3):
        assert_close(model(x), _mlp_reference(model, x))
    (entry,) = _runner(model).entries.values()
    assert entry.num_traces == 1
    last = model.layers[-1]
    last.kernel.assign(np.zeros(last.kernel.shape, "float32"))
    assert _repeat_shortcut(model) is not None, "assigning a value is not a layer change"
    _assert_quarter_quarter_half(model, x)


@pytest.mark.jax_only
def test_shortcut_gives_way_to_replaced_variables_other_shapes_and_dtypes():
    x = np.random.default_rng(5).normal(size=(1, 5)).astype("float32")
    model = _compiled_mlp(x)
    assert _repeat_shortcut(model) is not None
    last = model.layers[-1]
    last.kernel = lamina.Variable(np.zeros(last.kernel.shape, "float32"), name="kernel")
    _assert_quarter_quarter_half(model, x)
    wider = np.concatenate([x, 2.0 * x])
    assert_close(model.predict(wider, verbose=0), [[0.25, 0.25, 0.5]] * 2)
    as_float64 = x.astype("float64")
    assert ops.convert_to_numpy(model(as_float64)).dtype == np.float32
    assert_close(model(as_float64), [[0.25, 0.25, 0.5]])


@pytest.mark.jax_only
def test_calls_with_losses_masks_or_state_writes_never_take_the_shortcut():
    inputs = lamina.Input((2,))
    with_loss = lamina.Model(inputs, AddsLoss()(inputs))
    counter = CountsCalls()
    with_state = lamina.Model(inputs, counter(inputs))
    tokens = lamina.Input((3,), dtype="int32")
    with_mask = lamina.Model(tokens, layers.Embedding(5, 2, mask_zero=True)(tokens))
    for scale in (1.0, 2.0, 3.0, 4.0):
        with_loss(np.full((1, 2), scale, "float32"))
        assert_close(with_loss.losses[0], 2.0 * scale)
        before = float(counter.count.numpy())
        assert_close(with_state(np.zeros((1, 2), "float32")), np.full((1, 2), before + 1.0))
        mask = masking.get_keras_mask(with_mask(np.array([[1, 0, 2]], "int32")))
        np.testing.assert_array_equal(_numpy(mask), [[True, False, True]])
    for model in (with_loss, with_state, with_mask):
        assert _runner(model).entries, "the calls should have compiled"
        assert _repeat_shortcut(model) is None


@pytest.mark.jax_only
def test_shortcut_is_not_taken_inside_a_stateless_scope_or_for_training_calls():
    x = np.random.default_rng(6).normal(size=(1, 5)).astype("float32")
    model = _compiled_mlp(x)
    assert _repeat_shortcut(model) is not None
    zeros = [np.zeros(v.shape, "float32") for v in model.variables]
    with lamina.StatelessScope(state_mapping=list(zip(model.variables, zeros))):
        assert_close(model(x), np.full((1, 3), 1.0 / 3.0))
    dropout_model = lamina.Sequential([lamina.Input((5,)), layers.Dropout(0.999)])
    ones = np.ones((1, 5), "float32")
    for _ in range(3):
        dropout_model(ones)
    assert _repeat_shortcut(dropout_model) is not None
    assert float(np.sum(_numpy(dropout_model(ones, training=True)) == 1.0)) < 5


@pytest.mark.jax_only
def test_compiled_call_follows_a_reconfigured_layer():
    x = np.random.default_rng(7).normal(size=(1, 5)).astype("float32")
    model = _compiled_mlp(x)
    hidden = model.layers[0]
    hidden.activation = lamina.activations.tanh
    (k1, b1), (k2, b2) = [layer.get_weights() for layer in model.layers]
    logits = np.tanh(x @ k1 + b1) @ k2 + b2
    expected = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    for _ in range(4):
        assert_close(model(x), expected)
        assert_close(model(ops.convert_to_tensor(x)), expected)
    assert_close(model.predict(x, verbose=0), expected)


class CountsPythonCalls(AddsLoss):
    def call(self, inputs):
        object.__setattr__(self, "python_calls", getattr(self, "python_calls", 0) + 1)
        return super().call(inputs)


@pytest.mark.jax_only
def test_calls_that_reset_layer_losses_are_not_traced_again():
    inputs = lamina.Input((2,))
    layer = CountsPythonCalls()
    model = lamina.Model(inputs, layer(inputs))
    object.__setattr__(layer, "python_calls", 0)
    for scale in range(1, 8):
        model(np.full((1, 2), float(scale), "float32"))
        assert_close(model.losses[0], 2.0 * scale)
    # Two eager calls, then one trace that the five later calls reuse.
    assert layer.python_calls == 3
