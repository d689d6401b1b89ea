"""Shared pytest configuration: opt-in marks for slow and network tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"
WEATHER_FIXTURES = DATA_DIR / "weather"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run slow tests")
    parser.addoption(
        "--run-network", action="store_true", help="also run tests that need internet"
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    skip_slow = pytest.mark.skip(reason="slow: pass --runslow to run")
    skip_net = pytest.mark.skip(reason="network: pass --run-network to run")
    for item in items:
        if "slow" in item.keywords and not config.getoption("--runslow"):
            item.add_marker(skip_slow)
        if "network" in item.keywords and not config.getoption("--run-network"):
            item.add_marker(skip_net)


@pytest.fixture
def weather_fixtures() -> Path:
    """Directory of the real weather files copied from pvlib's test data."""
    return WEATHER_FIXTURES
