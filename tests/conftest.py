"""Shared fixtures: the real public data sets in ../shared/data, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data sets beside the repository (skip the test when it is absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA} (../shared is absent)")
    return SHARED_DATA


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, monkeypatch):
    """Each workspace test runs on both back ends: the embedded SQLite file, and a real
    PostgreSQL server (``WFM_TEST_DATABASE_URL``, which ``.ci/run`` starts) in a schema of
    its own. Sets ``WFM_DATABASE_URL`` for the test and the processes it starts."""
    import os
    import uuid

    if request.param == "sqlite":
        monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
        yield "sqlite"
        return
    url = os.environ.get("WFM_TEST_DATABASE_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set WFM_TEST_DATABASE_URL (.ci/run starts one)")
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    monkeypatch.setenv("WFM_DATABASE_URL", f"{url}?options=-csearch_path%3D{name}")
    try:
        yield "postgresql"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def app_workspace(tmp_path_factory):
    """A seeded small workspace for the dashboard's tests (SQLite): the small demo centre,
    imported, its week 2026-11-23 rostered (3-s solve) and published, actuals loaded."""
    import os

    from wfm.cli import main

    folder = tmp_path_factory.mktemp("app") / "ws"
    saved = os.environ.pop("WFM_DATABASE_URL", None)
    try:
        assert main(["demo", "--out", str(folder), "--size", "small",
                     "--time-limit-sec", "3"]) == 0  # fmt: skip
    finally:
        if saved is not None:
            os.environ["WFM_DATABASE_URL"] = saved
    return folder


@pytest.fixture
def ws_folder(app_workspace, tmp_path, monkeypatch):
    """A copy of the seeded workspace for one test, opened by the dashboard (pages write to it)."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path / "ws"
    shutil.copytree(app_workspace, folder, ignore=shutil.ignore_patterns(".wfm-locks"))
    monkeypatch.setenv("WFM_WORKSPACE", str(folder))
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    monkeypatch.chdir(root)
    monkeypatch.syspath_prepend(str(root))
    return folder
