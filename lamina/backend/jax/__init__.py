"""The jax backend. Its modules mirror those of the other backends."""

from lamina.backend.jax import core
from lamina.backend.jax import gradients
from lamina.backend.jax import image
from lamina.backend.jax import layer
from lamina.backend.jax import linalg
from lamina.backend.jax import math
from lamina.backend.jax import nn
from lamina.backend.jax import nn_attention
from lamina.backend.jax import nn_conv
from lamina.backend.jax import nn_pooling
from lamina.backend.jax import numpy
from lamina.backend.jax import random
from lamina.backend.jax import rnn
