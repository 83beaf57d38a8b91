"""Global configuration: the backend, float type, epsilon and image data format.

The backend is fixed when lamina is first imported. It is read, in order, from
the `LAMINA_BACKEND` environment variable, the `KERAS_BACKEND` environment
variable, the `"backend"` key of `~/.lamina/lamina.json` (the folder moves with
`LAMINA_HOME`), and otherwise defaults to `"jax"`.
"""

import json
import os

SUPPORTED_BACKENDS = ("jax", "torch", "numpy")
SUPPORTED_FLOATX = ("float16", "bfloat16", "float32", "float64")
SUPPORTED_IMAGE_DATA_FORMATS = ("channels_last", "channels_first")


def _config_path():
    home = os.environ.get("LAMINA_HOME") or os.path.join(os.path.expanduser("~"), ".lamina")
    return os.path.join(home, "lamina.json")


def _read_config_file():
    path = _config_path()
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as config_file:
            content = json.load(config_file)
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def _resolve_backend(file_config):
    for source, value in (
        ("LAMINA_BACKEND", os.environ.get("LAMINA_BACKEND")),
        ("KERAS_BACKEND", os.environ.get("KERAS_BACKEND")),
        (_config_path(), file_config.get("backend")),
    ):
        if value:
            name = str(value).strip().lower()
            if name not in SUPPORTED_BACKENDS:
                raise ValueError(
                    f"{source} asks for the backend {value!r}, which lamina does "
                    f"not support. Expected one of {SUPPORTED_BACKENDS}."
                )
            return name
    return "jax"


_FILE_CONFIG = _read_config_file()
_BACKEND = _resolve_backend(_FILE_CONFIG)
_FLOATX = _FILE_CONFIG.get("floatx", "float32")
_EPSILON = float(_FILE_CONFIG.get("epsilon", 1e-7))
_IMAGE_DATA_FORMAT = _FILE_CONFIG.get("image_data_format", "channels_last")


def backend():
    """Returns the name of the active backend: `"jax"`, `"torch"` or `"numpy"`.

    Example:

    >>> import lamina
    >>> lamina.config.backend() in ("jax", "torch", "numpy")
    True
    """
    return _BACKEND


def floatx():
    """Returns the default float type, as a string (`"float32"` unless set).

    Example:

    >>> import lamina
    >>> lamina.config.floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(value):
    """Sets the default float type.

    Args:
        value: One of `"float16"`, `"bfloat16"`, `"float32"`, `"float64"`.
    """
    global _FLOATX
    value = str(value)
    if value not in SUPPORTED_FLOATX:
        raise ValueError(f"set_floatx expects one of {SUPPORTED_FLOATX}. Received: value={value!r}")
    _FLOATX = value


def epsilon():
    """Returns the fuzz factor used in numeric expressions (default `1e-7`).

    Example:

    >>> import lamina
    >>> lamina.config.epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions.

    Args:
        value: A float.
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Returns the default image data format: `"channels_last"` or `"channels_first"`.

    Example:

    >>> import lamina
    >>> lamina.config.image_data_format()
    'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
    """
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in SUPPORTED_IMAGE_DATA_FORMATS:
        raise ValueError(
            "set_image_data_format expects one of "
            f"{SUPPORTED_IMAGE_DATA_FORMATS}. Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    """Returns `data_format`, or the global default when it is `None`."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in SUPPORTED_IMAGE_DATA_FORMATS:
        raise ValueError(
            f"data_format must be one of {SUPPORTED_IMAGE_DATA_FORMATS}. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def enable_unsafe_deserialization():
    """Lets every loader in this process run Python lambdas stored in files (turns safe mode off).

    Loading a file then runs the code it contains: only call this for files
    you trust completely. Passing `safe_mode=False` to one `load_model` call
    is the narrower choice.

    Example:

    >>> import lamina
    >>> lamina.config.enable_unsafe_deserialization()  # doctest: +SKIP
    """
    from lamina.saving import loading_scopes

    loading_scopes.enable_unsafe_deserialization()


def dtype_policy():
    """Returns the global dtype policy (Keras's `keras.config.dtype_policy`).

    Returns:
        A `lamina.dtype_policies.DTypePolicy`; `floatx()`'s policy unless one was set.

    Example:

    >>> import lamina
    >>> lamina.config.dtype_policy().name
    'float32'
    """
    from lamina.dtype_policies import dtype_policy as policies

    return policies.global_policy()


def set_dtype_policy(policy):
    """Sets the global dtype policy: the one layers take when not given a `dtype`.

    `"mixed_float16"` and `"mixed_bfloat16"` make layers compute in half
    precision with float32 weights (mixed precision); `compile` then wraps the
    optimizer in a `LossScaleOptimizer` under `"mixed_float16"`.

    Args:
        policy: A policy name (`"float32"`, `"mixed_float16"`, ...) or a
            `DTypePolicy`.

    Example:

    >>> import lamina
    >>> lamina.config.set_dtype_policy("mixed_bfloat16")
    >>> lamina.layers.Dense(2).compute_dtype
    'bfloat16'
    >>> lamina.config.set_dtype_policy("float32")
    """
    from lamina.dtype_policies import dtype_policy as policies

    policies.set_global_policy(policy)
