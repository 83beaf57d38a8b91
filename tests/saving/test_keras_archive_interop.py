""".keras archives across libraries: Keras writes, lamina reads (and trains on), and the other way round.

Every model is built twice by the same function, once with the real Keras 3 (the oracle, on JAX)
and once with lamina. A file written by Keras on JAX and read by lamina on torch or numpy is the
cross-backend check. numpy cannot train, so there only the prediction parts run.
"""

import numpy as np
import pytest

import lamina
from lamina.backend import backend
from tests.testing_utils import assert_close

TOLERANCE = 1e-5
TRAINABLE = backend() != "numpy"

# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
pytestmark = [
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
    # On numpy lamina saves compiled, never-trained models; Keras warns (for its own such files
    # too) that the unbuilt optimizer's 2 saved variables do not fill the one it builds.
    pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer:UserWarning"),
]


# ---------------------------------------------------------------- models, built alike in both libraries


def _sequential(K):
    L = K.layers
    model = K.Sequential(
        [K.Input((4,)), L.Dense(8, activation="relu"), L.BatchNormalization(), L.Dropout(0.25), L.Dense(3)]
    )
    return model, K.optimizers.Adam(0.01), {"loss": "mse", "metrics": ["mae"]}


def _conv2d(K):
    L = K.layers
    inputs = K.Input((6, 6, 2))
    hidden = L.MaxPooling2D()(L.Conv2D(3, 3, padding="same", activation="relu")(inputs))
    hidden = L.UpSampling2D()(L.ZeroPadding2D(1)(hidden))
    outputs = L.Dense(2)(L.Flatten()(hidden))
    return K.Model(inputs, outputs), K.optimizers.SGD(0.05, momentum=0.9), {"loss": "mse"}


def _conv1d(K):
    L = K.layers
    model = K.Sequential(
        [
            K.Input((8, 3)),
            L.Conv1D(4, 3, activation="tanh"),
            L.AveragePooling1D(2),
            L.LayerNormalization(),
            L.ZeroPadding1D(1),
            L.GlobalMaxPooling1D(),
            L.Dense(3),
        ]
    )
    return model, K.optimizers.RMSprop(0.01), {"loss": "mse"}


def _recurrent(K):
    L = K.layers
    inputs = K.Input((6,), dtype="int32")
    hidden = L.Embedding(10, 4, mask_zero=True)(inputs)
    # A plain LSTM too costs a second compiled scan; Bidirectional holds two LSTMs.
    hidden = L.Bidirectional(L.LSTM(2, return_sequences=True))(hidden)
    outputs = L.GRU(2)(hidden)
    return K.Model(inputs, outputs), K.optimizers.RMSprop(0.01), {"loss": "mse"}


def _attention(K):
    L = K.layers
    inputs = K.Input((5, 4))
    attended = L.MultiHeadAttention(2, 3, name="self_attention")(
        query=inputs, value=inputs, key=inputs, use_causal_mask=True
    )
    hidden = L.LayerNormalization()(L.Add()([inputs, attended]))
    hidden = L.TimeDistributed(L.Dense(3))(hidden)
    outputs = L.Dense(2)(L.Flatten()(hidden))
    # Not Adam: the key bias has a zero gradient in exact arithmetic (softmax ignores a shift
    # shared by all keys), and Adam would blow its float noise up to full-size steps.
    return K.Model(inputs, outputs), K.optimizers.SGD(0.05, momentum=0.9), {"loss": "mse"}


def _merging_and_reshaping(K):
    L = K.layers
    inputs = K.Input((6,))
    dense = L.Dense(6)(inputs)
    turned = L.Flatten()(L.Permute((2, 1))(L.Reshape((3, 2))(inputs)))
    merged = L.Concatenate()([L.Add()([dense, turned]), L.Multiply()([dense, turned])])
    repeated = L.Flatten()(L.RepeatVector(2)(merged))
    outputs = L.Dense(2)(L.Flatten()(L.UpSampling1D(2)(L.Reshape((12, 2))(repeated))))
    return K.Model(inputs, outputs), K.optimizers.SGD(0.05, momentum=0.5), {"loss": "mse"}


def _shared_dict(K):
    L = K.layers
    inputs = {"left": K.Input((3,), name="left"), "right": K.Input((3,), name="right")}
    shared = L.Dense(4, activation="tanh", name="shared")
    left, right = shared(inputs["left"]), shared(inputs["right"])
    outputs = {
        "total": L.Dense(2, name="total")(L.Add()([left, right])),
        "joined": L.Dense(1, name="joined")(L.Concatenate()([left, right])),
    }
    compile_args = {"loss": {"total": "mse", "joined": "mae"}, "loss_weights": {"total": 1.0, "joined": 0.5}}
    return K.Model(inputs, outputs), K.optimizers.Adam(0.01), compile_args


def _nested(K):
    L = K.layers
    inner_sequential = K.Sequential([K.Input((4,)), L.Dense(5), L.BatchNormalization()], name="inner_seq")
    inner_inputs = K.Input((5,))
    inner_functional = K.Model(inner_inputs, L.Dense(3, activation="relu")(inner_inputs), name="inner_fn")
    inputs = K.Input((4,))
    outputs = L.Dense(3)(inner_functional(inner_sequential(inputs)))
    return K.Model(inputs, outputs), K.optimizers.RMSprop(0.01), {"loss": "mse"}


_TOWERS = {}


def _tower_class(K):
    """One `interop_tests>Tower` class per library, registered once under the same name in both."""
    if K.__name__ in _TOWERS:
        return _TOWERS[K.__name__]

    @K.saving.register_keras_serializable(package="interop_tests", name="Tower")
    class Tower(K.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = K.layers.Dense(units, activation="relu")
            self.norm = K.layers.BatchNormalization()
            self.head = K.layers.Dense(3)

        def call(self, inputs, training=None):
            return self.head(self.norm(self.hidden(inputs), training=training))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    _TOWERS[K.__name__] = Tower
    return Tower


def _subclassed(K):
    model = _tower_class(K)(units=5, name="tower")
    model(np.zeros((1, 4), "float32"))
    return model, K.optimizers.Adam(0.01), {"loss": "mse"}


CASES = {
    "sequential": (_sequential, "dense"),
    "conv2d": (_conv2d, "image"),
    "conv1d": (_conv1d, "sequence"),
    "recurrent": (_recurrent, "tokens"),
    "attention": (_attention, "attention"),
    "merging_reshaping": (_merging_and_reshaping, "flat6"),
    "shared_dict": (_shared_dict, "dict"),
    "nested": (_nested, "dense"),
    "subclassed": (_subclassed, "dense"),
}


def _data(kind, seed):
    random = np.random.RandomState(seed)
    if kind == "dense":
        x = random.randn(8, 4).astype("float32")
        return x, np.stack([x[:, 0], x[:, 1] * x[:, 2], x[:, 3]], 1)[:, :3].astype("float32")
    if kind == "image":
        return random.randn(4, 6, 6, 2).astype("float32"), random.randn(4, 2).astype("float32")
    if kind == "sequence":
        return random.randn(4, 8, 3).astype("float32"), random.randn(4, 3).astype("float32")
    if kind == "tokens":
        tokens = random.randint(1, 10, size=(4, 6)).astype("int32")
        tokens[0, 4:] = 0  # Padding: the mask of Embedding(mask_zero=True) matters.
        tokens[2, 2:] = 0
        return tokens, random.randn(4, 2).astype("float32")
    if kind == "attention":
        return random.randn(4, 5, 4).astype("float32"), random.randn(4, 2).astype("float32")
    if kind == "flat6":
        return random.randn(4, 6).astype("float32"), random.randn(4, 2).astype("float32")
    x = {"left": random.randn(4, 3).astype("float32"), "right": random.randn(4, 3).astype("float32")}
    return x, {"total": random.randn(4, 2).astype("float32"), "joined": random.randn(4, 1).astype("float32")}


@pytest.fixture(autouse=True)
def _register_towers(keras):
    """Both Tower classes exist before any load: a file names the class, never imports it."""
    _tower_class(keras)
    _tower_class(lamina)


def _first_loss(result):
    """The total loss of a train_on_batch result (a list when there are several outputs)."""
    return np.asarray(result[0] if isinstance(result, (list, tuple)) else result)


def _build(K, case):
    build, kind = CASES[case]
    model, optimizer, compile_args = build(K)
    model.compile(optimizer=optimizer, **compile_args)
    return model, kind


# ---------------------------------------------------------------- comparison helpers


def _numpy(value):
    return (
        {key: np.asarray(item) for key, item in value.items()}
        if isinstance(value, dict)
        else np.asarray(value)
    )


def _assert_same_predictions(first, second, x):
    first_out, second_out = _numpy(first.predict(x, verbose=0)), _numpy(second.predict(x, verbose=0))
    if isinstance(first_out, dict):
        assert sorted(first_out) == sorted(second_out)
        for key in first_out:
            assert_close(first_out[key], second_out[key], atol=TOLERANCE, rtol=TOLERANCE)
    else:
        assert_close(first_out, second_out, atol=TOLERANCE, rtol=TOLERANCE)


def _assert_same_weights(first, second):
    first_weights, second_weights = first.get_weights(), second.get_weights()
    assert [w.shape for w in first_weights] == [w.shape for w in second_weights]
    for first_weight, second_weight in zip(first_weights, second_weights):
        assert_close(np.asarray(first_weight), np.asarray(second_weight), atol=TOLERANCE, rtol=TOLERANCE)


def _deterministic_step(model, x, y):
    """One train_on_batch with every Dropout switched off, so both libraries take the same step."""
    rates = {}
    for layer in _all_layers(model):
        if type(layer).__name__ == "Dropout":
            rates[id(layer)] = layer.rate
            layer.rate = 0.0
    try:
        return model.train_on_batch(x, y)
    finally:
        for layer in _all_layers(model):
            if id(layer) in rates:
                layer.rate = rates[id(layer)]


def _all_layers(model):
    for layer in getattr(model, "layers", []):
        yield layer
        yield from _all_layers(layer)


# ---------------------------------------------------------------- the matrix


def _keras_to_lamina(keras, case, tmp_path):
    """(a) Keras trains a step and saves; lamina loads, predicts alike, and takes the same next step."""
    keras_model, kind = _build(keras, case)
    x, y = _data(kind, 0)
    next_x, next_y = _data(kind, 1)
    _deterministic_step(keras_model, x, y)
    path = str(tmp_path / "from_keras.keras")
    keras_model.save(path)
    saved_weights = keras_model.get_weights()

    model = lamina.saving.load_model(path)
    _assert_same_weights(keras_model, model)
    _assert_same_predictions(keras_model, model, next_x)
    if TRAINABLE:
        assert model.compiled and type(model.optimizer).__name__ == type(keras_model.optimizer).__name__
        # The optimizer state (moments, iteration count) came with the file: the next step is the same.
        keras_loss = _deterministic_step(keras_model, next_x, next_y)
        loss = _deterministic_step(model, next_x, next_y)
        _assert_same_weights(keras_model, model)
        assert_close(_first_loss(loss), _first_loss(keras_loss), atol=TOLERANCE, rtol=TOLERANCE)
    return path, saved_weights


def _lamina_to_keras(keras, case, tmp_path):
    """(b) lamina trains a step (numpy: only predicts) and saves; Keras loads it and agrees."""
    model, kind = _build(lamina, case)
    x, y = _data(kind, 0)
    next_x, next_y = _data(kind, 1)
    if TRAINABLE:
        _deterministic_step(model, x, y)
    path = str(tmp_path / "from_lamina.keras")
    model.save(path)

    keras_model = keras.saving.load_model(path)
    _assert_same_weights(model, keras_model)
    _assert_same_predictions(model, keras_model, next_x)
    if TRAINABLE:
        assert keras_model.compiled
        assert type(keras_model.optimizer).__name__ == type(model.optimizer).__name__
        keras_loss = _deterministic_step(keras_model, next_x, next_y)
        loss = _deterministic_step(model, next_x, next_y)
        _assert_same_weights(model, keras_model)
        assert_close(_first_loss(loss), _first_loss(keras_loss), atol=TOLERANCE, rtol=TOLERANCE)
    return path, model


@pytest.mark.parametrize("case", sorted(CASES))
def test_archive_round_trips_between_libraries(keras, case, tmp_path):
    keras_path, keras_weights = _keras_to_lamina(keras, case, tmp_path)
    lamina_path, model = _lamina_to_keras(keras, case, tmp_path)

    # (c) compile=False: the same weights, no optimizer (equal weights and config give equal outputs).
    uncompiled = lamina.saving.load_model(keras_path, compile=False)
    assert not uncompiled.compiled and uncompiled.optimizer is None
    for weight, keras_weight in zip(uncompiled.get_weights(), keras_weights, strict=True):
        assert_close(weight, keras_weight, atol=TOLERANCE, rtol=TOLERANCE)
    keras_uncompiled = keras.saving.load_model(lamina_path, compile=False)
    assert not keras_uncompiled.compiled
    if TRAINABLE:
        # `model` took one more step after saving: compare with a fresh compiled load instead.
        model = lamina.saving.load_model(lamina_path, compile=False)
    _assert_same_weights(model, keras_uncompiled)
