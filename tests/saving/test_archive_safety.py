"""Malformed `.keras` archives: each fails with a clear `ValueError` before anything is written or run.

Every archive here starts as a valid file written by lamina and is then
mutated with `zipfile` (or byte surgery), so the tests exercise the real
loader path `lamina.saving.load_model`. Malicious configs are in
test_malicious_configs.py, the HDF5 weights in test_archive_weights_member.py,
interrupted saves in test_interrupted_save.py, fuzzing in test_archive_fuzz.py.
"""

import io
import json
import os
import stat
import struct
import sys
import zipfile

import pytest

import lamina
from lamina.saving import archive_safety
from tests.saving import archive_fixtures
from tests.saving.archive_fixtures import archive_members
from tests.saving.archive_fixtures import config_of
from tests.saving.archive_fixtures import snapshot
from tests.saving.archive_fixtures import with_config
from tests.saving.archive_fixtures import write_zip


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory):
    return archive_fixtures.valid_archive_bytes(tmp_path_factory.mktemp("valid"))


def test_valid_archive_loads(valid_bytes, tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(valid_bytes)
    model = lamina.saving.load_model(path)
    assert [layer.units for layer in model.layers] == [4, 2]


# Truncated files and wrong members.


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.3, 0.6, 0.95, 0.999])
def test_truncated_archive_raises_archive_error(valid_bytes, tmp_path, fraction):
    path = tmp_path / "cut.keras"
    path.write_bytes(valid_bytes[: int(len(valid_bytes) * fraction)])
    with pytest.raises(ValueError, match="not a valid `.keras` archive"):
        lamina.saving.load_model(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        lamina.saving.load_model(tmp_path / "absent.keras")


def test_missing_config_member(valid_bytes, tmp_path):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes) if i.filename != "config.json"]
    with pytest.raises(archive_safety.ArchiveError, match="no config.json"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


@pytest.mark.parametrize("name", ["evil.py", "config.json.py", "sub/config.json", "__init__.py"])
def test_unexpected_member_is_refused(valid_bytes, tmp_path, name):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [(name, b"import os\n")]
    with pytest.raises(archive_safety.ArchiveError, match="unexpected member"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


def test_duplicate_member_is_refused(valid_bytes, tmp_path):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)]
    evil = json.dumps({"module": "os", "class_name": "system", "config": {}}).encode()
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = write_zip(tmp_path / "m.keras", members + [("config.json", evil)])
    with pytest.raises(archive_safety.ArchiveError, match="appears twice"):
        lamina.saving.load_model(path)


@pytest.mark.parametrize("directory", ["lib/", "config.json/", "evil/"])
def test_directory_outside_assets_is_refused(valid_bytes, tmp_path, directory):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [(zipfile.ZipInfo(directory), b"")]
    with pytest.raises(archive_safety.ArchiveError, match="unexpected directory"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


def test_directory_entry_under_assets_is_accepted(valid_bytes, tmp_path):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [(zipfile.ZipInfo("assets/"), b"")]
    assert lamina.saving.load_model(write_zip(tmp_path / "m.keras", members)).built


def test_encrypted_flag_and_unknown_compression_are_refused(valid_bytes, tmp_path):
    for flag_bits, compress_type, message in [(0x1, zipfile.ZIP_STORED, "encrypted"), (0, 99, "compression")]:
        buffer = io.BytesIO()
        write_zip(buffer, [(i.filename, d) for i, d in archive_members(valid_bytes)])
        data = bytearray(buffer.getvalue())
        # Patch both the local and central headers of config.json.
        for signature, flags_offset, method_offset in [(b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)]:
            start = 0
            while (start := data.find(signature, start)) != -1:
                name_offset = 30 if signature == b"PK\x03\x04" else 46
                if data[start + name_offset : start + name_offset + 11] == b"config.json":
                    struct.pack_into("<H", data, start + flags_offset, flag_bits)
                    struct.pack_into("<H", data, start + method_offset, compress_type)
                start += 4
        path = tmp_path / f"{message}.keras"
        path.write_bytes(bytes(data))
        with pytest.raises(ValueError, match=message):
            lamina.saving.load_model(path)


# Huge declared sizes: rejected from the member list, before any member is opened.


def _patch_declared_size(data, member_name, size):
    data = bytearray(data)
    encoded = member_name.encode()
    for signature, size_offset, name_offset in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)]:
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_offset : start + name_offset + len(encoded)] == encoded:
                struct.pack_into("<I", data, start + size_offset, size)
            start += 4
    return bytes(data)


@pytest.fixture
def no_member_opened(monkeypatch):
    opened = []
    original = zipfile.ZipFile.open

    def record(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", record)
    return opened


def test_multi_gigabyte_declared_config_is_refused_before_reading(valid_bytes, tmp_path, no_member_opened):
    buffer = io.BytesIO()
    write_zip(buffer, [(i.filename, d) for i, d in archive_members(valid_bytes)])
    path = tmp_path / "huge.keras"
    path.write_bytes(_patch_declared_size(buffer.getvalue(), "config.json", 0xFFFFFFF0))
    no_member_opened.clear()
    with pytest.raises(archive_safety.ArchiveError, match="declares"):
        lamina.saving.load_model(path)
    assert no_member_opened == []


def test_total_declared_size_over_limit_is_refused(valid_bytes, tmp_path, no_member_opened, monkeypatch):
    monkeypatch.setattr(archive_safety, "MAX_TOTAL_BYTES", 10_000)
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)]
    members += [(f"assets/blob{index}.bin", b"\0" * 4000) for index in range(4)]
    path = write_zip(tmp_path / "big.keras", members)
    no_member_opened.clear()
    with pytest.raises(archive_safety.ArchiveError, match="declares .* bytes of content"):
        lamina.saving.load_model(path)
    assert no_member_opened == []


def test_deflate_bomb_is_refused_before_reading(valid_bytes, tmp_path, no_member_opened):
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [
        ("assets/bomb.txt", b"\0" * 20_000_000)
    ]
    path = write_zip(tmp_path / "bomb.keras", members, compression=zipfile.ZIP_DEFLATED)
    assert os.path.getsize(path) < 200_000
    no_member_opened.clear()
    with pytest.raises(archive_safety.ArchiveError, match="zip bomb"):
        lamina.saving.load_model(path)
    assert no_member_opened == []


def test_member_producing_more_than_the_limit_is_cut(tmp_path):
    path = write_zip(tmp_path / "m.zip", [("config.json", b"x" * 5000)])
    with zipfile.ZipFile(path) as archive:
        with pytest.raises(archive_safety.ArchiveError, match="at most 100"):
            archive_safety.read_member(archive, "config.json", "m.zip", limit=100)


# Path traversal: nothing may be written outside the loader's temporary directory.

_TRAVERSAL_NAMES = [
    "../evil.txt",
    "../../evil.txt",
    "/tmp/evil.txt",
    "assets/../../evil.txt",
    "assets/../evil.txt",
    "assets/a/../../../evil.txt",
    "assets\\..\\..\\evil.txt",
    "..\\evil.txt",
    "C:/evil.txt",
    "assets//evil.txt",
    "assets/./evil.txt",
]


@pytest.mark.parametrize("name", _TRAVERSAL_NAMES)
def test_path_traversal_member_is_refused_and_writes_nothing(valid_bytes, tmp_path, name):
    work = tmp_path / "inner"
    work.mkdir()
    before_parent, before_work = snapshot(tmp_path), snapshot(work)
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [(name, b"owned")]
    path = write_zip(work / "m.keras", members)
    with pytest.raises(archive_safety.ArchiveError, match="points outside"):
        lamina.saving.load_model(path)
    assert snapshot(tmp_path) == before_parent
    assert snapshot(work) == sorted(before_work + ["m.keras"])
    assert not os.path.exists("/tmp/evil.txt")


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside"])
def test_symlink_member_is_refused(valid_bytes, tmp_path, target):
    link = zipfile.ZipInfo("assets/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    members = [(i.filename, d) for i, d in archive_members(valid_bytes)] + [(link, target.encode())]
    with pytest.raises(archive_safety.ArchiveError, match="symbolic link"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


# config.json that is not a model config.


@pytest.mark.parametrize(
    "raw",
    [b"", b"{not json", b"\xff\xfe\x00garbage", b"[" * 200_000, b'{"a": ' * 200_000 + b"1" + b"}" * 200_000],
)
def test_config_that_is_not_json(valid_bytes, tmp_path, raw):
    members = [
        (i.filename, raw if i.filename == "config.json" else d) for i, d in archive_members(valid_bytes)
    ]
    with pytest.raises(archive_safety.ArchiveError, match="not valid JSON"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


@pytest.mark.parametrize("config", [[], "Sequential", 1, None, {"config": {}}, [{"class_name": "Dense"}]])
def test_config_that_is_not_a_model_dict(valid_bytes, tmp_path, config):
    with pytest.raises(archive_safety.ArchiveError, match="must hold a serialized model"):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))


def test_deeply_nested_config_below_json_limit_is_a_clean_error(valid_bytes, tmp_path):
    config = config_of(valid_bytes)
    nested = config["config"]["layers"][1]
    for _ in range(sys.getrecursionlimit() // 4):
        nested = {"module": "keras", "class_name": "Sequential", "config": {"layers": [nested]}}
    config["config"]["layers"][1] = nested
    text = json.dumps(config)
    json.loads(text)  # the nesting itself is valid JSON
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))


def test_config_describing_a_layer_not_a_model(valid_bytes, tmp_path):
    config = config_of(valid_bytes)["config"]["layers"][1]
    with pytest.raises(archive_safety.ArchiveError, match="not a model"):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))


def test_open_archive_turns_parse_failures_into_archive_errors(tmp_path):
    with pytest.raises(archive_safety.ArchiveError, match="not a valid `.keras` archive"):
        archive_safety.open_archive(io.BytesIO(b"PK\x05\x06" + b"\xff" * 18))
    with pytest.raises(FileNotFoundError):
        archive_safety.open_archive(tmp_path / "absent.keras")


@pytest.mark.parametrize(
    "extra",
    [
        [("assets/x", b"1"), ("assets/x/y", b"2")],
        [("assets/x/y", b"2"), ("assets/x", b"1")],
        [("assets/x", b"1"), ("assets/x/", b"")],
        [("assets/" + "a" * 300, b"1")],
        [("assets/" + "/".join(["d"] * 2000), b"1")],
    ],
    ids=["file-then-folder", "folder-then-file", "file-and-folder-entry", "long-name", "deep-name"],
)
def test_member_names_that_cannot_be_extracted(valid_bytes, tmp_path, extra):
    """Names that would make extraction fail with a raw OSError or RecursionError."""
    members = [(info.filename, data) for info, data in archive_members(valid_bytes)] + [
        (zipfile.ZipInfo(name) if name.endswith("/") else name, data) for name, data in extra
    ]
    with pytest.raises(archive_safety.ArchiveError, match="both a file and a folder|nested deeper"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))
