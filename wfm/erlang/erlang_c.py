"""Erlang B (M/M/n/n) and Erlang C (M/M/n): waiting probability, service level, ASA and
occupancy."""

from __future__ import annotations

import numpy as np

from wfm.erlang.numerics import (
    agents_array,
    as_output,
    finite_traffic,
    log_erlang_b,
    non_negative,
    positive,
)

__all__ = [
    "asa_c_sec",
    "asa_sec",
    "erlang_b",
    "erlang_c",
    "erlang_c_from_b",
    "occupancy",
    "occupancy_c",
    "service_level",
    "service_level_c",
]


def erlang_b(traffic_erl, agents):
    r"""Blocking probability of the Erlang loss system M/M/n/n.

    .. math:: B(n, A) = \frac{A^n / n!}{\sum_{k=0}^{n} A^k / k!}
              = \frac{e^{n \ln A - A - \ln\Gamma(n+1)}}{Q(n+1, A)}

    Parameters
    ----------
    traffic_erl
        Offered traffic :math:`A` in Erlangs (>= 0).
    agents
        Number of agents (trunks) :math:`n`, whole numbers >= 0.

    Returns
    -------
    Probability that an arriving contact finds all agents busy (1 when ``agents`` is 0).

    Notes
    -----
    A. K. Erlang (1917); the incomplete-gamma form is the Poisson ratio
    :math:`\Pr(X = n)/\Pr(X \le n)`, :math:`X \sim \mathrm{Poisson}(A)` (Jagerman 1974).
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    a, n = np.broadcast_arrays(a, n)
    return as_output(np.exp(log_erlang_b(n.astype(float), a.astype(float))))


def erlang_c_from_b(b: np.ndarray, n: np.ndarray, a: np.ndarray) -> np.ndarray:
    r""":math:`C = nB / (n - A(1 - B))` for :math:`n > A`, else 1 (0 without traffic)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    c = np.where(n > a, c, 1.0)
    return np.where(a == 0, 0.0, c)


def erlang_c(traffic_erl, agents):
    r"""Probability of waiting in the Erlang delay system M/M/n (Erlang C).

    .. math:: C(n, A) = \frac{n\,B(n, A)}{n - A\,(1 - B(n, A))}, \quad n > A

    Parameters
    ----------
    traffic_erl
        Offered traffic :math:`A` in Erlangs.
    agents
        Number of agents :math:`n` (whole numbers).

    Returns
    -------
    Probability that a contact has to wait (Erlang's C formula). With :math:`n \le A` the queue
    is unstable and every contact waits: 1. Without traffic: 0.

    Notes
    -----
    Relation of Erlang C to Erlang B: Gans, Koole and Mandelbaum (2003), section 4.1;
    Koole (2013), ch. 5.
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    a, n = np.broadcast_arrays(a, n)
    b = np.exp(log_erlang_b(n.astype(float), a.astype(float)))
    return as_output(erlang_c_from_b(b, n, a))


def service_level_c(c, n, a, aht, threshold):
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * threshold / aht)
    sl = np.where(n > a, sl, 0.0)
    return np.where(a == 0, 1.0, sl)


def asa_c_sec(c, n, a, aht):
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = c * aht / (n - a)
    asa = np.where(n > a, asa, np.inf)
    return np.where(a == 0, 0.0, asa)


def occupancy_c(n, a):
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > a, a / n, 1.0)
    return np.where((a == 0) | (n == 0), 0.0, occ)


def service_level(traffic_erl, agents, aht_sec, threshold_sec):
    r"""Erlang C service level: share of offered contacts answered within ``threshold_sec``.

    .. math:: SL(t) = 1 - C(n, A)\, e^{-(n - A)\, t / h}, \quad n > A

    Parameters
    ----------
    traffic_erl
        Offered traffic :math:`A` in Erlangs.
    agents
        Number of agents :math:`n`.
    aht_sec
        Mean handle time :math:`h` in seconds.
    threshold_sec
        Service-level threshold :math:`t` in seconds (the "20" of "80/20"; not the ASA).

    Returns
    -------
    :math:`\Pr(W \le t)`, the waiting-time distribution of M/M/n under first come first served
    (Gans, Koole and Mandelbaum 2003, eq. (3)). 0 when :math:`n \le A`; 1 without traffic.
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    aht = positive(aht_sec, "aht_sec")
    thr = non_negative(threshold_sec, "threshold_sec")
    a, n, aht, thr = np.broadcast_arrays(a, n, aht, thr)
    b = np.exp(log_erlang_b(n, a))
    return as_output(service_level_c(erlang_c_from_b(b, n, a), n, a, aht, thr))


def asa_sec(traffic_erl, agents, aht_sec):
    r"""Erlang C average speed of answer (mean wait of all offered contacts) in seconds.

    .. math:: \mathrm{ASA} = \frac{C(n, A)\, h}{n - A}, \quad n > A

    Returns infinity when :math:`n \le A` (the queue grows without bound) and 0 without traffic.
    Under Erlang C nobody abandons, so the mean wait of answered and of offered contacts agree.
    Source: Gans, Koole and Mandelbaum (2003), section 4.1.
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    aht = positive(aht_sec, "aht_sec")
    a, n, aht = np.broadcast_arrays(a, n, aht)
    b = np.exp(log_erlang_b(n, a))
    return as_output(asa_c_sec(erlang_c_from_b(b, n, a), n, a, aht))


def occupancy(traffic_erl, agents):
    r"""Agent occupancy (share of staffed time on contacts) of Erlang C: :math:`A / n`.

    1 when :math:`n \le A` (agents never idle; the queue is unstable), 0 without traffic or
    without agents. For Erlang A (abandonment) use :attr:`ErlangAResult.occupancy`, which is
    the carried load :math:`A (1 - P_{ab}) / n`.
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    a, n = np.broadcast_arrays(a, n)
    return as_output(occupancy_c(n, a))
