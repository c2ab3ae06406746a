"""Forecast: history, forecast (with its 80% band) and actuals per queue; the model behind the
forecast and its backtest accuracy beside the baselines; manual adjustments kept in the
workspace and applied to the forecast shown."""

import dataclasses
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from wfm import views
from wfm.errors import InputError
from wfm.store import load_history, open_workspace
from wfm.store.adjustments import add_adjustment, list_adjustments
from wfm_app.common import cached, chosen_week, week_forecast, workspace

NOTICE = "forecast_notice"
ALL = "All queues"


def _history(folder, data_version, week):
    return views.history_window(open_workspace(folder), week)


def _backtest(folder, data_version, week):
    ws = open_workspace(folder)
    plan = views.plan_forecast(ws, week)
    return views.backtest_table(load_history(ws, end=week), plan.config, plan.frame)


def _adjustments(folder, data_version):
    rows = [dataclasses.asdict(a) for a in list_adjustments(open_workspace(folder))]
    return pd.DataFrame(rows, columns=["start", "end", "percent", "queue", "note"])


def chart(history: pd.DataFrame, forecast: pd.DataFrame, adjustments: pd.DataFrame, tz: str):
    """History and actuals as lines, the forecast as a line over its 80% band, adjusted date
    ranges shaded."""
    past = history.assign(time=views.wall_clock(history["interval_start"], tz))
    fc = forecast.assign(time=views.wall_clock(forecast["interval_start"], tz))
    x = alt.X("time:T", title=f"local time ({tz})")
    band = (
        alt.Chart(fc)
        .mark_area(opacity=0.25, color="#4c78a8")
        .encode(x, alt.Y("offered_lo:Q", title="offered per interval"), alt.Y2("offered_hi:Q"))
    )
    line = (
        alt.Chart(fc)
        .mark_line(color="#4c78a8", strokeWidth=1.5)
        .encode(
            x,
            alt.Y("offered:Q"),
            tooltip=["time:T", "offered:Q", "offered_lo:Q", "offered_hi:Q", "model:N"],
        )
    )
    seen = (
        alt.Chart(past)
        .mark_line(strokeWidth=1)
        .encode(
            x,
            alt.Y("offered:Q"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["history", "actual"], range=["#9e9e9e", "#222222"]),
            ),
        )
    )
    layers = [band, seen, line]
    if not adjustments.empty:
        shade = adjustments.assign(
            start=pd.to_datetime(adjustments["start"]),
            end=pd.to_datetime(adjustments["end"]) + pd.Timedelta(days=1),
        )
        layers.insert(
            0,
            alt.Chart(shade)
            .mark_rect(opacity=0.12, color="#f58518")
            .encode(x="start:T", x2="end:T", tooltip=["percent:Q", "note:N"]),
        )
    return alt.layer(*layers).properties(height=320)


ws = workspace()
week = chosen_week()
tz = ws.config.site.timezone
st.title(f"Forecast: week of {week:%a %d %b %Y}")
plan = week_forecast(week)
if plan.source == "stored":
    st.caption("The forecast stored with the week's current schedule version.")
else:
    st.caption(
        "Recomputed from the workspace's history and adjustments (they changed since the "
        "week's schedule was made, or it has none): regenerate the roster to plan with it."
    )

queue = st.selectbox("Queue", list(ws.config.queue_names), key="forecast_queue")
adjustments = cached(_adjustments)()
mine = adjustments[adjustments["queue"].isin(["", "*", queue])]
history = cached(_history)(week)
st.altair_chart(
    chart(history[history["queue"] == queue], plan.frame[plan.frame["queue"] == queue], mine, tz),
    width="stretch",
)
st.caption(
    "Grey: history · black: actuals · blue: forecast with its 80% band · orange: adjusted dates."
)
totals = views.day_totals(plan.frame, tz)
week_total = totals.pivot(index="queue", columns="day", values="offered")
week_total.columns = [f"{d:%a %d}" for d in week_total.columns]
week_total["week"] = week_total.sum(axis=1)
st.dataframe(week_total.round(0), column_config={"_index": "queue"})

# ------------------------------------------------------------------ model and backtest
st.subheader("Model and backtest")
model = views.chosen_models(plan.frame).get(queue, "-")
st.markdown(f"Model for {queue}: **{model}**")
if st.toggle("Show the week-ahead backtest of every model", key="forecast_backtest"):
    with st.spinner("Backtesting every model (once per data version) ..."):
        scores = cached(_backtest)(week)
    part = scores[scores["queue"] == queue].drop(columns=["queue"])
    st.dataframe(
        part,
        hide_index=True,
        column_config={
            "wape": st.column_config.NumberColumn("WAPE", format="percent"),
            "mape": st.column_config.NumberColumn("MAPE", format="percent"),
            "bias": st.column_config.NumberColumn(format="percent"),
            "noise_floor": st.column_config.NumberColumn("noise floor", format="percent"),
            "daily_wape": st.column_config.NumberColumn("daily WAPE", format="percent"),
            "chosen": st.column_config.CheckboxColumn("behind the forecast"),
        },
    )
    st.caption(
        "Rolling-origin week-ahead backtest (as `wfm forecast --backtest`): each window "
        "is forecast from the history before it. seasonal_naive is the baseline. The noise "
        "floor is the WAPE a perfect rate forecast would still have (Poisson arrivals); daily "
        "WAPE is on the daily totals."
    )
    floor = part.loc[part["chosen"], "noise_floor"]
    if not floor.empty and floor.iat[0] >= 0.2:
        st.info(
            f"Noise dominates {queue}'s intervals (noise floor {floor.iat[0]:.0%}): plan on "
            "its daily total, and read the intervals as a shape."
        )

# ------------------------------------------------------------------ adjustments
st.subheader("Adjustments")
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice)
with st.form("adjustment", clear_on_submit=True):
    cols = st.columns([2, 1, 1, 3])
    dates = cols[0].date_input(
        "Dates", value=(week, week + dt.timedelta(days=6)), key="adjust_dates"
    )
    percent = cols[1].number_input("Volume change (%)", value=0.0, step=5.0, key="adjust_pct")
    which = cols[2].selectbox("Queue", [ALL, *ws.config.queue_names], key="adjust_queue")
    note = cols[3].text_input("Note", key="adjust_note")
    if st.form_submit_button("Add adjustment", type="primary"):
        start, end = (dates[0], dates[-1]) if dates else (None, None)
        try:
            if start is None or percent == 0:
                raise InputError("choose the dates and a change other than 0%")
            add_adjustment(
                ws,
                start=start,
                end=end,
                percent=percent,
                queue="" if which == ALL else which,
                note=note,
            )
        except InputError as exc:
            st.error(f"Not added: {exc}")
        else:
            st.session_state[NOTICE] = f"Added {percent:+g}% on {which} from {start} to {end}."
            st.rerun()
if adjustments.empty:
    st.caption("No adjustments stored in the workspace.")
else:
    st.dataframe(adjustments.replace({"queue": {"*": ALL, "": ALL}}), hide_index=True)
