"""`Dense`: the densely connected layer, `activation(inputs @ kernel + bias)`."""

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.core.lora_and_quantization import reject_lora_and_quantization
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.ops import nn_linear


class Dense(Layer):
    """Just your regular densely-connected NN layer.

    Computes `output = activation(dot(input, kernel) + bias)`. For inputs of
    rank > 2 the product runs over the last axis.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        kernel_initializer: Initializer for the kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        kernel_regularizer: Regularizer for the kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        kernel_constraint: Constraint for the kernel.
        bias_constraint: Constraint for the bias.
        lora_rank: Accepted for Keras compatibility; must be `None` (LoRA is not
            supported yet).
        lora_alpha: Accepted for Keras compatibility; must be `None`.
        quantization_config: Accepted for Keras compatibility; must be `None`
            (quantization is not supported yet).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, and the
            legacy `input_shape` / `input_dim` of a Sequential's first layer).

    Input shape:
        N-D tensor `(batch_size, ..., input_dim)`.

    Output shape:
        N-D tensor `(batch_size, ..., units)`.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Dense(4, activation="relu")
    >>> layer(lamina.ops.ones((2, 3))).shape
    (2, 4)
    >>> [w.path for w in layer.weights]
    ['dense/kernel', 'dense/bias']
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        reject_lora_and_quantization(self, lora_rank, lora_alpha, quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Dense layer '{self.name}' expects units to be a positive integer. Received: units={units!r}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{self._describe()} needs to know the size of the last axis of its "
                f"inputs to create its kernel. Received input_shape={tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        outputs = nn_linear.linear(inputs, self.kernel, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def _describe(self):
        return f"Dense layer '{self.name}' (units={self.units})"

    def _input_fix_hint(self, axis, expected, received):
        return (
            f" To fix: pass inputs with {expected} features, or create a new Dense "
            f"layer for {received}-feature inputs."
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": None,
            }
        )
        return config
