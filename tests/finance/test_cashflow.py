"""The yearly cash-flow table (finance/cashflow.py, debt.py, tax.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.cashflow import (
    ROW_ORDER,
    AnnuityLoan,
    CashFlowInputs,
    CashFlowTable,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.debt import amortising_schedule, loan_amount
from solarcase.finance.tariff import EscalatingTariff
from solarcase.finance.tax import depreciation_schedule, tax_paid


def toy_inputs(**changes: object) -> CashFlowInputs:
    """The 3-year toy plant computed by hand in test_toy_case_row_by_row."""
    base = CashFlowInputs(
        analysis_years=3,
        capex=1000.0,
        tariff=EscalatingTariff(1.0, 0.10, 2, 1.5, 0.0),
        discount_rate_nominal=0.10,
        inflation_rate=0.05,
        fixed_om_per_year=100.0,
        fixed_om_escalation_rate=0.10,
        variable_om_per_kwh=0.01,
        variable_om_escalation_rate=0.0,
        insurance_rate=0.01,
        insurance_escalation_rate=0.0,
        land_lease_per_year=20.0,
        land_lease_escalation_rate=0.5,
        replacement_year=2,
        replacement_cost=50.0,
        replacement_escalation_rate=0.2,
        salvage_value=100.0,
        salvage_escalation_rate=0.0,
        decommissioning_cost=40.0,
        decommissioning_escalation_rate=0.5,
        debt=AnnuityLoan(capex_fraction=0.42, interest_rate=0.10, tenor_years=2),
        tax_rate=0.25,
        depreciation=StraightLineDepreciation(life_years=2),
    )
    return dataclasses.replace(base, **changes)


ENERGY = np.array([[1000.0, 1000.0, 1000.0]])


def test_toy_case_row_by_row():
    table = cash_flow(ENERGY, toy_inputs())

    def row(name: str, expected: list[float]) -> None:
        assert_allclose(getattr(table, name)[0], expected, rtol=1e-12, atol=1e-9)

    # price: contract 1.0 +10 %/yr for 2 years (1.0, 1.1); year 3 after-contract
    # 1.5 at year-1 prices with 0 % escalation -> 1.5
    row("price_per_kwh", [0, 1.0, 1.1, 1.5])
    row("revenue", [0, 1000, 1100, 1500])  # 1000 kWh x price
    # fixed O&M 100 x 1.1^(t-1): 100, 110, 121
    row("fixed_om", [0, -100, -110, -121])
    # variable O&M 0.01 x 1000 kWh, flat: 10 a year
    row("variable_om", [0, -10, -10, -10])
    # insurance 1 % x capex 1000 = 10, flat
    row("insurance", [0, -10, -10, -10])
    # land lease 20 x 1.5^(t-1): 20, 30, 45
    row("land_lease", [0, -20, -30, -45])
    # total: 140, 160, 186
    row("opex_total", [0, -140, -160, -186])
    # EBITDA: 1000-140 = 860; 1100-160 = 940; 1500-186 = 1314
    row("ebitda", [0, 860, 940, 1314])
    row("capex", [-1000, 0, 0, 0])
    # replacement 50 at year-0 prices x 1.2^2 = 72 in year 2
    row("replacement", [0, 0, -72, 0])
    # year 3: salvage 100 x 1.0^3 = 100; decommissioning 40 x 1.5^3 = 135; net -35
    row("end_of_life", [0, 0, 0, -35])
    # straight line, life 2: 1000 / 2 = 500 in years 1 and 2
    row("depreciation", [0, -500, -500, 0])
    # loan 0.42 x 1000 = 420 at 10 % over 2 years:
    # P = 420 x 0.1 x 1.21 / (1.21 - 1) = 50.82 / 0.21 = 242
    # year 1: interest 42, principal 200, balance 220
    # year 2: interest 22, principal 220, balance 0
    row("debt_drawdown", [420, 0, 0, 0])
    row("interest", [0, -42, -22, 0])
    row("principal", [0, -200, -220, 0])
    row("debt_service", [0, -242, -242, 0])
    row("debt_balance", [420, 220, 0, 0])
    # taxable = EBITDA + depreciation + interest + replacement + end of life:
    # y1 860 - 500 - 42 = 318; y2 940 - 500 - 22 - 72 = 346; y3 1314 - 35 = 1279
    row("taxable_income", [0, 318, 346, 1279])
    # tax 25 %: 79.5, 86.5, 319.75
    row("tax", [0, -79.5, -86.5, -319.75])
    # unlevered (no interest): y1 360 -> 90; y2 368 -> 92; y3 1279 -> 319.75
    row("project_tax", [0, -90, -92, -319.75])
    # CFADS = EBITDA + replacement + end of life + tax:
    # y1 860 - 79.5 = 780.5; y2 940 - 72 - 86.5 = 781.5; y3 1314 - 35 - 319.75
    row("cfads", [0, 780.5, 781.5, 959.25])
    # project FCF = capex + EBITDA + replacement + end of life + unlevered tax:
    # -1000; 860 - 90 = 770; 940 - 72 - 92 = 776; 1314 - 35 - 319.75 = 959.25
    row("project_fcf", [-1000, 770, 776, 959.25])
    # equity FCF = capex + drawdown + CFADS + debt service:
    # -1000 + 420 = -580; 780.5 - 242 = 538.5; 781.5 - 242 = 539.5; 959.25
    row("equity_fcf", [-580, 538.5, 539.5, 959.25])
    # cumulative project: -1000, -230, 546, 1505.25
    row("cumulative_project_fcf", [-1000, -230, 546, 1505.25])


def test_to_frame_lists_every_row_with_units_and_years():
    frame = cash_flow(ENERGY, toy_inputs()).to_frame(currency="IRR")
    assert list(frame.columns) == [0, 1, 2, 3]
    assert frame.columns.name == "year"
    assert len(frame) == len(ROW_ORDER)
    assert frame.index[0] == "energy [kWh]"
    assert "revenue [IRR]" in frame.index
    assert frame.loc["project free cash flow [IRR]", 1] == pytest.approx(770.0)


def test_row_order_names_every_table_row():
    rows = {f.name for f in dataclasses.fields(CashFlowTable)} - {"years"}
    assert {name for name, _ in ROW_ORDER} == rows


def test_table_arrays_are_read_only():
    table = cash_flow(ENERGY, toy_inputs())
    with pytest.raises(ValueError, match="read-only"):
        table.revenue[0, 1] = 0.0


def test_without_debt_equity_and_project_flows_are_equal():
    table = cash_flow(ENERGY, toy_inputs(debt=None))
    assert_allclose(table.equity_fcf, table.project_fcf, rtol=0, atol=0)
    assert (table.debt_service == 0).all()


def test_tax_is_never_negative_a_loss_earns_no_refund():
    # taxable income: y1 -100 (loss), y2 +100: tax 0 then -25 (no carry-forward)
    assert_allclose(tax_paid(np.array([[0.0, -100.0, 100.0]]), 0.25), [[0, 0, -25]])


def test_half_year_convention_depreciation():
    # basis 800, life 4: 800/8 = 100 in years 1 and 5, 800/4 = 200 in years 2..4
    dep = depreciation_schedule(
        StraightLineDepreciation(4, half_year_convention=True), capex=800.0, n_years=6
    )
    assert_allclose(dep, [[0, -100, -200, -200, -200, -100, 0]])


def test_depreciation_after_the_last_year_is_not_taken_and_land_is_excluded():
    # basis 0.75 x 800 = 600, life 4: 150 a year, cut after year 2
    dep = depreciation_schedule(
        StraightLineDepreciation(4, basis_fraction=0.75), capex=800.0, n_years=2
    )
    assert_allclose(dep, [[0, -150, -150]])


def test_interest_free_loan_repays_in_equal_parts():
    # 900 at 0 % over 3 years: 300 principal a year, no interest
    loan = AnnuityLoan(0.9, 0.0, 3)
    debt = amortising_schedule(loan, loan_amount(loan, capex=1000.0)[:, 0], n_years=4)
    assert_allclose(debt.principal, [[0, -300, -300, -300, 0]])
    assert_allclose(debt.interest, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    share=st.floats(0.05, 1.0),
    rate=st.floats(0.0, 0.6),
    tenor=st.integers(1, 20),
)
def test_annuity_matches_a_year_by_year_recursion(share, rate, tenor):
    loan = AnnuityLoan(share, rate, tenor)
    debt = amortising_schedule(loan, loan_amount(loan, capex=1000.0)[:, 0], n_years=20)
    balance = 1000.0 * share
    payment = -(debt.interest[0, 1] + debt.principal[0, 1])
    for year in range(1, tenor + 1):
        interest = rate * balance
        balance = balance + interest - payment
        assert -debt.interest[0, year] == pytest.approx(interest, rel=1e-9, abs=1e-9)
        # every instalment is the same
        service = -(debt.interest[0, year] + debt.principal[0, year])
        assert service == pytest.approx(payment, rel=1e-12)
    assert balance == pytest.approx(0.0, abs=1e-7)
    assert -debt.principal.sum() == pytest.approx(1000.0 * share, rel=1e-12)


def test_escalation_left_out_follows_inflation():
    implicit = cash_flow(ENERGY, toy_inputs(fixed_om_escalation_rate=None))
    explicit = cash_flow(ENERGY, toy_inputs(fixed_om_escalation_rate=0.05))
    assert_allclose(implicit.fixed_om, explicit.fixed_om, rtol=1e-15)
    # 100 x 1.05^2 = 110.25 in year 3
    assert implicit.fixed_om[0, 3] == pytest.approx(-110.25)


def test_array_inputs_equal_case_by_case_runs():
    capex = np.array([800.0, 1000.0, 1300.0])
    escalation = np.array([0.0, 0.1, 0.3])
    vector = cash_flow(
        ENERGY,
        toy_inputs(capex=capex, tariff=EscalatingTariff(1.0, escalation, 2, 1.5)),
    )
    assert vector.n_cases == 3
    for case in range(3):
        single = cash_flow(
            ENERGY,
            toy_inputs(
                capex=capex[case],
                tariff=EscalatingTariff(1.0, escalation[case], 2, 1.5),
            ),
        )
        for name, _ in ROW_ORDER:
            assert_allclose(
                getattr(vector, name)[case], getattr(single, name)[0], rtol=1e-14
            )


def test_array_inputs_of_different_lengths_are_an_error():
    with pytest.raises(FinanceError, match="different numbers of cases"):
        cash_flow(ENERGY, toy_inputs(capex=np.ones(3), tax_rate=np.zeros(2)))


@pytest.mark.parametrize(
    ("energy", "match"),
    [
        (np.ones((1, 4)), "expected shape"),
        (np.ones(3), "expected shape"),
        (np.array([[1.0, -1.0, 1.0]]), "finite number >= 0"),
        (np.array([[1.0, np.nan, 1.0]]), "finite number >= 0"),
    ],
)
def test_bad_energy_is_an_error(energy, match):
    with pytest.raises(FinanceError, match=match):
        cash_flow(energy, toy_inputs())


def test_replacement_after_the_last_year_is_an_error():
    with pytest.raises(FinanceError, match="replacement_year: 4"):
        toy_inputs(replacement_year=4)


def test_loan_longer_than_the_analysis_is_an_error():
    with pytest.raises(FinanceError, match="tenor_years: 5"):
        toy_inputs(debt=AnnuityLoan(0.5, 0.1, 5))


money = st.floats(0.0, 1e6)


@settings(max_examples=60, deadline=None)
@given(
    capex=st.floats(1.0, 1e6),
    price=st.floats(0.0, 10.0),
    om=money,
    tax_rate=st.floats(0.0, 0.6),
    share=st.floats(0.0, 1.0),
    rate=st.floats(0.0, 0.5),
    energy=st.lists(st.floats(0.0, 1e6), min_size=6, max_size=6),
)
def test_table_identities_hold(capex, price, om, tax_rate, share, rate, energy):
    inputs = CashFlowInputs(
        analysis_years=6,
        capex=capex,
        tariff=EscalatingTariff(price, 0.1),
        discount_rate_nominal=0.1,
        inflation_rate=0.3,
        fixed_om_per_year=om,
        debt=AnnuityLoan(share, rate, 4) if share > 0 else None,
        tax_rate=tax_rate,
        depreciation=StraightLineDepreciation(5),
    )
    t = cash_flow(np.array([energy]), inputs)
    scale = 1e-9 * (capex + om + 10.0 * max(energy) + 1.0) * 10
    assert_allclose(t.revenue, t.energy_kwh * t.price_per_kwh, rtol=1e-12)
    assert (t.tax <= 0).all() and (t.project_tax <= 0).all()
    assert_allclose(t.cumulative_project_fcf, np.cumsum(t.project_fcf, axis=1))
    # levered and unlevered flows differ only by financing and the interest shield
    assert_allclose(
        t.equity_fcf - t.project_fcf,
        t.debt_drawdown + t.debt_service + t.tax - t.project_tax,
        atol=scale * 1e3,
    )
    # the loan is repaid in full by the end of its tenor
    assert_allclose(-t.principal.sum(), share * capex, rtol=1e-9, atol=1e-6)
    assert_allclose(t.debt_balance[0, 4:], 0.0, atol=1e-6)
