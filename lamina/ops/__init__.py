"""`lamina.ops`: the public ops, on every backend and on symbolic tensors."""

from lamina.ops.core import cast
from lamina.ops.core import cond
from lamina.ops.core import convert_to_numpy
from lamina.ops.core import convert_to_tensor
from lamina.ops.core import dtype
from lamina.ops.core import fori_loop
from lamina.ops.core import is_tensor
from lamina.ops.core import scan
from lamina.ops.core import shape
from lamina.ops.core import stop_gradient
from lamina.ops.core import unstack
from lamina.ops.core import while_loop
from lamina.ops.numpy import add
from lamina.ops.numpy import matmul
from lamina.ops.numpy import multiply
from lamina.ops.numpy import ones
from lamina.ops.numpy import subtract
from lamina.ops.numpy import zeros
