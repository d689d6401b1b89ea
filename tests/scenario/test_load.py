"""Loading scenario files: extends, relative paths, overrides, error locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from solarcase.errors import ScenarioError
from solarcase.scenario.load import (
    deep_merge,
    load_scenario,
    located,
    parse_override,
    resolve_scenario,
)

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))

BASE = """\
schema_version: 1
site:
  name: Base
  latitude: 45.0
  longitude: 8.0
  weather:
    file: weather/w.csv
system:
  dc_capacity_kwp: 100
  dc_ac_ratio: 1.2
  mount: {type: fixed, surface_tilt: 30, gcr: 0.4}
  losses: {soiling: "3%"}
  degradation: {rate: "0.5%", mode: linear}
finance:
  currency: EUR
  analysis_years: 20
  inflation_rate: "2%"
  discount_rate_nominal: "6%"
  capex: {turnkey: {per_kwp: 800}}
  revenue: {scheme: escalating_tariff, price_per_kwh: 0.1, escalation_rate: 0}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _cause(err: pytest.ExceptionInfo[ScenarioError]) -> list[dict]:
    cause = err.value.__cause__
    assert isinstance(cause, ValidationError)
    return cause.errors(include_url=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_shipped_example_loads(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.schema_version == 1
    assert scenario.finance.currency == "IRR"


def test_variant_overrides_one_nested_key_and_keeps_the_rest(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(
        tmp_path / "v.yaml",
        "extends: base.yaml\nname: V\nsystem:\n  losses: {mismatch: '1%'}\n",
    )
    scenario = load_scenario(variant)
    assert scenario.system.losses.mismatch == 0.01
    assert scenario.system.losses.soiling == 0.03  # from the base
    assert scenario.system.dc_capacity_kwp == 100
    assert scenario.name == "V"


def test_relative_paths_resolve_against_the_file_that_states_them(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "common" / "base.yaml", BASE)
    variant = _write(
        tmp_path / "variants" / "v.yaml", "extends: ../common/base.yaml\nname: V\n"
    )
    scenario = load_scenario(variant)
    assert scenario.site.weather.file == (tmp_path / "common" / "weather" / "w.csv")


def test_changing_the_kind_of_a_section_replaces_it(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(
        tmp_path / "v.yaml",
        "extends: base.yaml\nname: T\nsystem:\n  mount: {type: single_axis}\n",
    )
    # the base's fixed-tilt keys (surface_tilt) must not leak into the tracker
    mount = load_scenario(variant).system.mount
    assert mount.type == "single_axis" and mount.gcr == 0.35


def test_extends_cycle_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path / "a.yaml", "extends: b.yaml\nname: A\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="loops") as err:
        load_scenario(tmp_path / "a.yaml")
    assert "a.yaml -> " in str(err.value) and "b.yaml" in str(err.value)


def test_missing_base_names_the_line_of_extends(tmp_path: Path) -> None:
    path = _write(tmp_path / "v.yaml", "name: V\nextends: gone.yaml\n")
    with pytest.raises(ScenarioError, match=r"v\.yaml:2: extends: base file 'gone"):
        load_scenario(path)


def test_error_lines_point_at_the_file_that_stated_the_bad_value(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "base.yaml", BASE.replace("surface_tilt: 30", "surface_tilt: 95"))
    variant = _write(tmp_path / "v.yaml", "extends: base.yaml\nname: V\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(variant)
    assert "base.yaml:11: system.mount.surface_tilt: must be <= 90, got 95" in str(
        err.value
    )
    (error,) = _cause(err)
    assert error["loc"] == ("system", "mount", "fixed", "surface_tilt")
    assert error["type"] == "less_than_equal"


def test_fraction_accepts_percent_text_and_rejects_a_bare_percent(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "base.yaml", BASE)
    good = _write(
        tmp_path / "g.yaml",
        "extends: base.yaml\nname: G\nsystem: {losses: {soiling: '12%'}}\n",
    )
    assert load_scenario(good).system.losses.soiling == pytest.approx(0.12)
    bad = _write(
        tmp_path / "b.yaml",
        "extends: base.yaml\nname: B\nsystem: {losses: {soiling: 12}}\n",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert 'write 0.12 or "12%"' in str(err.value)
    (error,) = _cause(err)
    assert error["loc"] == ("system", "losses", "soiling")
    assert error["type"] == "value_error"


def test_overrides_apply_last_and_record_their_origin(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(tmp_path / "v.yaml", "extends: base.yaml\nname: V\n")
    resolved = resolve_scenario(
        variant, overrides=["system.dc_capacity_kwp=250", "finance.inflation_rate=3%"]
    )
    assert resolved.scenario.system.dc_capacity_kwp == 250
    assert resolved.scenario.finance.inflation_rate == pytest.approx(0.03)
    origin = resolved.origins[("system", "dc_capacity_kwp")]
    assert str(origin) == "--set system.dc_capacity_kwp=250"
    assert [p.name for p in resolved.chain] == ["v.yaml", "base.yaml"]


def test_located_adds_where_a_key_was_stated_to_later_errors(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(tmp_path / "v.yaml", "extends: base.yaml\nname: V\n")
    resolved = resolve_scenario(variant, overrides=["system.dc_capacity_kwp=250"])
    original = ScenarioError(
        "system.mount.surface_tilt: too steep\n"
        "system.dc_capacity_kwp: too large\nthe weather is too short"
    )
    with pytest.raises(ScenarioError) as err, located(resolved):
        raise original
    assert str(err.value).splitlines() == [
        f"{tmp_path / 'base.yaml'}:11: system.mount.surface_tilt: too steep",
        "--set system.dc_capacity_kwp=250: system.dc_capacity_kwp: too large",
        f"{variant}: the weather is too short",
    ]
    assert err.value.__cause__ is original


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("nokey", "expected key.path=value"),
        ("a..b=1", "expected key.path=value"),
        ("x=[1, 2", "not valid YAML"),
    ],
)
def test_malformed_overrides_are_errors(text: str, fragment: str) -> None:
    with pytest.raises(ScenarioError, match=fragment.replace(".", r"\.")):
        parse_override(text)


def test_deep_merge_leaves_its_inputs_alone() -> None:
    base = {"a": {"x": 1, "y": 2}}
    overlay = {"a": {"y": 3}}
    assert deep_merge(base, overlay) == {"a": {"x": 1, "y": 3}}
    assert base == {"a": {"x": 1, "y": 2}} and overlay == {"a": {"y": 3}}


def test_unknown_key_suggests_the_nearest_allowed_one(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    path = _write(
        tmp_path / "v.yaml",
        "extends: base.yaml\nname: V\nsystem:\n  mount: {type: fixed, tilt: 20}\n",
    )
    with pytest.raises(ScenarioError, match="did you mean 'surface_tilt'") as err:
        load_scenario(path)
    assert "v.yaml:4: system.mount.tilt: unknown key" in str(err.value)
    types = {e["type"] for e in _cause(err)}
    assert "extra_forbidden" in types


def test_variant_switches_a_weather_source_the_base_left_implicit(
    tmp_path: Path,
) -> None:
    # the base says only `weather: {file: ...}` (source "file" by default)
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(
        tmp_path / "v.yaml",
        "extends: base.yaml\nname: V\nsite:\n  weather: {source: synthetic}\n",
    )
    weather = load_scenario(variant).site.weather
    assert weather.source == "synthetic" and weather.seed == 1


def test_set_of_a_kind_starts_that_section_afresh(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(tmp_path / "v.yaml", "extends: base.yaml\nname: V\n")
    scenario = load_scenario(variant, overrides=["system.mount.type=single_axis"])
    assert scenario.system.mount.type == "single_axis"
    assert scenario.system.mount.gcr == 0.35  # the tracker's default, not 0.4


def test_invalid_kind_via_set_names_the_override_and_the_value(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "base.yaml", BASE)
    variant = _write(tmp_path / "v.yaml", "extends: base.yaml\nname: V\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(variant, overrides=["system.mount.type=carousel"])
    assert "--set system.mount.type=carousel" in str(err.value)
    assert "got 'carousel'" in str(err.value)
