"""The schedule export CSV (``wfm export``): one row per agent segment and queue."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wfm.agent_states import parse_times, reject_first
from wfm.errors import InputError
from wfm.schemas import SCHEDULE_COLUMNS

_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"

__all__ = ["parse_schedule"]


def _paid(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip().str.lower()
    ok = text.isin(["true", "1", "yes", "false", "0", "no", "1.0", "0.0"])
    if not ok.all():
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise InputError(
            f"paid must be true or false, got {values.iloc[i]!r}", row=i + 2, column="paid"
        )
    return text.isin(["true", "1", "yes", "1.0"])


def parse_schedule(
    raw: pd.DataFrame,
    tz: str,
    *,
    queues: Iterable[str] | None = None,
    activities: Iterable[str] | None = None,
    site_offsets: bool = False,
) -> pd.DataFrame:
    """Validate a schedule export (a frame of text, as read from CSV; row ``i`` of the frame is
    file row ``i + 2``).

    Returns the frame with ``activity_start``/``activity_end`` as tz-aware timestamps,
    ``paid`` as bool, ``agent_id`` as text and ``queue`` NaN where empty. Raises
    :class:`InputError` (row, column) on a missing column, an unreadable time, a segment that
    ends before it starts, a work segment without a queue or (with ``queues``) on a queue that
    is not configured, (with ``activities``, the configuration's ``activity_names``) an
    activity that is not one of them, a segment outside its shift (``shift_start`` to
    ``shift_end``), and an agent's segments that overlap (a segment split over queues is
    written once per queue with the same times; days off are left out). With ``site_offsets``
    a time's UTC offset must be the one ``tz`` has then (the export is on the site's clock).
    """
    missing = [c for c in SCHEDULE_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} in the schedule export",
            row=1,
            column=missing[0],
        )
    out = raw.copy()
    out["agent_id"] = out["agent_id"].astype(str).str.strip()
    out["activity"] = out["activity"].astype(str).str.strip().str.lower()
    if activities is not None:
        known = sorted({a.lower() for a in activities})
        reject_first(
            ~out["activity"].isin(known),
            lambda i: (
                f"activity {raw['activity'].iloc[i]!r} is not one of the configuration's "
                f"({', '.join(known)})"
            ),
            2,
            "activity",
        )
    out["activity_start"] = parse_times(raw["activity_start"], tz, "activity_start")
    out["activity_end"] = parse_times(raw["activity_end"], tz, "activity_end")
    if site_offsets:
        for column in ("activity_start", "activity_end"):
            _check_offsets(raw[column], out[column], tz, column)
    out["paid"] = _paid(raw["paid"])
    queue = out["queue"].astype(str).str.strip()
    out["queue"] = queue.where(~queue.isin(["", "nan", "None"]), np.nan)
    bad = (out["activity_end"] < out["activity_start"]).to_numpy().nonzero()[0]
    if bad.size:
        raise InputError(
            "activity ends before it starts", row=int(bad[0]) + 2, column="activity_end"
        )
    work_without_queue = (out["activity"] == "work") & out["queue"].isna()
    if work_without_queue.any():
        i = int(work_without_queue.to_numpy().nonzero()[0][0])
        raise InputError("a work segment needs a queue", row=i + 2, column="queue")
    if queues is not None:
        known = list(queues)
        reject_first(
            (out["activity"] == "work") & ~out["queue"].isin(known),
            lambda i: (
                f"queue {out['queue'].iloc[i]!r} is not in the configuration "
                f"(queues: {', '.join(known)})"
            ),
            2,
            "queue",
        )
    out["share"] = _shares(raw)
    _check_inside_shifts(raw, out, tz)
    _check_overlaps(out)
    out["weight"] = _time_weights(out)
    return out


def _check_offsets(text: pd.Series, times: pd.Series, tz: str, column: str) -> None:
    """Each written offset must be the site's at that instant (not another site's clock)."""
    written = text.astype(str).str.strip().str.extract(_OFFSET)[0]
    for i in np.flatnonzero(written.notna().to_numpy()):
        mark = written.iloc[i]
        digits = "0000" if mark == "Z" else mark[1:].replace(":", "")
        minutes = (-1 if mark.startswith("-") else 1) * (int(digits[:2]) * 60 + int(digits[2:]))
        expected = int(times.iloc[i].utcoffset().total_seconds() // 60)
        if minutes != expected:
            sign = "-" if expected < 0 else "+"
            site = f"{sign}{abs(expected) // 60:02d}:{abs(expected) % 60:02d}"
            raise InputError(
                f"{text.iloc[i]!r} has the UTC offset {mark}, but {tz} is at {site} then: the "
                "file was made for a site in another time zone",
                row=int(i) + 2,
                column=column,
            )


def _check_inside_shifts(raw: pd.DataFrame, out: pd.DataFrame, tz: str) -> None:
    """A segment (work, break, lunch) lies within its shift, where the shift is given."""
    on = (out["activity"] != "off") & raw["shift_start"].astype(str).str.strip().ne("")
    on &= raw["shift_end"].astype(str).str.strip().ne("")
    if not on.any():
        return
    rows = np.flatnonzero(on.to_numpy())
    begin = parse_times(raw["shift_start"].iloc[rows], tz, "shift_start")
    end = parse_times(raw["shift_end"].iloc[rows], tz, "shift_end")
    for column, bad in (
        ("shift_end", (end < begin).to_numpy()),
        ("activity_start", (out["activity_start"].iloc[rows] < begin).to_numpy()),
        ("activity_end", (out["activity_end"].iloc[rows] > end).to_numpy()),
    ):
        if bad.any():
            i = int(rows[np.flatnonzero(bad)[0]])
            what = (
                "the shift ends before it starts"
                if column == "shift_end"
                else f"the {out['activity'].iloc[i]} segment "
                f"({raw['activity_start'].iloc[i]} to {raw['activity_end'].iloc[i]}) is outside "
                f"its shift ({raw['shift_start'].iloc[i]} to {raw['shift_end'].iloc[i]})"
            )
            raise InputError(what, row=i + 2, column=column)


def _check_overlaps(out: pd.DataFrame) -> None:
    """An agent is in one segment at a time; the rows of one segment split over queues share
    its times and count once."""
    on = out[out["activity"] != "off"]
    key = ["agent_id", "activity_start", "activity_end"]
    # rows with the same times: one work segment split over queues (shares adding up to at
    # most 1), else the same segment written twice
    share = on["share"].where(on["activity"] == "work", 1.0)
    total = share.groupby([on[k] for k in key]).cumsum()
    repeated = (total > 1 + 1e-3).to_numpy()  # shares are written rounded
    if repeated.any():
        i = int(on.index[np.flatnonzero(repeated)[0]])
        raise InputError(
            f"agent {out['agent_id'].iloc[i]!r} is in this {out['activity'].iloc[i]} segment "
            "twice (a duplicate row, or shares of one segment adding up to more than 1)",
            row=i + 2,
            column="activity_start",
        )
    segments = on.drop_duplicates(key)
    segments = segments.sort_values(["agent_id", "activity_start", "activity_end"], kind="stable")
    previous_end = segments.groupby("agent_id")["activity_end"].shift(1)
    previous_row = (
        pd.Series(segments.index, index=segments.index).groupby(segments["agent_id"]).shift(1)
    )
    clash = (previous_end.notna() & (segments["activity_start"] < previous_end)).to_numpy()
    if clash.any():
        k = int(np.flatnonzero(clash)[0])
        i, j = int(segments.index[k]), int(previous_row.iloc[k])
        first, second = sorted((i, j))
        raise InputError(
            f"agent {out['agent_id'].iloc[second]!r} is in two places at once: this "
            f"{out['activity'].iloc[second]} segment overlaps the "
            f"{out['activity'].iloc[first]} segment on row {first + 2}",
            row=second + 2,
            column="activity_start",
        )


def _shares(raw: pd.DataFrame) -> pd.Series:
    """The optional ``share`` column: the share of the agent's time in the segment spent on its
    queue (a multi-skilled agent splits an interval between queues); 1.0 when absent."""
    if "share" not in raw.columns:
        return pd.Series(1.0, index=raw.index)
    text = raw["share"].astype(str).str.strip()
    share = pd.to_numeric(text.where(text != "", "1"), errors="coerce")
    bad = (share.isna() | (share < 0) | (share > 1 + 1e-9)).to_numpy().nonzero()[0]
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"share must be a number from 0 to 1, got {raw['share'].iloc[i]!r}",
            row=i + 2,
            column="share",
        )
    return share.clip(upper=1.0)


def _time_weights(schedule: pd.DataFrame) -> pd.Series:
    """Each row's part of its segment's paid time: ``share / sum of the segment's shares``.

    A segment split over several queues is written as one row per queue; its time (for hours,
    cost and adherence) is spread over those rows in proportion to their shares, so it counts
    once. Rows that are alone in their segment weigh 1.
    """
    segment = [schedule["agent_id"], schedule["activity_start"], schedule["activity_end"]]
    total = schedule["share"].groupby(segment).transform("sum")
    rows = schedule.groupby(segment)["share"].transform("size")
    weight = (schedule["share"] / total).where(total > 0, 1.0 / rows)
    return weight.where(rows > 1, 1.0)
