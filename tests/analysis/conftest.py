"""Shared fixtures: the Birjand example appraised once per module."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from solarcase.errors import SolarcaseWarning
from solarcase.pipeline import run_scenario
from solarcase.scenario.load import load_scenario
from solarcase.weather.site import load_site_weather

ROOT = Path(__file__).parents[2]
SCENARIOS = ROOT / "scenarios"


def appraise(path: Path, overrides=()):
    """(result, weather, meta) of a scenario file, warnings silenced."""
    scenario = load_scenario(path, overrides=list(overrides))
    weather, meta = load_site_weather(scenario.site, where=str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        return run_scenario(scenario, weather, meta), weather, meta


@pytest.fixture(scope="module")
def birjand():
    return appraise(SCENARIOS / "birjand-1mw.yaml")


@pytest.fixture(scope="module")
def birjand_loan():
    return appraise(SCENARIOS / "birjand-1mw-subsidised-loan.yaml")
