"""NPV, IRR, LCOE, payback and DSCR (finance/metrics.py, finance/irr.py).

Independent references: hand arithmetic in the comments, and numpy-financial 1.0
(``npf.npv``, ``npf.irr``) row by row.
"""

from __future__ import annotations

import dataclasses
import warnings
from fractions import Fraction

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.irr import IrrOutcome, solve_irr, solve_irr_pair
from solarcase.finance.metrics import (
    dscr,
    irr,
    lcoe_nominal_per_kwh,
    lcoe_real_per_kwh,
    metrics,
    npv,
    payback_years,
)
from solarcase.finance.rates import nominal_from_real, real_from_nominal
from solarcase.finance.tariff import EscalatingTariff

# --- golden cases ---------------------------------------------------------------------


def test_npv_golden():
    # -1000 + 500/1.1 + 600/1.21 = -1000 + 454.5454... + 495.8677... = -49.5867...
    # exactly (-1210 + 550 + 600) / 1.21 = -60 / 1.21
    assert npv(np.array([[-1000.0, 500.0, 600.0]]), discount_rate=0.10)[0] == (
        pytest.approx(-60.0 / 1.21, rel=1e-14)
    )


def test_npv_does_not_discount_year_zero():
    assert npv(np.array([[-100.0, 0.0]]), discount_rate=0.5)[0] == -100.0


def test_irr_golden():
    # -1000 + 600/1.2 + 720/1.44 = -1000 + 500 + 500 = 0  -> 20 %
    # -100 + 121/1.1^2 = 0 -> 10 %
    # -100 + 110/1.1 = 0 -> 10 %
    flows = np.array(
        [[-1000.0, 600.0, 720.0], [-100.0, 0.0, 121.0], [-100.0, 110.0, 0.0]]
    )
    assert_allclose(irr(flows), [0.20, 0.10, 0.10], rtol=1e-12)


def test_lcoe_nominal_golden():
    # costs 1000, 100, 100; energy 0, 1000, 1000 kWh; d = 10 %
    # (1000 + 100/1.1 + 100/1.21) / (1000/1.1 + 1000/1.21); times 1.21 above and
    # below: (1210 + 110 + 100) / (1100 + 1000) = 1420 / 2100 = 0.676190...
    costs = np.array([[1000.0, 100.0, 100.0]])
    energy = np.array([[0.0, 1000.0, 1000.0]])
    lcoe = lcoe_nominal_per_kwh(costs, energy, discount_rate_nominal=0.10)
    assert lcoe[0] == pytest.approx(1420.0 / 2100.0, rel=1e-14)


def test_lcoe_real_golden():
    # nominal costs 1000, 110, 121 (100 a year in year-0 money with 10 % inflation)
    # d_n = 21 %, i = 10 %, so d_r = 1.21 / 1.10 - 1 = 10 %
    # PV costs at 21 %: 1000 + 110/1.21 + 121/1.4641 = 1000 + 100/1.1 + 100/1.21
    # PV energy at the real 10 %: 1000/1.1 + 1000/1.21
    # real LCOE = 1420 / 2100 = 0.676190... (as in the nominal golden case)
    # nominal LCOE: energy at 21 %: 1000/1.21 + 1000/1.4641; times 1.4641 above and
    # below: (1464.1 + 133.1 + 121) / (1210 + 1000) = 1718.2 / 2210 = 0.777466...
    costs = np.array([[1000.0, 110.0, 121.0]])
    energy = np.array([[0.0, 1000.0, 1000.0]])
    real = lcoe_real_per_kwh(
        costs, energy, discount_rate_nominal=0.21, inflation_rate=0.10
    )
    nominal = lcoe_nominal_per_kwh(costs, energy, discount_rate_nominal=0.21)
    assert real[0] == pytest.approx(1420.0 / 2100.0, rel=1e-13)
    assert nominal[0] == pytest.approx(1718.2 / 2210.0, rel=1e-13)


@given(
    d_real=st.floats(-0.05, 0.3),
    inflation=st.floats(0.0, 0.6),
    costs=st.lists(st.floats(0.0, 1e6), min_size=6, max_size=6),
    energy=st.lists(st.floats(1.0, 1e6), min_size=5, max_size=5),
)
def test_real_lcoe_rising_with_inflation_recovers_the_discounted_costs(
    d_real, inflation, costs, energy
):
    # Short, Packey & Holt 1995: a price L_r (1 + i)^t recovers PV(costs) at d_n
    d_n = nominal_from_real(d_real, inflation)
    c = np.array([costs])
    e = np.array([[0.0, *energy]])
    l_r = lcoe_real_per_kwh(c, e, discount_rate_nominal=d_n, inflation_rate=inflation)
    years = np.arange(6)
    revenue = l_r[0] * (1 + inflation) ** years * e
    assert npv(revenue, discount_rate=d_n)[0] == pytest.approx(
        npv(c, discount_rate=d_n)[0], rel=1e-9, abs=1e-6
    )


def test_simple_payback_golden():
    # -1000, then 400 a year: cumulative -600, -200, +200 -> 2 + 200/400 = 2.5
    assert payback_years(np.array([[-1000.0, 400, 400, 400]]))[0] == 2.5


def test_discounted_payback_golden():
    # flows -1000, 800, 640, 512 at 25 %: discounted -1000, 640, 409.6, 262.144
    # cumulative -1000, -360, +49.6 -> 1 + 360/409.6 = 1.87890625
    flows = np.array([[-1000.0, 800.0, 640.0, 512.0]])
    discounted = flows / 1.25 ** np.arange(4)
    assert payback_years(discounted)[0] == pytest.approx(1.87890625, rel=1e-14)


def test_payback_never_is_nan_and_no_investment_is_zero():
    result = payback_years(np.array([[-1000.0, 100, 100], [0.0, 10, 10]]))
    assert np.isnan(result[0])
    assert result[1] == 0.0


def test_dscr_golden():
    # 130/100 = 1.3 and 150/100 = 1.5: min 1.3, mean 1.4; no debt service: NaN
    cfads = np.array([[0.0, 130, 150, 90], [0.0, 50, 50, 50]])
    service = np.array([[0.0, -100, -100, 0], [0.0, 0, 0, 0]])
    lowest, mean = dscr(cfads, service)
    assert_allclose(lowest, [1.3, np.nan], rtol=1e-15)
    assert_allclose(mean, [1.4, np.nan], rtol=1e-15)


def toy_inputs(**changes: object) -> CashFlowInputs:
    """Same 3-year toy plant as tests/finance/test_cashflow.py."""
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


def test_toy_plant_metrics_by_hand():
    inputs = toy_inputs()
    result = metrics(cash_flow(np.full((1, 3), 1000.0), inputs), inputs)
    # project FCF -1000, 770, 776, 959.25 at 10 %:
    # -1000 + 700 + 641.3223 + 720.6987 = 1062.0210...
    expected_npv = -1000 + 770 / 1.1 + 776 / 1.21 + 959.25 / 1.331
    assert result.npv[0] == pytest.approx(expected_npv, rel=1e-13)
    # equity -580, 538.5, 539.5, 959.25
    expected_equity = -580 + 538.5 / 1.1 + 539.5 / 1.21 + 959.25 / 1.331
    assert result.equity_npv[0] == pytest.approx(expected_equity, rel=1e-13)
    assert result.project_irr[0] == pytest.approx(
        npf.irr([-1000, 770, 776, 959.25]), rel=1e-10
    )
    assert result.equity_irr[0] == pytest.approx(
        npf.irr([-580, 538.5, 539.5, 959.25]), rel=1e-10
    )
    # DSCR: 780.5/242 = 3.2252066..., 781.5/242 = 3.2293388...; mean 781/242
    assert result.min_dscr[0] == pytest.approx(780.5 / 242, rel=1e-13)
    assert result.avg_dscr[0] == pytest.approx(781.0 / 242, rel=1e-13)
    # cumulative -1000, -230, +546: payback 1 + 230/776 = 1.29639...
    assert result.simple_payback_years[0] == pytest.approx(1 + 230 / 776, rel=1e-13)
    # discounted: -1000, +700, +641.32 -> 1 + 300 / (776/1.21)
    assert result.discounted_payback_years[0] == pytest.approx(
        1 + 300 / (776 / 1.21), rel=1e-13
    )
    # LCOE costs (pre-tax, unlevered): capex 1000; opex 140, 160, 186;
    # replacement 72 in year 2; end of life +35 in year 3 (decommissioning 135
    # less salvage 100) -> 1000, 140, 232, 221; energy 1000 kWh a year
    costs = 1000 + 140 / 1.1 + 232 / 1.21 + 221 / 1.331
    energy = 1000 / 1.1 + 1000 / 1.21 + 1000 / 1.331
    assert result.lcoe_nominal_per_kwh[0] == pytest.approx(costs / energy, rel=1e-13)
    d_r = 1.10 / 1.05 - 1  # real rate with 5 % inflation
    energy_real = sum(1000 / (1 + d_r) ** t for t in (1, 2, 3))
    assert result.lcoe_real_per_kwh[0] == pytest.approx(costs / energy_real, rel=1e-13)
    assert result.notes == ((),)


def test_without_debt_equity_irr_equals_project_irr_and_dscr_is_nan():
    inputs = toy_inputs(debt=None)
    result = metrics(cash_flow(np.full((1, 3), 1000.0), inputs), inputs)
    assert result.equity_irr[0] == result.project_irr[0]
    assert result.equity_npv[0] == result.npv[0]
    assert np.isnan(result.min_dscr[0]) and np.isnan(result.avg_dscr[0])
    assert "DSCR n/a: no debt" in result.notes[0]


def test_flows_that_never_turn_positive_have_no_irr_and_say_why():
    inputs = toy_inputs(tariff=EscalatingTariff(0.0, 0.0), debt=None)
    result = metrics(cash_flow(np.full((1, 3), 1000.0), inputs), inputs)
    assert np.isnan(result.project_irr[0])
    assert (
        "project and equity IRR n/a: cash flows never turn positive" in result.notes[0]
    )
    assert "simple payback: never within the analysis" in result.notes[0]


def test_no_investment_has_no_irr():
    rates, outcome = solve_irr(np.array([[0.0, 10.0, 10.0]]))
    assert np.isnan(rates[0]) and outcome[0] == IrrOutcome.NEVER_NEGATIVE


def test_several_sign_changes_warn_and_pick_the_root_closest_to_zero():
    # -100 + 230x - 132x^2 = 0 with x = 1/(1+r): x = (230 +- 10)/264, so
    # x = 10/11 (r = 10 %) or x = 5/6 (r = 20 %); the rule keeps 10 %
    flows = np.array([[-100.0, 230.0, -132.0]])
    with pytest.warns(SolarcaseWarning, match="closest to 0"):
        rate = irr(flows)
    assert rate[0] == pytest.approx(0.10, rel=1e-12)
    assert rate[0] == pytest.approx(npf.irr(flows[0]), rel=1e-12)


def test_metrics_note_several_sign_changes():
    # 2000 kWh a year, no tax or debt: project flows -1000, +1850, then year 2
    # 2200 - 170 - 3000 x 1.2^2 = -2290, year 3 3000 - 196 - 35 = +2769;
    # cumulative -1000, +850, -1440, +1329: paid back in year 1, negative again
    inputs = toy_inputs(replacement_cost=3000.0, debt=None, tax_rate=0.0)
    with pytest.warns(SolarcaseWarning):
        result = metrics(cash_flow(np.full((1, 3), 2000.0), inputs), inputs)
    assert_allclose(result.simple_payback_years, [1000 / 1850], rtol=1e-13)
    assert any("several IRRs" in note for note in result.notes[0])
    assert any("falls below 0 again" in note for note in result.notes[0])


def test_vectorised_metrics_equal_case_by_case_runs():
    capex = np.array([900.0, 1000.0, 1800.0, 4000.0])
    inputs = toy_inputs(capex=capex)
    energy = np.full((1, 3), 1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        vector = metrics(cash_flow(energy, inputs), inputs)
        for case in range(len(capex)):
            one = toy_inputs(capex=capex[case])
            single = metrics(cash_flow(energy, one), one)
            for field in dataclasses.fields(vector):
                got = getattr(vector, field.name)[case]
                want = getattr(single, field.name)[0]
                if field.name == "notes":
                    assert got == want
                else:
                    assert_allclose(got, want, rtol=1e-12)


# --- invariants -----------------------------------------------------------------------

# cash flows are 0 or between 1 and 1e6 in size: numpy-financial itself fails on
# rows such as [-3e-308, 7, -3e-308] (its companion matrix overflows), and where
# flows span many decades the IRR is astronomical and its eigenvalues lose digits
# (relative errors near 1e-7, where ours solves NPV = 0 to machine precision: see
# test_irr_solves_npv_zero_where_numpy_financial_loses_digits)
flow_values = st.one_of(st.just(0.0), st.floats(1.0, 1e6), st.floats(-1e6, -1.0))
flow_rows = arrays(
    np.float64, st.tuples(st.integers(1, 8), st.integers(2, 30)), elements=flow_values
)


@settings(max_examples=200, deadline=None)
@given(flows=flow_rows)
def test_vectorised_irr_equals_numpy_financial_row_by_row(flows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        got = irr(flows)
    want = np.array([npf.irr(row) for row in flows])
    assert_allclose(got, want, rtol=1e-8, atol=1e-12, equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(flows=flow_rows, data=st.data())
def test_irr_pair_equals_solving_both_rows_and_solves_equal_rows_once(flows, data):
    # the second flow equals the first in the cases drawn (an all-equity plant)
    # and differs (a loan) elsewhere; each is what solve_irr gives on its own
    equal = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(flows), max_size=len(flows)))
    )
    other = np.where(equal[:, None], flows, flows * 1.5 + np.arange(flows.shape[1]))
    rates, outcome, is_same = solve_irr_pair(flows, other)
    for row, values in enumerate((flows, other)):
        want, want_outcome = solve_irr(values)
        np.testing.assert_array_equal(rates[row], want)
        np.testing.assert_array_equal(outcome[row], want_outcome)
    np.testing.assert_array_equal(is_same, equal | (flows == other).all(axis=1))


def test_irr_solves_npv_zero_where_numpy_financial_loses_digits():
    # flows spanning seven decades: the IRR is about 204,580 (20 million %), a root
    # x = 1/(1 + r) near 5e-6 of a degree-8 polynomial. The NPV at each solver's
    # rate, evaluated exactly in rational arithmetic and divided by the sum of
    # |flow| x^t, shows ours solves NPV = 0 to machine precision; numpy-financial's
    # companion-matrix eigenvalue is off by about 5e-7 here
    row = [-0.88, 180000.0, 6400000.0, 1.3, 0.0, 600.0, 0.0, 4100000.0, 0.065]

    def relative_npv(rate: float) -> float:
        x = 1 / (1 + Fraction(rate))
        terms = [Fraction(v) * x**t for t, v in enumerate(row)]
        return float(abs(sum(terms)) / sum(abs(term) for term in terms))

    ours = irr(np.array([row]))[0]
    theirs = npf.irr(np.array(row))
    assert relative_npv(ours) < 1e-15
    assert relative_npv(ours) < relative_npv(theirs)
    assert ours == pytest.approx(theirs, rel=1e-5)


def conventional_flows():
    """An investment followed by non-negative returns worth more than it."""
    return st.tuples(
        st.floats(1.0, 1e9),
        st.lists(st.floats(0.0, 1e9), min_size=1, max_size=40),
    ).filter(lambda x: sum(x[1]) > 1.001 * x[0] and max(x[1]) > 1e-6 * x[0])


@settings(max_examples=200, deadline=None)
@given(case=conventional_flows())
def test_npv_at_the_irr_is_zero(case):
    investment, returns = case
    flows = np.array([[-investment, *returns]])
    rate = irr(flows)[0]
    assume(rate < 1e3)
    assert abs(npv(flows, discount_rate=rate)[0]) <= 1e-9 * investment


@settings(max_examples=100, deadline=None)
@given(case=conventional_flows(), low=st.floats(-0.5, 1.0), step=st.floats(1e-3, 1.0))
def test_npv_falls_as_the_discount_rate_rises(case, low, step):
    investment, returns = case
    flows = np.array([[-investment, *returns]])
    assert npv(flows, discount_rate=low + step)[0] <= npv(flows, discount_rate=low)[0]


@settings(max_examples=200, deadline=None)
@given(flows=flow_rows, factor=st.sampled_from([2.0, 0.5, 1000.0]))
def test_scaling_every_flow_leaves_the_irr_unchanged(flows, factor):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        assert_allclose(
            irr(flows * factor), irr(flows), rtol=1e-9, atol=1e-12, equal_nan=True
        )


@given(flows=flow_rows)
def test_npv_at_zero_rate_is_the_plain_sum(flows):
    assert_allclose(npv(flows, discount_rate=0.0), flows.sum(axis=1), rtol=1e-12)


@given(flows=flow_rows, rate=st.floats(-0.5, 2.0))
def test_npv_equals_numpy_financial(flows, rate):
    want = [npf.npv(rate, row) for row in flows]
    assert_allclose(npv(flows, discount_rate=rate), want, rtol=1e-12, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    real=st.floats(-0.05, 0.25),
    inflation=st.floats(0.0, 0.6),
    price=st.floats(0.01, 1.0),
)
def test_real_and_nominal_analyses_give_the_same_npv(real, inflation, price):
    # the same plant, its discount rate stated as real (converted by Fisher) or as
    # the equivalent nominal rate computed here by hand
    nominal = (1 + real) * (1 + inflation) - 1
    given_real = toy_inputs(
        tariff=EscalatingTariff(price, inflation),
        discount_rate_nominal=nominal_from_real(real, inflation),
        inflation_rate=inflation,
    )
    given_nominal = dataclasses.replace(given_real, discount_rate_nominal=nominal)
    energy = np.full((1, 3), 1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        a = metrics(cash_flow(energy, given_real), given_real)
        b = metrics(cash_flow(energy, given_nominal), given_nominal)
    assert a.npv[0] == pytest.approx(b.npv[0], rel=1e-12, abs=1e-9)
    # and the NPV is the real flows (deflated) discounted at the real rate
    table = cash_flow(energy, given_real)
    deflated = table.project_fcf / (1 + inflation) ** np.arange(4)
    d_r = real_from_nominal(nominal, inflation)
    assert npv(deflated, discount_rate=d_r)[0] == pytest.approx(
        a.npv[0], rel=1e-9, abs=1e-7
    )
