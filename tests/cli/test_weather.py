"""``solarcase weather inspect`` and ``weather synth`` through the CLI."""

from __future__ import annotations

from pathlib import Path

from numpy.testing import assert_allclose
from typer.testing import CliRunner

from solarcase.cli import app
from solarcase.weather.normals import load_normals
from solarcase.weather.sources import read_weather

FIXTURES = Path(__file__).parents[1] / "data" / "weather"


def test_inspect_shows_source_period_and_annual_irradiation() -> None:
    path = FIXTURES / "tmy_45.000_8.000_2005_2023.csv"
    result = CliRunner().invoke(app, ["weather", "inspect", str(path)])
    assert result.exit_code == 0, result.stderr
    frame, _ = read_weather(path)
    # the "year" row shows the file's own annual GHI sum in kWh/m²
    assert f"{frame['ghi'].sum() / 1000:,.0f}" in result.stdout
    assert "pvgis-tmy" in result.stdout
    assert "8,760 hours" in result.stdout


def test_inspect_of_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("this is not weather\n1,2,3\n")
    result = CliRunner().invoke(app, ["weather", "inspect", str(junk)])
    assert result.exit_code == 1
    assert "junk.csv" in result.stderr and "Traceback" not in result.stderr


def test_synth_writes_a_native_year_calibrated_to_the_town(tmp_path: Path) -> None:
    out = tmp_path / "birjand.csv"
    result = CliRunner().invoke(
        app, ["weather", "synth", "--town", "Birjand", "--seed", "7", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    frame, meta = read_weather(out)
    assert meta.is_synthetic and meta.provenance["seed"] == "7"
    normals = load_normals("Birjand")
    days = frame.groupby(frame.index.month).size() / 24
    monthly_kwh = frame["ghi"].groupby(frame.index.month).sum() / 1000
    target = [g * d for g, d in zip(normals.ghi_kwh_per_m2_day, days, strict=True)]
    assert_allclose(monthly_kwh, target, rtol=0.005)


def test_synth_picks_the_nearest_town_from_coordinates(tmp_path: Path) -> None:
    out = tmp_path / "near.csv"
    args = ["weather", "synth", "--lat", "32.7", "--lon", "59.3", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "using the normals of" in result.stdout
    _, meta = read_weather(out)
    assert meta.latitude == 32.7


def test_synth_without_normals_says_how_to_choose() -> None:
    result = CliRunner().invoke(app, ["weather", "synth", "--out", "x.csv"])
    assert result.exit_code == 1
    assert "--town" in result.stderr and "--lat/--lon" in result.stderr
