"""`Initializer`: the base class of weight initializers."""


class Initializer:
    """Base class: a callable `(shape, dtype) -> tensor` with a config.

    Example:

    >>> import lamina
    >>> class Twos(lamina.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return lamina.ops.ones(shape, dtype=dtype) * 2.0
    >>> lamina.ops.convert_to_numpy(Twos()((2,))).tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{self.__class__.__name__} must implement __call__(shape, dtype).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())
