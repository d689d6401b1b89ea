"""The per-year price schedule of the escalating tariff (finance/tariff.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.tariff import EscalatingTariff, escalating_tariff_prices


def price_schedule(tariff: EscalatingTariff, *, n_years: int) -> np.ndarray:
    """The price of each year's energy: the contract or the after-contract price."""
    contract, after = escalating_tariff_prices(tariff, n_years=n_years)
    return contract + after


def test_contract_then_price_after_contract():
    # contract 100/kWh, +10 %/year for 3 years: 100, 110, 121
    # then 50/kWh stated at year-1 prices, +20 %/year: year 4 = 50 * 1.2^3 = 86.4,
    # year 5 = 50 * 1.2^4 = 103.68; year 0 (construction) sells nothing
    tariff = EscalatingTariff(100.0, 0.10, 3, 50.0, 0.20)
    assert_allclose(
        price_schedule(tariff, n_years=5),
        [[0.0, 100.0, 110.0, 121.0, 86.4, 103.68]],
        rtol=1e-12,
    )


def test_without_a_term_the_contract_covers_the_analysis():
    # 38,500 IRR/kWh flat: every operating year pays 38,500
    tariff = EscalatingTariff(38_500.0, 0.0, price_after_contract_per_kwh=1.0)
    assert_allclose(price_schedule(tariff, n_years=4)[0, 1:], 38_500.0)


def test_term_equal_to_analysis_never_uses_the_after_price():
    tariff = EscalatingTariff(10.0, 0.0, 4, 999.0, 0.0)
    assert (price_schedule(tariff, n_years=4) < 999.0).all()


def test_contract_longer_than_the_analysis_is_an_error():
    with pytest.raises(FinanceError, match="contract_years: 25 is longer"):
        price_schedule(EscalatingTariff(1.0, 0.0, 25), n_years=20)


@pytest.mark.parametrize("bad", [0, 2.5, True])
def test_contract_term_must_be_a_whole_positive_number(bad):
    with pytest.raises(FinanceError, match="contract_years"):
        EscalatingTariff(1.0, 0.0, bad)


def test_array_inputs_give_one_row_per_case():
    # case 0 flat at 1.0; case 1 +10 %: 1.0, 1.1, 1.21
    tariff = EscalatingTariff(1.0, np.array([0.0, 0.1]))
    assert_allclose(
        price_schedule(tariff, n_years=3),
        [[0.0, 1.0, 1.0, 1.0], [0.0, 1.0, 1.1, 1.21]],
        rtol=1e-12,
    )


@given(
    escalation=st.floats(min_value=-0.5, max_value=1.0),
    term=st.integers(min_value=1, max_value=30),
)
def test_price_grows_by_the_escalation_each_contract_year(escalation, term):
    prices = price_schedule(
        EscalatingTariff(7.0, escalation, term, 3.0, 0.0), n_years=30
    )
    within = prices[0, 1 : term + 1]
    assert_allclose(within[1:] / within[:-1], 1.0 + escalation, rtol=1e-12)
    assert_allclose(prices[0, term + 1 :], 3.0)
