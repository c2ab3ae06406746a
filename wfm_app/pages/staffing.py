"""Staffing: required agents per interval and queue, net and gross, and what-if controls that
recompute the requirement at once and show the change in FTE and paid hours against the plan."""

import altair as alt
import pandas as pd
import streamlit as st

from wfm import views
from wfm.pipeline import requirements
from wfm.store import open_workspace
from wfm.store.versions import load_version_frame
from wfm_app.common import cached, chosen_week, week_forecast, workspace


def _plan(folder, data_version, week):
    """The requirement the week's current version was scheduled against (else the forecast's)."""
    ws = open_workspace(folder)
    version = views.current_version(ws, week)
    if version is not None:
        return load_version_frame(ws, version, "requirements"), version.label
    plan = views.plan_forecast(ws, week)
    return requirements(plan.frame, plan.config), "the current forecast"


def chart(plan: pd.DataFrame, what_if: pd.DataFrame, tz: str):
    """Gross and net required agents per interval (what-if) against the plan's gross."""
    frames = [
        plan.assign(series="plan gross", agents=plan["agents_gross"]),
        what_if.assign(series="what-if gross", agents=what_if["agents_gross"]),
        what_if.assign(series="what-if net", agents=what_if["agents_net"]),
    ]
    data = pd.concat(frames, ignore_index=True)[["interval_start", "series", "agents"]]
    data["time"] = views.wall_clock(data["interval_start"], tz)
    return (
        alt.Chart(data.drop(columns="interval_start"))
        .mark_line(interpolate="step-after", strokeWidth=1.5)
        .encode(
            alt.X("time:T", title=f"local time ({tz})"),
            alt.Y("agents:Q", title="required agents"),
            alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["plan gross", "what-if gross", "what-if net"],
                    range=["#9e9e9e", "#4c78a8", "#72b7b2"],
                ),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                legend=None,
                scale=alt.Scale(
                    domain=["plan gross", "what-if gross", "what-if net"],
                    range=[[4, 2], [1, 0], [1, 0]],
                ),
            ),
            tooltip=["time:T", "series:N", alt.Tooltip("agents:Q", format=".1f")],
        )
        .properties(height=300)
    )


ws = workspace()
week = chosen_week()
tz = ws.config.site.timezone
st.title(f"Staffing: week of {week:%a %d %b %Y}")
forecast = week_forecast(week)
plan, plan_label = cached(_plan)(week)

queue = st.selectbox("Queue", list(ws.config.queue_names), key="staffing_queue")
q = forecast.config.queue(queue)
st.caption(
    f"What-if on {queue} ({q.channel}); the plan is the requirement of {plan_label}. "
    f"FTE = gross agent-hours over the week / {views.FTE_HOURS:g} h."
)
changes, aht_pct = {}, 0.0
with st.container(border=True):
    cols = st.columns(5)
    if q.deadline_hours is None:
        sl = cols[0].number_input(
            "Service-level target (%)",
            1.0,
            99.9,
            100 * q.service_level,
            step=1.0,
            key=f"whatif_sl_{queue}",
        )
        threshold = cols[1].number_input(
            "Threshold (s)", 1.0, 3600.0, q.threshold_sec, step=5.0, key=f"whatif_threshold_{queue}"
        )
        changes.update(service_level=sl / 100.0, threshold_sec=threshold)
    aht_pct = cols[2].number_input(
        "AHT change (%)", -90.0, 500.0, 0.0, step=5.0, key=f"whatif_aht_{queue}"
    )
    shrink = cols[3].number_input(
        "Shrinkage (%)", 0.0, 95.0, 100 * q.shrinkage, step=1.0, key=f"whatif_shrinkage_{queue}"
    )
    changes["shrinkage"] = shrink / 100.0
    if q.channel == "chat":
        changes["concurrency"] = int(
            cols[4].number_input(
                "Chat concurrency", 1, 10, int(q.concurrency), key=f"whatif_conc_{queue}"
            )
        )
    elif q.channel == "voice":
        erlang_a = cols[4].toggle(
            "Erlang A (abandonment)", q.patience_sec is not None, key=f"whatif_erlang_a_{queue}"
        )
        patience = q.patience_sec or 120.0
        if erlang_a:
            patience = cols[4].number_input(
                "Patience (s)",
                1.0,
                3600.0,
                float(patience),
                step=10.0,
                key=f"whatif_patience_{queue}",
            )
        changes["patience_sec"] = patience if erlang_a else None

what_if = views.what_if_requirements(
    forecast.frame, forecast.config, queue, aht_change_pct=aht_pct, **changes
)
mine, base = what_if[what_if["queue"] == queue], plan[plan["queue"] == queue]
peak = lambda f: float(f["agents_gross"].max())  # noqa: E731
TILES = (  # label, what-if value, plan value, number format
    (f"Required FTE ({queue})", views.required_fte(mine), views.required_fte(base), ",.1f"),
    (f"Paid hours ({queue})", views.required_hours(mine), views.required_hours(base), ",.0f"),
    ("Required FTE (site)", views.required_fte(what_if), views.required_fte(plan), ",.1f"),
    (f"Peak agents ({queue}, gross)", peak(mine), peak(base), ",.1f"),
)
for column, (label, value, planned, fmt) in zip(st.columns(len(TILES)), TILES, strict=True):
    column.metric(
        label,
        format(value, fmt),
        delta=format(value - planned, "+" + fmt),
        delta_color="inverse",
        border=True,
        help=f"plan {format(planned, fmt)}",
    )

day = st.selectbox(
    "Day",
    [None, *views.week_days(week)],
    key="staffing_day",
    format_func=lambda d: "Whole week" if d is None else f"{d:%a %d %b}",
)
if day is not None:
    on_day = lambda f: f[f["interval_start"].dt.tz_convert(tz).dt.date == day]  # noqa: E731
    mine, base = on_day(mine), on_day(base)
st.altair_chart(chart(base, mine, tz), width="stretch")

st.subheader("Required FTE per queue")
st.dataframe(views.fte_by_queue(what_if, plan).round(1), hide_index=True)
st.caption("Net: agents on the phones; gross: net grossed up for shrinkage (the paid agents).")
