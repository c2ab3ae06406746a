"""Helpers of the dashboard's AppTests: open a page of ``app.py`` and read what it shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def page(name: str, query: dict | None = None) -> AppTest:
    """``app.py`` run on ``wfm_app/pages/NAME.py`` (the workspace is ``$WFM_WORKSPACE``)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"wfm_app/pages/{name}.py")
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    """The page's markdown texts."""
    return [m.value for m in at.markdown]


def table(at: AppTest, *columns: str):
    """The first read-only table on the page with all of ``columns``."""
    for frame in at.dataframe:
        if frame.editing_mode == "read_only" and set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def metric(at: AppTest, label: str) -> str:
    """The value of the metric tile labelled ``label``."""
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]
