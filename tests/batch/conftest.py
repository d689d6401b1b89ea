"""Inputs shared by the batch tests: a base scenario and synthetic weather files."""

from __future__ import annotations

from pathlib import Path

import pytest

from solarcase.weather.native import write_native
from solarcase.weather.normals import load_normals
from solarcase.weather.synth import synthesize_year

ROOT = Path(__file__).parents[2]
TEST_BASE = ROOT / "tests" / "data" / "scenarios" / "base.yaml"


@pytest.fixture(scope="session")
def weather_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic typical years for Birjand and Tabas (native CSV), read-only."""
    directory = tmp_path_factory.mktemp("batch-weather")
    for town in ("Birjand", "Tabas"):
        frame, meta = synthesize_year(load_normals(town), seed=3)
        write_native(frame, meta, directory / f"{town.lower()}-synthetic.csv")
    return directory


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A complete scenario (tests/data base, 100 kWp, EUR) to run across sites."""
    path = tmp_path / "plant.yaml"
    path.write_text(f"extends: {TEST_BASE}\nname: Test plant\n", encoding="utf-8")
    return path


@pytest.fixture
def write_sites(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a sites CSV from lines of text; returns its path."""

    def write(*lines: str, name: str = "sites.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
