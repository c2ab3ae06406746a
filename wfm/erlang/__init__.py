r"""Erlang queueing formulas for contact-centre staffing, vectorised over intervals.

Every function broadcasts its arguments with numpy, so one call evaluates a whole year of
intervals; scalars in give 0-d results out. Nothing uses factorials or powers that overflow:
Erlang B is the ratio of a Poisson probability to a Poisson distribution function, computed in
logarithms with ``scipy.special.gammaln`` and the regularised incomplete gamma function
``gammaincc`` (valid at 5,000 Erlangs and far beyond).

Notation used in the formulas below: :math:`A` offered traffic in Erlangs (arrival rate times
mean handle time), :math:`n` agents, :math:`h` mean handle time (``aht_sec``), :math:`t` the
service-level threshold (``threshold_sec``), :math:`P(a, x)` and :math:`Q(a, x) = 1 - P(a, x)`
the regularised lower and upper incomplete gamma functions.

Models
------
* **Erlang B** (M/M/n/n, blocked calls lost) and **Erlang C** (M/M/n, infinite patience,
  first come first served): A. K. Erlang (1917), "Solution of some problems in the theory of
  probabilities of significance in automatic telephone exchanges"; textbook forms in
  G. Koole (2013), *Call Center Optimization*, MG Books, ch. 5, and N. Gans, G. Koole and
  A. Mandelbaum (2003), "Telephone call centers: tutorial, review, and research prospects",
  *Manufacturing & Service Operations Management* 5(2), 79-141.
* **Erlang A** (M/M/n+M: exponential patience with mean ``patience_sec``): C. Palm (1943);
  O. Garnett, A. Mandelbaum and M. Reiman (2002), "Designing a call center with impatient
  customers", *M&SOM* 4(3), 208-227; A. Mandelbaum and S. Zeltyn (2007), "The M/M/n+G queue:
  summary of performance measures" (Technion technical note). The closed forms here are exact
  (no approximation of the model); only the ASA needs a sum, which is evaluated to machine
  precision.

Modules: :mod:`wfm.erlang.erlang_c` (Erlang B and C), :mod:`wfm.erlang.erlang_a`,
:mod:`wfm.erlang.staffing` (required agents) and :mod:`wfm.erlang.numerics` (shared).
"""

from wfm.erlang.erlang_a import ErlangAResult, erlang_a
from wfm.erlang.erlang_c import asa_sec, erlang_b, erlang_c, occupancy, service_level
from wfm.erlang.numerics import TOLERANCE, ceil_tol, traffic_erl
from wfm.erlang.staffing import StaffingResult, required_agents

__all__ = [
    "TOLERANCE",
    "ErlangAResult",
    "StaffingResult",
    "asa_sec",
    "ceil_tol",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "required_agents",
    "service_level",
    "traffic_erl",
]
