"""The MLP workload written once against the Keras 3 API, for lamina and for Keras itself."""

import common
import mlp_setup


def train(keras):
    """Trains the benchmark MLP with `keras` (the lamina or keras module).

    Returns `(epoch_times, final_loss)`.
    """
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
    return common.fit_timed(keras, model, x, y, mlp_setup.BATCH_SIZE, mlp_setup.EPOCHS)
