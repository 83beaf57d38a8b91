"""The MLP workload written once against the Keras 3 API, for lamina and for Keras itself."""

import mlp_setup as setup


def build_model(keras, dropout_rate=None):
    """The compiled benchmark MLP, built with `keras` (the lamina or keras module), at the shared start.

    `dropout_rate` is accepted for a uniform interface; the MLP has no dropout.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(setup.NUM_FEATURES,)),
            keras.layers.Dense(setup.NUM_HIDDEN, activation="relu"),
            keras.layers.Dense(setup.NUM_CLASSES, activation="softmax"),
        ]
    )
    model.set_weights(setup.initial_weights())
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.SGD(learning_rate=setup.LEARNING_RATE),
    )
    return model
