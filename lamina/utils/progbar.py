"""`Progbar`: the Keras-style progress bar printed by `fit`, `evaluate` and `predict`."""

import os
import sys
import time

import numpy as np

from lamina.utils.logs_utils import to_python_number

_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_WHITE = "\x1b[37m"
_RESET = "\x1b[0m"
_BAR_DONE = "━"
# Without colors the two parts of the bar must differ to show progress at all.
_BAR_TODO_PLAIN = "─"
_ASCII_FALLBACK = str.maketrans({"━": "=", "─": "."})


def _interactive_output(stream):
    """Whether `stream` redraws in place (a terminal or a notebook)."""
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return True
    except ValueError:
        return False
    return "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _write(text):
    stream = sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        text = text.translate(_ASCII_FALLBACK).encode(encoding, errors="replace").decode(encoding)
        stream.write(text)
    stream.flush()


def format_value(value):
    """Formats a metric value like Keras: 4 decimals, `e` notation when |value| <= 1e-3.

    Example:

    >>> format_value(0.51234), format_value(2.5e-5), format_value(0.0)
    ('0.5123', '2.5000e-05', '0.0000e+00')
    """
    value = to_python_number(value)
    if not isinstance(value, float):
        try:
            value = float(np.mean(np.asarray(value, dtype="float64")))
        except (TypeError, ValueError):
            return str(value)
    if abs(value) > 1e-3:
        return f"{value:.4f}"
    return f"{value:.4e}"


def format_time_per_unit(seconds, unit_name):
    """Formats a duration per unit as Keras does: `2s/step`, `12ms/step`, `80us/step`."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds):
    """Formats a remaining time: `42s`, `3:07`, `1:02:03`."""
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


class Progbar:
    """Displays a progress bar.

    With `verbose=1` it redraws one live line, at most once per `interval`
    seconds, e.g. ` 7/10 ━━━━━━━━━━━━━━────── 1s 12ms/step - loss: 0.5123`
    (in color, redrawn in place, when writing to a terminal or notebook; one
    plain line per redraw otherwise). With `verbose=2` it prints a single
    line when the target is reached. `verbose=0` prints nothing.

    Metrics named in `stateful_metrics` are shown as given; the others are
    averaged over the steps seen (weighted by the steps each update covers).
    Give `stateless_metrics` instead to make every other metric stateful.

    Args:
        target: Total number of steps expected, or `None` if unknown.
        width: Width of the bar, in characters.
        verbose: 0 (silent), 1 (live bar) or 2 (one line at the end).
        interval: Minimum time between two redraws, in seconds.
        stateful_metrics: Names of metrics displayed as-is.
        stateless_metrics: Names of metrics averaged over time (the others are
            then displayed as-is). Give at most one of the two.
        unit_name: Name of a step in the display (`"step"`, `"sample"`).

    Example:

    >>> import lamina
    >>> bar = lamina.utils.Progbar(target=2, verbose=2)
    >>> bar.update(1, [("loss", 1.0)])
    >>> bar.update(2, [("loss", 0.5)])  # doctest: +ELLIPSIS
    2/2 - 0s - ...s/step - loss: 0.5000
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes stateful_metrics or stateless_metrics, not both. "
                f"Received: stateful_metrics={stateful_metrics}, "
                f"stateless_metrics={stateless_metrics}"
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set(stateful_metrics or ())
            self.stateless_metrics = None
        self._dynamic_display = _interactive_output(sys.stdout)
        self._seen_so_far = 0
        # name -> [value, count]; a stateful value stays unconverted until drawn.
        self._values = {}
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._previous_width = 0

    def _is_stateless(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _record(self, current, values, finalize):
        for name, value in values:
            if not self._is_stateless(name):
                self._values[name] = [value, 1]
                continue
            value = to_python_number(value)
            if not isinstance(value, float):
                value = float(np.mean(np.asarray(value, dtype="float64")))
            if finalize:
                self._values[name] = [value, 1]
                continue
            steps = max(current - self._seen_so_far, 1)
            total, count = self._values.get(name, [0.0, 0])
            self._values[name] = [total + value * steps, count + steps]

    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: Index of the current step (1-based count of steps done).
            values: List of `(name, value)` tuples for the latest step.
            finalize: Whether this is the last update; default
                `current >= target` (never when the target is unknown).
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [], finalize)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_live(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            line = f"{self._count_text(current)} - {now - self._start:.0f}s - "
            line += format_time_per_unit(time_per_unit, self.unit_name)
            _write(line + self._metrics_text() + "\n")
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps (see `update`)."""
        self.update(self._seen_so_far + n, values)

    def _count_text(self, current):
        digits = len(str(self.target))
        return f"{current:{digits}d}/{self.target}"

    def _metrics_text(self):
        parts = []
        for name, (value, count) in self._values.items():
            if count != 1:
                value = value / max(1, count)
            parts.append(f" - {name}: {format_value(value)}")
        return "".join(parts)

    def _style(self, text, code):
        if not self._dynamic_display or not text:
            return text
        return f"{code}{text}{_RESET}"

    def _draw_live(self, current, now, time_per_unit, finalize):
        known_target = self.target is not None and self.target > 0
        if not self._dynamic_display and known_target and current >= self.target and not finalize:
            # Without a terminal each redraw is a new line; the final one follows.
            return
        if known_target:
            done = min(max(int(self.width * current / self.target), 0), self.width)
            todo_char = _BAR_DONE if self._dynamic_display else _BAR_TODO_PLAIN
            bar = self._style(_BAR_DONE * done, _GREEN) + self._style(todo_char * (self.width - done), _WHITE)
            head = f"{self._style(self._count_text(current), _BOLD)} {bar}"
            visible_head = len(self._count_text(current)) + 1 + self.width
        else:
            head = f"{current:7d}/Unknown"
            visible_head = len(head)
        if known_target and not finalize:
            clock = format_eta(time_per_unit * (self.target - current))
        else:
            clock = f"{now - self._start:.0f}s"
        tail = f" {format_time_per_unit(time_per_unit, self.unit_name)}{self._metrics_text()}"
        line = f"{head} {self._style(clock, _BOLD)}{tail}"
        width = visible_head + 1 + len(clock) + len(tail)
        if not self._dynamic_display:
            _write(line + "\n")
            return
        padding = " " * max(self._previous_width - width, 0)
        _write("\r" + line + padding + ("\n" if finalize else ""))
        self._previous_width = 0 if finalize else width

    def _estimate_step_duration(self, current, now):
        """Seconds per step; the first step (often a compilation) is left out once more are done."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
