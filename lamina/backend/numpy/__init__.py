"""The numpy backend. Its modules mirror those of the other backends."""

from lamina.backend.numpy import core
from lamina.backend.numpy import gradients
from lamina.backend.numpy import image
from lamina.backend.numpy import layer
from lamina.backend.numpy import linalg
from lamina.backend.numpy import math
from lamina.backend.numpy import nn
from lamina.backend.numpy import nn_attention
from lamina.backend.numpy import nn_conv
from lamina.backend.numpy import nn_pooling
from lamina.backend.numpy import numpy
from lamina.backend.numpy import random
from lamina.backend.numpy import rnn
