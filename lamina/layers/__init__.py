"""`lamina.layers`: the building blocks of models."""

from lamina.layers.activations.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.core.input_layer import Input
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.merging.add import Add
from lamina.layers.merging.add import add
from lamina.layers.merging.average import Average
from lamina.layers.merging.average import average
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.merging.concatenate import concatenate
from lamina.layers.merging.dot import Dot
from lamina.layers.merging.dot import dot
from lamina.layers.merging.maximum import Maximum
from lamina.layers.merging.maximum import maximum
from lamina.layers.merging.minimum import Minimum
from lamina.layers.merging.minimum import minimum
from lamina.layers.merging.multiply import Multiply
from lamina.layers.merging.multiply import multiply
from lamina.layers.merging.subtract import Subtract
from lamina.layers.merging.subtract import subtract
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.reshaping.flatten import Flatten
from lamina.layers.reshaping.reshape import Reshape
