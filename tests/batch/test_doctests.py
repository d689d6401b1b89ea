"""The examples in the batch modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "solarcase.batch_items",
    "solarcase.batch_sites",
    "solarcase.batch_exec",
    "solarcase.batch_tables",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.attempted > 0 and result.failed == 0, result
