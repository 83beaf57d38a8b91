"""The compile config of a model: what `compile` was called with, and compiling from it (saving)."""

import inspect
import warnings


class CompileConfigMixin:
    def get_compile_config(self):
        """Returns the arguments `compile` was called with (None if not compiled)."""
        return dict(self._compile_config) if self._compile_config else None

    def compile_from_config(self, config):
        """Compiles the model from a `get_compile_config()` dict (as saved in a `.keras` file).

        The optimizer is built on the model's trainable variables, so a saved
        optimizer state can be loaded into it. A saved `jit_compile=True` means
        "compile where lamina compiles by default" (not `torch.compile` on PyTorch).

        Args:
            config: The (serialized) compile config.
        """
        from lamina.saving import serialization
        from lamina.trainers.trainer import Trainer

        if type(self).compile is not Trainer.compile:
            warnings.warn(
                f"{type(self).__name__} overrides compile(), so the compile config saved with it "
                "is not applied; call compile() yourself after loading.",
                stacklevel=2,
            )
            return
        arguments = serialization.deserialize_nested(dict(config))
        if arguments.get("jit_compile") is True:
            arguments["jit_compile"] = "auto"
        known = inspect.signature(Trainer.compile).parameters
        self.compile(**{key: value for key, value in arguments.items() if key in known})
        if self.built and self.optimizer is not None:
            self.optimizer.build(self.trainable_variables)
