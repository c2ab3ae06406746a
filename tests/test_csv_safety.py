"""Every CSV wfm writes is safe to open in a spreadsheet: formula-like text cells get a leading
``'`` (OWASP "CSV Injection"), numbers and times are written as they are."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from wfm.io.files import csv_text, neutralise_cell, write_csv
from wfm.io.schedule import write_schedule
from wfm.schemas import SCHEDULE_COLUMNS

DANGEROUS = ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
HARMLESS = ["Normal", "O'Brien"]
NAMES = DANGEROUS + HARMLESS


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent_name": NAMES,
            "gap": [-1.5] * len(NAMES),
            "at": pd.Timestamp("2026-11-23 09:15", tz="Europe/Paris"),
        }
    )


def _rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_formula_cells_are_neutralised_and_the_rest_kept(tmp_path):
    path = write_csv(_frame(), tmp_path / "x.csv")
    rows = _rows(path)
    assert len(rows) == len(NAMES)  # every row reads back whole
    names = [r["agent_name"] for r in rows]
    assert all(n.startswith("'") for n in names[: len(DANGEROUS)])
    # a CR inside a cell is written as a newline (a lone CR would end the row for a reader)
    assert names[: len(DANGEROUS)] == ["'" + n.replace("\r", "\n") for n in DANGEROUS]
    assert names[len(DANGEROUS) :] == HARMLESS
    assert {r["gap"] for r in rows} == {"-1.5"}
    assert {r["at"] for r in rows} == {"2026-11-23T09:15:00+01:00"}


def test_csv_text_is_what_write_csv_writes(tmp_path):
    path = write_csv(_frame(), tmp_path / "x.csv")
    assert path.read_text(encoding="utf-8") == csv_text(_frame())
    raw = write_csv(_frame(), tmp_path / "raw.csv", safe=False)
    assert raw.read_text(encoding="utf-8") == csv_text(_frame(), safe=False)


def test_safe_false_leaves_text_raw(tmp_path):
    rows = _rows(write_csv(_frame(), tmp_path / "raw.csv", safe=False))
    assert [r["agent_name"] for r in rows] == [n.replace("\r", "\n") for n in NAMES]
    assert {r["gap"] for r in rows} == {"-1.5"}


def test_only_str_values_are_neutralised():
    frame = pd.DataFrame(
        {
            "note": ["-5", None, float("nan"), "ok"],  # text column: "-5" is text
            "mixed": pd.Series([-5, -1.5, None, 2], dtype=object),  # numbers in an object column
            "gap": [-1.0, -2.5, 0.0, 3.0],
            "count": [-1, 0, 1, 2],
        }
    )
    assert csv_text(frame).splitlines() == [
        "note,mixed,gap,count",
        "'-5,-5,-1.0,-1",
        ",-1.5,-2.5,0",
        ",,0.0,1",
        "ok,2,3.0,2",
    ]


def test_string_dtype_columns_are_neutralised():
    frame = pd.DataFrame(
        {"queue": pd.Series(["=1+1", None, "sales"], dtype="string"), "n": [1, 2, 3]}
    )
    assert csv_text(frame).splitlines() == ["queue,n", "'=1+1,1", ",2", "sales,3"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("a=1", "a=1"), ("'=1", "'=1"), ("", "")],
)  # fmt: skip
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_schedule_export_is_neutralised(tmp_path):
    start = pd.Timestamp("2026-11-23 09:00", tz="Europe/London")
    end = start + pd.Timedelta(hours=8)
    row = {
        "agent_id": "A1", "agent_name": "=cmd", "team": "@team", "date": "2026-11-23",
        "shift_start": start, "shift_end": end, "activity": "work",
        "activity_start": start, "activity_end": end, "paid": True, "queue": "-service",
    }  # fmt: skip
    assert set(row) == set(SCHEDULE_COLUMNS)
    (out,) = _rows(write_schedule(pd.DataFrame([row]), tmp_path / "schedule.csv"))
    assert out["agent_name"] == "'=cmd"
    assert (out["team"], out["queue"], out["agent_id"]) == ("'@team", "'-service", "A1")
    assert out["shift_start"] == "2026-11-23T09:00:00+00:00"
    assert out["paid"] == "True"


def test_stored_text_is_neutralised_but_numbers_stay():
    from wfm.io.files import safe_csv_text

    text = "queue,gap,note\n=evil,-1.5,-x\nsales,2,+1e3\n"
    assert safe_csv_text(text) == "queue,gap,note\n'=evil,-1.5,'-x\nsales,2,+1e3\n"
