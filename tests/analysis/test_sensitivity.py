"""Tornado core: cases, one evaluation call, bars sorted by width."""

from __future__ import annotations

import numpy as np
import pytest

from solarcase.analysis.sensitivity import Swing, swing_cases, tornado, tornado_bars
from solarcase.errors import ScenarioError

BASE = {"a": 2.0, "b": 10.0}


def _model(values):
    a = np.where(np.isnan(values.get("a", np.nan)), BASE["a"], values.get("a", np.nan))
    b = np.where(np.isnan(values.get("b", np.nan)), BASE["b"], values.get("b", np.nan))
    # m = 3a - b^2/10: linear in a, not in b
    return {"m": 3 * a - b**2 / 10}


def test_each_case_moves_only_its_own_inputs() -> None:
    calls = []

    def evaluate(values):
        calls.append(values)
        return _model(values)

    swings = [Swing("a", {"a": 1.0}, {"a": 4.0}), Swing("b", {"b": 5.0}, {"b": 20.0})]
    cases = tornado(evaluate, swings)
    assert len(calls) == 1  # every case in one vectorised call
    # base 3*2 - 100/10 = -4; a=1: 3 - 10 = -7; a=4: 12 - 10 = 2;
    # b=5: 6 - 2.5 = 3.5; b=20: 6 - 40 = -34
    assert cases["m"].tolist() == [-4.0, -7.0, 2.0, 3.5, -34.0]
    bars = tornado_bars(cases, "m")
    assert list(bars.index) == ["b", "a"]  # widest first: 37.5 before 9
    assert bars.loc["a", "low_change"] == -3.0 and bars.loc["a", "high_change"] == 6.0
    assert bars.loc["b", "range"] == 37.5


def test_a_linear_input_gives_proportional_bar_ends() -> None:
    cases = tornado(_model, [Swing("a", {"a": 1.0}, {"a": 4.0})])
    bar = tornado_bars(cases, "m").loc["a"]
    # slope 3 per unit of a: (4 - 2) x 3 = 6 and (1 - 2) x 3 = -3
    assert bar["high_change"] / (4.0 - 2.0) == bar["low_change"] / (1.0 - 2.0) == 3.0


def test_swing_cases_mark_unmoved_inputs_with_nan() -> None:
    cases, values = swing_cases([Swing("x", {}, {"a": 1.0, "b": 2.0})])
    assert list(cases["setting"]) == ["base", "", ""]
    assert np.isnan(values["a"][:2]).all() and values["b"][2] == 2.0


def test_an_input_swung_twice_is_refused() -> None:
    with pytest.raises(ScenarioError, match="once"):
        swing_cases([Swing("a", {}, {}), Swing("a", {}, {})])
