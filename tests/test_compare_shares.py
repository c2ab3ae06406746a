"""A multi-skilled agent's split time in the schedule export counts once, never per queue."""

import pandas as pd
import pytest

from wfm import InputError
from wfm.compare import schedule_coverage, schedule_pieces
from wfm.parse import parse_schedule

TZ = "Europe/London"


def _export(rows):
    columns = [
        "agent_id",
        "agent_name",
        "team",
        "date",
        "shift_start",
        "shift_end",
        "activity",
        "activity_start",
        "activity_end",
        "paid",
        "queue",
        "share",
    ]
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], dtype=str)


def _row(start, end, queue, share, activity="work"):
    return (
        "7",
        "Ann",
        "u",
        "2026-11-23",
        "2026-11-23T09:00",
        "2026-11-23T10:00",
        activity,
        f"2026-11-23T{start}",
        f"2026-11-23T{end}",
        "true",
        queue,
        share,
    )


def test_split_interval_covers_each_queue_by_its_share_and_pays_the_time_once():
    raw = _export(
        [
            _row("09:00", "09:15", "chat", "0.5"),
            _row("09:00", "09:15", "service", "0.25"),  # 0.25 of the interval idle
            _row("09:15", "09:30", "service", "1.0"),
        ]
    )
    schedule = parse_schedule(raw, TZ)
    origin = pd.Timestamp("2026-11-23", tz=TZ)
    pieces = schedule_pieces(schedule, origin, 15)
    cover = schedule_coverage(pieces, 15).set_index(["interval_start", "queue"])["agents_scheduled"]
    nine = pd.Timestamp("2026-11-23 09:00", tz=TZ)
    quarter = pd.Timestamp("2026-11-23 09:15", tz=TZ)
    assert cover[(nine, "chat")] == pytest.approx(0.5)
    assert cover[(nine, "service")] == pytest.approx(0.25)
    assert cover[(quarter, "service")] == pytest.approx(1.0)
    # the agent is paid 30 minutes, not 45: the split interval counts once, 2:1 by share
    assert pieces["seconds"].sum() == pytest.approx(1800)
    first = pieces[pieces["interval_start"] == nine].set_index("queue")["seconds"]
    assert first["chat"] == pytest.approx(600) and first["service"] == pytest.approx(300)


def test_share_outside_zero_one_names_row_and_column():
    raw = _export([_row("09:00", "09:15", "chat", "1.5")])
    with pytest.raises(InputError) as caught:
        parse_schedule(raw, TZ)
    assert (caught.value.row, caught.value.column) == (2, "share")


def test_export_without_share_column_counts_whole_agents():
    raw = _export([_row("09:00", "09:30", "chat", "1")]).drop(columns="share")
    pieces = schedule_pieces(parse_schedule(raw, TZ), pd.Timestamp("2026-11-23", tz=TZ), 15)
    assert schedule_coverage(pieces, 15)["agents_scheduled"].tolist() == [1.0, 1.0]
