"""Event files: CRC32C and TFRecord framing against TensorBoard's own reader, and each summary kind."""

import io
import os
import re

import numpy as np
import pytest

from lamina.utils import event_file_writer
from lamina.utils import summary_protos
from lamina.utils.event_file_writer import EventFileWriter

pywrap = pytest.importorskip("tensorboard.compat.tensorflow_stub.pywrap_tensorflow")
event_file_loader = pytest.importorskip("tensorboard.backend.event_processing.event_file_loader")
plugin_event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.plugin_event_accumulator"
)
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", 0x0),
        (b"a", 0xC1D04330),
        (b"123456789", 0xE3069283),
        (bytes(32), 0x8A9136AA),
        (b"\xff" * 32, 0x62A8AB43),
    ],
)
def test_crc32c_known_vectors(data, expected):
    assert event_file_writer.crc32c(data) == expected


def test_crc32c_and_mask_match_tensorboard():
    rng = np.random.default_rng(0)
    for size in (1, 7, 64, 1000):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert event_file_writer.crc32c(data) == pywrap.crc32c(data)
        assert event_file_writer.masked_crc32c(data) == pywrap.masked_crc32c(data)


def _only_file(directory):
    (name,) = os.listdir(directory)
    return os.path.join(directory, name)


def _events(path):
    # The legacy loader yields the events as written (the newer one converts them to tensors).
    return list(event_file_loader.LegacyEventFileLoader(path).Load())


def test_file_name_and_first_record(tmp_path):
    writer = EventFileWriter(tmp_path / "run")
    assert not (tmp_path / "run").exists()  # the file appears on the first write
    writer.scalar("loss", 0.25, step=3)
    writer.close()
    path = _only_file(tmp_path / "run")
    pattern = rf"events\.out\.tfevents\.\d+\.{re.escape(os.uname().nodename)}\.{os.getpid()}\.\d+\.v2"
    assert re.fullmatch(pattern, os.path.basename(path))
    first, second = _events(path)
    assert first.file_version == "brain.Event:2"
    assert abs(first.wall_time - os.path.getmtime(path)) < 60
    assert second.step == 3
    (value,) = second.summary.value
    assert value.tag == "loss"
    assert value.metadata.plugin_data.plugin_name == "scalars"
    assert tensor_util.make_ndarray(value.tensor).dtype == np.float32
    assert tensor_util.make_ndarray(value.tensor) == np.float32(0.25)


def test_new_writers_get_distinct_files(tmp_path):
    for _ in range(2):
        writer = EventFileWriter(tmp_path)
        writer.scalar("x", 1.0, step=0)
        writer.close()
    assert len(os.listdir(tmp_path)) == 2


def test_corrupted_record_is_rejected_by_tensorboard(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.scalar("loss", 0.5, step=1)
    writer.close()
    path = _only_file(tmp_path)
    with open(path, "rb") as file:
        data = bytearray(file.read())
    data[-6] ^= 0xFF  # a byte inside the last record's payload
    with open(path, "wb") as file:
        file.write(bytes(data))
    reader = pywrap.PyRecordReader_New(path)
    try:
        reader.GetNext()  # the file-version record is intact
        with pytest.raises(pywrap.errors.DataLossError, match="crc32"):
            reader.GetNext()
    finally:
        reader.file_handle.close()


@pytest.mark.parametrize("values", [np.arange(-5.0, 7.0), np.full((3, 2), 0.5), np.zeros((0,))])
def test_histogram_fields_and_tensorboard_histograms(tmp_path, values):
    writer = EventFileWriter(tmp_path)
    writer.histogram("w/histogram", values, step=2, buckets=4)
    writer.close()
    (value,) = _events(_only_file(tmp_path))[1].summary.value
    histogram = value.histo
    flat = values.reshape(-1)
    assert histogram.num == flat.size
    if flat.size:
        assert (histogram.min, histogram.max) == (flat.min(), flat.max())
        assert histogram.sum == pytest.approx(flat.sum())
        assert histogram.sum_squares == pytest.approx(np.square(flat).sum())
        assert sum(histogram.bucket) == flat.size
        assert histogram.bucket_limit[-1] == flat.max()
        assert list(histogram.bucket_limit) == sorted(histogram.bucket_limit)
    accumulator = plugin_event_accumulator.EventAccumulator(str(tmp_path))
    accumulator.Reload()
    (event,) = accumulator.Tensors("w/histogram")
    buckets = tensor_util.make_ndarray(event.tensor_proto)
    assert event.step == 2
    assert buckets.shape[-1] == 3 and buckets[:, 2].sum() == flat.size
    if flat.size:
        assert buckets[0, 0] == flat.min() and buckets[-1, 1] == flat.max()


def test_histogram_bucket_counts_match_numpy(tmp_path):
    values = np.random.default_rng(1).normal(size=200)
    writer = EventFileWriter(tmp_path)
    writer.histogram("w", values, step=0)
    writer.close()
    (value,) = _events(_only_file(tmp_path))[1].summary.value
    counts, edges = np.histogram(values, bins=summary_protos.DEFAULT_HISTOGRAM_BUCKETS)
    np.testing.assert_array_equal(value.histo.bucket, counts)
    np.testing.assert_allclose(value.histo.bucket_limit, edges[1:])


def test_image_summary_decodes_to_the_weights(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    images = np.linspace(-0.5, 1.5, 4 * 2 * 3).reshape(4, 2, 3, 1).astype("float32")
    writer = EventFileWriter(tmp_path)
    writer.image("kernel/image", images, step=1)
    writer.close()
    (value,) = _events(_only_file(tmp_path))[1].summary.value
    assert value.metadata.plugin_data.plugin_name == "images"
    strings = list(value.tensor.string_val)
    assert strings[:2] == [b"3", b"2"] and len(strings) == 2 + 3  # width, height, 3 of 4 images
    expected = np.floor(np.clip(images * 255.5, 0, 255)).astype("uint8")
    for png, image in zip(strings[2:], expected):
        decoded = np.asarray(image_module.open(io.BytesIO(png)))
        np.testing.assert_array_equal(decoded, image[..., 0])


def test_string_summary_reads_back(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.write_summary_values(
        [summary_protos.string_value("keras", '{"a": 1}', "graph_keras_model", b"1")], 0
    )
    writer.close()
    (value,) = _events(_only_file(tmp_path))[1].summary.value
    assert value.metadata.plugin_data.plugin_name == "graph_keras_model"
    assert value.metadata.plugin_data.content == b"1"
    assert tensor_util.make_ndarray(value.tensor).item() == b'{"a": 1}'


def test_negative_step_and_large_values_round_trip(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.scalar("x", 3e38, step=-1)
    writer.scalar("x", -2.5, step=2**40)
    writer.close()
    events = _events(_only_file(tmp_path))[1:]
    assert [event.step for event in events] == [-1, 2**40]
    values = [tensor_util.make_ndarray(event.summary.value[0].tensor) for event in events]
    assert values == [np.float32(3e38), np.float32(-2.5)]


def test_writing_after_close_appends_to_the_same_file(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.scalar("x", 1.0, step=0)
    writer.close()
    writer.scalar("x", 2.0, step=1)
    writer.close()
    events = _events(_only_file(tmp_path))
    assert [event.file_version for event in events] == ["brain.Event:2", "", ""]
    assert [event.step for event in events[1:]] == [0, 1]
