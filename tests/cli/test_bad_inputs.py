"""The corpus of broken scenarios: each fails with exit 1, one clear message, no
traceback, and no output files (README in tests/data/scenarios/bad lists them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from solarcase.cli import app

BAD = Path(__file__).parents[1] / "data" / "scenarios" / "bad"

#: file -> fragments the message must contain: where (line or key) and the fix.
EXPECTED: dict[str, tuple[str, ...]] = {
    "yaml_syntax.yaml": ("yaml_syntax.yaml:5:14", "YAML syntax error", "expected ','"),
    "unknown_key.yaml": ("unknown_key.yaml:3", "sytem", "did you mean 'system'"),
    "wrong_type.yaml": ("wrong_type.yaml:4", "dc_capacity_kwp", "must be a number"),
    "bare_percent.yaml": ("bare_percent.yaml:5", "soiling", 'write 0.12 or "12%"'),
    "negative_capacity.yaml": ("negative_capacity.yaml:4", "must be > 0", "-100"),
    "tilt_120.yaml": ("tilt_120.yaml:4", "surface_tilt", "must be <= 90", "120"),
    "missing_weather_file.yaml": (
        "site.weather.file",
        "does-not-exist.csv",
        "not found",
    ),
    "corrupt_weather.yaml": ("site.weather.file", "corrupt.epw", "binary"),
    "truncated_weather.yaml": ("truncated_pvgis.csv", "truncated", "download it again"),
    "other_continent.yaml": (
        "45.000 N, 8.000 E",
        "32.891 N",
        "km apart",
        "max_distance_km",
    ),
    "cycle_a.yaml": ("extends", "loops", "cycle_b.yaml", "remove the 'extends'"),
    "extends_missing.yaml": (
        "extends_missing.yaml:1",
        "no-such-base.yaml",
        "not found",
    ),
    "empty.yaml": ("empty.yaml", "the file is empty", "schema_version"),
    "not_mapping.yaml": ("not_mapping.yaml:1", "must be a mapping", "got a list"),
    "duplicate_key.yaml": ("duplicate_key.yaml:5", "stated twice", "line 4"),
    "both_discount_rates.yaml": ("discount_rate_nominal or discount_rate_real", "both"),
    "contract_too_long.yaml": ("contract_too_long.yaml:4", "contract_years 30", "20"),
    "tenor_too_long.yaml": ("tenor_too_long.yaml:4", "tenor_years 25", "shorten"),
    "ac_and_ratio.yaml": ("ac_and_ratio.yaml:3", "exactly one of ac_capacity_kw"),
    "schema_version.yaml": ("schema_version.yaml:2", "schema_version", "got 2"),
    "bad_timezone.yaml": ("bad_timezone.yaml:4", "Mars/Olympus", '"+03:30"'),
    "unknown_module.yaml": ("unknown_module.yaml:4", "Acme Sunmaker 9000", "CEC"),
    "percent_words.yaml": ("percent_words.yaml:4", "inflation_rate", '"12%"'),
    "degradation_mode_missing.yaml": ("degradation.mode", "'linear' or 'compound'"),
}


def test_corpus_lists_every_broken_file() -> None:
    stated = {p.name for p in BAD.glob("*.yaml")} - {"cycle_b.yaml"}
    assert stated == set(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_scenario_fails_cleanly(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(BAD / name), "--out", str(out)])
    assert result.exit_code == 1, result.output
    message = " ".join(result.stderr.split())
    for fragment in EXPECTED[name]:
        assert fragment in message, message
    assert "Traceback" not in result.output + result.stderr
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(
    "name", ["tilt_120.yaml", "missing_weather_file.yaml", "unknown_module.yaml"]
)
def test_validate_reports_the_same_problem(name: str) -> None:
    result = CliRunner().invoke(app, ["validate", str(BAD / name)])
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert EXPECTED[name][0] in message


def test_validate_keeps_going_past_a_broken_file() -> None:
    good = BAD.parent / "valid.yaml"
    result = CliRunner().invoke(
        app, ["validate", str(BAD / "tilt_120.yaml"), str(good)]
    )
    assert result.exit_code == 1
    assert "ok" in result.stdout and "valid.yaml" in result.stdout
    assert "1 of 2 file(s) failed" in result.stderr


def test_validate_checks_the_keys_a_risk_section_moves(tmp_path: Path) -> None:
    risky = Path(__file__).parents[2] / "scenarios" / "birjand-1mw-risk.yaml"
    path = tmp_path / "typo.yaml"
    path.write_text(
        f"extends: {risky}\nrisk:\n  variables:\n    typo:\n"
        "      keys: [finance.inflaton_rate]\n      apply: value\n"
        "      distribution: {type: uniform, low: 0.3, high: 0.5}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(path), "--skip-weather"])
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "typo.yaml:5: risk.variables.typo.keys" in message
    assert "did you mean 'inflation_rate'" in message
