"""`print_summary` against the text Keras 3 prints for the same architectures, plus its helpers."""

import pytest

import lamina
from lamina.utils import summary_utils


def render(model, **kwargs):
    calls = []
    model.summary(print_fn=calls.append, **kwargs)
    assert len(calls) == 1, "print_fn receives the whole summary in one call, like Keras"
    return calls[0]


def build_both(keras, builder):
    """Builds the same architecture with each library (fresh name counters for both)."""
    keras.utils.clear_session()
    lamina.utils.clear_session()
    return builder(lamina), builder(keras)


def assert_same_summary(keras, builder, **kwargs):
    ours, theirs = build_both(keras, builder)
    expected = render(theirs, **kwargs)
    actual = render(ours, **kwargs)
    assert actual.splitlines() == expected.splitlines()
    assert actual == expected
    return actual


def sequential(library):
    return library.Sequential([library.Input((4,)), library.layers.Dense(8), library.layers.Dense(3)])


def test_sequential_matches_keras(keras):
    text = assert_same_summary(keras, sequential)
    assert "dense_1 (Dense)" in text and " Total params: 67 (268.00 B)" in text
    assert "\x1b" not in text


def test_sequential_with_explicit_widths_matches_keras(keras):
    assert_same_summary(keras, sequential, line_length=70, positions=[0.5, 0.8, 1.0])


def test_unbuilt_sequential_matches_keras(keras):
    text = assert_same_summary(keras, lambda lib: lib.Sequential([lib.layers.Dense(8), lib.layers.Dense(3)]))
    assert "0 (unbuilt)" in text and " ? " in text


def test_functional_chain_lists_input_layer_without_connections(keras):
    def builder(lib):
        inputs = lib.Input((4,), name="x")
        return lib.Model(inputs, lib.layers.Dense(2)(lib.layers.Dense(8)(inputs)), name="chain")

    text = assert_same_summary(keras, builder)
    assert "x (InputLayer)" in text and "Connected to" not in text


def test_functional_branches_show_connections(keras):
    def builder(lib):
        inputs = lib.Input((4,), name="x")
        left = lib.layers.Dense(8)(inputs)
        right = lib.layers.Dense(8)(inputs)
        return lib.Model(inputs, lib.layers.Add()([left, right]))

    text = assert_same_summary(keras, builder)
    assert "Connected to" in text and "x[0][0]" in text


def test_functional_with_symbolic_op_and_two_outputs(keras):
    def builder(lib):
        inputs = lib.Input((4,), name="x")
        hidden = lib.layers.Dense(8)(inputs)
        doubled = lib.ops.add(hidden, hidden)
        return lib.Model(inputs, [lib.layers.Dense(2)(doubled), doubled])

    text = assert_same_summary(keras, builder)
    assert "add (Add)" in text


def test_shared_layer_and_two_inputs(keras, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # Wide enough that neither library clips the table.

    def builder(lib):
        first = lib.Input((4,), name="first")
        second = lib.Input((4,), name="second")
        shared = lib.layers.Dense(3, name="shared")
        merged = lib.layers.Concatenate()([shared(first), shared(second)])
        return lib.Model([first, second], lib.layers.Dense(1)(merged), name="siamese")

    text = assert_same_summary(keras, builder, line_length=100)
    assert "shared[1][0]" in text


def test_show_trainable_and_frozen_layers(keras):
    def builder(lib):
        model = sequential(lib)
        model.layers[0].trainable = False
        return model

    text = assert_same_summary(keras, builder, show_trainable=True)
    assert " Non-trainable params: 40 (160.00 B)" in text


def test_expand_nested(keras):
    def builder(lib):
        inner = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="inner_dense")], name="inner")
        return lib.Sequential([lib.Input((4,)), inner, lib.layers.Dense(1)], name="outer")

    text = assert_same_summary(keras, builder, expand_nested=True)
    assert "└ inner_dense (Dense)" in text
    assert "inner_dense" not in render(build_both(keras, builder)[0])


def test_subclassed_model_uses_build_shapes(keras):
    def builder(lib):
        class TwoDense(lib.Model):
            def __init__(self):
                super().__init__(name="two_dense")
                self.first = lib.layers.Dense(3)
                self.second = lib.layers.Dense(2)

            def call(self, x):
                return self.second(self.first(x))

        model = TwoDense()
        model(lib.ops.ones((2, 4)))
        return model

    text = assert_same_summary(keras, builder)
    assert "(2, 3)" in text


def test_optimizer_params_line(keras):
    def builder(lib):
        model = sequential(lib)
        model.compile(optimizer="adam", loss="mse")
        model.optimizer.build(model.trainable_variables)
        return model

    text = assert_same_summary(keras, builder)
    assert " Optimizer params: " in text


def test_layer_range(keras):
    def builder(lib):
        return lib.Sequential([lib.Input((4,))] + [lib.layers.Dense(2, name=f"layer_{i}") for i in range(4)])

    text = assert_same_summary(keras, builder, layer_range=["layer_1", "layer_2"])
    assert "layer_1" in text and "layer_2" in text and "layer_0" not in text and "layer_3" not in text
    model = builder(lamina)
    with pytest.raises(ValueError, match="length 1"):
        model.summary(layer_range=["layer_1"])
    with pytest.raises(ValueError, match="does not match"):
        model.summary(layer_range=["nothing", "layer_2"])


def test_without_print_fn_prints_to_stdout(capsys):
    model = sequential(lamina)
    text = render(model)
    model.summary()
    assert capsys.readouterr().out == text


def test_too_narrow_is_an_error():
    with pytest.raises(ValueError, match="too small"):
        sequential(lamina).summary(line_length=8)


def test_memory_sizes():
    assert summary_utils.readable_memory_size(268) == "268.00 B"
    assert summary_utils.readable_memory_size(1075) == "1.05 KB"
    assert summary_utils.readable_memory_size(12.34 * 1024**2) == "12.34 MB"
    assert summary_utils.readable_memory_size(5 * 1024**5) == "5.00 PB"

    class Weight:
        def __init__(self, shape, dtype):
            self.shape = shape
            self.dtype = dtype

    shared = Weight((10, 10), "bfloat16")
    weights = [shared, shared, Weight((8,), "bool"), Weight((2,), "int64")]
    assert summary_utils.count_params(weights) == 210  # Counts repeat a shared weight, like Keras.
    assert summary_utils.weight_memory_size(weights) == (100 * 16 + 8 * 1 + 2 * 64) / 8
