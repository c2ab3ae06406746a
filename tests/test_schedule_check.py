"""The independent hard-rule check of a schedule export (:mod:`wfm.check`).

It passes on what the solvers really produce (the small demo centre's roster and shift plan) and
fails, naming agent, day and rule, on a hand-made roster corrupted one rule at a time; a
schedule that fails it never reaches ``wfm schedule --out`` or a stored version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

from wfm.axis import DAY_NAMES
from wfm.check import ROSTER_RULES, SHIFT_PLAN_RULES, check_schedule
from wfm.cli import main
from wfm.config import BreakRule, Config, Queue, Rules, ShiftTemplate, Site
from wfm.parse import AGENTS_FRAME_COLUMNS

WEEK = dt.date(2024, 1, 1)  # a Monday; UTC, no clock change
TZ = "UTC"
LUNCH = BreakRule(30, paid=False, earliest_after_min=180, latest_after_min=300)
TEMPLATE = ShiftTemplate(
    name="day",
    earliest_start="06:00",
    latest_start="14:00",
    length_hours=(8.0,),
    start_step_min=60,
    breaks=(LUNCH,),
)


def config(**rules) -> Config:
    return Config(
        site=Site(name="t", timezone=TZ, interval_minutes=15),
        queues=(Queue("service", "voice"), Queue("sales", "voice")),
        shifts=(TEMPLATE,),
        rules=Rules(**rules),
    )


def agents(**kw) -> pd.DataFrame:
    row = {
        "agent_id": "A1",
        "name": "Ann",
        "skills": ("service",),
        "team": "T",
        "min_hours_week": kw.pop("min_hours", 30.0),
        "max_hours_week": kw.pop("max_hours", 40.0),
        "cost_per_hour": 10.0,
        "available_days": tuple(kw.pop("days", DAY_NAMES)),
        "available_from_min": kw.pop("from_min", 0),
        "available_until_min": kw.pop("until_min", 1440),
        "preferred_shifts": (),
        "preferred_days_off": (),
        "contract": "full-time",
    }
    assert not kw
    return pd.DataFrame([row], columns=list(AGENTS_FRAME_COLUMNS))


def ts(day: int, minutes: float) -> pd.Timestamp:
    return pd.Timestamp(WEEK).tz_localize(TZ) + pd.Timedelta(days=day, minutes=minutes)


def shift_rows(day: int, start_h: float, lunch_after_min: float = 240, agent: str = "A1"):
    """One 8-hour shift: work, a 30-min unpaid lunch ``lunch_after_min`` after the start, work."""
    s, e = ts(day, start_h * 60), ts(day, start_h * 60 + 480)
    lunch = s + pd.Timedelta(minutes=lunch_after_min)
    base = {
        "agent_id": agent,
        "agent_name": "Ann",
        "team": "T",
        "date": (WEEK + dt.timedelta(days=day)).isoformat(),
        "shift_start": s,
        "shift_end": e,
    }
    pieces = [
        ("work", s, lunch, True, "service", 1.0),
        ("lunch", lunch, lunch + pd.Timedelta(minutes=30), False, None, 0.0),
        ("work", lunch + pd.Timedelta(minutes=30), e, True, "service", 1.0),
    ]
    return [
        {
            **base,
            "activity": a,
            "activity_start": b,
            "activity_end": f,
            "paid": p,
            "queue": q,
            "share": sh,
        }
        for a, b, f, p, q, sh in pieces
    ]


def off_row(day: int, agent: str = "A1") -> dict:
    return {
        "agent_id": agent,
        "agent_name": "Ann",
        "team": "T",
        "date": (WEEK + dt.timedelta(days=day)).isoformat(),
        "shift_start": pd.NaT,
        "shift_end": pd.NaT,
        "activity": "off",
        "activity_start": ts(day, 0),
        "activity_end": ts(day + 1, 0),
        "paid": False,
        "queue": None,
        "share": 0.0,
    }


def roster(shifts: dict[int, float], lunch: dict[int, float] | None = None) -> pd.DataFrame:
    """Agent A1 working ``{day: start hour}``, off on the other days of the week."""
    rows = []
    for day in range(7):
        if day in shifts:
            rows += shift_rows(day, shifts[day], (lunch or {}).get(day, 240))
        else:
            rows.append(off_row(day))
    return pd.DataFrame(rows)


WEEKDAYS = {d: 9 for d in range(5)}  # Mon-Fri 09:00-17:00, 37.5 paid hours


def found(frame, cfg=None, agent_frame=None) -> list:
    result = check_schedule(
        frame, cfg or config(), agents() if agent_frame is None else agent_frame
    )
    return list(result.violations)


def rules_of(violations) -> set[str]:
    return {v.rule for v in violations}


def test_a_valid_roster_passes_every_rule():
    result = check_schedule(roster(WEEKDAYS), config(), agents(), week_start=WEEK)
    assert result.ok, result.describe()
    assert result.rules_checked == ROSTER_RULES
    assert result.as_dict() == {"ok": True, "rules_checked": list(ROSTER_RULES), "violations": []}


def test_shift_template_start_off_the_templates_window():
    frame = roster(WEEKDAYS)
    moved = frame["date"] == "2024-01-01"
    for c in ("shift_start", "shift_end", "activity_start", "activity_end"):
        frame.loc[moved & (frame["activity"] != "off"), c] += pd.Timedelta(minutes=7)
    (v,) = found(frame)
    assert (v.rule, v.agent_id, v.date) == ("shift_template", "A1", "2024-01-01")
    assert "no shift template starts at 09:07 on Mon for 8 h" in v.message
    assert str(v).startswith("agent A1 on 2024-01-01: shift_template:")


def test_breaks_lunch_outside_its_window():
    (v,) = found(roster(WEEKDAYS, lunch={2: 60}))
    assert (v.rule, v.date) == ("breaks", "2024-01-03")
    assert "lunch starts 60 min after the shift start (10:00)" in v.message
    assert "window of 180-300 min" in v.message


def test_breaks_missing_lunch():
    frame = roster(WEEKDAYS)
    frame = frame[~((frame["date"] == "2024-01-02") & (frame["activity"] == "lunch"))]
    violations = found(frame, agent_frame=agents(max_hours=40))
    assert ("breaks", "2024-01-02") in {(v.rule, v.date) for v in violations}
    assert any("the shift has no lunch" in v.message for v in violations)


def test_activities_overlap():
    frame = roster(WEEKDAYS)
    extra = frame[(frame["date"] == "2024-01-04") & (frame["activity"] == "lunch")].copy()
    extra[["activity", "paid", "queue", "share"]] = ["work", True, "service", 1.0]
    violations = found(pd.concat([frame, extra], ignore_index=True))
    assert rules_of(violations) == {"activities"}
    assert violations[0].date == "2024-01-04"
    assert "overlapping activities at 13:00" in violations[0].message


def test_skills_work_on_a_queue_the_agent_lacks():
    frame = roster(WEEKDAYS)
    first = frame.index[(frame["date"] == "2024-01-05") & (frame["activity"] == "work")][0]
    frame.loc[first, "queue"] = "sales"
    (v,) = found(frame)
    assert (v.rule, v.date) == ("skills", "2024-01-05")
    assert "works on 'sales', not one of the skills service" in v.message


def test_one_shift_a_day_shift_on_a_day_off():
    frame = pd.concat([roster(WEEKDAYS), pd.DataFrame([off_row(1)])], ignore_index=True)
    (v,) = found(frame)
    assert (v.rule, v.date) == ("one_shift_a_day", "2024-01-02")
    assert "a shift and a day off" in v.message


def test_one_shift_a_day_two_shifts():
    frame = pd.concat([roster(WEEKDAYS), pd.DataFrame(shift_rows(0, 6))], ignore_index=True)
    violations = found(frame, agent_frame=agents(max_hours=60))
    assert ("one_shift_a_day", "2024-01-01") in {(v.rule, v.date) for v in violations}


def test_known_agent():
    frame = roster(WEEKDAYS)
    frame["agent_id"] = "Z9"
    violations = found(frame)
    assert ("known_agent", "Z9") in {(v.rule, v.agent_id) for v in violations}


def test_availability_day_and_hours():
    (v,) = found(roster(WEEKDAYS), agent_frame=agents(days=DAY_NAMES[:4]))
    assert (v.rule, v.date) == ("availability", "2024-01-05")
    assert "not available on Fri" in v.message
    violations = found(roster(WEEKDAYS), agent_frame=agents(until_min=16 * 60))
    assert rules_of(violations) == {"availability"} and len(violations) == 5
    assert "outside the available hours 00:00-16:00" in violations[0].message


def test_availability_without_a_window_allows_a_night_shift():
    night = ShiftTemplate("night", "22:00", "22:00", (8.0,), breaks=(LUNCH,))
    cfg = dataclasses.replace(config(), shifts=(TEMPLATE, night))
    frame = roster({0: 22, 2: 9, 3: 9, 4: 9})
    assert found(frame, cfg, agents(min_hours=0)) == []
    (v, *_) = found(frame, cfg, agents(min_hours=0, until_min=23 * 60))
    assert (v.rule, v.date) == ("availability", "2024-01-01")


def test_weekly_hours_max_and_min():
    (v,) = found(roster(WEEKDAYS), agent_frame=agents(max_hours=30))
    assert (v.rule, v.agent_id) == ("weekly_hours", "A1")
    assert "37.5 paid hours, outside 30-30 (min/max_hours_week)" in v.message
    (v,) = found(roster({0: 9}), agent_frame=agents(min_hours=16))
    assert v.rule == "weekly_hours" and "7.5 paid hours, outside 16-40" in v.message


def test_days_off():
    six = {d: 9 for d in range(6)}
    (v,) = found(roster(six), config(max_consecutive_days=6), agents(max_hours=50))
    assert v.rule == "days_off" and "works 6 days, at most 5" in v.message


def test_max_consecutive_days():
    (v,) = found(roster(WEEKDAYS), config(max_consecutive_days=4))
    assert (v.rule, v.date) == ("max_consecutive_days", "2024-01-01")
    assert "works 5 days in a row from 2024-01-01, at most 4" in v.message


def test_min_rest():
    (v,) = found(roster({0: 14, 1: 6, 2: 9, 3: 9, 4: 9}))
    assert (v.rule, v.date) == ("min_rest", "2024-01-02")
    assert "8 h between the shift ending Mon 22:00 and the one starting Tue 06:00" in v.message
    assert "at least 11 h" in v.message


def test_min_rest_wraps_in_a_cyclic_week():
    cfg = config()
    cyclic = dataclasses.replace(cfg, site=dataclasses.replace(cfg.site, cyclic_week=True))
    frame = roster({0: 6, 1: 9, 2: 9, 3: 9, 6: 14})  # Sunday 22:00, then Monday 06:00
    (v,) = found(frame, cyclic)
    assert v.rule == "min_rest" and "ending Sun 22:00" in v.message


def test_shift_plan_rules_without_agents():
    frame = roster(WEEKDAYS)
    frame = frame[frame["activity"] != "off"]
    result = check_schedule(frame, config())
    assert result.ok and result.rules_checked == SHIFT_PLAN_RULES


# --------------------------------------------------------------------- real solver output


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    """The small demo centre's requirements and agents for its planning week."""
    from wfm.io.files import read_config
    from wfm.io.tables import read_agents, read_history
    from wfm.pipeline import forecast, requirements

    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--size", "small", "--out", str(folder), "--files-only"]) == 0
    cfg = read_config(folder / "wfm.toml")
    cfg = dataclasses.replace(cfg, solver=dataclasses.replace(cfg.solver, time_limit_sec=5.0))
    history = read_history(folder / "history.csv", cfg).frame
    week = dt.date(2026, 11, 23)
    req = requirements(forecast(history, cfg, start=week).frame, cfg)
    return cfg, req, read_agents(folder / "agents.csv", cfg).frame, week


@pytest.mark.parametrize("mode", ["roster", "shift plan"])
def test_real_solver_output_passes(small_demo, mode):
    from wfm.pipeline import make_schedule

    cfg, req, agent_frame, week = small_demo
    run = make_schedule(req, cfg, week_start=week, agents=agent_frame if mode == "roster" else None)
    assert run.mode == mode and run.frame is not None
    assert run.check is not None and run.check.ok, run.check.describe()
    assert run.summary["check"]["ok"] is True
    assert run.summary["check"]["rules_checked"] == list(
        ROSTER_RULES if mode == "roster" else SHIFT_PLAN_RULES
    )
    # and a hand-corrupted copy of it fails
    frame = run.frame.copy()
    shifts = frame[frame["activity"] != "off"]
    victim = shifts["agent_id"].iloc[0]
    rows = frame.index[(frame["agent_id"] == victim) & (frame["activity"] != "off")]
    frame.loc[rows, "queue"] = frame.loc[rows, "queue"].where(
        frame.loc[rows, "activity"] != "work", "nowhere"
    )
    bad = check_schedule(frame, cfg, agent_frame if mode == "roster" else None, week_start=week)
    assert not bad.ok and {v.rule for v in bad.violations} == {"skills"}
    assert {v.agent_id for v in bad.violations} == {str(victim)}


# --------------------------------------------------------------------- wfm schedule


SCHEDULE_CONFIG = """
[site]
name = "Test centre"
timezone = "UTC"
interval_minutes = 60

[[queues]]
name = "service"
channel = "voice"

[[shifts]]
name = "day"
earliest_start = "08:00"
latest_start = "09:00"
start_step_min = 60
length_hours = [8.0]
days = ["Mon", "Tue"]
breaks = [{ length_min = 30, paid = false, earliest_after_min = 180, latest_after_min = 240 }]

[solver]
time_limit_sec = 20
gap = 0.0
threads = 1
"""


def _schedule_inputs(tmp_path):
    cfg = tmp_path / "wfm.toml"
    cfg.write_text(SCHEDULE_CONFIG)
    rows = [
        {
            "interval_start": f"{day}T{hour:02d}:00:00+00:00",
            "queue": "service",
            "channel": "voice",
            "offered": 10,
            "aht_sec": 300,
            "workload_erl": 0.8,
            "agents_net": 2.0,
            "agents_gross": 2.0,
            "expected_service_level": 0.8,
            "expected_asa_sec": 10,
            "occupancy": 0.5,
        }
        for day in ("2026-11-30", "2026-12-01")
        for hour in range(9, 16)
    ]
    req = tmp_path / "requirements.csv"
    pd.DataFrame(rows).to_csv(req, index=False)
    return cfg, req


def _args(cfg, req, out, summary):
    return ["schedule", "--requirements", str(req), "--config", str(cfg), "--out", str(out),
            "--week", "2026-11-30", "--summary-out", str(summary)]  # fmt: skip


def test_check_result_is_in_the_summary_json(tmp_path):
    cfg, req = _schedule_inputs(tmp_path)
    out, summary = tmp_path / "s.csv", tmp_path / "s.json"
    assert main(_args(cfg, req, out, summary)) == 0
    check = json.loads(summary.read_text())["check"]
    assert check == {"ok": True, "rules_checked": list(SHIFT_PLAN_RULES), "violations": []}


def test_a_schedule_breaking_a_rule_is_not_written(tmp_path, monkeypatch, capsys):
    import solvers.shift_plan

    real = solvers.shift_plan.schedule_frame

    def broken(result):  # a solver bug: every lunch placed an hour too early
        frame = real(result)
        lunch = frame["activity"] == "lunch"
        for c in ("activity_start", "activity_end"):
            frame.loc[lunch, c] -= pd.Timedelta(hours=2)
        return frame

    monkeypatch.setattr(solvers.shift_plan, "schedule_frame", broken)
    cfg, req = _schedule_inputs(tmp_path)
    out, summary = tmp_path / "s.csv", tmp_path / "s.json"
    out.write_text("the old schedule\n")
    assert main(_args(cfg, req, out, summary)) == 3
    assert out.read_text() == "the old schedule\n"
    err = capsys.readouterr().err
    assert "fails the independent check of the hard rules and is not written" in err
    assert "on 2026-11-30: breaks: lunch starts 60 min after the shift start" in err
    check = json.loads(summary.read_text())["check"]
    assert check["ok"] is False and check["violations"][0]["rule"] == "breaks"


DST_CONFIG = """
[site]
timezone = "Europe/London"
interval_minutes = 15
cyclic_week = true

[[queues]]
name = "service"

[[shifts]]
name = "night"
earliest_start = "22:00"
latest_start = "01:00"
start_step_min = 30
length_hours = [8.0]
breaks = [{ length_min = 20, paid = false, earliest_after_min = 200, latest_after_min = 260 }]

[[shifts]]
name = "day"
earliest_start = "06:00"
latest_start = "10:00"
start_step_min = 60
length_hours = [7.5, 8.0]
breaks = [{ length_min = 10, paid = true, earliest_after_min = 100, latest_after_min = 110 },
          { length_min = 30, paid = false, earliest_after_min = 200, latest_after_min = 260 }]

[rules]
min_rest_hours = 11.1

[solver]
time_limit_sec = 5
"""


@pytest.mark.parametrize(
    ("week", "quarters"),
    [
        (dt.date(2027, 3, 22), 7 * 96 - 4),  # Europe/London springs forward on Sunday 28 March
        (dt.date(2026, 10, 19), 7 * 96 + 4),  # and falls back on Sunday 25 October
    ],
    ids=["spring_forward", "fall_back"],
)
@pytest.mark.parametrize("with_agents", [True, False])
def test_real_output_passes_over_a_clock_change(tmp_path, with_agents, week, quarters):
    """A clock change in a cyclic week (the repeated hour of a fall-back day too), night shifts
    over midnight, a break window narrower than an interval, a rest that is not whole
    intervals: the schedule is built and the checker rounds as documented."""
    from wfm.io.files import read_config
    from wfm.io.tables import read_agents, read_requirements
    from wfm.pipeline import make_schedule

    (tmp_path / "wfm.toml").write_text(DST_CONFIG)
    times = pd.date_range(week, periods=quarters, freq="15min", tz="Europe/London")
    pd.DataFrame(
        {
            "interval_start": [t.isoformat() for t in times],
            "queue": "service",
            "channel": "voice",
            "offered": 10,
            "aht_sec": 300,
            "workload_erl": 1.0,
            "agents_net": 3.0,
            "agents_gross": 3.0,
            "expected_service_level": 0.8,
            "expected_asa_sec": 10,
            "occupancy": 0.5,
        }
    ).to_csv(tmp_path / "req.csv", index=False)
    pd.DataFrame(
        [
            {
                "agent_id": f"A{i}",
                "name": f"N{i}",
                "skills": "service",
                "team": "T",
                "min_hours_week": 20,
                "max_hours_week": 40,
                "cost_per_hour": 10,
                "available_days": "" if i % 3 else "Mon|Tue|Wed|Sat|Sun",
            }
            for i in range(16)
        ]
    ).to_csv(tmp_path / "agents.csv", index=False)
    cfg = read_config(tmp_path / "wfm.toml")
    req = read_requirements(tmp_path / "req.csv", cfg).frame
    people = read_agents(tmp_path / "agents.csv", cfg).frame if with_agents else None
    run = make_schedule(req, cfg, week_start=week, agents=people)
    assert run.frame is not None and not run.frame.empty
    assert run.check.ok, run.check.describe()
    shifts = run.frame.dropna(subset=["shift_start"])
    assert (shifts["shift_start"].dt.hour >= 22).any()  # night shifts were checked


def test_roster_job_stores_no_version_when_the_check_fails(app_workspace, tmp_path, monkeypatch):
    import shutil

    import solvers.roster
    from wfm.errors import InfeasibleError
    from wfm.job import run_roster_job
    from wfm.store import open_workspace
    from wfm.store.versions import list_runs, list_versions

    real = solvers.roster.schedule_frame

    def broken(result):  # a solver bug: the first agent's first shift starts 5 minutes late
        frame = real(result)
        first = frame.dropna(subset=["shift_start"]).iloc[0]
        rows = (frame["agent_id"] == first["agent_id"]) & (
            frame["shift_start"] == first["shift_start"]
        )
        for c in ("shift_start", "activity_start"):
            frame.loc[rows & (frame[c] == first["shift_start"]), c] += pd.Timedelta(minutes=5)
        return frame

    monkeypatch.setattr(solvers.roster, "schedule_frame", broken)
    folder = tmp_path / "ws"
    shutil.copytree(app_workspace, folder, ignore=shutil.ignore_patterns(".wfm-locks"))
    ws = open_workspace(folder)
    week = dt.date(2026, 11, 23)
    before = [v.version for v in list_versions(ws, week)]
    with pytest.raises(InfeasibleError, match="no version stored") as err:
        run_roster_job(ws, week, force=True, time_limit_sec=3)
    assert "shift_template: no shift template starts at" in str(err.value)
    assert [v.version for v in list_versions(ws, week)] == before
    last = list_runs(ws, 1)[0]
    assert (last["status"], last["exit_code"]) == ("failed", 3)
    assert "fails the independent check of the hard rules" in last["message"]
