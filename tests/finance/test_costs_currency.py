"""Costs over the life and money in several currencies (finance/costs.py,
currency.py, the cost rows of cashflow.py)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.cashflow import (
    CashFlowInputs,
    ModuleReplacement,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.currency import as_year_path, exchange_rate_path
from solarcase.finance.metrics import lcoe_nominal_per_kwh, metrics, npv
from solarcase.finance.tariff import EscalatingTariff

ENERGY = np.array([[1000.0, 1000.0, 1000.0]])
FX = np.array([100.0, 150.0, 225.0, 337.5])  # rials per dollar, +50 %/year


def plant(**changes) -> CashFlowInputs:
    values = {
        "analysis_years": 3,
        "capex": 10_000.0,
        "tariff": EscalatingTariff(10.0, 0.0),
        "discount_rate_nominal": 0.1,
        "inflation_rate": 0.4,
    }
    values.update(changes)
    return CashFlowInputs(**values)


def test_exchange_rate_path_golden():
    # 1,000,000 per dollar rising 41 %: 1.41 M, 1.9881 M
    assert_allclose(
        exchange_rate_path(1e6, escalation_rate=0.41, n_years=2),
        [[1e6, 1.41e6, 1.9881e6]],
        rtol=1e-15,
    )


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ([1.0, 2.0], "3 values"),
        ([1.0, -2.0, 3.0], "positive"),
        ([1.0, np.nan, 1], "positive"),
    ],
)
def test_bad_exchange_rate_paths_are_errors(path, match):
    with pytest.raises(FinanceError, match=match):
        as_year_path(path, n_years=2, name="fx")


def test_operating_cost_in_dollars_escalates_in_dollars_and_converts():
    # fixed O&M USD 10/year at year-1 prices, +2 %/year in dollars:
    # year 1: 10 x 150 = 1,500; year 2: 10.2 x 225 = 2,295; year 3: 10.404 x 337.5
    # = 3,511.35 rials
    table = cash_flow(
        ENERGY,
        plant(fixed_om_per_year=10.0, fixed_om_escalation_rate=0.02, fixed_om_fx=FX),
    )
    assert_allclose(table.fixed_om[0], [0, -1_500, -2_295, -3_511.35], rtol=1e-12)


def test_replacement_and_decommissioning_in_dollars():
    # inverter USD 20 at year-0 prices, +2 %/year, replaced in year 2:
    # 20 x 1.02^2 x 225 = 4,681.8; decommissioning USD 10 flat in year 3:
    # 10 x 337.5 = 3,375; salvage 1,000 rials +0 %
    table = cash_flow(
        ENERGY,
        plant(
            replacement_year=2,
            replacement_cost=20.0,
            replacement_escalation_rate=0.02,
            replacement_fx=FX,
            decommissioning_cost=10.0,
            decommissioning_escalation_rate=0.0,
            decommissioning_fx=FX,
            salvage_value=1_000.0,
            salvage_escalation_rate=0.0,
        ),
    )
    assert_allclose(table.replacement[0], [0, 0, -4_681.8, 0], rtol=1e-12)
    assert_allclose(table.end_of_life[0], [0, 0, 0, 1_000 - 3_375], rtol=1e-12)


def test_module_replacement_share_every_year_and_at_given_years():
    # modules worth USD 40 at year-0 prices, flat in dollars: 0.5 % a year plus 10 %
    # in year 2: year 1 0.005 x 40 x 150 = 30; year 2 (0.005 + 0.1) x 40 x 225 =
    # 945; year 3 0.005 x 40 x 337.5 = 67.5 (deducted like the inverter)
    table = cash_flow(
        ENERGY,
        plant(
            module_replacement=ModuleReplacement(40.0, 0.005, 0.10, (2,), 0.0, FX),
            tax_rate=0.5,
        ),
    )
    assert_allclose(table.module_replacement[0], [0, -30, -945, -67.5], rtol=1e-12)
    # taxable income: 10,000 - 30 = 9,970; 9,055; 9,932.5
    assert_allclose(table.taxable_income[0, 1:], [9_970, 9_055, 9_932.5])


def test_module_replacement_after_the_analysis_is_an_error():
    with pytest.raises(FinanceError, match="module replacement year 4"):
        cash_flow(
            ENERGY, plant(module_replacement=ModuleReplacement(1.0, 0, 0.1, (4,)))
        )


def test_grants_are_year0_cash_not_lcoe_and_reduce_the_basis():
    # capex 10,000, grant 4,000 reducing the basis: depreciation (10,000 - 4,000)/3
    # = 2,000 a year; project FCF year 0 = -6,000; the LCOE still counts 10,000
    inputs = plant(
        grants=4_000.0, tax_rate=0.25, depreciation=StraightLineDepreciation(3)
    )
    table = cash_flow(ENERGY, inputs)
    assert table.project_fcf[0, 0] == -6_000.0
    assert table.equity_fcf[0, 0] == -6_000.0
    assert_allclose(table.depreciation[0], [0, -2_000, -2_000, -2_000])
    result = metrics(table, inputs)
    # LCOE: 10,000 / (1000/1.1 + 1000/1.21 + 1000/1.331)
    expected = 10_000 / sum(1000 / 1.1**t for t in (1, 2, 3))
    assert result.lcoe_nominal_per_kwh[0] == pytest.approx(expected, rel=1e-13)
    kept = cash_flow(
        ENERGY,
        plant(
            grants=4_000.0,
            grants_reduce_depreciable_basis=False,
            tax_rate=0.25,
            depreciation=StraightLineDepreciation(3),
        ),
    )
    assert_allclose(kept.depreciation[0, 1:], -10_000 / 3)


def test_in_kind_land_enters_the_lcoe_not_the_cash_flow():
    # land worth 2,000 at year 0 and rent 100 a year (+10 %): in-kind row -2,000,
    # -100, -110, -121; the cash flows are those of the plant without it; the LCOE
    # adds PV(in-kind) = 2,000 + 100/1.1 + 110/1.21 + 121/1.331 = 2,000 + 3 x 90.909
    with_land = plant(in_kind_value=2_000.0, in_kind_per_year=100.0,
                      in_kind_escalation_rate=0.1)  # fmt: skip
    table = cash_flow(ENERGY, with_land)
    bare = cash_flow(ENERGY, plant())
    assert_allclose(table.in_kind[0], [-2_000, -100, -110, -121], rtol=1e-12)
    assert_allclose(table.project_fcf, bare.project_fcf)
    pv_energy = sum(1000 / 1.1**t for t in (1, 2, 3))
    result = metrics(table, with_land)
    expected = (10_000 + 2_000 + 3 * 100 / 1.1) / pv_energy
    assert result.lcoe_nominal_per_kwh[0] == pytest.approx(expected, rel=1e-13)
    assert result.npv[0] == pytest.approx(metrics(bare, plant()).npv[0], rel=1e-14)


def test_lcoe_function_on_in_kind_costs():
    costs = np.array([[12_000.0, 100, 110, 121]])
    energy = np.array([[0.0, 1000, 1000, 1000]])
    assert lcoe_nominal_per_kwh(costs, energy, discount_rate_nominal=0.1)[0] == (
        pytest.approx(
            npv(costs, discount_rate=0.1)[0] / npv(energy, discount_rate=0.1)[0]
        )
    )
