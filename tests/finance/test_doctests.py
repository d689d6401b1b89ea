"""Run the doctests of every finance module (pytest does not collect them itself)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "solarcase.finance.rates",
    "solarcase.finance.tariff",
    "solarcase.finance.debt",
    "solarcase.finance.tax",
    "solarcase.finance.cashflow",
    "solarcase.finance.irr",
    "solarcase.finance.metrics",
    "solarcase.finance.currency",
    "solarcase.finance.revenue",
    "solarcase.finance.costs",
    "solarcase.finance.reference",
    "solarcase.finance.solve",
    "solarcase.finance.hourly",
    "solarcase.finance.coverage",
    "solarcase.finance.inputs",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0
