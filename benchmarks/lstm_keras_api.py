"""The LSTM workload written once against the Keras 3 API, for lamina and for Keras itself."""

import lstm_setup as setup


def build_model(keras, dropout_rate=None):
    """The compiled benchmark LSTM, built with `keras` (the lamina or keras module), at the shared start.

    `dropout_rate` is accepted for a uniform interface; the network has no dropout.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(setup.SEQUENCE_LENGTH,), dtype="int32"),
            keras.layers.Embedding(setup.VOCABULARY, setup.EMBEDDING_DIM),
            keras.layers.LSTM(setup.UNITS),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.set_weights(setup.initial_weights())
    model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=setup.LEARNING_RATE),
    )
    return model
