"""Checks a `.keras` archive must pass before anything in it is read.

An archive is untrusted input: its member names, sizes and count are checked
before any member is read (zip bombs, `../` and absolute paths, links,
unexpected members), and each member is read with a cap on the bytes
actually produced, so a lying header cannot make lamina allocate more than
the limits below.
"""

import posixpath
import stat
import zipfile

CONFIG_MEMBER = "config.json"
METADATA_MEMBER = "metadata.json"
WEIGHTS_MEMBER = "model.weights.h5"
ASSETS_PREFIX = "assets/"

MAX_MEMBERS = 100_000
MAX_JSON_BYTES = 256 * 2**20
MAX_COMPRESSION_RATIO = 200
MAX_TOTAL_BYTES = 2**40


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
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or posixpath.normpath(name).startswith("..")
    ):
        raise ArchiveError(f"{where}: the member name {name!r} points outside the archive.")


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
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            produced += len(chunk)
            if produced > min(limit, info.file_size):
                raise ArchiveError(f"{where}: the member {name!r} expands beyond its declared size.")
            chunks.append(chunk)
    return b"".join(chunks)
