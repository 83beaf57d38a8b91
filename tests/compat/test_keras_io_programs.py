"""Ordinary Keras 3 programs, written as the keras.io examples write them, run after `import lamina as keras`.

Each program below follows a keras.io example's code (subclassed layers, the
functional API, augmentation inside the model, recurrent and attention layers) on
a small learnable dataset, and must train to a clearly better-than-chance score
on every trainable backend. Only the import line differs from a Keras program.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import lamina as keras
from lamina import layers
from lamina import ops

pytestmark = pytest.mark.requires_trainable_backend


# -- "Text classification with Transformer" ---------------------------------------------


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


def test_transformer_text_classification():
    vocab_size, maxlen = 50, 20
    rng = np.random.default_rng(0)
    x = rng.integers(0, vocab_size, (1200, maxlen)).astype("int32")
    y = ((x < 10).sum(axis=1) > 4).astype("int32")
    keras.utils.set_random_seed(0)
    inputs = layers.Input(shape=(maxlen,))
    embedded = TokenAndPositionEmbedding(maxlen, vocab_size, 32)(inputs)
    hidden = TransformerBlock(32, 2, 32)(embedded)
    hidden = layers.GlobalAveragePooling1D()(hidden)
    hidden = layers.Dropout(0.1)(hidden)
    hidden = layers.Dense(20, activation="relu")(hidden)
    outputs = layers.Dense(2, activation="softmax")(hidden)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x[:1000], y[:1000], batch_size=32, epochs=6, validation_data=(x[1000:], y[1000:]), verbose=0
    )
    assert history.history["val_accuracy"][-1] > 0.85


# -- "Image classification from scratch" (augmentation inside the model) -----------------


def test_small_convnet_with_augmentation_and_separable_convolutions():
    digits = load_digits()
    images = digits.images[..., None].astype("float32") * 16.0  # 0..255, like image files
    labels = digits.target
    keras.utils.set_random_seed(0)
    data_augmentation = keras.Sequential([layers.RandomRotation(0.05), layers.RandomZoom(0.1)])
    inputs = keras.Input(shape=(8, 8, 1))
    x = data_augmentation(inputs)
    x = layers.Rescaling(1.0 / 255)(x)
    x = layers.Resizing(12, 12)(x)
    x = layers.Conv2D(32, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous = x
    x = layers.SeparableConv2D(32, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.add([x, previous])
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(images[:1500], labels[:1500], batch_size=32, epochs=9, verbose=0)
    _, accuracy = model.evaluate(images[1500:], labels[1500:], verbose=0)
    assert accuracy > 0.85


# -- "Timeseries classification" with Conv1D + LSTM ---------------------------------------


def test_timeseries_classification_with_conv1d_and_lstm():
    rng = np.random.default_rng(0)
    steps = np.arange(40, dtype="float32")
    frequencies = rng.choice([0.1, 0.3], size=600)
    x = np.sin(frequencies[:, None] * steps[None] + rng.uniform(0, 6, (600, 1))).astype("float32")
    x = (x + 0.2 * rng.standard_normal(x.shape)).astype("float32")[..., None]
    y = (frequencies > 0.2).astype("int32")
    keras.utils.set_random_seed(0)
    inputs = keras.layers.Input((40, 1))
    hidden = layers.Conv1D(16, 3, padding="same", activation="relu")(inputs)
    hidden = layers.MaxPooling1D(2)(hidden)
    hidden = layers.LSTM(16)(hidden)
    outputs = layers.Dense(2, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"]
    )
    callbacks = [keras.callbacks.History()]
    model.fit(x[:500], y[:500], batch_size=32, epochs=8, callbacks=callbacks, verbose=0)
    _, accuracy = model.evaluate(x[500:], y[500:], verbose=0)
    assert accuracy > 0.9
