"""Stage progress of the weekly job on stderr: a live bar on a terminal, plain lines otherwise
(a cron log or a pipe gets one line per stage start and end, nothing that redraws)."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

__all__ = ["StageProgress"]

#: Seconds between redraws of the terminal bar.
REDRAW_SEC = 0.5
BAR_WIDTH = 24


class StageProgress:
    """``on_stage`` callback for :func:`wfm.job.run_roster_job`."""

    def __init__(self, stream: TextIO | None = None, *, prefix: str = "wfm roster") -> None:
        self.stream = stream or sys.stderr
        self.prefix = prefix
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, stage: str, event: str, info: dict) -> None:
        step = f"[{info['index']}/{info['total']}] {stage}"
        if event == "start":
            if self.live:
                self._start_bar(step, info.get("time_limit_sec"))
            else:
                limit = info.get("time_limit_sec")
                extra = f" (time limit {limit:g} s)" if limit else ""
                self._line(f"{step} started{extra}")
            return
        self._stop_bar()
        details = [f"{info['sec']:.1f} s"]
        if info.get("status"):
            details.append(info["status"])
        if info.get("gap") is not None:
            details.append(f"gap {100 * info['gap']:.2f}%")
        if info.get("version"):
            details.append(f"version {info['version']}")
        self._line(f"{step} done: {', '.join(details)}")

    def _line(self, text: str) -> None:
        end = "\r\033[K" if self.live else ""
        self.stream.write(f"{end}{self.prefix}: {text}\n")
        self.stream.flush()

    def _start_bar(self, step: str, limit_sec: float | None) -> None:
        self._stop.clear()
        started = time.monotonic()

        def draw() -> None:
            while not self._stop.wait(REDRAW_SEC):
                elapsed = time.monotonic() - started
                if limit_sec:
                    share = min(1.0, elapsed / limit_sec)
                    filled = round(share * BAR_WIDTH)
                    bar = "#" * filled + "." * (BAR_WIDTH - filled)
                    text = f"{step} [{bar}] {elapsed:.0f}/{limit_sec:.0f} s"
                else:
                    text = f"{step} {elapsed:.0f} s"
                self.stream.write(f"\r\033[K{self.prefix}: {text}")
                self.stream.flush()

        self._thread = threading.Thread(target=draw, daemon=True)
        self._thread.start()

    def _stop_bar(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
