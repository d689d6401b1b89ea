"""Run the doctests of the risk modules (pytest does not collect them itself)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "solarcase.analysis.distributions",
    "solarcase.analysis.sampling",
    "solarcase.analysis.montecarlo",
    "solarcase.analysis.sensitivity",
    "solarcase.analysis.breakeven",
    "solarcase.analysis.stacking",
    "solarcase.report.risk_tables",
    "solarcase.report.risk_figures",
    "solarcase.report.risk_pages",
    "solarcase.scenario.keys",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0
