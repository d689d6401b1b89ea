"""Any scenario key to engine cases: every case equals the scenario run with --set.

The reference for each case is an independent full run: the scenario file loaded
with the override (``load_scenario(..., overrides=[key=value])``), validated,
simulated and appraised by ``run_scenario``.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.cases import CaseEvaluator
from solarcase.errors import ScenarioError
from solarcase.scenario.keys import describe_key, parse_key_value

from .conftest import SCENARIOS, appraise

BIRJAND = SCENARIOS / "birjand-1mw.yaml"
CHECKED = ("npv", "equity_npv", "project_irr", "lcoe_real_per_kwh", "min_dscr")


def _reference(path, setting):
    overrides = [f"{k}={v!r}" for k, v in setting.items()]
    result, _, _ = appraise(path, overrides)
    values = result.headline()
    values["lifetime_energy_kwh"] = float(result.energy_by_year_kwh.sum())
    return values


def _check(evaluator, path, settings) -> None:
    keys = list(settings[0])
    values = {k: np.array([s[k] for s in settings], dtype=float) for k in keys}
    got = evaluator.evaluate(values)
    for case, setting in enumerate(settings):
        expected = _reference(path, setting)
        for name in (*CHECKED, "annual_energy_kwh", "lifetime_energy_kwh"):
            want = expected[name]
            if want is None:
                assert np.isnan(got[name][case]), (name, setting)
            else:
                assert_allclose(got[name][case], want, rtol=1e-9, err_msg=name)


def test_finance_keys_match_runs_with_overrides(birjand) -> None:
    result, weather, _ = birjand
    keys = (
        "finance.inflation_rate",
        "finance.exchange_rates.USD.escalation_rate",
        "finance.capex.equipment.per_kwp",
    )
    settings = [
        dict(zip(keys, v, strict=True))
        for v in ((0.3, 0.35, 380.0), (0.5, 0.45, 450.0), (0.4, 0.41, 410.0))
    ]
    _check(CaseEvaluator(result, keys, weather=weather), BIRJAND, settings)


def test_array_translation_is_used_where_the_translator_allows_it(birjand) -> None:
    result, _, _ = birjand
    keys = ("finance.revenue.base_price_per_kwh", "finance.capex.equipment.per_kwp")
    evaluator = CaseEvaluator(result, keys)
    settings = [
        dict(zip(keys, v, strict=True))
        for v in ((30_000.0, 380.0), (45_000.0, 450.0), (38_500.0, 410.0))
    ]
    _check(evaluator, BIRJAND, settings)
    # one translation with arrays, checked against per-value translations of the
    # samples (first, last, each key's smallest and largest)
    assert evaluator.translations["array"] == 1


def test_a_key_whose_section_is_missing_creates_it(birjand) -> None:
    result, _, _ = birjand
    keys = ("finance.late_payment.share", "finance.late_payment.delay_years")
    settings = [
        {keys[0]: 0.3, keys[1]: 2},
        {keys[0]: 0.5, keys[1]: 3},
    ]
    _check(CaseEvaluator(result, keys), BIRJAND, settings)


def test_whole_years_split_the_cases_by_structure(birjand_loan) -> None:
    result, weather, _ = birjand_loan
    path = SCENARIOS / "birjand-1mw-subsidised-loan.yaml"
    keys = ("finance.debt.tenor_years", "finance.debt.interest_rate")
    settings = [
        {keys[0]: 5, keys[1]: 0.14},
        {keys[0]: 8, keys[1]: 0.14},
        {keys[0]: 8, keys[1]: 0.2},
    ]
    _check(CaseEvaluator(result, keys, weather=weather), path, settings)


def test_yield_keys_simulate_each_value_once(birjand) -> None:
    result, weather, _ = birjand
    keys = ("system.losses.soiling", "system.degradation.rate", "energy_factor")
    evaluator = CaseEvaluator(result, keys, weather=weather)
    values = {
        "system.losses.soiling": np.array([0.03, 0.08, 0.03]),
        "system.degradation.rate": np.array([0.005, 0.01, 0.012]),
        "energy_factor": np.array([1.0, 1.0, 1.0]),
    }
    got = evaluator.evaluate(values)
    assert evaluator.translations["simulations"] == 2  # 0.03 and 0.08
    for case in range(3):
        setting = {k: float(v[case]) for k, v in values.items() if k != "energy_factor"}
        expected = _reference(BIRJAND, setting)
        assert_allclose(got["npv"][case], expected["npv"], rtol=1e-9)
        assert_allclose(
            got["annual_energy_kwh"][case], expected["annual_energy_kwh"], rtol=1e-12
        )


def test_a_yield_key_at_its_scenario_value_reuses_the_base_simulation(birjand) -> None:
    # NaN (the scenario's value) and the value itself are the base case; a
    # tornado's other swings leave the yield key there
    result, weather, _ = birjand
    key = "system.losses.soiling"  # 5 % in the scenario
    assert result.scenario.system.losses.soiling == 0.05
    evaluator = CaseEvaluator(result, [key], weather=weather)
    got = evaluator.evaluate({key: np.array([np.nan, 0.05, 0.03, 0.08])})
    assert evaluator.translations["simulations"] == 2  # 0.03 and 0.08
    assert_allclose(got["npv"][:2], result.headline()["npv"], rtol=1e-12)


def test_curtailment_changes_the_energy_per_year_without_a_simulation() -> None:
    # The base case of a curtailed scenario and every curtailment varied are the
    # runs with --set; curtailment is no input of the yield model, so no case is
    # simulated again.
    key = "system.losses.curtailment"
    result, weather, _ = appraise(BIRJAND, [f"{key}=0.1"])
    evaluator = CaseEvaluator(result, [key, "energy_factor"], weather=weather)
    base = evaluator.evaluate({"energy_factor": np.array([1.0])})
    run = result.headline()
    for name in ("annual_energy_kwh", "npv", "equity_npv"):
        assert_allclose(base[name], run[name], rtol=1e-12, err_msg=name)
    assert_allclose(
        base["lifetime_energy_kwh"], result.energy_by_year_kwh.sum(), rtol=1e-12
    )
    _check(evaluator, BIRJAND, [{key: 0.0}, {key: 0.05}, {key: 0.2}])
    assert evaluator.translations["simulations"] == 0


def test_energy_factor_scales_every_year(birjand) -> None:
    result, _, _ = birjand
    got = CaseEvaluator(result, ["energy_factor"]).evaluate(
        {"energy_factor": np.array([0.9, 1.0])}
    )
    assert_allclose(
        got["lifetime_energy_kwh"],
        np.array([0.9, 1.0]) * result.energy_by_year_kwh.sum(),
    )
    assert_allclose(got["npv"][1], result.headline()["npv"], rtol=1e-12)


def test_nan_keeps_the_scenario_value(birjand) -> None:
    result, _, _ = birjand
    got = CaseEvaluator(result, ["finance.inflation_rate"]).evaluate(
        {"finance.inflation_rate": np.array([np.nan])}
    )
    assert_allclose(got["npv"], result.headline()["npv"], rtol=1e-12)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("finance.inflaton_rate", "did you mean 'inflation_rate'"),
        ("finance.revenue.scheme", "not a number"),
        ("finance.analysis_years", "cannot vary"),
        ("name", "only numeric keys"),
        ("finance.inflation_rate.x", "not a section"),
    ],
)
def test_bad_keys_are_explained(birjand, key, message) -> None:
    result, _, _ = birjand
    with pytest.raises(ScenarioError, match=message):
        describe_key(result.scenario, key)


def test_values_are_read_and_checked_like_the_scenario(birjand) -> None:
    scenario = birjand[0].scenario
    assert parse_key_value(scenario, "finance.inflation_rate", "35%", where="x") == 0.35
    with pytest.raises(ScenarioError, match="fraction"):
        parse_key_value(scenario, "finance.inflation_rate", 35, where="--vary x")


def test_yield_keys_need_the_weather(birjand) -> None:
    with pytest.raises(ScenarioError, match="weather"):
        CaseEvaluator(birjand[0], ["system.losses.soiling"])
