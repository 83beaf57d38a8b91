"""The CNN workload written once against the Keras 3 API, for lamina and for Keras itself."""

import cnn_setup as setup


def build_model(keras, dropout_rate=setup.DROPOUT_RATE):
    """The compiled benchmark CNN, built with `keras` (the lamina or keras module), at the shared start."""
    size = setup.IMAGE_SIZE
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(size, size, 1)),
            layers.Conv2D(setup.FILTERS[0], setup.KERNEL_SIZE, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(setup.FILTERS[1], setup.KERNEL_SIZE, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(dropout_rate),
            layers.Dense(setup.NUM_CLASSES, activation="softmax"),
        ]
    )
    model.set_weights(setup.initial_weights())
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=setup.LEARNING_RATE),
    )
    return model
