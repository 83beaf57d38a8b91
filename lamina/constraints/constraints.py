"""Weight constraints."""


class Constraint:
    """Base class: a callable `(weights) -> projected weights` with a config."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
