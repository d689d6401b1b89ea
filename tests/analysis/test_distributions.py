"""Distributions: each inverse CDF against scipy.stats, and the input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from solarcase.analysis.distributions import (
    Discrete,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
)
from solarcase.errors import ScenarioError

U = np.array([1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6])


def test_normal_matches_scipy() -> None:
    assert_allclose(Normal(0.4, 0.06).ppf(U), stats.norm(0.4, 0.06).ppf(U), rtol=1e-12)


def test_truncated_normal_matches_scipy_truncnorm() -> None:
    mean, sd, low, high = 0.4, 0.1, 0.25, 0.7
    expected = stats.truncnorm((low - mean) / sd, (high - mean) / sd, mean, sd).ppf(U)
    got = Normal(mean, sd, low, high).ppf(U)
    assert_allclose(got, expected, rtol=1e-9)
    assert got.min() >= low and got.max() <= high


def test_lognormal_has_the_stated_mean_and_sd() -> None:
    # scipy's lognorm(s=sigma, scale=exp(mu)) has mean exp(mu + sigma^2/2) and
    # variance (exp(sigma^2) - 1) exp(2 mu + sigma^2): with m = 60,000 and
    # s = 20,000 these must give back m and s
    law = LogNormal(60_000.0, 20_000.0)
    mu, sigma = law.log_parameters
    reference = stats.lognorm(s=sigma, scale=math.exp(mu))
    assert_allclose([reference.mean(), reference.std()], [60_000.0, 20_000.0])
    assert_allclose(law.ppf(U), reference.ppf(U), rtol=1e-12)


def test_truncated_lognormal_stays_in_its_bounds() -> None:
    got = LogNormal(1.0, 0.5, low=0.8, high=1.5).ppf(U)
    assert got.min() >= 0.8 and got.max() <= 1.5


def test_triangular_matches_scipy() -> None:
    low, mode, high = 0.25, 0.41, 0.55
    c = (mode - low) / (high - low)
    expected = stats.triang(c, loc=low, scale=high - low).ppf(U)
    assert_allclose(Triangular(low, mode, high).ppf(U), expected, rtol=1e-12)


def test_uniform_matches_scipy() -> None:
    assert_allclose(
        Uniform(2.0, 5.0).ppf(U), stats.uniform(2.0, 3.0).ppf(U), rtol=1e-12
    )


def test_discrete_takes_each_value_with_its_probability() -> None:
    # cumulative 0.5, 0.8, 1.0: u below 0.5 -> 0, in [0.5, 0.8) -> 0.3, else 0.5
    law = Discrete((0.0, 0.3, 0.5), (0.5, 0.3, 0.2))
    got = law.ppf(np.array([0.1, 0.4999, 0.5, 0.79, 0.8, 0.999]))
    assert got.tolist() == [0.0, 0.0, 0.3, 0.3, 0.5, 0.5]
    u = (np.arange(100_000) + 0.5) / 100_000
    shares = [np.mean(law.ppf(u) == v) for v in (0.0, 0.3, 0.5)]
    assert_allclose(shares, [0.5, 0.3, 0.2], atol=1e-5)


def test_zero_spread_is_a_constant() -> None:
    assert (Normal(3.0, 0.0).ppf(U) == 3.0).all()
    assert (LogNormal(3.0, 0.0).ppf(U) == 3.0).all()
    assert (Triangular(3.0, 3.0, 3.0).ppf(U) == 3.0).all()


@given(
    mode=st.floats(0.0, 1.0),
    a=st.floats(0.001, 0.999),
    b=st.floats(0.001, 0.999),
)
def test_inverse_cdfs_are_monotone_and_inside_their_support(mode, a, b) -> None:
    u = np.sort(np.array([a, b]))
    for law, low, high in (
        (Triangular(0.0, mode, 1.0), 0.0, 1.0),
        (Uniform(-1.0, 2.0), -1.0, 2.0),
        (Normal(0.0, 1.0, -1.0, 1.5), -1.0, 1.5),
    ):
        x = law.ppf(u)
        assert x[0] <= x[1]
        assert low <= x[0] and x[1] <= high


@pytest.mark.parametrize(
    "make",
    [
        lambda: Normal(0.0, -1.0),
        lambda: Normal(0.0, 1.0, low=2.0, high=1.0),
        lambda: LogNormal(0.0, 1.0),
        lambda: Triangular(0.0, 2.0, 1.0),
        lambda: Uniform(2.0, 1.0),
        lambda: Discrete((1.0, 2.0), (0.5, 0.6)),
        lambda: Discrete((1.0, 2.0), (1.0,)),
    ],
)
def test_bad_parameters_are_user_errors(make) -> None:
    with pytest.raises(ScenarioError):
        make()


def test_uniform_numbers_outside_zero_one_are_a_bug() -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        Normal(0.0, 1.0).ppf(np.array([0.0]))
