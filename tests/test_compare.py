"""Comparing scenarios: the input diff lists exactly what differs; metrics match run."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solarcase.cli import app
from solarcase.compare import flatten, input_diff, run_many

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data" / "scenarios"
VALID = DATA / "valid.yaml"


def _variant(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    base = DATA / "base.yaml"
    path.write_text(f"extends: {base}\nname: {name}\n{body}", encoding="utf-8")
    return path


def _keys(items: list[tuple[Path, tuple[str, ...]]]) -> list[str]:
    comparison = run_many(items)
    return [key for key, _ in input_diff(comparison.items)]


def test_one_key_differs(tmp_path: Path) -> None:
    other = _variant(tmp_path, "B", "system:\n  dc_capacity_kwp: 150\n")
    assert _keys([(VALID, ()), (other, ())]) == ["system.dc_capacity_kwp"]


def test_one_nested_key_differs(tmp_path: Path) -> None:
    other = _variant(tmp_path, "B", "system:\n  losses: {soiling: '4%'}\n")
    assert _keys([(VALID, ()), (other, ())]) == ["system.losses.soiling"]


def test_difference_through_a_chain_of_extends(tmp_path: Path) -> None:
    middle = _variant(tmp_path, "M", "finance:\n  inflation_rate: '3%'\n")
    leaf = tmp_path / "leaf.yaml"
    leaf.write_text(f"extends: {middle.name}\nname: Leaf\n", encoding="utf-8")
    assert _keys([(VALID, ()), (leaf, ())]) == ["finance.inflation_rate"]


def test_difference_through_set(tmp_path: Path) -> None:
    keys = _keys([(VALID, ()), (VALID, ("finance.revenue.price_per_kwh=0.12",))])
    assert keys == ["finance.revenue.price_per_kwh"]


def test_equal_values_written_differently_are_not_differences(tmp_path: Path) -> None:
    # "0.5%" in the base; 0.005 here; and a default stated explicitly
    other = _variant(
        tmp_path,
        "B",
        "system:\n  degradation: {rate: 0.005, mode: linear}\n"
        "  transposition_model: perez\n",
    )
    assert _keys([(VALID, ()), (other, ())]) == []


def test_a_section_present_in_one_scenario_only(tmp_path: Path) -> None:
    other = _variant(
        tmp_path,
        "B",
        "finance:\n  debt: {type: annuity, capex_fraction: '60%', "
        "interest_rate: '5%', tenor_years: 10}\n",
    )
    comparison = run_many([(VALID, ()), (other, ())])
    rows = dict(input_diff(comparison.items))
    assert rows and all(k.startswith("finance.debt") for k in rows)
    assert rows["finance.debt.tenor_years"] == ["(not set)", 10]


def test_identical_systems_on_the_same_weather_are_simulated_once(
    tmp_path: Path,
) -> None:
    cheaper = _variant(tmp_path, "B", "finance:\n  capex: {turnkey: {per_kwp: 700}}\n")
    bigger = _variant(tmp_path, "C", "system:\n  dc_capacity_kwp: 300\n")
    comparison = run_many([(VALID, ()), (cheaper, ()), (bigger, ())])
    assert comparison.simulations == 2
    first, second = comparison.items[0].result, comparison.items[1].result
    assert first.energy is second.energy


def test_flatten_keeps_lists_whole() -> None:
    assert flatten({"a": {"b": [1, {"c": 2}]}}) == {"a.b": [1, {"c": 2}]}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_compare_cli_json_matches_run_json_and_writes_files(tmp_path: Path) -> None:
    other = _variant(
        tmp_path, "Cheaper", "finance:\n  capex: {turnkey: {per_kwp: 700}}\n"
    )
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app, ["compare", str(VALID), str(other), "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for path, item in zip((VALID, other), data["scenarios"], strict=True):
        single = json.loads(runner.invoke(app, ["run", str(path), "--json"]).stdout)
        assert item["metrics"] == {k: single["metrics"][k] for k in item["metrics"]}
    assert [d["key"] for d in data["input_diff"]] == ["finance.capex.turnkey.per_kwp"]
    delta = data["deltas"][0]["metrics"]["npv"]
    npv = [s["metrics"]["npv"] for s in data["scenarios"]]
    assert delta["absolute"] == pytest.approx(npv[1] - npv[0])
    assert delta["relative"] == pytest.approx((npv[1] - npv[0]) / abs(npv[0]))
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "comparison.csv",
        "comparison.json",
        "cumulative_cash_flow.png",
        "input_diff.csv",
        "metrics.png",
    ]
    for png in ("cumulative_cash_flow.png", "metrics.png"):
        data_png = (out / png).read_bytes()
        assert len(data_png) > 10_000
        assert _png_size(data_png) == (900, 500)


def test_compare_terminal_shows_both_tables() -> None:
    result = CliRunner().invoke(
        app, ["compare", str(VALID), "--set", "system.mount.surface_tilt=20"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Outputs" in result.stdout and "Inputs that differ" in result.stdout
    assert "system.mount.surface_tilt" in result.stdout
    assert "(what-if)" in result.stdout


def test_one_broken_file_among_three_fails_naming_it(tmp_path: Path) -> None:
    broken = _variant(tmp_path, "Broken", "system:\n  dc_capacity_kwp: -1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["compare", str(VALID), str(broken), str(VALID), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "Broken.yaml" in result.stderr and "dc_capacity_kwp" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_single_file_without_set_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["compare", str(VALID)])
    assert result.exit_code == 1
    assert "at least two" in result.stderr


def test_sites_that_differ_do_not_share_weather_or_energy(tmp_path: Path) -> None:
    birjand = ROOT / "scenarios" / "birjand-1mw.yaml"
    lower = tmp_path / "low.yaml"
    lower.write_text(
        f"extends: {birjand}\nsite:\n  weather: {{source: synthetic}}\n",
        encoding="utf-8",
    )
    higher = tmp_path / "high.yaml"
    higher.write_text(f"extends: {lower}\nsite:\n  altitude: 2500\n", encoding="utf-8")
    comparison = run_many([(lower, ()), (higher, ())])
    assert comparison.simulations == 2
    runner = CliRunner()
    for path, item in zip((lower, higher), comparison.items, strict=True):
        single = json.loads(runner.invoke(app, ["run", str(path), "--json"]).stdout)
        assert item.metrics == {k: single["metrics"][k] for k in item.metrics}


def test_names_with_brackets_are_shown_verbatim() -> None:
    name = "Plant [rooftop] A [/] B"
    result = CliRunner().invoke(app, ["compare", str(VALID), "--set", f"name={name}"])
    assert result.exit_code == 0, result.stderr
    assert "[rooftop]" in result.stdout and "[/]" in result.stdout


BIRJAND = ROOT / "scenarios" / "birjand-1mw.yaml"


def test_scenarios_in_different_currencies_need_a_common_one() -> None:
    result = CliRunner().invoke(app, ["compare", str(BIRJAND), str(VALID)])
    assert result.exit_code == 1
    assert "different currencies" in result.stderr and "--currency" in result.stderr


def test_a_scenario_without_a_rate_path_to_the_currency_is_named(tmp_path) -> None:
    result = CliRunner().invoke(
        app, ["compare", str(BIRJAND), str(VALID), "--currency", "USD"]
    )
    assert result.exit_code == 1
    assert "valid.yaml" in result.stderr
    assert "finance.exchange_rates.USD" in result.stderr


def test_common_currency_equals_each_scenarios_own_reference_metrics() -> None:
    """Birjand states USD as its reference currency: compare --currency USD must
    give exactly the reference metrics of run --json, and say the rates used."""
    runner = CliRunner()
    own = json.loads(runner.invoke(app, ["run", str(BIRJAND), "--json"]).stdout)
    result = runner.invoke(
        app,
        [
            "compare",
            str(BIRJAND),
            "--set",
            "system.dc_capacity_kwp=500",
            "--json",
            "--currency",
            "usd",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["currency"] == "USD"
    first = data["scenarios"][0]
    for key, value in own["reference"]["metrics"].items():
        if key in first["metrics"]:
            assert first["metrics"][key] == pytest.approx(value, rel=1e-12), key
    assert first["metrics"]["annual_energy_kwh"] == own["metrics"]["annual_energy_kwh"]
    assert "IRR per USD: 720,000 in year 0" in first["rates"]
