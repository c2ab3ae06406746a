"""The bad-input tables' machinery: the good files, the edits that break them, the runner.

:func:`build_files` writes the small demo centre's files (``wfm demo --files-only``), its
forecast and requirements of the planning week (``wfm forecast`` and ``wfm staff``), a schedule
export of six agents for that week, an agent-state log following it, and a workspace with the
history and agents imported. The edit functions take a file's text and return the broken text
(or bytes); rows are numbered as a spreadsheet shows them (the header is row 1).
:func:`check_fails_cleanly` runs one :class:`Case` and asserts what every case asserts.
"""

from __future__ import annotations

import csv
import io
import os
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

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
                        "queue": queue if work else "",
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


# --------------------------------------------------------------------------- cases

SENTINEL = b"what the user had before\n"

FORECAST = "forecast --history {history} --config {config} --model seasonal_naive --out {out}"
STAFF = "staff --forecast {forecast} --config {config} --out {out}"
PLAN = "schedule --requirements {requirements} --config {config} --out {out}"
ROSTER = PLAN + " --agents {agents}"
REPORT = (
    "report --requirements {requirements} --schedule {schedule} --actuals {actuals} "
    "--config {config} --out {out}"
)
STATES = REPORT + " --agent-states {states}"
ERLANG = "erlang --calls 100 --interval-min 30 --aht-sec 180 --sl-target 0.8 --sl-threshold-sec 20"


@dataclass(frozen=True)
class Case:
    """One defect: the command (``{kind}`` = that input file, ``{out}`` = the pre-created
    output, ``{ws}`` = a workspace, ``{nodir}`` = a file in a missing folder, ``{dir}`` = a
    folder), the edits that break the inputs (by kind; ``ws_config`` edits the workspace's
    ``wfm.toml``), and what the message must say."""

    id: str
    command: str
    edits: dict[str, Edit] = field(default_factory=dict)
    expect: tuple[str, ...] = ()
    code: int = 2


def workspace_state(folder: Path) -> dict:
    from wfm.cli.status import status_data
    from wfm.store import open_workspace

    data = status_data(open_workspace(folder), runs=100)
    return {k: v for k, v in data.items() if k not in ("workspace", "database")}


def prepare(case: Case, files: dict[str, Path], tmp: Path) -> tuple[list[str], Path | None]:
    """Write the case's inputs into ``tmp`` (edited where the case says) and build argv."""
    values = {"out": str(tmp / "out.csv"), "dir": str(tmp), "nodir": str(tmp / "nowhere" / "x.csv")}
    (tmp / "out.csv").write_bytes(SENTINEL)
    ws = None
    if "{ws}" in case.command:
        ws = tmp / "ws"
        shutil.copytree(files["ws"], ws)
        values["ws"] = str(ws)
        if "ws_config" in case.edits:  # the workspace's own wfm.toml
            toml = ws / "wfm.toml"
            toml.write_text(case.edits["ws_config"](toml.read_text()))
    for kind, path in files.items():
        if kind == "ws" or ("{" + kind + "}" not in case.command and kind not in case.edits):
            continue
        text = path.read_text(encoding="utf-8")
        edit = case.edits.get(kind)
        data = edit(text) if edit else text
        target = tmp / path.name
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
        values[kind] = str(target)
    unused = set(case.edits) - set(values) - {"ws_config"}
    assert not unused, f"edits of files the command does not read: {unused}"
    return shlex.split(case.command.format(**values)), ws


def run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse: bad usage
        code = stop.code
    return code, capsys.readouterr().err


def check_fails_cleanly(case: Case, files: dict[str, Path], tmp_path: Path, capsys) -> None:
    """Run ``case`` and assert: its exit code, no traceback, every expected string in the
    message, ``out.csv`` byte for byte, no file written or removed, the workspace unchanged."""
    argv, ws = prepare(case, files, tmp_path)
    listing = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    before = workspace_state(ws) if ws is not None else None
    capsys.readouterr()

    code, err = run(argv, capsys)

    assert "Traceback" not in err
    assert code == case.code, err
    message = err.strip().splitlines()[-1] if err.strip() else ""
    for words in case.expect:
        assert words in message, f"{words!r} not in {message!r}"
    assert (tmp_path / "out.csv").read_bytes() == SENTINEL
    if ws is not None:
        assert workspace_state(ws) == before
        listing = [p for p in listing if p.parts[0] != "ws"]
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    after = [p for p in after if p.parts[0] != "ws"]
    assert after == listing, "a file was written or removed"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The good inputs, written once per module (a few seconds)."""
    return build_files(tmp_path_factory.mktemp("good"))
