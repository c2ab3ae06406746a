import os
import stat

import pandas as pd

from wfm.io import atomic_write_text, write_csv


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_written_files_get_the_umask_mode_not_0600(tmp_path):
    target = atomic_write_text(tmp_path / "a.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_write_csv_writes_offsets(tmp_path):
    frame = pd.DataFrame(
        {
            "interval_start": pd.date_range(
                "2026-10-25 00:45", periods=2, freq="15min", tz="Europe/London"
            )
        }
    )
    text = write_csv(frame, tmp_path / "f.csv").read_text()
    assert "2026-10-25T00:45:00+01:00" in text
