"""Solved values: breakeven price, capex for a target equity IRR, debt for a DSCR
target (finance/solve.py)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import SolarcaseWarning
from solarcase.finance import solve as solve_module
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    EqualPrincipalLoan,
    SculptedLoan,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.metrics import dscr, metrics, npv
from solarcase.finance.revenue import LatePayment
from solarcase.finance.solve import (
    breakeven_price_factor,
    capex_for_equity_irr,
    debt_for_dscr,
    find_root,
    solve_targets,
)
from solarcase.finance.tariff import EscalatingTariff, GuaranteedPurchase


def test_find_root_widens_the_bracket_both_ways():
    # roots -50 and +300 of x - r, from a starting bracket [0, 1]
    roots = np.array([-50.0, 300.0])
    x, found = find_root(lambda x: x - roots, 0.0, 1.0, increasing=True)
    assert_allclose(x, roots, rtol=1e-12)
    assert found.all()


def test_find_root_gives_nan_outside_the_limits():
    x, found = find_root(lambda x: x + 5.0, 0.0, 1.0, increasing=True, floor=0.0)
    assert np.isnan(x[0]) and not found[0]


def test_find_root_takes_known_end_values_instead_of_evaluating_them():
    calls = []

    def cube(x):
        calls.append(x.copy())
        return x**3 - np.array([8.0, -1.0])

    x, found = find_root(cube, 0.0, 1.0, increasing=True)
    n_evaluations = len(calls)
    calls.clear()
    known, _ = find_root(
        cube, 0.0, 1.0, increasing=True, f_low=[-8.0, 1.0], f_high=[-7.0, 2.0]
    )
    # the same roots (2 and -1) to the bit, two evaluations fewer, and neither
    # end evaluated again
    np.testing.assert_array_equal(known, x)
    assert_allclose(x, [2.0, -1.0], rtol=1e-12)
    assert found.all()
    assert len(calls) == n_evaluations - 2
    assert not any(np.isin(c, [0.0, 1.0]).all() for c in calls)


def test_breakeven_price_golden():
    # capex 1000, 500 kWh a year for 2 years, d = 10 %, no tax:
    # p (500/1.1 + 500/1.21) = 1000 -> p = 1000 / 867.768... = 1.152381
    inputs = CashFlowInputs(
        analysis_years=2,
        capex=1000.0,
        tariff=EscalatingTariff(1.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
    )
    factor = breakeven_price_factor(np.full((1, 2), 500.0), inputs)
    assert factor[0] == pytest.approx(1000 / (500 / 1.1 + 500 / 1.21), rel=1e-9)


def rial_plant(n_cases: int, rng: np.random.Generator, **changes) -> CashFlowInputs:
    values = {
        "analysis_years": 20,
        "capex": rng.normal(350e9, 35e9, n_cases),
        "tariff": GuaranteedPurchase(
            38_500.0,
            0.3,
            350_000 * 1.35 ** np.arange(21),
            rng.uniform(0.3, 0.45, n_cases),
            step_down_years=(8, 12, 16),
            step_down_factors=(0.6, 0.6, 0.6),
            contract_years=20,
        ),
        "discount_rate_nominal": 0.47,
        "inflation_rate": 0.4,
        "fixed_om_per_year": 3.5e9,
        "insurance_rate": 0.003,
        "tax_rate": 0.25,
        "depreciation": StraightLineDepreciation(10),
        "tax_holiday_years": 5,
        "loss_carry_forward": True,
        "late_payment": LatePayment(0.3, 2),
        "debt": AnnuityLoan(0.7, 0.23, 5, grace_years=1),
    }
    values.update(changes)
    return CashFlowInputs(**values)


ENERGY = 1.85e6 * (1 - 0.01 * np.arange(20))[None, :]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_breakeven_price_gives_npv_below_one_currency_unit(seed):
    inputs = rial_plant(8, np.random.default_rng(seed))
    factor = breakeven_price_factor(ENERGY, inputs)
    table = cash_flow(ENERGY, dataclasses.replace(inputs, price_factor=factor))
    value = npv(table.project_fcf, discount_rate=inputs.discount_rate_nominal)
    # a rial NPV of the order of 1e11 brought within 1 rial
    assert (np.abs(value) < 1.0).all(), value


def test_capex_for_the_target_equity_irr_gives_that_irr():
    inputs = rial_plant(5, np.random.default_rng(1))
    capex = capex_for_equity_irr(ENERGY, inputs, target_equity_irr=0.55)
    solved = dataclasses.replace(inputs, capex=capex)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        result = metrics(cash_flow(ENERGY, solved), solved)
    assert_allclose(result.equity_irr, 0.55, rtol=1e-7)


@pytest.mark.parametrize("kind", [AnnuityLoan, EqualPrincipalLoan])
def test_debt_for_the_target_dscr_gives_that_dscr(kind):
    inputs = rial_plant(5, np.random.default_rng(2), debt=kind(0.5, 0.23, 8))
    amount = debt_for_dscr(ENERGY, inputs, target_dscr=1.3)
    share = amount / inputs.capex
    solved = dataclasses.replace(inputs, debt=kind(share, 0.23, 8))
    table = cash_flow(ENERGY, solved)
    lowest, _ = dscr(table.cfads, table.debt_service)
    assert_allclose(lowest, 1.3, rtol=1e-6)


def test_debt_for_dscr_golden_annuity():
    # CFADS 1000 a year (no tax), 2-year annuity at 0 %: service = D/2, so
    # DSCR 1.25 supports D = 2 x 1000 / 1.25 = 1600 (less than the cost 3000)
    inputs = CashFlowInputs(
        analysis_years=2,
        capex=3000.0,
        tariff=EscalatingTariff(1.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
        debt=AnnuityLoan(0.1, 0.0, 2),
    )
    amount = debt_for_dscr(np.full((1, 2), 1000.0), inputs, target_dscr=1.25)
    assert amount[0] == pytest.approx(1600.0, rel=1e-6)
    # capped at the cost when the plant could carry more
    rich = debt_for_dscr(np.full((1, 2), 1e6), inputs, target_dscr=1.25)
    assert rich[0] == pytest.approx(3000.0)
    # nothing when CFADS is negative in a loan year
    poor = dataclasses.replace(inputs, fixed_om_per_year=2000.0)
    assert debt_for_dscr(np.full((1, 2), 1000.0), poor, target_dscr=1.25)[0] == 0.0


def test_sculpted_debt_for_dscr_is_the_uncapped_amount():
    # CFADS 1000 a year for 3 years, DSCR 1.25 at 10 %: 800 x 2.48685 = 1989.48
    # even with a 10 % gearing cap
    inputs = CashFlowInputs(
        analysis_years=3,
        capex=2000.0,
        tariff=EscalatingTariff(1.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
        debt=SculptedLoan(1.25, 0.1, 0.1, 3),
    )
    amount = debt_for_dscr(np.full((1, 3), 1000.0), inputs, target_dscr=1.25)
    assert amount[0] == pytest.approx(800 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331))


def test_solve_targets_notes_what_cannot_be_solved():
    inputs = CashFlowInputs(
        analysis_years=2,
        capex=1000.0,
        tariff=EscalatingTariff(0.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
    )
    solved = solve_targets(
        np.full((1, 2), 500.0), inputs, target_equity_irr=0.1, target_dscr=1.3
    )
    assert np.isnan(solved.breakeven_price_per_kwh[0])
    # no loan terms: nothing to size, NaN without a note (not a caveat)
    assert np.isnan(solved.debt_for_target_dscr[0])
    assert not any("no loan terms" in note for note in solved.notes[0])
    # the price is 0, so no price factor helps; the capex that gives 10 % is 0
    # (nothing earns anything)
    assert any("breakeven price n/a" in note for note in solved.notes[0])


def test_a_bad_year_after_the_loan_does_not_limit_the_debt():
    # CFADS 1000, 1000, then -500 in year 3 (an inverter replacement of 1500):
    # a 2-year loan at 0 % only sees years 1-2, so DSCR 1.25 still supports 1600
    inputs = CashFlowInputs(
        analysis_years=3,
        capex=3000.0,
        tariff=EscalatingTariff(1.0, 0.0),
        discount_rate_nominal=0.1,
        inflation_rate=0.0,
        replacement_year=3,
        replacement_cost=1500.0,
        debt=AnnuityLoan(0.1, 0.0, 2),
    )
    amount = debt_for_dscr(np.full((1, 3), 1000.0), inputs, target_dscr=1.25)
    assert amount[0] == pytest.approx(1600.0, rel=1e-6)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"debt": EqualPrincipalLoan(0.5, 0.23, 8)},
        {"debt": SculptedLoan(1.3, 0.7, 0.23, 8)},
        {"debt": None, "price_factor": 2.0},
    ],
)
def test_solved_values_from_the_given_table_are_those_built_here(changes, monkeypatch):
    inputs = rial_plant(6, np.random.default_rng(4), **changes)
    table = cash_flow(ENERGY, inputs)
    built = []
    real = solve_module.cash_flow

    def recording(energy, trial):
        built.append(trial is inputs)
        return real(energy, trial)

    monkeypatch.setattr(solve_module, "cash_flow", recording)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        alone = solve_targets(ENERGY, inputs, target_equity_irr=0.5, target_dscr=1.3)
        assert built.count(True) == 1  # the base table, built once for all three
        built.clear()
        given = solve_targets(
            ENERGY, inputs, target_equity_irr=0.5, target_dscr=1.3, table=table
        )
    assert True not in built  # the given table is not built again
    for item in dataclasses.fields(alone):
        np.testing.assert_array_equal(
            getattr(given, item.name), getattr(alone, item.name)
        )
