"""Minimum Shift Design: the parser, the independent fitness, and best-known values reproduced."""

from __future__ import annotations

import csv

import pytest

from solvers.shift_plan import SolveStatus, solve_problem
from wfm.config import SolverOptions
from wfm.errors import InputError
from wfm.io.msd import read_msd
from wfm.msd import msd_fitness, parse_msd
from wfm.msd_case import problem_from_msd

TINY = """#MinuteInterval:
60

#DaysPerCycle:
7

#FlagCyclical: yes or no
yes

#Requirements:
{req}

#Number of shift templates
1

#Shift templates
#Abbr, Full name, Start, + Minutes,  -Minutes, Length, +Minutes, -Minutes, available days
N Nachtschicht 22:0 0 0 480 0 0 *

#UnderCover:
1

#Overcover:
1

#Shifts:
60

#Fitness of assumed optimal Solution:
# 60

#Optimal Solution:
#Shift Start Length Duties:
# 1:  22:0    480       1  1  1  1  1  1  1
"""


def tiny_requirements() -> str:
    req = [0] * 168
    for day in range(7):  # 22:00-06:00 every night, wrapping from Sunday into Monday
        for hour in range(22, 30):
            req[(day * 24 + hour) % 168] = 1
    return " ".join(map(str, req))


def test_parse_and_evaluate_a_cyclic_instance():
    instance = parse_msd(TINY.format(req=tiny_requirements()), name="tiny")
    assert instance.slot_minutes == 60 and instance.cyclic
    assert instance.shift_types[0].name == "Nachtschicht"
    assert instance.fitness == 60
    assert msd_fitness(instance, instance.listed_solution)["fitness"] == 60
    # Without the Sunday shift, Monday 00:00-06:00 is short: 6 person-hours = 360 minutes.
    fewer = [(22 * 60, 480, (1, 1, 1, 1, 1, 1, 0))]
    assert msd_fitness(instance, fewer) == {
        "fitness": 60 + 8 * 60,
        "under_min": 480.0,
        "over_min": 0.0,
        "shifts": 1.0,
    }


def test_tiny_instance_solved_with_sunday_night_covering_monday():
    instance = parse_msd(TINY.format(req=tiny_requirements()), name="tiny")
    result = solve_problem(problem_from_msd(instance), SolverOptions(threads=1, gap=0.0))
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(60)


def test_bad_requirements_name_the_line():
    with pytest.raises(InputError) as err:
        parse_msd(TINY.format(req="1 2 3"))
    assert err.value.row == 11


@pytest.fixture(scope="module")
def msd_dir(shared_data):
    return shared_data / "shift_design_msd"


def test_listed_solutions_reproduce_stored_fitness(msd_dir):
    with open(msd_dir / "instances_summary.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["dataset"] in ("DataSet1", "DataSet2")]
    for row in rows[::5]:
        instance = read_msd(msd_dir / row["file"])
        assert msd_fitness(instance, instance.listed_solution)["fitness"] == float(
            row["listed_solution_fitness"]
        ), row["file"]


@pytest.mark.parametrize(
    ("dataset", "number"), [("DataSet1", 1), ("DataSet1", 3), ("DataSet1", 27), ("DataSet4", 1)]
)
def test_best_known_values_reproduced(msd_dir, dataset, number):
    """DataSet4 #1 has a start window reaching 24:00 (00:00 of the next day)."""
    with open(msd_dir / "cbc_check.csv", newline="") as handle:
        ref = next(
            r
            for r in csv.DictReader(handle)
            if r["dataset"] == dataset and r["instance"] == str(number)
        )
    instance = read_msd(msd_dir / ref["file"])
    assert instance.slot_minutes == 60
    result = solve_problem(
        problem_from_msd(instance),
        SolverOptions(name="highs", threads=1, gap=0.0, time_limit_sec=30),
        zero_deviation_first=True,
    )
    per_key: dict[tuple[int, int], list[int]] = {}
    for shift in result.shifts:
        variant = result.problem.variants[shift.variant]
        day, clock = divmod(variant.start * instance.slot_minutes, 1440)
        per_key.setdefault((clock, variant.length_min), [0] * 7)[day] += shift.count
    shifts = [(s, length, counts) for (s, length), counts in per_key.items()]
    fitness = msd_fitness(instance, shifts)["fitness"]
    assert fitness == float(ref["published_reference"] or ref["objective"])
    assert result.outcome.objective == pytest.approx(fitness)
