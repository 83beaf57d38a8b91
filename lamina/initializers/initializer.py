"""`Initializer`: the base class of weight initializers."""


class Initializer:
    """Base class: a callable `(shape, dtype) -> tensor` with a config.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take
    arguments, `get_config()` returning them (so `from_config` can rebuild
    the initializer).

    Example:

    >>> import lamina
    >>> class Twos(lamina.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return lamina.ops.ones(shape, dtype=dtype) * 2.0
    >>> lamina.ops.convert_to_numpy(Twos()((2,))).tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape, dtype=None):
        """Returns a tensor of `shape` and `dtype` (default `floatx()`)."""
        raise NotImplementedError(f"{self.__class__.__name__} must implement __call__(shape, dtype=None).")

    def get_config(self):
        """Returns the constructor arguments as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates an initializer from the dict `get_config` returned."""
        return cls(**config)

    def clone(self):
        """Returns a new initializer with the same config."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{self.__class__.__name__}({arguments})"
