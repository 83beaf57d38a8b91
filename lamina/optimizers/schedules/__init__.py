"""`lamina.optimizers.schedules`: learning rates that change with the optimizer's step.

Pass a schedule as an optimizer's `learning_rate`; the optimizer calls it with
its iteration count at every step.
"""

from lamina.optimizers.schedules.cosine_decay import CosineDecay
from lamina.optimizers.schedules.cosine_decay import CosineDecayRestarts
from lamina.optimizers.schedules.decays import ExponentialDecay
from lamina.optimizers.schedules.decays import InverseTimeDecay
from lamina.optimizers.schedules.decays import PiecewiseConstantDecay
from lamina.optimizers.schedules.decays import PolynomialDecay
from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.saving import serialization

ALL_OBJECTS = (
    LearningRateSchedule,
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
    InverseTimeDecay,
    CosineDecay,
    CosineDecayRestarts,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(learning_rate_schedule):
    """Returns the config dict of a learning rate schedule.

    Args:
        learning_rate_schedule: A `LearningRateSchedule` instance.

    Returns:
        A dict with `module`, `class_name` and `config`, as Keras writes it.

    Example:

    >>> serialize(ExponentialDecay(0.1, 100, 0.9))["class_name"]
    'ExponentialDecay'
    """
    return serialization.serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """Returns a learning rate schedule from its config dict.

    Args:
        config: A dict from `serialize` (or Keras's).
        custom_objects: Optional dict of custom schedule classes by name.

    Returns:
        A `LearningRateSchedule` instance.

    Example:

    >>> schedule = deserialize(serialize(CosineDecay(0.1, decay_steps=10)))
    >>> schedule.get_config()["decay_steps"]
    10
    """
    return serialization.deserialize_keras_object(
        config,
        custom_objects=custom_objects,
        module_objects=ALL_OBJECTS_DICT,
        printable_module_name="decay",
    )
