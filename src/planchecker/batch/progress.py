"""A one-line progress bar for a batch on a terminal."""

from __future__ import annotations

import time
from typing import TextIO

from .model import CentreResult


class Progress:
    """A one-line progress bar with counts and ETA, redrawn in place on a terminal."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO, lang: str = "zh") -> None:
        self.total = total
        self.stream = stream
        self.lang = lang
        self.start = time.monotonic()
        self.counts = {"pass": 0, "fail": 0, "error": 0}
        self.done = 0
        self.last = 0.0
        self.shown = False

    def add(self, row: CentreResult) -> None:
        self.done += 1
        self.counts[row.verdict] = self.counts.get(row.verdict, 0) + 1
        self.draw(force=True)

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        elapsed = now - self.start
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        eta = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        c = self.counts
        if self.lang == "zh":
            text = (
                f"[{bar}] {self.done}/{self.total}  通过 {c['pass']}  不通过 {c['fail']}  "
                f"错误 {c['error']}  已用 {_clock(elapsed)}  剩余约 {eta}"
            )
        else:
            text = (
                f"[{bar}] {self.done}/{self.total}  pass {c['pass']}  fail {c['fail']}  "
                f"error {c['error']}  elapsed {_clock(elapsed)}  ETA {eta}"
            )
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"

