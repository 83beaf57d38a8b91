"""`Wrapper`: the base of layers that wrap another layer."""

from lamina.layers.layer import Layer
from lamina.layers.layer_serialization import deserialize
from lamina.layers.layer_serialization import serialize


class Wrapper(Layer):
    """Base class for layers that add behaviour around another layer.

    The wrapped layer is tracked as the attribute `layer`, so its weights
    belong to the wrapper (under the path `<wrapper>/<layer>/...`, as in
    Keras's weight files), and the config nests the wrapped layer's
    serialized config under `"layer"`. Subclasses implement `call`.

    Args:
        layer: The `Layer` instance to wrap.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> class Doubled(lamina.layers.Wrapper):
    ...     def call(self, inputs):
    ...         return 2 * self.layer(inputs)
    >>> layer = Doubled(lamina.layers.Dense(2, kernel_initializer="ones"))
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.ones((1, 3)))).tolist()
    [[6.0, 6.0]]
    >>> layer.get_config()["layer"]["class_name"]
    'Dense'
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects `layer` to be a lamina Layer "
                f"instance. Received: layer={layer!r} (of type {type(layer).__name__})"
            )
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialize(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
