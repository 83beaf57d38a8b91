"""The transformer workload written once against the Keras 3 API, for lamina and for Keras itself."""

import common
import transformer_setup as setup


def train(keras):
    """Trains the benchmark transformer with `keras` (lamina or keras); returns `(epoch_times, loss)`."""
    x, y = setup.make_data()
    keras.utils.set_random_seed(0)
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
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=setup.LEARNING_RATE),
    )
    return common.fit_timed(keras, model, x, y, setup.BATCH_SIZE, setup.EPOCHS)
