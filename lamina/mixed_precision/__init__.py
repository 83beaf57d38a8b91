"""`lamina.mixed_precision`: Keras 3's `keras.mixed_precision` names.

The dtype policies live in `lamina.dtype_policies`; this module gives them the
names the Keras mixed precision guide uses (`set_global_policy`,
`dtype_policy`, `LossScaleOptimizer`).

Example:

>>> import lamina
>>> lamina.mixed_precision.set_global_policy("mixed_float16")
>>> lamina.mixed_precision.dtype_policy().compute_dtype
'float16'
>>> lamina.mixed_precision.set_global_policy("float32")
"""

from lamina.dtype_policies.dtype_policy import DTypePolicy
from lamina.dtype_policies.dtype_policy import global_policy
from lamina.dtype_policies.dtype_policy import set_global_policy
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy
# Keras exports the same two functions under these names too.
dtype_policy = global_policy
set_dtype_policy = set_global_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
