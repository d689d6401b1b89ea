"""Breakeven of a scenario key, checked against the engine's own solver and runs."""

from __future__ import annotations

import math

import pytest
from numpy.testing import assert_allclose

from solarcase.breakeven import key_bounds, parse_target, run_breakeven
from solarcase.errors import ScenarioError

from .conftest import SCENARIOS, appraise


def test_price_breakeven_equals_the_solved_breakeven_price(birjand) -> None:
    # finance.solve finds the same root another way: Illinois regula falsi on the
    # engine's price factor (ScenarioResult.solved)
    result, _, _ = birjand
    found = run_breakeven(result, "finance.revenue.base_price_per_kwh")
    solved = result.headline()["breakeven_price_per_kwh"]
    assert_allclose(found.value, solved, rtol=1e-9)
    run, _, _ = appraise(
        SCENARIOS / "birjand-1mw.yaml",
        [f"finance.revenue.base_price_per_kwh={found.value!r}"],
    )
    assert abs(run.headline()["npv"]) < 1e-6 * sum(result.capex_items.values())


def test_equity_irr_target(birjand_loan) -> None:
    result, _, _ = birjand_loan
    found = run_breakeven(
        result, "finance.capex.equipment.per_kwp", metric="equity_irr", target=0.5
    )
    run, _, _ = appraise(
        SCENARIOS / "birjand-1mw-subsidised-loan.yaml",
        [f"finance.capex.equipment.per_kwp={found.value!r}"],
    )
    assert_allclose(run.headline()["equity_irr"], 0.5, atol=1e-9)


def test_a_yield_key_is_solved_with_simulations(birjand) -> None:
    result, weather, _ = birjand
    found = run_breakeven(result, "system.losses.soiling", weather=weather)
    assert 0.05 < found.value < 1.0
    run, _, _ = appraise(
        SCENARIOS / "birjand-1mw.yaml", [f"system.losses.soiling={found.value!r}"]
    )
    assert abs(run.headline()["npv"]) < 1e-6 * sum(result.capex_items.values())


def test_bounds_come_from_the_scenario_fields(birjand) -> None:
    scenario = birjand[0].scenario
    assert key_bounds(scenario, "finance.capex.equipment.per_kwp") == (0.0, math.inf)
    low, high = key_bounds(scenario, "finance.inflation_rate")
    assert -1.0 < low < -0.999 and high == 1.0
    low, high = key_bounds(scenario, "system.losses.soiling")
    assert low == 0.0 and 0.999 < high < 1.0


def test_no_root_is_a_value_not_an_error(birjand) -> None:
    result, _, _ = birjand
    found = run_breakeven(result, "system.degradation.rate", metric="npv", target=-1e15)
    assert found.value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("npv=0", ("npv", 0.0)), ("equity_irr=50%", ("equity_irr", 0.5))],
)
def test_targets_parse(text, expected) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["npv", "irr=0.5", "npv=zero"])
def test_bad_targets_are_explained(text) -> None:
    with pytest.raises(ScenarioError, match="--target"):
        parse_target(text)


def test_dscr_target_without_a_loan_is_explained(birjand) -> None:
    with pytest.raises(ScenarioError, match="no loan"):
        run_breakeven(
            birjand[0], "finance.inflation_rate", metric="min_dscr", target=1.3
        )
