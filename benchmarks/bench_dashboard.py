"""Benchmark: the dashboard's speed in a real browser, on the demo workspace ``make app`` opens.

What a user runs: ``streamlit run app.py`` on the demo workspace (``wfm demo --out
demo-centre``, created here when missing), opened in headless Chromium. The measurement is the
browser test itself (``tests/test_browser.py`` with ``WFM_BROWSER_WORKSPACE`` set): the first
page rendered after the server is up, a what-if change on Staffing reflected on the page, and
every page again from a warm cache. Each run starts a fresh server on a copy of the workspace.

Run: ``.venv/bin/python benchmarks/bench_dashboard.py [--runs 3] [--workspace demo-centre]``.
Prints the median and range of each figure; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = ROOT / "test-output" / "browser-timings.json"


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workspace", type=Path, default=ROOT / "demo-centre")
    args = parser.parse_args()
    folder = args.workspace.resolve()
    if not (folder / "wfm.toml").is_file():
        subprocess.run(
            [Path(sys.executable).parent / "wfm", "demo", "--out", str(folder)], check=True
        )
    env = {**os.environ, "WFM_BROWSER_WORKSPACE": str(folder)}
    runs = []
    for i in range(args.runs):
        TIMINGS.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "tests/test_browser.py"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        runs.append(json.loads(TIMINGS.read_text()))
        print(f"run {i + 1}: first page {runs[-1]['first_page_sec']:.3f} s, "
              f"what-if {runs[-1]['what_if_sec']:.3f} s", flush=True)  # fmt: skip
    print(f"\ndashboard on {folder.name}, {args.runs} runs, median (range):")
    print(f"  server start            {_spread([r['server_start_sec'] for r in runs])}")
    print(f"  first page rendered     {_spread([r['first_page_sec'] for r in runs])}")
    print(f"  what-if reflected       {_spread([r['what_if_sec'] for r in runs])}")
    for page in runs[0]["warm_page_sec"]:
        print(f"  {page + ' (warm)':<22}  {_spread([r['warm_page_sec'][page] for r in runs])}")
    slowest = [max(r["warm_page_sec"].values()) for r in runs]
    print(f"  slowest warm page       {_spread(slowest)}")


if __name__ == "__main__":
    main()
