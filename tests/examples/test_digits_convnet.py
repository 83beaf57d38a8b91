"""The convnet example reaches high test accuracy on digits on every trainable backend."""

import importlib.util
import pathlib

import pytest

_EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "digits_convnet.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("digits_convnet", _EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.requires_trainable_backend
def test_digits_convnet_reaches_high_test_accuracy():
    example = _load_example()
    test_loss, test_accuracy = example.main(verbose=0)
    assert test_accuracy >= 0.95
    assert test_loss < 0.25
