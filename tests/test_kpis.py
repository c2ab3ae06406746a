"""KPIs on a small hand-computed example, exactly (fractions worked out by hand below)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.errors import InputError
from wfm.kpis import (
    SL_DEFINITIONS,
    deadline_components,
    kpi_table,
    service_level,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    starts = pd.to_datetime(
        ["2024-01-01 09:00", "2024-01-01 09:15", "2024-01-02 09:00"]
    ).tz_localize("Europe/London")
    return pd.DataFrame(
        {
            "interval_start": starts,
            "queue": ["A", "A", "B"],
            "interval_minutes": [15, 15, 15],
            "offered": [10.0, 30.0, 20.0],
            "answered": [8.0, 27.0, 20.0],
            "abandoned": [2.0, 3.0, 0.0],
            "answered_within_threshold": [6.0, 24.0, 10.0],
            "abandoned_within_threshold": [1.0, 2.0, 0.0],
            "handle_time_total_sec": [1600.0, 5400.0, 6000.0],
            "aht_sec": [200.0, 200.0, 300.0],
            "wait_time_answered_total_sec": [80.0, 270.0, 400.0],
            "agents_actual": [4.0, 8.0, 10.0],
            "agents_scheduled": [5.0, 10.0, 9.0],
            "offered_forecast": [12.0, 25.0, 20.0],
            "aht_forecast_sec": [180.0, 220.0, 300.0],
            "cost": [30.0, 40.0, 50.0],
            "adherent_sec": [800.0, 900.0, 1500.0],
            "adherence_scheduled_sec": [900.0, 900.0, 1800.0],
        }
    )


def test_total_kpis_exact(frame):
    row = kpi_table(frame, "total").iloc[0]
    assert row["offered"] == 60 and row["answered"] == 55 and row["abandoned"] == 5
    assert row["service_level"] == pytest.approx(40 / 60, abs=1e-15)
    assert row["asa_sec"] == pytest.approx(750 / 55, abs=1e-12)
    assert row["abandonment_rate"] == pytest.approx(5 / 60, abs=1e-15)
    # handle 13,000 s over 22 agents x 900 s staffed
    assert row["occupancy"] == pytest.approx(13000 / 19800, abs=1e-15)
    # |10-12| + |30-25| + |20-20| = 7 over 60 offered
    assert row["volume_wape"] == pytest.approx(7 / 60, abs=1e-15)
    # 8 x 20 + 27 x 20 + 0 = 700 s of handle-time error over 13,000 s
    assert row["aht_wape"] == pytest.approx(700 / 13000, abs=1e-15)
    assert row["cost_per_contact"] == pytest.approx(120 / 55, abs=1e-14)
    assert row["actual_hours"] == pytest.approx(5.5)
    assert row["scheduled_hours"] == pytest.approx(6.0)
    assert row["staff_hours_ratio"] == pytest.approx(11 / 12, abs=1e-15)
    assert row["schedule_adherence"] == pytest.approx(3200 / 3600, abs=1e-15)


def test_service_level_definitions(frame):
    expected = {
        "offered": 40 / 60,
        "answered": 40 / 55,
        "offered_less_short_abandons": 40 / 57,
        "short_abandons_met": 43 / 60,
    }
    assert set(expected) == set(SL_DEFINITIONS)
    for definition, value in expected.items():
        row = kpi_table(frame, "total", sl_definition=definition).iloc[0]
        assert row["service_level"] == pytest.approx(value, abs=1e-15), definition
    with pytest.raises(InputError, match="unknown service-level definition"):
        service_level(1, 2, definition="within")
    with pytest.raises(InputError, match="abandoned_within_threshold"):
        service_level(1, 2, definition="short_abandons_met")


def test_per_day_is_weighted_not_an_average_of_ratios(frame):
    days = kpi_table(frame, "day").set_index("day")
    assert list(days.index) == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    # Monday: (6 + 24) / (10 + 30) = 0.75, not the mean of 0.6 and 0.8 = 0.7
    assert days.loc[dt.date(2024, 1, 1), "service_level"] == pytest.approx(0.75, abs=1e-15)
    assert days.loc[dt.date(2024, 1, 2), "service_level"] == pytest.approx(0.5, abs=1e-15)
    total = kpi_table(frame, "total").iloc[0]["service_level"]
    assert total != pytest.approx(np.mean([0.6, 0.8, 0.5]))


def test_per_queue_and_week(frame):
    by_queue = kpi_table(frame, "queue").set_index("queue")
    assert by_queue.loc["A", "abandonment_rate"] == pytest.approx(5 / 40, abs=1e-15)
    assert by_queue.loc["B", "abandonment_rate"] == 0.0
    assert by_queue.loc["A", "volume_wape"] == pytest.approx(7 / 40, abs=1e-15)
    weeks = kpi_table(frame, ["week", "queue"])
    assert list(weeks["week"].unique()) == [dt.date(2024, 1, 1)]
    assert len(weeks) == 2


def test_missing_columns_leave_kpis_empty(frame):
    row = kpi_table(frame.drop(columns=["cost", "wait_time_answered_total_sec"])).iloc[0]
    assert np.isnan(row["cost_per_contact"]) and np.isnan(row["asa_sec"])
    assert row["service_level"] == pytest.approx(40 / 60)


def test_deadline_components_fifo_by_hand():
    # 4 items arrive in hour 0, 2 in hour 1; answers 1, 2, 3: FIFO gives item 4 answered in
    # hour 2 (two hours after arrival: late), the rest within one hour.
    within, due = deadline_components([4, 2, 0, 0], [1, 2, 3, 0], 60, 1.0)
    assert within.tolist() == [3.0, 2.0, 0.0, 0.0]
    assert due.tolist() == [4.0, 2.0, 0.0, 0.0]  # the last hour's deadline is outside the data
    # answers beyond the arrivals so far are an older backlog, answered first
    within, due = deadline_components([0, 2], [3, 2], 60, 0.25)
    assert within.tolist() == [0.0, 2.0] and due.tolist() == [0.0, 2.0]


def test_response_within_deadline_in_kpi_table(frame):
    within, due = deadline_components([4, 2, 0], [1, 2, 3], 60, 1.0)
    f = frame.assign(email_within_deadline=within, email_due=due)
    assert kpi_table(f).iloc[0]["response_within_deadline"] == pytest.approx(5 / 6, abs=1e-15)


def test_email_rows_stay_out_of_the_service_level(frame):
    f = frame.assign(channel=["voice", "voice", "email"])
    row = kpi_table(f).iloc[0]
    assert row["service_level"] == pytest.approx(30 / 40, abs=1e-15)
    assert row["abandonment_rate"] == pytest.approx(5 / 60, abs=1e-15)  # still all contacts


def test_actuals_frame_staffed_agents_give_occupancy(frame):
    f = frame.drop(columns="agents_actual").assign(staffed_agents=[4.0, 8.0, 10.0])
    assert kpi_table(f).iloc[0]["occupancy"] == pytest.approx(13000 / 19800, abs=1e-15)


def test_chat_occupancy_is_the_share_of_chat_slots_in_use():
    # 2 agents handling up to 3 chats each for 15 minutes: 5,400 chat-slot seconds; 4,050 s of
    # chats is 75% occupancy (not 225% of the agents' 1,800 staffed seconds).
    chat = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2026-11-23 09:00"]).tz_localize("UTC"),
            "queue": ["chat"],
            "channel": ["chat"],
            "interval_minutes": [15],
            "concurrency": [3],
            "handle_time_total_sec": [4050.0],
            "agents_actual": [2.0],
        }
    )
    assert kpi_table(chat).iloc[0]["occupancy"] == pytest.approx(0.75, abs=1e-15)
