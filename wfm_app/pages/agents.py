"""Agents: the chosen version's week per agent (paid hours, shifts, days off, preferences met),
and the availability table, saved through the same validation as an agents import."""

import streamlit as st

from wfm import views
from wfm.store import open_workspace
from wfm.store.versions import load_version_frame, select_version
from wfm_app.common import (
    cached,
    chosen_week,
    version_picker,
    week_agents,
    week_versions,
    workspace,
)

EDITOR = "availability_editor"
NOTICE = "agents_notice"


def _schedule(folder, data_version, week, number):
    ws = open_workspace(folder)
    return load_version_frame(ws, select_version(ws, week, version=number), "schedule")


ws = workspace()
week = chosen_week()
tz = ws.config.site.timezone
st.title("Agents")
agents = week_agents()

# ------------------------------------------------------------------ the week per agent
st.subheader(f"Roster per agent: week of {week:%a %d %b %Y}")
versions = week_versions(week)
if not versions:
    st.info(f"Week {week} has no schedule version yet (the Schedule page generates one).")
else:
    number = version_picker(versions, key=f"agents_version_{week}").version
    schedule = cached(_schedule)(week, number)
    roster = views.agent_roster(schedule, agents, ws.config.shifts, tz, week)
    met, total = views.preference_totals(roster)
    share = f" ({100 * met / total:.0f}%)" if total else ""
    st.markdown(
        f"Agents: {len(roster)} · paid hours {roster['paid hours'].sum():,.1f} · "
        f"Preferences met: {met} of {total}{share}"
    )
    st.dataframe(
        roster,
        hide_index=True,
        column_config={
            "preferences met %": st.column_config.NumberColumn(format="%.0f%%"),
            "preferences met": None,
            "preferences": None,
        },
    )
    st.caption(
        "Preferences met: each shift of an agent with preferred shifts counts once and is met "
        "when a preferred template fits it (its day, start and length); each preferred day "
        "off counts once and is met when the agent has no shift that day."
    )

# ------------------------------------------------------------------ availability
st.subheader("Availability")
st.caption(
    "Days as Mon|Tue|...; from and until as HH:MM (the window the agent's shifts must start "
    "and end in; 00:00 and 24:00 for no limit); hours per week. Saving validates the whole "
    "table as an agents import would: a bad value saves nothing."
)
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice)
edited = st.data_editor(
    views.availability_frame(agents),
    key=EDITOR,
    hide_index=True,
    num_rows="fixed",
    disabled=["agent_id", "name"],
    column_config={
        "available_days": st.column_config.TextColumn("available_days"),
        "available_from": st.column_config.TextColumn("available_from", max_chars=5),
        "available_until": st.column_config.TextColumn("available_until", max_chars=5),
        "min_hours_week": st.column_config.NumberColumn("min_hours_week", min_value=0.0),
        "max_hours_week": st.column_config.NumberColumn("max_hours_week", min_value=0.0),
    },
)
if st.button("Save availability", type="primary", key="save_availability"):
    report, error = views.save_availability(ws, edited)
    if error is not None:
        st.error(error)
        st.caption("Nothing was saved.")
    else:
        st.session_state[NOTICE] = report.describe()
        del st.session_state[EDITOR]  # show the stored table afresh
        st.rerun()
