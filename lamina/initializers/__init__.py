"""`lamina.initializers`: how weights start."""

import inspect

import numpy as np

from lamina import ops
from lamina.backend.common import dtypes
from lamina.initializers.constant_initializers import Constant
from lamina.initializers.constant_initializers import Identity
from lamina.initializers.constant_initializers import Ones
from lamina.initializers.constant_initializers import Zeros
from lamina.initializers.initializer import Initializer
from lamina.initializers.random_initializers import Orthogonal
from lamina.initializers.random_initializers import RandomNormal
from lamina.initializers.random_initializers import RandomUniform
from lamina.initializers.random_initializers import TruncatedNormal
from lamina.initializers.variance_scaling_initializers import GlorotNormal
from lamina.initializers.variance_scaling_initializers import GlorotUniform
from lamina.initializers.variance_scaling_initializers import HeNormal
from lamina.initializers.variance_scaling_initializers import HeUniform
from lamina.initializers.variance_scaling_initializers import LecunNormal
from lamina.initializers.variance_scaling_initializers import LecunUniform
from lamina.initializers.variance_scaling_initializers import VarianceScaling
from lamina.saving import serialization

OrthogonalInitializer = Orthogonal
IdentityInitializer = Identity

zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform

ALL_OBJECTS = {
    "Initializer": Initializer,
    "Constant": Constant,
    "Zeros": Zeros,
    "Ones": Ones,
    "Identity": Identity,
    "Orthogonal": Orthogonal,
    "RandomNormal": RandomNormal,
    "RandomUniform": RandomUniform,
    "TruncatedNormal": TruncatedNormal,
    "VarianceScaling": VarianceScaling,
    "GlorotUniform": GlorotUniform,
    "GlorotNormal": GlorotNormal,
    "HeNormal": HeNormal,
    "HeUniform": HeUniform,
    "LecunNormal": LecunNormal,
    "LecunUniform": LecunUniform,
    "initializer": Initializer,
    "constant": Constant,
    "zeros": Zeros,
    "ones": Ones,
    "identity": Identity,
    "orthogonal": Orthogonal,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    # Names older Keras versions wrote into configs.
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
    "normal": RandomNormal,
    "uniform": RandomUniform,
    "one": Ones,
    "zero": Zeros,
}


def serialize(initializer):
    """Returns the config dict of an initializer (`{"module", "class_name", "config", ...}`).

    Example:

    >>> serialize(GlorotUniform())["class_name"]
    'GlorotUniform'
    """
    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Returns an initializer from its serialized dict or its name.

    Example:

    >>> deserialize({"class_name": "Constant", "config": {"value": 2.0}}).value
    2.0
    """
    found = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS, printable_module_name="initializer"
    )
    return found() if inspect.isclass(found) else found


def _from_array(array):
    def initialize(shape, dtype=None):
        if tuple(shape) != tuple(array.shape):
            raise ValueError(
                f"An array initializer of shape {tuple(array.shape)} cannot create a "
                f"weight of shape {tuple(shape)}. Pass an array of the weight's shape."
            )
        return ops.cast(array, dtypes.standardize_dtype(dtype))

    return initialize


def get(identifier):
    """Returns an initializer from a name, a config dict, a class, an instance, a callable or an array.

    Args:
        identifier: A name (`"glorot_uniform"`, `"Zeros"`), a serialized dict,
            an `Initializer` class or instance, a callable
            `(shape, dtype=None) -> tensor`, a tensor or NumPy array (whose
            values become the weight's), or None.

    Returns:
        A callable initializer, or None.

    Example:

    >>> get("zeros").__class__.__name__
    'Zeros'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, (np.ndarray, np.generic)) or ops.is_tensor(identifier):
        return _from_array(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Expected a name such "
        "as 'glorot_uniform', a serialized dict, an Initializer, a callable or an array."
    )
