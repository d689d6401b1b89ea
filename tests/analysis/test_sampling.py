"""Correlated sampling (Gaussian copula) and the energy factors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from solarcase.analysis.distributions import LogNormal, Triangular, Uniform
from solarcase.analysis.sampling import (
    energy_factors,
    normal_from_rank_correlation,
    sample,
)
from solarcase.errors import ScenarioError


def test_rank_to_normal_correlation_inverts_kruskal() -> None:
    # Kruskal (1958): for a bivariate normal with correlation r, Spearman's rho is
    # (6/pi) arcsin(r/2); the conversion must invert it
    rho_s = np.linspace(-1.0, 1.0, 21)
    r = normal_from_rank_correlation(rho_s)
    assert_allclose(6.0 / np.pi * np.arcsin(r / 2.0), rho_s, atol=1e-12)


def test_sample_has_the_asked_rank_correlation_and_exact_marginals() -> None:
    n = 40_000
    laws = [Triangular(0.25, 0.41, 0.55), LogNormal(1.0, 0.2), Uniform(0.0, 1.0)]
    target = np.array([[1.0, 0.7, -0.3], [0.7, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    draws = sample(laws, n, rng=np.random.default_rng(11), rank_correlation=target)
    achieved = stats.spearmanr(draws).statistic
    # the sampling sd of Spearman's rho is at most about 1/sqrt(n - 1) = 0.005;
    # 4 of them is 0.02
    assert_allclose(achieved, target, atol=0.02)
    # each column follows its own law: its deciles are the law's deciles, within
    # 4 sampling sds of a decile estimate (sqrt(0.09/n)/density), checked on the
    # uniform column where the density is 1: 4 x 0.0015 = 0.006
    deciles = np.quantile(draws[:, 2], np.linspace(0.1, 0.9, 9))
    assert_allclose(deciles, np.linspace(0.1, 0.9, 9), atol=0.006)
    assert draws[:, 0].min() >= 0.25 and draws[:, 0].max() <= 0.55


def test_same_seed_gives_the_same_draws() -> None:
    laws = [Uniform(0.0, 1.0), Uniform(0.0, 1.0)]
    corr = np.array([[1.0, 0.5], [0.5, 1.0]])
    a = sample(laws, 100, rng=np.random.default_rng(3), rank_correlation=corr)
    b = sample(laws, 100, rng=np.random.default_rng(3), rank_correlation=corr)
    c = sample(laws, 100, rng=np.random.default_rng(4), rank_correlation=corr)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_contradictory_correlations_are_refused() -> None:
    bad = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]])
    laws = [Uniform(0.0, 1.0)] * 3
    with pytest.raises(ScenarioError, match="contradict"):
        sample(laws, 10, rng=np.random.default_rng(0), rank_correlation=bad)


def test_energy_factors_without_uncertainty_are_exactly_one() -> None:
    factors = energy_factors(
        5, 25, model_sd=0.0, interannual_sd=0.0, rng=np.random.default_rng(0)
    )
    assert factors.shape == (5, 25) and (factors == 1.0).all()


def test_model_factor_is_one_per_draw_and_weather_factor_one_per_year() -> None:
    n, years = 50_000, 20
    model = energy_factors(
        n, years, model_sd=0.05, interannual_sd=0.0, rng=np.random.default_rng(1)
    )
    # the model factor holds for the whole life
    assert (model == model[:, :1]).all()
    assert_allclose(model[:, 0].std(), 0.05, rtol=0.02)
    weather = energy_factors(
        n, years, model_sd=0.0, interannual_sd=0.03, rng=np.random.default_rng(1)
    )
    # a new, independent factor every year: sd 0.03 each, and the mean over 20
    # years has sd 0.03/sqrt(20) = 0.0067 (one factor for all years would keep 0.03)
    assert_allclose(weather.std(axis=0), 0.03, rtol=0.03)
    assert_allclose(weather.mean(axis=1).std(), 0.03 / np.sqrt(years), rtol=0.03)
    year_to_year = np.corrcoef(weather[:, 0], weather[:, 1])[0, 1]
    assert abs(year_to_year) < 4 / np.sqrt(n)


def test_weather_years_are_drawn_from_the_simulated_years() -> None:
    ratios = np.array([0.96, 1.0, 1.04])
    factors = energy_factors(
        2000,
        25,
        model_sd=0.0,
        interannual_sd=0.5,
        rng=np.random.default_rng(2),
        year_ratios=ratios,
    )
    assert set(np.unique(factors)) == set(ratios)
    # each simulated year is about equally likely: 50,000 picks, sd of a share
    # sqrt(p(1 - p)/n) = 0.0021
    shares = [np.mean(factors == r) for r in ratios]
    assert_allclose(shares, 1 / 3, atol=0.01)
