"""Every input file kind broken the way a new user's file is: one case per defect.

Each case runs ``wfm.cli.main`` in-process on the real example files (the small demo centre,
its forecast and requirements, a schedule export and an agent-state log; tests/_bad_input.py)
with one defect written into them, and asserts: exit code 2, the message names the file, row
and column, no traceback, and nothing the user had changed (a pre-created ``out.csv`` byte for
byte, no new file). Schedule cases fail at validation, before any solve. The configuration,
options and workspace commands: tests/test_bad_input_config.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests._bad_input import (
    FORECAST,
    PLAN,
    REPORT,
    ROSTER,
    SENTINEL,
    STAFF,
    STATES,
    Case,
    add_column,
    append_field,
    cell,
    cells,
    check_fails_cleanly,
    drop_column,
    duplicate,
    files,
    header_only,
    latin1,
    prepare,
    rename_column,
    replace_all,
    run,
    shift_offsets,
    then,
    utf16,
)
from wfm.cli import main
from wfm.errors import InputError

__all__ = ["files"]  # the fixture, imported

C = Case
# fmt: off
CASES = [
    # ---------------------------------------------------------------- history (wfm forecast)
    C("history-missing-column", FORECAST, {"history": drop_column("offered")},
      ("history.csv", "row 1", "column 'offered'", "missing required column")),
    C("history-negative-offered", FORECAST, {"history": cell(5, "offered", "-3")},
      ("history.csv", "row 5", "column 'offered'", "must not be negative")),
    C("history-nan-offered", FORECAST, {"history": cell(6, "offered", "nan")},
      ("history.csv", "row 6", "column 'offered'", "expected a number, got 'nan'")),
    C("history-inf-answered", FORECAST, {"history": cell(7, "answered", "inf")},
      ("history.csv", "row 7", "column 'answered'", "expected a number, got 'inf'")),
    C("history-text-count", FORECAST, {"history": cell(8, "abandoned", "a few")},
      ("history.csv", "row 8", "column 'abandoned'", "expected a number")),
    C("history-answered-above-offered", FORECAST, {"history": cell(2, "answered", "5")},
      ("history.csv", "row 2", "column 'answered'", "greater than offered")),
    C("history-duplicate-row", FORECAST, {"history": duplicate(3)},
      ("history.csv", "row 4", "column 'interval_start'", "duplicate interval", "row 3")),
    C("history-off-grid", FORECAST,
      {"history": cell(3, "interval_start", "2026-10-19T00:20:00+01:00")},
      ("history.csv", "row 3", "column 'interval_start'", "15-minute grid")),
    C("history-spring-forward", FORECAST,
      {"history": cell(2, "interval_start", "2026-03-29 01:30")},
      ("history.csv", "row 2", "column 'interval_start'", "does not exist in Europe/London")),
    C("history-unreadable-time", FORECAST, {"history": cell(4, "interval_start", "yesterday")},
      ("history.csv", "row 4", "column 'interval_start'", "ISO 8601")),
    C("history-impossible-date", FORECAST,
      {"history": cell(4, "interval_start", "2026-02-30 09:00")},
      ("history.csv", "row 4", "column 'interval_start'", "not a valid date")),
    C("history-unknown-queue", FORECAST, {"history": cell(9, "queue", "billing")},
      ("history.csv", "row 9", "column 'queue'", "'billing' is not in the configuration")),
    C("history-unknown-channel", FORECAST, {"history": cell(9, "channel", "fax")},
      ("history.csv", "row 9", "column 'channel'", "unknown channel 'fax'")),
    C("history-channel-of-another-queue", FORECAST, {"history": cell(9, "channel", "email")},
      ("history.csv", "row 9", "column 'channel'", "chat in the configuration but email")),
    C("history-interval-minutes-differs", FORECAST, {"history": cell(5, "interval_minutes", "30")},
      ("history.csv", "row 5", "column 'interval_minutes'", "the site's 15")),
    C("history-zero-handle-time", FORECAST,
      {"history": cells(2, offered="4", answered="4", handle_time_total_sec="0")},
      ("history.csv", "row 2", "column 'handle_time_total_sec'", "handle time is zero")),
    C("history-extra-field", FORECAST, {"history": append_field(6, "oops")},
      ("history.csv", "row 6", "13 fields but the header has 12")),
    C("history-column-twice", FORECAST, {"history": rename_column("answered", "queue")},
      ("history.csv", "row 1", "column 'queue'", "appears twice")),
    C("history-header-only", FORECAST, {"history": header_only},
      ("history.csv", "row 2", "no data rows")),
    C("history-latin1", FORECAST,
      {"history": then(add_column("note", ""), latin1(11, "note", "café closed"))},
      ("history.csv", "row 11", "column 'note'", "not UTF-8", "Latin-1")),
    C("history-utf16", FORECAST, {"history": utf16},
      ("history.csv", "row 1", "UTF-16", "CSV UTF-8")),
    C("history-empty-queue", FORECAST, {"history": cell(10, "queue", "")},
      ("history.csv", "row 10", "column 'queue'", "queue name is empty")),
    # ---------------------------------------------------------------- actuals (wfm report)
    C("actuals-week-without-schedule", REPORT,
      {"actuals": replace_all("2026-11-2", "2026-11-0")},
      ("actuals.csv", "row 2", "column 'interval_start'", "no interval falls in the schedule",
       "another week")),
    C("actuals-unknown-queue", REPORT, {"actuals": cell(3, "queue", "Billing")},
      ("actuals.csv", "row 3", "column 'queue'", "'Billing' is not in the configuration")),
    C("actuals-negative-staffed", REPORT, {"actuals": cell(4, "staffed_agents", "-1")},
      ("actuals.csv", "row 4", "column 'staffed_agents'", "must not be negative")),
    C("actuals-missing-column", REPORT, {"actuals": drop_column("queue")},
      ("actuals.csv", "row 1", "column 'queue'", "missing required column")),
    C("actuals-latin1", REPORT,
      {"actuals": then(add_column("supervisor", ""), latin1(5, "supervisor", "Zoë"))},
      ("actuals.csv", "row 5", "column 'supervisor'", "not UTF-8")),
    C("actuals-within-above-answered", REPORT,
      {"actuals": cells(2, offered="5", answered="3", answered_within_threshold="4")},
      ("actuals.csv", "row 2", "column 'answered_within_threshold'", "greater than answered")),
    # ---------------------------------------------------------------- agent states (wfm report)
    C("states-unknown-state", STATES, {"states": cell(3, "state", "snoozing")},
      ("states.csv", "row 3", "column 'state'", "unknown state 'snoozing'")),
    C("states-end-before-start", STATES, {"states": cell(2, "end", "2026-11-23T07:00:00+00:00")},
      ("states.csv", "row 2", "column 'end'", "ends before it starts")),
    C("states-missing-column", STATES, {"states": drop_column("end")},
      ("states.csv", "row 1", "column 'end'", "missing column")),
    C("states-spring-forward", STATES, {"states": cell(4, "start", "2026-03-29 01:30")},
      ("states.csv", "row 4", "column 'start'", "does not exist")),
    C("states-latin1", STATES, {"states": latin1(5, "agent_id", "Chloé")},
      ("states.csv", "row 5", "column 'agent_id'", "not UTF-8")),
    C("states-empty-end", STATES, {"states": cell(6, "end", "")},
      ("states.csv", "row 6", "column 'end'", "not an ISO 8601 time")),
    C("states-unknown-queue", STATES, {"states": cell(2, "queue", "billing")},
      ("states.csv", "row 2", "column 'queue'", "queue 'billing' is not in the configuration")),
    # ---------------------------------------------------------------- forecast (wfm staff)
    C("forecast-missing-column", STAFF, {"forecast": drop_column("aht_sec")},
      ("forecast.csv", "row 1", "column 'aht_sec'", "missing required column")),
    C("forecast-negative-offered", STAFF, {"forecast": cells(3, offered="-2", offered_lo="-2")},
      ("forecast.csv", "row 3", "column 'offered'", "must not be negative")),
    C("forecast-inf-aht", STAFF, {"forecast": cell(4, "aht_sec", "inf")},
      ("forecast.csv", "row 4", "column 'aht_sec'", "expected a number")),
    C("forecast-zero-aht", STAFF,
      {"forecast": cells(2, offered="5", aht_sec="0", offered_lo="4", offered_hi="6")},
      ("forecast.csv", "row 2", "column 'aht_sec'", "AHT is zero with 5 contacts")),
    C("forecast-unknown-queue", STAFF, {"forecast": cell(2, "queue", "retention")},
      ("forecast.csv", "row 2", "column 'queue'", "'retention' is not in the configuration")),
    C("forecast-other-time-zone", STAFF, {"forecast": shift_offsets("+00:00", "+01:00")},
      ("forecast.csv", "row 2", "column 'interval_start'", "+01:00", "Europe/London is at +00:00",
       "another time zone")),
    C("forecast-band-inverted", STAFF, {"forecast": cells(2, offered_lo="3", offered_hi="1")},
      ("forecast.csv", "row 2", "column 'offered_lo'", "above offered_hi")),
    C("forecast-off-grid", STAFF,
      {"forecast": cell(2, "interval_start", "2026-11-23T00:05:00+00:00")},
      ("forecast.csv", "row 2", "column 'interval_start'", "15-minute grid")),
    C("forecast-latin1", STAFF, {"forecast": latin1(6, "model", "saisonnière")},
      ("forecast.csv", "row 6", "column 'model'", "not UTF-8")),
    C("forecast-no-queues-configured", STAFF,
      {"config": lambda _: '[site]\ntimezone = "Europe/London"\n'},
      ("forecast.csv", "row 2", "column 'queue'", "it has no [[queues]]")),
    C("forecast-channel-of-another-queue", STAFF, {"forecast": cell(2, "channel", "voice")},
      ("forecast.csv", "row 2", "column 'channel'", "chat in the configuration but voice")),
    # ---------------------------------------------------------------- requirements (wfm schedule)
    C("requirements-other-site-time-zone", PLAN,
      {"requirements": shift_offsets("+00:00", "-05:00")},
      ("requirements.csv", "row 2", "column 'interval_start'", "-05:00", "another time zone")),
    C("requirements-negative-agents", PLAN, {"requirements": cell(5, "agents_net", "-1")},
      ("requirements.csv", "row 5", "column 'agents_net'", "must not be negative")),
    C("requirements-gross-below-net", PLAN,
      {"requirements": cells(2, agents_net="3", agents_gross="2")},
      ("requirements.csv", "row 2", "column 'agents_gross'", "below agents_net")),
    C("requirements-service-level-above-1", PLAN,
      {"requirements": cell(3, "expected_service_level", "80")},
      ("requirements.csv", "row 3", "column 'expected_service_level'", "[0, 1]")),
    C("requirements-duplicate-row", PLAN, {"requirements": duplicate(2)},
      ("requirements.csv", "row 3", "duplicate interval", "row 2")),
    C("requirements-missing-column", PLAN, {"requirements": drop_column("agents_gross")},
      ("requirements.csv", "row 1", "column 'agents_gross'", "missing required column")),
    C("requirements-nan-workload", PLAN, {"requirements": cell(7, "workload_erl", "NaN")},
      ("requirements.csv", "row 7", "column 'workload_erl'", "expected a number")),
    C("requirements-spring-forward", PLAN,
      {"requirements": cell(2, "interval_start", "2027-03-28 01:15")},
      ("requirements.csv", "row 2", "column 'interval_start'", "does not exist")),
    C("requirements-latin1", PLAN, {"requirements": latin1(4, "channel", "vóice")},
      ("requirements.csv", "row 4", "column 'channel'", "not UTF-8")),
    C("requirements-week-not-covered", PLAN + " --week 2027-01-04", {},
      ("requirements.csv", "column 'interval_start'", "--week 2027-01-04", "no interval")),
    C("requirements-interval-minutes-30", PLAN, {"requirements": cell(4, "interval_minutes", "30")},
      ("requirements.csv", "row 4", "column 'interval_minutes'", "the site's 15")),
    # ------------------------------------------------------------ agents (wfm schedule --agents)
    C("agents-max-below-min", ROSTER, {"agents": cell(3, "max_hours_week", "20")},
      ("agents.csv", "row 3", "column 'min_hours_week'", "(35) is above max_hours_week (20)")),
    C("agents-skill-naming-no-queue", ROSTER, {"agents": cell(2, "skills", "billing")},
      ("agents.csv", "row 2", "column 'skills'", "'billing' is not a configured queue")),
    C("agents-empty-skills", ROSTER, {"agents": cell(4, "skills", "|")},
      ("agents.csv", "row 4", "column 'skills'", "skills is empty")),
    C("agents-no-availability", ROSTER,
      {"agents": cells(4, available_from="09:00", available_until="10:00")},
      ("agents.csv", "row 4", "column 'available_until'", "can work no shift",
       "between 09:00 and 10:00")),
    C("agents-no-day-with-a-shift", ROSTER,
      {"agents": cell(2, "available_days", "Sun"),
       "config": replace_all("[[shifts]]", '[[shifts]]\ndays = ["Mon", "Tue"]')},
      ("agents.csv", "row 2", "column 'available_days'", "no shift template runs on Sun")),
    C("agents-max-hours-below-any-shift", ROSTER,
      {"agents": cells(3, min_hours_week="0", max_hours_week="2")},
      ("agents.csv", "row 3", "column 'max_hours_week'", "below the shortest shift")),
    C("agents-duplicate-id", ROSTER, {"agents": cell(3, "agent_id", "A001")},
      ("agents.csv", "row 3", "column 'agent_id'", "already on row 2")),
    C("agents-negative-cost", ROSTER, {"agents": cell(2, "cost_per_hour", "-14.5")},
      ("agents.csv", "row 2", "column 'cost_per_hour'", "must not be negative")),
    C("agents-nan-hours", ROSTER, {"agents": cell(2, "max_hours_week", "nan")},
      ("agents.csv", "row 2", "column 'max_hours_week'", "expected a number")),
    C("agents-bad-clock", ROSTER, {"agents": cell(2, "available_from", "9am")},
      ("agents.csv", "row 2", "column 'available_from'", "HH:MM")),
    C("agents-unknown-day", ROSTER, {"agents": cell(2, "available_days", "Mon|Tues")},
      ("agents.csv", "row 2", "column 'available_days'", "unknown day 'Tues'")),
    C("agents-more-than-a-week", ROSTER, {"agents": cell(2, "max_hours_week", "170")},
      ("agents.csv", "row 2", "column 'max_hours_week'", "168 hours")),
    C("agents-unknown-preferred-shift", ROSTER, {"agents": cell(2, "preferred_shifts", "night")},
      ("agents.csv", "row 2", "column 'preferred_shifts'", "'night' is not a shift template")),
    C("agents-missing-column", ROSTER, {"agents": drop_column("max_hours_week")},
      ("agents.csv", "row 1", "column 'max_hours_week'", "missing required column")),
    C("agents-latin1", ROSTER, {"agents": latin1(2, "name", "Zoë Brontë")},
      ("agents.csv", "row 2", "column 'name'", "not UTF-8")),
    C("agents-star-and-queues", ROSTER, {"agents": cell(5, "skills", "*|chat")},
      ("agents.csv", "row 5", "column 'skills'", "cannot be combined")),
    # ---------------------------------------------------------------- schedule export (wfm report)
    C("schedule-overlapping-shifts", REPORT,
      {"schedule": cells(7, shift_start="2026-11-23T15:00:00+00:00",
                         shift_end="2026-11-23T23:30:00+00:00",
                         activity_start="2026-11-23T15:00:00+00:00",
                         activity_end="2026-11-23T17:00:00+00:00")},
      ("schedule.csv", "row 7", "column 'activity_start'", "two places at once", "row 6")),
    C("schedule-break-outside-shift", REPORT,
      {"schedule": cells(3, activity_start="2026-11-23T17:00:00+00:00",
                         activity_end="2026-11-23T17:15:00+00:00")},
      ("schedule.csv", "row 3", "column 'activity_end'", "break segment", "outside its shift")),
    C("schedule-duplicate-row", REPORT, {"schedule": duplicate(2)},
      ("schedule.csv", "row 3", "column 'activity_start'", "twice")),
    C("schedule-end-before-start", REPORT,
      {"schedule": cell(4, "activity_end", "2026-11-23T09:00:00+00:00")},
      ("schedule.csv", "row 4", "column 'activity_end'", "ends before it starts")),
    C("schedule-missing-column", REPORT, {"schedule": drop_column("paid")},
      ("schedule.csv", "row 1", "column 'paid'", "missing column")),
    C("schedule-bad-paid", REPORT, {"schedule": cell(5, "paid", "maybe")},
      ("schedule.csv", "row 5", "column 'paid'", "true or false")),
    C("schedule-share-above-1", REPORT, {"schedule": cell(2, "share", "1.5")},
      ("schedule.csv", "row 2", "column 'share'", "0 to 1")),
    C("schedule-unknown-queue", REPORT, {"schedule": cell(2, "queue", "billing")},
      ("schedule.csv", "row 2", "column 'queue'", "'billing' is not in the configuration")),
    C("schedule-unknown-activity", REPORT, {"schedule": cell(3, "activity", "Brek")},
      ("schedule.csv", "row 3", "column 'activity'", "'Brek' is not one of the configuration's")),
    C("schedule-work-without-queue", REPORT, {"schedule": cell(4, "queue", "")},
      ("schedule.csv", "row 4", "column 'queue'", "needs a queue")),
    C("schedule-other-time-zone", REPORT, {"schedule": shift_offsets("+00:00", "+02:00")},
      ("schedule.csv", "row 2", "column 'activity_start'", "another time zone")),
    C("schedule-latin1", REPORT, {"schedule": latin1(9, "agent_name", "Zoë Brontë")},
      ("schedule.csv", "row 9", "column 'agent_name'", "not UTF-8")),
    C("schedule-shift-ends-before-start", REPORT,
      {"schedule": cell(2, "shift_end", "2026-11-23T07:00:00+00:00")},
      ("schedule.csv", "row 2", "column 'shift_end'", "the shift ends before it starts")),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_fails_cleanly(case: Case, files, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    check_fails_cleanly(case, files, tmp_path, capsys)


@pytest.mark.parametrize(
    ("command", "out_name"),
    [(FORECAST, "out.csv"), (STAFF, "out.csv"), (REPORT, "out.csv"), (STATES, "out.csv")],
    ids=["forecast", "staff", "report", "report-agent-states"],
)
def test_the_good_files_pass(command, out_name, files, tmp_path, capsys, monkeypatch):
    """The control: the unedited inputs of the cases run to the end (exit 0, output written)."""
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    argv, _ = prepare(Case("good", command), files, tmp_path)
    code, err = run(argv, capsys)
    assert code == 0, err
    assert (tmp_path / out_name).read_bytes() != SENTINEL


def test_good_planning_files_and_agents_read(files):
    """The unedited requirements, agents and schedule read with the configuration (the
    schedule cases would otherwise fail for the wrong reason)."""
    from wfm.io import read_agents, read_config, read_requirements, read_schedule

    config = read_config(files["config"])
    assert len(read_requirements(files["requirements"], config).frame)
    assert len(read_agents(files["agents"], config).frame) == 30
    schedule = read_schedule(
        files["schedule"], config.site.timezone, queues=config.queue_names, site_offsets=True
    )
    assert set(schedule["activity"]) == {"work", "break", "lunch", "off"}


def test_legal_edge_values_are_accepted(files, tmp_path):
    """Values at the edge of a rule are legal: shrinkage 0.99, a UTF-8 BOM in every file
    kind, history in UTC for a London site, an unlimited understaff_tolerance."""
    from wfm.io import (
        read_actuals,
        read_agent_states,
        read_agents,
        read_config,
        read_forecast,
        read_history,
        read_requirements,
        read_schedule,
    )

    text = files["config"].read_text()
    edge = text.replace("shrinkage = 0.30", "shrinkage = 0.99", 1).replace(
        "[rules]", "[rules]\nunderstaff_tolerance = inf", 1
    )
    (tmp_path / "wfm.toml").write_text("\ufeff" + edge, encoding="utf-8")
    config = read_config(tmp_path / "wfm.toml")
    assert config.queues[0].shrinkage == 0.99
    assert config.rules.understaff_tolerance == float("inf")
    tz = config.site.timezone
    readers = {
        "history": lambda p: read_history(p, config),
        "actuals": lambda p: read_actuals(p, config),
        "agents": lambda p: read_agents(p, config),
        "forecast": lambda p: read_forecast(p, config),
        "requirements": lambda p: read_requirements(p, config),
        "schedule": lambda p: read_schedule(
            p, tz, queues=config.queue_names, activities=config.activity_names, site_offsets=True
        ),
        "states": lambda p: read_agent_states(p, tz, queues=config.queue_names),
    }
    for kind, read in readers.items():
        path = tmp_path / files[kind].name
        path.write_text("\ufeff" + files[kind].read_text(), encoding="utf-8")
        read(path)
    utc = tmp_path / "history_utc.csv"
    history = read_history(files["history"], config).frame
    as_utc = history.assign(interval_start=history["interval_start"].dt.tz_convert("UTC"))
    from wfm.io import write_history

    write_history(as_utc, utc)
    assert read_history(utc, config).frame["interval_start"].equals(history["interval_start"])


@pytest.mark.parametrize(
    "case_id", ["agents-latin1", "schedule-overlapping-shifts", "option-out-in-missing-folder"]
)
def test_through_the_console_script(case_id, files, tmp_path):
    """The in-process cases hold for ``python -m wfm`` too: exit 2, one line, no traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.test_bad_input_config import CASES as CONFIG_CASES

    case = next(c for c in (*CASES, *CONFIG_CASES) if c.id == case_id)
    argv, _ = prepare(case, files, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("WFM_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "wfm", *argv], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert all(words in done.stderr for words in case.expect)
    assert (tmp_path / "out.csv").read_bytes() == SENTINEL


def test_agents_fitting_only_some_shifts_are_legal():
    """The can-work rule is the roster's: an agent without a daily window fits a shift past
    midnight; one with a window fits a shift inside it; a day a single template runs on is
    enough."""
    from wfm.config import ShiftTemplate
    from wfm.parse import parse_agents

    night = ShiftTemplate("night", "22:00", "22:00", (8.0,), days=("Sun",))
    header = "agent_id,name,skills,team,min_hours_week,max_hours_week,cost_per_hour"
    rows = ["A1,Ann,*,T,0,40,10", "A2,Bob,*,T,8,8,10"]
    frame, _ = parse_agents("\n".join([header, *rows]), "agents.csv", shifts=(night,))
    assert len(frame) == 2
    text = "\n".join([header + ",available_days,available_from,available_until",
                      "A1,Ann,*,T,0,40,10,Sun,21:00,23:59"])  # fmt: skip
    with pytest.raises(InputError, match="row 2, column 'available_until'"):
        parse_agents(text, "agents.csv", shifts=(night,))


def test_staffing_with_shrinkage_just_below_one(files, tmp_path, capsys):
    """shrinkage 0.99 is legal: gross = net / 0.01."""
    text = files["config"].read_text().replace("shrinkage = 0.30", "shrinkage = 0.99", 1)
    config = tmp_path / "wfm.toml"
    config.write_text(text)
    out = tmp_path / "req.csv"
    argv = ["staff", "--forecast", str(files["forecast"]), "--config", str(config),
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0

    frame = pd.read_csv(out)
    service = frame[(frame["queue"] == "service") & (frame["agents_net"] > 0)]
    assert len(service)
    ratio = service["agents_gross"] / service["agents_net"]
    assert ratio.round(6).eq(100.0).all()
