"""``solarcase run``, ``validate`` and ``schema`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from solarcase.cli import app

ROOT = Path(__file__).parents[2]
VALID = ROOT / "tests" / "data" / "scenarios" / "valid.yaml"
BIRJAND = ROOT / "scenarios" / "birjand-1mw.yaml"

CONTRACT_METRICS = {
    "annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "performance_ratio",
    "capacity_factor",
    "npv",
    "project_irr",
    "equity_irr",
    "lcoe_real_per_kwh",
    "lcoe_nominal_per_kwh",
    "simple_payback_years",
    "discounted_payback_years",
    "min_dscr",
}


def _run_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["run", *args, "--json"])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def valid_result() -> dict:
    return _run_json(str(VALID))


def test_json_follows_the_result_contract(valid_result: dict) -> None:
    data = valid_result
    assert data["scenario"] == "Fixture plant"
    assert data["currency"] == "EUR"
    assert CONTRACT_METRICS <= set(data["metrics"])
    metrics = data["metrics"]
    for ratio in ("performance_ratio", "capacity_factor", "project_irr"):
        assert 0 < metrics[ratio] < 1
    # no debt: DSCR cannot exist, so it is null with a note saying why
    assert metrics["min_dscr"] is None
    assert any("DSCR" in note for note in data["notes"])
    assert data["weather"]["source"] == "pvgis-tmy"
    assert data["weather"]["is_synthetic"] is False


def test_json_metrics_agree_with_numpy_financial_on_its_own_cash_flow(
    valid_result: dict,
) -> None:
    flows = np.array(valid_result["cashflow"]["project_fcf"])
    assert_allclose(npf.npv(0.06, flows), valid_result["metrics"]["npv"], rtol=1e-9)
    assert_allclose(npf.irr(flows), valid_result["metrics"]["project_irr"], rtol=1e-7)
    by_year = valid_result["energy"]["by_year_kwh"]
    assert valid_result["metrics"]["annual_energy_kwh"] == by_year[0]
    # linear degradation 0.5 %/yr: year 3 = year 1 x (1 - 2 x 0.005)
    assert_allclose(by_year[2], by_year[0] * 0.99, rtol=1e-12)


def test_out_writes_four_files_and_json_equals_stdout(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", str(VALID), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "cashflow.csv",
        "hourly.csv",
        "monthly.csv",
        "result.json",
    ]
    assert json.loads((out / "result.json").read_text()) == json.loads(result.stdout)
    hourly = pd.read_csv(out / "hourly.csv", index_col=0)
    assert len(hourly) == 8760
    monthly = pd.read_csv(out / "monthly.csv", index_col=0)
    assert list(monthly.index) == list(range(1, 13))
    cashflow = pd.read_csv(out / "cashflow.csv", index_col=0)
    assert list(cashflow.columns) == [str(y) for y in range(21)]
    assert "revenue [EUR]" in cashflow.index


def test_set_override_scales_energy_with_capacity(valid_result: dict) -> None:
    doubled = _run_json(str(VALID), "--set", "system.dc_capacity_kwp=200")
    # same DC/AC ratio, same weather: energy scales exactly with capacity
    assert_allclose(
        doubled["metrics"]["annual_energy_kwh"],
        2 * valid_result["metrics"]["annual_energy_kwh"],
        rtol=1e-9,
    )
    assert doubled["inputs"]["system"]["dc_capacity_kwp"] == 200


def test_set_override_is_validated_like_a_file() -> None:
    result = CliRunner().invoke(
        app, ["run", str(VALID), "--set", "system.losses.soiling=12"]
    )
    assert result.exit_code == 1
    assert "--set system.losses.soiling=12" in result.stderr
    assert '"12%"' in result.stderr


def test_birjand_example_summary_on_the_terminal() -> None:
    result = CliRunner().invoke(app, ["run", str(BIRJAND)])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for fragment in ("Birjand", "Specific yield", "NPV at", "Project IRR", "LCOE"):
        assert fragment in text
    assert "SYNTHETIC" in text


def test_birjand_specific_yield_lies_in_the_sourced_range() -> None:
    data = _run_json(str(BIRJAND))
    # Sourced range for fixed tilt in the province: about 1,750-2,050 kWh/kWp
    # (Khusf + Sarbisheh 16 MW projected 1,940; SATBA 5 kW example 1,895).
    assert 1750 <= data["metrics"]["specific_yield_kwh_per_kwp"] <= 2050


def test_out_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["run", str(VALID), "--out", str(blocker)])
    assert result.exit_code == 1
    assert "not a directory" in result.stderr
    assert blocker.read_text() == "x"


def test_missing_scenario_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["run", "no-such-file.yaml"])
    assert result.exit_code == 2


def test_schema_command_matches_the_shipped_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"site", "system", "finance", "extends"} <= set(schema["properties"])
    shipped = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    assert schema == shipped, (
        "regenerate: solarcase schema --out docs/scenario.schema.json"
    )


def test_version_option() -> None:
    from solarcase import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_validate_accepts_every_shipped_example() -> None:
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    assert len(files) >= 3
    result = CliRunner().invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.stderr
    oks = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert len(oks) == len(files)
