"""The LSTM workload written once against the Keras 3 API, for lamina and for Keras itself."""

import common
import lstm_setup


def train(keras):
    """Trains the benchmark LSTM with `keras` (the lamina or keras module); returns `(epoch_times, loss)`."""
    x, y = lstm_setup.make_data()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(lstm_setup.TIMESTEPS, lstm_setup.NUM_FEATURES)),
            keras.layers.LSTM(lstm_setup.UNITS),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=lstm_setup.LEARNING_RATE),
    )
    return common.fit_timed(keras, model, x, y, lstm_setup.BATCH_SIZE, lstm_setup.EPOCHS)
