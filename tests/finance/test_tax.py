"""Depreciation, tax holidays and loss carry-forward (finance/tax.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.cashflow import CashFlowInputs, cash_flow
from solarcase.finance.tariff import EscalatingTariff
from solarcase.finance.tax import (
    DecliningBalanceDepreciation,
    StraightLineDepreciation,
    depreciation_schedule,
    income_tax,
)

# IRS Publication 946 (2023), table A-1, "General Depreciation System, 200 %
# declining balance switching to straight line, half-year convention" [% of basis]
MACRS_5 = [20.00, 32.00, 19.20, 11.52, 11.52, 5.76]
MACRS_7 = [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46]


@pytest.mark.parametrize(("life", "table"), [(5, MACRS_5), (7, MACRS_7)])
def test_declining_balance_reproduces_the_macrs_half_year_table(life, table):
    dep = depreciation_schedule(
        DecliningBalanceDepreciation(life, 2.0, half_year_convention=True),
        capex=100.0,
        n_years=life + 1,
    )
    # the IRS rounds to 0.01 % (so 8.93/8.92/8.93 for the equal straight-line years)
    assert_allclose(-dep[0, 1:], table, atol=0.006)
    assert -dep.sum() == pytest.approx(100.0, rel=1e-12)


def test_declining_balance_without_convention_switches_to_straight_line():
    # 1000 over 4 years at 2/4 = 50 %: year 1 max(500, 1000/4) = 500; year 2 on
    # 500: max(250, 500/3 = 166.7) = 250; year 3 on 250: max(125, 250/2 = 125) =
    # 125 (the switch year: both equal); year 4 takes the last 125
    dep = depreciation_schedule(
        DecliningBalanceDepreciation(4, 2.0), capex=1000.0, n_years=5
    )
    assert_allclose(dep, [[0, -500, -250, -125, -125, 0]])


def test_150_percent_declining_balance():
    # 1000 over 5 years at 1.5/5 = 30 %: 300; on 700: max(210, 700/4 = 175) =
    # 210; on 490: max(147, 490/3 = 163.33) = 163.33 (switch); then 163.33 twice
    dep = depreciation_schedule(
        DecliningBalanceDepreciation(5, 1.5), capex=1000.0, n_years=5
    )
    assert_allclose(dep[0, 1:], [-300, -210, -490 / 3, -490 / 3, -490 / 3])


def test_grants_reduce_the_depreciable_basis():
    # basis 0.9 x 1000 - grant 300 = 600 over 3 years: 200 a year
    dep = depreciation_schedule(
        StraightLineDepreciation(3, basis_fraction=0.9),
        capex=1000.0,
        n_years=3,
        basis_reduction=300.0,
    )
    assert_allclose(dep, [[0, -200, -200, -200]])


@settings(max_examples=60, deadline=None)
@given(
    life=st.integers(1, 30),
    factor=st.floats(1.0, 3.0),
    half=st.booleans(),
    capex=st.floats(1.0, 1e9),
)
def test_declining_balance_depreciates_the_whole_basis_once(life, factor, half, capex):
    n = life + 1
    dep = depreciation_schedule(
        DecliningBalanceDepreciation(life, factor, half), capex=capex, n_years=n
    )
    assert (dep <= 0).all()
    assert -dep.sum() == pytest.approx(capex, rel=1e-9)
    last = life + 1 if half else life
    assert (dep[0, last + 1 :] == 0).all()


def test_declining_balance_factor_out_of_range_is_an_error():
    with pytest.raises(FinanceError, match="factor"):
        DecliningBalanceDepreciation(5, 0.0)


# --- tax ----------------------------------------------------------------------------


def test_tax_holiday_exempts_the_first_years_and_forfeits_their_losses():
    # income -50, 100, -100, 200, 100 at 25 %; a 2-year holiday: years 1-2 pay
    # nothing and their loss is not carried; year 3 loses 100 (carried); year 4
    # pays 25 % of 200 - 100 = 25; year 5 pays 25
    income = np.array([[0.0, -50, 100, -100, 200, 100]])
    result = income_tax(income, 0.25, holiday_years=2, carry_forward=True)
    assert_allclose(result.tax, [[0, 0, 0, 0, -25, -25]])
    assert_allclose(result.losses_carried, [[0, 0, 0, 100, 0, 0]])


def test_losses_expire_after_their_years():
    # income -100 (year 1), -50 (year 2), 0, 0, +200 (year 5) at 20 %, losses
    # usable for 3 years: year 1's loss expires after year 4; year 2's is used in
    # year 5: tax 20 % of (200 - 50) = 30
    income = np.array([[0.0, -100, -50, 0, 0, 200]])
    result = income_tax(income, 0.2, carry_forward=True, carry_forward_years=3)
    assert_allclose(result.tax, [[0, 0, 0, 0, 0, -30]])
    assert_allclose(result.losses_carried, [[0, 100, 150, 150, 50, 0]])
    # without expiry both losses are used: 20 % of 50 = 10
    unlimited = income_tax(income, 0.2, carry_forward=True)
    assert unlimited.tax[0, -1] == pytest.approx(-10.0)


def test_oldest_loss_is_used_first():
    # losses 100 (year 1) and 100 (year 2), profit 150 in year 3, 100 in year 4,
    # expiry 2 years: year 3 uses year 1's 100 and 50 of year 2's; year 4 uses the
    # remaining 50 of year 2's (still within 2 years) and pays on 50
    income = np.array([[0.0, -100, -100, 150, 100]])
    result = income_tax(income, 0.5, carry_forward=True, carry_forward_years=2)
    assert_allclose(result.tax, [[0, 0, 0, 0, -25]])


@settings(max_examples=60, deadline=None)
@given(
    income=st.lists(st.floats(-1e6, 1e6), min_size=8, max_size=8),
    rate=st.floats(0.0, 0.6),
    expiry=st.one_of(st.none(), st.integers(1, 8)),
    holiday=st.integers(0, 4),
)
def test_carry_forward_pays_between_none_and_no_carry(income, rate, expiry, holiday):
    row = np.array([[0.0, *income]])
    carried = income_tax(
        row, rate, holiday_years=holiday, carry_forward=True, carry_forward_years=expiry
    ).tax
    forfeited = income_tax(row, rate, holiday_years=holiday).tax
    assert (carried <= 0).all()
    # carrying losses can only lower the tax, never below zero
    assert (carried >= forfeited - 1e-6).all()
    # and the total taxed income is at least the net income after the holiday
    after = row[0, holiday + 1 :]
    assert -carried.sum() >= rate * after.sum() - 1e-6 * (1 + np.abs(after).sum())


def test_cash_flow_with_holiday_and_carry_forward():
    # 3 years, capex 300, straight line over 1 year (300 in year 1), revenue 200 a
    # year, 50 % tax, 1-year holiday: year 1 income -100 is exempt and not
    # carried; years 2 and 3 pay 100 each
    inputs = CashFlowInputs(
        analysis_years=3,
        capex=300.0,
        tariff=EscalatingTariff(1.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
        tax_rate=0.5,
        depreciation=StraightLineDepreciation(1),
        tax_holiday_years=1,
        loss_carry_forward=True,
    )
    table = cash_flow(np.full((1, 3), 200.0), inputs)
    assert_allclose(table.taxable_income[0], [0, -100, 200, 200])
    assert_allclose(table.tax[0], [0, 0, -100, -100])
