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


def test_output_naming_a_folder_is_a_clear_error_and_the_folder_is_untouched(tmp_path, capsys):
    """``--out`` naming an existing folder: exit 2 with a message naming it, no traceback,
    nothing written into or over the folder."""
    from wfm.cli import main

    assert main(["demo", "--out", str(tmp_path / "d"), "--files-only", "--size", "small"]) == 0
    out = tmp_path / "existing"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    capsys.readouterr()
    code = main(["forecast", "--history", str(tmp_path / "d" / "history.csv"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{out} is a folder" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine"
