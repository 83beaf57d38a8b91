"""How an op node of a Functional model is written in Keras 3's config.

Keras records an op called on symbolic tensors as an instance of an Operation
class (`keras.src.ops.numpy.Sum`): the op's non-tensor options are the
class's constructor arguments, stored in the entry's `config`, and the rest
are the arguments of its `call`, stored positionally in the node. lamina's
ops have Keras's signatures, so an op is described by its Keras module (the
lamina module that defines it mirrors Keras's), its class name (the
CamelCased function name unless listed in `_CLASS_NAMES`) and the names of
its constructor arguments (`_CONSTRUCTOR_ARGUMENTS`; every other argument
goes to `call`, by position unless listed in `_CALL_KEYWORDS`). The tables
were read from Keras 3's public op classes; tests/models/test_op_nodes_keras.py
checks them against Keras for every op.
"""

import inspect

# Keras has no Operation class for these lamina ops; their nodes keep lamina's
# own form (module "keras.ops", every argument in the node).
_WITHOUT_KERAS_CLASS = frozenset({"copysign", "mish"})

_CLASS_NAMES = {
    "batch_normalization": "BatchNorm",
    "isin": "IsIn",
    "rgb_to_grayscale": "RGBToGrayscale",
    "rms_normalization": "RMSNorm",
    "searchsorted": "SearchSorted",
    "svd": "SVD",
}

_CONSTRUCTOR_ARGUMENTS = {
    "affine_transform": ("interpolation", "fill_mode", "fill_value", "data_format"),
    "all": ("axis", "keepdims"),
    "amax": ("axis", "keepdims"),
    "amin": ("axis", "keepdims"),
    "any": ("axis", "keepdims"),
    "append": ("axis",),
    "argmax": ("axis", "keepdims"),
    "argmin": ("axis", "keepdims"),
    "argsort": ("axis",),
    "average": ("axis",),
    "average_pool": ("pool_size", "strides", "padding", "data_format"),
    "batch_normalization": ("axis", "epsilon"),
    "binary_crossentropy": ("from_logits",),
    "bincount": ("weights", "minlength", "sparse"),
    "broadcast_to": ("shape",),
    "cast": ("dtype",),
    "categorical_crossentropy": ("from_logits", "axis"),
    "celu": ("alpha",),
    "cholesky": ("upper",),
    "clip": ("x_min", "x_max"),
    "concatenate": ("axis",),
    "conv": ("strides", "padding", "data_format", "dilation_rate"),
    "conv_transpose": ("strides", "padding", "output_padding", "data_format", "dilation_rate"),
    "count_nonzero": ("axis",),
    "crop_images": (
        "top_cropping",
        "left_cropping",
        "bottom_cropping",
        "right_cropping",
        "target_height",
        "target_width",
        "data_format",
    ),
    "cross": ("axisa", "axisb", "axisc", "axis"),
    "cumprod": ("axis", "dtype"),
    "cumsum": ("axis", "dtype"),
    "diag": ("k",),
    "diagonal": ("offset", "axis1", "axis2"),
    "diff": ("n", "axis"),
    "dot_product_attention": ("is_causal", "flash_attention", "attn_logits_soft_cap"),
    "einsum": ("subscripts",),
    "elu": ("alpha",),
    "expand_dims": ("axis",),
    "extract_sequences": ("sequence_length", "sequence_stride"),
    "flip": ("axis",),
    "full_like": ("dtype",),
    "gelu": ("approximate",),
    "glu": ("axis",),
    "in_top_k": ("k",),
    "isin": ("assume_unique", "invert"),
    "leaky_relu": ("negative_slope",),
    "log_softmax": ("axis",),
    "logsumexp": ("axis", "keepdims"),
    "lstsq": ("rcond",),
    "max": ("axis", "keepdims", "initial"),
    "max_pool": ("pool_size", "strides", "padding", "data_format"),
    "mean": ("axis", "keepdims"),
    "median": ("axis", "keepdims"),
    "meshgrid": ("indexing",),
    "min": ("axis", "keepdims", "initial"),
    "moments": ("axes", "keepdims", "synchronized"),
    "moveaxis": ("source", "destination"),
    "multi_hot": ("num_classes", "axis", "dtype", "sparse"),
    "nan_to_num": ("nan", "posinf", "neginf"),
    "norm": ("ord", "axis", "keepdims"),
    "normalize": ("axis", "order", "epsilon"),
    "one_hot": ("num_classes", "axis", "dtype", "sparse"),
    "ones_like": ("dtype",),
    "pad": ("pad_width", "mode"),
    "pad_images": (
        "top_padding",
        "left_padding",
        "bottom_padding",
        "right_padding",
        "target_height",
        "target_width",
        "data_format",
    ),
    "prod": ("axis", "keepdims", "dtype"),
    "qr": ("mode",),
    "quantile": ("axis", "method", "keepdims"),
    "repeat": ("repeats", "axis"),
    "reshape": ("newshape",),
    "resize": (
        "size",
        "interpolation",
        "antialias",
        "crop_to_aspect_ratio",
        "pad_to_aspect_ratio",
        "fill_mode",
        "fill_value",
        "data_format",
    ),
    "rgb_to_grayscale": ("data_format",),
    "rms_normalization": ("axis", "epsilon"),
    "roll": ("shift", "axis"),
    "round": ("decimals",),
    "searchsorted": ("side",),
    "segment_max": ("num_segments", "sorted"),
    "segment_sum": ("num_segments", "sorted"),
    "softmax": ("axis",),
    "solve_triangular": ("lower",),
    "sort": ("axis",),
    "sparse_categorical_crossentropy": ("from_logits", "axis"),
    "split": ("indices_or_sections", "axis"),
    "squeeze": ("axis",),
    "stack": ("axis",),
    "std": ("axis", "keepdims"),
    "sum": ("axis", "keepdims"),
    "svd": ("full_matrices", "compute_uv"),
    "swapaxes": ("axis1", "axis2"),
    "take": ("axis",),
    "take_along_axis": ("axis",),
    "tensordot": ("axes",),
    "tile": ("repeats",),
    "top_k": ("k", "sorted"),
    "trace": ("offset", "axis1", "axis2"),
    "transpose": ("axes",),
    "tril": ("k",),
    "triu": ("k",),
    "unstack": ("num", "axis"),
    "var": ("axis", "keepdims"),
    "zeros_like": ("dtype",),
}

# Call arguments that Keras's op functions pass by keyword (`Pad(...)(x, constant_values=...)`).
_CALL_KEYWORDS = {
    "average": ("weights",),
    "dot_product_attention": ("bias", "mask", "scale"),
    "pad": ("constant_values",),
    "rms_normalization": ("scale",),
}

_KERAS_MODULES = ("numpy", "nn", "math", "core", "image", "linalg")

_FUNCTION_NAMES = {class_name: name for name, class_name in _CLASS_NAMES.items()}


def keras_class_name(function_name):
    """Returns the name of Keras's Operation class for the op `function_name`.

    Args:
        function_name: The op's function name, e.g. `"expand_dims"`.

    Returns:
        The class name, e.g. `"ExpandDims"`.

    Example:

    >>> keras_class_name("expand_dims")
    'ExpandDims'
    >>> keras_class_name("svd")
    'SVD'
    """
    if function_name in _CLASS_NAMES:
        return _CLASS_NAMES[function_name]
    return "".join(part[:1].upper() + part[1:] for part in function_name.split("_"))


def function_name(class_name):
    """Returns the op function name for Keras's Operation class name (`"NotEqual"` -> `"not_equal"`).

    Args:
        class_name: The `class_name` of a Keras op entry.

    Returns:
        The snake-cased function name.

    Example:

    >>> function_name("NotEqual")
    'not_equal'
    >>> function_name("RGBToGrayscale")
    'rgb_to_grayscale'
    """
    if class_name in _FUNCTION_NAMES:
        return _FUNCTION_NAMES[class_name]
    characters = []
    for index, character in enumerate(class_name):
        if character.isupper() and index > 0:
            characters.append("_")
        characters.append(character.lower())
    return "".join(characters)


def keras_module(function):
    """Returns Keras's module for the op `function` (a raw lamina op), or None if Keras has none.

    lamina's op modules mirror Keras's: `lamina.ops.numpy.reductions` ->
    `keras.src.ops.numpy`, `lamina.ops.nn_conv` -> `keras.src.ops.nn`.

    Args:
        function: The op's eager function (`FunctionOperation.function`).

    Returns:
        A module name such as `"keras.src.ops.numpy"`, or None.

    Example:

    >>> def relu(x):
    ...     return x
    >>> relu.__module__ = "lamina.ops.nn"
    >>> keras_module(relu)
    'keras.src.ops.nn'
    """
    if function.__name__ in _WITHOUT_KERAS_CLASS:
        return None
    parts = function.__module__.split(".")
    if len(parts) < 3 or parts[:2] != ["lamina", "ops"]:
        return None
    family = parts[2].split("_")[0]
    return f"keras.src.ops.{family}" if family in _KERAS_MODULES else None


def _parameters(function):
    return inspect.signature(function).parameters


def split_arguments(function, args, kwargs):
    """Splits an op call into Keras's constructor arguments and its call arguments.

    Args:
        function: The op's eager function.
        args: The positional arguments of the call.
        kwargs: The keyword arguments of the call.

    Returns:
        A tuple `(constructor, call_args, call_kwargs)`: a dict of the
        constructor arguments (defaults filled in, as Keras records them),
        the list of positional call arguments and a dict of keyword ones.

    Example:

    >>> def sum(x, axis=None, keepdims=False):
    ...     return x
    >>> split_arguments(sum, ("x",), {"axis": 1})
    ({'axis': 1, 'keepdims': False}, ['x'], {})
    """
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    constructor_names = _CONSTRUCTOR_ARGUMENTS.get(function.__name__, ())
    keywords = _CALL_KEYWORDS.get(function.__name__, ())
    constructor = {name: bound.arguments[name] for name in constructor_names if name in bound.arguments}
    call_args = []
    call_kwargs = {}
    for name, parameter in _parameters(function).items():
        if name in constructor_names or name not in bound.arguments:
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(bound.arguments[name])
        elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
            call_kwargs.update(bound.arguments[name])
        elif parameter.kind is inspect.Parameter.KEYWORD_ONLY or name in keywords:
            call_kwargs[name] = bound.arguments[name]
        else:
            call_args.append(bound.arguments[name])
    return constructor, call_args, call_kwargs


def join_arguments(function, constructor, args, kwargs):
    """Rebuilds the op call from a Keras op entry: the inverse of `split_arguments`.

    Args:
        function: The op's eager function.
        constructor: The entry's `config` without `name`.
        args: The node's positional call arguments.
        kwargs: The node's keyword call arguments.

    Returns:
        A tuple `(args, kwargs)` to call `function` with.

    Example:

    >>> def take(x, indices, axis=None):
    ...     return x
    >>> join_arguments(take, {"axis": 1}, ["x", [0, 2]], {})
    ((), {'axis': 1, 'x': 'x', 'indices': [0, 2]})
    """
    parameters = _parameters(function)
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = sorted(key for key in constructor if key not in parameters and not accepts_any)
    if unknown:
        raise ValueError(
            f"The op '{function.__name__}' has no argument(s) {unknown}; expected a subset of "
            f"{list(parameters)}. Received config: {constructor}"
        )
    values = dict(constructor)
    varargs = []
    remaining = list(args)
    for name, parameter in parameters.items():
        if name in constructor or parameter.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            varargs, remaining = remaining, []
        elif remaining and parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            values[name] = remaining.pop(0)
    if remaining:
        raise ValueError(
            f"The op '{function.__name__}' received {len(args)} positional call arguments, more than "
            f"its call accepts. Received: {args}"
        )
    values.update(kwargs)
    positional = []
    names = list(parameters)
    variadic = [name for name in names if parameters[name].kind is inspect.Parameter.VAR_POSITIONAL]
    if variadic:
        # Arguments before `*operands` can only be passed by position.
        for name in names[: names.index(variadic[0])]:
            positional.append(values.pop(name))
        positional.extend(varargs)
    return tuple(positional), values
