"""The dashboard's Overview, Forecast, Staffing and Intraday pages (``AppTest`` on a seeded
small workspace): the values they show, recomputed here from the workspace with the core
functions (comparison, KPIs, requirements), and what their controls change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

pytest.importorskip("streamlit")

from _app import metric, page, table, texts

from wfm import kpis
from wfm.compare import compare, worst_intervals
from wfm.pipeline import requirements
from wfm.store import load_actuals, load_agents, load_history, open_workspace
from wfm.store.adjustments import list_adjustments
from wfm.store.versions import load_version_frame, select_version, version_summary

WEEK = dt.date(2026, 11, 23)


def _comparison(folder):
    """The week's comparison built straight from the stored version and actuals."""
    ws = open_workspace(folder)
    version = select_version(ws, WEEK)
    agents = load_agents(ws)
    return compare(
        load_version_frame(ws, version, "requirements"),
        load_actuals(ws, start=WEEK, end=WEEK + dt.timedelta(days=7)),
        ws.config,
        schedule=load_version_frame(ws, version, "schedule"),
        forecast=load_version_frame(ws, version, "forecast"),
        cost_per_hour=dict(zip(agents["agent_id"], agents["cost_per_hour"], strict=True)),
    ).frame


def _fte(req: pd.DataFrame, queue: str) -> float:
    part = req[req["queue"] == queue]
    return float((part["agents_gross"] * part["interval_minutes"]).sum() / 60.0 / 37.5)


# ------------------------------------------------------------------------------ Overview


def test_overview_tiles_are_the_weeks_kpis(ws_folder):
    frame = _comparison(ws_folder)
    week = kpis.kpi_table(frame, "total").iloc[0]
    at = page("overview")
    assert metric(at, "Service level") == kpis.format_kpi(week["service_level"], "pct")
    assert metric(at, "ASA (s)") == kpis.format_kpi(week["asa_sec"], "sec")
    assert metric(at, "Abandonment") == kpis.format_kpi(week["abandonment_rate"], "pct")
    assert metric(at, "Occupancy") == kpis.format_kpi(week["occupancy"], "pct")
    assert metric(at, "Cost per contact") == kpis.format_kpi(week["cost_per_contact"], "money")
    ratio = week["actual_hours"] / week["scheduled_hours"]
    assert metric(at, "Actual / scheduled hours") == kpis.format_kpi(ratio, "pct")
    # the change from the week before (history only: no version that week)
    ws = open_workspace(ws_folder)
    before = load_history(ws, start=WEEK - dt.timedelta(days=7), end=WEEK)
    sl_before = kpis.kpi_table(before, "total").iloc[0]["service_level"]
    tile = next(m for m in at.metric if m.label == "Service level")
    assert tile.delta == f"{100 * (week['service_level'] - sl_before):+.1f} pts"


def test_overview_lists_the_ten_worst_intervals_and_opens_intraday(ws_folder):
    frame = _comparison(ws_folder)
    worst = worst_intervals(frame, 10)
    at = page("overview")
    shown = table(at, "when", "queue", "contacts short")
    assert len(shown) == 10
    assert shown["queue"].tolist() == worst["queue"].tolist()
    assert shown["contacts short"].to_numpy() == pytest.approx(
        worst["contacts_short_of_target"].to_numpy()
    )
    first = worst.iloc[0]
    local = first["interval_start"].tz_convert(open_workspace(ws_folder).config.site.timezone)
    at.button(key="overview_open").click().run()
    assert not at.exception
    assert at.selectbox(key="intraday_day").value == local.date()
    assert at.selectbox(key="intraday_queue").value == first["queue"]


# ------------------------------------------------------------------------------ Forecast


def test_forecast_shows_the_model_and_its_backtest(ws_folder):
    ws = open_workspace(ws_folder)
    stored = load_version_frame(ws, select_version(ws, WEEK), "forecast")
    at = page("forecast")
    queue = at.selectbox(key="forecast_queue").value
    model = stored.loc[stored["queue"] == queue, "model"].mode().iat[0].split(":")[-1]
    assert f"Model for {queue}: **{model}**" in texts(at)
    totals = table(at, "week")
    offered = stored.groupby("queue")["offered"].sum()
    assert totals["week"].to_dict() == pytest.approx(offered.round(0).to_dict(), abs=1.0)
    at.toggle(key="forecast_backtest").set_value(True).run()
    scores = table(at, "model", "wape")
    assert {"seasonal_naive", "weekly_profile", "auto"} <= set(scores["model"])
    assert scores["chosen"].sum() == 1
    assert scores.loc[scores["chosen"], "model"].item() == model
    assert ((scores["wape"] > 0) & (scores["wape"] < 5)).all()
    # The noise floor beside the WAPE: below it, and the daily totals' WAPE too.
    assert ((scores["noise_floor"] > 0) & (scores["noise_floor"] < scores["wape"])).all()
    assert (scores["daily_wape"] < scores["wape"]).all()


def test_forecast_adjustment_is_stored_and_applied(ws_folder):
    ws = open_workspace(ws_folder)
    stored = load_version_frame(ws, select_version(ws, WEEK), "forecast")
    at = page("forecast")
    at.number_input(key="adjust_pct").set_value(20.0)
    at.selectbox(key="adjust_queue").set_value("service")
    at.text_input(key="adjust_note").input("promotion mailing")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception and not at.error
    assert any("Added +20% on service" in s.value for s in at.success)
    (adjustment,) = list_adjustments(open_workspace(ws_folder))
    assert (adjustment.queue, adjustment.percent, adjustment.note) == (
        "service", 20.0, "promotion mailing")  # fmt: skip
    assert (adjustment.start, adjustment.end) == (WEEK, WEEK + dt.timedelta(days=6))
    totals = table(at, "week")["week"]
    service = stored.loc[stored["queue"] == "service", "offered"].sum()
    assert totals["service"] == pytest.approx(1.2 * service, abs=1.0)
    chat = stored.loc[stored["queue"] == "chat", "offered"].sum()
    assert totals["chat"] == pytest.approx(chat, abs=1.0)
    assert any("Recomputed" in c.value for c in at.caption)


def test_forecast_rejects_an_empty_adjustment(ws_folder):
    at = page("forecast")
    at.button[0].click().run()  # 0% is no adjustment
    assert [e.value for e in at.error] == ["Not added: choose the dates and a change other than 0%"]
    assert list_adjustments(open_workspace(ws_folder)) == []


# ------------------------------------------------------------------------------ Staffing


def test_staffing_what_if_recomputes_the_fte(ws_folder):
    ws = open_workspace(ws_folder)
    version = select_version(ws, WEEK)
    plan = load_version_frame(ws, version, "requirements")
    forecast = load_version_frame(ws, version, "forecast")
    at = page("staffing")
    assert metric(at, "Required FTE (service)") == f"{_fte(plan, 'service'):,.1f}"
    at.number_input(key="whatif_sl_service").set_value(95.0).run()
    queues = tuple(
        dataclasses.replace(q, service_level=0.95) if q.name == "service" else q
        for q in ws.config.queues
    )
    expected = _fte(requirements(forecast, dataclasses.replace(ws.config, queues=queues)),
                    "service")  # fmt: skip
    assert expected > _fte(plan, "service")
    assert metric(at, "Required FTE (service)") == f"{expected:,.1f}"
    tile = next(m for m in at.metric if m.label == "Required FTE (service)")
    assert tile.delta == f"{expected - _fte(plan, 'service'):+.1f}"


def test_staffing_chat_concurrency_lowers_the_requirement(ws_folder):
    at = page("staffing")
    at.selectbox(key="staffing_queue").set_value("chat").run()
    before = float(metric(at, "Required FTE (chat)").replace(",", ""))
    at.number_input(key="whatif_conc_chat").set_value(3).run()
    after = float(metric(at, "Required FTE (chat)").replace(",", ""))
    assert after < before
    per_queue = table(at, "queue", "gross FTE").set_index("queue")
    assert per_queue.loc["chat", "gross FTE"] == pytest.approx(after, abs=0.05)
    assert per_queue.loc["chat", "change"] == pytest.approx(
        after - per_queue.loc["chat", "plan gross FTE"], abs=0.06
    )


# ------------------------------------------------------------------------------ Intraday


def test_intraday_counts_the_intervals_below_target(ws_folder):
    frame = _comparison(ws_folder)
    tz = open_workspace(ws_folder).config.site.timezone
    day = WEEK + dt.timedelta(days=1)
    at = page("intraday", {"day": day.isoformat(), "queue": "service"})
    on_day = frame[(frame["interval_start"].dt.tz_convert(tz).dt.date == day)
                   & (frame["queue"] == "service")]  # fmt: skip
    below = int((on_day["sl_actual"] < on_day["sl_target"] - 1e-9).sum())
    header = [t for t in texts(at) if t.startswith("Intervals below target")]
    assert len(header) == 1 and f": {below} of " in header[0]
    assert len(table(at, "time", "actual SL")) == below > 0
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(charts) == 2  # agents, and service level against the target
    assert all(layer["mark"]["type"] in ("rect", "line") for c in charts for layer in c["layer"])


def test_intraday_shows_why_the_schedule_is_short(ws_folder):
    ws = open_workspace(ws_folder)
    summary = version_summary(ws, select_version(ws, WEEK))
    tz = ws.config.site.timezone
    shortfalls = pd.DataFrame(summary["shortfalls"])
    shortfalls = shortfalls[shortfalls["queue"] == "service"]
    start = pd.to_datetime(shortfalls["interval_start"], utc=True).dt.tz_convert(tz)
    day = start.dt.date.iloc[0]
    at = page("intraday", {"day": day.isoformat(), "queue": "service"})
    reasons = table(at, "time", "short", "reason")
    expected = shortfalls[start.dt.date == day]
    assert len(reasons) == len(expected) > 0
    assert reasons["reason"].tolist() == expected["reason"].tolist()
