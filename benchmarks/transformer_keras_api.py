"""The transformer workload written once against the Keras 3 API, for lamina and for Keras itself."""

import transformer_setup as setup


def build_model(keras, dropout_rate=None):
    """The compiled benchmark transformer, built with `keras` (lamina or keras), at the shared start.

    `dropout_rate` is accepted for a uniform interface; the block has no dropout.
    """
    layers = keras.layers
    tokens = keras.Input(shape=(setup.SEQUENCE_LENGTH,), dtype="int32")
    embedded = layers.Embedding(setup.VOCABULARY, setup.EMBEDDING_DIM)(tokens)
    attended = layers.MultiHeadAttention(setup.NUM_HEADS, setup.KEY_DIM)(embedded, embedded)
    hidden = layers.LayerNormalization(epsilon=setup.LAYER_NORM_EPSILON)(layers.Add()([embedded, attended]))
    feed_forward = layers.Dense(setup.FEED_FORWARD_DIM, activation="relu")(hidden)
    feed_forward = layers.Dense(setup.EMBEDDING_DIM)(feed_forward)
    hidden = layers.LayerNormalization(epsilon=setup.LAYER_NORM_EPSILON)(layers.Add()([hidden, feed_forward]))
    pooled = layers.GlobalAveragePooling1D()(hidden)
    outputs = layers.Dense(setup.NUM_CLASSES, activation="softmax")(pooled)
    model = keras.Model(tokens, outputs)
    model.set_weights(setup.initial_weights())
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=setup.LEARNING_RATE),
    )
    return model
