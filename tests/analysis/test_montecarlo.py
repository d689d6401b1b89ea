"""Monte Carlo core: P-values, the Px convention, reproducibility, chunking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy.special import ndtri

from solarcase.analysis.distributions import Normal, Triangular
from solarcase.analysis.montecarlo import (
    MonteCarloSpec,
    Variable,
    exceedance_value,
    p_values,
    probability_below,
    run_monte_carlo,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=50), st.floats(0.01, 0.99))
def test_px_is_the_percentile_100_minus_x(values, probability) -> None:
    # Px is exceeded with probability x: numpy's (100 - x)th percentile (type 7)
    expected = np.percentile(values, 100 * (1 - probability))
    # positions within 1e-9 of an order statistic snap to it (10 x (1 - 0.9))
    tolerance = 1e-8 * np.ptp(values) + 1e-9
    assert_allclose(
        exceedance_value(values, probability), expected, rtol=0, atol=tolerance
    )


@given(st.lists(finite, min_size=2, max_size=50))
def test_p90_p50_p10_are_ordered(values) -> None:
    p90, p50, p10 = (exceedance_value(values, x) for x in (0.9, 0.5, 0.1))
    assert p90 <= p50 <= p10


def test_draws_without_a_value_count_as_the_worst() -> None:
    values = [np.nan, np.nan, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    # higher is better: NaN sits below 1, so the 10th percentile (position 1 of 10)
    # falls on a NaN -> no value; the median is the 6th of 11 = 4
    assert np.isnan(exceedance_value(values, 0.9))
    assert exceedance_value(values, 0.5) == 4.0
    # lower is better (a cost): NaN sits above 9, so P90 is a real low value
    assert exceedance_value(values, 0.9, higher_is_better=False) == pytest.approx(2.0)
    assert np.isnan(exceedance_value(values, 0.1, higher_is_better=False))


def test_probability_below() -> None:
    assert probability_below([-1.0, 1.0, 2.0, np.nan], 0.0) == pytest.approx(1 / 3)
    assert probability_below([-1.0, 1.0, 2.0, np.nan], 0.0, missing_counts=True) == 0.5
    assert np.isnan(probability_below([np.nan, np.nan], 1.2))


def _energy_only(values, factors):
    return {"energy": 1000.0 * factors[:, 0], "life": 1000.0 * factors.sum(axis=1)}


def test_normal_yield_uncertainty_gives_p90_over_p50_of_1_minus_1_2816_sigma() -> None:
    # with one normal factor of sd sigma the energy's P90/P50 is 1 - z sigma,
    # z = 1.2816 (the 90th percentile of the standard normal)
    sigma, n = 0.05, 200_000
    spec = MonteCarloSpec(model_sd=sigma)
    draws = run_monte_carlo(
        _energy_only, spec, n_draws=n, n_years=25, rng=np.random.default_rng(7)
    )
    summary = p_values(draws, ["energy", "life"])
    ratio = summary.loc["energy", "P90"] / summary.loc["energy", "P50"]
    z = -ndtri(0.1)
    assert z == pytest.approx(1.2816, abs=1e-4)
    # sampling error of a sample quantile: sqrt(p(1 - p)/n)/density. In units of
    # sigma: P90 1.709/sqrt(n), P50 1.2533/sqrt(n); the ratio's sd is at most
    # sigma x sqrt(1.709^2 + 1.2533^2)/sqrt(n) = 2.1e-4 here; 4 of them: 8.5e-4
    tolerance = 4 * sigma * np.hypot(1.709, 1.2533) / np.sqrt(n)
    assert abs(ratio - (1 - z * sigma)) < tolerance
    # the model factor holds for the whole life, so lifetime energy spreads alike
    life = summary.loc["life", "P90"] / summary.loc["life", "P50"]
    assert abs(life - (1 - z * sigma)) < tolerance


def test_interannual_variability_averages_out_over_the_life() -> None:
    sigma, n, years = 0.04, 100_000, 25
    spec = MonteCarloSpec(interannual_sd=sigma)
    draws = run_monte_carlo(
        _energy_only, spec, n_draws=n, n_years=years, rng=np.random.default_rng(8)
    )
    summary = p_values(draws, ["energy", "life"])
    z = -ndtri(0.1)
    one_year = summary.loc["energy", "P90"] / summary.loc["energy", "P50"]
    tolerance = 4 * sigma * np.hypot(1.709, 1.2533) / np.sqrt(n)
    assert abs(one_year - (1 - z * sigma)) < tolerance
    # 25 independent years: the life total's relative sd is sigma/sqrt(25)
    life = summary.loc["life", "sd"] / summary.loc["life", "mean"]
    assert_allclose(life, sigma / np.sqrt(years), rtol=0.02)


def test_zero_uncertainty_gives_the_deterministic_value_at_every_px() -> None:
    draws = run_monte_carlo(
        _energy_only,
        MonteCarloSpec(),
        n_draws=50,
        n_years=10,
        rng=np.random.default_rng(0),
    )
    summary = p_values(draws, ["energy", "life"], px=(95, 90, 50, 10))
    assert (summary.loc["energy", ["P95", "P90", "P50", "P10"]] == 1000.0).all()
    assert (summary.loc["life", ["P95", "P90", "P50", "P10"]] == 10_000.0).all()


def _linear(values, factors):
    return {"npv": 100.0 * values["price"] - 50.0 * values["capex"] + factors[:, 0]}


SPEC = MonteCarloSpec(
    variables=(
        Variable("price", Normal(1.0, 0.1)),
        Variable("capex", Triangular(0.9, 1.0, 1.2)),
    ),
    rank_correlation=np.array([[1.0, 0.5], [0.5, 1.0]]),
    model_sd=0.02,
    interannual_sd=0.01,
)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 600))
def test_same_seed_same_draws_whatever_the_chunk_size(seed, chunk) -> None:
    def run(chunk_draws: int):
        return run_monte_carlo(
            _linear,
            SPEC,
            n_draws=600,
            n_years=5,
            rng=np.random.default_rng(seed),
            chunk_draws=chunk_draws,
        )

    assert run(chunk).equals(run(600))


def test_draws_frame_is_tidy() -> None:
    draws = run_monte_carlo(
        _linear, SPEC, n_draws=20, n_years=5, rng=np.random.default_rng(1)
    )
    assert draws.index.name == "draw" and len(draws) == 20
    assert list(draws.columns) == [
        "price",
        "capex",
        "energy_factor_year1",
        "energy_factor_mean",
        "npv",
    ]
