"""Loans: annuity, equal principal and sculpted, with grace, fee and construction
interest (finance/debt.py, through finance/cashflow.py).

Each loan type has a 3-year toy case computed by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    EqualPrincipalLoan,
    SculptedLoan,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.debt import amortising_schedule, loan_amount
from solarcase.finance.metrics import dscr, metrics
from solarcase.finance.tariff import EscalatingTariff

ENERGY = np.array([[1000.0, 1000.0, 1000.0]])


def plant(debt, **changes) -> CashFlowInputs:
    """1000 kWh a year at 1/kWh, no costs, no tax: CFADS is 1000 a year."""
    values = {
        "analysis_years": 3,
        "capex": 2000.0,
        "tariff": EscalatingTariff(1.0, 0.0),
        "discount_rate_nominal": 0.1,
        "inflation_rate": 0.0,
        "debt": debt,
    }
    values.update(changes)
    return CashFlowInputs(**values)


def test_annuity_with_a_grace_year_toy_case():
    # 1000 (half of capex 2000) at 10 %: year 1 interest only (100); then an
    # annuity over 2 years: P = 1000 x 0.1 x 1.21 / 0.21 = 576.190476...
    # year 2: interest 100, principal 476.190476, balance 523.809524
    # year 3: interest 52.3809524, principal 523.809524
    table = cash_flow(ENERGY, plant(AnnuityLoan(0.5, 0.10, 2, grace_years=1)))
    payment = 100 * 1.21 / 0.21
    assert_allclose(table.interest[0], [0, -100, -100, -52.38095238095238])
    assert_allclose(
        table.principal[0], [0, 0, -(payment - 100), -(payment - 52.38095238095238)]
    )
    assert_allclose(table.debt_service[0], [0, -100, -payment, -payment])
    assert_allclose(table.debt_balance[0], [1000, 1000, 1000 - (payment - 100), 0])
    # equity: -2000 + 1000 = -1000; then 1000 - service
    assert_allclose(table.equity_fcf[0], [-1000, 900, 1000 - payment, 1000 - payment])


def test_equal_principal_toy_case():
    # 1500 (75 % of 2000) at 10 % over 3 years: principal 500 a year; interest on
    # the balance 1500, 1000, 500: 150, 100, 50; service 650, 600, 550;
    # DSCR 1000/650, 1000/600, 1000/550: min 1.538..., mean (1.5385 + 1.6667 +
    # 1.8182)/3
    table = cash_flow(ENERGY, plant(EqualPrincipalLoan(0.75, 0.10, 3)))
    assert_allclose(table.principal[0], [0, -500, -500, -500])
    assert_allclose(table.interest[0], [0, -150, -100, -50])
    assert_allclose(table.debt_balance[0], [1500, 1000, 500, 0])
    lowest, mean = dscr(table.cfads, table.debt_service)
    assert lowest[0] == pytest.approx(1000 / 650, rel=1e-14)
    assert mean[0] == pytest.approx((1000 / 650 + 1000 / 600 + 1000 / 550) / 3)


def test_sculpted_loan_toy_case():
    # CFADS 1000 a year, target DSCR 1.25: service 800 a year for 3 years at 10 %
    # loan = 800 (1/1.1 + 1/1.21 + 1/1.331) = 800 x 2.4868519909... = 1989.4816
    # (gearing cap 100 % of capex 3000 does not bind)
    # balances: 1989.48 x 1.1 - 800 = 1388.43; x 1.1 - 800 = 727.27; then 0
    loan = SculptedLoan(target_dscr=1.25, max_gearing=1.0, interest_rate=0.1,
                        tenor_years=3)  # fmt: skip
    table = cash_flow(ENERGY, plant(loan, capex=3000.0))
    amount = 800 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331)
    assert table.debt_drawdown[0, 0] == pytest.approx(amount, rel=1e-14)
    assert_allclose(table.debt_service[0], [0, -800, -800, -800], rtol=1e-12)
    balance1 = amount * 1.1 - 800
    assert_allclose(
        table.debt_balance[0],
        [amount, balance1, balance1 * 1.1 - 800, 0],
        rtol=1e-12,
        atol=1e-9,
    )
    assert_allclose(table.cfads[0, 1:] / -table.debt_service[0, 1:], 1.25)


def test_sculpted_loan_capped_by_gearing():
    # the same plant with capex 2000 and a 60 % cap: the target supports 1989.48
    # but the cap is 1200; service scales by 1200 / 1989.48 = 0.60317...,
    # so each year's DSCR is 1.25 / 0.60317 = 2.0724
    loan = SculptedLoan(1.25, 0.6, 0.1, 3)
    table = cash_flow(ENERGY, plant(loan))
    wanted = 800 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331)
    assert table.debt_drawdown[0, 0] == pytest.approx(1200.0, rel=1e-14)
    assert_allclose(
        table.cfads[0, 1:] / -table.debt_service[0, 1:], 1.25 * wanted / 1200
    )


def test_sculpted_loan_with_a_grace_year():
    # interest only in year 1; service 800 in years 2 and 3, discounted to the end
    # of year 1: 800/1.1 + 800/1.21 = 727.2727 + 661.1570 = 1388.4298;
    # year 1 interest 138.84
    loan = SculptedLoan(1.25, 1.0, 0.1, 2, grace_years=1)
    table = cash_flow(ENERGY, plant(loan))
    amount = 800 / 1.1 + 800 / 1.21
    assert table.debt_drawdown[0, 0] == pytest.approx(amount, rel=1e-14)
    assert_allclose(table.debt_service[0], [0, -0.1 * amount, -800, -800], rtol=1e-12)


def test_sculpted_loan_with_tax_meets_the_target_every_year():
    # with tax the interest shield raises CFADS, which raises the loan: the engine
    # iterates to the fixed point, where every repayment year's DSCR is the target
    inputs = plant(
        SculptedLoan(1.3, 1.0, 0.15, 8),
        analysis_years=10,
        capex=5000.0,
        tax_rate=0.25,
        depreciation=StraightLineDepreciation(10),
        fixed_om_per_year=100.0,
        inflation_rate=0.3,
        tariff=EscalatingTariff(1.0, 0.2),
    )
    table = cash_flow(np.full((1, 10), 1000.0), inputs)
    ratio = table.cfads[0, 1:9] / -table.debt_service[0, 1:9]
    assert_allclose(ratio, 1.3, rtol=1e-9)
    assert table.debt_balance[0, 8] == 0.0


def test_upfront_fee_and_construction_interest():
    # 1000 at 10 %, fee 2 % = 20 paid by the owner at year 0 (not a project flow);
    # half a year of construction interest: balance at year 0 = 1000 x 1.1^0.5 =
    # 1048.8088; the capitalised 48.8088 is repaid with the loan (equal principal
    # 1048.8088 / 2 a year)
    loan = EqualPrincipalLoan(
        0.5, 0.10, 2, upfront_fee_fraction=0.02, construction_interest_years=0.5
    )
    table = cash_flow(ENERGY, plant(loan))
    opening = 1000 * 1.1**0.5
    assert table.debt_fees[0, 0] == pytest.approx(-20.0)
    assert table.capitalised_interest[0, 0] == pytest.approx(opening - 1000)
    assert table.debt_balance[0, 0] == pytest.approx(opening)
    assert_allclose(table.principal[0, 1:3], -opening / 2)
    assert table.equity_fcf[0, 0] == pytest.approx(-2000 + 1000 - 20)
    assert table.project_fcf[0, 0] == pytest.approx(-2000)


def test_loan_never_exceeds_the_cost_less_grants():
    # 90 % of 1000 wanted, but grants of 300 leave a cost of 700
    amount = loan_amount(AnnuityLoan(0.9, 0.1, 5), capex=1000.0, grants=300.0)
    assert amount[0, 0] == pytest.approx(700.0)


def test_loan_longer_than_the_analysis_with_grace_is_an_error():
    with pytest.raises(FinanceError, match="grace"):
        plant(AnnuityLoan(0.5, 0.1, 3, grace_years=1))
    with pytest.raises(FinanceError, match="longer than the analysis"):
        amortising_schedule(AnnuityLoan(0.5, 0.1, 3, grace_years=1), 1.0, n_years=3)


@pytest.mark.parametrize(
    "bad",
    [
        {"target_dscr": 0.0},
        {"construction_interest_years": -1.0},
        {"grace_years": -1},
        {"tenor_years": 0},
    ],
)
def test_sculpted_loan_rejects_bad_terms(bad):
    terms = {"target_dscr": 1.3, "max_gearing": 0.7, "interest_rate": 0.1}
    terms |= {"tenor_years": 5} | bad
    with pytest.raises(FinanceError):
        SculptedLoan(**terms)


def test_llcr_of_a_sculpted_loan_is_its_dscr():
    # LLCR = PV(CFADS at the loan rate over the loan life) / loan; for a loan
    # sculpted at DSCR 1.25 with no cap, PV(CFADS) = 1.25 x PV(service) = 1.25 x
    # loan, so LLCR = 1.25
    inputs = plant(SculptedLoan(1.25, 1.0, 0.1, 3), capex=3000.0)
    result = metrics(cash_flow(ENERGY, inputs), inputs)
    assert result.llcr[0] == pytest.approx(1.25, rel=1e-12)


# cases with any revenue, costs, tax, grants: the loan stays within its caps
@settings(max_examples=150, deadline=None)
@given(
    capex=st.floats(100.0, 1e7),
    price=st.floats(0.0, 50.0),
    om=st.floats(0.0, 2e4),
    grants_share=st.floats(0.0, 1.2),
    gearing=st.floats(0.01, 1.0),
    target=st.floats(1.0, 3.0),
    rate=st.floats(0.0, 0.4),
    tax_rate=st.floats(0.0, 0.5),
    tenor=st.integers(1, 10),
    grace=st.integers(0, 3),
    idc=st.floats(0.0, 2.0),
)
def test_sculpted_debt_never_exceeds_the_gearing_cap_or_the_cost(
    capex, price, om, grants_share, gearing, target, rate, tax_rate, tenor, grace, idc
):
    loan = SculptedLoan(
        target, gearing, rate, tenor, grace_years=grace, construction_interest_years=idc
    )
    inputs = CashFlowInputs(
        analysis_years=15,
        capex=capex,
        tariff=EscalatingTariff(price, 0.3),
        discount_rate_nominal=0.3,
        inflation_rate=0.3,
        fixed_om_per_year=om,
        grants=grants_share * capex,
        debt=loan,
        tax_rate=tax_rate,
        depreciation=StraightLineDepreciation(10),
    )
    table = cash_flow(np.full((1, 15), 1000.0), inputs)
    drawn = table.debt_drawdown[0, 0]
    tolerance = 1e-9 * capex
    assert drawn >= 0.0
    assert drawn <= gearing * capex + tolerance
    assert drawn <= max(capex - grants_share * capex, 0.0) + tolerance
    # the loan is repaid within its life and its repayment years cover the target
    assert_allclose(table.debt_balance[0, grace + tenor :], 0.0, atol=tolerance)
    service = -table.debt_service[0, grace + 1 : grace + tenor + 1]
    cover = table.cfads[0, grace + 1 : grace + tenor + 1]
    paying = service > tolerance
    assert (cover[paying] >= target * service[paying] * (1 - 1e-7) - tolerance).all()
