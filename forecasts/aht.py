"""Average handle time per weekday and clock slot, weighted by volume.

The AHT of a slot is a ratio of sums, not a mean of interval AHTs:

.. math:: \\widehat{AHT}_{w,s} = \\frac{\\sum_d H_{d,s} + n_0\\,\\overline{AHT}_s}
                                     {\\sum_d A_{d,s} + n_0}

over the last ``weeks`` observed days ``d`` of weekday ``w``, where :math:`H` is the total handle
time (seconds) and :math:`A` the answered contacts, so an interval with 200 calls weighs 100 times
one with 2 (the mean of interval AHTs would let a single long call at 03:00 count as much as a
whole busy morning). The :math:`n_0` pseudo-contacts shrink slots with few calls towards the
slot's AHT over all weekdays, :math:`\\overline{AHT}_s`, which is itself shrunk the same way
towards the queue's overall AHT (an empirical-Bayes style credibility weight; Bühlmann &
Gisler 2005, *A Course in Credibility Theory*, ch. 3).
"""

from __future__ import annotations

import numpy as np

__all__ = ["aht_profile"]


def aht_profile(
    handle_sec: np.ndarray,
    answered: np.ndarray,
    weekday: np.ndarray,
    *,
    weeks: int = 8,
    prior_contacts: float = 20.0,
) -> np.ndarray | None:
    """AHT (seconds) per weekday and slot, shape ``(7, slots_per_day)``.

    Parameters
    ----------
    handle_sec, answered
        ``(n_days, slots_per_day)`` matrices of total handle time and answered contacts (NaN =
        not observed), on the same grid as the volume.
    weekday
        Weekday (0 = Monday) of each row.
    weeks
        How many recent same-weekday days count.
    prior_contacts
        :math:`n_0`, the weight of the fallback AHT in contacts.

    Returns
    -------
    ndarray or None
        None when the history holds no handle time at all.
    """
    ok = ~np.isnan(handle_sec) & ~np.isnan(answered) & (answered > 0)
    if not ok.any():
        return None
    H = np.where(ok, handle_sec, 0.0)
    A = np.where(ok, answered, 0.0)
    day_has = ok.any(axis=1)
    rows_by_day = [np.flatnonzero(day_has & (weekday == d))[-weeks:] for d in range(7)]
    recent = np.concatenate(rows_by_day)
    overall = H[recent].sum() / A[recent].sum()
    slot = (H[recent].sum(axis=0) + prior_contacts * overall) / (
        A[recent].sum(axis=0) + prior_contacts
    )
    out = np.empty((7, H.shape[1]))
    for d, rows in enumerate(rows_by_day):
        out[d] = (H[rows].sum(axis=0) + prior_contacts * slot) / (
            A[rows].sum(axis=0) + prior_contacts
        )
    return out
