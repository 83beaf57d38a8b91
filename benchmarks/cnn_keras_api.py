"""The CNN workload written once against the Keras 3 API, for lamina and for Keras itself."""

import cnn_setup
import common


def train(keras):
    """Trains the benchmark CNN with `keras` (the lamina or keras module); returns `(epoch_times, loss)`."""
    x, y = cnn_setup.make_data()
    keras.utils.set_random_seed(0)
    size = cnn_setup.IMAGE_SIZE
    model = keras.Sequential(
        [
            keras.Input(shape=(size, size, 1)),
            keras.layers.Conv2D(cnn_setup.FILTERS[0], cnn_setup.KERNEL_SIZE, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(cnn_setup.FILTERS[1], cnn_setup.KERNEL_SIZE, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(cnn_setup.NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=cnn_setup.LEARNING_RATE),
    )
    return common.fit_timed(keras, model, x, y, cnn_setup.BATCH_SIZE, cnn_setup.EPOCHS)
