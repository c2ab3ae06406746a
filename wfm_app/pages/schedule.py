"""Schedule: run the weekly job in the background, compare the week's versions, look at one
(timeline per agent, coverage against the requirement), download it and publish it."""

import streamlit as st

from wfm import views
from wfm.errors import InputError
from wfm.io.files import safe_csv_text
from wfm.store import open_workspace
from wfm.store.versions import (
    list_runs,
    load_version_frame,
    publish_version,
    select_version,
    version_csv,
)
from wfm.views import week_days
from wfm_app.common import (
    cached,
    chosen_week,
    version_picker,
    week_agents,
    week_versions,
    workspace,
)

PROCESS = "roster_process"  # session key: the job this session started
WATCH = "roster_watch"  # session key: a run was going at the last look
NOTICE = "schedule_notice"


def _frame(folder, data_version, week, number, kind):
    ws = open_workspace(folder)
    try:
        return load_version_frame(ws, select_version(ws, week, version=number), kind)
    except InputError:
        return None


def _csv(folder, data_version, week, number, kind):
    ws = open_workspace(folder)
    try:
        return safe_csv_text(version_csv(ws, select_version(ws, week, version=number), kind))
    except InputError:
        return None


def _own_process(week):
    """The job this session started for ``week`` while it is alive, else None."""
    own = st.session_state.get(PROCESS)
    if own and own["week"] == week and own["process"].poll() is None:
        return own
    return None


ws = workspace()
week = chosen_week()
tz = ws.config.site.timezone
st.title(f"Schedule: week of {week:%a %d %b %Y}")

# ------------------------------------------------------------------ generate (background job)
st.subheader("Generate roster")
left, right = st.columns([1, 2])
limit = left.number_input(
    "Solver time limit (s)",
    min_value=1.0,
    step=10.0,
    value=float(ws.config.solver.time_limit_sec),
    key="roster_time_limit",
)
if left.button("Generate roster", type="primary", key="generate_roster"):
    busy = views.roster_busy(ws, week)
    if busy is not None or _own_process(week) is not None:
        what = f"run {busy['run_id']}, stage {busy['stage'] or 'starting'}" if busy else "starting"
        st.warning(
            f"A roster run for week {week} is already going ({what}): wait for it to "
            "finish before starting another."
        )
    else:
        process, log = views.start_roster_process(ws.folder, week, time_limit_sec=limit)
        st.session_state[PROCESS] = {"process": process, "log": str(log), "week": week}
        st.session_state[WATCH] = True
going = views.roster_busy(ws, week) is not None or _own_process(week) is not None


@st.fragment(run_every=1.0 if going else None)
def progress():
    """The running job's stages, refreshed every second while it runs."""
    current = workspace()
    run = views.roster_busy(current, week)
    if run is not None:
        st.session_state[WATCH] = True
        table, share = views.run_progress(run)
        solver = ""
        if run.get("solver_status"):
            gap = run.get("gap")
            solver = f" · solver {run['solver_status']}" + (
                f", gap {100 * gap:.2f}%" if gap is not None else ""
            )
        st.progress(
            share, text=f"Run {run['run_id']} running: stage {run['stage'] or 'starting'}{solver}"
        )
        st.dataframe(table, hide_index=True)
        if st.button(
            "Stop run", key="stop_roster", help="Stores nothing; the week keeps its versions"
        ):
            try:
                views.stop_run(run)
                st.info(f"Stopping run {run['run_id']} (the solver stops within seconds) ...")
            except InputError as err:
                st.error(str(err))
        return
    if _own_process(week) is not None:
        st.session_state[WATCH] = True
        st.info("Starting the roster run ...")
        return
    if st.session_state.pop(WATCH, False):
        st.rerun()  # the run has ended: show what it wrote
    runs = views.week_runs(list_runs(current, 50), week)
    if runs:
        last = runs[0]
        text = f"Run {last['run_id']} finished ({last['status']}, {last['ended_at'] or ''}): "
        if last["status"] in ("succeeded", "unchanged"):
            st.success(text + (last["message"] or ""))
        elif last["exit_code"] == 130:
            when = last["ended_at"] or ""
            st.warning(
                f"Run {last['run_id']} stopped ({when}): {last['message'] or 'interrupted'}; "
                "nothing was stored"
            )
        else:
            st.error(text + (last["message"] or ""))
    own = st.session_state.get(PROCESS)
    if own and own["week"] == week and own["process"].returncode not in (None, 0):
        with st.expander(f"Log of the run started here (exit {own['process'].returncode})"):
            st.code(views.log_tail(own["log"]) or "(empty)")


with right:
    progress()

# ------------------------------------------------------------------ versions
versions = week_versions(week)
if not versions:
    st.info(f"Week {week} has no schedule version yet: generate one above.")
    st.stop()
st.subheader("Versions")
st.dataframe(views.versions_table(versions, tz), hide_index=True)
chosen = version_picker(versions, key=f"schedule_version_{week}")
number = chosen.version
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice)
buttons = st.columns(3)
if buttons[0].button(
    f"Publish version {number}",
    disabled=chosen.status == "published",
    key="publish_version",
    type="primary",
):
    done = publish_version(ws, week, number)
    st.session_state[NOTICE] = f"Published {done.label}."
    st.rerun()
for column, kind, label in (
    (buttons[1], "schedule", "Download schedule CSV"),
    (buttons[2], "coverage", "Download coverage CSV"),
):
    text = cached(_csv)(week, number, kind)
    column.download_button(
        label,
        text or "",
        file_name=f"{kind}-{week}-v{number}.csv",
        mime="text/csv",
        disabled=text is None,
        on_click="ignore",
        key=f"download_{kind}",
    )

# ------------------------------------------------------------------ timeline per agent
st.subheader("Timeline")
schedule = cached(_frame)(week, number, "schedule")
agents = week_agents()
filters = st.columns(3)
teams = filters[0].multiselect(
    "Team", sorted(schedule["team"].astype(str).unique()), key="schedule_teams"
)
skills = filters[1].multiselect("Skill", list(ws.config.queue_names), key="schedule_skills")
day = filters[2].selectbox(
    "Day",
    [None, *week_days(week)],
    format_func=lambda d: "Whole week" if d is None else f"{d:%a %d %b}",
    key="schedule_day",
)
shown = views.filter_schedule(schedule, agents, teams=teams, skills=skills, day=day)
st.markdown(f"Agents shown: {views.agents_shown(shown)}")
bars = views.gantt_frame(shown, tz)
if bars.empty:
    st.info("No shifts match the filters.")
else:
    st.altair_chart(views.gantt_chart(bars, ws.config.queue_names), width="stretch")

# ------------------------------------------------------------------ coverage
st.subheader("Coverage against requirement")
coverage = cached(_frame)(week, number, "coverage")
if coverage is None:
    st.info(f"{chosen.label} has no coverage table.")
else:
    cover = views.coverage_frame(coverage, tz, ws.config.site.interval_minutes)
    if day is not None:
        cover = cover[cover["date"] == day]
    queues = [q for q in ws.config.queue_names if q in set(cover["queue"])]
    queue = st.selectbox("Queue", queues, key="coverage_queue")
    part = cover[cover["queue"] == queue]
    st.markdown(
        f"Intervals short on {queue}: {int((part['short'] > 0).sum())}"
        f" · shortfall {part['short'].sum():.1f} agent-intervals"
    )
    st.altair_chart(views.coverage_chart(part), width="stretch")
    st.caption("Line: required agents · area: scheduled · red: scheduled below required.")
    st.markdown("Worst gaps (all queues)")
    st.dataframe(views.worst_gaps(cover), hide_index=True)
