"""Whole-scenario invariants of the money model: currencies, tomans, real vs nominal.

Scenarios are built as ``finance`` sections (scenario/finance.py), translated by
scenario/to_finance.py and run through the engine, so these check the chain.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import cash_flow
from solarcase.finance.metrics import metrics
from solarcase.scenario.finance import Finance
from solarcase.scenario.to_finance import capex_breakdown, cash_flow_inputs

N = 20
ENERGY = 1.85e6 * (1 - 0.01 * np.arange(N))[None, :]
SIZE = {"dc_capacity_kwp": 1000.0, "ac_capacity_kw": 833.0}


def rial_scenario(inflation: float, price: float, share: float) -> dict[str, Any]:
    """A rial plant using most features, every escalation stated or defaulted."""
    return {
        "currency": "IRR",
        "analysis_years": N,
        "inflation_rate": inflation,
        "discount_rate_nominal": 0.45,
        "capex": {
            "equipment": {"per_kwp": 295_200_000},
            "installation": {"per_kwp": 54_800_000},
            "land": {"amount": 5e9, "depreciable": False},
        },
        "grants": {"province": {"amount": 2e10}},
        "operating_costs": {
            "fixed_om": {"per_kwp_year": 3_500_000},
            "insurance": {"capex_fraction_per_year": "0.3%", "escalation_rate": 0.3},
            "variable_om": {"per_kwh": 200},
        },
        "revenue": {
            "scheme": "guaranteed_purchase",
            "base_price_per_kwh": price,
            "alpha": 0.3,
            "cpi_inflation_rate": 0.38,
            "official_eur_rate": {"start_rate": 1.0, "escalation_rate": 0.35},
            "step_downs": {8: 0.6, 12: 0.6, 16: 0.6},
            "step_down_mode": "absolute",
        },
        "late_payment": {"share": 0.3, "delay_years": 2},
        "debt": {
            "type": "annuity",
            "capex_fraction": share,
            "interest_rate": 0.14,
            "tenor_years": 5,
            "grace_years": 1,
            "upfront_fee": 0.01,
        },
        "tax": {
            "rate": 0.25,
            "depreciation": {"method": "declining_balance", "life_years": 10},
            "holiday_years": 3,
            "loss_carry_forward": True,
        },
        "inverter_replacement": {"year": 12, "per_kw_ac": 36_000_000},
        "module_replacement": {"capex_item": "equipment", "fraction_per_year": 0.002},
        "end_of_life": {"decommissioning": {"per_kwp": 10_500_000}},
    }


def in_dollars(data: dict[str, Any], rial_per_usd: float) -> dict[str, Any]:
    """The same plant with USD as model currency: every rial item keeps its rial
    amount and says currency IRR, converted at a constant rate."""
    out = copy.deepcopy(data)
    out["currency"] = "USD"
    out["inflation_rate"] = 0.02  # US prices; rial items escalate at rial inflation
    out["exchange_rates"] = {
        "IRR": {
            "start_rate": 1.0 / rial_per_usd,
            "escalation_rate": 0.0,
            "inflation_rate": data["inflation_rate"],
        }
    }
    for section in ("capex", "grants"):
        for item in out[section].values():
            item["currency"] = "IRR"
    for name in ("fixed_om", "variable_om"):
        out["operating_costs"][name]["currency"] = "IRR"
    for name in ("revenue", "inverter_replacement"):
        out[name]["currency"] = "IRR"
    out["end_of_life"]["decommissioning"]["currency"] = "IRR"
    return out


def run(data: dict[str, Any]):
    inputs = cash_flow_inputs(Finance.model_validate(data), **SIZE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        return metrics(cash_flow(ENERGY, inputs), inputs), inputs


@settings(max_examples=30, deadline=None)
@given(
    inflation=st.floats(0.2, 0.5),
    price=st.floats(20_000, 80_000),
    share=st.floats(0.1, 0.8),
    rial_per_usd=st.floats(1e5, 2e6),
)
def test_converting_a_rial_scenario_to_dollars_leaves_the_irr_unchanged(
    inflation, price, share, rial_per_usd
):
    rial = rial_scenario(inflation, price, share)
    usd = in_dollars(rial, rial_per_usd)
    a, _ = run(rial)
    b, _ = run(usd)
    np.testing.assert_allclose(b.project_irr, a.project_irr, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.equity_irr, a.equity_irr, rtol=1e-9, atol=1e-12)
    # at the same nominal rate the NPV is the rial NPV at the constant rate
    assert b.npv[0] == pytest.approx(a.npv[0] / rial_per_usd, rel=1e-9)
    assert b.lcoe_nominal_per_kwh[0] == pytest.approx(
        a.lcoe_nominal_per_kwh[0] / rial_per_usd, rel=1e-9
    )


@settings(max_examples=30, deadline=None)
@given(real=st.floats(-0.05, 0.2), inflation=st.floats(0.0, 0.5))
def test_real_analysis_and_its_nominal_equivalent_give_the_same_npv(real, inflation):
    as_real = rial_scenario(inflation, 38_500, 0.7)
    del as_real["discount_rate_nominal"]
    as_real["discount_rate_real"] = real
    as_nominal = copy.deepcopy(as_real)
    del as_nominal["discount_rate_real"]
    as_nominal["discount_rate_nominal"] = (1 + real) * (1 + inflation) - 1
    a, _ = run(as_real)
    b, _ = run(as_nominal)
    assert a.npv[0] == pytest.approx(b.npv[0], rel=1e-9, abs=1e-3)
    assert a.equity_npv[0] == pytest.approx(b.equity_npv[0], rel=1e-9, abs=1e-3)
    assert a.lcoe_real_per_kwh[0] == pytest.approx(b.lcoe_real_per_kwh[0], rel=1e-9)


def test_tomans_are_ten_rials():
    rials = rial_scenario(0.4, 38_500, 0.7)
    tomans = copy.deepcopy(rials)
    tomans["capex"]["equipment"] = {"per_kwp": 29_520_000, "currency": "IRT"}
    tomans["revenue"]["base_price_per_kwh"] = 3_850
    tomans["revenue"]["currency"] = "IRT"
    a, inputs_a = run(rials)
    b, inputs_b = run(tomans)
    assert inputs_b.capex == pytest.approx(inputs_a.capex)
    assert b.npv[0] == pytest.approx(a.npv[0], rel=1e-12)


def test_capex_in_dollars_converts_at_the_year0_rate():
    # 410 USD/kWp x 1000 kWp at 720,000 IRR/USD = 295.2 billion IRR
    data = rial_scenario(0.4, 38_500, 0.7)
    data["capex"]["equipment"] = {"per_kwp": 410, "currency": "USD"}
    data["exchange_rates"] = {"USD": {"start_rate": 720_000, "escalation_rate": 0.41}}
    items = capex_breakdown(Finance.model_validate(data), **SIZE)
    assert items["equipment"] == pytest.approx(295.2e9)


def test_module_replacement_of_dollar_modules_costs_dollars_each_year():
    # modules USD 410/kWp; 1 % replaced in year 3: 0.01 x 410,000 USD x 1.02^3 (US
    # inflation, the default for dollar prices) x 720,000 x 1.41^3 rials
    data = rial_scenario(0.4, 38_500, 0.7)
    data["capex"]["equipment"] = {"per_kwp": 410, "currency": "USD"}
    data["exchange_rates"] = {"USD": {"start_rate": 720_000, "escalation_rate": 0.41}}
    data["module_replacement"] = {"capex_item": "equipment", "fraction": 0.01,
                                  "years": [3]}  # fmt: skip
    inputs = cash_flow_inputs(Finance.model_validate(data), **SIZE)
    table = cash_flow(ENERGY, inputs)
    expected = 0.01 * 410_000 * 1.02**3 * 720_000 * 1.41**3
    assert -table.module_replacement[0, 3] == pytest.approx(expected, rel=1e-12)
