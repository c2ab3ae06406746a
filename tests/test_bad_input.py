"""Every command and input kind, broken the way a new user's file is: one case per defect.

Each case runs ``wfm.cli.main`` in-process on the real example files (the small demo centre,
its forecast, requirements, a schedule export and an agent-state log; tests/_bad_input_files.py)
with one defect written into them, and asserts: exit code 2, the message names the file, row
and column (the TOML line and key; the option), no traceback, and nothing the user had changed:
a pre-created ``out.csv`` stays byte for byte, no new file appears, and a workspace holds what
it held. Schedule cases fail at validation, before any solve.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests._bad_input_files import (
    Edit,
    add_column,
    append_field,
    build_files,
    cell,
    cells,
    drop_column,
    duplicate,
    header_only,
    latin1,
    rename_column,
    replace,
    replace_all,
    shift_offsets,
    then,
    utf16,
    without_shifts,
)
from wfm.cli import main

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
    folder), the edits that break the inputs, and what the message must say."""

    id: str
    command: str
    edits: dict[str, Edit] = field(default_factory=dict)
    expect: tuple[str, ...] = ()
    code: int = 2


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
    # ---------------------------------------------------------------- actuals (wfm report)
    C("actuals-week-without-schedule", REPORT,
      {"actuals": lambda _: FILES["history"].read_text()},
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
    C("schedule-work-without-queue", REPORT, {"schedule": cell(4, "queue", "")},
      ("schedule.csv", "row 4", "column 'queue'", "needs a queue")),
    C("schedule-other-time-zone", REPORT, {"schedule": shift_offsets("+00:00", "+02:00")},
      ("schedule.csv", "row 2", "column 'activity_start'", "another time zone")),
    C("schedule-latin1", REPORT, {"schedule": latin1(9, "agent_name", "Zoë Brontë")},
      ("schedule.csv", "row 9", "column 'agent_name'", "not UTF-8")),
    # ---------------------------------------------------------------- wfm.toml
    C("toml-syntax-error", STAFF, {"config": replace('name = "service"', 'name = "service')},
      ("wfm.toml", "row 9", "not valid TOML")),
    C("toml-unknown-key", STAFF, {"config": replace("service_level = 0.80", "servce_level = 0.80")},
      ("wfm.toml", "row 11", "column 'queues[0].servce_level'", "unknown key")),
    C("toml-unknown-section", STAFF, {"config": replace("[solver]", "[solvr]")},
      ("wfm.toml", "column 'solvr'", "unknown section")),
    C("toml-interval-7", STAFF,
      {"config": replace("interval_minutes = 15", "interval_minutes = 7")},
      ("wfm.toml", "row 5", "column 'site.interval_minutes'", "divide an hour")),
    C("toml-service-level-1.5", STAFF,
      {"config": replace("service_level = 0.80", "service_level = 1.5")},
      ("wfm.toml", "row 11", "column 'queues[0].service_level'", "(0, 1)")),
    C("toml-shrinkage-1.0", STAFF, {"config": replace("shrinkage = 0.30", "shrinkage = 1.0")},
      ("wfm.toml", "row 14", "column 'queues[0].shrinkage'", "[0, 1)")),
    C("toml-nan", STAFF, {"config": replace("max_occupancy = 0.85", "max_occupancy = nan")},
      ("wfm.toml", "row 13", "column 'queues[0].max_occupancy'", "finite number")),
    C("toml-inf-time-limit", PLAN,
      {"config": replace("time_limit_sec = 2", "time_limit_sec = inf")},
      ("wfm.toml", "column 'solver.time_limit_sec'", "finite number")),
    C("toml-shift-longer-than-a-day", PLAN,
      {"config": replace("length_hours = [8.5, 9.0]", "length_hours = [8.5, 25]")},
      ("wfm.toml", "row 73", "shifts[0].length_hours", "(0, 24]")),
    C("toml-empty-length-list", PLAN,
      {"config": replace("length_hours = [8.5, 9.0]", "length_hours = []")},
      ("wfm.toml", "row 73", "shifts[0].length_hours", "at least one length")),
    C("toml-no-shifts", PLAN, {"config": without_shifts},
      ("wfm.toml", "column 'shifts'", "at least one shift template")),
    C("toml-empty-shift-list", PLAN,
      {"config": lambda t: "shifts = []\n" + without_shifts(t)},
      ("wfm.toml", "column 'shifts'", "at least one shift template")),
    C("toml-wrong-type", STAFF,
      {"config": replace("interval_minutes = 15", 'interval_minutes = "15"')},
      ("wfm.toml", "row 5", "column 'site.interval_minutes'", "whole number")),
    C("toml-bad-time-zone", STAFF,
      {"config": replace('timezone = "Europe/London"', 'timezone = "London"')},
      ("wfm.toml", "row 4", "column 'site.timezone'", "unknown time zone")),
    C("toml-duplicate-queue", STAFF, {"config": replace('name = "sales"', 'name = "service"')},
      ("wfm.toml", "queues.name", "unique")),
    C("toml-break-after-shift-end", PLAN,
      {"config": replace("latest_after_min = 300 },", "latest_after_min = 600 },")},
      ("wfm.toml", "shifts[0].breaks", "break window ends after the shortest shift")),
    C("toml-latin1", STAFF,
      {"config": lambda t: t.replace("Demo Contact Centre", "Centre Montréal").encode("latin-1")},
      ("wfm.toml", "row 3", "column 'name'", "not UTF-8")),
    C("toml-bad-holiday-date", FORECAST,
      {"config": replace("date = 2026-08-31", 'date = "31/08/2026"')},
      ("wfm.toml", "calendar.holidays[0].date", "YYYY-MM-DD")),
    # ---------------------------------------------------------------- options
    C("option-horizon-days-0", FORECAST + " --horizon-days 0", {},
      ("--horizon-days", "1 to 56 days", "got 0")),
    C("option-start-not-a-date", FORECAST + " --start 23/11/2026", {},
      ("--start", "YYYY-MM-DD", "23/11/2026")),
    C("option-week-not-a-date", PLAN + " --week next-monday", {},
      ("--week", "YYYY-MM-DD", "next-monday")),
    C("option-missing-input", "staff --forecast {dir}/nope.csv --config {config} --out {out}", {},
      ("nope.csv", "file not found")),
    C("option-input-is-a-folder", "staff --forecast {dir} --config {config} --out {out}", {},
      ("expected a file, got a folder",)),
    C("option-out-in-missing-folder",
      "staff --forecast {forecast} --config {config} --out {nodir}", {},
      ("--out", "nowhere", "does not exist")),
    C("option-out-is-a-folder", "staff --forecast {forecast} --config {config} --out {dir}", {},
      ("--out", "is a folder")),
    C("option-coverage-out-in-missing-folder", PLAN + " --coverage-out {nodir}", {},
      ("--coverage-out", "does not exist")),
    C("option-summary-out-is-a-folder", PLAN + " --summary-out {dir}", {},
      ("--summary-out", "is a folder")),
    C("option-report-out-in-missing-folder", REPORT.replace("{out}", "{nodir}"), {},
      ("--out", "does not exist")),
    C("option-cost-per-hour-nan", REPORT + " --cost-per-hour nan", {},
      ("--cost-per-hour", "a number >= 0", "nan")),
    C("option-cost-per-hour-negative", REPORT + " --cost-per-hour -15", {},
      ("--cost-per-hour", ">= 0", "-15")),
    C("option-top-negative", REPORT + " --top -1", {}, ("--top", "whole number >= 0")),
    C("option-sl-definition-unknown", REPORT + " --sl-definition answred", {},
      ("--sl-definition", "invalid choice")),
    C("option-model-unknown", FORECAST.replace("seasonal_naive", "prophet"), {},
      ("--model", "invalid choice: 'prophet'")),
    C("option-erlang-percent-target", ERLANG.replace("0.8", "80"), {},
      ("--sl-target", "(0, 1)")),
    C("option-erlang-nan-calls", ERLANG.replace("100", "nan"), {}, ("--calls", "finite")),
    C("option-erlang-agents-not-a-number", ERLANG + " --agents ten", {},
      ("--agents", "invalid int value")),
    # ---------------------------------------------------------------- workspace commands
    C("import-agents-max-below-min", "import agents {agents} --workspace {ws}",
      {"agents": cell(3, "max_hours_week", "20")},
      ("agents.csv", "row 3", "column 'min_hours_week'", "above max_hours_week")),
    C("import-history-latin1", "import history {history} --workspace {ws}",
      {"history": then(add_column("note", ""), latin1(12, "note", "fermé"))},
      ("history.csv", "row 12", "column 'note'", "not UTF-8")),
    C("import-actuals-unknown-queue", "import actuals {actuals} --workspace {ws}",
      {"actuals": cell(2, "queue", "billing")},
      ("actuals.csv", "row 2", "column 'queue'", "not in the configuration")),
    C("import-states-unknown-state", "import agent-states {states} --workspace {ws}",
      {"states": cell(2, "state", "coffee")},
      ("states.csv", "row 2", "column 'state'", "unknown state 'coffee'")),
    C("import-missing-file", "import history {dir}/nope.csv --workspace {ws}", {},
      ("nope.csv", "file not found")),
    C("import-unknown-kind", "import forecasts {forecast} --workspace {ws}", {},
      ("invalid choice: 'forecasts'",)),
    C("import-no-workspace", "import history {history} --workspace {dir}", {},
      ("wfm.toml", "not a workspace")),
    C("init-bad-config", "init {dir}/new --config {config}",
      {"config": replace("shrinkage = 0.30", "shrinkage = 1.0")},
      ("wfm.toml", "row 14", "column 'queues[0].shrinkage'")),
    C("roster-time-limit-negative", "roster --week 2026-11-23 --time-limit-sec -1 --workspace {ws}",
      {}, ("--time-limit-sec", "> 0", "-1")),
    C("roster-time-limit-nan", "roster --week 2026-11-23 --time-limit-sec nan --workspace {ws}",
      {}, ("--time-limit-sec", "> 0", "nan")),
    C("roster-wait-negative", "roster --week 2026-11-23 --wait -5 --workspace {ws}", {},
      ("--wait", ">= 0")),
    C("roster-week-not-a-date", "roster --week 'next week' --workspace {ws}", {},
      ("--week", "'next' or a date")),
    C("publish-version-0", "publish --week 2026-11-23 --version 0 --workspace {ws}", {},
      ("--version", ">= 1")),
    C("publish-no-version", "publish --week 2026-11-23 --workspace {ws}", {},
      ("2026-11-23",)),
    C("export-out-is-a-folder", "export schedule --week 2026-11-23 --out {dir} --workspace {ws}",
      {}, ("--out", "is a folder")),
    C("export-out-in-missing-folder",
      "export coverage --week 2026-11-23 --out {nodir} --workspace {ws}", {},
      ("--out", "does not exist")),
    C("export-week-not-a-date", "export summary --week 2026-13-01 --out {out} --workspace {ws}",
      {}, ("--week", "2026-13-01")),
    C("status-runs-negative", "status --runs -2 --workspace {ws}", {}, ("--runs", ">= 0")),
    C("status-no-workspace", "status --workspace {dir}/none", {}, ("none", "not a workspace")),
    C("demo-time-limit-negative", "demo --out {dir}/demo --time-limit-sec -1", {},
      ("--time-limit-sec", "> 0")),
    C("demo-seed-negative", "demo --out {dir}/demo --files-only --seed -1", {},
      ("--seed", "whole number >= 0")),
    C("demo-size-unknown", "demo --out {dir}/demo --size huge", {}, ("--size", "invalid choice")),
    C("demo-out-is-a-file", "demo --out {out} --files-only", {}, ("out.csv", "cannot write")),
]
# fmt: on

FILES: dict[str, Path] = {}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The good inputs, written once (about 5 s)."""
    FILES.update(build_files(tmp_path_factory.mktemp("good")))
    return FILES


def _workspace_state(folder: Path) -> dict:
    from wfm.cli.status import status_data
    from wfm.store import open_workspace

    data = status_data(open_workspace(folder), runs=100)
    return {k: v for k, v in data.items() if k not in ("workspace", "database")}


def _prepare(case: Case, files: dict[str, Path], tmp: Path) -> tuple[list[str], Path | None]:
    """Write the case's inputs into ``tmp`` (edited where the case says) and build argv."""
    import shlex

    values = {"out": str(tmp / "out.csv"), "dir": str(tmp), "nodir": str(tmp / "nowhere" / "x.csv")}
    (tmp / "out.csv").write_bytes(SENTINEL)
    ws = None
    if "{ws}" in case.command:
        ws = tmp / "ws"
        shutil.copytree(files["ws"], ws)
        values["ws"] = str(ws)
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
    unused = set(case.edits) - set(values)
    assert not unused, f"edits of files the command does not read: {unused}"
    return shlex.split(case.command.format(**values)), ws


def _run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse: bad usage
        code = stop.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_fails_cleanly(case: Case, files, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    argv, ws = _prepare(case, files, tmp_path)
    listing = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    before = _workspace_state(ws) if ws is not None else None
    capsys.readouterr()

    code, err = _run(argv, capsys)

    assert "Traceback" not in err
    assert code == case.code, err
    message = err.strip().splitlines()[-1] if err.strip() else ""
    for words in case.expect:
        assert words in message, f"{words!r} not in {message!r}"
    assert (tmp_path / "out.csv").read_bytes() == SENTINEL
    if ws is not None:
        assert _workspace_state(ws) == before
        listing = [p for p in listing if p.parts[0] != "ws"]
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    after = [p for p in after if p.parts[0] != "ws"]
    assert after == listing, "a file was written or removed"


def test_there_is_a_case_per_defect():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 70


@pytest.mark.parametrize(
    ("command", "out_name"),
    [(FORECAST, "out.csv"), (STAFF, "out.csv"), (REPORT, "out.csv"), (STATES, "out.csv")],
    ids=["forecast", "staff", "report", "report-agent-states"],
)
def test_the_good_files_pass(command, out_name, files, tmp_path, capsys, monkeypatch):
    """The control: the unedited inputs of the cases run to the end (exit 0, output written)."""
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    argv, _ = _prepare(Case("good", command), files, tmp_path)
    code, err = _run(argv, capsys)
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
        "schedule": lambda p: read_schedule(p, tz, queues=config.queue_names, site_offsets=True),
        "states": lambda p: read_agent_states(p, tz),
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


def test_staffing_with_shrinkage_just_below_one(files, tmp_path, capsys):
    """shrinkage 0.99 is legal: gross = net / 0.01."""
    text = files["config"].read_text().replace("shrinkage = 0.30", "shrinkage = 0.99", 1)
    config = tmp_path / "wfm.toml"
    config.write_text(text)
    out = tmp_path / "req.csv"
    argv = ["staff", "--forecast", str(files["forecast"]), "--config", str(config),
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    import pandas as pd

    frame = pd.read_csv(out)
    service = frame[(frame["queue"] == "service") & (frame["agents_net"] > 0)]
    assert len(service)
    ratio = service["agents_gross"] / service["agents_net"]
    assert ratio.round(6).eq(100.0).all()
    assert json.dumps(list(ratio.head(1)))  # plain floats
