"""The Birjand example and its money-model variants, through the whole pipeline.

Each variant extends ``scenarios/birjand-1mw.yaml`` and changes one thing; these
tests run them on the shipped (synthetic) Birjand weather and check what that one
change must do, plus the serialised outputs (JSON keys, CSV rows, tomans).
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import cash_flow
from solarcase.finance.metrics import npv
from solarcase.pipeline import ScenarioResult, run_scenario
from solarcase.report.serialise import cashflow_frame, result_dict
from solarcase.scenario.load import load_scenario
from solarcase.scenario.to_finance import capex_breakdown
from solarcase.weather.site import load_site_weather

SCENARIOS = Path(__file__).parents[2] / "scenarios"
VARIANTS = sorted(p.stem for p in SCENARIOS.glob("birjand-1mw*.yaml"))


@pytest.fixture(scope="module")
def results() -> dict[str, ScenarioResult]:
    out: dict[str, ScenarioResult] = {}
    energy = None
    for name in VARIANTS:
        path = SCENARIOS / f"{name}.yaml"
        scenario = load_scenario(path)
        weather, meta = load_site_weather(scenario.site, where=str(path))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SolarcaseWarning)
            out[name] = run_scenario(scenario, weather, meta, energy=energy)
        energy = out[name].energy  # every variant has the same plant and weather
    return out


def test_there_is_a_variant_per_scheme_and_a_subsidised_loan(results):
    schemes = {r.scenario.finance.revenue.scheme for r in results.values()}
    assert schemes == {
        "escalating_tariff",
        "guaranteed_purchase",
        "market",
        "self_consumption",
    }
    loan = results["birjand-1mw-subsidised-loan"].finance_inputs.debt
    assert loan is not None and loan.interest_rate == pytest.approx(0.14)


def test_flagship_prices_follow_the_satba_indexation(results):
    result = results["birjand-1mw"]
    price = result.cashflow.price_per_kwh[0]
    # alpha 0.15 on CPI (+40 %) and 0.85 on the EUR rate (+41 %); year 2:
    # 38,500 x (0.15 x 1.40 + 0.85 x 1.41) = 38,500 x 1.4085
    assert price[2] == pytest.approx(38_500 * 1.4085, rel=1e-12)
    # from contract year 8 the price is 60 % of the indexed one (absolute)
    k8 = 0.15 * 1.4**7 + 0.85 * 1.41**7
    assert price[8] == pytest.approx(38_500 * k8 * 0.6, rel=1e-12)
    # after 20 years: 60,000 at year-1 prices, +40 %/year
    assert price[21] == pytest.approx(60_000 * 1.4**20, rel=1e-12)
    # capex: 410 USD/kWp at 720,000 IRR/USD + 5.48 million toman/kWp
    assert result.capex_items["equipment"] == pytest.approx(410 * 1000 * 720_000)
    assert result.capex_items["installation_and_grid"] == pytest.approx(54.8e9)


def test_imported_inverter_is_paid_at_the_year12_exchange_rate(results):
    result = results["birjand-1mw"]
    ac_kw = result.energy.layout.ac_capacity_kw
    # 50 USD/kW at year-0 prices, +2 %/year in dollars, at 720,000 x 1.41^12
    expected = 50 * ac_kw * 1.02**12 * 720_000 * 1.41**12
    assert -result.cashflow.replacement[0, 12] == pytest.approx(expected, rel=1e-12)


def test_late_payment_delays_cash_but_not_revenue(results):
    base, late = results["birjand-1mw"], results["birjand-1mw-late-payment"]
    assert_allclose(late.cashflow.revenue, base.cashflow.revenue)
    # 30 % of year 1's invoice arrives in year 3
    invoiced = base.cashflow.revenue[0]
    assert late.cashflow.receivables_change[0, 1] == pytest.approx(-0.3 * invoiced[1])
    assert late.cashflow.receivables_balance[0, 2] == pytest.approx(
        0.3 * (invoiced[1] + invoiced[2])
    )
    # in a 40 % economy, cash paid two years late is worth less
    assert late.headline()["npv"] < base.headline()["npv"]


def test_self_consumption_splits_the_energy(results):
    table = results["birjand-1mw-self-consumption"].cashflow
    assert_allclose(
        table.self_consumed_kwh + table.exported_kwh, table.energy_kwh, rtol=1e-12
    )
    share = table.self_consumed_kwh[0, 1] / table.energy_kwh[0, 1]
    assert 0 < share < 1
    # the obligation: 15 % of 2,500 MWh = 375 MWh covered, at 43,000 IRR/kWh
    assert table.savings_obligation[0, 1] == pytest.approx(375_000 * 43_000)


def test_subsidised_loan_terms(results):
    table = results["birjand-1mw-subsidised-loan"].cashflow
    assert table.debt_drawdown[0, 0] == pytest.approx(0.8 * 350e9)
    # annuity: 280 bn at 14 % over 5 years
    payment = 280e9 * 0.14 / (1 - 1.14**-5)
    assert_allclose(-table.debt_service[0, 1:6], payment, rtol=1e-12)


def test_cooperative_sculpted_loan_within_its_cap(results):
    result = results["birjand-1mw-cooperative"]
    table = result.cashflow
    assert table.debt_drawdown[0, 0] <= 0.7 * 350e9 * (1 + 1e-12)
    # 13-year holiday: no tax before year 14
    assert (table.tax[0, :14] == 0).all()
    assert result.solved.debt_for_target_dscr[0] >= table.debt_drawdown[0, 0]


@pytest.mark.parametrize("name", VARIANTS)
def test_breakeven_price_of_every_variant_gives_npv_zero(results, name):
    result = results[name]
    inputs = result.finance_inputs
    factor = result.solved.breakeven_price_factor
    table = cash_flow(
        result.energy_by_year_kwh[None, :], replace(inputs, price_factor=factor)
    )
    assert (
        abs(npv(table.project_fcf, discount_rate=inputs.discount_rate_nominal)[0]) < 1.0
    )


def test_json_carries_tomans_reference_and_finance(results):
    result = results["birjand-1mw"]
    data = result_dict(result)
    assert data["metrics_toman"]["npv"] == pytest.approx(data["metrics"]["npv"] / 10)
    assert data["reference"]["currency"] == "USD"
    ref = data["reference"]
    assert ref["cashflow"]["fx_rate"][0] == pytest.approx(720_000)
    # year 0: -capex / 720,000 dollars
    assert ref["cashflow"]["project_fcf"][0] == pytest.approx(-350e9 / 720_000)
    assert ref["discount_rate_nominal"] == pytest.approx(1.05 * 1.02 - 1)
    assert set(data["finance"]["exchange_rates"]) == {"USD", "EUR"}
    for key in ("project_irr_real", "project_mirr", "breakeven_price_per_kwh"):
        assert key in data["metrics"]
    assert "receivables_balance" in data["cashflow"]


def test_csv_frame_adds_real_and_reference_rows(results):
    frame = cashflow_frame(results["birjand-1mw"])
    assert "project free cash flow [USD]" in frame.index
    assert "exchange rate [IRR/USD]" in frame.index
    real = frame.loc["project free cash flow, real [IRR, year-0 money]"]
    nominal = frame.loc["project free cash flow [IRR]"]
    assert real[3] == pytest.approx(nominal[3] / 1.4**3)
    assert np.isfinite(frame.to_numpy()).all()


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_capex_lies_in_the_sourced_range(path):
    # 2025 Iranian turnkey costs: 300-400 million IRR/kW for ground and rooftop
    # plants, up to 478 for small rooftops (iran-economics.md s2.1, e.g. MAPNA
    # 35 million toman/kW, IRIB 5555827; 14 bodies in North Khorasan 478, Mehr
    # 6613944). Catches a variant that inherits a base item's currency by mistake.
    scenario = load_scenario(path)
    system = scenario.system
    items = capex_breakdown(
        scenario.finance, dc_capacity_kwp=system.dc_capacity_kwp,
        ac_capacity_kw=system.ac_kw,
    )  # fmt: skip
    per_kwp = sum(items.values()) / system.dc_capacity_kwp
    assert 300e6 <= per_kwp <= 480e6, per_kwp
