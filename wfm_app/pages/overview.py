"""Overview: the chosen week's KPI tiles against their targets, each with its change from the
week before, and the ten intervals that missed the service-level target most."""

import streamlit as st

from wfm import views
from wfm.store import open_workspace
from wfm_app.common import cached, chosen_week, workspace

INTRADAY = "wfm_app/pages/intraday.py"


def _overview(folder, data_version, week):
    return views.overview(open_workspace(folder), week)


ws = workspace()
week = chosen_week()
st.title(f"Overview: week of {week:%a %d %b %Y}")
view = cached(_overview)(week)
if view.version is None:
    st.info(f"Week {week} has no schedule version yet: the Schedule page generates one.")
    st.stop()

source = "actuals against the plan" if view.has_actuals else "the plan (no actuals yet)"
st.caption(
    f"{view.version.label} · {view.version.status} · KPIs from {source}; deltas "
    "against the week before."
)
tiles = view.tiles
for row_start in range(0, len(tiles), 4):
    part = tiles.iloc[row_start : row_start + 4]
    for column, tile in zip(st.columns(4), part.itertuples(), strict=False):
        column.metric(
            tile.label,
            tile.text,
            delta=tile.delta,
            delta_color=tile.delta_color,
            help=tile.help,
            border=True,
        )
for note in view.notes:
    st.caption(note)

st.subheader("Intervals furthest below target")
worst = view.worst
if worst.empty:
    st.success("No interval missed its service-level target.")
else:
    st.caption(
        "Contacts short: offered x target minus answered within the threshold"
        + ("" if view.has_actuals else " (expected with the schedule)")
        + "."
    )
    worst = worst.assign(intraday="intraday?day=" + worst["day"] + "&queue=" + worst["queue"])
    st.dataframe(
        worst.drop(columns=["day"]),
        hide_index=True,
        column_config={
            "service level": st.column_config.NumberColumn(format="percent"),
            "target": st.column_config.NumberColumn(format="percent"),
            "required net": st.column_config.NumberColumn(format="%.1f"),
            "scheduled net": st.column_config.NumberColumn(format="%.1f"),
            "contacts short": st.column_config.NumberColumn(format="%.1f"),
            "intraday": st.column_config.LinkColumn("open", display_text="Intraday"),
        },
    )
    pick = st.selectbox(
        "Open in Intraday",
        range(len(worst)),
        key="overview_pick",
        format_func=lambda i: f"{worst['when'][i]} · {worst['queue'][i]}",
    )
    if st.button("Open interval in Intraday", key="overview_open"):
        st.switch_page(
            INTRADAY, query_params={"day": worst["day"][pick], "queue": worst["queue"][pick]}
        )
