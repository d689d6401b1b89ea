"""Cross-check of the cash-flow engine against NREL SAM's Single Owner model (PySAM).

SAM and solarcase run the same plant in the same test: a 1 MW single-owner PV plant,
20 years, energy passed to SAM as an hourly ``gen`` profile with a matching system
capacity (SAM applies 0.5 %/year compound degradation; solarcase takes SAM's own
``cf_energy_net`` as its yearly energy after checking it against the hand formula),
an escalating PPA price, fixed O&M and insurance escalating with inflation, a flat
25 % income tax with 20-year straight-line depreciation (half-year convention, as
SAM's SL schedules), and either all equity or a 60 % annuity loan.

SAM inputs set, and why:

- ``FinancialParameters``: analysis 20 years; inflation 2.5 %; real discount rate
  6.4 % (SAM's nominal rate is (1.064)(1.025) - 1 = 9.06 %, solarcase is given
  the same); federal tax 25 % and state tax 0 (solarcase has one flat tax);
  property tax 0, salvage 0 (not modelled the same way), construction financing
  0, debt closing cost and fee 0, other financing cost 0, working-capital,
  receivables and debt-service reserves 0 months, major-equipment reserves 0,
  reserve interest 0 (solarcase has no reserves); debt option "percent" with
  60 % or 0 %, 10 years at 7 %, equal payments (annuity), no moratorium;
  insurance 0.5 % of installed cost.
- ``SystemCosts``: installed cost USD 1,000,000; O&M 20 USD/kW-year with 0
  escalation above inflation (SAM's escalations are real; solarcase gets the
  nominal 2.5 %); no fixed or per-MWh O&M.
- ``TaxCreditIncentives``/``PaymentIncentives``: every ITC, PTC, IBI, CBI and PBI 0
  (SAM's defaults carry a PTC); ``Depreciation``: 100 % straight-line 20-year, no
  bonus depreciation (SAM's defaults allocate most to MACRS 5-year).
- ``Revenue``: PPA price specified (solution mode 1), USD 0.10/kWh in year 1,
  escalating 1 %/year; no time-of-delivery multipliers.
- ``SystemOutput``/``Lifetime``: hourly gen, 1,000 kW, 0.5 %/year degradation,
  single-year output repeated (no lifetime output).

What is compared: SAM's "project" after-tax return is the owner's return (equity
flows after debt service and tax), so its NPV and IRR are solarcase's
``equity_npv``/``equity_irr`` (equal to the project values without debt). SAM's
LCOE counts as cost everything the owner pays, tax and debt service included
(costs = PPA revenue - after-tax cash flow, year 0 = equity); solarcase's headline
LCOE is pre-tax and unlevered. Without tax and debt the two coincide and the
headline LCOE is compared; with tax or debt the SAM definition is rebuilt from
solarcase's table and compared. Acceptance: within 0.5 %; in practice NPV and
LCOE agree to 1e-12 and IRR to 1e-6 (SAM's IRR iteration tolerance).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.metrics import metrics, npv
from solarcase.finance.tariff import EscalatingTariff

so = pytest.importorskip("PySAM.Singleowner")

N_YEARS = 20
CAPACITY_KW = 1000.0
INFLATION = 0.025
REAL_DISCOUNT = 0.064
CAPEX = 1_000_000.0
OM_PER_KW_YEAR = 20.0
INSURANCE = 0.005
PPA_PRICE = 0.10
PPA_ESCALATION = 0.01
DEGRADATION = 0.005
LOAN_SHARE, LOAN_RATE, LOAN_TENOR = 0.60, 0.07, 10
RTOL = 0.005  # the acceptance criterion: 0.5 %


def hourly_gen_kw() -> np.ndarray:
    """A clear-day shape, sunrise 06:00 to sunset 18:00, peak 800 kW, every day."""
    hour = np.arange(8760) % 24 + 0.5
    return np.clip(800.0 * np.sin(np.pi * (hour - 6.0) / 12.0), 0.0, None)


def run_sam(*, debt: bool, tax_rate: float) -> SimpleNamespace:
    """SAM's outputs (copied out: they die with the model object)."""
    model = so.default("PVWattsSingleOwner")
    model.SystemOutput.gen = tuple(hourly_gen_kw())
    model.SystemOutput.system_capacity = CAPACITY_KW
    model.SystemOutput.degradation = (DEGRADATION * 100,)
    model.Lifetime.system_use_lifetime_output = 0
    model.Lifetime.inflation_rate = INFLATION * 100
    fp = model.FinancialParameters
    fp.analysis_period = N_YEARS
    fp.inflation_rate = INFLATION * 100
    fp.real_discount_rate = REAL_DISCOUNT * 100
    fp.federal_tax_rate = (tax_rate * 100,)
    fp.state_tax_rate = (0.0,)
    fp.property_tax_rate = 0.0
    fp.insurance_rate = INSURANCE * 100
    fp.salvage_percentage = 0.0
    fp.system_capacity = CAPACITY_KW
    for name in (
        "construction_financing_cost",
        "cost_debt_closing",
        "cost_debt_fee",
        "cost_other_financing",
        "months_working_reserve",
        "months_receivables_reserve",
        "dscr_reserve_months",
        "equip1_reserve_cost",
        "equip2_reserve_cost",
        "equip3_reserve_cost",
        "reserves_interest",
        "loan_moratorium",
    ):
        setattr(fp, name, 0.0)
    fp.debt_option = 0  # debt as a share of cost
    fp.debt_percent = LOAN_SHARE * 100 if debt else 0.0
    fp.term_tenor = LOAN_TENOR
    fp.term_int_rate = LOAN_RATE * 100
    fp.payment_option = 0  # equal payments
    costs = model.SystemCosts
    costs.total_installed_cost = CAPEX
    costs.om_capacity = (OM_PER_KW_YEAR,)
    costs.om_capacity_escal = 0.0
    costs.om_fixed = (0.0,)
    costs.om_production = (0.0,)
    incentives = model.TaxCreditIncentives
    incentives.ptc_fed_amount = (0.0,)
    incentives.ptc_sta_amount = (0.0,)
    incentives.itc_fed_percent = (0.0,)
    incentives.itc_sta_percent = (0.0,)
    incentives.itc_fed_amount = (0.0,)
    incentives.itc_sta_amount = (0.0,)
    payments = model.PaymentIncentives
    for kind in ("fed", "sta", "uti", "oth"):
        setattr(payments, f"cbi_{kind}_amount", 0.0)
        setattr(payments, f"ibi_{kind}_amount", 0.0)
        setattr(payments, f"ibi_{kind}_percent", 0.0)
        setattr(payments, f"pbi_{kind}_amount", (0.0,))
    schedule = model.Depreciation
    classes = ("macrs_5", "macrs_15", "sl_5", "sl_15", "sl_20", "sl_39", "custom")
    for name in classes:
        setattr(schedule, f"depr_alloc_{name}_percent", 0.0)
        setattr(schedule, f"depr_bonus_fed_{name}", 0.0)
        setattr(schedule, f"depr_bonus_sta_{name}", 0.0)
    schedule.depr_alloc_sl_20_percent = 100.0
    schedule.depr_bonus_fed = 0.0
    schedule.depr_bonus_sta = 0.0
    revenue = model.Revenue
    revenue.ppa_soln_mode = 1  # the price is given, not solved
    revenue.ppa_price_input = (PPA_PRICE,)
    revenue.ppa_escalation = PPA_ESCALATION * 100
    revenue.ppa_multiplier_model = 0
    model.execute()
    return SimpleNamespace(**model.Outputs.export())


def solarcase_inputs(*, debt: bool, tax_rate: float) -> CashFlowInputs:
    return CashFlowInputs(
        analysis_years=N_YEARS,
        capex=CAPEX,
        tariff=EscalatingTariff(PPA_PRICE, PPA_ESCALATION),
        discount_rate_nominal=(1 + REAL_DISCOUNT) * (1 + INFLATION) - 1,
        inflation_rate=INFLATION,
        fixed_om_per_year=OM_PER_KW_YEAR * CAPACITY_KW,
        fixed_om_escalation_rate=INFLATION,
        insurance_rate=INSURANCE,
        insurance_escalation_rate=INFLATION,
        debt=AnnuityLoan(LOAN_SHARE, LOAN_RATE, LOAN_TENOR) if debt else None,
        tax_rate=tax_rate,
        depreciation=(
            StraightLineDepreciation(20, half_year_convention=True)
            if tax_rate
            else None
        ),
    )


CASES = [
    pytest.param(False, 0.0, id="all-equity, no tax"),
    pytest.param(False, 0.25, id="all-equity, 25 % tax"),
    pytest.param(True, 0.25, id="60 % annuity loan, 25 % tax"),
]


@pytest.mark.parametrize(("debt", "tax_rate"), CASES)
def test_npv_irr_and_lcoe_agree_with_sam_single_owner(debt, tax_rate):
    sam = run_sam(debt=debt, tax_rate=tax_rate)
    energy = np.array(sam.cf_energy_net)[1:]
    # SAM's energy is year 1 x (1 - d)^(t-1): check it before using it
    year1 = hourly_gen_kw().sum()
    assert_allclose(energy, year1 * (1 - DEGRADATION) ** np.arange(N_YEARS), rtol=1e-9)
    inputs = solarcase_inputs(debt=debt, tax_rate=tax_rate)
    table = cash_flow(energy[None, :], inputs)
    result = metrics(table, inputs)
    rate = inputs.discount_rate_nominal
    # SAM reports its nominal rate as a fraction here (0.0906)
    assert rate == pytest.approx(sam.nominal_discount_rate, rel=1e-12)
    # the owner's after-tax flows, year by year
    assert_allclose(
        table.equity_fcf[0], sam.cf_project_return_aftertax, rtol=1e-9, atol=1e-6
    )
    assert result.equity_npv[0] == pytest.approx(
        sam.project_return_aftertax_npv, rel=RTOL
    )
    assert result.equity_irr[0] == pytest.approx(
        sam.project_return_aftertax_irr / 100, rel=RTOL
    )
    # SAM's LCOE: costs = PPA revenue - after-tax cash flow (year 0: the equity),
    # discounted at the nominal rate, over energy at the nominal (real) rate
    costs = table.revenue - table.equity_fcf
    sam_style = npv(costs, discount_rate=rate) / npv(
        table.energy_kwh, discount_rate=rate
    )
    assert sam_style[0] * 100 == pytest.approx(sam.lcoe_nom, rel=RTOL)
    if not debt and not tax_rate:
        assert result.npv[0] == pytest.approx(sam.project_return_aftertax_npv, rel=RTOL)
        assert result.project_irr[0] == pytest.approx(
            sam.project_return_aftertax_irr / 100, rel=RTOL
        )
        assert result.lcoe_nominal_per_kwh[0] * 100 == pytest.approx(
            sam.lcoe_nom, rel=RTOL
        )
        assert result.lcoe_real_per_kwh[0] * 100 == pytest.approx(
            sam.lcoe_real, rel=RTOL
        )


def test_loan_schedule_agrees_with_sam():
    sam = run_sam(debt=True, tax_rate=0.25)
    inputs = solarcase_inputs(debt=True, tax_rate=0.25)
    table = cash_flow(np.array(sam.cf_energy_net)[None, 1:], inputs)
    assert_allclose(-table.interest[0], sam.cf_debt_payment_interest, rtol=1e-9)
    assert_allclose(-table.principal[0], sam.cf_debt_payment_principal, rtol=1e-9)
    # SAM's DSCR is pre-tax: EBITDA / debt service
    service = -table.debt_service[0, 1 : LOAN_TENOR + 1]
    assert_allclose(
        table.ebitda[0, 1 : LOAN_TENOR + 1] / service,
        np.array(sam.cf_pretax_dscr)[1 : LOAN_TENOR + 1],
        rtol=1e-9,
    )
