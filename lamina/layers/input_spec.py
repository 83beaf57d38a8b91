"""`InputSpec`: what a layer accepts (rank, axis sizes, dtype), checked on every call."""


class InputSpec:
    """Describes the rank, dtype and axis sizes a layer accepts.

    Args:
        dtype: Expected dtype, or None.
        shape: Expected full shape (`None` for any size), or None.
        ndim: Expected rank, or None.
        max_ndim: Largest accepted rank, or None.
        min_ndim: Smallest accepted rank, or None.
        axes: Dict `{axis: size}` of required axis sizes, or None.
        allow_last_axis_squeeze: Accept inputs whose last axis of size 1 is missing.
        name: Name of the input the spec applies to.
        optional: Whether the input may be None.

    Example:

    >>> spec = InputSpec(min_ndim=2, axes={-1: 3})
    >>> spec.min_ndim, spec.axes
    (2, {-1: 3})
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(axis): size for axis, size in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def get_config(self):
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        parts = [f"{key}={value}" for key, value in self.get_config().items() if value]
        return f"InputSpec({', '.join(parts)})"


def check_input_spec(layer, spec, shape, input_index=0):
    """Raises a ValueError naming `layer` when `shape` does not satisfy `spec`."""
    if spec is None:
        return
    who = layer._describe()
    received = (
        f"Received inputs of shape {shape}"
        if input_index == 0
        else (f"Received input {input_index} of shape {shape}")
    )
    ndim = len(shape)
    if spec.ndim is not None and ndim != spec.ndim:
        raise ValueError(f"{who} expects inputs of rank {spec.ndim}. {received} (rank {ndim}).")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{who} expects inputs of rank >= {spec.min_ndim}. {received} (rank {ndim}).")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{who} expects inputs of rank <= {spec.max_ndim}. {received} (rank {ndim}).")
    for axis, size in spec.axes.items():
        if size is None or not -ndim <= axis < ndim:
            continue
        if shape[axis] is not None and shape[axis] != size:
            built = getattr(layer, "_build_shapes_description", None)
            because = f", because it was built on inputs of shape {built}" if built else ""
            axis_name = "last axis" if axis == -1 else f"axis {axis}"
            raise ValueError(
                f"{who} expects inputs whose {axis_name} has size {size}{because}. "
                f"{received}.{layer._input_fix_hint(axis, size, shape[axis])}"
            )
    if spec.shape is not None:
        for expected, actual in zip(spec.shape, shape):
            if expected is not None and actual is not None and expected != actual:
                raise ValueError(f"{who} expects inputs of shape {spec.shape}. {received}.")
