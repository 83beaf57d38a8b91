"""The seed example trains to at least 0.90 test accuracy on every trainable backend."""

import importlib.util
import pathlib

import pytest

_EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "seed_mlp.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("seed_mlp", _EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.requires_trainable_backend
def test_seed_mlp_reaches_ninety_percent_test_accuracy():
    example = _load_example()
    test_loss, test_accuracy = example.main(verbose=0)
    assert test_accuracy >= 0.90
    # Ten classes: a model that learned nothing sits at log(10) ~ 2.30.
    assert 0.0 < test_loss < 0.6
