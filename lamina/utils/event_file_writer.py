"""TensorBoard event files: TFRecord framing, CRC32C, and a small writer of scalar/histogram/image summaries.

An event file is a TFRecord stream. Each record is the data's length (uint64,
little-endian), the masked CRC32C of those 8 bytes, the data (a serialized
`tensorboard.Event`), and the masked CRC32C of the data.
"""

import itertools
import os
import socket
import struct
import time

from lamina.utils import summary_protos

_CASTAGNOLI_REFLECTED = 0x82F63B78
_MASK_DELTA = 0xA282EAD8
_UINT32 = 0xFFFFFFFF


def _make_crc_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _CASTAGNOLI_REFLECTED if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _make_crc_table()
# Files written by this process get increasing numbers, like TensorFlow's writers.
_file_counter = itertools.count(1)


def crc32c(data):
    """CRC-32C (Castagnoli polynomial) of `data`, the checksum TFRecord uses.

    Args:
        data: Bytes.

    Returns:
        The checksum, an integer in `[0, 2**32)`.

    Example:

    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    """
    crc = _UINT32
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _UINT32


def masked_crc32c(data):
    """The masked CRC-32C TFRecord stores: `((crc >> 15) | (crc << 17)) + 0xa282ead8`.

    Args:
        data: Bytes.

    Returns:
        The masked checksum, an integer in `[0, 2**32)`.

    Example:

    >>> hex(masked_crc32c(b""))
    '0xa282ead8'
    """
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & _UINT32) + _MASK_DELTA) & _UINT32


def encode_record(data):
    """Frames `data` as one TFRecord record.

    Args:
        data: Bytes, the record's payload.

    Returns:
        The record's bytes: length, length CRC, data, data CRC.

    Example:

    >>> len(encode_record(b"abc"))
    19
    """
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc32c(length)) + data + struct.pack("<I", masked_crc32c(data))


def event_file_name(wall_time=None):
    """A new event file's name, as TensorFlow's summary writers name it.

    Args:
        wall_time: Optional float, seconds since the epoch (default: now).

    Returns:
        `"events.out.tfevents.<seconds>.<hostname>.<pid>.<counter>.v2"`.

    Example:

    >>> event_file_name(12.5).startswith("events.out.tfevents.12.")
    True
    """
    wall_time = time.time() if wall_time is None else wall_time
    return (
        f"events.out.tfevents.{int(wall_time)}.{socket.gethostname()}.{os.getpid()}.{next(_file_counter)}.v2"
    )


class EventFileWriter:
    """Writes summaries to a new TensorBoard event file in a directory.

    The directory is created if needed, and the file is created on the first
    write (its first record carries the file version, `"brain.Event:2"`).
    Records are buffered until `flush()` or `close()`; writing after `close()`
    reopens the same file and appends to it.

    Args:
        log_dir: Directory of the event file.

    Example:

    >>> import os, tempfile
    >>> log_dir = tempfile.mkdtemp()
    >>> writer = EventFileWriter(log_dir)
    >>> writer.scalar("loss", 0.5, step=0)
    >>> writer.close()
    >>> [name.startswith("events.out.tfevents.") for name in os.listdir(log_dir)]
    [True]
    """

    def __init__(self, log_dir):
        self.log_dir = os.fspath(log_dir)
        self.path = None
        self._file = None

    def _ensure_file(self):
        if self._file is None:
            if self.path is not None:
                self._file = open(self.path, "ab")  # noqa: SIM115 - kept open until close().
                return self._file
            os.makedirs(self.log_dir, exist_ok=True)
            now = time.time()
            self.path = os.path.join(self.log_dir, event_file_name(now))
            self._file = open(self.path, "wb")  # noqa: SIM115 - kept open until close().
            first = summary_protos.encode_event(now, step=0, file_version=summary_protos.FILE_VERSION)
            self._file.write(encode_record(first))
        return self._file

    def write_summary_values(self, values, step):
        """Writes one event holding serialized `Summary.Value` messages at `step`."""
        event = summary_protos.encode_event(time.time(), step=int(step), summary_values=values)
        self._ensure_file().write(encode_record(event))

    def scalar(self, tag, value, step):
        """Writes a float32 scalar summary named `tag` at `step`."""
        self.write_summary_values([summary_protos.scalar_value(tag, float(value))], step)

    def histogram(self, tag, values, step, buckets=summary_protos.DEFAULT_HISTOGRAM_BUCKETS):
        """Writes a histogram summary of `values` named `tag` at `step`."""
        self.write_summary_values([summary_protos.histogram_value(tag, values, buckets)], step)

    def image(self, tag, images, step, max_outputs=3):
        """Writes up to `max_outputs` images (`(k, height, width, channels)`) named `tag` at `step`."""
        self.write_summary_values([summary_protos.image_value(tag, images, max_outputs)], step)

    def flush(self):
        """Writes buffered records to disk."""
        if self._file is not None:
            self._file.flush()

    def close(self):
        """Flushes and closes the file; a later write reopens it and appends."""
        if self._file is not None:
            self._file.close()
            self._file = None
