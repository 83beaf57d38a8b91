"""lamina: the Keras 3 API on JAX, PyTorch and NumPy.

`import lamina as keras` runs ordinary Keras 3 code. The backend is chosen by
`LAMINA_BACKEND` (else `KERAS_BACKEND`, else `~/.lamina/lamina.json`, else
`jax`) when lamina is first imported.
"""

from lamina import activations
from lamina import backend
from lamina import callbacks
from lamina import config
from lamina import constraints
from lamina import dtype_policies
from lamina import initializers
from lamina import layers
from lamina import losses
from lamina import metrics
from lamina import mixed_precision
from lamina import models
from lamina import ops
from lamina import optimizers
from lamina import random
from lamina import regularizers
from lamina import saving
from lamina import utils
from lamina.backend import KerasTensor
from lamina.backend import StatelessScope
from lamina.backend import SymbolicScope
from lamina.backend import Variable
from lamina.dtype_policies import DTypePolicy
from lamina.initializers import Initializer
from lamina.layers import Input
from lamina.layers import InputSpec
from lamina.layers import Layer
from lamina.losses import Loss
from lamina.metrics import Metric
from lamina.models import Model
from lamina.models import Sequential
from lamina.ops.operation import Operation
from lamina.optimizers import Optimizer
from lamina.regularizers import Regularizer

__version__ = "0.1.0"
version = __version__
