"""Ordinary Keras 3 programs on callbacks, training options and data sources, run by lamina.

The callbacks follow the keras.io "Writing your own callbacks" guide; the training
program combines class weights, sample weights, validation, the built-in callbacks,
learning-rate schedules and threshold metrics as the "Training & evaluation with the
built-in methods" guide does; the data sources follow the PyDataset, PyTorch
DataLoader and pandas uses of `fit`. Each runs on sklearn data and asserts the
effect a Keras user relies on. Only the import line differs from a Keras program.
"""

import csv
import math

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.datasets import load_digits

import lamina as keras
from lamina import layers
from lamina import ops

pytestmark = pytest.mark.requires_trainable_backend


def _digits_regression():
    digits = load_digits()
    return (digits.data / 16.0).astype("float32"), digits.target.astype("float32")


def get_model():
    model = keras.Sequential()
    model.add(keras.layers.Dense(1))
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
        loss="mean_squared_error",
        metrics=["mean_absolute_error"],
    )
    return model


# -- "Writing your own callbacks" -------------------------------------------------------


class CustomCallback(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        keys = list(logs.keys())
        print(f"Starting training; got log keys: {keys}")

    def on_epoch_end(self, epoch, logs=None):
        keys = list(logs.keys())
        print(f"End epoch {epoch} of training; got log keys: {keys}")

    def on_test_end(self, logs=None):
        keys = list(logs.keys())
        print(f"Stop testing; got log keys: {keys}")

    def on_predict_batch_end(self, batch, logs=None):
        keys = list(logs.keys())
        print(f"...Predicting: end of batch {batch}; got log keys: {keys}")


class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print("Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_test_batch_end(self, batch, logs=None):
        print("Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_epoch_end(self, epoch, logs=None):
        print(
            "The average loss for epoch {} is {:7.2f} and mean absolute error is {:7.2f}.".format(
                epoch, logs["loss"], logs["mean_absolute_error"]
            )
        )


def test_callbacks_guide_log_keys_and_printing(capsys):
    x, y = _digits_regression()
    keras.utils.set_random_seed(0)
    model = get_model()
    model.fit(
        x[:1000],
        y[:1000],
        batch_size=200,
        epochs=2,
        verbose=0,
        validation_split=0.2,
        callbacks=[CustomCallback()],
    )
    res = model.evaluate(x[1000:1600], y[1000:1600], batch_size=200, verbose=0, callbacks=[CustomCallback()])
    res = model.predict(x[1000:1400], batch_size=200, callbacks=[CustomCallback()])
    assert res.shape == (400, 1)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Starting training; got log keys: []"
    epoch_keys = "['loss', 'mean_absolute_error', 'val_loss', 'val_mean_absolute_error']"
    assert f"End epoch 1 of training; got log keys: {epoch_keys}" in printed
    assert "Stop testing; got log keys: ['loss', 'mean_absolute_error']" in printed
    predict_lines = [line for line in printed if line.startswith("...Predicting")]
    assert predict_lines == [
        f"...Predicting: end of batch {batch}; got log keys: ['outputs']" for batch in (0, 1)
    ]

    history = model.fit(
        x[:1000], y[:1000], batch_size=200, epochs=3, verbose=0, callbacks=[LossAndErrorPrintingCallback()]
    )
    res = model.evaluate(
        x[1000:1600], y[1000:1600], batch_size=200, verbose=0, callbacks=[LossAndErrorPrintingCallback()]
    )
    printed = capsys.readouterr().out.splitlines()
    epoch_lines = [line for line in printed if line.startswith("The average loss for epoch")]
    assert len(epoch_lines) == 3
    assert epoch_lines[-1].endswith(f"{history.history['mean_absolute_error'][-1]:7.2f}.")
    batch_lines = [line for line in printed if line.startswith("Up to batch")]
    assert len(batch_lines) == 3 * 5 + 3
    assert batch_lines[-1] == f"Up to batch 2, the average loss is {res[0]:7.2f}."


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    """Stop training when the loss is at its min, i.e. the loss stops decreasing.

    Arguments:
        patience: Number of epochs to wait after min has been hit. After this
        number of no improvement, training stops.
    """

    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        # best_weights to store the weights at which the minimum loss occurs.
        self.best_weights = None

    def on_train_begin(self, logs=None):
        # The number of epoch it has waited when loss is no longer minimum.
        self.wait = 0
        # The epoch the training stops at.
        self.stopped_epoch = 0
        # Initialize the best as infinity.
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            # Record the best weights if current results is better (less).
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                print("Restoring model weights from the end of the best epoch.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


def test_early_stopping_at_min_loss_stops_and_restores(capsys):
    x, y = _digits_regression()
    keras.utils.set_random_seed(0)
    model = get_model()
    # A too-large learning rate makes the loss bounce, so the callback has to stop the run.
    model.optimizer.learning_rate = 1.0
    callback = EarlyStoppingAtMinLoss(patience=1)
    history = model.fit(x[:1000], y[:1000], batch_size=250, epochs=30, verbose=0, callbacks=[callback])
    epochs_run = len(history.history["loss"])
    assert epochs_run < 30
    assert callback.stopped_epoch == epochs_run - 1
    assert callback.best == min(history.history["loss"])
    for current, best in zip(model.get_weights(), callback.best_weights):
        np.testing.assert_array_equal(current, best)
    assert f"Epoch {epochs_run}: early stopping" in capsys.readouterr().out


class CustomLearningRateScheduler(keras.callbacks.Callback):
    """Learning rate scheduler which sets the learning rate according to schedule.

    Arguments:
        schedule: a function that takes an epoch index
            (integer, indexed from 0) and current learning rate
            as inputs and returns a new learning rate as output (float).
    """

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        # Get the current learning rate from model's optimizer.
        lr = self.model.optimizer.learning_rate
        # Call schedule function to get the scheduled learning rate.
        scheduled_lr = self.schedule(epoch, lr)
        # Set the value back to the optimizer before this epoch starts
        self.model.optimizer.learning_rate = scheduled_lr
        print(f"\nEpoch {epoch}: Learning rate is {float(np.array(scheduled_lr))}.")


LR_SCHEDULE = [
    # (epoch to start, learning rate) tuples
    (3, 0.05),
    (6, 0.01),
    (9, 0.005),
    (12, 0.001),
]


def lr_schedule(epoch, lr):
    """Helper function to retrieve the scheduled learning rate based on epoch."""
    if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
        return lr
    for i in range(len(LR_SCHEDULE)):
        if epoch == LR_SCHEDULE[i][0]:
            return LR_SCHEDULE[i][1]
    return lr


class LearningRateRecorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rates = []

    def on_train_batch_end(self, batch, logs=None):
        self.rates.append(float(ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def test_custom_learning_rate_scheduler_sets_the_optimizer_rate(capsys):
    x, y = _digits_regression()
    keras.utils.set_random_seed(0)
    model = get_model()
    recorder = LearningRateRecorder()
    # Zero weights and an SGD step make the effect of each epoch's rate visible in the weights.
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")
    model.fit(
        x[:400],
        y[:400],
        batch_size=400,
        epochs=8,
        verbose=0,
        callbacks=[CustomLearningRateScheduler(lr_schedule), recorder],
    )
    np.testing.assert_allclose(recorder.rates, [0.1] * 3 + [0.05] * 3 + [0.01] * 2, rtol=1e-6)
    assert "Epoch 6: Learning rate is 0.01." in capsys.readouterr().out


# -- Class weights, sample weights, built-in callbacks, schedules and metrics -----------


def _breast_cancer_imbalanced():
    data = load_breast_cancer()
    features = data.data.astype("float32")
    features = (features - features.mean(axis=0)) / features.std(axis=0)
    # Class 0 (malignant) kept at one in three: an imbalanced problem.
    malignant = np.flatnonzero(data.target == 0)[::3]
    benign = np.flatnonzero(data.target == 1)
    order = np.random.RandomState(0).permutation(np.concatenate([malignant, benign]))
    return features[order], data.target[order].astype("float32").reshape(-1, 1)


def _binary_model():
    inputs = keras.Input(shape=(30,))
    x = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def _binary_crossentropy(y, probabilities):
    probabilities = np.clip(probabilities, 1e-7, 1 - 1e-7)
    return -(y * np.log(probabilities) + (1 - y) * np.log(1 - probabilities))[:, 0]


def _reduce_lr_rates(val_losses, initial, factor, patience, min_delta=1e-4):
    """The learning rate ReduceLROnPlateau logs each epoch (Keras's rule, cooldown 0)."""
    rates, rate, best, wait = [], initial, np.inf, 0
    for value in val_losses:
        rates.append(rate)
        if value < best - min_delta:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                rate, wait = rate * factor, 0
    return rates


def test_training_program_with_class_weight_callbacks_and_threshold_metrics(tmp_path):
    x, y = _breast_cancer_imbalanced()
    x_train, y_train, x_val, y_val = x[:300], y[:300], x[300:400], y[300:400]
    keras.utils.set_random_seed(0)
    model = _binary_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy", keras.metrics.AUC(), keras.metrics.Precision(), keras.metrics.Recall()],
    )
    counts = np.bincount(y_train[:, 0].astype(int))
    class_weight = {0: len(y_train) / (2.0 * counts[0]), 1: len(y_train) / (2.0 * counts[1])}
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
        keras.callbacks.ModelCheckpoint(
            filepath=str(tmp_path / "best.keras"), monitor="val_loss", save_best_only=True
        ),
        keras.callbacks.CSVLogger(str(tmp_path / "training.log")),
    ]
    history = model.fit(
        x_train,
        y_train,
        batch_size=50,
        epochs=15,
        validation_data=(x_val, y_val),
        class_weight=class_weight,
        callbacks=callbacks,
        verbose=0,
    )
    logs = history.history
    assert set(logs) == {
        prefix + name
        for prefix in ("", "val_")
        for name in ("loss", "accuracy", "auc", "precision", "recall")
    } | {"learning_rate"}
    assert logs["val_auc"][int(np.argmin(logs["val_loss"]))] > 0.97
    np.testing.assert_allclose(
        logs["learning_rate"], _reduce_lr_rates(logs["val_loss"], 0.01, 0.5, 1), rtol=1e-6
    )

    # The CSV file holds every epoch's logs.
    with open(tmp_path / "training.log") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["epoch"] + sorted(logs)
    assert [int(row["epoch"]) for row in rows] == list(range(len(logs["loss"])))
    np.testing.assert_allclose([float(row["val_auc"]) for row in rows], logs["val_auc"], rtol=1e-5)

    # The best checkpoint and the restored weights are both the epoch of least validation loss.
    best = keras.models.load_model(tmp_path / "best.keras")
    for restored in (best, model):
        scores = restored.evaluate(x_val, y_val, batch_size=50, verbose=0, return_dict=True)
        np.testing.assert_allclose(scores["loss"], min(logs["val_loss"]), rtol=1e-5)
    probabilities = np.asarray(best.predict(x_val, batch_size=50, verbose=0))
    predicted = probabilities > 0.5
    true_positives = np.sum(predicted & (y_val == 1))
    np.testing.assert_allclose(scores["precision"], true_positives / np.sum(predicted), rtol=1e-5)
    np.testing.assert_allclose(scores["recall"], true_positives / np.sum(y_val == 1), rtol=1e-5)

    # class_weight scales each sample's loss by its class's weight; the mean is over the batch.
    model.optimizer.learning_rate = 0.0
    frozen = model.fit(x_train, y_train, batch_size=50, epochs=1, class_weight=class_weight, verbose=0)
    weights = np.where(y_train[:, 0] == 1, class_weight[1], class_weight[0])
    probabilities = np.asarray(model.predict(x_train, batch_size=50, verbose=0))
    expected = np.mean(weights * _binary_crossentropy(y_train, probabilities))
    np.testing.assert_allclose(frozen.history["loss"][0], expected, rtol=1e-4)


@pytest.mark.parametrize("schedule_name", ["exponential", "cosine_warmup"])
def test_learning_rate_schedules_sample_weight_and_validation_split(schedule_name):
    x, y = _breast_cancer_imbalanced()
    x, y = x[:400], y[:400]
    keras.utils.set_random_seed(0)
    if schedule_name == "exponential":
        lr_schedule = keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=1e-1, decay_steps=10, decay_rate=0.9
        )
        optimizer = keras.optimizers.SGD(learning_rate=lr_schedule)

        def expected_rate(step):
            return 1e-1 * 0.9 ** (step / 10)
    else:
        lr_schedule = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0, decay_steps=40, warmup_target=1e-2, warmup_steps=10
        )
        optimizer = keras.optimizers.Adam(learning_rate=lr_schedule)

        def expected_rate(step):
            if step < 10:
                return 1e-2 * step / 10
            return 1e-2 * 0.5 * (1 + math.cos(math.pi * min(step - 10, 40) / 40))

    model = _binary_model()
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    sample_weight = np.where(y[:, 0] == 0, 3.0, 1.0).astype("float32")
    history = model.fit(
        x, y, sample_weight=sample_weight, batch_size=50, epochs=4, validation_split=0.25, verbose=0
    )
    steps = int(ops.convert_to_numpy(model.optimizer.iterations))
    assert steps == 4 * 6
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(model.optimizer.learning_rate)), expected_rate(steps), rtol=1e-5
    )
    assert history.history["val_accuracy"][-1] > 0.9
    # sample_weight: the weighted losses summed and divided by the batch size.
    # Batches of equal size: the mean over batches is the mean over the data.
    probabilities = np.asarray(model.predict(x, batch_size=50, verbose=0))
    scores = model.evaluate(x, y, sample_weight=sample_weight, batch_size=50, verbose=0, return_dict=True)
    expected = np.mean(sample_weight * _binary_crossentropy(y, probabilities))
    np.testing.assert_allclose(scores["loss"], expected, rtol=1e-4)


# -- Data sources: a PyDataset, a PyTorch DataLoader, a pandas DataFrame ----------------


class DigitsPyDataset(keras.utils.PyDataset):
    def __init__(self, x_set, y_set, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x_set, y_set
        self.batch_size = batch_size

    def __len__(self):
        # Return number of batches.
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        # Return x, y for batch idx.
        low = idx * self.batch_size
        # Cap upper bound at array length; the last batch may be smaller
        # if the total number of items is not a multiple of batch size.
        high = min(low + self.batch_size, len(self.x))
        batch_x = self.x[low:high]
        batch_y = self.y[low:high]
        return batch_x, batch_y


def _digits_classification():
    digits = load_digits()
    return (digits.data / 16.0).astype("float32"), digits.target.astype("int32")


def _digits_classifier():
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _assert_learned(model, history, x_test, y_test):
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    probabilities = np.asarray(model.predict(x_test, batch_size=100, verbose=0))
    assert np.mean(probabilities.argmax(axis=1) == y_test) > 0.75


def test_py_dataset_program():
    x, y = _digits_classification()
    keras.utils.set_random_seed(0)
    train_py_dataset = DigitsPyDataset(x[:1200], y[:1200], batch_size=100)
    val_py_dataset = DigitsPyDataset(x[1200:1500], y[1200:1500], batch_size=100)
    model = _digits_classifier()
    history = model.fit(train_py_dataset, epochs=3, validation_data=val_py_dataset, verbose=0)
    assert len(history.history["val_accuracy"]) == 3
    _assert_learned(model, history, x[1500:1700], y[1500:1700])
    scores = model.evaluate(val_py_dataset, verbose=0, return_dict=True)
    np.testing.assert_allclose(scores["accuracy"], history.history["val_accuracy"][-1], rtol=1e-6)


def test_torch_data_loader_program():
    torch = pytest.importorskip("torch")
    x, y = _digits_classification()
    keras.utils.set_random_seed(0)
    torch.manual_seed(0)
    train_dataset = torch.utils.data.TensorDataset(torch.from_numpy(x[:1200]), torch.from_numpy(y[:1200]))
    train_dataloader = torch.utils.data.DataLoader(train_dataset, batch_size=100, shuffle=True)
    model = _digits_classifier()
    # As in Keras, fit's default shuffle=True is ignored for a DataLoader, with a warning.
    with pytest.warns(UserWarning, match="shuffle=True"):
        history = model.fit(train_dataloader, epochs=3, verbose=0)
    _assert_learned(model, history, x[1500:1700], y[1500:1700])


def test_pandas_dataframe_program():
    pandas = pytest.importorskip("pandas")
    x, y = _digits_classification()
    frame = pandas.DataFrame(x, columns=[f"pixel_{index}" for index in range(64)])
    labels = pandas.Series(y, name="digit")
    keras.utils.set_random_seed(0)
    model = _digits_classifier()
    history = model.fit(frame.iloc[:1200], labels.iloc[:1200], batch_size=100, epochs=3, verbose=0)
    _assert_learned(model, history, frame.iloc[1500:1700], y[1500:1700])
