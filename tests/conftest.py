"""Test configuration: the backend comes from LAMINA_BACKEND (read by lamina.config).

Markers:
    requires_trainable_backend: skipped on numpy (no autodiff, no fit).
    jax_only / torch_only: backend-specific behaviour.
"""

import os

# Under pytest-xdist every worker is a process of its own: one math thread each keeps
# them from fighting over the cores (PyTorch's OpenMP threads slowed 10 s tests to minutes).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
# The suite compiles thousands of small XLA programs (lamina's and the Keras oracle's) and
# runs each a few times: skipping XLA's backend optimizations takes about a quarter off
# the JAX runs. Numerics are the same within float32 rounding; set XLA_FLAGS to override.
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0")

import pytest  # noqa: E402

import lamina  # noqa: E402
from lamina.backend import backend  # noqa: E402


@pytest.fixture(scope="session")
def keras():
    """The real Keras 3 package on its JAX backend: the numerical and file-format oracle."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return pytest.importorskip("keras")


def pytest_configure(config):
    config.addinivalue_line("markers", "requires_trainable_backend: needs autodiff (jax or torch)")
    config.addinivalue_line("markers", "jax_only: runs only on the jax backend")
    config.addinivalue_line("markers", "torch_only: runs only on the torch backend")
    config.addinivalue_line("markers", "numpy_only: runs only on the numpy backend")


def pytest_collection_modifyitems(config, items):
    name = backend()
    reasons = {
        "requires_trainable_backend": (name == "numpy", "the numpy backend is inference-only"),
        "jax_only": (name != "jax", "jax backend only"),
        "torch_only": (name != "torch", "torch backend only"),
        "numpy_only": (name != "numpy", "numpy backend only"),
    }
    for item in items:
        for marker, (skip, reason) in reasons.items():
            if skip and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def fresh_session():
    """Every test starts with fresh name counters and a fixed seed."""
    lamina.backend.clear_session()
    lamina.random.seed_generator.set_random_seed(1337)
    yield
