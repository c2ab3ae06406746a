"""Erlang B, C and A: known values, an independent birth-death chain, limits and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

from wfm import erlang
from wfm.errors import InputError

# --------------------------------------------------------------------------- known values


def test_textbook_case_100_calls_per_30_min():
    traffic = erlang.traffic_erl(100, 30, 180)
    assert traffic == pytest.approx(10.0)
    res = erlang.required_agents(traffic, 180, 0.8, 20)
    assert res.agents == 14
    assert res.service_level == pytest.approx(0.8883, abs=1e-4)
    assert res.p_wait == pytest.approx(0.1741, abs=5e-5)
    assert res.asa_sec == pytest.approx(7.84, abs=5e-3)
    assert res.occupancy == pytest.approx(10 / 14)
    assert res.p_abandon == 0.0
    # 13 agents would not do: the search returns the minimum.
    assert erlang.service_level(traffic, 13, 180, 20) < 0.8


def test_shrinkage_of_the_textbook_case_is_exactly_20_gross():
    assert erlang.ceil_tol(np.array(14 / (1 - 0.3))) == 20
    # 21 / (1 - 0.3) = 30.000000000000004 in floating point: a plain ceil would say 31.
    assert 21 / (1 - 0.3) > 30
    assert erlang.ceil_tol(np.array(21 / (1 - 0.3))) == 30
    assert erlang.ceil_tol(np.array(20.001)) == 21


def test_erlang_b_matches_the_classic_recursion():
    # B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)) (Erlang's recursion, done by hand here).
    for traffic in (0.5, 3.0, 10.0, 57.3):
        b = 1.0
        for k in range(1, 80):
            b = traffic * b / (k + traffic * b)
            assert erlang.erlang_b(traffic, k) == pytest.approx(b, rel=1e-11)


def test_erlang_c_small_case_by_hand():
    # A = 2, n = 3: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19; C = 3B / (3 - 2(1 - B)) = 4/9
    assert erlang.erlang_b(2.0, 3) == pytest.approx(4 / 19, rel=1e-14)
    assert erlang.erlang_c(2.0, 3) == pytest.approx(4 / 9, rel=1e-14)
    assert erlang.asa_sec(2.0, 3, 60.0) == pytest.approx(4 / 9 * 60.0, rel=1e-14)
    assert erlang.service_level(2.0, 3, 60.0, 30.0) == pytest.approx(
        1 - 4 / 9 * math.exp(-0.5), rel=1e-14
    )


# --------------------------------------------------------------------------- edge cases


def test_zero_traffic_needs_zero_agents():
    res = erlang.required_agents([0.0, 0.0, 4.0], 180, 0.8, 20, max_occupancy=0.85)
    assert res.agents.tolist()[:2] == [0, 0]
    assert res.agents[2] > 0
    assert res.service_level[0] == 1.0
    assert res.asa_sec[0] == 0.0
    assert res.occupancy[0] == 0.0
    assert erlang.erlang_c(0.0, 0) == 0.0
    assert erlang.erlang_b(0.0, 0) == 1.0
    assert erlang.service_level(0.0, 0, 180, 20) == 1.0
    a = erlang.erlang_a(0.0, 0, 180, 60, 20)
    assert a.p_wait == 0.0
    assert a.service_level == 1.0


def test_5000_erlangs_do_not_overflow():
    traffic = 5000.0
    res = erlang.required_agents(traffic, 300, 0.9, 15, asa_target_sec=5)
    assert 5000 < res.agents < 5200
    assert np.isfinite([res.p_wait, res.service_level, res.asa_sec]).all()
    assert res.service_level >= 0.9
    assert res.asa_sec <= 5
    # and the previous count fails
    assert (
        erlang.service_level(traffic, res.agents - 1, 300, 15) < 0.9
        or erlang.asa_sec(traffic, res.agents - 1, 300) > 5
    )
    b = erlang.erlang_b(traffic, np.array([0, 1, 2, 1000, 4000, 4999, 5000, 5100, 6000, 10000]))
    assert np.isfinite(b).all()
    assert (np.diff(b) < 0).all()
    # far below the traffic, B(n, A) -> 1 - n/A (first terms of the exact series)
    assert b[1] == pytest.approx(1 / (1 + 1 / traffic), rel=1e-14)
    assert b[2] == pytest.approx(1 / (1 + 2 / traffic + 2 / traffic**2), rel=1e-14)
    a = erlang.erlang_a(traffic, [4900, 5000, 5100], 300, 120, 20)
    assert np.isfinite(a.p_abandon).all()
    assert np.isfinite(a.asa_sec).all()


def test_unstable_erlang_c_is_explicit_not_an_error():
    assert erlang.erlang_c(10.0, 10) == 1.0
    assert erlang.service_level(10.0, 9, 180, 20) == 0.0
    assert erlang.asa_sec(10.0, 10, 180) == np.inf
    assert erlang.occupancy(10.0, 8) == 1.0


def test_broadcasting_and_scalars():
    out = erlang.erlang_c(np.array([[5.0], [10.0]]), np.array([8, 12, 16]))
    assert out.shape == (2, 3)
    assert np.ndim(erlang.erlang_c(5.0, 8)) == 0
    res = erlang.required_agents(np.full((3, 4), 10.0), 180, 0.8, 20)
    assert res.agents.shape == (3, 4)
    assert (res.agents == 14).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang.erlang_c(-1.0, 3), "traffic_erl"),
        (lambda: erlang.erlang_c(1.0, 2.5), "whole"),
        (lambda: erlang.service_level(1.0, 3, 0.0, 20), "aht_sec"),
        (lambda: erlang.required_agents(1.0, 180, 1.0, 20), "sl_target"),
        (lambda: erlang.required_agents(1.0, 180, 0.8, 20, max_occupancy=0), "max_occupancy"),
        (lambda: erlang.required_agents(np.nan, 180, 0.8, 20), "NaN"),
        (lambda: erlang.erlang_a(1.0, 3, 180, 0.0, 20), "patience_sec"),
    ],
)
def test_bad_values_raise_input_error(call, message):
    with pytest.raises(InputError, match=message):
        call()


# --------------------------------------------------------------------------- monotonicity, caps


def test_service_level_rises_with_agents_and_falls_with_traffic():
    agents = np.arange(1, 80)
    for traffic in (0.7, 12.5, 45.0):
        sl = erlang.service_level(traffic, agents, 240, 20)
        assert (np.diff(sl) >= 0).all()
        stable = (agents > traffic)[:-1] & (sl[:-1] < 1 - 1e-12)
        assert (np.diff(sl)[stable] > 0).all()
    traffic = np.linspace(0.1, 39.9, 300)
    sl = erlang.service_level(traffic, 40, 240, 20)
    assert (np.diff(sl) <= 0).all()
    assert (np.diff(sl)[sl[1:] < 1 - 1e-12] < 0).all()
    # Erlang A as well (to rounding, 1e-12, where the service level has reached 1)
    a = erlang.erlang_a(25.0, agents, 240, 90, 20)
    assert (np.diff(a.service_level) >= -1e-12).all()
    assert (np.diff(a.service_level)[a.service_level[1:] < 1 - 1e-9] > 0).all()
    assert (np.diff(a.p_abandon) <= 1e-12).all()
    a = erlang.erlang_a(traffic, 30, 240, 90, 20)
    assert (np.diff(a.service_level) <= 1e-12).all()
    assert (np.diff(a.service_level)[a.service_level[1:] < 1 - 1e-9] < 0).all()


def test_occupancy_never_exceeds_the_cap_and_the_cap_is_tight():
    rng = np.random.default_rng(7)
    traffic = np.concatenate([rng.uniform(0, 300, 20_000), np.arange(0, 200, 0.05)])
    cap = rng.choice([0.7, 0.8, 0.85, 0.9, 1.0], traffic.size)
    res = erlang.required_agents(traffic, 200, 0.6, 30, max_occupancy=cap)
    live = traffic > 0
    assert (res.occupancy[live] <= cap[live] * (1 + 1e-12)).all()
    # one agent fewer breaks the cap or the service level
    fewer = res.agents[live] - 1
    sl_fewer = erlang.service_level(traffic[live], fewer, 200, 30)
    breaks = (traffic[live] > cap[live] * fewer * (1 + 1e-12)) | (sl_fewer < 0.6)
    assert breaks.all()


def test_exact_multiples_of_the_occupancy_cap_get_no_extra_agent():
    # 12 x 80 % = 9.600000000000001 Erlangs and 9.600000000000001 / 0.8 = 12.000000000000002 in
    # floating point; 12 agents run at 80 % occupancy (to the last bit of the traffic figure).
    traffic = 12 * 0.8
    assert traffic / 0.8 > 12
    res = erlang.required_agents(traffic, 180, 0.5, 20, max_occupancy=0.8)
    assert res.agents == 12
    assert res.occupancy == pytest.approx(0.8, rel=1e-15)
    res = erlang.required_agents(21 * 0.9, 180, 0.5, 20, max_occupancy=0.9)
    assert res.agents == 21


def test_required_agents_is_the_minimum_on_a_grid():
    rng = np.random.default_rng(3)
    traffic = rng.uniform(0.01, 400, 3000)
    aht = rng.uniform(60, 900, traffic.size)
    target = rng.uniform(0.5, 0.98, traffic.size)
    thr = rng.choice([0.0, 10.0, 20.0, 60.0], traffic.size)
    asa = rng.choice([5.0, 30.0, 1e9], traffic.size)
    res = erlang.required_agents(traffic, aht, target, thr, asa_target_sec=asa)
    n = res.agents
    assert (erlang.service_level(traffic, n, aht, thr) >= target - 1e-12).all()
    assert (erlang.asa_sec(traffic, n, aht) <= asa * (1 + 1e-12)).all()
    prev_ok = (
        (n - 1 > traffic)
        & (erlang.service_level(traffic, n - 1, aht, thr) >= target)
        & (erlang.asa_sec(traffic, n - 1, aht) <= asa)
    )
    assert not prev_ok.any()


# --------------------------------------------------------------------------- Erlang A


def _birth_death(traffic, agents, aht, patience, threshold, states=400):
    """M/M/n+M solved independently: stationary law from the generator (linear algebra), the
    tagged customer's offered wait from its own absorbing chain (matrix exponential)."""
    lam, mu, theta = traffic / aht, 1.0 / aht, 1.0 / patience
    size = agents + states
    gen = np.zeros((size, size))
    for j in range(size):
        if j + 1 < size:
            gen[j, j + 1] = lam
        if j > 0:
            gen[j, j - 1] = min(j, agents) * mu + max(j - agents, 0) * theta
        gen[j, j] = -gen[j].sum()
    lhs = gen.T.copy()
    lhs[-1] = 1.0  # replace one balance equation by the normalisation
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    pi = np.linalg.solve(lhs, rhs)
    waiting = pi[agents:]  # k = 0, 1, ... customers already waiting
    p_wait = waiting.sum()
    queue = np.arange(states)
    p_abandon = theta * (queue * waiting).sum() / lam
    # Tagged customer finding k waiting: states k..0 ahead, then served (S) or abandoned (X).
    kmax = 120
    m = kmax + 3
    served, abandoned = kmax + 1, kmax + 2
    tag = np.zeros((m, m))
    for j in range(kmax + 1):
        tag[j, served if j == 0 else j - 1] = agents * mu + j * theta
        tag[j, abandoned] = theta
        tag[j, j] = -tag[j].sum()
    served_by_t = expm(tag * threshold)[: kmax + 1, served]
    p_served = np.zeros(kmax + 1)
    wait_served = np.zeros(kmax + 1)  # E[V 1{served}]
    for j in range(kmax + 1):
        rate = agents * mu + j * theta + theta
        move = (agents * mu + j * theta) / rate
        p_served[j] = move * (1.0 if j == 0 else p_served[j - 1])
        wait_served[j] = p_served[j] / rate + move * (0.0 if j == 0 else wait_served[j - 1])
    w = waiting[: kmax + 1]
    assert waiting[kmax + 1 :].sum() < 1e-15
    sl = pi[:agents].sum() + (w * served_by_t).sum()
    answered = pi[:agents].sum() + (w * p_served).sum()
    assert answered == pytest.approx(1 - p_abandon, abs=1e-10)
    asa = (w * wait_served).sum() / answered
    return p_wait, p_abandon, sl, asa


@pytest.mark.parametrize(
    ("traffic", "agents", "aht", "patience", "threshold"),
    [
        (10.0, 14, 180.0, 180.0, 20.0),
        (10.0, 8, 180.0, 120.0, 20.0),  # overloaded: stable only thanks to abandonment
        (10.0, 10, 180.0, 600.0, 30.0),
        (3.2, 4, 300.0, 45.0, 10.0),
        (25.0, 27, 240.0, 240.0, 0.0),
        (0.4, 1, 200.0, 30.0, 60.0),
    ],
)
def test_erlang_a_agrees_with_an_independent_birth_death_chain(
    traffic, agents, aht, patience, threshold
):
    p_wait, p_abandon, sl, asa = _birth_death(traffic, agents, aht, patience, threshold)
    res = erlang.erlang_a(traffic, agents, aht, patience, threshold)
    assert res.p_wait == pytest.approx(p_wait, abs=1e-9)
    assert res.p_abandon == pytest.approx(p_abandon, abs=1e-9)
    assert res.service_level == pytest.approx(sl, abs=1e-9)
    assert res.asa_sec == pytest.approx(asa, rel=1e-9)
    assert res.mean_wait_sec == pytest.approx(res.p_abandon * patience, rel=1e-12)
    assert res.service_level_of_answered == pytest.approx(sl / (1 - p_abandon), abs=1e-9)
    assert res.occupancy == pytest.approx(traffic * (1 - p_abandon) / agents, abs=1e-9)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    traffic, agents, aht, thr = 10.0, np.array([11, 12, 14, 20]), 180.0, 20.0
    c = erlang.erlang_c(traffic, agents)
    sl_c = erlang.service_level(traffic, agents, aht, thr)
    asa_c = erlang.asa_sec(traffic, agents, aht)
    gaps = []
    for patience in (1e4, 1e5, 1e7, 1e9):
        a = erlang.erlang_a(traffic, agents, aht, patience, thr)
        gaps.append(np.abs(a.service_level - sl_c).max())
        # The gap is of the order of 1 / patience (mean wait / patience abandon).
        tol = 5e3 / patience
        np.testing.assert_allclose(a.p_wait, c, rtol=tol)
        np.testing.assert_allclose(a.service_level, sl_c, rtol=tol)
        np.testing.assert_allclose(a.asa_sec, asa_c, rtol=tol)
        assert (a.p_abandon < tol).all()
    assert gaps == sorted(gaps, reverse=True)
    inf = erlang.erlang_a(traffic, agents, aht, np.inf, thr)
    np.testing.assert_allclose(inf.service_level, sl_c, rtol=1e-14)


def test_erlang_a_staffing_needs_fewer_agents_and_meets_the_target():
    traffic = np.linspace(0.5, 60, 40)
    res_a = erlang.required_agents(traffic, 200, 0.8, 20, patience_sec=120, asa_target_sec=15)
    res_c = erlang.required_agents(traffic, 200, 0.8, 20, asa_target_sec=15)
    assert (res_a.agents <= res_c.agents).all()
    assert (res_a.service_level >= 0.8 - 1e-12).all()
    assert (res_a.asa_sec <= 15 * (1 + 1e-12)).all()
    fewer = erlang.erlang_a(traffic, res_a.agents - 1, 200, 120, 20)
    assert ((fewer.service_level < 0.8) | (fewer.asa_sec > 15)).all()
    assert (res_a.p_abandon > 0).all()
