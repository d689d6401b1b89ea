"""Fisher conversions, escalation, discount and deflation factors (finance/rates.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    deflation_factors,
    discount_factors,
    escalation_factors,
    nominal_from_real,
    real_from_nominal,
)

rates = st.floats(min_value=-0.5, max_value=1.0, allow_nan=False)


def test_fisher_is_exact_not_the_additive_approximation():
    # (1 + 0.05)(1 + 0.40) - 1 = 1.47 - 1 = 0.47, not 0.45
    assert nominal_from_real(0.05, 0.40) == pytest.approx(0.47, abs=1e-15)
    # 1.47 / 1.40 - 1 = 0.05
    assert real_from_nominal(0.47, 0.40) == pytest.approx(0.05, abs=1e-15)


def test_real_rate_is_negative_when_inflation_beats_the_bank_rate():
    # Iranian loan cap 23 % against 40 % inflation: 1.23 / 1.40 - 1 = -0.121428...
    assert real_from_nominal(0.23, 0.40) == pytest.approx(1.23 / 1.40 - 1.0)
    assert real_from_nominal(0.23, 0.40) < 0


def test_fisher_broadcasts_over_cases():
    out = nominal_from_real(np.array([0.0, 0.1]), 0.2)
    # (1.0)(1.2) - 1 = 0.2 ; (1.1)(1.2) - 1 = 0.32
    assert_allclose(out, [0.2, 0.32], rtol=0, atol=1e-15)


@given(real=rates, inflation=rates)
def test_nominal_real_nominal_round_trip(real, inflation):
    nominal = nominal_from_real(real, inflation)
    assert real_from_nominal(nominal, inflation) == pytest.approx(real, abs=1e-12)


def test_escalation_from_year_one_prices():
    # p (1 + e)^(t - 1) with e = 50 %: t = 0..3 -> 1/1.5, 1, 1.5, 2.25
    assert_allclose(
        escalation_factors(0.5, n_years=3), [[1 / 1.5, 1.0, 1.5, 2.25]], rtol=1e-15
    )


def test_escalation_from_year_zero_prices():
    # c (1 + e)^t with e = 50 %: 1, 1.5, 2.25, 3.375
    assert_allclose(
        escalation_factors(0.5, n_years=3, base_year=0),
        [[1.0, 1.5, 2.25, 3.375]],
        rtol=1e-15,
    )


def test_factors_have_one_row_per_case():
    assert escalation_factors(0.1, n_years=4).shape == (1, 5)
    assert discount_factors(np.array([0.1, 0.2, 0.3]), n_years=4).shape == (3, 5)


def test_discount_factors_leave_year_zero_undiscounted():
    # d = 100 %: 1, 1/2, 1/4, 1/8
    assert_allclose(
        discount_factors(1.0, n_years=3), [[1.0, 0.5, 0.25, 0.125]], rtol=1e-15
    )


def test_deflation_of_a_price_rising_with_inflation_is_constant():
    inflation = 0.4
    nominal = 100.0 * escalation_factors(inflation, n_years=5, base_year=0)
    assert_allclose(nominal * deflation_factors(inflation, n_years=5), 100.0)


@given(real=rates, inflation=rates)
def test_discounting_nominal_equals_deflating_then_discounting_real(real, inflation):
    nominal = nominal_from_real(real, inflation)
    lhs = discount_factors(nominal, n_years=10)
    rhs = deflation_factors(inflation, n_years=10) * discount_factors(real, n_years=10)
    assert_allclose(lhs, rhs, rtol=1e-12)


def test_case_column_rejects_two_dimensional_input():
    with pytest.raises(ValueError, match="shape"):
        as_case_column(np.zeros((2, 2)), name="capex")


@pytest.mark.parametrize("bad", [0, 2.5, True, "3"])
def test_year_counts_must_be_whole_positive_numbers(bad):
    with pytest.raises(FinanceError, match="tenor"):
        check_years(bad, name="tenor")


def test_numpy_integers_are_whole_years():
    check_years(np.int64(20), name="life_years")
