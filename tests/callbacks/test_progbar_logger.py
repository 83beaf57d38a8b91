"""`ProgbarLogger` driven through `CallbackList` as `fit`/`evaluate`/`predict` drive it: exact text."""

import io
import re
import sys
import types

import numpy as np
import pytest

from lamina import ops
from lamina.callbacks import CallbackList
from lamina.callbacks import ProgbarLogger
from lamina.utils import progbar as progbar_module

FULL = "━" * 20


class Clock:
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(progbar_module, "time", types.SimpleNamespace(time=fake.time))
    return fake


class Terminal(io.StringIO):
    def isatty(self):
        return True


def scalar(value):
    return ops.convert_to_tensor(value, dtype="float32")


def run_fit(clock, verbose, epochs=2, steps=4, data_steps=None, validation=True, step_seconds=0.01):
    """Calls the hooks in fit's order; each batch takes `step_seconds` on the fake clock."""
    data_steps = data_steps or steps
    callbacks = CallbackList(
        add_history=True, add_progbar=verbose != 0, verbose=verbose, epochs=epochs, steps=steps
    )
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(data_steps):
            callbacks.on_train_batch_begin(step)
            clock.now += step_seconds
            logs = {"loss": scalar(0.7 - 0.1 * step), "accuracy": scalar(0.5 + 0.125 * step)}
            callbacks.on_train_batch_end(step, logs)
        epoch_logs = {"loss": 0.4, "accuracy": 0.875}
        if validation:
            callbacks.on_test_begin()
            for step in range(2):
                callbacks.on_test_batch_begin(step)
                callbacks.on_test_batch_end(step, {"loss": scalar(0.6), "accuracy": scalar(0.5)})
            callbacks.on_test_end({"loss": 0.6, "accuracy": 0.5})
            epoch_logs.update({"val_loss": 0.6, "val_accuracy": 0.5})
        callbacks.on_epoch_end(epoch, epoch_logs)
    callbacks.on_train_end()
    return callbacks


FINAL = f"4/4 {FULL} 0s 10ms/step - accuracy: 0.8750 - loss: 0.4000 - val_accuracy: 0.5000 - val_loss: 0.6000"


def test_fit_verbose_1_redirected(clock, capsys):
    run_fit(clock, verbose=1)
    first = "1/4 ━━━━━" + "─" * 15 + " 0s 10ms/step - accuracy: 0.5000 - loss: 0.7000"
    assert capsys.readouterr().out.splitlines() == ["Epoch 1/2", first, FINAL, "Epoch 2/2", first, FINAL]


def test_fit_verbose_1_terminal(clock, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    run_fit(clock, verbose=1, epochs=1)
    out = terminal.getvalue()
    assert out.startswith("\r\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m")
    assert out.count("\r") == 2 and out.endswith("\n")
    assert re.sub(r"\x1b\[[0-9;]*m", "", out.split("\r")[-1]) == FINAL + "\n"


def test_fit_verbose_2_one_line_per_epoch(clock, capsys):
    run_fit(clock, verbose=2)
    line = "4/4 - 0s - 10ms/step - accuracy: 0.8750 - loss: 0.4000 - val_accuracy: 0.5000 - val_loss: 0.6000"
    assert capsys.readouterr().out == f"Epoch 1/2\n{line}\nEpoch 2/2\n{line}\n"


def test_fit_verbose_auto_is_1(clock, capsys):
    run_fit(clock, verbose="auto", epochs=1, validation=False)
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == f"4/4 {FULL} 0s 10ms/step - accuracy: 0.8750 - loss: 0.4000"
    )


def test_fit_verbose_0_prints_nothing(clock, capsys):
    run_fit(clock, verbose=0)
    logger = ProgbarLogger()
    logger.set_params({"verbose": 0, "epochs": 2, "steps": 2})
    logger.on_epoch_begin(0)
    logger.on_train_batch_end(0, {"loss": 1.0})
    logger.on_epoch_end(0, {"loss": 1.0})
    assert capsys.readouterr().out == ""


def test_single_epoch_has_no_epoch_header(clock, capsys):
    run_fit(clock, verbose=2, epochs=1)
    assert not capsys.readouterr().out.startswith("Epoch")


def test_unknown_steps_count_then_learn_the_epoch_length(clock, capsys):
    run_fit(clock, verbose=1, epochs=2, steps=None, data_steps=3, validation=False)
    lines = capsys.readouterr().out.splitlines()
    final = f"3/3 {FULL} 0s 10ms/step - accuracy: 0.8750 - loss: 0.4000"
    assert lines == [
        "Epoch 1/2",
        "      1/Unknown 0s 10ms/step - accuracy: 0.5000 - loss: 0.7000",
        final,
        "Epoch 2/2",
        "1/3 ━━━━━━" + "─" * 14 + " 0s 10ms/step - accuracy: 0.5000 - loss: 0.7000",
        final,
    ]


def test_evaluate_prints_its_own_bar(clock, capsys):
    callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
    callbacks.on_test_begin()
    for step in range(2):
        callbacks.on_test_batch_begin(step)
        clock.now += 0.01
        callbacks.on_test_batch_end(step, {"loss": scalar(0.25)})
    callbacks.on_test_end({"loss": 0.25})
    assert capsys.readouterr().out.splitlines() == [
        "1/2 ━━━━━━━━━━" + "─" * 10 + " 0s 10ms/step - loss: 0.2500",
        f"2/2 {FULL} 0s 10ms/step - loss: 0.2500",
    ]


def test_predict_shows_no_metrics(clock, capsys):
    callbacks = CallbackList(add_progbar=True, verbose=2, epochs=1, steps=2)
    callbacks.on_predict_begin()
    for step in range(2):
        clock.now += 0.01
        callbacks.on_predict_batch_end(step, {"outputs": np.ones((4, 2))})
    callbacks.on_predict_end()
    assert capsys.readouterr().out == "2/2 - 0s - 10ms/step\n"


def test_values_are_converted_only_when_drawn(clock, capsys):
    class CountingScalar:
        shape = ()
        conversions = 0

        def __float__(self):
            CountingScalar.conversions += 1
            return 0.5

    callbacks = CallbackList(add_history=True, add_progbar=True, verbose=1, epochs=1, steps=100)
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    for step in range(100):
        clock.now += 0.001  # 100 steps in 0.1s: the 50 ms limit allows 2 redraws.
        callbacks.on_train_batch_end(step, {"loss": CountingScalar()})
    assert CountingScalar.conversions == len(capsys.readouterr().out.splitlines()) == 2
    callbacks.on_epoch_end(0, {"loss": 0.5})
    callbacks.on_train_end()
