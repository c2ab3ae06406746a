"""Good input files of every kind, and the edits that break them, for tests/test_bad_input.py.

:func:`build_files` writes the small demo centre's files (``wfm demo --files-only``), its
forecast and requirements of the planning week (``wfm forecast`` and ``wfm staff``), a schedule
export of six agents for that week, an agent-state log following it, and a workspace with the
history and agents imported. The edit functions take a file's text and return the broken text
(or bytes); rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from wfm.cli import main

#: The planning week of the small demo centre (Europe/London, UTC+00:00 in November).
WEEK = "2026-11-23"

Edit = Callable[[str], "str | bytes"]


def _schedule_and_states(agents: pd.DataFrame) -> tuple[str, str]:
    """Six agents, Monday to Friday 08:00-16:30 with a paid break and an unpaid lunch, the
    weekend off; and the agent-state log of that schedule kept to the minute."""
    rows, states = [], []
    for _, agent in agents.head(6).iterrows():
        queue = agent["skills"].split("|")[0]
        for day in range(7):
            date = (pd.Timestamp(WEEK) + pd.Timedelta(days=day)).date().isoformat()

            def at(clock: str, date: str = date) -> str:
                return f"{date}T{clock}:00+00:00"

            base = {
                "agent_id": agent["agent_id"],
                "agent_name": agent["name"],
                "team": agent["team"],
                "date": date,
            }
            if day >= 5:
                end = (pd.Timestamp(date) + pd.Timedelta(days=1)).date().isoformat()
                rows.append(
                    {
                        **base,
                        "shift_start": "",
                        "shift_end": "",
                        "activity": "off",
                        "activity_start": at("00:00"),
                        "activity_end": f"{end}T00:00:00+00:00",
                        "paid": False,
                        "queue": "",
                        "share": 0.0,
                    }
                )
                continue
            for activity, begin, finish, paid in (
                ("work", "08:00", "10:00", True),
                ("break", "10:00", "10:15", True),
                ("work", "10:15", "12:30", True),
                ("lunch", "12:30", "13:00", False),
                ("work", "13:00", "16:30", True),
            ):
                work = activity == "work"
                rows.append(
                    {
                        **base,
                        "shift_start": at("08:00"),
                        "shift_end": at("16:30"),
                        "activity": activity,
                        "activity_start": at(begin),
                        "activity_end": at(finish),
                        "paid": paid,
                        "queue": queue if work else "",
                        "share": 1.0 if work else 0.0,
                    }
                )
                states.append(
                    {
                        "agent_id": agent["agent_id"],
                        "state": "available" if work else activity,
                        "start": at(begin),
                        "end": at(finish),
                    }
                )
    return (
        pd.DataFrame(rows).to_csv(index=False, lineterminator="\n"),
        pd.DataFrame(states).to_csv(index=False, lineterminator="\n"),
    )


def build_files(folder: Path) -> dict[str, Path]:
    """Write every good input into ``folder``; returns ``{kind: path}``."""
    demo = folder / "demo"
    saved = os.environ.pop("WFM_DATABASE_URL", None)
    try:
        assert main(["demo", "--out", str(demo), "--size", "small", "--files-only"]) == 0
        config = demo / "wfm.toml"
        # a short limit, in case a case that should fail at validation reached the solver
        text = config.read_text().replace("time_limit_sec = 110", "time_limit_sec = 2")
        config.write_text(text)
        forecast, requirements = demo / "forecast.csv", demo / "requirements.csv"
        assert (
            main(
                [
                    "forecast",
                    "--history",
                    str(demo / "history.csv"),
                    "--horizon-days",
                    "7",
                    "--model",
                    "seasonal_naive",
                    "--out",
                    str(forecast),
                ]
            )
            == 0
        )
        assert (
            main(
                [
                    "staff",
                    "--forecast",
                    str(forecast),
                    "--config",
                    str(config),
                    "--out",
                    str(requirements),
                ]
            )
            == 0
        )
        schedule, states = _schedule_and_states(pd.read_csv(demo / "agents.csv", dtype=str))
        (demo / "schedule.csv").write_text(schedule)
        (demo / "states.csv").write_text(states)
        ws = folder / "ws"
        assert main(["init", str(ws), "--config", str(config)]) == 0
        for kind in ("history", "agents"):
            assert main(["import", kind, str(demo / f"{kind}.csv"), "--workspace", str(ws)]) == 0
    finally:
        if saved is not None:
            os.environ["WFM_DATABASE_URL"] = saved
    files = {
        kind: demo / name
        for kind, name in (
            ("config", "wfm.toml"),
            ("history", "history.csv"),
            ("actuals", "actuals.csv"),
            ("agents", "agents.csv"),
            ("forecast", "forecast.csv"),
            ("requirements", "requirements.csv"),
            ("schedule", "schedule.csv"),
            ("states", "states.csv"),
        )
    }
    files["ws"] = ws
    return files


# --------------------------------------------------------------------------- CSV edits


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def cells(row: int, **values: str) -> Edit:
    """Set cells of spreadsheet row ``row`` (2 = the first data row) by column name."""

    def edit(text: str) -> str:
        rows = _rows(text)
        for column, value in values.items():
            rows[row - 1][rows[0].index(column)] = value
        return _text(rows)

    return edit


def cell(row: int, column: str, value: str) -> Edit:
    """Set one cell (see :func:`cells`)."""
    return cells(row, **{column: value})


def drop_column(column: str) -> Edit:
    def edit(text: str) -> str:
        rows = _rows(text)
        k = rows[0].index(column)
        return _text([r[:k] + r[k + 1 :] for r in rows])

    return edit


def rename_column(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        rows = _rows(text)
        rows[0][rows[0].index(old)] = new
        return _text(rows)

    return edit


def duplicate(row: int) -> Edit:
    """Repeat row ``row`` right after it (the copy is row ``row + 1``)."""

    def edit(text: str) -> str:
        rows = _rows(text)
        return _text([*rows[:row], rows[row - 1], *rows[row:]])

    return edit


def header_only(text: str) -> str:
    return text.splitlines(keepends=True)[0]


def append_field(row: int, value: str) -> Edit:
    """One more field on row ``row`` than the header has."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[row - 1] = lines[row - 1].rstrip("\n") + f",{value}\n"
        return "".join(lines)

    return edit


def latin1(row: int, column: str, value: str) -> Edit:
    """Set a cell to text with an accent and save the file as Latin-1 (a spreadsheet's
    'CSV' on Windows), not UTF-8."""

    def edit(text: str) -> bytes:
        return cell(row, column, value)(text).encode("latin-1")

    return edit


def utf16(text: str) -> bytes:
    """The file saved as a spreadsheet's 'Unicode text' (UTF-16 with a byte-order mark)."""
    return text.encode("utf-16")


def shift_offsets(old: str, new: str) -> Edit:
    """Rewrite every UTC offset ``old`` as ``new`` (the same clock times, another site's zone)."""

    def edit(text: str) -> str:
        return text.replace(old, new)

    return edit


def add_column(name: str, value: str) -> Edit:
    def edit(text: str) -> str:
        rows = _rows(text)
        return _text([rows[0] + [name]] + [[*r, value] for r in rows[1:]])

    return edit


def then(*edits: Edit) -> Edit:
    """The edits one after another."""

    def edit(text: str) -> str | bytes:
        for step in edits:
            text = step(text)
        return text

    return edit


# --------------------------------------------------------------------------- TOML edits


def replace(old: str, new: str) -> Edit:
    """Replace the first ``old`` (which must be there) by ``new``."""

    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def replace_all(old: str, new: str) -> Edit:
    """Replace every ``old`` (at least one) by ``new``."""

    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new)

    return edit


def without_shifts(text: str) -> str:
    """The configuration without its ``[[shifts]]`` tables."""
    head, _, rest = text.partition("[[shifts]]")
    return head + rest[rest.index("[rules]") :]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
