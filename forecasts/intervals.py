"""80% prediction intervals on interval volume: Poisson arrivals with an uncertain rate.

Call arrivals in an interval are close to Poisson *given* the rate, but the rate itself is
uncertain (the day's level moves more than Poisson allows). A Poisson-gamma mixture, i.e. a
negative binomial with

.. math:: \\operatorname{E} Y = \\mu, \\qquad \\operatorname{Var} Y = \\mu + \\kappa \\mu^2,

captures both (Jongbloed & Koole 2001, "Managing uncertainty in call centres using Poisson
mixtures", *Applied Stochastic Models in Business and Industry* 17, 307-318). ``kappa`` (the
squared coefficient of variation of the rate) is estimated by the method of moments from a
model's rolling-origin backtest residuals, :func:`overdispersion`; ``kappa = 0`` is plain Poisson.

A week-ahead forecast's error also has a part that the whole week shares: the level is off by
a few per cent for every interval of the week at once. :func:`level_mixture` models both, a
common lognormal level times per-interval negative-binomial noise, and gives the ``kappa`` of
the negative binomial with the mixture's mean and variance, for :func:`prediction_interval`.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

__all__ = [
    "calibrated_overdispersion",
    "count_quantile",
    "level_mixture",
    "overdispersion",
    "prediction_interval",
]

#: Means below this get exact negative-binomial quantiles; above, a Cornish-Fisher normal one.
_EXACT_BELOW = 50.0


def _usable_pairs(actual, forecast) -> tuple[np.ndarray, np.ndarray]:
    """The (actual, forecast) pairs with an actual value and a positive forecast, flattened."""
    a = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(forecast, dtype=float).ravel()
    ok = ~np.isnan(a) & (f > 0)
    return a[ok], f[ok]


def overdispersion(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Method-of-moments ``kappa`` from backtest pairs.

    .. math:: \\hat\\kappa = \\max\\Big(0, \\frac{\\sum (y - \\hat y)^2 - \\sum \\hat y}
        {\\sum \\hat y^2}\\Big)

    over the intervals with an actual value and a positive forecast (the excess of the squared
    error over the Poisson variance, relative to the squared forecast). NaN pairs are skipped;
    no usable pair gives 0 (Poisson).
    """
    a, f = _usable_pairs(actual, forecast)
    if not a.size:
        return 0.0
    return float(max(0.0, (((a - f) ** 2).sum() - f.sum()) / (f**2).sum()))


def count_quantile(mean: np.ndarray, kappa: float, q: float) -> np.ndarray:
    """The ``q`` quantile of a negative binomial count with the given mean and ``kappa``.

    Exact (the smallest ``k`` with :math:`P(Y \\le k) \\ge q`, from the pmf recursion
    :math:`P(k+1) = P(k) \\frac{r + k}{k + 1} \\frac{\\mu}{r + \\mu}`, :math:`r = 1/\\kappa`; the
    Poisson recursion when ``kappa = 0``) for means below 50; above, the normal quantile with
    the Cornish-Fisher skewness correction
    :math:`\\mu + \\sigma\\,(z + (z^2 - 1)\\gamma_1 / 6)`, where :math:`\\gamma_1 = (\\mu + 3\\kappa
    \\mu^2 + 2\\kappa^2\\mu^3) / \\sigma^3` is the negative binomial's skewness. Never negative.
    """
    mu = np.clip(np.asarray(mean, dtype=float), 0.0, None)
    out = np.zeros_like(mu)
    z = NormalDist().inv_cdf(q)
    big = mu >= _EXACT_BELOW
    if big.any():
        m = mu[big]
        var = m + kappa * m**2
        sd = np.sqrt(var)
        skew = (m + 3 * kappa * m**2 + 2 * kappa**2 * m**3) / sd**3
        out[big] = np.maximum(m + sd * (z + (z**2 - 1) * skew / 6.0), 0.0)
    small = (mu > 0) & ~big
    if small.any():
        m = mu[small][:, None]
        sd_max = np.sqrt(_EXACT_BELOW + kappa * _EXACT_BELOW**2)
        k = np.arange(int(_EXACT_BELOW + 12 * sd_max + 20))[None, :]
        if kappa > 1e-9:
            r = 1.0 / kappa
            log_p0 = -r * np.log1p(m / r)
            log_ratio = np.log((r + k[:, :-1]) / (k[:, :-1] + 1.0)) + np.log(m / (r + m))
        else:
            log_p0 = -m
            log_ratio = np.log(m) - np.log(k[:, :-1] + 1.0)
        log_pmf = np.concatenate([log_p0, log_p0 + np.cumsum(log_ratio, axis=1)], axis=1)
        cdf = np.cumsum(np.exp(log_pmf), axis=1)
        out[small] = np.argmax(cdf >= q - 1e-12, axis=1).astype(float)
    return out


def prediction_interval(
    mean: np.ndarray, kappa: float, level: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` prediction interval ``(lo, hi)`` for counts with this mean and
    ``kappa`` (quantiles ``(1 - level) / 2`` and ``(1 + level) / 2``)."""
    tail = (1.0 - level) / 2.0
    return count_quantile(mean, kappa, tail), count_quantile(mean, kappa, 1.0 - tail)


def calibrated_overdispersion(
    actual: np.ndarray, forecast: np.ndarray, level: float = 0.8, iterations: int = 30
) -> float:
    """The smallest ``kappa`` whose ``level`` interval around the backtest forecasts covers a
    share ``level`` of the backtest actuals (bisection on :math:`\\log\\kappa`).

    The method-of-moments :func:`overdispersion` fits the variance, which a few large misses
    (a holiday, a level shift) inflate, so its interval covers too much in ordinary weeks and
    too little in the rest; calibrating on coverage sets the width the planner reads. Pairs
    without an actual or with a zero forecast are skipped; with no usable pair, 0 (Poisson).
    """
    a, f = _usable_pairs(actual, forecast)
    if not a.size:
        return 0.0

    def coverage(kappa: float) -> float:
        lo, hi = prediction_interval(f, kappa, level)
        return float(((a >= lo) & (a <= hi)).mean())

    if coverage(0.0) >= level:
        return 0.0
    lo_k, hi_k = 1e-6, 1.0
    while coverage(hi_k) < level and hi_k < 1e3:
        hi_k *= 4.0
    for _ in range(iterations):
        mid = float(np.sqrt(lo_k * hi_k))
        if coverage(mid) >= level:
            hi_k = mid
        else:
            lo_k = mid
    return hi_k


def level_mixture(
    pairs: list[tuple[int, np.ndarray, np.ndarray]], level: float = 0.8
) -> tuple[float, float, float]:
    """Level spread, per-interval dispersion and the mixture's ``kappa`` from backtest windows.

    The model: in a forecast week, :math:`Y_i \\mid L \\sim \\mathrm{NB}(L\\mu_i, \\kappa_w)`
    with one level :math:`\\log L \\sim N(-s^2/2, s^2)` for the whole week (so
    :math:`\\operatorname{E} L = 1`), a Poisson-gamma-lognormal mixture (Jongbloed & Koole
    2001 on Poisson mixtures for call-centre arrivals; a shared day or week factor as in
    Avramidis, Deslauriers & L'Ecuyer 2004, "Modeling daily arrivals to a telephone call
    center", *Management Science* 50, 896-908). Estimated from each window ``w`` of the
    model's own rolling-origin backtest (training data only):

    - the window's level error :math:`e_w = \\log(\\sum y / \\sum \\hat y)`;
    - :math:`\\kappa_w`: :func:`calibrated_overdispersion` of the actuals against the
      forecasts rescaled by their window's level, :math:`\\hat y\\,e^{e_w}` (the noise
      around the right level);
    - :math:`s^2 = \\max\\big(0, \\operatorname{mean}_w [e_w^2 - (1 + \\kappa_w
      \\sum \\hat y^2 / \\sum \\hat y) / \\sum \\hat y]\\big)`: the squared level errors less
      what the per-interval noise alone gives a weekly total (its delta-method variance).

    By the law of total variance :math:`\\operatorname{Var} Y_i = \\mu_i + \\mu_i^2
    [(1 + \\kappa_w) e^{s^2} - 1]`, the negative binomial with
    :math:`\\kappa = (1 + \\kappa_w) e^{s^2} - 1` has the mixture's mean and variance; its
    quantiles (:func:`count_quantile`) are the interval's. A window without a positive actual
    and forecast total is skipped; no usable window gives ``(0, 0, 0)`` (Poisson).

    Returns
    -------
    (s_level, kappa_within, kappa)
    """
    levels, totals, squares, actual, rescaled = [], [], [], [], []
    for _, a, f in pairs:
        a = np.asarray(a, dtype=float).ravel()
        f = np.asarray(f, dtype=float).ravel()
        ok = ~np.isnan(a) & (f > 0)
        if not ok.any() or a[ok].sum() <= 0:
            continue
        e = float(np.log(a[ok].sum() / f[ok].sum()))
        levels.append(e)
        totals.append(f[ok].sum())
        squares.append((f[ok] ** 2).sum())
        actual.append(a[ok])
        rescaled.append(f[ok] * np.exp(e))
    if not levels:
        return 0.0, 0.0, 0.0
    kappa_w = calibrated_overdispersion(np.concatenate(actual), np.concatenate(rescaled), level)
    e, total, square = np.array(levels), np.array(totals), np.array(squares)
    noise = (1.0 + kappa_w * square / total) / total
    s2 = float(max(0.0, np.mean(e**2 - noise)))
    return float(np.sqrt(s2)), kappa_w, float((1.0 + kappa_w) * np.exp(s2) - 1.0)
