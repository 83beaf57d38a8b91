"""Ordinary Keras 3 programs run unchanged after `import lamina as keras`.

Each program below is written exactly as a Keras 3 user would write it; only the
import lines differ (`import lamina as keras`, `from lamina import layers`). Each
runs on every trainable backend.
"""

import textwrap

import pytest

pytestmark = pytest.mark.requires_trainable_backend

SEQUENTIAL_MLP = """
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
import lamina as keras
from lamina import layers

digits = load_digits()
x = digits.data.astype("float32") / 16.0
y = keras.utils.to_categorical(digits.target, num_classes=10)
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=0)

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(10, activation="softmax"),
    ]
)
lines = []
model.summary(print_fn=lines.append)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=64, epochs=10, validation_split=0.1, verbose=0)
score = model.evaluate(x_test, y_test, verbose=0)
predictions = model.predict(x_test[:5], verbose=0)
summary = "\\n".join(lines)
result = {"summary": summary, "history": history.history, "score": score, "predictions": predictions}
"""

FUNCTIONAL_CLASSIFIER = """
import numpy as np
from sklearn.datasets import load_breast_cancer
import lamina as keras
from lamina import layers

data = load_breast_cancer()
features = keras.utils.normalize(data.data.astype("float32"), axis=0)
labels = data.target.astype("float32")

inputs = keras.Input(shape=(30,), name="features")
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dense(16, activation="relu")(x)
skip = layers.Dense(16)(inputs)
x = layers.add([x, skip])
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="classifier")
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-2),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy(name="acc")],
)
history = model.fit(features, labels, batch_size=32, epochs=15, verbose=0,
                    validation_data=(features[:100], labels[:100]))
result = {"history": history.history, "score": model.evaluate(features, labels, verbose=0, return_dict=True)}
"""

SUBCLASSED_REGRESSOR = """
import numpy as np
from sklearn.datasets import load_diabetes
import lamina as keras
from lamina import layers

data = load_diabetes()
x = data.data.astype("float32")
y = ((data.target - data.target.mean()) / data.target.std()).astype("float32")

class Regressor(keras.Model):
    def __init__(self, hidden=32, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu")
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

model = Regressor()
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
result = {"history": history.history, "mse": model.evaluate(x, y, verbose=0)[0]}
"""


def _run(program):
    namespace = {}
    exec(compile(textwrap.dedent(program), "<keras program>", "exec"), namespace)
    return namespace["result"]


def test_sequential_mlp_program():
    result = _run(SEQUENTIAL_MLP)
    assert 'Model: "sequential"' in result["summary"]
    assert "Total params: 4,810" in result["summary"]
    assert set(result["history"]) == {"accuracy", "loss", "val_accuracy", "val_loss"}
    assert result["score"][1] > 0.9
    assert result["predictions"].shape == (5, 10)


def test_functional_classifier_program():
    result = _run(FUNCTIONAL_CLASSIFIER)
    assert set(result["history"]) == {"acc", "loss", "val_acc", "val_loss"}
    assert result["score"]["acc"] > 0.9


def test_subclassed_regressor_program():
    result = _run(SUBCLASSED_REGRESSOR)
    assert result["history"]["loss"][-1] < result["history"]["loss"][0]
    assert result["mse"] < 0.6
