"""Hand-written protobuf encoding of the TensorBoard messages lamina writes (Event, Summary).

Only the fields lamina needs are encoded, with the field numbers of TensorBoard's
`event.proto`, `summary.proto` and `tensor.proto`. Writing them by hand keeps lamina free
of the `protobuf` and `tensorflow` packages.
"""

import struct
import zlib

import numpy as np

_VARINT = 0
_FIXED64 = 1
_LENGTH_DELIMITED = 2
_FIXED32 = 5

_DT_FLOAT = 1
_DT_STRING = 7

# TensorFlow's `tf.summary.histogram` default.
DEFAULT_HISTOGRAM_BUCKETS = 30

FILE_VERSION = "brain.Event:2"


def _varint(value):
    """Base-128 varint; negative integers take their 64-bit two's complement, as protobuf does."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field_number, wire_type):
    return _varint((field_number << 3) | wire_type)


def _varint_field(field_number, value):
    return _key(field_number, _VARINT) + _varint(int(value))


def _double_field(field_number, value):
    return _key(field_number, _FIXED64) + struct.pack("<d", float(value))


def _bytes_field(field_number, value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return _key(field_number, _LENGTH_DELIMITED) + _varint(len(value)) + value


def _packed_field(field_number, values, format_char):
    payload = np.asarray(values, dtype=f"<{format_char}").tobytes()
    return _bytes_field(field_number, payload)


def encode_event(wall_time, step=0, file_version=None, summary_values=()):
    """Serializes a `tensorboard.Event` message.

    Args:
        wall_time: Float, seconds since the epoch.
        step: Integer, the global step of the event.
        file_version: Optional string (the first event of a file holds `"brain.Event:2"`).
        summary_values: Serialized `Summary.Value` messages (bytes) for the event's summary.

    Returns:
        The serialized event, as bytes.

    Example:

    >>> encode_event(0.0, step=1, file_version=FILE_VERSION).hex()
    '09000000000000000010011a0d627261696e2e4576656e743a32'
    """
    out = _double_field(1, wall_time) + _varint_field(2, step)
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if summary_values:
        summary = b"".join(_bytes_field(1, value) for value in summary_values)
        out += _bytes_field(5, summary)
    return out


def _metadata(plugin_name):
    """A `SummaryMetadata` naming the plugin; its (version 0) plugin content is empty."""
    return _bytes_field(1, _bytes_field(1, plugin_name))


def _tensor_shape(dims):
    return b"".join(_bytes_field(2, _varint_field(1, size)) for size in dims)


def scalar_value(tag, value):
    """Serializes a scalar `Summary.Value` in the form `tf.summary.scalar` writes.

    The value is a float32 scalar `TensorProto` tagged with the `"scalars"` plugin.

    Args:
        tag: String, the summary's name (e.g. `"epoch_loss"`).
        value: Number, stored as float32.

    Returns:
        The serialized `Summary.Value`, as bytes.

    Example:

    >>> scalar_value("loss", 0.5).hex()
    '0a046c6f73734a0b0a090a077363616c617273420a080112002a040000003f'
    """
    tensor = _varint_field(1, _DT_FLOAT) + _bytes_field(2, b"") + _packed_field(5, [value], "f4")
    return _bytes_field(1, tag) + _bytes_field(9, _metadata("scalars")) + _bytes_field(8, tensor)


def histogram_value(tag, values, buckets=DEFAULT_HISTOGRAM_BUCKETS):
    """Serializes a `Summary.Value` holding a `HistogramProto` of `values`.

    The histogram has `buckets` equal-width buckets spanning `[min, max]` (one bucket
    when every value is equal); `bucket_limit[i]` is the right edge of bucket `i`.

    Args:
        tag: String, the summary's name.
        values: Array-like of numbers (flattened).
        buckets: Positive integer, the number of buckets.

    Returns:
        The serialized `Summary.Value`, as bytes.

    Example:

    >>> len(histogram_value("weights", [0.0, 1.0, 1.0], buckets=2))
    92
    """
    values = np.asarray(values, dtype="float64").reshape(-1)
    out = b""
    if values.size:
        low, high = float(values.min()), float(values.max())
        if low == high:
            limits, counts = [high], [values.size]
        else:
            counts, edges = np.histogram(values, bins=buckets, range=(low, high))
            limits = edges[1:]
            limits[-1] = high
        out += _double_field(1, low) + _double_field(2, high)
        out += _double_field(3, values.size) + _double_field(4, values.sum())
        out += _double_field(5, np.square(values).sum())
        out += _packed_field(6, limits, "f8") + _packed_field(7, counts, "f8")
    return _bytes_field(1, tag) + _bytes_field(5, out)


def encode_png(image):
    """Encodes a `(height, width, channels)` uint8 array (1, 3 or 4 channels) as PNG bytes.

    Args:
        image: uint8 array of shape `(height, width, channels)`.

    Returns:
        The PNG file's bytes.

    Example:

    >>> encode_png(np.zeros((2, 3, 1), "uint8"))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    image = np.asarray(image, dtype="uint8")
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    # Each scanline starts with filter type 0 (none).
    rows = np.concatenate([np.zeros((height, 1), "uint8"), image.reshape(height, -1)], axis=1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes()))
        + chunk(b"IEND", b"")
    )


def image_value(tag, images, max_outputs=3):
    """Serializes a `Summary.Value` of images in the form `tf.summary.image` writes.

    Float images are mapped to uint8 as TensorFlow does (`[0, 1]` to `[0, 255]`, values
    outside clipped). The tensor is the strings `[width, height, png_1, ..., png_k]`,
    tagged with the `"images"` plugin.

    Args:
        tag: String, the summary's name.
        images: Array of shape `(k, height, width, channels)`, channels 1, 3 or 4.
        max_outputs: At most this many images are written.

    Returns:
        The serialized `Summary.Value`, as bytes.

    Example:

    >>> len(image_value("kernel", np.ones((1, 2, 2, 1), "float32"))) > 0
    True
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        images = np.floor(np.clip(images.astype("float64") * 255.5, 0, 255)).astype("uint8")
    images = images[:max_outputs]
    height, width = images.shape[1], images.shape[2]
    strings = [str(width).encode("ascii"), str(height).encode("ascii")]
    strings += [encode_png(image) for image in images]
    tensor = _varint_field(1, _DT_STRING) + _bytes_field(2, _tensor_shape([len(strings)]))
    tensor += b"".join(_bytes_field(8, string) for string in strings)
    return _bytes_field(1, tag) + _bytes_field(9, _metadata("images")) + _bytes_field(8, tensor)


def string_value(tag, string, plugin_name, plugin_content=b""):
    """Serializes a `Summary.Value` holding one string (a scalar DT_STRING tensor) for a plugin.

    Args:
        tag: String, the summary's name.
        string: String or bytes, the tensor's value.
        plugin_name: String, the plugin that reads it (e.g. `"graph_keras_model"`).
        plugin_content: Bytes, the plugin's metadata content.

    Returns:
        The serialized `Summary.Value`, as bytes.

    Example:

    >>> string_value("keras", "{}", "graph_keras_model", b"1").count(b"graph_keras_model")
    1
    """
    metadata = _bytes_field(1, _bytes_field(1, plugin_name) + _bytes_field(2, plugin_content))
    tensor = _varint_field(1, _DT_STRING) + _bytes_field(2, b"") + _bytes_field(8, string)
    return _bytes_field(1, tag) + _bytes_field(9, metadata) + _bytes_field(8, tensor)
