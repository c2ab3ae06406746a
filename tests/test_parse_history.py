"""History / actuals CSV: every bad input names file, row and column; DST days parse right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import InputError, Queue
from wfm.axis import interval_axis
from wfm.cli import main
from wfm.config import Config, Site
from wfm.io.tables import read_history
from wfm.parse import parse_history

TZ = "Europe/London"
HEADER = "interval_start,queue,channel,offered,answered,abandoned,answered_within_threshold,aht_sec"
GOOD_ROWS = [
    "2026-11-23 09:00,service,voice,40,37,3,30,240",
    "2026-11-23 09:15,service,voice,44,40,4,31,250",
    "2026-11-23 09:00,chat,chat,12,12,0,11,600",
]


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def fails(text: str, **kwargs) -> InputError:
    kwargs.setdefault("timezone", TZ)
    with pytest.raises(InputError) as caught:
        parse_history(text, "history.csv", **kwargs)
    return caught.value


def test_good_file_gives_tidy_sorted_frame():
    frame, notes = parse_history(csv(*GOOD_ROWS), "history.csv", timezone=TZ)
    assert list(frame.columns) == [
        "interval_start",
        "queue",
        "channel",
        "interval_minutes",
        "offered",
        "answered",
        "abandoned",
        "answered_within_threshold",
        "handle_time_total_sec",
        "aht_sec",
        "staffed_agents",
        "abandoned_within_threshold",
        "wait_time_answered_total_sec",
    ]
    assert str(frame["interval_start"].dtype) == f"datetime64[ns, {TZ}]"
    assert list(frame["queue"]) == ["chat", "service", "service"]
    assert frame["offered"].dtype == np.float64
    assert frame["staffed_agents"].isna().all()
    # handle_time_total_sec filled from aht_sec * answered
    assert frame.loc[1, "handle_time_total_sec"] == 37 * 240
    assert frame["interval_minutes"].tolist() == [15, 15, 15]  # inferred ...
    assert any("inferred" in n for n in notes)  # ... and said so


def test_missing_required_column_names_it_on_the_header_row():
    text = csv("2026-11-23 09:00,service,40", header="interval_start,queue,answered")
    err = fails(text)
    assert (err.file, err.row, err.column) == ("history.csv", 1, "offered")
    assert "missing required column" in err.message


def test_extra_columns_are_ignored_with_a_note():
    text = csv(
        "2026-11-23 09:00,service,40,x,7",
        header="interval_start,queue,offered,comment,mean_wait_sec",
    )
    frame, notes = parse_history(text, "history.csv", timezone=TZ, interval_minutes=15)
    assert "comment" not in frame.columns and "mean_wait_sec" not in frame.columns
    assert any("ignored columns 'comment', 'mean_wait_sec'" in n for n in notes)


def test_unparseable_timestamp():
    err = fails(csv(GOOD_ROWS[0], "23/11/2026 9:15am,service,voice,4,4,0,4,200"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "interval_start")
    assert "ISO 8601" in err.message


def test_impossible_date_is_unparseable():
    err = fails(csv(GOOD_ROWS[0], "2026-02-30 09:15,service,voice,4,4,0,4,200"))
    assert (err.row, err.column) == (3, "interval_start")


def test_misaligned_timestamp():
    err = fails(
        csv(GOOD_ROWS[0], "2026-11-23 09:20,service,voice,4,4,0,4,200"), interval_minutes=15
    )
    assert (err.file, err.row, err.column) == ("history.csv", 3, "interval_start")
    assert "15-minute grid" in err.message


def test_misaligned_with_configured_interval():
    err = fails(csv(*GOOD_ROWS), interval_minutes=30)
    assert (err.row, err.column) == (3, "interval_start")


def test_duplicate_interval_names_both_rows():
    err = fails(csv(*GOOD_ROWS, "2026-11-23 09:15,service,voice,1,1,0,1,100"))
    assert (err.file, err.row, err.column) == ("history.csv", 5, "interval_start")
    assert "duplicate interval" in err.message and "row 3" in err.message


def test_duplicate_interval_across_offset_and_local_spelling():
    # 09:00 local in November is 09:00Z: the same instant written two ways.
    err = fails(csv(GOOD_ROWS[0], "2026-11-23T09:00:00Z,service,voice,1,1,0,1,100"))
    assert (err.row, err.column) == (3, "interval_start")


def test_negative_count():
    err = fails(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,-1,0,0,200"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "answered")
    assert "negative" in err.message


def test_non_numeric_count():
    err = fails(csv("2026-11-23 09:00,service,voice,forty,37,3,30,240"))
    assert (err.row, err.column) == (2, "offered")
    assert "'forty'" in err.message


def test_empty_offered_is_an_error_but_empty_optional_is_nan():
    err = fails(csv("2026-11-23 09:00,service,voice,,37,3,30,240"))
    assert (err.row, err.column) == (2, "offered")
    frame, _ = parse_history(csv("2026-11-23 09:00,service,voice,40,,,,"), "h", timezone=TZ)
    assert np.isnan(frame.loc[0, "answered"]) and np.isnan(frame.loc[0, "aht_sec"])


def test_answered_greater_than_offered():
    err = fails(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,11,0,5,200"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "answered")
    assert "greater than offered" in err.message


def test_answered_within_threshold_greater_than_answered():
    err = fails(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,8,2,9,200"))
    assert (err.row, err.column) == (3, "answered_within_threshold")


def test_zero_aht_with_answered_contacts():
    err = fails(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,8,2,5,0"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "aht_sec")
    assert "zero" in err.message


def test_zero_handle_time_total_with_answered_contacts():
    text = csv(
        "2026-11-23 09:00,service,10,8,0",
        header="Interval Start,Queue,Offered,Handled,Total Handle Time (Seconds)",
    )
    err = fails(text)
    assert (err.row, err.column) == (2, "Total Handle Time (Seconds)")


def test_zero_aht_without_answered_contacts_is_fine():
    frame, _ = parse_history(
        csv("2026-11-23 09:00,service,voice,3,0,3,0,0"), "h", timezone=TZ, interval_minutes=15
    )
    assert np.isnan(frame.loc[0, "aht_sec"])  # no contact handled: no AHT


def test_zero_aht_as_missing_when_asked():
    text = csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,8,2,5,0")
    frame, notes = parse_history(text, "h", timezone=TZ, zero_aht="missing")
    assert np.isnan(frame.loc[1, "aht_sec"]) and frame.loc[1, "answered"] == 8
    assert any("row(s) (3)" in n for n in notes)


def test_unknown_channel():
    err = fails(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,fax,10,8,2,5,200"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "channel")
    assert "unknown channel 'fax'" in err.message


def test_channel_aliases_and_fill_from_config():
    text = csv("2026-11-23 09:00,a,Phone,1", "2026-11-23 09:00,b,,1",
               header="interval_start,queue,channel,offered")  # fmt: skip
    frame, _ = parse_history(
        text, "h", timezone=TZ, queues=[Queue("a"), Queue("b", channel="chat", concurrency=2)]
    )
    assert frame["channel"].tolist() == ["voice", "chat"]
    frame, _ = parse_history(csv("2026-11-23 09:00,x,1", header="interval_start,queue,offered"),
                             "h", timezone=TZ)  # fmt: skip
    assert frame["channel"].tolist() == ["voice"]


def test_channel_conflicting_with_config():
    err = fails(csv(GOOD_ROWS[2]), queues=[Queue("chat", channel="voice")])
    assert (err.row, err.column) == (2, "channel")


def test_unknown_queue_when_queues_configured():
    err = fails(csv(*GOOD_ROWS), queues=["service"])
    assert (err.row, err.column) == (4, "queue")
    assert "not in the configuration" in err.message


@pytest.mark.parametrize("bad", ["7", "0", "12.5", "x"])
def test_interval_minutes_that_does_not_divide_an_hour(bad):
    text = csv(
        f"2026-11-23 09:00,service,{bad},40", header="interval_start,queue,interval_minutes,offered"
    )
    err = fails(text)
    assert (err.row, err.column) == (2, "interval_minutes")


def test_interval_minutes_inconsistent():
    text = csv(
        "2026-11-23 09:00,service,15,40",
        "2026-11-23 09:30,service,30,40",
        header="interval_start,queue,interval_minutes,offered",
    )
    err = fails(text)
    assert (err.row, err.column) == (3, "interval_minutes")
    err = fails(csv("2026-11-23 09:00,service,30,40", header=text.splitlines()[0]),
                interval_minutes=15)  # fmt: skip
    assert (err.row, err.column) == (2, "interval_minutes") and "site's 15" in err.message


def test_row_numbers_count_blank_lines_like_an_editor():
    text = HEADER + "\n" + GOOD_ROWS[0] + "\n\n" + "2026-11-23 09:20,service,voice,4,4,0,4,200\n"
    err = fails(text, interval_minutes=15)
    assert err.row == 4


# --------------------------------------------------------------------------- daylight saving


def _day_rows(day: str, n_queues: int = 1, offsets: bool = False) -> list[str]:
    rows = []
    for q in range(n_queues):
        for t in interval_axis(day, 1, TZ, 15):
            stamp = t.isoformat() if offsets else t.strftime("%Y-%m-%d %H:%M")
            rows.append(f"{stamp},q{q},voice,5,5,0,5,100")
    return rows


@pytest.mark.parametrize("offsets", [False, True])
def test_fall_back_day_has_100_intervals(offsets):
    rows = _day_rows("2026-10-25", n_queues=2, offsets=offsets)
    assert len(rows) == 200
    frame, notes = parse_history(csv(*rows), "h", timezone=TZ, interval_minutes=15)
    for _, part in frame.groupby("queue"):
        assert len(part) == 100
        assert part["interval_start"].is_monotonic_increasing
        assert part["interval_start"].diff().dropna().eq(pd.Timedelta(minutes=15)).all()
        assert list(part["interval_start"]) == list(interval_axis("2026-10-25", 1, TZ, 15))
    assert not any("appear once" in n for n in notes)


def test_fall_back_repeated_hour_interleaved_queues_keep_their_order():
    # Queues interleaved row by row: the order is inferred per queue.
    rows = _day_rows("2026-10-25", n_queues=2)
    q0, q1 = rows[:100], rows[100:]
    mixed = [r for pair in zip(q0, q1, strict=True) for r in pair]
    frame, _ = parse_history(csv(*mixed), "h", timezone=TZ, interval_minutes=15)
    assert frame.groupby("queue").size().tolist() == [100, 100]


def test_repeated_hour_three_times_is_a_duplicate():
    rows = _day_rows("2026-10-25")
    extra = rows[5].replace(",5,5,0,5,100", ",1,1,0,1,100")  # 01:15 local, a third time
    err = fails(csv(*rows, extra), interval_minutes=15)
    assert (err.row, err.column) == (102, "interval_start")
    assert "duplicate" in err.message


def test_spring_forward_day_has_92_intervals():
    rows = _day_rows("2026-03-29")
    assert len(rows) == 92
    frame, _ = parse_history(csv(*rows), "h", timezone=TZ, interval_minutes=15)
    assert len(frame) == 92
    assert list(frame["interval_start"]) == list(interval_axis("2026-03-29", 1, TZ, 15))


def test_spring_forward_missing_local_time_names_the_row():
    err = fails(csv(GOOD_ROWS[0], "2026-03-29 01:30,service,voice,4,4,0,4,200"))
    assert (err.file, err.row, err.column) == ("history.csv", 3, "interval_start")
    assert "does not exist" in err.message


# --------------------------------------------------------------------------- ACD headers


def test_acd_export_headers_are_recognised():
    text = (
        "Start Time,Skill,Media Type,Interval Length,Calls Offered,Interactions Handled,"
        "Abandoned,answered_within_30s,Total Handle Time (Seconds),Staffed Agents,Avg Speed\n"
        "2026-11-23T09:00:00+00:00,Billing,Phone,30,100,90,10,70,27000,12.5,14\n"
        "2026-11-23T09:30:00+00:00,Billing,Phone,30,80,80,0,79,19200,11,3\n"
    )
    frame, notes = parse_history(text, "acd.csv", timezone=TZ)
    row = frame.iloc[0]
    assert row["queue"] == "Billing" and row["channel"] == "voice"
    assert row["interval_minutes"] == 30
    assert (row["offered"], row["answered"], row["abandoned"]) == (100, 90, 10)
    assert row["answered_within_threshold"] == 70
    assert row["aht_sec"] == pytest.approx(300.0)
    assert row["staffed_agents"] == 12.5
    assert any("'answered_within_30s'" in n and "30 s" in n for n in notes)
    assert any("'Avg Speed'" in n and "ignored" in n for n in notes)


def test_separate_date_and_time_columns_and_hms_aht():
    text = "Date,Interval,Queue,Contacts Offered,Handled,AHT\n2026-11-23,09:15,sales,10,9,0:04:10\n"
    frame, _ = parse_history(text, "acd.csv", timezone=TZ, interval_minutes=15)
    assert frame.loc[0, "interval_start"] == pd.Timestamp("2026-11-23 09:15", tz=TZ)
    assert frame.loc[0, "aht_sec"] == 250.0


def test_two_columns_meaning_the_same_thing():
    err = fails(csv("2026-11-23 09:00,s,1,1", header="interval_start,queue,Offered,Calls Offered"))
    assert (err.row, err.column) == (1, "Calls Offered")


# --------------------------------------------------------------------------- reader and CLI path


def test_reader_names_the_file_row_and_column(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,11,0,5,200"))
    config = Config(site=Site(timezone=TZ), queues=(Queue("service"),))
    with pytest.raises(InputError) as caught:
        read_history(path, config)
    assert str(caught.value).startswith(f"{path}, row 3, column 'answered': ")


def test_reader_applies_the_config(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(csv("2026-11-23 09:00,service,40", header="interval_start,queue,offered"))
    config = Config(site=Site(timezone=TZ), queues=(Queue("service", channel="voice"),))
    frame, _ = read_history(path, config)
    assert str(frame.loc[0, "interval_start"].tz) == TZ
    assert frame.loc[0, "interval_minutes"] == 15


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_history(tmp_path / "nope.csv")


def test_cli_bad_history_file_exits_2(tmp_path, capsys):
    """A bad file reaches the user as one line naming file, row and column (exit code 2)."""
    path = tmp_path / "history.csv"
    path.write_text(csv(GOOD_ROWS[0], "2026-11-23 09:15,service,voice,10,11,0,5,200"))
    code = main(["forecast", "--history", str(path), "--horizon-days", "1", "--out",
                 str(tmp_path / "f.csv")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "row 3" in err and "'answered'" in err and "history.csv" in err


# --------------------------------------------------------------------------- real data


def test_real_anonymous_bank_parses(shared_data):
    path = shared_data / "anonymous_bank_feb1999" / "anonymous_bank_feb1999_30min.csv"
    frame, notes = read_history(path, timezone="Asia/Jerusalem", zero_aht="missing")
    assert len(frame) == 28 * 48 * 6
    assert frame["interval_minutes"].eq(30).all()
    assert frame["offered"].sum() == 31_125 and frame["answered"].sum() == 27_162
    assert frame["answered_within_threshold"].notna().all()
    assert any("'answered_within_20s'" in n for n in notes)
    assert any("mean_wait_answered_sec" in n and "ignored" in n for n in notes)
    # three slots record answered calls with zero talk time: errors unless told otherwise
    assert any("3 row(s)" in n for n in notes)
    with pytest.raises(InputError) as caught:
        read_history(path, timezone="Asia/Jerusalem")
    assert caught.value.row == 4258 and caught.value.column == "handle_time_total_sec"
    answered = frame["answered"] > 0
    weighted = (
        frame.loc[answered, "handle_time_total_sec"].sum()
        / frame.loc[answered & frame["aht_sec"].notna(), "answered"].sum()
    )
    assert weighted == pytest.approx(176.4, abs=0.1)  # README: mean ser_time 176.4 s


def test_real_us_bank_parses(shared_data):
    path = shared_data / "us_bank_calls_5min" / "us_bank_calls_15min.csv"
    frame, notes = read_history(path, timezone="America/New_York")
    assert len(frame) == 9348 and frame["queue"].unique().tolist() == ["all"]
    assert frame["interval_start"].dt.hour.min() == 7
    assert any("minutes_covered" in n for n in notes)
    # Offsets follow US daylight saving (EST in March, EDT from 6 April 2003).
    offsets = frame["interval_start"].map(lambda t: t.utcoffset().total_seconds() / 3600)
    assert set(offsets) == {-5.0, -4.0}


def test_actual_wait_from_total_or_from_asa_and_short_abandons_checked():
    header = "interval_start,queue,offered,answered,abandoned,abandoned_within_threshold,asa"
    frame, _ = parse_history(
        csv("2026-11-23 09:00,service,10,8,2,1,12.5", header=header), "a.csv", timezone=TZ
    )
    assert frame.loc[0, "wait_time_answered_total_sec"] == 100.0  # 12.5 s x 8 answered
    assert frame.loc[0, "abandoned_within_threshold"] == 1.0
    err = fails(csv("2026-11-23 09:00,service,10,8,2,3,12.5", header=header))
    assert (err.row, err.column) == (2, "abandoned_within_threshold")
