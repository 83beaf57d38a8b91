"""`lamina.layers`: the building blocks of models."""

from lamina.layers.core.dense import Dense
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
