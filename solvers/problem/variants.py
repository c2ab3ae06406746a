"""Shift variants: :func:`generate_variants` places shift templates and their breaks on the axis."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence

import pandas as pd

from solvers.problem.schedule import BreakOption, ShiftVariant
from wfm.axis import DAY_NAMES, day_starts
from wfm.config import ShiftTemplate
from wfm.errors import InputError

__all__ = [
    "generate_variants",
]


def _position_at_clock(axis: pd.DatetimeIndex, day0: dt.date, minutes: int, tz: str) -> int:
    """First axis position at or after local wall-clock ``day0 + minutes`` (may be >= len(axis)).

    A wall-clock time that does not exist (spring forward) maps to the next interval that does;
    an ambiguous one (fall back) to its first occurrence.
    """
    naive = pd.Timestamp(day0) + pd.Timedelta(minutes=minutes)
    try:
        local = naive.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    except (ValueError, TypeError):  # pragma: no cover - pandas versions differ
        local = naive.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    interval = axis[1] - axis[0] if len(axis) > 1 else pd.Timedelta(minutes=15)
    offset = (local - axis[0]) / interval
    return math.ceil(offset - 1e-9)


def _grid(minutes: float, interval_minutes: int, up: bool) -> int:
    value = minutes / interval_minutes
    return math.ceil(value - 1e-9) if up else math.floor(value + 1e-9)


def _place(positions: Sequence[int], n: int, cyclic: bool) -> list[int]:
    if cyclic:
        return [p % n for p in positions]
    return [p for p in positions if 0 <= p < n]


def _break_options(
    template: ShiftTemplate,
    start: int,
    length: int,
    n: int,
    cyclic: bool,
    interval_minutes: int,
) -> tuple[BreakOption, ...]:
    options = []
    for rule in template.breaks:
        first = _grid(rule.earliest_after_min, interval_minutes, up=True)
        last = _grid(rule.latest_after_min, interval_minutes, up=False)
        if last < first:  # window narrower than an interval: nearest grid point
            first = last = round(rule.earliest_after_min / interval_minutes)
        n_full, rest = divmod(rule.length_min, interval_minutes)
        shares = [1.0] * n_full + ([rest / interval_minutes] if rest else [])
        starts, offs = [], []
        for k in range(first, last + 1):
            if k + len(shares) > length:
                continue
            raw = start + k
            placement = []
            for i, share in enumerate(shares):
                pos = raw + i
                if cyclic:
                    placement.append((pos % n, share))
                elif 0 <= pos < n:
                    placement.append((pos, share))
            starts.append(raw % n if cyclic else raw)
            offs.append(tuple(placement))
        if not starts:
            raise InputError(
                f"break {rule.label!r} does not fit in a {length * interval_minutes} min shift",
                column=f"shift {template.name!r}.breaks",
            )
        options.append(
            BreakOption(rule.label, rule.paid, rule.length_min, tuple(starts), tuple(offs))
        )
    return tuple(options)


def _check_break_windows(template: ShiftTemplate) -> None:
    rules = sorted(template.breaks, key=lambda r: r.earliest_after_min)
    for a, b in itertools.pairwise(rules):
        if a.latest_after_min + a.length_min > b.earliest_after_min:
            raise InputError(
                f"the windows of breaks {a.label!r} and {b.label!r} overlap; give each break "
                "its own window (latest_after_min + length_min <= the next earliest_after_min)",
                column=f"shift {template.name!r}.breaks",
            )


def generate_variants(
    templates: Sequence[ShiftTemplate],
    axis: pd.DatetimeIndex,
    interval_minutes: int,
    cyclic: bool,
) -> tuple[ShiftVariant, ...]:
    """Every concrete shift the templates allow over the week of ``axis``.

    For each template, each of its days present on the axis, each start time of its window
    (``start_step_min`` apart; a window may cross midnight) and each length, one
    :class:`ShiftVariant`. Start times are wall-clock times of that day (daylight-saving days
    work); starts that are not on the interval grid are rounded up to it, lengths to the nearest
    whole number of intervals. Identical (day, start, length) variants of one template are
    generated once.

    Cost: ``template.cost`` per shift, else ``template.cost_per_hour`` x paid hours, else
    1 per paid hour.
    """
    n = len(axis)
    if n == 0:
        return ()
    tz = str(axis.tz)
    dates = [axis[p].date() for p in day_starts(axis)]
    variants: list[ShiftVariant] = []
    for template in templates:
        _check_break_windows(template)
        seen: set[tuple[int, int, int]] = set()
        for day, date in enumerate(dates):
            if DAY_NAMES[date.weekday()] not in template.days:
                continue
            grid_starts = sorted(
                {
                    _grid(m, interval_minutes, up=True) * interval_minutes
                    for m in template.start_minutes()
                }
            )
            for start_min in grid_starts:
                raw_start = _position_at_clock(axis, date, start_min, tz)
                if not cyclic and raw_start >= n:
                    continue
                for hours in template.length_hours:
                    length = max(1, round(hours * 60 / interval_minutes))
                    length_min = length * interval_minutes
                    key = (day, raw_start, length)
                    if key in seen:
                        continue
                    seen.add(key)
                    cover = _place(range(raw_start, raw_start + length), n, cyclic)
                    if not cover:
                        continue
                    breaks = _break_options(
                        template, raw_start, length, n, cyclic, interval_minutes
                    )
                    unpaid = sum(r.length_min for r in template.breaks if not r.paid)
                    paid_minutes = float(length_min - unpaid)
                    if template.cost is not None:
                        cost = float(template.cost)
                    elif template.cost_per_hour is not None:
                        cost = float(template.cost_per_hour) * paid_minutes / 60
                    else:
                        cost = paid_minutes / 60
                    variants.append(
                        ShiftVariant(
                            template=template.name,
                            day=day,
                            start=raw_start % n if cyclic else raw_start,
                            length=length,
                            start_clock_min=start_min % 1440,
                            length_min=length_min,
                            paid_minutes=paid_minutes,
                            cost=cost,
                            cover=tuple(cover),
                            breaks=breaks,
                        )
                    )
    return tuple(variants)
