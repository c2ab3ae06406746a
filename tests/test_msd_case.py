"""MSD instances as ``wfm schedule`` input: the same problem as the benchmark model, the command's
own search strategy, and the benchmark measuring what the command does."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from solvers.problem import problem_from_requirements
from wfm.cli import main
from wfm.config import SolverOptions
from wfm.errors import InputError
from wfm.io.files import read_config
from wfm.io.msd import read_msd
from wfm.io.tables import read_requirements
from wfm.msd_case import MSD_WEEK, problem_from_msd
from wfm.pipeline import plan_strategy

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_msd", ROOT / "benchmarks" / "bench_msd.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def msd_dir(shared_data):
    return shared_data / "shift_design_msd"


def test_plan_strategy_auto_follows_the_distinct_shift_penalty():
    assert plan_strategy("auto", 60.0) == "zero_deviation_first"
    assert plan_strategy("auto", 0.0) == "weighted"
    assert plan_strategy("weighted", 60.0) == "weighted"
    assert plan_strategy("zero_deviation_first", 0.0) == "zero_deviation_first"


def test_unknown_strategy_is_a_clear_error():
    with pytest.raises(InputError, match="strategy must be one of auto, weighted"):
        SolverOptions(strategy="lexicographic")


def _instance(msd_dir: Path, dataset: str, number: int):
    with open(msd_dir / "cbc_check.csv", newline="") as handle:
        ref = next(
            r
            for r in csv.DictReader(handle)
            if r["dataset"] == dataset and r["instance"] == str(number)
        )
    return read_msd(msd_dir / ref["file"]), float(ref["published_reference"] or ref["objective"])


@pytest.mark.parametrize(
    ("dataset", "number"), [("DataSet1", 1), ("DataSet1", 14), ("DataSet4", 1)]
)
def test_files_give_the_benchmark_model(msd_dir, tmp_path, dataset, number):
    """The wfm.toml + requirements CSV written for an instance, read back as ``wfm schedule``
    reads them, give the benchmark's problem, and that problem is the instance: its demand, its
    weights in person-minutes, and one shift per (start, length) its templates allow."""
    instance, _ = _instance(msd_dir, dataset, number)
    _bench().write_case(instance, tmp_path, limit_sec=60, threads=1, strategy="auto")
    config = read_config(tmp_path / "wfm.toml")
    requirements, _ = read_requirements(tmp_path / "requirements.csv", config)
    via_files = problem_from_requirements(requirements, config, MSD_WEEK)
    direct = problem_from_msd(instance)
    key = lambda v: (v.day, v.start, v.length, v.start_clock_min, v.cover, v.cost)  # noqa: E731
    assert sorted(map(key, via_files.variants)) == sorted(map(key, direct.variants))
    assert via_files.cyclic is direct.cyclic is instance.cyclic
    (queue,) = via_files.queues
    np.testing.assert_allclose(queue.required, instance.requirements)
    slot = instance.slot_minutes
    assert via_files.rules.understaff_penalty == instance.w_under * slot
    assert via_files.rules.overstaff_penalty == instance.w_over * slot
    assert via_files.rules.distinct_shift_penalty == instance.w_shifts
    expected = set()
    for shift in instance.shift_types:
        for start in range(shift.earliest_start_min, shift.latest_start_min + 1, slot):
            for length in range(shift.shortest_min, shift.longest_min + 1, slot):
                expected.add((start % 1440, length))
    assert {v.shift_key for v in via_files.variants} == expected


def test_command_and_benchmark_agree(msd_dir, tmp_path):
    """``wfm schedule`` on the written files reaches the best-known fitness of DataSet1 #1, with
    the zero-deviation-first strategy chosen by itself, and the benchmark's function (the same
    files, the same pipeline) reports the same objective."""
    bench = _bench()
    instance, reference = _instance(msd_dir, "DataSet1", 1)
    bench.write_case(instance, tmp_path, limit_sec=30, threads=1, strategy="auto")
    summary = tmp_path / "summary.json"
    code = main(
        [
            "schedule",
            "--config", str(tmp_path / "wfm.toml"),
            "--requirements", str(tmp_path / "requirements.csv"),
            "--week", MSD_WEEK.isoformat(),
            "--out", str(tmp_path / "schedule.csv"),
            "--summary-out", str(summary),
        ]
    )  # fmt: skip
    assert code == 0
    command = json.loads(summary.read_text())
    assert command["strategy"] == "zero_deviation_first"
    assert command["status"] == "optimal"
    # the MSD objective in person-minutes is the model's objective: fitness = objective
    run = bench.solve_case(tmp_path)
    fitness = bench.msd_fitness(instance, bench.solution_shifts(run.result))["fitness"]
    assert fitness == reference
    assert command["objective"] == pytest.approx(run.result.outcome.objective)
    assert run.result.outcome.objective == pytest.approx(fitness)
