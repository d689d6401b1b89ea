"""Run the doctests of the report modules (pytest does not collect them itself)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "solarcase.report.assumptions",
    "solarcase.report.figures",
    "solarcase.report.layout",
    "solarcase.report.pages",
    "solarcase.report.tables",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0
