"""A model saved on one backend loads on every other with the same predictions.

The model is saved on the backend under test; each other backend loads it in a
fresh interpreter (a backend is chosen once per process) and writes its
predictions back.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lamina
from lamina.config import backend

_LOADER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import lamina
    model = lamina.saving.load_model(sys.argv[1], compile=False)
    inputs = np.load(sys.argv[2])
    data = {"tokens": inputs["tokens"], "features": inputs["features"]}
    np.save(sys.argv[3], np.asarray(model.predict(data, verbose=0)))
    """
)


def _model():
    lamina.utils.set_random_seed(3)
    tokens = lamina.Input((6,), dtype="int32", name="tokens")
    features = lamina.Input((4,), name="features")
    embedded = lamina.layers.Embedding(20, 8, mask_zero=True)(tokens)
    sequence = lamina.layers.Bidirectional(lamina.layers.LSTM(5))(embedded)
    dense = lamina.layers.BatchNormalization()(lamina.layers.Dense(5, activation="relu")(features))
    merged = lamina.layers.Concatenate()([sequence, dense])
    return lamina.Model({"tokens": tokens, "features": features}, lamina.layers.Dense(3)(merged))


def _data():
    generator = np.random.RandomState(0)
    tokens = generator.randint(0, 20, size=(8, 6)).astype("int32")
    tokens[:, 4:] = 0
    return {"tokens": tokens, "features": generator.normal(size=(8, 4)).astype("float32")}


@pytest.mark.parametrize("other", ["jax", "torch", "numpy"])
def test_a_model_saved_here_predicts_the_same_on_another_backend(tmp_path, other):
    if other == backend():
        pytest.skip("same backend")
    model = _model()
    data = _data()
    normalization = next(
        layer for layer in model.layers if isinstance(layer, lamina.layers.BatchNormalization)
    )
    normalization.moving_mean.assign(np.linspace(-0.5, 0.5, 5).astype("float32"))
    expected = np.asarray(model.predict(data, verbose=0))
    path = tmp_path / "model.keras"
    model.save(path)
    np.savez(tmp_path / "inputs.npz", **data)
    script = tmp_path / "load.py"
    script.write_text(_LOADER)
    environment = dict(os.environ, LAMINA_BACKEND=other)
    completed = subprocess.run(
        [sys.executable, str(script), str(path), str(tmp_path / "inputs.npz"), str(tmp_path / "out.npy")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), expected, rtol=1e-5, atol=1e-5)
