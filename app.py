"""The planners' dashboard: ``streamlit run app.py`` (``make app``).

A router only: the pages live in ``wfm_app/pages`` and stay thin over ``wfm``. The workspace
is ``$WFM_WORKSPACE``, else the demo workspace ``demo-centre/`` (created on first start).
"""

import streamlit as st

from wfm_app.common import open_current_workspace, sidebar

st.set_page_config(
    page_title="wfm: workforce planning", page_icon=":telephone_receiver:", layout="wide"
)

PAGES = [
    st.Page(
        "wfm_app/pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
    ),
    st.Page("wfm_app/pages/forecast.py", title="Forecast", icon=":material/trending_up:"),
    st.Page("wfm_app/pages/staffing.py", title="Staffing", icon=":material/groups:"),
    st.Page("wfm_app/pages/schedule.py", title="Schedule", icon=":material/calendar_month:"),
    st.Page("wfm_app/pages/intraday.py", title="Intraday", icon=":material/schedule:"),
    st.Page("wfm_app/pages/agents.py", title="Agents", icon=":material/badge:"),
    st.Page("wfm_app/pages/data.py", title="Data", icon=":material/upload_file:"),
]

navigation = st.navigation(PAGES)
open_current_workspace()
sidebar()
navigation.run()
