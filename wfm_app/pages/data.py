"""Data: import history, agents, actuals and agent-state CSVs into the workspace (validated as
``wfm import`` validates them: a bad file changes nothing), and what the workspace holds."""

import streamlit as st

from wfm import views
from wfm.store import IMPORT_KINDS, data_ranges, recent_imports, row_counts
from wfm_app.common import workspace

KINDS = {
    "history": "History (ACD interval export)",
    "agents": "Agents",
    "actuals": "Actuals (what happened in a planned week)",
    "agent-states": "Agent states (log of agents' states)",
}

ws = workspace()
tz = ws.config.site.timezone
st.title("Data")

# ------------------------------------------------------------------ import
st.subheader("Import a file")
kind = st.selectbox(
    "Kind", [k for k in KINDS if k in IMPORT_KINDS], format_func=KINDS.get, key="data_kind"
)
upload = st.file_uploader("CSV file", type=["csv"], key="data_upload")
if st.button("Import", type="primary", key="data_import"):
    if upload is None:
        st.warning("Choose a file to import first.")
    else:
        report, error = views.import_upload(ws, kind, upload.name, upload.getvalue())
        if error is not None:
            st.error(error)
            st.caption(f"{upload.name} was rejected: nothing in the workspace changed.")
        else:
            st.success(report.describe())
            for note in report.notes:
                st.info(note)
            for warning in report.warnings:  # legal but suspicious rows: imported all the same
                st.warning(warning)

# ------------------------------------------------------------------ holdings
st.subheader("What the workspace holds")
counts = row_counts(ws)
for column, (name, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(name.replace("_", " "), f"{rows:,}")
ranges = data_ranges(ws)
if ranges.empty:
    st.info("No history or actuals yet.")
else:
    for column in ("first", "last"):
        ranges[column] = ranges[column].map(lambda t: t.tz_convert(tz).strftime("%Y-%m-%d %H:%M"))
    st.dataframe(ranges, hide_index=True)
st.markdown("Recent imports")
st.dataframe(recent_imports(ws, 10), hide_index=True)
