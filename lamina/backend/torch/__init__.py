"""The torch backend. Its modules mirror those of the other backends."""

from lamina.backend.torch import core
from lamina.backend.torch import gradients
from lamina.backend.torch import image
from lamina.backend.torch import layer
from lamina.backend.torch import linalg
from lamina.backend.torch import math
from lamina.backend.torch import nn
from lamina.backend.torch import nn_attention
from lamina.backend.torch import nn_conv
from lamina.backend.torch import nn_linear
from lamina.backend.torch import nn_pooling
from lamina.backend.torch import numpy
from lamina.backend.torch import random
from lamina.backend.torch import rnn
