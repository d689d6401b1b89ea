"""Sensitivity of a scenario: default swings, --vary, bars against runs."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.errors import ScenarioError
from solarcase.scenario.risk import SensitivitySwing
from solarcase.swings import (
    choose_swings,
    default_swings,
    parse_vary,
    run_sensitivity,
    scenario_swings,
)

from .conftest import SCENARIOS, appraise


def test_defaults_cover_the_inputs_that_move_an_iranian_plant(birjand) -> None:
    swings, skipped = default_swings(birjand[0].scenario)
    names = [s.name for s in swings]
    assert names == [
        "capex",
        "price",
        "energy",
        "om",
        "discount_rate",
        "inflation",
        "exchange_rate",
        "degradation",
        "late_payment",
    ]
    assert skipped == []
    capex = swings[0]
    # both capex items move by the same factor
    assert capex.low["finance.capex.equipment.per_kwp"] == pytest.approx(0.8 * 410)
    assert capex.high["finance.capex.installation_and_grid.per_kwp"] == pytest.approx(
        1.2 * 5_480_000
    )
    fx = swings[6]
    assert set(fx.high) == {
        "finance.exchange_rates.USD.escalation_rate",
        "finance.exchange_rates.EUR.escalation_rate",
    }
    assert all(s.reason for s in swings)


def test_tornado_bar_ends_are_runs_with_the_low_and_high_values(birjand) -> None:
    result, weather, _ = birjand
    swings = [
        parse_vary(
            result.scenario, "finance.operating_costs.fixed_om.per_kwp_year=2e6:5e6"
        ),
        parse_vary(result.scenario, "finance.inflation_rate=30%:50%"),
        parse_vary(result.scenario, "system.losses.soiling=3%:8%"),
    ]
    found = run_sensitivity(result, swings, weather=weather)
    bars = found.bars("npv")
    for swing in swings:
        (key,) = swing.low
        for side, setting in (("low", swing.low), ("high", swing.high)):
            run, _, _ = appraise(
                SCENARIOS / "birjand-1mw.yaml", [f"{key}={setting[key]!r}"]
            )
            assert_allclose(bars.loc[key, side], run.headline()["npv"], rtol=1e-9)
    # fixed O&M is linear in the NPV (no tax): the bar's two ends lie on one line
    # through the base, slope = change / (value - base value)
    om = bars.loc["finance.operating_costs.fixed_om.per_kwp_year"]
    slope_low = om["low_change"] / (2e6 - 3.5e6)
    slope_high = om["high_change"] / (5e6 - 3.5e6)
    assert_allclose(slope_low, slope_high, rtol=1e-9)


def test_risk_section_swings_replace_defaults_by_name() -> None:
    result, _, _ = appraise(
        SCENARIOS / "birjand-1mw.yaml",
        [
            "risk.sensitivity.capex.keys=[finance.capex.equipment.per_kwp]",
            "risk.sensitivity.capex.apply=factor",
            "risk.sensitivity.capex.low=0.5",
            "risk.sensitivity.capex.high=2.0",
        ],
    )
    swings, _ = choose_swings(result.scenario, ())
    capex = next(s for s in swings if s.name == "capex")
    assert capex.low == {"finance.capex.equipment.per_kwp": pytest.approx(205.0)}
    assert len(swings) == 9


def test_late_payment_swing_without_a_section_creates_one(birjand) -> None:
    result, _, _ = birjand
    swings, _ = default_swings(result.scenario)
    late = swings[-1]
    found = run_sensitivity(result, [late])
    run, _, _ = appraise(
        SCENARIOS / "birjand-1mw-late-payment.yaml",
        ["finance.late_payment.share=0.3", "finance.late_payment.delay_years=2"],
    )
    assert_allclose(
        found.bars("npv").loc["late_payment", "high"], run.headline()["npv"]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("finance.inflation_rate", "key=low:high"),
        ("finance.inflation_rate=0.3", "key=low:high"),
        ("finance.inflation_rate=30:50", "fraction"),
        ("finance.nope=1:2", "no key 'nope'"),
    ],
)
def test_bad_vary_is_explained(birjand, text, message) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_vary(birjand[0].scenario, text)


def test_a_factor_of_a_key_the_scenario_does_not_set_is_explained(birjand) -> None:
    # Birjand has no late_payment section: a factor has nothing to multiply
    swing = SensitivitySwing(
        keys=["finance.late_payment.share"], apply="factor", low=0.5, high=2.0
    )
    with pytest.raises(
        ScenarioError,
        match="risk.sensitivity.late: finance.late_payment.share: is not set in the "
        "scenario, so apply: factor has nothing to act on",
    ):
        scenario_swings(birjand[0].scenario, {"late": swing})


def test_a_swing_value_the_key_rejects_fails_before_running(birjand) -> None:
    result, _, _ = birjand
    swing = parse_vary(result.scenario, "system.degradation.rate=0.5%:1%")
    bad = type(swing)("x", {"system.degradation.rate": 1.5}, {})
    with pytest.raises(ScenarioError, match="sensitivity x"):
        run_sensitivity(result, [bad])


def test_every_case_is_one_vectorised_pass(birjand) -> None:
    result, _, _ = birjand
    swings, _ = default_swings(result.scenario)
    found = run_sensitivity(result, swings)
    assert len(found.cases) == 1 + 2 * len(swings)
    assert np.isfinite(found.cases["npv"]).all()
