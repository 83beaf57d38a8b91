"""Checks a `.keras` archive must pass before anything in it is read.

An archive is untrusted input: its member names, sizes and count are checked
before any member is read (zip bombs, `../` and absolute paths, links,
unexpected members), and each member is read with a cap on the bytes
actually produced, so a lying header cannot make lamina allocate more than
the limits below.
"""

import posixpath
import stat
import struct
import zipfile
import zlib

CONFIG_MEMBER = "config.json"
METADATA_MEMBER = "metadata.json"
WEIGHTS_MEMBER = "model.weights.h5"
ASSETS_PREFIX = "assets/"

MAX_MEMBERS = 100_000
MAX_JSON_BYTES = 256 * 2**20
MAX_COMPRESSION_RATIO = 200
MAX_TOTAL_BYTES = 2**40
# Extraction limits: a name must be a path every filesystem can create.
MAX_NAME_PART_BYTES = 255
MAX_NAME_DEPTH = 32
SUPPORTED_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

# What `zipfile` raises on corrupt input besides BadZipFile: a lying header,
# truncated deflate data, an unsupported feature or an encrypted member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    OverflowError,
    UnicodeDecodeError,
)


class ArchiveError(ValueError):
    """A `.keras` file that is not a well-formed, safe archive."""


def check_member_name(name, where):
    """Raises `ArchiveError` unless `name` is a relative path that stays inside the archive root.

    Example:

    >>> check_member_name("assets/layers/lookup/vocabulary.txt", "m.keras")
    >>> check_member_name("../evil.py", "m.keras")
    Traceback (most recent call last):
    ...
    lamina.saving.archive_safety.ArchiveError: m.keras: the member name '../evil.py' points outside...
    """
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("..", ".", "") for part in name.rstrip("/").split("/"))
        or posixpath.normpath(name).startswith("..")
    ):
        raise ArchiveError(f"{where}: the member name {name!r} points outside the archive.")
    parts = name.rstrip("/").split("/")
    if len(parts) > MAX_NAME_DEPTH or any(len(part.encode("utf-8")) > MAX_NAME_PART_BYTES for part in parts):
        raise ArchiveError(
            f"{where}: the member name {name[:100]!r}... is nested deeper than {MAX_NAME_DEPTH} "
            f"folders or has a part longer than {MAX_NAME_PART_BYTES} bytes."
        )


def open_archive(filepath):
    """Opens `filepath` as a ZIP archive, turning any parsing failure into an `ArchiveError`.

    Args:
        filepath: The `.keras` file.

    Returns:
        The open `zipfile.ZipFile`.

    Example:

    >>> import io
    >>> open_archive(io.BytesIO(b"not a zip"))
    Traceback (most recent call last):
    ...
    lamina.saving.archive_safety.ArchiveError: ... is not a valid `.keras` archive (a ZIP file)...
    """
    try:
        return zipfile.ZipFile(filepath, "r")
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except (*_ZIP_ERRORS, ValueError, OSError) as error:
        # OSError: a corrupt end-of-archive record can make zipfile seek to a negative offset.
        raise ArchiveError(f"{filepath} is not a valid `.keras` archive (a ZIP file): {error!r}.") from None


def check_archive(archive, where):
    """Validates the member list of an open `zipfile.ZipFile` holding a Keras model.

    Args:
        archive: The open archive.
        where: The file's name, for error messages.

    Returns:
        The set of member names.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ArchiveError(f"{where}: the archive has {len(members)} members (at most {MAX_MEMBERS}).")
    names = set()
    total = 0
    for member in members:
        name = member.filename
        check_member_name(name, where)
        if name in names:
            raise ArchiveError(f"{where}: the member {name!r} appears twice.")
        names.add(name)
        mode = member.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise ArchiveError(f"{where}: the member {name!r} is a symbolic link.")
        if member.is_dir():
            if not name.startswith(ASSETS_PREFIX) and name != ASSETS_PREFIX:
                raise ArchiveError(f"{where}: unexpected directory {name!r} in the archive.")
            continue
        if member.header_offset < 0:
            raise ArchiveError(f"{where}: the member {name!r} starts before the archive; it is corrupt.")
        if member.flag_bits & 0x1:
            raise ArchiveError(f"{where}: the member {name!r} is encrypted; Keras archives never are.")
        if member.compress_type not in SUPPORTED_COMPRESSIONS:
            raise ArchiveError(
                f"{where}: the member {name!r} uses the unsupported compression method "
                f"{member.compress_type} (expected stored or deflated)."
            )
        known = name in (CONFIG_MEMBER, METADATA_MEMBER, WEIGHTS_MEMBER)
        if not known and not name.startswith(ASSETS_PREFIX):
            raise ArchiveError(
                f"{where}: unexpected member {name!r}. A Keras archive holds config.json, "
                "metadata.json, model.weights.h5 and assets/ only."
            )
        if member.compress_type != zipfile.ZIP_STORED and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise ArchiveError(
                f"{where}: the member {name!r} expands {member.file_size} bytes from "
                f"{member.compress_size} (a ratio over {MAX_COMPRESSION_RATIO}); refusing a "
                "possible zip bomb."
            )
        total += member.file_size
    directories = set()
    for name in names:
        prefix = name.rstrip("/")
        if name.endswith("/"):
            directories.add(name)
        while "/" in prefix:
            prefix = prefix.rsplit("/", 1)[0]
            directories.add(prefix + "/")
    # A file that is also a folder of another member cannot be extracted.
    clashing = sorted(name for name in names if not name.endswith("/") and name + "/" in directories)
    if clashing:
        raise ArchiveError(f"{where}: the member {clashing[0]!r} is both a file and a folder.")
    if total > MAX_TOTAL_BYTES:
        raise ArchiveError(f"{where}: the archive declares {total} bytes of content; refusing.")
    if CONFIG_MEMBER not in names:
        raise ArchiveError(f"{where}: the archive has no config.json; it is not a Keras model file.")
    return names


def read_member(archive, name, where, limit):
    """Reads one member, failing cleanly when it produces more than `limit` or its declared size.

    Args:
        archive: The open archive.
        name: The member's name.
        where: The file's name, for error messages.
        limit: The most bytes to accept.

    Returns:
        The member's bytes.
    """
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ArchiveError(f"{where}: the member {name!r} declares {info.file_size} bytes (at most {limit}).")
    chunks = []
    produced = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                produced += len(chunk)
                if produced > min(limit, info.file_size):
                    raise ArchiveError(f"{where}: the member {name!r} expands beyond its declared size.")
                chunks.append(chunk)
    except (*_ZIP_ERRORS, OSError) as error:
        raise ArchiveError(f"{where}: the member {name!r} is corrupt ({error!r}).") from None
    return b"".join(chunks)
