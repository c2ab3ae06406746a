"""Erlang A (M/M/n+M, exponential patience): exact closed forms, the ASA by a sum to machine
precision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, expit, gammainc, gammaln, hyp1f1, xlogy

from wfm.erlang.erlang_c import (
    asa_c_sec,
    erlang_c_from_b,
    occupancy_c,
    service_level_c,
)
from wfm.erlang.numerics import (
    agents_array,
    as_output,
    finite_traffic,
    log_erlang_b,
    non_negative,
    positive,
)

__all__ = [
    "ErlangAResult",
    "erlang_a",
    "erlang_a_flat",
]


@dataclass(frozen=True)
class ErlangAResult:
    r"""Performance of M/M/n+M (Erlang A), one value per interval.

    Attributes
    ----------
    p_wait
        Probability that an arriving contact finds all agents busy (PASTA).
    p_abandon
        Probability that a contact abandons before being answered.
    service_level
        Answered within the threshold over **offered**: :math:`\Pr(V \le t,\ V \le \tau)`,
        with :math:`V` the offered wait and :math:`\tau` the patience. Abandoned contacts count
        as failures. This is the definition used for staffing.
    service_level_of_answered
        Answered within the threshold over answered: ``service_level / (1 - p_abandon)``.
    service_level_excl_short_abandons
        Answered within the threshold over (offered minus contacts that abandoned within the
        threshold), the common ACD convention that ignores short abandons.
    asa_sec
        Average speed of answer: mean wait of **answered** contacts,
        :math:`E[V \mid V \le \tau]` (NaN with zero agents: nobody is answered).
    mean_wait_sec
        Mean time in queue of all offered contacts, abandoned ones included:
        :math:`E[\min(V, \tau)] = P_{ab} \cdot` ``patience_sec`` (Little's law).
    occupancy
        Carried load over agents: :math:`A (1 - P_{ab}) / n` (0 with zero agents).
    """

    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    service_level_of_answered: np.ndarray
    service_level_excl_short_abandons: np.ndarray
    asa_sec: np.ndarray
    mean_wait_sec: np.ndarray
    occupancy: np.ndarray


def _log_kummer(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    r""":math:`\ln M(1, a+1, w) = \ln \sum_{k \ge 0} w^k \Gamma(a+1)/\Gamma(a+k+1)`.

    Equal to :math:`\ln\Gamma(a+1) + w - a \ln w + \ln P(a, w)` (the series of the lower
    incomplete gamma function, Abramowitz and Stegun 6.5.29). Where :math:`P(a, w)` underflows
    (:math:`w \ll a`) the confluent hypergeometric function is evaluated directly
    (``scipy.special.hyp1f1``); there it is a moderate number.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = np.where(a > 0, gammainc(a, w), 1.0)
        out = gammaln(a + 1.0) + w - xlogy(a, w) + np.log(p)
    # Below the mode (w <= a) and for large a, the logarithmic form cancels digits
    # (ln Gamma(a+1) ~ a ln a): use the hypergeometric function, a moderate number there.
    low = ((p < 1e-250) | ((a > 1e3) & (w <= a))) & (w > 0)
    if low.any():
        out[low] = np.log(hyp1f1(1.0, a[low] + 1.0, w[low]))
    return np.where(w == 0, 0.0, out)


def _erlang_a_core(a, n, aht, patience, threshold, *, with_asa: bool = True) -> dict:
    """Erlang A on flat, broadcast float arrays with a > 0 and finite patience."""
    theta = 1.0 / patience
    x = a * patience / aht  # lambda / theta
    s_a = n * patience / aht  # n mu / theta  (the 'a' of the incomplete gamma)
    log_b = log_erlang_b(n, a)
    bb = np.exp(log_b)
    y = np.exp(-theta * threshold)
    w = x * y
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # L = ln(1/B - 1): weight of the states with a free agent, relative to state n.
        log_free = np.log1p(-bb) - log_b
        # S = sum_k prod_{i<=k} lambda/(n mu + i theta) = M(1, a+1, x); Z = 1/B - 1 + S.
        log_s = _log_kummer(s_a, x)
        log_z = np.logaddexp(log_free, log_s)
        p_wait = expit(log_s - log_free)
        p_nowait = np.exp(log_free - log_z)
        # P(abandon) = theta E[queue] / lambda = (n + S (A - n)) / (A Z)
        p_ab = np.clip((n * np.exp(-log_z) + (a - n) * p_wait) / a, 0.0, 1.0)
        # Contacts that wait longer than t: C0 P(a, w) = e^{x-w} (w/x)^a M(1, a+1, w) with
        # C0 = Gamma(a+1) e^x x^-a; and C0 P(a+1, w) = e^{x-w} (w/x)^a (M(1, a+1, w) - 1).
        log_shift = (x - w) - s_a * theta * threshold  # ln[e^{x-w} (w/x)^a]
        log_s_t = _log_kummer(s_a, w)
        p_v_gt_t = np.exp(log_shift + log_s_t - log_z)
        s_minus_1 = np.expm1(log_s)
        s_t_minus_1 = np.expm1(log_s_t)
        # E[e^{-theta V}; V > t] = (n / (A Z)) C0 P(a+1, w)  (served after t)
        served_after_t = n / a * np.exp(log_shift - log_z) * s_t_minus_1
        served_waiting = n / a * np.exp(-log_z) * s_minus_1  # E[e^{-theta V}; V > 0]
        # Answered within t over offered: P(V=0) + E[e^{-theta V}; 0 < V <= t]
        sl = np.where(n > 0, p_nowait + served_waiting - served_after_t, 0.0)
        abandoned_after_t = np.maximum(y * p_v_gt_t - served_after_t, 0.0)
        abandoned_within_t = np.maximum(p_ab - abandoned_after_t, 0.0)
        answered = 1.0 - p_ab
        sl_answered = np.where(answered > 0, sl / answered, np.nan)
        sl_excl = np.where(abandoned_within_t < 1.0, sl / (1.0 - abandoned_within_t), np.nan)
        occ = np.where(n > 0, a * answered / n, 0.0)
    out = {
        "p_wait": p_wait,
        "p_abandon": p_ab,
        "service_level": np.clip(sl, 0.0, 1.0),
        "service_level_of_answered": np.clip(sl_answered, 0.0, 1.0),
        "service_level_excl_short_abandons": np.clip(sl_excl, 0.0, 1.0),
        "mean_wait_sec": p_ab * patience,
        "occupancy": np.minimum(occ, 1.0),
    }
    if with_asa:
        e_served_wait = _served_wait_sum(s_a, x, log_z) / theta
        with np.errstate(divide="ignore", invalid="ignore"):
            out["asa_sec"] = np.where(answered > 0, e_served_wait / answered, np.nan)
    return out


def _served_wait_sum(s_a: np.ndarray, x: np.ndarray, log_z: np.ndarray) -> np.ndarray:
    r""":math:`\theta\,E[V e^{-\theta V}]`, the answered contacts' wait, by its exact series.

    A contact that finds :math:`k` others waiting has offered wait
    :math:`V_k = \sum_{j=0}^{k} \mathrm{Exp}(n\mu + j\theta)`, so
    :math:`E[V_k e^{-\theta V_k}] = \frac{a}{\theta (a+k+1)} \sum_{j=0}^{k} \frac{1}{a+j+1}`
    with :math:`a = n\mu/\theta` (derivative of the Laplace transform at :math:`\theta`). It
    arrives to state :math:`n+k` with probability :math:`T_k / Z`,
    :math:`T_k = x^k \Gamma(a+1)/\Gamma(a+k+1)`, :math:`x = \lambda/\theta`. The terms are
    summed in logarithms over a window of :math:`\pm 10\sqrt{\max(a, x)}` around the mode of
    :math:`T_k`, outside which they are below :math:`e^{-50}` of the largest.
    """
    total = np.zeros_like(x)
    pos = s_a > 0
    if not pos.any():
        return total
    aa, xx, lz = s_a[pos], x[pos], log_z[pos]
    mode = np.maximum(0.0, np.ceil(xx - aa - 1.0))
    width = 10.0 * np.sqrt(np.maximum(np.maximum(aa, xx), 1.0))
    # Below the mode-free regime (x < a) the terms also fall at least geometrically, by x/a.
    with np.errstate(divide="ignore"):
        geometric = np.where(xx < aa, 50.0 / -np.log(xx / aa), np.inf)
    width = np.ceil(np.minimum(width, geometric)) + 10.0
    k = np.maximum(0.0, mode - width)
    count = (mode + width - k).astype(np.int64) + 1
    log_t = k * np.log(xx) + gammaln(aa + 1.0) - gammaln(aa + k + 1.0)
    harmonic = digamma(aa + k + 2.0) - digamma(aa + 1.0)
    acc = np.zeros_like(xx)
    log_x = np.log(xx)
    for step in range(int(count.max())):
        live = step < count
        term = np.exp(log_t - lz) * aa / (aa + k + 1.0) * harmonic
        acc += np.where(live, term, 0.0)
        log_t = log_t + log_x - np.log(aa + k + 1.0)
        k = k + 1.0
        harmonic = harmonic + 1.0 / (aa + k + 1.0)
    total[pos] = acc
    return total


def erlang_a(traffic_erl, agents, aht_sec, patience_sec, threshold_sec) -> ErlangAResult:
    r"""Exact performance of the Erlang A queue M/M/n+M (exponential patience).

    Parameters
    ----------
    traffic_erl
        Offered traffic :math:`A = \lambda h` in Erlangs.
    agents
        Number of agents :math:`n` (whole numbers >= 0; any :math:`n` is stable).
    aht_sec
        Mean handle time :math:`h = 1/\mu` in seconds.
    patience_sec
        Mean patience :math:`1/\theta` in seconds (> 0; ``inf`` gives Erlang C).
    threshold_sec
        Service-level threshold :math:`t` in seconds.

    Returns
    -------
    ErlangAResult
        Arrays (0-d for scalar input) of the measures, see :class:`ErlangAResult`.

    Notes
    -----
    The birth-death chain has rates :math:`\lambda` up, :math:`\min(j, n)\mu + (j-n)^+\theta`
    down. With :math:`x = \lambda/\theta`, :math:`a = n\mu/\theta` and
    :math:`S = \sum_{k \ge 0} \prod_{i=1}^{k} \frac{\lambda}{n\mu + i\theta}
    = \Gamma(a+1)\, e^{x} x^{-a} P(a, x)` (the series of the lower incomplete gamma function),
    the stationary weights relative to state :math:`n` sum to :math:`Z = 1/B(n, A) - 1 + S`,
    and (Garnett, Mandelbaum and Reiman 2002, section 3; Mandelbaum and Zeltyn 2007, M/M/n+M):

    * :math:`P(\text{wait}) = S / Z`;
    * :math:`P_{ab} = \theta E[L_q] / \lambda = \dfrac{n + S (A - n)}{A Z}`;
    * the offered wait :math:`V` of a contact finding :math:`k` waiting is a sum of
      exponentials with rates :math:`n\mu + j\theta`, :math:`j = 0..k`, which gives
      :math:`P(V > t) = \Gamma(a+1) e^{x} x^{-a} P(a, x e^{-\theta t}) / Z`;
    * answered within :math:`t` over offered,
      :math:`P(V \le t, V \le \tau) = P(V = 0) + \frac{n}{A Z} \Gamma(a+1) e^{x} x^{-a}
      \left[P(a+1, x) - P(a+1, x e^{-\theta t})\right]`;
    * ASA :math:`= E[V e^{-\theta V}] / (1 - P_{ab})`, summed exactly (see the source).

    As patience grows (:math:`\theta \to 0`) these reduce to Erlang C.
    """
    a = finite_traffic(traffic_erl)
    n = agents_array(agents)
    aht = positive(aht_sec, "aht_sec")
    patience = positive(patience_sec, "patience_sec")
    thr = non_negative(threshold_sec, "threshold_sec")
    a, n, aht, patience, thr = (
        x.astype(float) for x in np.broadcast_arrays(a, n, aht, patience, thr)
    )
    shape = a.shape
    a, n, aht, patience, thr = (x.ravel() for x in (a, n, aht, patience, thr))
    res = erlang_a_flat(a, n, aht, patience, thr, with_asa=True)
    return ErlangAResult(**{k: as_output(v.reshape(shape)) for k, v in res.items()})


def erlang_a_flat(a, n, aht, patience, thr, *, with_asa: bool) -> dict:
    size = a.size
    names = (
        "p_wait",
        "p_abandon",
        "service_level",
        "service_level_of_answered",
        "service_level_excl_short_abandons",
        "asa_sec",
        "mean_wait_sec",
        "occupancy",
    )
    sl_names = ("service_level", "service_level_of_answered", "service_level_excl_short_abandons")
    res = {k: np.zeros(size) for k in names}
    for k in sl_names:
        res[k][:] = 1.0
    # Infinite patience: Erlang C.
    c_mask = np.isinf(patience) & (a > 0)
    if c_mask.any():
        ac, nc, hc, tc = a[c_mask], n[c_mask], aht[c_mask], thr[c_mask]
        cc = erlang_c_from_b(np.exp(log_erlang_b(nc, ac)), nc, ac)
        sl = service_level_c(cc, nc, ac, hc, tc)
        res["p_wait"][c_mask] = cc
        for k in (
            "service_level",
            "service_level_of_answered",
            "service_level_excl_short_abandons",
        ):
            res[k][c_mask] = sl
        res["asa_sec"][c_mask] = asa_c_sec(cc, nc, ac, hc)
        res["mean_wait_sec"][c_mask] = asa_c_sec(cc, nc, ac, hc)
        res["occupancy"][c_mask] = occupancy_c(nc, ac)
    mask = np.isfinite(patience) & (a > 0)
    if mask.any():
        core = _erlang_a_core(
            a[mask], n[mask], aht[mask], patience[mask], thr[mask], with_asa=with_asa
        )
        for k, v in core.items():
            res[k][mask] = v
    if not with_asa:
        res.pop("asa_sec")
    return res
