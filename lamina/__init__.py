"""lamina: the Keras 3 API on JAX, PyTorch and NumPy.

`import lamina as keras` runs ordinary Keras 3 code.
"""

from lamina import activations
from lamina import backend
from lamina import config
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import random
from lamina import regularizers
from lamina.backend import KerasTensor
from lamina.backend import Variable

__version__ = "0.1.0"
version = __version__
