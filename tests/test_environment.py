"""The dev environment: HiGHS stays available when pyworkforce (OR-Tools) is loaded too."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("first", ["highspy", "pyworkforce"])
def test_highs_and_pyworkforce_load_in_one_process(first):
    # OR-Tools >= 9.12 bundles its own HiGHS; its symbols clash with highspy's, and whichever
    # loads second fails. pyproject pins ortools < 9.12 for that reason.
    second = "pyworkforce" if first == "highspy" else "highspy"
    code = (
        f"import {first}, {second}, pulp\n"
        "from ortools.sat.python import cp_model\n"
        "assert pulp.HiGHS().available()\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "ok"
