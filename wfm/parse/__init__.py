"""Parse and validate the CSV inputs: history/actuals, forecast, requirements, agents, schedule.

Pure functions: each takes the CSV *text* (or a frame of strings, as a CSV reader gives) and a
``source`` name used in error messages, and returns a :class:`ParseResult` holding the validated
tidy frame and the notes worth telling the user (ignored columns, recognised ACD headers, inferred
interval length, fall-back hours resolved). Reading the file is :mod:`wfm.io.tables`.

Every problem raises :class:`~wfm.errors.InputError` naming the source, the row (the line a text
editor shows: the header is line 1, the first data row line 2) and the column as it is spelled in
the file. How local times and daylight-saving days are read: :mod:`wfm.parse.columns`.

=============================  ==============================================================
module                         input
=============================  ==============================================================
:mod:`wfm.parse.history`       ACD interval export (history and actuals)
:mod:`wfm.parse.planning`      our forecast and requirements CSVs
:mod:`wfm.parse.agents`        the agents CSV
:mod:`wfm.parse.schedule`      the schedule export
:mod:`wfm.parse.table`         reading a CSV into a checked table; header mapping
:mod:`wfm.parse.columns`       typed columns: numbers, times, channels, queues, the grid
:mod:`wfm.parse.aliases`       the header spellings of ACD exports
=============================  ==============================================================
"""

from wfm.parse.agents import AGENTS_FRAME_COLUMNS, parse_agents
from wfm.parse.aliases import HISTORY_ALIASES
from wfm.parse.history import parse_history
from wfm.parse.planning import parse_forecast, parse_requirements
from wfm.parse.schedule import parse_schedule
from wfm.parse.table import ParseResult
from wfm.schemas import HISTORY_FRAME_COLUMNS

__all__ = [
    "AGENTS_FRAME_COLUMNS",
    "HISTORY_ALIASES",
    "HISTORY_FRAME_COLUMNS",
    "ParseResult",
    "parse_agents",
    "parse_forecast",
    "parse_history",
    "parse_requirements",
    "parse_schedule",
]
