"""File input and output: the only place in ``wfm`` that touches files.

Readers take a path, read the text and hand it to the matching ``parse_*`` function, which
validates it and raises :class:`~wfm.errors.InputError` naming the file, row and column. Writers
write to a temporary file in the same folder and rename it over the target, so a crash never
leaves a half-written file and what the user had is never lost.
"""

from wfm.io.actuals import read_agent_states, read_schedule, write_comparison
from wfm.io.demo import DEMO_FILES, write_demo
from wfm.io.files import atomic_write_text, read_config, read_text, write_csv, write_json
from wfm.io.msd import read_msd
from wfm.io.schedule import write_coverage, write_schedule, write_summary
from wfm.io.tables import (
    read_actuals,
    read_agents,
    read_forecast,
    read_history,
    read_requirements,
    write_agents,
    write_forecast,
    write_history,
    write_requirements,
)

__all__ = [
    "DEMO_FILES",
    "atomic_write_text",
    "read_actuals",
    "read_agent_states",
    "read_agents",
    "read_config",
    "read_forecast",
    "read_history",
    "read_msd",
    "read_requirements",
    "read_schedule",
    "read_text",
    "write_agents",
    "write_comparison",
    "write_coverage",
    "write_csv",
    "write_demo",
    "write_forecast",
    "write_history",
    "write_json",
    "write_requirements",
    "write_schedule",
    "write_summary",
]
