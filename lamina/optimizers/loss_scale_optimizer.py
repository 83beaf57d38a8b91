"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer (mixed precision training).

In float16 small gradients underflow to zero. The loss is multiplied by a
scale before differentiation (`scale_loss`) and the gradients are divided by
it before the inner optimizer sees them. When a step's gradients hold an inf
or NaN, the step is skipped and the scale halved; after
`dynamic_growth_steps` finite steps in a row it is doubled.

The skip is a selection, not a Python branch: the inner step always runs on
finite stand-in gradients and its results are kept only when the gradients
were finite, so the whole update also runs inside a compiled JAX step.
"""

from lamina import initializers
from lamina import ops
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer import _no_grad
from lamina.saving import serialization

# Base optimizer arguments that belong on the inner optimizer, with their defaults.
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """An optimizer that dynamically scales the loss to keep float16 gradients from underflowing.

    `scale_loss(loss)` multiplies the loss by the current scale (the trainers
    call it before differentiating); `apply` divides the gradients by it and
    hands them to `inner_optimizer`. A step whose gradients are not all finite
    changes no weights, halves the scale and resets the growth counter; after
    `dynamic_growth_steps` finite steps in a row the scale doubles.

    Its variables are its own (`iteration`, `learning_rate`, `step_counter`,
    `dynamic_scale`) followed by the inner optimizer's. `learning_rate` and
    `iterations` are the inner optimizer's.

    Args:
        inner_optimizer: The `Optimizer` that applies the unscaled gradients.
        initial_scale: The starting loss scale (default `2 ** 15`).
        dynamic_growth_steps: How many finite steps in a row double the scale
            (default `2000`).
        name: The optimizer's name (default `"loss_scale_optimizer"`).

    Example:

    >>> import lamina
    >>> optimizer = LossScaleOptimizer(lamina.optimizers.SGD(learning_rate=0.5), initial_scale=4.0)
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> float(optimizer.scale_loss(lamina.ops.convert_to_tensor(3.0)))
    12.0
    >>> optimizer.apply([lamina.ops.convert_to_tensor([8.0])], [weight])  # gradient of the scaled loss
    >>> weight.numpy().tolist(), float(optimizer.dynamic_scale.numpy())
    ([0.0], 4.0)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([float("inf")])], [weight])  # skipped
    >>> weight.numpy().tolist(), float(optimizer.dynamic_scale.numpy())
    ([0.0], 2.0)
    """

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        for argument, default in _BASE_DEFAULTS.items():
            if argument in kwargs and kwargs.pop(argument) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{argument}`. Instead, set `{argument}` on "
                    "the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be an Optimizer instance. Received: "
                f"inner_optimizer={inner_optimizer!r} of type {type(inner_optimizer).__name__}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The scale is this optimizer's job; a fixed factor on the inner one would apply twice.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables):
        """Creates `step_counter` and `dynamic_scale`, then builds the inner optimizer."""
        if self.built:
            return
        variables = list(variables)
        with self._name_scope():
            self.step_counter = self.add_variable(
                (), initializer=initializers.Zeros(), dtype="int32", name="step_counter"
            )
            self.dynamic_scale = self.add_variable(
                (),
                initializer=initializers.Constant(self.initial_scale),
                dtype="float32",
                name="dynamic_scale",
            )
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        """Its own variables, then the inner optimizer's (Keras's saved order)."""
        return list(self._variables) + list(self.inner_optimizer.variables)

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        """The inner optimizer's step count (skipped steps do not count)."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """Multiplies `loss` by the current scale (`initial_scale` before the first build)."""
        scale = value_of(self.dynamic_scale) if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def check_finite(self, grads):
        """Returns a boolean scalar tensor: whether every gradient is finite."""
        flags = [ops.all(ops.isfinite(grad)) for grad in grads if grad is not None]
        return ops.all(ops.stack(flags))

    def apply(self, grads, trainable_variables=None):
        """Unscales `grads` and applies them with the inner optimizer, or skips a non-finite step.

        Args:
            grads: Gradients of the scaled loss (None for variables without one).
            trainable_variables: The matching variables; omit to use the list
                the optimizer was built with.
        """
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "LossScaleOptimizer.apply: without `trainable_variables` the optimizer must "
                    "already be built. Call `optimizer.build(trainable_variables)` first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"LossScaleOptimizer.apply: received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables; pass one gradient per variable."
            )
        if not self.built:
            self.build(trainable_variables)
        with self._name_scope(), _no_grad():
            finite = self.check_finite(grads)
            scale = self.dynamic_scale.value
            unscaled = []
            for grad, variable in zip(grads, trainable_variables):
                if grad is not None and not getattr(variable, "overwrite_with_gradient", False):
                    grad = ops.divide(grad, ops.cast(scale, grad.dtype))
                if grad is not None:
                    # Finite stand-ins keep the discarded inner step free of NaNs.
                    grad = ops.where(finite, grad, ops.zeros_like(grad))
                unscaled.append(grad)
            kept = list(trainable_variables) + list(self.inner_optimizer.variables)
            before = [ops.copy(variable.value) for variable in kept]
            self.inner_optimizer.apply(unscaled, trainable_variables)
            for variable, old_value in zip(kept, before):
                variable.assign(ops.where(finite, variable.value, old_value))
            self._update_scale(finite)

    def _update_scale(self, finite):
        counter = self.step_counter.value
        scale = self.dynamic_scale.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        new_scale = ops.where(finite, ops.where(grow, scale * 2.0, scale), scale * 0.5)
        new_counter = ops.where(grow, ops.zeros_like(counter), counter + 1)
        new_counter = ops.where(finite, new_counter, ops.zeros_like(counter))
        self.dynamic_scale.assign(ops.cast(new_scale, "float32"))
        self.step_counter.assign(ops.cast(new_counter, self.step_counter.dtype))

    def finalize_variable_values(self, variables):
        """Delegates to the inner optimizer (e.g. to write EMA weights at the end of training)."""
        finalize = getattr(self.inner_optimizer, "finalize_variable_values", None)
        if finalize is not None:
            finalize(variables)

    def get_config(self):
        """Returns `name`, the serialized `inner_optimizer`, `initial_scale` and `dynamic_growth_steps`."""
        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a LossScaleOptimizer from its config (rebuilding the inner optimizer)."""
        from lamina import optimizers

        config = dict(config)
        inner_optimizer = optimizers.deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner_optimizer, **config)
