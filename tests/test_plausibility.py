"""Plausibility warnings on history files: spikes, gaps, fractional counts (never errors).

Each warning is printed once per file on stderr with its rows (numbered as errors number them),
the exit code stays 0, the forecast lists it among its notes and is not built on the spike or
the stray row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from wfm.cli import main
from wfm.parse import parse_history
from wfm.parse.plausibility import (
    GAP_DAYS,
    SPIKE_FACTOR,
    excluded_rows,
    without_implausible,
)

START = pd.Timestamp("2026-10-05 00:00")  # a Monday, UTC


def history_rows(days: int = 21, queue: str = "service") -> list[dict]:
    """Hourly history: 10 contacts an hour 08:00-18:00, more on Mondays, none at night."""
    rows = []
    for hour in range(days * 24):
        t = START + pd.Timedelta(hours=hour)
        busy = 8 <= t.hour < 18
        rows.append(
            {
                "interval_start": t.isoformat(),
                "queue": queue,
                "offered": (10 + 5 * (t.weekday() == 0) + t.hour % 3) if busy else 0,
            }
        )
    return rows


def csv_text(rows: list[dict]) -> str:
    return pd.DataFrame(rows).to_csv(index=False)


def line_of(rows: list[dict], index: int) -> int:
    return index + 2  # the header is row 1


def test_clean_history_has_no_warnings():
    parsed = parse_history(csv_text(history_rows()), "h.csv", timezone="UTC")
    assert parsed.warnings == ()
    assert not excluded_rows(parsed.frame).any()


def test_spike_is_a_warning_with_its_row_and_left_out_of_training():
    rows = history_rows()
    spike = 24 * 9 + 11  # Wednesday of week 2, 11:00
    rows[spike]["offered"] = 10**15
    parsed = parse_history(csv_text(rows), "h.csv", timezone="UTC")
    (warning,) = parsed.warnings
    assert warning.kind == "spike" and warning.rows == (line_of(rows, spike),)
    text = str(warning)
    assert text.startswith(f"h.csv, row {line_of(rows, spike)}, column 'offered': ")
    assert f"more than {SPIKE_FACTOR:g} x its 95th percentile" in text
    assert "the largest 1e+15" in text and "left out of the forecast's training" in text
    kept, notes = without_implausible(parsed.frame)
    assert len(kept) == len(rows) - 1 and kept["offered"].max() < 100
    assert "left out of the forecast's training" in notes[0]


def test_a_busy_but_real_peak_is_not_a_spike():
    rows = history_rows()
    for hour in range(24 * 14 + 8, 24 * 14 + 18):  # one day at five times the usual volume
        rows[hour]["offered"] *= 5
    assert parse_history(csv_text(rows), "h.csv", timezone="UTC").warnings == ()


def test_stray_row_years_later_is_a_gap_warning_and_left_out():
    rows = history_rows()
    rows.append({"interval_start": "2030-10-01T10:00:00", "queue": "service", "offered": 12})
    parsed = parse_history(csv_text(rows), "h.csv", timezone="UTC")
    (warning,) = parsed.warnings
    assert warning.kind == "gap" and warning.rows == (len(rows) + 1,)
    assert f"1 gap(s) of more than {GAP_DAYS} days" in str(warning)
    assert "service: nothing from 2026-10-25 to 2030-10-01" in str(warning)
    assert "1 stray row(s) cut off from the rest are left out of the forecast" in str(warning)
    kept, _ = without_implausible(parsed.frame)
    assert kept["interval_start"].max() < pd.Timestamp("2026-10-26", tz="UTC")


def test_a_long_gap_between_two_long_stretches_warns_but_keeps_both():
    rows = history_rows(14)
    later = history_rows(14)
    for row in later:
        row["interval_start"] = (
            pd.Timestamp(row["interval_start"]) + pd.Timedelta(days=42)
        ).isoformat()
    parsed = parse_history(csv_text(rows + later), "h.csv", timezone="UTC")
    assert [w.kind for w in parsed.warnings] == ["gap"]
    assert "stray" not in str(parsed.warnings[0])
    assert not excluded_rows(parsed.frame).any()


def test_fractional_counts_list_the_first_rows_then_how_many_more():
    rows = history_rows()
    for i in range(8):
        rows[8 + i]["offered"] = 3.5
    parsed = parse_history(csv_text(rows), "h.csv", timezone="UTC")
    (warning,) = parsed.warnings
    assert warning.kind == "fractional"
    assert str(warning) == (
        "h.csv, rows 10, 11, 12, 13, 14 and 3 more, column 'offered': 8 row(s) with counts "
        "that are not whole numbers (in offered); read as they are"
    )
    assert not excluded_rows(parsed.frame).any()


def test_acd_headers_are_named_as_the_file_spells_them():
    rows = [{"Interval Start": r["interval_start"], "Queue": r["queue"],
             "Calls Offered": r["offered"]} for r in history_rows()]  # fmt: skip
    rows[20]["Calls Offered"] = 2.5
    (warning,) = parse_history(csv_text(rows), "acd.csv", timezone="UTC").warnings
    assert warning.column == "Calls Offered" and warning.rows == (22,)


WS_CONFIG = """
[site]
timezone = "UTC"
interval_minutes = 60

[[queues]]
name = "service"

[[shifts]]
name = "day"
earliest_start = "08:00"
latest_start = "08:00"
length_hours = [8.0]
"""


@pytest.fixture
def bad_history(tmp_path):
    rows = history_rows()
    rows[24 * 9 + 11]["offered"] = 10**15
    rows[30]["offered"] = 3.5
    path = tmp_path / "history.csv"
    path.write_text(csv_text(rows))
    clean = tmp_path / "clean.csv"
    clean.write_text(csv_text(history_rows()))
    return path, clean


def test_forecast_prints_the_warnings_once_exits_0_and_is_not_inflated(bad_history, capsys):
    path, clean = bad_history
    out = path.parent / "fc.csv"
    assert main(["forecast", "--history", str(path), "--out", str(out),
                 "--model", "weekly_profile"]) == 0  # fmt: skip
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert warnings[0].startswith(f"warning: {path}, row {24 * 9 + 13}, column 'offered':")
    assert warnings[1].startswith(f"warning: {path}, row 32, column 'offered':")
    notes = [line for line in captured.out.splitlines() if line.startswith("note:")]
    assert any("far above the queue's usual peak" in n for n in notes)
    assert any("not whole numbers" in n for n in notes)
    reference = path.parent / "ref.csv"
    assert main(["forecast", "--history", str(clean), "--out", str(reference),
                 "--model", "weekly_profile"]) == 0  # fmt: skip
    got, want = pd.read_csv(out)["offered"].sum(), pd.read_csv(reference)["offered"].sum()
    assert got == pytest.approx(want, rel=0.05)


def test_forecast_start_follows_the_history_not_the_stray_row(tmp_path, capsys):
    rows = history_rows()
    rows.append({"interval_start": "2030-10-01T10:00:00", "queue": "service", "offered": 12})
    path, out = tmp_path / "h.csv", tmp_path / "fc.csv"
    path.write_text(csv_text(rows))
    assert main(["forecast", "--history", str(path), "--out", str(out)]) == 0
    first = pd.to_datetime(pd.read_csv(out)["interval_start"], utc=True).min()
    assert first.date() == dt.date(2026, 10, 26)
    assert "stray row(s)" in capsys.readouterr().err


def test_import_history_prints_the_warnings(bad_history, tmp_path, capsys):
    path, _ = bad_history
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    (ws / "wfm.toml").write_text(WS_CONFIG)
    capsys.readouterr()
    assert main(["import", "history", str(path), "--workspace", str(ws)]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert [w.split(", ")[1] for w in warnings] == [f"row {24 * 9 + 13}", "row 32"]
    assert "new" in captured.out  # imported all the same


def test_dashboard_upload_report_names_the_upload_in_its_warnings(bad_history, tmp_path):
    from wfm import views
    from wfm.store import open_workspace

    path, _ = bad_history
    ws_dir = tmp_path / "ws"
    assert main(["init", str(ws_dir)]) == 0
    (ws_dir / "wfm.toml").write_text(WS_CONFIG)
    report, error = views.import_upload(
        open_workspace(ws_dir), "history", "acd export.csv", path.read_bytes()
    )
    assert error is None and report.inserted == 21 * 24
    assert [w.split(", ")[0] for w in report.warnings] == ["acd export.csv"] * 2


def test_weekly_job_leaves_a_spike_out_and_keeps_the_note_in_the_summary(app_workspace, tmp_path):
    import shutil

    from wfm.job import run_roster_job
    from wfm.store import open_workspace
    from wfm.store.versions import load_version_frame, version_summary

    folder = tmp_path / "ws"
    shutil.copytree(app_workspace, folder, ignore=shutil.ignore_patterns(".wfm-locks"))
    spike = tmp_path / "spike.csv"
    spike.write_text("interval_start,queue,offered\n2026-11-18T10:00:00,service,1000000000000000\n")
    assert main(["import", "history", str(spike), "--workspace", str(folder)]) == 0
    ws = open_workspace(folder)
    result = run_roster_job(ws, dt.date(2026, 11, 23), force=True, time_limit_sec=3)
    notes = version_summary(ws, result.version)["forecast_notes"]
    assert any("1 interval(s) far above their queue's usual peak" in n for n in notes)
    forecast = load_version_frame(ws, result.version, "forecast")
    assert float(forecast["offered"].astype(float).max()) < 1000  # not built on 10^15 calls
