"""Shared numerics of the Erlang models: argument checks, the tolerant ceiling, offered
traffic and Erlang B in logarithms."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincc, gammaln, xlogy

from wfm.errors import InputError

__all__ = [
    "TOLERANCE",
    "agents_array",
    "as_output",
    "ceil_tol",
    "checked_array",
    "finite_traffic",
    "log_erlang_b",
    "non_negative",
    "positive",
    "traffic_erl",
]


#: Relative tolerance when comparing a computed quantity with a target (service level, ASA,
#: occupancy cap): a value within this distance of the target meets it, so that floating-point
#: noise at exact multiples (e.g. 8.5 Erlangs at 85 % occupancy = 10 agents) does not add an agent.
TOLERANCE = 1e-12

# Below this log-probability the Poisson terms underflow; Erlang B then uses a short series.
_LOG_TINY = -600.0


def checked_array(value, name: str) -> np.ndarray:
    out = np.asarray(value, dtype=float)
    if np.isnan(out).any():
        raise InputError(f"{name} must not be NaN")
    return out


def non_negative(value, name: str) -> np.ndarray:
    out = checked_array(value, name)
    if (out < 0).any():
        raise InputError(f"{name} must be >= 0, got {out[out < 0].flat[0]:g}")
    return out


def positive(value, name: str) -> np.ndarray:
    out = checked_array(value, name)
    if (out <= 0).any():
        raise InputError(f"{name} must be > 0, got {out[out <= 0].flat[0]:g}")
    return out


def agents_array(value) -> np.ndarray:
    out = non_negative(value, "agents")
    if np.isinf(out).any() or (out != np.floor(out)).any():
        raise InputError("agents must be whole numbers")
    return out


def finite_traffic(value) -> np.ndarray:
    out = non_negative(value, "traffic_erl")
    if np.isinf(out).any():
        raise InputError("traffic_erl must be finite")
    return out


def as_output(x: np.ndarray):
    """0-d arrays come back as numpy scalars, everything else as arrays."""
    return x[()] if x.ndim == 0 else x


def ceil_tol(value: np.ndarray) -> np.ndarray:
    """``ceil`` ignoring floating-point noise above a whole number (30.000000000000004 -> 30)."""
    return np.ceil(value - TOLERANCE * np.maximum(1.0, np.abs(value)))


def traffic_erl(offered, interval_min, aht_sec):
    r"""Offered traffic in Erlangs: :math:`A = \text{offered} \cdot h / (60 \cdot \text{interval})`.

    Parameters
    ----------
    offered
        Contacts offered in the interval.
    interval_min
        Interval length in minutes.
    aht_sec
        Average handle time in seconds.
    """
    offered = non_negative(offered, "offered")
    interval_min = positive(interval_min, "interval_min")
    aht_sec = non_negative(aht_sec, "aht_sec")
    return as_output(np.asarray(offered * aht_sec / (interval_min * 60.0)))


def log_erlang_b(agents: np.ndarray, traffic: np.ndarray) -> np.ndarray:
    r""":math:`\ln B(n, A)` for whole ``agents`` >= 0 and finite ``traffic`` >= 0 (same shape).

    :math:`B(n, A) = \dfrac{A^n e^{-A}/n!}{\sum_{k=0}^{n} A^k e^{-A}/k!}
    = \dfrac{\exp(n \ln A - A - \ln\Gamma(n+1))}{Q(n+1, A)}`, the Poisson probability of
    :math:`n` over the Poisson distribution function at :math:`n` (e.g. Koole 2013, ch. 5;
    Jagerman 1974, "Some properties of the Erlang loss function", *Bell Syst. Tech. J.* 53).
    Where both underflow (:math:`n \ll A`), the equivalent finite series
    :math:`1/B = \sum_{j=0}^{n} \prod_{i=0}^{j-1} (n-i)/A` is summed instead; its terms fall at
    least as fast as :math:`(n/A)^j` there.
    """
    n, a = agents, traffic
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_pmf = xlogy(n, a) - a - gammaln(n + 1.0)
        log_b = log_pmf - np.log(gammaincc(n + 1.0, a))
    log_b = np.where(a == 0, np.where(n == 0, 0.0, -np.inf), log_b)
    tiny = (log_pmf < _LOG_TINY) & (n < a)
    if tiny.any():
        nn, aa = n[tiny], a[tiny]
        term = np.ones_like(nn)
        total = np.ones_like(nn)
        j = 0
        while True:
            term = term * np.maximum(nn - j, 0.0) / aa
            total += term
            j += 1
            if not (term > 1e-17 * total).any():
                break
        log_b[tiny] = -np.log(total)
    return log_b
