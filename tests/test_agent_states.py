"""Agent-state logs: time-weighted staffing, validation and adherence, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from wfm.agent_states import (
    adherence_components,
    normalise_state,
    parse_agent_states,
    spread_over_intervals,
    staffed_agents,
)
from wfm.errors import InputError
from wfm.kpis import kpi_table

TZ = "Europe/London"
ORIGIN = pd.Timestamp("2024-03-04 09:00", tz=TZ)


def _raw(rows):
    return pd.DataFrame(rows, columns=["agent_id", "state", "start", "end"])


LOG = _raw(
    [
        ("a1", "available", "2024-03-04 09:00:00", "2024-03-04 09:07:30"),
        ("a1", "On Contact", "2024-03-04 09:07:30", "2024-03-04 09:20:00"),
        ("a1", "break", "2024-03-04 09:20:00", "2024-03-04 09:35:00"),
        ("a1", "ACW", "2024-03-04 09:35:00", "2024-03-04 10:00:00"),
        ("a2", "Available", "2024-03-04 09:00:00", "2024-03-04 09:07:30"),
        ("a2", "offline", "2024-03-04 09:07:30", "2024-03-04 10:00:00"),
    ]
)


def test_state_names_are_normalised():
    assert normalise_state("On Contact") == "on_contact"
    assert normalise_state("wrap-up") == "after_contact_work"
    assert normalise_state("ACW") == "after_contact_work"
    assert normalise_state("Lunch") == "lunch"
    assert normalise_state("teleporting") is None


def test_staffed_agents_are_time_weighted():
    log = parse_agent_states(LOG, TZ)
    assert log.notes == ()
    out = staffed_agents(log.frame, ORIGIN, 15).set_index("interval_start")["agents_actual"]
    # 09:00 a1 full + a2 7.5 of 15 min; 09:15 a1 5 min; 09:30 a1 10 min; 09:45 a1 full
    expected = [1.5, 1 / 3, 2 / 3, 1.0]
    assert out.tolist() == pytest.approx(expected, abs=1e-12)
    assert out.index[0] == ORIGIN


def test_staffed_time_is_split_by_the_scheduled_queue():
    log = parse_agent_states(LOG, TZ).frame
    roster = pd.DataFrame(
        {
            "agent_id": ["a1", "a1", "a2"],
            "queue": ["sales", "service", "sales"],
            "start": [ORIGIN, ORIGIN.replace(minute=30), ORIGIN],
            "end": [ORIGIN.replace(minute=30), ORIGIN.replace(hour=10), ORIGIN.replace(hour=10)],
        }
    )
    work = spread_over_intervals(roster, ORIGIN, 15, keep=["agent_id", "queue"])
    out = staffed_agents(log, ORIGIN, 15, roster_work=work)
    by = out.set_index(["interval_start", "queue"])["agents_actual"]
    assert by[(ORIGIN, "sales")] == pytest.approx(1.5)
    assert by[(ORIGIN.replace(minute=30), "service")] == pytest.approx(2 / 3)
    assert out["agents_actual"].sum() == pytest.approx(1.5 + 1 / 3 + 2 / 3 + 1)


def test_overlapping_states_are_cut_with_a_note():
    raw = _raw(
        [
            ("a3", "available", "2024-03-04 09:00", "2024-03-04 09:20"),
            ("a3", "break", "2024-03-04 09:10", "2024-03-04 09:15"),
        ]
    )
    log = parse_agent_states(raw, TZ)
    assert len(log.notes) == 1 and "a3 (rows 2)" in log.notes[0]
    out = staffed_agents(log.frame, ORIGIN, 15).set_index("interval_start")["agents_actual"]
    assert out.iloc[0] == pytest.approx(10 / 15)  # 09:00-09:10 available, then on break


def test_bad_logs_name_the_row_and_column():
    bad_state = _raw(
        [
            ("a", "available", "2024-03-04 09:00", "2024-03-04 09:10"),
            ("a", "daydreaming", "2024-03-04 09:10", "2024-03-04 09:20"),
        ]
    )
    with pytest.raises(InputError, match="unknown state 'daydreaming'") as err:
        parse_agent_states(bad_state, TZ)
    assert err.value.row == 3 and err.value.column == "state"
    backwards = _raw([("a", "available", "2024-03-04 09:10", "2024-03-04 09:00")])
    with pytest.raises(InputError, match="ends before it starts") as err:
        parse_agent_states(backwards, TZ)
    assert err.value.row == 2
    bad_time = _raw([("a", "available", "yesterday", "2024-03-04 09:00")])
    with pytest.raises(InputError, match="ISO 8601") as err:
        parse_agent_states(bad_time, TZ)
    assert err.value.column == "start"
    with pytest.raises(InputError, match="missing column"):
        parse_agent_states(LOG.drop(columns="end"), TZ)


def test_times_with_offsets_are_converted():
    raw = _raw([("a", "available", "2024-03-04T08:00:00Z", "2024-03-04T09:15:00+00:00")])
    log = parse_agent_states(raw, TZ).frame
    assert log["start"].iloc[0] == pd.Timestamp("2024-03-04 08:00", tz=TZ)


def test_adherence_by_hand():
    log = parse_agent_states(LOG, TZ).frame
    t = lambda hm: pd.Timestamp(f"2024-03-04 {hm}", tz=TZ)  # noqa: E731
    roster = pd.DataFrame(
        {
            "agent_id": ["a1", "a1", "a1", "a9"],
            "activity": ["work", "break", "work", "work"],
            "queue": ["sales", None, "sales", "sales"],
            "start": [t("09:00"), t("09:30"), t("09:45"), t("09:00")],
            "end": [t("09:30"), t("09:45"), t("10:00"), t("09:15")],
        }
    )
    pieces = spread_over_intervals(roster, ORIGIN, 15, keep=["agent_id", "activity", "queue"])
    comp = adherence_components(log, pieces, ORIGIN)
    a1 = comp[comp["agent_id"] == "a1"]
    # work 09:00-09:30 in staffed states 20 min; break 09:30-09:45 on break 5 min; work
    # 09:45-10:00 15 min: 40 of 60 minutes
    assert a1["adherent_sec"].sum() == pytest.approx(40 * 60)
    assert a1["adherence_scheduled_sec"].sum() == pytest.approx(60 * 60)
    assert comp.loc[comp["agent_id"] == "a9", "adherent_sec"].sum() == 0.0  # no log: out
    frame = comp.rename(columns={"seconds": "x"})[
        ["interval_start", "queue", "adherent_sec", "adherence_scheduled_sec"]
    ]
    assert kpi_table(frame).iloc[0]["schedule_adherence"] == pytest.approx(2400 / 4500)
