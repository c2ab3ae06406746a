"""Intraday: for a day and queue, required, scheduled and actual agents per interval, the
actual and expected service level against the target, the intervals below target and why the
schedule is short where it is."""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from wfm import views
from wfm.store import open_workspace
from wfm.store.versions import version_summary
from wfm_app.common import cached, chosen_week, workspace


def _comparison(folder, data_version, week):
    ws = open_workspace(folder)
    comparison = views.week_comparison(ws, week)
    if comparison is None:
        return None, {}
    return comparison.frame, version_summary(ws, views.current_version(ws, week))


def _below_rects(day: pd.DataFrame, minutes: int):
    rows = day[day["below"]]
    rects = pd.DataFrame(
        {"start": rows["time"], "end": rows["time"] + pd.Timedelta(minutes=minutes)}
    )
    return alt.Chart(rects).mark_rect(color="#e45756", opacity=0.15).encode(x="start:T", x2="end:T")


#: The charts' series: legend name -> (comparison column, colour, dash).
AGENTS = {
    "required net": ("agents_required_net", "#222222", [1, 0]),
    "scheduled net": ("agents_scheduled_net", "#4c78a8", [1, 0]),
    "actual staffed": ("agents_actual", "#f58518", [1, 0]),
}
SERVICE = {
    "actual": ("sl_actual", "#f58518", [1, 0]),
    "expected (schedule)": ("sl_expected_scheduled", "#4c78a8", [1, 0]),
    "target": ("sl_target", "#54a24b", [6, 3]),
}


def series_chart(day: pd.DataFrame, series: dict, minutes: int, tz: str, y: alt.Y, fmt: str):
    """Step lines of ``series`` per interval over red bands on the intervals below target."""
    data = pd.concat(
        [day.assign(series=name, value=day[col]) for name, (col, _, _) in series.items()],
        ignore_index=True,
    )[["time", "series", "value"]]
    names = list(series)

    def scale(i):
        return alt.Scale(domain=names, range=[spec[i] for spec in series.values()])

    lines = (
        alt.Chart(data.dropna())
        .mark_line(interpolate="step-after")
        .encode(
            alt.X("time:T", title=f"local time ({tz})"),
            y,
            alt.Color("series:N", title=None, scale=scale(1)),
            strokeDash=alt.StrokeDash("series:N", legend=None, scale=scale(2)),
            tooltip=["time:T", "series:N", alt.Tooltip("value:Q", format=fmt)],
        )
    )
    return alt.layer(_below_rects(day, minutes), lines).properties(height=260)


ws = workspace()
week = chosen_week()
tz = ws.config.site.timezone
minutes = ws.config.site.interval_minutes
st.title("Intraday")
frame, summary = cached(_comparison)(week)
if frame is None:
    st.info(f"Week {week} has no schedule version yet: the Schedule page generates one.")
    st.stop()

# a link from the Overview (?day=...&queue=...) chooses the day and queue
days, queues = views.week_days(week), list(ws.config.queue_names)
asked = st.query_params.to_dict()
if asked.get("day"):
    chosen = dt.date.fromisoformat(asked["day"])
    if chosen in days:
        st.session_state["intraday_day"] = chosen
if asked.get("queue") in queues:
    st.session_state["intraday_queue"] = asked["queue"]
cols = st.columns(2)
day = cols[0].selectbox("Day", days, key="intraday_day", format_func=lambda d: f"{d:%a %d %b %Y}")
queue = cols[1].selectbox("Queue", queues, key="intraday_queue")
st.query_params.from_dict({"day": day.isoformat(), "queue": queue})

part = views.intraday(frame, day, queue, tz)
if part.empty:
    st.info(f"{queue} has nothing forecast, required or scheduled on {day:%a %d %b}.")
    st.stop()
below = views.below_target(part)
measured = "actual" if part["offered"].notna().any() else "expected (no actuals yet)"
st.markdown(
    f"Intervals below target on {day:%a %d %b} ({queue}): {len(below)} of {len(part)}"
    f" · service level {measured}"
)
agents_y = alt.Y("value:Q", title="agents")
st.altair_chart(series_chart(part, AGENTS, minutes, tz, agents_y, ".1f"), width="stretch")
if part["sl_target"].notna().any():
    level_y = alt.Y(
        "value:Q", title="service level", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
    )
    st.altair_chart(series_chart(part, SERVICE, minutes, tz, level_y, ".1%"), width="stretch")
st.caption("Red bands: intervals below the service-level target.")
if not below.empty:
    st.dataframe(
        below,
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(format="percent")
            for c in ("actual SL", "expected SL (schedule)", "target")
        },
    )

st.subheader("Where the schedule is short")
reasons = views.shortfall_reasons(summary, day, queue, tz)
if reasons.empty:
    st.success(f"The schedule covers {queue}'s requirement all day.")
else:
    st.dataframe(
        reasons,
        hide_index=True,
        column_config={"short": st.column_config.NumberColumn(format="%.2f")},
    )
