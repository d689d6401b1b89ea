"""Batch items: the sites CSV, input expansion, keys, seeds, the weather folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solarcase.batch_items import collect_items, expand_inputs, item_seed
from solarcase.batch_sites import find_weather, read_sites_csv, slug
from solarcase.errors import ScenarioError, WeatherDataError
from solarcase.scenario.load import resolve_scenario


def test_each_column_becomes_the_override_that_set_would_make(write_sites) -> None:
    sites = write_sites(
        "# candidate sites",
        "name,latitude,longitude,altitude,timezone,albedo,weather_file,"
        "system.dc_capacity_kwp,scenario_name,source",
        "",
        'Qaen,33.717,59.183,1440,+03:30,25%,w/q.csv,500,Qaen plan,"a, b"',
        "Yes,33,59,,3.5,,,,,",
    )
    table = read_sites_csv(sites)
    first, second = table.rows
    assert first.line == 4 and second.line == 5  # comment and blank lines count
    overrides = dict(first.overrides)
    assert overrides["name"] == 'site.name="Qaen"'
    assert overrides["latitude"] == "site.latitude=33.717"
    assert overrides["timezone"] == 'site.timezone="+03:30"'  # not YAML base 60
    assert overrides["albedo"] == "site.albedo=25%"
    assert overrides["system.dc_capacity_kwp"] == "system.dc_capacity_kwp=500"
    assert overrides["scenario_name"] == 'name="Qaen plan"'
    weather = json.loads(overrides["weather_file"].split("=", 1)[1])
    assert weather == {"source": "file", "file": str(sites.parent / "w" / "q.csv")}
    assert first.weather_set and not second.weather_set
    # a name that YAML would read as true stays a name; a number of hours stays one
    assert dict(second.overrides)["name"] == 'site.name="Yes"'
    assert dict(second.overrides)["timezone"] == "site.timezone=3.5"
    assert "altitude" not in dict(second.overrides)  # empty: keep the scenario's
    assert "source" not in table.columns and (first.latitude, first.longitude) == (
        33.717,
        59.183,
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["name,latitud", "A,1"], "sites.csv:1: unknown column 'latitud'"),
        (["name,name", "A,B"], "sites.csv:1: column 'name' appears twice"),
        (["name,", "A,1"], "sites.csv:1: column 2 has no name"),
        (["name,latitude", "A,1,2"], "sites.csv:2: expected 2 fields"),
        (["name,latitude"], "sites.csv: the sites CSV has no data rows"),
        (["system..x", "1"], "unknown column 'system..x'"),
        (
            ["name,weather_file,weather_source", "A,a.csv,synthetic"],
            "sites.csv:2: give weather_file or weather_source, not both",
        ),
    ],
)
def test_a_malformed_sites_csv_names_file_line_and_fix(
    write_sites, lines: list[str], expected: str
) -> None:
    with pytest.raises(ScenarioError, match=expected.replace(".", r"\.")):
        read_sites_csv(write_sites(*lines))


def test_inputs_expand_files_globs_and_directories_once_each(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yaml", "c.yml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    found = expand_inputs([str(tmp_path / "*.yaml"), tmp_path / "a.yaml", tmp_path])
    assert [p.name for p in found] == ["a.yaml", "b.yaml", "c.yml"]
    with pytest.raises(ScenarioError, match="no scenario file matches"):
        expand_inputs([str(tmp_path / "*.json")])
    with pytest.raises(ScenarioError, match="missing.yaml: scenario file not found"):
        expand_inputs([tmp_path / "missing.yaml"])


def test_every_input_file_runs_once_per_row(tmp_path: Path, write_sites) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    sites = write_sites("name,latitude", "P,1", "Q,2", "R,3")
    items = collect_items([tmp_path / "a.yaml", tmp_path / "b.yaml"], sites=sites)
    assert [i.item_id for i in items] == [
        "0001-a-p",
        "0002-a-q",
        "0003-a-r",
        "0004-b-p",
        "0005-b-q",
        "0006-b-r",
    ]
    assert len({i.key for i in items}) == 6
    assert items[1].label == f"{sites}:3 (Q)"


def test_keys_identify_the_inputs_not_the_position(
    base: Path, write_sites, tmp_path: Path
) -> None:
    header = "name,latitude,longitude"
    rows = ["P,32.9,59.2", "Q,33.1,59.3"]
    forward = collect_items([base], sites=write_sites(header, *rows, name="f.csv"))
    backward = collect_items(
        [base], sites=write_sites(header, *rows[::-1], name="b.csv")
    )
    assert {i.site_name: i.key for i in forward} == {
        i.site_name: i.key for i in backward
    }
    changed = collect_items(
        [base], sites=write_sites(header, "P,32.9,59.25", rows[1], name="c.csv")
    )
    assert changed[0].key != forward[0].key and changed[1].key == forward[1].key
    with_set = collect_items(
        [base], sites=write_sites(header, *rows), overrides=["a=1"]
    )
    assert with_set[0].key != forward[0].key


def test_a_row_overrides_what_set_gives_every_item(base: Path, write_sites) -> None:
    sites = write_sites("name,system.dc_capacity_kwp", "P,250", "Q,")
    items = collect_items([base], sites=sites, overrides=["system.dc_capacity_kwp=400"])
    sizes = [
        resolve_scenario(
            i.scenario_file, overrides=i.overrides
        ).scenario.system.dc_capacity_kwp
        for i in items
    ]
    assert sizes == [250, 400]  # the row wins; an empty cell keeps --set's value
    names = [
        resolve_scenario(i.scenario_file, overrides=i.overrides).scenario.name
        for i in items
    ]
    assert names == ["plant @ P", "plant @ Q"]


def test_the_weather_folder_is_searched_by_site_name(
    base: Path, write_sites, weather_dir: Path
) -> None:
    index = {slug(p.stem, limit=200): p for p in weather_dir.iterdir()}
    assert find_weather(index, "Birjand") == weather_dir / "birjand-synthetic.csv"
    assert find_weather(index, "Qaen") is None
    sites = write_sites(
        "name,latitude,longitude,weather_source",
        "Birjand,32.9,59.3,",
        "Qaen,33.7,59.2,",
        "Tabas,33.6,57.0,synthetic",
    )
    items = collect_items([base], sites=sites, weather_dir=weather_dir)
    assert [i.weather_via for i in items] == ["weather-dir", "scenario", "row"]
    assert str(weather_dir / "birjand-synthetic.csv") in items[0].overrides[-1]


def test_item_seeds_depend_on_the_site_and_batch_seed_only() -> None:
    a = item_seed(5, ["Birjand", "32.89", "59.28"])
    assert a == item_seed(5, ["Birjand", "32.89", "59.28"])
    assert a != item_seed(5, ["Qaen", "33.72", "59.18"])
    assert a != item_seed(6, ["Birjand", "32.89", "59.28"])
    assert 0 <= a < 2**32


@given(st.text(max_size=80))
def test_slugs_are_safe_file_names(text: str) -> None:
    name = slug(text)
    assert 0 < len(name) <= 48
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not name.startswith("-") and not name.endswith("-")


def test_a_normals_table_without_coordinates_stops_the_batch_before_it_runs(
    base: Path, tmp_path: Path
) -> None:
    header = "town,month,temp_mean_c,temp_max_c,temp_min_c,ghi_kwh_m2_day,wind_m_s"
    rows = [f"Nowhere,{m},10,18,3,5.0,2.5" for m in range(1, 13)]
    table = tmp_path / "normals.csv"
    table.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(WeatherDataError, match="no town has lat and lon"):
        collect_items([base], normals=table)
    table.write_text("\n".join([header, *rows[:11]]) + "\n", encoding="utf-8")
    with pytest.raises(WeatherDataError, match="no row for month\\(s\\) 12"):
        collect_items([base], normals=table)
