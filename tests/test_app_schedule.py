"""The dashboard's Schedule, Agents and Data pages (``streamlit.testing.v1.AppTest``) and the
functions of :mod:`wfm.views` they stand on: what each page shows, and that a bad edit
or upload changes nothing in the workspace."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from _app import page
from _app import table as _table
from _app import texts as _texts
from streamlit.testing.v1 import AppTest

from wfm import views
from wfm.store import load_agents, open_workspace, row_counts
from wfm.store.versions import (
    list_versions,
    load_version_frame,
    select_version,
    version_summary,
)

ROOT = Path(__file__).resolve().parents[1]
WEEK = dt.date(2026, 11, 23)
SCHEDULE, AGENTS, DATA = (f"wfm_app/pages/{p}.py" for p in ("schedule", "agents", "data"))


def _page(tmp_path: Path, name: str) -> AppTest:
    return page(Path(name).stem)


def _shown(at: AppTest) -> int:
    found = [t for t in _texts(at) if t.startswith("Agents shown: ")]
    assert len(found) == 1, _texts(at)
    return int(found[0].removeprefix("Agents shown: "))


def _working(schedule, team: str | None = None) -> int:
    work = schedule[schedule["activity"] == "work"]
    if team is not None:
        work = work[work["team"] == team]
    return work["agent_id"].nunique()


# --------------------------------------------------------------------------- schedule


def test_schedule_shows_agents_versions_and_filters(ws_folder, tmp_path):
    ws = open_workspace(ws_folder)
    version = select_version(ws, WEEK)
    schedule = load_version_frame(ws, version, "schedule")
    at = _page(tmp_path, SCHEDULE)
    assert at.session_state["week"] == WEEK
    assert _shown(at) == _working(schedule) == 30

    table = _table(at, "version", "status", "solver status")
    assert table["version"].tolist() == [v.version for v in list_versions(ws, WEEK)] == [1]
    assert table["status"].tolist() == ["published"]
    assert table["paid hours"].iloc[0] == pytest.approx(version.paid_hours, abs=0.05)
    assert at.button(key="publish_version").label == "Publish version 1"
    assert at.button(key="publish_version").disabled  # already published
    assert at.button(key="generate_roster").label == "Generate roster"
    assert at.number_input(key="roster_time_limit").value == ws.config.solver.time_limit_sec

    team = "Sales 1"
    at.multiselect(key="schedule_teams").set_value([team]).run()
    assert _shown(at) == _working(schedule, team) < 30
    agents = load_agents(ws)
    chat = agents[[("chat" in s) or ("*" in s) for s in agents["skills"]]]["agent_id"]
    at.multiselect(key="schedule_teams").set_value([]).run()
    at.multiselect(key="schedule_skills").set_value(["chat"]).run()
    assert (
        _shown(at)
        == schedule[schedule["agent_id"].isin(chat) & (schedule["activity"] == "work")][
            "agent_id"
        ].nunique()
    )
    gaps = _table(at, "interval", "short")
    assert list(gaps.columns) == ["interval", "queue", "required", "scheduled", "short"]
    assert (gaps["short"] > 0).all() and gaps["short"].is_monotonic_decreasing


def test_publish_a_new_draft(ws_folder, tmp_path):
    from wfm.job import run_roster_job

    ws = open_workspace(ws_folder)
    result = run_roster_job(ws, WEEK, force=True, time_limit_sec=3)
    assert result.version.version == 2 and result.version.status == "draft"

    at = _page(tmp_path, SCHEDULE)
    table = _table(at, "version", "status", "solver status")
    assert table["version"].tolist() == [1, 2]
    assert table["status"].tolist() == ["published", "draft"]
    chooser = at.selectbox(key=f"schedule_version_{WEEK}")
    assert chooser.value == 1  # the current version: the published one
    chooser.set_value(2).run()
    button = at.button(key="publish_version")
    assert button.label == "Publish version 2" and not button.disabled
    button.click().run()
    assert not at.exception
    assert any("Published version 2 of week 2026-11-23" in s.value for s in at.success)
    statuses = {v.version: v.status for v in list_versions(open_workspace(ws_folder), WEEK)}
    assert statuses == {1: "published", 2: "published"}
    assert at.button(key="publish_version").disabled
    assert select_version(open_workspace(ws_folder), WEEK).version == 2


def test_generate_while_a_run_is_going_says_so(ws_folder, tmp_path):
    from wfm.store.lock import WeekLock
    from wfm.store.versions import start_run, update_run

    ws = open_workspace(ws_folder)
    with WeekLock(ws, "roster", WEEK).acquire():
        run_id = start_run(ws, "roster", WEEK)
        update_run(
            ws,
            run_id,
            stage="schedule",
            stages=[{"stage": s, "sec": 0.5} for s in ("load", "forecast", "staffing")],
        )
        at = _page(tmp_path, SCHEDULE)
        progress = _table(at, "stage", "state")
        assert progress["state"].tolist() == ["done", "done", "done", "running", "waiting"]
        at.button(key="generate_roster").click().run()
        assert any("already going" in w.value and f"run {run_id}" in w.value for w in at.warning)
        assert "roster_process" not in at.session_state
        assert not (ws_folder / views.RUNS_FOLDER).exists()


def test_generate_roster_runs_in_the_background(ws_folder, tmp_path):
    at = _page(tmp_path, SCHEDULE)
    at.number_input(key="roster_time_limit").set_value(3.0)
    at.button(key="generate_roster").click().run()
    started = at.session_state["roster_process"]
    assert started["week"] == WEEK and Path(started["log"]).parent == ws_folder / ".wfm-runs"
    assert started["process"].wait(timeout=300) == 0, views.log_tail(started["log"])
    at.run()  # the fragment sees the run has ended and shows its version
    at.run()
    versions = list_versions(open_workspace(ws_folder), WEEK)
    assert [v.version for v in versions] == [1, 2]
    assert _table(at, "version", "status", "solver status")["version"].tolist() == [1, 2]
    assert any(
        s.value.startswith("Run ") and " finished (" in s.value and "version 2" in s.value
        for s in at.success
    )


def test_run_progress_reads_the_stages():
    run = {
        "status": "running",
        "stage": "schedule",
        "started_at": "2026-01-01T00:00:00+00:00",
        "stages": [
            {"stage": "load", "sec": 1.0},
            {"stage": "forecast", "sec": 2.0},
            {"stage": "staffing", "sec": 0.5},
        ],
    }
    table, share = views.run_progress(run, now=dt.datetime(2026, 1, 1, 0, 0, 10, tzinfo=dt.UTC))
    assert share == pytest.approx(3 / 5)
    assert table.set_index("stage").loc["schedule", "seconds"] == pytest.approx(6.5)
    run = {
        **run,
        "status": "succeeded",
        "stage": None,
        "stages": [
            *run["stages"],
            {"stage": "schedule", "sec": 3, "status": "optimal", "gap": 0.01},
            {"stage": "save", "sec": 1, "version": 4},
        ],
    }
    table, share = views.run_progress(run)
    assert share == 1.0
    assert table["detail"].tolist()[3:] == ["optimal, gap 1.00%", "version 4"]


# --------------------------------------------------------------------------- data


def _history_lines(folder: Path, n: int = 20) -> list[str]:
    return (folder / "history.csv").read_text().splitlines()[:n]


def _with_offered(lines: list[str], line: int, value: str) -> bytes:
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index("offered")] = value
    out = [*lines[: line - 1], ",".join(cells), *lines[line:]]
    return ("\n".join(out) + "\n").encode()


def test_data_rejects_a_bad_history_file(ws_folder, tmp_path):
    ws = open_workspace(ws_folder)
    before, version = row_counts(ws), ws.data_version
    bad = _with_offered(_history_lines(ws_folder), 6, "-3")
    at = _page(tmp_path, DATA)
    assert at.file_uploader(key="data_upload").label == "CSV file"
    at.selectbox(key="data_kind").set_value("history")
    at.file_uploader(key="data_upload").set_value(("bad history.csv", bad, "text/csv"))
    at.button(key="data_import").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "bad history.csv" in errors[0] and "row 6" in errors[0]
    assert "column 'offered'" in errors[0] and "negative" in errors[0]
    assert not at.success
    ws = open_workspace(ws_folder)
    assert row_counts(ws) == before and ws.data_version == version


def test_data_imports_a_good_history_file(ws_folder, tmp_path):
    ws = open_workspace(ws_folder)
    before = row_counts(ws)
    good = _with_offered(_history_lines(ws_folder), 6, "7")
    at = _page(tmp_path, DATA)
    at.selectbox(key="data_kind").set_value("history")
    at.file_uploader(key="data_upload").set_value(("history week.csv", good, "text/csv"))
    at.button(key="data_import").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "history week.csv: 19 history rows: 0 new, 1 replaced, 18 unchanged"
    ]
    after = row_counts(open_workspace(ws_folder))
    assert after == {**before, "imports": before["imports"] + 1}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["history"] == f"{after['history']:,}" and metrics["imports"] == str(
        after["imports"]
    )
    assert _table(at, "file_name", "sha256")["file_name"].iloc[0] == "history week.csv"
    assert set(_table(at, "kind", "first", "last")["kind"]) == {"history", "actuals"}


def test_import_upload_function(ws_folder):
    ws = open_workspace(ws_folder)
    before = row_counts(ws)
    report, error = views.import_upload(ws, "agents", "team.csv", b"agent_id,name\nA1,x\n")
    assert report is None and error.startswith(
        "team.csv, row 1, column 'skills': missing required columns"
    )
    report, error = views.import_upload(ws, "history", "h.csv", b"\xff\xfe")
    assert report is None and error.startswith("h.csv, row 1: the file is UTF-16 text")
    assert row_counts(ws) == before
    text = (ws_folder / "agents.csv").read_bytes()
    report, error = views.import_upload(ws, "agents", "agents.csv", text)
    assert error is None and not report.changed and report.rows == 30


# --------------------------------------------------------------------------- agents


def _edit(at: AppTest, rows: dict) -> None:
    at.session_state["availability_editor"] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="save_availability").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_agents_page_shows_the_roster_per_agent(ws_folder, tmp_path):
    ws = open_workspace(ws_folder)
    version = select_version(ws, WEEK)
    at = _page(tmp_path, AGENTS)
    roster = _table(at, "paid hours", "shifts")
    assert len(roster) == 30
    assert roster["paid hours"].sum() == pytest.approx(version.paid_hours)
    assert ((roster["shifts"] + roster["days off"]) == 7).all()
    met, total = int(roster["preferences met"].sum()), int(roster["preferences"].sum())
    assert any(f"Preferences met: {met} of {total}" in t for t in _texts(at))
    # the solver's count of shifts off preference and preferred days off worked
    terms = version_summary(ws, version)["violations"]
    missed = sum(
        terms.get(k, {}).get("count", 0) for k in ("preferred_shifts", "preferred_days_off")
    )
    assert total - met == missed
    editor = at.data_editor(key="availability_editor")
    assert list(editor.value.columns) == list(views.AVAILABILITY_COLUMNS)


def test_agents_invalid_availability_changes_nothing(ws_folder, tmp_path):
    ws = open_workspace(ws_folder)
    before, counts = load_agents(ws), row_counts(ws)
    at = _page(tmp_path, AGENTS)
    _edit(at, {0: {"available_from": "25:00"}})
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "row 1" in errors[0] and "column 'available_from'" in errors[0]
    assert "A001" in errors[0] and "25:00" in errors[0]
    ws = open_workspace(ws_folder)
    assert load_agents(ws).equals(before) and row_counts(ws) == counts
    _edit(at, {2: {"min_hours_week": 50.0}})  # above max_hours_week
    assert any("row 3" in e.value and "min_hours_week" in e.value for e in at.error)
    assert load_agents(open_workspace(ws_folder)).equals(before)


def test_agents_valid_availability_is_stored(ws_folder, tmp_path):
    at = _page(tmp_path, AGENTS)
    _edit(
        at,
        {
            1: {
                "available_days": "Mon|Tue|Wed|Thu",
                "available_from": "08:00",
                "available_until": "18:30",
                "min_hours_week": 20.0,
                "max_hours_week": 32.0,
            }
        },
    )
    assert not at.error
    assert [s.value for s in at.success] == [
        "dashboard edit: 30 agents rows: 0 new, 1 replaced, 29 unchanged"
    ]
    agents = load_agents(open_workspace(ws_folder)).set_index("agent_id")
    a002 = agents.loc["A002"]
    assert a002["available_days"] == ("Mon", "Tue", "Wed", "Thu")
    assert (a002["available_from_min"], a002["available_until_min"]) == (480, 1110)
    assert (a002["min_hours_week"], a002["max_hours_week"]) == (20.0, 32.0)
    assert a002["skills"] == ("service",)
    assert agents.loc["A001", "available_from_min"] == 0  # the others are as they were
    editor = at.data_editor(key="availability_editor").value.set_index("agent_id")
    assert editor.loc["A002", "available_from"] == "08:00"


def test_availability_csv_round_trips(ws_folder):
    ws = open_workspace(ws_folder)
    agents = load_agents(ws)
    text = views.availability_csv(agents, views.availability_frame(agents))
    assert text == (ws_folder / "agents.csv").read_text()
    report, error = views.save_availability(ws, views.availability_frame(agents))
    assert error is None and not report.changed
