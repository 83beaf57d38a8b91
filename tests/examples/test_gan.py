"""The GAN example (one train_step for every backend) learns the shape of the iris petal data."""

import importlib.util
import pathlib

import numpy as np
import pytest

_EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "gan.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("gan_example", _EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.requires_trainable_backend
def test_generated_petals_look_like_real_ones():
    real, generated = _load_example().main(verbose=0)
    # An untrained generator puts its samples in one small blob near the middle (spread
    # 0.2-0.3 of the data's, 3% short petals); a trained one spreads them like the data.
    np.testing.assert_allclose(generated.mean(axis=0), real.mean(axis=0), atol=0.6)
    spread = generated.std(axis=0) / real.std(axis=0)
    assert np.all((spread > 0.6) & (spread < 1.4)), spread
    # Setosa's short petals (a third of the flowers) form their own cluster: both are generated.
    short = (generated[:, 0] < 2.5).mean()
    assert 0.15 < short < 0.55, short
    distance_to_data = np.sqrt(((generated[:, None, :] - real[None]) ** 2).sum(-1)).min(axis=1)
    assert (distance_to_data < 0.3).mean() > 0.8
