"""A fake clock and fake terminals for progress-bar tests (no sleeping)."""

import io
import re
import types

from lamina.utils import progbar as progbar_module

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class FakeClock:
    """Replaces `time` inside lamina.utils.progbar; `advance` moves it forward."""

    def __init__(self, start=1000.0):
        self.now = start

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def install_clock(monkeypatch, start=1000.0):
    clock = FakeClock(start)
    monkeypatch.setattr(progbar_module, "time", types.SimpleNamespace(time=clock.time))
    return clock


class FakeTerminal(io.StringIO):
    """A stdout that claims to be a terminal (so the bar redraws in place, in color)."""

    def isatty(self):
        return True


def strip_ansi(text):
    return ANSI.sub("", text)
