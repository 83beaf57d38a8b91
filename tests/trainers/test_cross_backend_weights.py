"""Weights trained on one backend load into the same architecture on another: same predictions."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

TRAIN = textwrap.dedent(
    """
    import sys
    import numpy as np
    from sklearn.datasets import load_digits
    import lamina as keras

    data = load_digits()
    x = (data.data / 16.0).astype("float32")
    model = keras.Sequential([keras.layers.Dense(32, activation="relu", input_dim=64),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, data.target, epochs=2, verbose=0)
    np.savez(sys.argv[1], *model.get_weights())
    np.save(sys.argv[2], model.predict(x[:50], verbose=0))
    """
)

LOAD = textwrap.dedent(
    """
    import sys
    import numpy as np
    from sklearn.datasets import load_digits
    import lamina as keras

    x = (load_digits().data / 16.0).astype("float32")
    model = keras.Sequential([keras.layers.Dense(32, activation="relu", input_dim=64),
                              keras.layers.Dense(10, activation="softmax")])
    archive = np.load(sys.argv[1])
    model.set_weights([archive[f"arr_{i}"] for i in range(len(archive.files))])
    np.save(sys.argv[2], model.predict(x[:50], verbose=0))
    """
)


def _run(script, backend, *args):
    env = dict(os.environ, LAMINA_BACKEND=backend)
    result = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{backend} run failed:\n{result.stderr[-3000:]}"


@pytest.mark.jax_only
@pytest.mark.parametrize("source, target", [("jax", "torch"), ("torch", "jax"), ("jax", "numpy")])
def test_weights_move_between_backends(tmp_path, source, target):
    weights = str(tmp_path / "weights.npz")
    expected = str(tmp_path / "expected.npy")
    actual = str(tmp_path / "actual.npy")
    _run(TRAIN, source, weights, expected)
    _run(LOAD, target, weights, actual)
    np.testing.assert_allclose(np.load(actual), np.load(expected), rtol=1e-5, atol=1e-5)
