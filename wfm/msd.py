"""The Minimum Shift Design (MSD) benchmark instance format (Musliu, Schaerf & Slany; DBAI TU Wien).

:func:`parse_msd` turns the text of a ``RandomExampleN.txt`` file into an :class:`MsdInstance`
(pure; reading the file is :func:`wfm.io.msd.read_msd`). :func:`msd_fitness` evaluates a set of
shifts with the benchmark's objective, independently of any solver (posing an instance as
``wfm schedule`` input is :mod:`wfm.msd_case`):

.. math::

    F = w_{under} \\cdot U + w_{over} \\cdot O + w_{shifts} \\cdot S

with ``U`` and ``O`` the shortage and excess in person-minutes
(``sum_t max(0, r_t - c_t) * slot`` and ``sum_t max(0, c_t - r_t) * slot``; ``c_t`` the workers
on duty in slot ``t``, wrapped over the week when the instance is cyclic) and ``S`` the number of
distinct (start, length) shifts with at least one worker on some day.

Sources: Di Gaspero, Gärtner, Kortsarz, Musliu, Schaerf & Slany (2007), "The minimum shift design
problem", Annals of OR 155; Kletzander & Musliu (2019), "Modelling and solving the minimum shift
design problem", CPAIOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wfm.errors import InputError

__all__ = ["MsdInstance", "MsdShiftType", "msd_fitness", "parse_msd"]


@dataclass(frozen=True)
class MsdShiftType:
    """A shift template of an instance: windows for the start and the length (minutes).

    The start window is ``[start - start_minus, start + start_plus]`` minutes after midnight (may
    leave ``[0, 1440)``: it then crosses midnight), the length window
    ``[length - length_minus, length + length_plus]``.
    """

    abbr: str
    name: str
    start_min: int
    start_plus_min: int
    start_minus_min: int
    length_min: int
    length_plus_min: int
    length_minus_min: int
    days: str = "*"

    @property
    def earliest_start_min(self) -> int:
        return self.start_min - self.start_minus_min

    @property
    def latest_start_min(self) -> int:
        return self.start_min + self.start_plus_min

    @property
    def shortest_min(self) -> int:
        return self.length_min - self.length_minus_min

    @property
    def longest_min(self) -> int:
        return self.length_min + self.length_plus_min


@dataclass(frozen=True, eq=False)
class MsdInstance:
    """One MSD instance.

    Attributes
    ----------
    slot_minutes
        Length of a time slot (15, 30 or 60).
    days
        Days per cycle (7).
    cyclic
        Whether the week wraps (a shift late on day 7 continues into day 1).
    requirements
        Workers required per slot, ``days * 1440 / slot_minutes`` integers (index 0 = day 1 00:00).
    shift_types
        The templates.
    w_under, w_over, w_shifts
        Objective weights (shortage and excess per person-minute, per distinct shift).
    fitness
        "Fitness of assumed optimal solution" stored in the file (None when empty).
    listed_solution
        The solution listed in the file: ``(start_min, length_min, workers per day)``.
    """

    slot_minutes: int
    days: int
    cyclic: bool
    requirements: np.ndarray
    shift_types: tuple[MsdShiftType, ...]
    w_under: float = 1.0
    w_over: float = 1.0
    w_shifts: float = 0.0
    fitness: float | None = None
    listed_solution: tuple[tuple[int, int, tuple[int, ...]], ...] = ()
    name: str = ""


def _clock(text: str, line: int) -> int:
    try:
        hours, minutes = text.split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        raise InputError(f"expected a time H:M, got {text!r}", row=line) from None


def _sections(text: str) -> dict[str, list[tuple[int, str]]]:
    """``{label: [(line number, value line), ...]}`` for the ``#Label`` blocks of the file."""
    sections: dict[str, list[tuple[int, str]]] = {}
    label = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            body = line.lstrip("#").strip()
            values_here = label is not None and label.startswith(
                ("fitness", "optimal solution", "shift start")
            )
            # the values of these sections are '#'-prefixed lines themselves
            if values_here and body and (body[0].isdigit() or body[0] == "-"):
                sections.setdefault(label, []).append((number, body))
                continue
            label = body.split(":")[0].strip().lower()
            sections.setdefault(label, [])
            continue
        if label is not None:
            sections[label].append((number, line))
    return sections


def _one(sections: dict, key: str, what: str) -> tuple[int, str]:
    for label, lines in sections.items():
        if label.startswith(key) and lines:
            return lines[0]
    raise InputError(f"missing section {what!r}")


def parse_msd(text: str, name: str = "") -> MsdInstance:
    """Parse the text of an MSD instance file (``#Label`` lines, the value on the next line)."""
    sections = _sections(text)
    line, value = _one(sections, "minuteinterval", "#MinuteInterval")
    slot = int(value)
    if slot <= 0 or 1440 % slot:
        raise InputError(f"slot length must divide a day, got {slot}", row=line)
    line, value = _one(sections, "dayspercycle", "#DaysPerCycle")
    days = int(value)
    _line, value = _one(sections, "flagcyclical", "#FlagCyclical")
    cyclic = value.strip().lower().startswith("y")
    line, value = _one(sections, "requirements", "#Requirements")
    try:
        requirements = np.array([int(v) for v in value.split()], dtype=float)
    except ValueError:
        raise InputError("requirements must be whole numbers", row=line) from None
    expected = days * 1440 // slot
    if len(requirements) != expected:
        raise InputError(f"{len(requirements)} requirements, expected {expected}", row=line)
    if np.any(requirements < 0):
        raise InputError("requirements must be >= 0", row=line)
    templates = []
    for label, lines in sections.items():
        if not label.startswith("abbr"):
            continue
        for number, row in lines:
            parts = row.split()
            if len(parts) < 9:
                raise InputError(f"a shift template needs 9 fields, got {row!r}", row=number)
            start = _clock(parts[-7], number)
            try:
                plus, minus, length, lplus, lminus = (int(p) for p in parts[-6:-1])
            except ValueError:
                raise InputError(f"bad shift template {row!r}", row=number) from None
            templates.append(
                MsdShiftType(
                    parts[0],
                    " ".join(parts[1:-7]),
                    start,
                    plus,
                    minus,
                    length,
                    lplus,
                    lminus,
                    parts[-1],
                )
            )
    if not templates:
        raise InputError("no shift templates found (#Abbr, ... section)")

    def weight(key: str, default: float) -> float:
        for label, lines in sections.items():
            if label.startswith(key) and lines:
                return float(lines[0][1])
        return default

    fitness = None
    for label, lines in sections.items():
        if label.startswith("fitness") and lines:
            fitness = float(lines[0][1])
    listed = []
    for label, lines in sections.items():
        if not label.startswith(("optimal solution", "shift start")):
            continue
        for number, row in lines:
            parts = row.replace(":", " : ", 1).split()
            # "1 : 8:0 420 4 4 4 4 4 0 0"
            try:
                start = _clock(parts[2], number)
                length = int(parts[3])
                counts = tuple(int(p) for p in parts[4 : 4 + days])
            except (IndexError, ValueError):
                continue
            if len(counts) == days:
                listed.append((start, length, counts))
    return MsdInstance(
        slot_minutes=slot,
        days=days,
        cyclic=cyclic,
        requirements=requirements,
        shift_types=tuple(templates),
        w_under=weight("undercover", 1.0),
        w_over=weight("overcover", 1.0),
        w_shifts=weight("shifts", 0.0),
        fitness=fitness,
        listed_solution=tuple(listed),
        name=name,
    )


def msd_coverage(
    instance: MsdInstance, shifts: Sequence[tuple[int, int, Sequence[int]]]
) -> np.ndarray:
    """Workers on duty per slot for ``(start_min, length_min, workers per day)`` shifts."""
    slot = instance.slot_minutes
    n = len(instance.requirements)
    per_day = 1440 // slot
    cover = np.zeros(n)
    for start_min, length_min, counts in shifts:
        first = start_min // slot
        width = length_min // slot
        for day, workers in enumerate(counts):
            if not workers:
                continue
            positions = np.arange(day * per_day + first, day * per_day + first + width)
            positions = positions % n if instance.cyclic else positions[positions < n]
            np.add.at(cover, positions, workers)
    return cover


def msd_fitness(
    instance: MsdInstance, shifts: Sequence[tuple[int, int, Sequence[int]]]
) -> dict[str, float]:
    """The MSD objective of a solution, with its parts.

    Returns ``{"fitness", "under_min", "over_min", "shifts"}``: shortage and excess in
    person-minutes and the number of distinct (start, length) shifts with a worker.
    """
    cover = msd_coverage(instance, shifts)
    diff = cover - instance.requirements
    under = float(np.clip(-diff, 0, None).sum()) * instance.slot_minutes
    over = float(np.clip(diff, 0, None).sum()) * instance.slot_minutes
    used = {(s % 1440, length) for s, length, counts in shifts if any(counts)}
    fitness = instance.w_under * under + instance.w_over * over + instance.w_shifts * len(used)
    return {"fitness": fitness, "under_min": under, "over_min": over, "shifts": float(len(used))}
