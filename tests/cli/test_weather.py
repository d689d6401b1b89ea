"""``solarcase weather inspect``, ``fetch`` and ``synth`` through the CLI."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
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


# -- weather fetch, inspect --png, and run with PVGIS weather -------------------------
# A local PVGIS stand-in (tests/weather/pvgis_server.py) answers with the real PVGIS
# typical-year JSON; the environment points solarcase at it and at a cache in tmp_path.

ROOT = Path(__file__).parents[2]
BASE_SCENARIO = ROOT / "tests" / "data" / "scenarios" / "base.yaml"
VALID_SCENARIO = ROOT / "tests" / "data" / "scenarios" / "valid.yaml"


def _pvgis_server() -> ModuleType:
    name = "solarcase_tests_pvgis_server"
    if name not in sys.modules:
        path = ROOT / "tests" / "weather" / "pvgis_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def pvgis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator:
    """A running PVGIS stand-in; SOLARCASE_* point at it and at tmp_path/cache."""
    helper = _pvgis_server()
    helper.guard_network(monkeypatch)
    with helper.FakePvgis() as server:
        server.replies["tmy"] = helper.Reply(helper.PVGIS_TMY_JSON.read_bytes())
        monkeypatch.setenv("SOLARCASE_PVGIS_URL", server.url)
        monkeypatch.setenv("SOLARCASE_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("SOLARCASE_PVGIS_TIMEOUT_S", "5")
        monkeypatch.delenv("SOLARCASE_OFFLINE", raising=False)
        yield server


def test_fetch_downloads_once_then_reads_the_cache(pvgis, tmp_path: Path) -> None:
    args = ["weather", "fetch", "--lat", "45", "--lon", "8"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert "downloaded:" in first.stdout and "8,760 hours" in first.stdout
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.stderr
    assert "read from the cache:" in second.stdout
    assert len(pvgis.requests) == 1
    cached = tmp_path / "cache" / "pvgis"
    assert [p.name for p in cached.iterdir()] == [
        "pvgis_tmy_+45.00_+8.00_all-years_default-db_horizon_v5_3.csv"
    ]
    # the annual GHI printed is the PVGIS year's (1,435.9 kWh/m², docs/weather.md)
    assert "GHI 1,436 kWh/m² a year" in second.stdout


def test_fetch_out_writes_the_data_next_to_the_project(pvgis, tmp_path: Path) -> None:
    out = tmp_path / "weather" / "fixture-pvgis.csv"
    out.parent.mkdir()
    args = ["weather", "fetch", "--lat", "45", "--lon", "8", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    written, meta = read_weather(out)
    cache = next((tmp_path / "cache" / "pvgis").iterdir())
    cached, _ = read_weather(cache)
    pd.testing.assert_frame_equal(written, cached)
    assert meta.source == "pvgis-tmy" and "request_url" in meta.provenance


def test_fetch_failure_exits_1_with_the_manual_route(pvgis, tmp_path: Path) -> None:
    pvgis.replies["tmy"] = _pvgis_server().Reply(b"Server Error", 500, "text/plain")
    result = CliRunner().invoke(app, ["weather", "fetch", "--lat", "45", "--lon", "8"])
    assert result.exit_code == 1
    assert "HTTP 500" in result.stderr and "To get it by hand" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "cache").rglob("*.csv"))


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--years", "2023-2005"], "--years: years must run forward"),
        (["--years", "2015-2020"], "at least 10 years"),
        (["--kind", "hourly", "--database", "era5"], "must look like PVGIS-SARAH3"),
    ],
)
def test_fetch_checks_its_options_before_any_request(pvgis, extra, words) -> None:
    args = ["weather", "fetch", "--lat", "45", "--lon", "8", *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert words in result.stderr
    assert pvgis.requests == []


def test_inspect_png_shows_the_clear_sky_check(tmp_path: Path) -> None:
    png = tmp_path / "monthly.png"
    birjand = ROOT / "weather" / "birjand-synthetic.csv"
    args = ["weather", "inspect", str(birjand), "--png", str(png)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert "Clear-sky check: GHI is above the Ineichen clear sky in" in result.stdout
    assert "Normals: Birjand, 0 km away" in result.stdout
    assert "SYNTHETIC" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["monthly.png"]  # no temporaries


def test_inspect_of_an_hourly_series_lists_its_years(pvgis, tmp_path: Path) -> None:
    helper = _pvgis_server()
    pvgis.replies["seriescalc"] = helper.Reply(helper.synthesised_hourly_answer())
    args = ["weather", "fetch", "--lat", "45", "--lon", "8", "--kind", "hourly"]
    args += ["--years", "2017-2018", "--out", str(tmp_path / "series.csv")]
    fetched = CliRunner().invoke(app, args)
    assert fetched.exit_code == 0, fetched.stderr
    result = CliRunner().invoke(
        app, ["weather", "inspect", str(tmp_path / "series.csv")]
    )
    assert result.exit_code == 0, result.stderr
    assert "multi-year series" in result.stdout and "17,520 hours" in result.stdout
    assert "Whole years of the series" in result.stdout
    assert "│ 2017 │ 8,760 │" in result.stdout and "│ 2018 │ 8,760 │" in result.stdout


def test_run_on_pvgis_weather_fetches_once_and_matches_the_file(
    pvgis, tmp_path: Path
) -> None:
    scenario = tmp_path / "pvgis.yaml"
    scenario.write_text(
        f"extends: {BASE_SCENARIO}\nname: Fixture plant on PVGIS\n"
        "site:\n  weather:\n    source: pvgis\n    file: weather/pvgis-tmy.csv\n"
    )
    runs = [CliRunner().invoke(app, ["run", str(scenario), "--json"]) for _ in "12"]
    for run in runs:
        assert run.exit_code == 0, run.stderr
    assert len(pvgis.requests) == 1
    assert (tmp_path / "weather" / "pvgis-tmy.csv").is_file()  # next to the scenario
    first, second = (json.loads(run.stdout) for run in runs)
    assert first["metrics"] == second["metrics"]
    # the same PVGIS year read from the CSV fixture (valid.yaml) gives the same energy
    # within the native file's rounding (0.05 W/m², 0.05 °C)
    on_file = CliRunner().invoke(app, ["run", str(VALID_SCENARIO), "--json"])
    assert on_file.exit_code == 0, on_file.stderr
    expected = json.loads(on_file.stdout)["metrics"]["annual_energy_kwh"]
    assert_allclose(first["metrics"]["annual_energy_kwh"], expected, rtol=1e-4)
    assert first["weather"]["source"] == "pvgis-tmy"


def test_run_offline_without_the_data_says_where_to_put_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOLARCASE_OFFLINE", "1")
    monkeypatch.setenv("SOLARCASE_CACHE_DIR", str(tmp_path / "cache"))
    scenario = tmp_path / "pvgis.yaml"
    scenario.write_text(
        f"extends: {BASE_SCENARIO}\nname: offline\nsite:\n  weather:\n"
        "    source: pvgis\n    file: w.csv\n"
    )
    result = CliRunner().invoke(app, ["run", str(scenario)])
    assert result.exit_code == 1
    text = " ".join(result.stderr.split())
    assert f"{scenario}: site.weather (source: pvgis)" in text
    assert (
        "SOLARCASE_OFFLINE" in text
        and f"save the answer as {tmp_path / 'w.csv'}" in text
    )
    assert "Traceback" not in result.stderr
