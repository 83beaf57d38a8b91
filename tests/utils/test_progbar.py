"""`Progbar`: exact text for verbose 0/1/2, terminal vs redirected output, rate limit, formatting."""

import re
import sys

import numpy as np
import pytest
from progbar_helpers import FakeTerminal
from progbar_helpers import install_clock
from progbar_helpers import strip_ansi

from lamina import ops
from lamina.utils import Progbar
from lamina.utils.progbar import format_eta
from lamina.utils.progbar import format_time_per_unit
from lamina.utils.progbar import format_value

FULL = "━" * 20


def test_verbose_1_redirected_prints_plain_lines(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=10, verbose=1, stateful_metrics=["loss", "accuracy"])
    clock.advance(0.5)
    bar.update(1, [("accuracy", 0.5), ("loss", 0.9)])
    clock.advance(1.0)
    bar.update(7, [("accuracy", 0.8123), ("loss", 0.5123)])
    clock.advance(0.5)
    bar.update(10, [("accuracy", 0.9), ("loss", 0.25)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out
    # Step 1 took 0.5s; later steps are timed without it: 1.0s / 6 steps, then 1.5s / 9 steps.
    assert out.splitlines() == [
        " 1/10 ━━" + "─" * 18 + " 4s 500ms/step - accuracy: 0.5000 - loss: 0.9000",
        " 7/10 " + "━" * 14 + "─" * 6 + " 0s 167ms/step - accuracy: 0.8123 - loss: 0.5123",
        f"10/10 {FULL} 2s 167ms/step - accuracy: 0.9000 - loss: 0.2500",
    ]


def test_redirected_last_step_prints_once_when_finalized_after(monkeypatch, capsys):
    # ProgbarLogger draws the last batch (finalize=False), then the epoch end (finalize=True).
    clock = install_clock(monkeypatch)
    bar = Progbar(target=3, verbose=1, stateful_metrics=["loss"])
    clock.advance(0.5)
    bar.update(3, [("loss", 0.5)], finalize=False)
    bar.update(3, [("loss", 0.25)], finalize=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("3/3 ") and lines[0].endswith("loss: 0.2500")


def test_verbose_1_terminal_redraws_in_place_with_colors(monkeypatch):
    clock = install_clock(monkeypatch)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    bar = Progbar(target=4, verbose=1, stateful_metrics=["loss"])
    clock.advance(2.0)
    bar.update(1, [("loss", 1.5)])
    clock.advance(1.0)
    bar.update(4, [("loss", 0.123456)])
    out = terminal.getvalue()
    first = (
        "\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m"
        + "━" * 15
        + "\x1b[0m \x1b[1m6s\x1b[0m 2s/step - loss: 1.5000"
    )
    last = "\x1b[1m4/4\x1b[0m \x1b[32m" + FULL + "\x1b[0m \x1b[1m3s\x1b[0m 333ms/step - loss: 0.1235"
    assert out == "\r" + first + "\r" + last + "\n"
    assert strip_ansi(last) == f"4/4 {FULL} 3s 333ms/step - loss: 0.1235"


def test_terminal_redraw_pads_over_a_longer_previous_line(monkeypatch):
    clock = install_clock(monkeypatch)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    bar = Progbar(target=3, verbose=1, stateful_metrics=["loss"])
    clock.advance(1.0)
    bar.update(1, [("loss", 123.456789)])
    clock.advance(1.0)
    bar.update(2, [("loss", 0.5)])
    redraws = [strip_ansi(part) for part in terminal.getvalue().split("\r")[1:]]
    assert len(redraws[0]) == len(redraws[1])
    assert redraws[1].endswith("loss: 0.5000  ")


def test_rate_limit_many_fast_updates_draw_few_lines(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=1000, verbose=1, interval=0.05)
    for step in range(1, 1001):
        clock.advance(0.001)  # 1000 steps in one second.
        bar.update(step, [("loss", 1.0)])
    lines = capsys.readouterr().out.splitlines()
    # The first update, then one per 50 ms (with float rounding, 20 or 21), then the final line.
    assert 20 <= len(lines) <= 22
    assert re.fullmatch(f"1000/1000 {FULL} 1s [0-9]+(ms|us)/step - loss: 1.0000", lines[-1])


def test_finalize_always_draws_despite_the_rate_limit(monkeypatch, capsys):
    install_clock(monkeypatch)
    bar = Progbar(target=2, verbose=1)
    bar.update(1)
    bar.update(2)
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_verbose_2_prints_one_line_at_the_end(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=10, verbose=2, stateful_metrics=["loss", "accuracy", "val_loss"])
    for step in range(1, 10):
        clock.advance(0.012)
        bar.update(step, [("accuracy", 0.5), ("loss", 0.7)])
    assert capsys.readouterr().out == ""
    clock.advance(1.2)
    bar.update(10, [("accuracy", 0.75), ("loss", 0.5), ("val_loss", 0.00012)])
    assert (
        capsys.readouterr().out
        == "10/10 - 1s - 144ms/step - accuracy: 0.7500 - loss: 0.5000 - val_loss: 1.2000e-04\n"
    )


def test_verbose_0_is_silent(monkeypatch, capsys):
    install_clock(monkeypatch)
    bar = Progbar(target=3, verbose=0)
    for step in range(1, 4):
        bar.update(step, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_unknown_target_shows_count_without_bar(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=None, verbose=1, stateful_metrics=["loss"])
    clock.advance(0.004)
    bar.update(1, [("loss", 2.0)])
    clock.advance(1.0)
    bar.update(5, [("loss", 1.0)])
    assert capsys.readouterr().out.splitlines() == [
        "      1/Unknown 0s 4ms/step - loss: 2.0000",
        "      5/Unknown 1s 250ms/step - loss: 1.0000",
    ]


def test_stateless_metrics_are_averaged_weighted_by_steps(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=4, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(3, [("loss", 4.0)])  # Covers two steps.
    clock.advance(1.0)
    bar.update(4, [("loss", 7.0)])  # A final value replaces the average.
    assert capsys.readouterr().out.endswith("loss: 7.0000\n")
    bar = Progbar(target=4, verbose=2, stateless_metrics=["loss"])
    bar.update(1, [("loss", 1.0), ("lr", 0.5)])
    bar.update(3, [("loss", 4.0), ("lr", 0.25)])
    bar.update(4, [("loss", 7.0), ("lr", 0.125)], finalize=True)
    assert capsys.readouterr().out.endswith("loss: 7.0000 - lr: 0.1250\n")
    bar = Progbar(target=5, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(3, [("loss", 4.0)])
    bar.update(5, [("loss", 10.0)], finalize=False)
    assert bar._values["loss"] == [1.0 + 4.0 * 2 + 10.0 * 2, 5]


def test_add_advances_by_n(monkeypatch, capsys):
    install_clock(monkeypatch)
    bar = Progbar(target=4, verbose=2)
    bar.add(2)
    bar.add(2, [("loss", 0.5)])
    assert capsys.readouterr().out.startswith("4/4 - 0s - ")


def test_backend_scalars_are_displayed_and_kept_lazy(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(target=10, verbose=1, stateful_metrics=["loss"])
    scalar = ops.convert_to_tensor(0.25, dtype="float32")
    bar.update(1, [("loss", scalar)])
    clock.advance(0.001)
    bar.update(2, [("loss", scalar)])  # Rate-limited: stored, not converted.
    assert bar._values["loss"][0] is scalar
    assert capsys.readouterr().out.endswith("loss: 0.2500\n")


def test_both_metric_lists_is_an_error():
    with pytest.raises(ValueError, match="stateful_metrics or stateless_metrics, not both"):
        Progbar(10, stateful_metrics=["a"], stateless_metrics=["b"])


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.51234, "0.5123"),
        (12.0, "12.0000"),
        (-3.5, "-3.5000"),
        (0.001, "1.0000e-03"),
        (2.5e-7, "2.5000e-07"),
        (0.0, "0.0000e+00"),
        (np.array([1.0, 2.0]), "1.5000"),
        (float("nan"), "nan"),
        ("text", "text"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


def test_format_times():
    assert format_time_per_unit(0, "step") == "0s/step"
    assert format_time_per_unit(2.4, "step") == "2s/step"
    assert format_time_per_unit(0.0123, "step") == "12ms/step"
    assert format_time_per_unit(8e-5, "sample") == "80us/sample"
    assert format_eta(42.7) == "42s"
    assert format_eta(187) == "3:07"
    assert format_eta(3723) == "1:02:03"
