"""The MLP case written once against the Keras 3 API, for lamina and for Keras itself."""

import time

import mlp_setup


def train(keras):
    """Trains the benchmark MLP with `keras` (the lamina or keras module).

    Returns `(epoch_times, final_loss)`; each epoch is timed by a Callback from
    `on_epoch_begin` to `on_epoch_end`, where the epoch's logs are already on the host.
    """

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epoch_times = []
            self.last_loss = None
            self._start = None

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.epoch_times.append(time.perf_counter() - self._start)
            self.last_loss = float(logs["loss"])

    x, y = mlp_setup.make_data()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(mlp_setup.NUM_FEATURES,)),
            keras.layers.Dense(mlp_setup.NUM_HIDDEN, activation="relu"),
            keras.layers.Dense(mlp_setup.NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.SGD(learning_rate=mlp_setup.LEARNING_RATE),
    )
    timer = EpochTimer()
    model.fit(
        x,
        y,
        batch_size=mlp_setup.BATCH_SIZE,
        epochs=mlp_setup.EPOCHS,
        verbose=0,
        callbacks=[timer],
    )
    return timer.epoch_times, timer.last_loss
