"""`EinsumDense`: a dense layer whose contraction is any einsum expression."""

import re

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.initializers.variance_scaling_initializers import VarianceScaling
from lamina.layers.core.lora_and_quantization import reject_lora_and_quantization
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer

_PLAIN = re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$")
_LEFT_ELIDED = re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$")
_RIGHT_ELIDED = re.compile(r"^([a-zA-Z]+)\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$")


def _split_equation(equation, layer):
    for pattern, elision in ((_PLAIN, None), (_LEFT_ELIDED, "left"), (_RIGHT_ELIDED, "right")):
        match = pattern.match(equation.replace(" ", ""))
        if match:
            return match.group(1), match.group(2), match.group(3), elision
    raise ValueError(
        f"EinsumDense layer '{layer.name}' expects an equation of the form 'ab,bc->ac', '...b,bc->...c' "
        f"or 'ab...,bc->ac...'. Received: equation={equation!r}"
    )


def analyze_equation(equation, bias_axes, input_shape, output_shape, layer):
    """Works out the kernel, bias and full output shapes of an `EinsumDense` layer.

    As in Keras, the output's first letter is the batch axis unless the
    equation elides leading axes (`...`); `output_shape` lists the other
    output sizes (`None` takes the size of the input axis with that letter).

    Returns:
        `(kernel_shape, bias_shape or None, full_output_shape, kernel_input_axes,
        kernel_output_axes)`.
    """
    input_spec, weight_spec, output_spec, elision = _split_equation(equation, layer)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elision is None and elided != 0):
        raise ValueError(
            f"EinsumDense layer '{layer.name}' (equation={equation!r}) expects inputs of rank "
            f"{len(input_spec)}{' or more' if elision else ''}. Received input_shape={input_shape}"
        )
    given = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    if elision == "left":
        full_output = list(input_shape[:elided]) + given
        output_positions = {letter: elided + i for i, letter in enumerate(output_spec)}
        input_positions = {letter: elided + i for i, letter in enumerate(input_spec)}
    else:
        full_output = [input_shape[0]] + given
        if elision == "right":
            full_output += list(input_shape[len(input_spec) :])
        output_positions = {letter: i for i, letter in enumerate(output_spec)}
        input_positions = {letter: i for i, letter in enumerate(input_spec)}
    expected_length = len(output_spec) + (elided if elision else 0)
    if len(full_output) != expected_length:
        raise ValueError(
            f"EinsumDense layer '{layer.name}' (equation={equation!r}) expects output_shape to list "
            f"{expected_length - (elided if elision == 'left' else 1 + (elided if elision else 0))} sizes "
            f"(the output axes besides the batch and elided ones). Received: output_shape={output_shape!r}"
        )
    for letter, position in output_positions.items():
        if letter in input_positions:
            input_size = input_shape[input_positions[letter]]
            if full_output[position] is None:
                full_output[position] = input_size
            elif input_size is not None and full_output[position] != input_size:
                raise ValueError(
                    f"EinsumDense layer '{layer.name}': input and output shapes do not match at shared "
                    f"axis '{letter}' (input size {input_size}, output size {full_output[position]}). "
                    f"Received input_shape={input_shape}, output_shape={output_shape!r}"
                )
        elif letter not in weight_spec:
            raise ValueError(
                f"EinsumDense layer '{layer.name}': output axis '{letter}' of equation {equation!r} "
                "appears in neither the input nor the kernel."
            )
    kernel_shape, kernel_input_axes, kernel_output_axes = [], [], []
    for axis, letter in enumerate(weight_spec):
        if letter in output_positions:
            kernel_shape.append(full_output[output_positions[letter]])
            kernel_output_axes.append(axis)
        elif letter in input_positions:
            kernel_shape.append(input_shape[input_positions[letter]])
            kernel_input_axes.append(axis)
        else:
            raise ValueError(
                f"EinsumDense layer '{layer.name}': kernel axis '{letter}' of equation {equation!r} "
                "appears in neither the input nor the output."
            )
    if any(size is None for size in kernel_shape):
        raise ValueError(
            f"EinsumDense layer '{layer.name}' needs known sizes for every kernel axis; got kernel shape "
            f"{tuple(kernel_shape)} from input_shape={input_shape}, output_shape={output_shape!r}"
        )
    bias_shape = None
    if bias_axes:
        for letter in bias_axes:
            if letter not in output_spec:
                raise ValueError(
                    f"EinsumDense layer '{layer.name}': bias axis '{letter}' is not an output axis of "
                    f"equation {equation!r}. Received: bias_axes={bias_axes!r}"
                )
        first = min(output_spec.index(letter) for letter in bias_axes)
        bias_shape = [
            full_output[output_positions[letter]] if letter in bias_axes else 1
            for letter in output_spec[first:]
        ]
        if elision == "right":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, tuple(full_output), kernel_input_axes, kernel_output_axes


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    Computes `activation(einsum(equation, inputs, kernel) + bias)`, which
    covers dense projections of any rank, e.g. the per-head projections of
    attention.

    Args:
        equation: An einsum equation `"<input>,<kernel>-><output>"` (each
            a string of letters, optionally with `...` at the start of the
            input and output, or at their end). The output's first letter
            is the batch axis unless leading axes are elided.
        output_shape: The output sizes besides the batch axis and elided
            axes (an int for a single axis). `None` entries take the size of
            the input axis with the same letter.
        activation: Activation function (name or callable). Default: none.
        bias_axes: Letters of the output axes that get a bias (None: no bias).
        kernel_initializer: Initializer for the kernel (default
            `"glorot_uniform"`, with fans taken from the einsum's input and
            output axes).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        kernel_regularizer: Regularizer for the kernel.
        bias_regularizer: Regularizer for the bias.
        kernel_constraint: Constraint for the kernel.
        bias_constraint: Constraint for the bias.
        lora_rank: Not supported; must be None.
        lora_alpha: Not supported; must be None.
        quantization_config: Not supported yet; must be None.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`,
            `activity_regularizer`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
    >>> layer(lamina.ops.ones((3, 5, 6))).shape
    (3, 5, 2, 4)
    >>> [tuple(w.shape) for w in layer.weights]
    [(6, 2, 4), (2, 4)]
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        reject_lora_and_quantization(self, lora_rank, lora_alpha, quantization_config)
        _split_equation(equation, self)
        self.equation = equation
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        kernel_shape, bias_shape, full_output_shape, input_axes, output_axes = analyze_equation(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape, self
        )
        self.full_output_shape = full_output_shape
        self.input_spec = InputSpec(ndim=len(input_shape))
        kernel_initializer = self.kernel_initializer
        if isinstance(kernel_initializer, VarianceScaling) and (
            kernel_initializer.input_axes is None or kernel_initializer.output_axes is None
        ):
            # Fans come from the einsum's contracted and produced axes, not conv-style ones.
            config = kernel_initializer.get_config()
            config.update({"input_axes": input_axes, "output_axes": output_axes})
            kernel_initializer = type(kernel_initializer).from_config(config)
        self.kernel = self.add_weight(
            name="kernel",
            shape=tuple(kernel_shape),
            initializer=kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs):
        outputs = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return analyze_equation(self.equation, self.bias_axes, input_shape, self.partial_output_shape, self)[
            2
        ]

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": None,
            }
        )
        return config
