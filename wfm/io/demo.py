"""Write the built-in demo contact centre to a folder (``wfm demo --out DIR``)."""

from __future__ import annotations

import os
from pathlib import Path

from wfm.demo import Demo
from wfm.io.files import atomic_write_text
from wfm.io.tables import write_agents, write_history

__all__ = ["DEMO_FILES", "write_demo"]

#: The files ``wfm demo`` writes, in this order.
DEMO_FILES = ("wfm.toml", "history.csv", "actuals.csv", "agents.csv", "README.md")


def write_demo(demo: Demo, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``demo`` to ``out_dir`` (created if needed; each file written atomically).

    Returns the paths written, in the order of :data:`DEMO_FILES`.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        atomic_write_text(folder / "wfm.toml", demo.config_text),
        write_history(demo.history, folder / "history.csv"),
        write_history(demo.actuals, folder / "actuals.csv"),
        write_agents(demo.agents, folder / "agents.csv"),
        atomic_write_text(folder / "README.md", demo.readme),
    ]
