"""wfm: contact-centre workforce management.

History -> Forecast -> Requirements -> Schedule -> Comparison. See ``docs/architecture.md``.
"""

from wfm.config import Config, Queue, Rules, ShiftTemplate, Site, SolverOptions, parse_config
from wfm.errors import InfeasibleError, InputError, WfmError

__all__ = [
    "Config",
    "InfeasibleError",
    "InputError",
    "Queue",
    "Rules",
    "ShiftTemplate",
    "Site",
    "SolverOptions",
    "WfmError",
    "parse_config",
]

__version__ = "0.1.0"
