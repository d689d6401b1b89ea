"""MIRR, LLCR, real IRRs and metrics in a reference currency (finance/metrics.py,
reference.py). Independent references: numpy-financial's ``mirr`` row by row, and
hand arithmetic in the comments."""

from __future__ import annotations

import warnings

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import AnnuityLoan, CashFlowInputs, cash_flow
from solarcase.finance.metrics import llcr, metrics, mirr
from solarcase.finance.reference import ReferenceCurrency, reference_metrics
from solarcase.finance.tariff import EscalatingTariff

flow_values = st.one_of(st.just(0.0), st.floats(1.0, 1e6), st.floats(-1e6, -1.0))
flow_rows = arrays(
    np.float64, st.tuples(st.integers(1, 6), st.integers(2, 30)), elements=flow_values
)


@settings(max_examples=150, deadline=None)
@given(flows=flow_rows, finance=st.floats(-0.5, 1.0), reinvest=st.floats(-0.5, 1.0))
def test_mirr_equals_numpy_financial_row_by_row(flows, finance, reinvest):
    got = mirr(flows, finance_rate=finance, reinvestment_rate=reinvest)
    want = [npf.mirr(row, finance, reinvest) for row in flows]
    assert_allclose(got, want, rtol=1e-10, equal_nan=True)


def test_mirr_golden():
    # -1000, 500, 500, 500; finance 10 %, reinvestment 12 %:
    # FV of inflows at 12 % = 500 x 1.12^2 + 500 x 1.12 + 500 = 627.2 + 560 + 500
    # = 1687.2; MIRR = (1687.2 / 1000)^(1/3) - 1 = 0.19057...
    got = mirr(
        np.array([[-1000.0, 500, 500, 500]]), finance_rate=0.1, reinvestment_rate=0.12
    )
    assert got[0] == pytest.approx(1.6872 ** (1 / 3) - 1, rel=1e-13)


def test_llcr_golden():
    # loan 1000 at 10 % over 2 years; CFADS 660 and 605 in years 1-2 (and 999
    # after, outside the loan life): PV = 660/1.1 + 605/1.21 = 600 + 500 = 1100;
    # LLCR = 1100 / 1000 = 1.1
    value = llcr(
        np.array([[0.0, 660, 605, 999]]),
        np.array([[1000.0, 500, 0, 0]]),
        interest_rate=0.1,
        life=2,
    )
    assert value[0] == pytest.approx(1.1, rel=1e-14)


def toy(**changes) -> CashFlowInputs:
    values = {
        "analysis_years": 3,
        "capex": 1000.0,
        "tariff": EscalatingTariff(0.5, 0.0),
        "discount_rate_nominal": 0.21,
        "inflation_rate": 0.10,
    }
    values.update(changes)
    return CashFlowInputs(**values)


ENERGY = np.full((1, 3), 1000.0)


def test_real_irr_and_llcr_in_the_metrics():
    # project flows -1000, 500, 500, 500: IRR = 23.375 %; real = 1.23375/1.1 - 1
    inputs = toy(debt=AnnuityLoan(0.5, 0.1, 2))
    result = metrics(cash_flow(ENERGY, inputs), inputs)
    irr = npf.irr([-1000, 500, 500, 500])
    assert result.project_irr[0] == pytest.approx(irr, rel=1e-10)
    assert result.project_irr_real[0] == pytest.approx((1 + irr) / 1.1 - 1, rel=1e-10)
    # LLCR: loan 500 at 10 %, CFADS 500 a year over 2 years:
    # (500/1.1 + 500/1.21) / 500 = 1.7355...
    assert result.llcr[0] == pytest.approx((1 / 1.1 + 1 / 1.21), rel=1e-13)
    # MIRR at the 21 % discount rate both ways: FV = 500 (1.21^2 + 1.21 + 1) =
    # 1837.05, MIRR = 1.83705^(1/3) - 1
    assert result.project_mirr[0] == pytest.approx(1.83705 ** (1 / 3) - 1, rel=1e-12)


def test_without_debt_llcr_is_nan():
    inputs = toy()
    assert np.isnan(metrics(cash_flow(ENERGY, inputs), inputs).llcr[0])


def test_dscr_below_one_is_noted():
    # loan 900 at 50 % over 2 years: payment 900 x 0.5 x 2.25 / 1.25 = 810 > 500
    inputs = toy(debt=AnnuityLoan(0.9, 0.5, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        result = metrics(cash_flow(ENERGY, inputs), inputs)
    assert any("DSCR below 1" in note for note in result.notes[0])


# --- reference currency ---------------------------------------------------------------


def test_reference_metrics_golden():
    # rial flows -1000, 500, 500, 500; dollars: 10, 12, 15, 18 rials per dollar
    # -> -100, 41.667, 33.333, 27.778 dollars
    # rial discount 21 % with 10 % inflation is 10 % real; US inflation 2 %:
    # dollar rate 1.1 x 1.02 - 1 = 12.2 %
    usd = ReferenceCurrency(fx=[10.0, 12.0, 15.0, 18.0], inflation_rate=0.02)
    inputs = toy()
    table = cash_flow(ENERGY, inputs)
    ref = reference_metrics(table, inputs, usd)
    flows = np.array([-100.0, 500 / 12, 500 / 15, 500 / 18])
    assert ref.discount_rate_nominal[0] == pytest.approx(0.122, rel=1e-13)
    assert_allclose(ref.project_fcf[0], flows, rtol=1e-14)
    assert ref.npv[0] == pytest.approx(npf.npv(0.122, flows), rel=1e-13)
    irr = npf.irr(flows)
    assert ref.project_irr[0] == pytest.approx(irr, rel=1e-10)
    assert ref.project_irr_real[0] == pytest.approx((1 + irr) / 1.02 - 1, rel=1e-10)
    # LCOE in dollars: capex 100 dollars at year 0 over PV(energy) at 12.2 %
    pv_energy = sum(1000 / 1.122**t for t in (1, 2, 3))
    assert ref.lcoe_nominal_per_kwh[0] == pytest.approx(100 / pv_energy, rel=1e-12)
    pv_real = sum(1000 / 1.1**t for t in (1, 2, 3))
    assert ref.lcoe_real_per_kwh[0] == pytest.approx(100 / pv_real, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    inflation=st.floats(0.0, 0.6),
    ref_inflation=st.floats(0.0, 0.05),
    real=st.floats(0.0, 0.2),
    fx0=st.floats(1.0, 1e6),
    price=st.floats(0.1, 2.0),
)
def test_under_purchasing_power_parity_the_reference_npv_is_the_spot_conversion(
    inflation, ref_inflation, real, fx0, price
):
    # the rate follows relative PPP: fx_t = fx_0 ((1 + i)/(1 + i_ref))^t; then each
    # year's flow converted and discounted at the dollar rate equals the rial NPV
    # at the year-0 rate, and the real IRRs agree
    n = 10
    fx = fx0 * ((1 + inflation) / (1 + ref_inflation)) ** np.arange(n + 1)
    inputs = CashFlowInputs(
        analysis_years=n,
        capex=1000.0,
        tariff=EscalatingTariff(price, inflation),
        discount_rate_nominal=(1 + real) * (1 + inflation) - 1,
        inflation_rate=inflation,
        fixed_om_per_year=50.0,
    )
    table = cash_flow(np.full((1, n), 1000.0), inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        base = metrics(table, inputs)
        ref = reference_metrics(
            table, inputs, ReferenceCurrency(fx=fx, inflation_rate=ref_inflation)
        )
    assert ref.npv[0] == pytest.approx(base.npv[0] / fx0, rel=1e-9, abs=1e-9)
    assert_allclose(ref.project_irr_real, base.project_irr_real, rtol=1e-8, atol=1e-10)
    assert ref.lcoe_real_per_kwh[0] == pytest.approx(
        base.lcoe_real_per_kwh[0] / fx0, rel=1e-9
    )
