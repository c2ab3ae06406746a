"""The configuration (``wfm.toml``) as frozen, validated dataclasses.

Every value is checked in ``__post_init__``; a bad value raises :class:`~wfm.errors.InputError`
with the key path (``queues[2].service_level``). :func:`parse_config` turns TOML text into a
:class:`Config` and adds the file name and line; reading the file is :func:`wfm.io.read_config`.
"""

from __future__ import annotations

from wfm.config.common import CHANNELS, DEFERRABLE_CHANNELS, clock_to_minutes
from wfm.config.loader import config_from_dict, parse_config, toml_line
from wfm.config.settings import (
    FORECAST_MODELS,
    Adjustment,
    Calendar,
    Config,
    Database,
    ForecastSettings,
    Holiday,
)
from wfm.config.shifts import BreakRule, Rules, ShiftTemplate
from wfm.config.site import Queue, Site
from wfm.config.solver import PLAN_STRATEGIES, SolverOptions
from wfm.roster_params import RosterParams

__all__ = [
    "CHANNELS",
    "DEFERRABLE_CHANNELS",
    "FORECAST_MODELS",
    "PLAN_STRATEGIES",
    "Adjustment",
    "BreakRule",
    "Calendar",
    "Config",
    "Database",
    "ForecastSettings",
    "Holiday",
    "Queue",
    "RosterParams",
    "Rules",
    "ShiftTemplate",
    "Site",
    "SolverOptions",
    "clock_to_minutes",
    "config_from_dict",
    "parse_config",
    "toml_line",
]
