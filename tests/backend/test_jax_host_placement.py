"""JAX: values that start on the host are placed without compiling an XLA program.

Constant initializers' fills, `set_weights` / `assign` from NumPy and the training
state's copies go through NumPy and `jax.device_put`. These tests check the values
and dtypes are what `jnp` conversion gives, and that no compilation happens.
"""

import contextlib
import logging

import numpy as np
import pytest

import lamina
from lamina import initializers

pytestmark = pytest.mark.jax_only


class _CompileCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.compiled = []

    def emit(self, record):
        prefix = "Finished XLA compilation of "
        message = record.getMessage()
        if message.startswith(prefix):
            self.compiled.append(message[len(prefix) :].split(" ")[0])


@contextlib.contextmanager
def _compilations():
    """Collects the names of the XLA programs compiled inside the block."""
    import jax

    handler = _CompileCounter()
    root = logging.getLogger("jax")
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with jax.log_compiles(True):
            yield handler.compiled
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


def test_the_counter_sees_a_compilation():
    import jax.numpy as jnp

    with _compilations() as compiled:
        jnp.zeros((3, 7, 11), "float32").block_until_ready()
    assert compiled, "the compile log is not captured: the tests below would prove nothing"


@pytest.mark.parametrize(
    "initializer, dtype, expected",
    [
        (initializers.Zeros(), "float32", 0.0),
        (initializers.Ones(), "int32", 1),
        (initializers.Constant(2.5), "float32", 2.5),
        (initializers.Constant(2.5), "int32", 2),
        (initializers.Constant(3), "bfloat16", 3.0),
        (initializers.Ones(), "bool", True),
    ],
)
def test_constant_initializers_build_on_the_host(initializer, dtype, expected):
    shape = (5, 13, 3)  # a shape no other test compiles for
    with _compilations() as compiled:
        variable = lamina.Variable(initializer=initializer, shape=shape, dtype=dtype)
    assert compiled == []
    assert variable.dtype == dtype
    value = lamina.ops.convert_to_numpy(variable)
    assert value.shape == shape
    reference = lamina.ops.convert_to_numpy(initializer(shape, dtype=dtype))
    np.testing.assert_array_equal(value.astype("float64"), reference.astype("float64"))
    assert value.astype("float64").flat[0] == float(expected)


def test_numpy_assignments_are_converted_on_the_host():
    rng = np.random.default_rng(0)
    variable = lamina.Variable(initializer=initializers.Zeros(), shape=(7, 2, 9), dtype="float32")
    new_value = rng.normal(size=(7, 2, 9))  # float64: rounded to the variable's float32
    with _compilations() as compiled:
        variable.assign(new_value)
    assert compiled == []
    assert str(variable.value.dtype) == "float32"
    np.testing.assert_array_equal(lamina.ops.convert_to_numpy(variable), new_value.astype("float32"))


def test_bfloat16_assignment_rounds_as_jax_does():
    import jax.numpy as jnp

    value = np.linspace(-3.0, 3.0, 57, dtype="float32").reshape(3, 19)
    variable = lamina.Variable(initializer=initializers.Zeros(), shape=(3, 19), dtype="bfloat16")
    variable.assign(value)
    expected = np.asarray(jnp.asarray(value).astype(jnp.bfloat16)).astype("float32")
    np.testing.assert_array_equal(lamina.ops.convert_to_numpy(variable).astype("float32"), expected)


def test_set_weights_compiles_nothing():
    model = lamina.Sequential([lamina.Input((6,)), lamina.layers.Dense(11), lamina.layers.Dense(4)])
    new_weights = [
        np.full(weight.shape, index + 0.5, "float32") for index, weight in enumerate(model.get_weights())
    ]
    with _compilations() as compiled:
        model.set_weights(new_weights)
    assert compiled == []
    for weight, expected in zip(model.get_weights(), new_weights):
        np.testing.assert_array_equal(weight, expected)


def test_place_on_device_follows_jnp_dtype_rules():
    import jax.numpy as jnp

    from lamina.backend.jax._host_placement import place_on_device

    for array in (np.arange(4), np.arange(4.0), np.array([True, False]), np.float32(3.0) * np.ones((2, 2))):
        placed = place_on_device(array)
        assert placed.dtype == jnp.asarray(array).dtype
        np.testing.assert_array_equal(np.asarray(placed), np.asarray(jnp.asarray(array)))
    assert place_on_device(np.arange(3), "float16").dtype == jnp.float16


def test_copy_array_is_a_separate_buffer():
    import jax.numpy as jnp

    from lamina.backend.jax._host_placement import copy_array

    original = jnp.arange(6.0).reshape(2, 3)
    copied = copy_array(original)
    assert copied.unsafe_buffer_pointer() != original.unsafe_buffer_pointer()
    np.testing.assert_array_equal(np.asarray(copied), np.asarray(original))


def test_fit_compiles_only_its_step_and_keeps_the_variables_usable():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = rng.normal(size=(64, 3)).astype("float32")
    model = lamina.Sequential([lamina.Input((5,)), lamina.layers.Dense(3)])
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse")
    with _compilations() as compiled:
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    # The compiled step (and the loop's own programs); no per-shape copy or zeros program.
    assert not [name for name in compiled if name in ("jit(copy)", "jit(broadcast_in_dim)")], compiled
    assert history.history["loss"][1] < history.history["loss"][0]
    # The variables hold their own buffers after the donated training state.
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel + bias, rtol=1e-5, atol=1e-5)
