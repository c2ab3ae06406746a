"""Independent checks of what the solvers produce, before a user sees it.

:func:`check_schedule` checks a schedule export against every hard rule of the configuration
and the agents (:mod:`wfm.check.schedule`), sharing no code with the solvers; its result is a
:class:`CheckResult` (:mod:`wfm.check.result`).
"""

from wfm.check.result import ROSTER_RULES, SHIFT_PLAN_RULES, CheckResult, Violation
from wfm.check.schedule import check_schedule

__all__ = ["ROSTER_RULES", "SHIFT_PLAN_RULES", "CheckResult", "Violation", "check_schedule"]
