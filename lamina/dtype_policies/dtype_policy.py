"""`DTypePolicy`: which dtype a layer computes in and which it stores variables in."""

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.common import global_state


class DTypePolicy:
    """A layer's dtypes.

    `"float32"` computes and stores in float32. `"mixed_float16"` and
    `"mixed_bfloat16"` compute in half precision and keep variables in float32.

    Args:
        name: The policy name: a dtype name or `"mixed_float16"` /
            `"mixed_bfloat16"`. Default: the global policy's name.

    Example:

    >>> policy = DTypePolicy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = global_policy().name
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy name must be a string. Received: name={name!r}")
        if name in ("mixed_float16", "mixed_bfloat16"):
            self._compute_dtype = name.split("_")[1]
            self._variable_dtype = "float32"
        else:
            try:
                dtype = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    "DTypePolicy expects a dtype name or 'mixed_float16' / "
                    f"'mixed_bfloat16'. Received: name={name!r}"
                ) from None
            self._compute_dtype = self._variable_dtype = dtype
            name = dtype
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    __hash__ = object.__hash__

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


def global_policy():
    """Returns the global DTypePolicy (from `floatx()` unless set)."""
    policy = global_state.get_global_attribute("dtype_policy")
    if policy is None:
        return DTypePolicy(config.floatx())
    return policy


def set_global_policy(policy):
    """Sets the global DTypePolicy (a policy or its name)."""
    policy = get(policy) if policy is not None else None
    global_state.set_global_attribute("dtype_policy", policy)


def get(identifier):
    """Returns a DTypePolicy from a name, a config dict, a policy or None (the global one)."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    return DTypePolicy(
        dtypes.standardize_dtype(identifier)
        if identifier not in ("mixed_float16", "mixed_bfloat16")
        else identifier
    )
