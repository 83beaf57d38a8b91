"""The `Optimizer` base class: state, gradient processing and the update loop.

`apply(grads, variables)` runs, in Keras 3's order: drop missing gradients,
write `overwrite_with_gradient` variables, undo the loss scale, (accumulate
gradients,) clip, apply decoupled weight decay, call `update_step` for each
variable, update the moving averages (EMA), apply variable constraints, and
count the iteration. Every step is written with ops, without Python branches
on tensor values, so `stateless_apply` can run it under `jax.jit`. Eager steps
with only the update formula to run take a shortcut (`fast_apply.py`).

State is held in non-trainable Variables, created in Keras's order:
`iteration`, `learning_rate` (unless it is a schedule), then at `build` the
EMA averages, gradient accumulators and each optimizer's own slots.
"""

import warnings

from lamina import initializers
from lamina import ops
from lamina.backend import current
from lamina.backend.common import lazy_package
from lamina.backend.common import naming
from lamina.backend.common import scopes
from lamina.config import backend as active_backend
from lamina.optimizers import gradient_clipping
from lamina.optimizers.fast_apply import FastApplyMixin
from lamina.optimizers.gradient_accumulation import GradientAccumulationMixin
from lamina.optimizers.learning_rate import LearningRateMixin
from lamina.optimizers.learning_rate import deserialize_schedule
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.moving_average import MovingAverageMixin
from lamina.optimizers.slot_variables import SlotVariablesMixin
from lamina.optimizers.state_saving import StateSavingMixin
from lamina.optimizers.weight_decay import WeightDecayMixin


class Optimizer(
    FastApplyMixin,
    SlotVariablesMixin,
    LearningRateMixin,
    WeightDecayMixin,
    MovingAverageMixin,
    GradientAccumulationMixin,
    StateSavingMixin,
):
    """Base class of all optimizers.

    Subclasses create their slots in `build(variables)` (with
    `add_optimizer_variables`) and implement `update_step(gradient, variable,
    learning_rate)`.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            the iteration (or nothing) and returning the learning rate.
        weight_decay: If set, decoupled weight decay: each step,
            `w -= w * weight_decay * learning_rate`.
        clipnorm: If set, each gradient is rescaled to norm at most this.
        clipvalue: If set, each gradient is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: If set, all gradients are rescaled together so that
            their global norm is at most this.
        use_ema: Whether to keep an exponential moving average of the weights.
        ema_momentum: The EMA momentum (`average = m * average + (1 - m) * w`).
        ema_overwrite_frequency: If set with `use_ema`, the weights are
            replaced by their averages every this many iterations.
        loss_scale_factor: If set, gradients are divided by it (the loss is
            multiplied by it in `scale_loss`).
        gradient_accumulation_steps: If set (>= 2), gradients are averaged over
            this many calls and the weights change once per group.
        name: The optimizer's name (default: the snake-case class name).

    Example:

    >>> import lamina
    >>> class SignDescent(Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         self.assign_sub(variable, learning_rate * lamina.ops.sign(gradient))
    >>> weight = lamina.Variable([1.0, 1.0], name="weight")
    >>> optimizer = SignDescent(learning_rate=0.5)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([3.0, -0.1])], [weight])
    >>> weight.numpy().tolist()
    [0.5, 1.5]
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"{self.__class__.__name__}: argument(s) not recognized: {kwargs}")
        _check_arguments(
            self.__class__.__name__,
            clipnorm,
            clipvalue,
            global_clipnorm,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            gradient_accumulation_steps,
        )
        self.name = name or naming.auto_name(self.__class__.__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._learning_rate = None
        self._iterations = self.add_variable(
            (),
            initializer=initializers.Zeros(),
            dtype="int32",
            aggregation="only_first_replica",
            name="iteration",
        )
        self._set_learning_rate(learning_rate)

    # -- state ---------------------------------------------------------------------------

    @property
    def variables(self):
        """The optimizer's state variables, in Keras's (saved) order."""
        return list(self._variables)

    @property
    def iterations(self):
        """The number of update steps taken (gradient accumulation counts one per group)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations.value, self.gradient_accumulation_steps)
        return self._iterations

    def build(self, variables):
        """Creates the state tied to `variables` (EMA averages, gradient accumulators).

        Subclasses extend it to create their slots; it does nothing once built.

        Args:
            variables: The list of trainable variables this optimizer updates.
        """
        variables = list(variables)
        if not self.built:
            self._unbuilt_variable_count = len(self._variables)
        with self._name_scope():
            if self.use_ema:
                self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
            if self.gradient_accumulation_steps:
                self._accumulated_gradients = []
            for index, variable in enumerate(variables):
                self._trainable_variables_indices[id(variable)] = index
                if self.gradient_accumulation_steps:
                    self._accumulated_gradients.append(
                        self.add_variable_from_reference(variable, name="gradient_accumulator")
                    )
        self._trainable_variables = variables
        self.built = True

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    # -- applying gradients --------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns the `iterations` variable.

        Example:

        >>> import lamina
        >>> weight = lamina.Variable([1.0, 2.0])
        >>> optimizer = lamina.optimizers.SGD(learning_rate=0.5)
        >>> _ = optimizer.apply_gradients([(lamina.ops.convert_to_tensor([1.0, 1.0]), weight)])
        >>> weight.numpy().tolist()
        [0.5, 1.5]
        """
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Applies one update step to `trainable_variables` (builds the optimizer first if needed).

        Args:
            grads: A list of gradients (None for variables without one).
            trainable_variables: The matching variables; omit to use the list
                the optimizer was built with.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
            if self._apply_fast(grads, trainable_variables):
                return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.__class__.__name__}.apply: without `trainable_variables` the optimizer "
                    "must already be built. Call `optimizer.build(trainable_variables)` first."
                )
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"{self.__class__.__name__}.apply: received {len(grads)} gradients but the "
                    f"optimizer was built for {len(self._trainable_variables)} variables."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if len(grads) != len(trainable_variables):
                raise ValueError(
                    f"{self.__class__.__name__}.apply: received {len(grads)} gradients for "
                    f"{len(trainable_variables)} variables; pass one gradient per variable."
                )
            if not self.built:
                self.build(trainable_variables)
            self._check_variables_are_known(trainable_variables)
            self._known_variable_ids = tuple(map(id, trainable_variables))
        with self._name_scope(), _no_grad():
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
                grads, trainable_variables
            )
            if grads:
                if self.loss_scale_factor is not None:
                    grads = [grad / self.loss_scale_factor for grad in grads]
                self._apply_processed_gradients(grads, trainable_variables)
                for variable in trainable_variables:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable.value))
            self._iterations.assign(self._iterations.value + 1)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Returns the new weights and state after one step, without mutating anything.

        Safe under `jax.jit`: it runs `apply` inside a `StatelessScope` that maps
        the optimizer's and the model's variables to the given values.

        Args:
            optimizer_variables: Values matching `self.variables` one to one.
            grads: Gradients matching the variables the optimizer was built with.
            trainable_variables: Values of those variables.

        Returns:
            `(new_trainable_values, new_optimizer_values)`.
        """
        if not self.built:
            raise ValueError(
                f"{self.__class__.__name__}.stateless_apply needs a built optimizer. Call "
                "`optimizer.build(trainable_variables)` first."
            )
        variables = self.variables
        if len(optimizer_variables) != len(variables):
            raise ValueError(
                f"{self.__class__.__name__}.stateless_apply: optimizer_variables must match "
                f"optimizer.variables one to one. Received {len(optimizer_variables)} values for "
                f"{len(variables)} variables."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                f"{self.__class__.__name__}.stateless_apply: received {len(trainable_variables)} "
                f"trainable values but the optimizer was built with {len(self._trainable_variables)} "
                "variables."
            )
        mapping = list(zip(self._trainable_variables, trainable_variables)) + list(
            zip(variables, optimizer_variables)
        )
        with scopes.StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        new_trainable = [scope.get_current_value(v) for v in self._trainable_variables]
        new_optimizer = [scope.get_current_value(v) for v in variables]
        return new_trainable, new_optimizer

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable from its (processed) gradient; subclasses implement it."""
        raise NotImplementedError(f"Optimizer {self.__class__.__name__} must implement update_step().")

    def assign(self, variable, value):
        """Sets `variable` to `value` (the hook update steps use to write state)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds `value` to `variable`."""
        variable.assign(variable.value + value)

    def assign_sub(self, variable, value):
        """Subtracts `value` from `variable`."""
        variable.assign(variable.value - value)

    def scale_loss(self, loss):
        """Multiplies `loss` by `loss_scale_factor` when one is set."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- the update pipeline ---------------------------------------------------------------

    def _apply_processed_gradients(self, grads, trainable_variables):
        if self.gradient_accumulation_steps:
            self._accumulate_then_update(grads, trainable_variables)
        else:
            self._update(grads, trainable_variables)
        if self.use_ema:
            self._update_moving_averages()

    def _update(self, grads, trainable_variables):
        grads = gradient_clipping.clip_gradients(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)
        self._apply_weight_decay(trainable_variables)
        learning_rate = value_of(self.learning_rate)
        if self._multi_tensor_update(grads, trainable_variables, learning_rate):
            return
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    def _multi_tensor_update(self, grads, trainable_variables, learning_rate):
        """Updates all variables at once where the backend can (see `_multi_tensor_backend`).

        Returns whether it did; the default leaves every update to `update_step`.
        """
        return False

    def _multi_tensor_backend(self, owner, grads, variables):
        """The backend's multi-tensor update module when `owner`'s formula may use it, else None.

        It applies when `owner.update_step` and the `assign` hooks are not
        overridden, nothing is traced or autocast, and every pair is a plain
        dense float tensor update (the backend's `can_update`).
        """
        updates = lazy_package.in_place_updates(active_backend())
        kind = type(self)
        if (
            updates is None
            or kind.update_step is not owner.update_step
            or kind.assign is not Optimizer.assign
            or kind.assign_add is not Optimizer.assign_add
            or kind.assign_sub is not Optimizer.assign_sub
            or scopes.current_stateless_scope() is not None
            or scopes.autocast_active()
            or not updates.can_update(grads, variables)
        ):
            return None
        return updates

    def _filter_empty_gradients(self, grads, variables):
        kept = [(grad, variable) for grad, variable in zip(grads, variables) if grad is not None]
        if not kept:
            raise ValueError(f"{self.__class__.__name__}: no gradients provided for any variable.")
        if len(kept) < len(grads):
            missing = [variable.path for grad, variable in zip(grads, variables) if grad is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If "
                "using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3,
            )
        return [grad for grad, _ in kept], [variable for _, variable in kept]

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        if not any(getattr(variable, "overwrite_with_gradient", False) for variable in variables):
            return grads, variables
        kept_grads, kept_variables = [], []
        for grad, variable in zip(grads, variables):
            if not getattr(variable, "overwrite_with_gradient", False):
                kept_grads.append(grad)
                kept_variables.append(variable)
            elif self.gradient_accumulation_steps:
                self._accumulate_overwrite_gradient(grad, variable)
            else:
                variable.assign(grad)
        return kept_grads, kept_variables

    def _check_variables_are_known(self, variables):
        for variable in variables:
            if id(variable) not in self._trainable_variables_indices:
                raise ValueError(
                    f"{self.__class__.__name__}: unknown variable {variable.path!r}. An optimizer only "
                    "updates the variables it was built with; create a new optimizer for new variables."
                )

    # -- configuration ---------------------------------------------------------------------

    def get_config(self):
        """Returns the optimizer's config (base arguments, then the subclass's)."""
        return {
            "name": self.name,
            "learning_rate": self._learning_rate_config(),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from its config (deserializing a schedule learning rate)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    def _obj_type(self):
        return "Optimizer"

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"


def _check_arguments(
    class_name,
    clipnorm,
    clipvalue,
    global_clipnorm,
    use_ema,
    ema_momentum,
    ema_overwrite_frequency,
    gradient_accumulation_steps,
):
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError(
            f"{class_name}: `gradient_accumulation_steps` must be an integer >= 2. Received: "
            f"gradient_accumulation_steps={gradient_accumulation_steps}"
        )
    if use_ema:
        if not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"{class_name}: `ema_momentum` must be in [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        if ema_overwrite_frequency and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                f"{class_name}: `ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                f"ema_overwrite_frequency={ema_overwrite_frequency}"
            )
    if sum(value is not None for value in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            f"{class_name}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )


def _no_grad():
    # Backends with a tape (torch) must not record the update.
    return current.core.no_grad()
