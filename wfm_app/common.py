"""What every page shares: the open workspace, the chosen week, cached loaders.

Loaders are ``st.cache_data`` functions keyed on the workspace folder and its data version
(:attr:`wfm.store.Workspace.data_version`, raised by every write), so a page never recomputes
what has not changed and never shows stale data after an import or a new version.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from wfm.store import Workspace, open_workspace

__all__ = [
    "DEFAULT_WORKSPACE",
    "cached",
    "chosen_week",
    "local",
    "open_current_workspace",
    "sidebar",
    "version_picker",
    "week_agents",
    "week_forecast",
    "week_versions",
    "workspace",
]

#: The demo workspace the dashboard opens when ``WFM_WORKSPACE`` is not set.
DEFAULT_WORKSPACE = Path("demo-centre")


def _folder() -> Path:
    return Path(os.environ.get("WFM_WORKSPACE") or DEFAULT_WORKSPACE).resolve()


def open_current_workspace() -> Workspace:
    """Open the workspace (creating the demo one on first start) and keep it in the session."""
    folder = _folder()
    if "workspace" in st.session_state and st.session_state["workspace_folder"] == str(folder):
        return st.session_state["workspace"]
    if not (folder / "wfm.toml").is_file() and not os.environ.get("WFM_WORKSPACE"):
        with st.spinner(f"Creating the demo workspace in {folder} (first start only) ..."):
            from wfm.cli import main

            main(["demo", "--out", str(folder)])
    ws = open_workspace(folder)
    st.session_state["workspace"] = ws
    st.session_state["workspace_folder"] = str(folder)
    return ws


def workspace() -> Workspace:
    """The open workspace (re-read from disk if ``wfm.toml`` changed)."""
    return st.session_state.get("workspace") or open_current_workspace()


def cached(fn):
    """``st.cache_data`` on ``fn(folder, data_version, *args)``: call it as
    ``cached(fn)(*args)`` and the key is the workspace and its data version."""
    store = st.cache_data(show_spinner=False, max_entries=64)(fn)

    def call(*args, **kwargs):
        ws = workspace()
        return store(str(ws.folder), ws.data_version, *args, **kwargs)

    call.clear = store.clear
    return call


def _weeks(ws: Workspace) -> list[dt.date]:
    from wfm.job import resolve_week
    from wfm.store.versions import list_versions

    weeks = sorted({v.week_start for v in list_versions(ws)})
    upcoming = resolve_week("next", ws.config.site.timezone)
    return sorted({*weeks, upcoming})


def chosen_week() -> dt.date:
    """The week the sidebar has chosen (a Monday)."""
    return st.session_state["week"]


def sidebar() -> None:
    """The workspace's name and the week chooser, on every page."""
    ws = workspace()
    weeks = _weeks(ws)
    published = {}
    from wfm.store.versions import list_versions

    for v in list_versions(ws):
        if v.status == "published":
            published[v.week_start] = True
    default = max((w for w in weeks if w in published), default=weeks[-1])
    if st.session_state.get("week") not in weeks:
        st.session_state["week"] = default
    with st.sidebar:
        st.markdown(f"**{ws.config.site.name}**  \n{ws.config.site.timezone}")
        st.selectbox(
            "Week",
            weeks,
            key="week",
            format_func=lambda w: f"{w:%a %d %b %Y}" + (" (published)" if w in published else ""),
        )
        st.caption(f"workspace {ws.folder.name} · data version {ws.data_version}")


def local(times: pd.Series) -> pd.Series:
    """Timestamps shown on the site's clock."""
    return times.dt.tz_convert(workspace().config.site.timezone)


def version_picker(versions: list, key: str):
    """A chooser of the week's ``versions`` (oldest first), the current one preselected."""
    from wfm.store.versions import current_of
    from wfm.views import version_label

    by_number = {v.version: v for v in versions}
    current = current_of(versions).version
    numbers = list(by_number)
    number = st.selectbox(
        "Version",
        numbers,
        index=numbers.index(current),
        format_func=lambda n: version_label(by_number[n]) + (" · current" if n == current else ""),
        key=key,
    )
    return by_number[number]


def _versions(folder, data_version, week):
    from wfm.store.versions import list_versions

    return list_versions(open_workspace(folder), week)


def _agents(folder, data_version):
    from wfm.store import load_agents

    return load_agents(open_workspace(folder))


def _forecast(folder, data_version, week):
    from wfm.views import plan_forecast

    return plan_forecast(open_workspace(folder), week)


def week_versions(week: dt.date) -> list:
    """The week's schedule versions, oldest first (cached)."""
    return cached(_versions)(week)


def week_agents() -> pd.DataFrame:
    """The workspace's agents (cached)."""
    return cached(_agents)()


def week_forecast(week: dt.date):
    """The week's :class:`wfm.views.PlanForecast` (cached); without history to forecast from,
    says so on the page and stops it."""
    plan = cached(_forecast)(week)
    if plan is None:
        st.info("No history before this week to forecast from: import history on the Data page.")
        st.stop()
    return plan
