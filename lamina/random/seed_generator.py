"""`SeedGenerator`: a stateful source of seeds whose state is a Variable.

Its state is part of a layer's non-trainable variables, so a compiled JAX
step threads it through like any other state: dropout inside `jax.jit`
draws fresh randomness every step without Python-side RNG.
"""

import numpy as np

from lamina.backend import current
from lamina.backend.common import global_state
from lamina.backend.common import naming
from lamina.backend.common import scopes


class SeedGenerator:
    """Generates a new seed on every `next()` call.

    Args:
        seed: Initial integer seed (random when None).
        name: Optional name of its state variable's owner.

    Example:

    >>> import lamina
    >>> generator = lamina.random.SeedGenerator(seed=42)
    >>> x = lamina.random.normal((2,), seed=generator)
    >>> y = lamina.random.normal((2,), seed=generator)
    >>> bool((lamina.ops.convert_to_numpy(x) != lamina.ops.convert_to_numpy(y)).all())
    True
    """

    _lamina_seed_generator = True

    def __init__(self, seed=None, name=None, **kwargs):
        if name is None:
            name = naming.auto_name(self.__class__.__name__)
        self.name = name
        if seed is None:
            seed = _draw_python_seed()
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator seed must be an int. Received: seed={seed!r}")
        self._initial_seed = int(seed)
        dtype = current.core.random_seed_dtype()
        with scopes.NameScope(name):
            self.state = current.core.Variable(
                np.array([self._initial_seed & 0x7FFFFFFF, 0]),
                shape=(2,),
                dtype=dtype,
                trainable=False,
                name="seed_generator_state",
            )

    def next(self, ordered=True):
        """Returns the current seed state and advances the counter."""
        from lamina import ops

        increment = ops.convert_to_tensor(np.array([0, 1]), dtype=self.state.dtype)
        new_state = ops.add(self.state.value, increment)
        self.state.assign(new_state)
        # Not the value read above: on torch that is the Parameter, which assign overwrote in place.
        return ops.subtract(new_state, increment)

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _draw_python_seed():
    rng = global_state.get_global_attribute("python_rng")
    if rng is None:
        rng = np.random.default_rng()
        global_state.set_global_attribute("python_rng", rng)
    return int(rng.integers(0, 2**31 - 1))


def global_seed_generator():
    generator = global_state.get_global_attribute("global_seed_generator")
    if generator is None:
        generator = SeedGenerator(name="global_seed_generator")
        global_state.set_global_attribute("global_seed_generator", generator)
    return generator


def draw_seed(seed):
    """Turns a `seed` argument (int, SeedGenerator or None) into a backend seed state."""
    from lamina import ops

    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        if scopes.in_stateless_scope() and current.random.TRACES_FUNCTIONS:
            raise ValueError(
                "A random op was called with seed=None inside a compiled (stateless) "
                "function. Pass seed=a SeedGenerator owned by your layer, e.g. "
                "self.seed_generator = lamina.random.SeedGenerator(seed) in __init__."
            )
        return global_seed_generator().next()
    if isinstance(seed, (int, np.integer)):
        return ops.convert_to_tensor(
            np.array([int(seed) & 0x7FFFFFFF, 0]), dtype=current.core.random_seed_dtype()
        )
    if hasattr(seed, "shape") and tuple(seed.shape) == (2,):
        return seed
    raise ValueError(f"seed must be an int, a lamina.random.SeedGenerator or None. Received: seed={seed!r}")


def set_random_seed(seed):
    """Seeds every source of randomness lamina uses: its global generator, NumPy, Python.

    Args:
        seed: An integer.

    Example:

    >>> import lamina
    >>> from lamina.random.seed_generator import set_random_seed
    >>> set_random_seed(1)
    >>> a = lamina.random.uniform((2,))
    >>> set_random_seed(1)
    >>> b = lamina.random.uniform((2,))
    >>> bool((lamina.ops.convert_to_numpy(a) == lamina.ops.convert_to_numpy(b)).all())
    True
    """
    import random as python_random

    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"set_random_seed expects an int. Received: seed={seed!r}")
    python_random.seed(int(seed))
    np.random.seed(int(seed))
    global_state.set_global_attribute("python_rng", np.random.default_rng(int(seed)))
    global_state.set_global_attribute(
        "global_seed_generator", SeedGenerator(int(seed), name="global_seed_generator")
    )
    current.random.seed_backend(int(seed))
