"""run_batch behaviour in one process: resume rules, item folders, weather choices,
seeds, failure isolation and bounded caches."""

from __future__ import annotations

import json
import math
import os
import stat
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from solarcase import batch_exec, batch_worker
from solarcase.batch import collect_items, run_batch
from solarcase.batch_output import RecordStore
from solarcase.batch_tables import METRICS, results_frame
from solarcase.errors import SolarcaseWarning
from solarcase.pipeline import run_scenario
from solarcase.scenario.load import load_scenario
from solarcase.weather.checks import check_weather
from solarcase.weather.native import read_native, write_native
from solarcase.weather.normals import read_normals_csv
from solarcase.weather.synth import synthesize_year


def _run(base: Path, sites: Path, out: Path, **options: object) -> pd.DataFrame:
    items = collect_items([base], sites=sites, **options.pop("collect", {}))
    summary = run_batch(items, out, workers=1, chart=False, **options)
    frame = pd.read_csv(out / "results.csv")
    frame.attrs["summary"] = summary
    return frame


@pytest.fixture
def two_files(write_sites, weather_dir: Path) -> Path:
    return write_sites(
        "name,latitude,longitude,altitude,weather_file",
        f"B1,32.9,59.2,1491,{weather_dir / 'birjand-synthetic.csv'}",
        f"B2,32.7,59.4,1400,{weather_dir / 'birjand-synthetic.csv'}",
        f"T1,33.6,57.0,711,{weather_dir / 'tabas-synthetic.csv'}",
    )


def test_resume_recomputes_only_what_changed(
    base: Path, two_files: Path, weather_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _run(base, two_files, out)
    assert first.attrs["summary"].computed == 3
    again = _run(base, two_files, out)
    assert again.attrs["summary"].reused == 3 and again.attrs["summary"].computed == 0
    pd.testing.assert_frame_equal(
        again[["item_id", *METRICS]], first[["item_id", *METRICS]]
    )
    # a copy of Tabas's file with one value changed: only T1 depends on it
    tabas = weather_dir / "tabas-synthetic.csv"
    edited = tmp_path / "tabas.csv"
    edited.write_bytes(tabas.read_bytes())
    sites = two_files.read_text(encoding="utf-8").replace(str(tabas), str(edited))
    two_files.write_text(sites, encoding="utf-8")
    assert _run(base, two_files, out).attrs["summary"].computed == 1  # new path
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("# description: ", "# description: edited ", 1))
    third = _run(base, two_files, out)  # same path, different bytes
    assert third.attrs["summary"].computed == 1 and third.attrs["summary"].reused == 2
    # an edit of the scenario file recomputes everything
    base.write_text(base.read_text() + "description: edited\n", encoding="utf-8")
    assert _run(base, two_files, out).attrs["summary"].computed == 3


def test_failed_items_run_again(base: Path, write_sites, tmp_path: Path) -> None:
    sites = write_sites("name,latitude,longitude", "far,10.0,10.0")
    out = tmp_path / "out"
    first = _run(base, sites, out)
    assert first["status"].tolist() == ["failed"]
    assert "km from the site" in first["error"].iloc[0]
    again = _run(base, sites, out)
    assert again.attrs["summary"].failed == 1 and again.attrs["summary"].reused == 0


def test_item_folders_hold_the_same_numbers(
    base: Path, two_files: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    table = _run(base, two_files, out, item_outputs=True)
    folder = out / "items" / "0001-plant-b1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "cashflow.csv",
        "monthly.csv",
        "result.json",
    ]  # no hourly series unless asked
    metrics = json.loads((folder / "result.json").read_text())["metrics"]
    for name in METRICS:
        value = table.loc[0, name]
        assert (metrics[name] is None) == (
            isinstance(value, float) and math.isnan(value)
        )
        if metrics[name] is not None:
            assert_allclose(metrics[name], value, rtol=1e-12)
    # asking for hourly files later recomputes the items that lack them
    hourly = _run(base, two_files, out, keep_hourly=True)
    assert hourly.attrs["summary"].computed == 3
    assert len(pd.read_csv(folder / "hourly.csv")) == 8760


def test_an_unexpected_error_is_isolated_and_logged(
    base: Path, two_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch_worker.run_scenario

    def flaky(scenario, *args, **kwargs):  # type: ignore[no-untyped-def]
        if scenario.site.name == "B2":
            raise RuntimeError("simulated bug")
        return real(scenario, *args, **kwargs)

    monkeypatch.setattr(batch_worker, "run_scenario", flaky)
    out = tmp_path / "out"
    table = _run(base, two_files, out)
    assert table["status"].tolist() == ["ok", "error", "ok"]
    assert table.loc[1, "error"] == "RuntimeError: simulated bug"
    log = (out / "batch.log").read_text(encoding="utf-8")
    assert "error 0002-plant-b2: RuntimeError: simulated bug" in log
    assert "Traceback (most recent call last)" in log and "flaky" in log


def _normals_table(tmp_path: Path) -> Path:
    text = (resources.files("solarcase") / "data" / "climate-normals.csv").read_text(
        encoding="utf-8"
    )
    lines = text.splitlines()
    kept = [lines[0], *(x for x in lines[1:] if x.startswith(("Birjand,", "Tabas,")))]
    path = tmp_path / "normals.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_normals_table_gives_the_nearest_towns_synthetic_year(
    base: Path, write_sites, tmp_path: Path
) -> None:
    normals = _normals_table(tmp_path)
    sites = write_sites("name,latitude,longitude,altitude", "near Tabas,33.5,57.2,800")
    table = _run(base, sites, tmp_path / "out", collect={"normals": normals})
    row = table.iloc[0]
    # haversine from (33.5, 57.2) to Tabas (33.6036, 56.9508), R = 6371.0088 km
    phi1, phi2 = math.radians(33.5), math.radians(33.6036)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1)
        * math.cos(phi2)
        * math.sin(math.radians(56.9508 - 57.2) / 2) ** 2
    )
    distance_km = 2 * 6371.0088 * math.asin(math.sqrt(h))  # 25.4 km
    assert row["weather_via"] == "normals"
    assert row["weather_note"] == (
        f"synthetic from the normals of Tabas ({distance_km:.0f} km)"
    )
    assert row["weather_seed"] == 1
    # the same year built by hand, and the same appraisal
    scenario = load_scenario(
        base,
        overrides=[
            'site.name="near Tabas"',
            "site.latitude=33.5",
            "site.longitude=57.2",
            "site.altitude=800",
        ],
    )
    with pytest.warns(SolarcaseWarning, match="no UTC offset for 'Tabas'"):
        frame, meta = synthesize_year(
            read_normals_csv(normals, town="Tabas"),
            seed=1,
            latitude=33.5,
            longitude=57.2,
            altitude=800.0,
        )
    assert "no UTC offset for 'Tabas'" in row["warnings"]  # recorded, not printed
    frame, meta = check_weather(frame, meta, where="x")
    expected = run_scenario(scenario, frame, meta).headline()
    assert_allclose(row["npv"], expected["npv"], rtol=1e-12)
    assert_allclose(row["annual_energy_kwh"], expected["annual_energy_kwh"], rtol=1e-12)


def test_batch_seed_gives_each_site_its_own_stream_whatever_the_order(
    base: Path, write_sites, tmp_path: Path
) -> None:
    header = "name,latitude,longitude,weather_source"
    rows = ["P,32.85,59.25,synthetic", "Q,32.95,59.15,synthetic"]
    forward = _run(
        base, write_sites(header, *rows, name="f.csv"), tmp_path / "f",
        collect={"seed": 11},
    )  # fmt: skip
    backward = _run(
        base, write_sites(header, *rows[::-1], name="b.csv"), tmp_path / "b",
        collect={"seed": 11},
    )  # fmt: skip
    by_site = backward.set_index("site_name")
    for _, row in forward.iterrows():
        other = by_site.loc[row["site_name"]]
        assert row["weather_seed"] == other["weather_seed"]
        assert row["npv"] == other["npv"]
    assert forward["weather_seed"].nunique() == 2
    unseeded = _run(base, write_sites(header, *rows, name="u.csv"), tmp_path / "u")
    assert unseeded["weather_seed"].tolist() == [1, 1]  # the scenario's seed


def test_scenario_files_run_without_sites(base: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        f"extends: {base.name}\nname: Bigger\nsystem: {{dc_capacity_kwp: 300}}\n",
        encoding="utf-8",
    )
    items = collect_items([str(tmp_path / "*.yaml")])
    run_batch(items, tmp_path / "out", workers=1)
    table = pd.read_csv(tmp_path / "out" / "results.csv")
    assert table["scenario"].tolist() == ["Bigger", "Test plant"]
    assert table["dc_capacity_kwp"].tolist() == [300.0, 100.0]
    # same site and weather: the yield scales with the capacity
    assert_allclose(
        table.loc[0, "annual_energy_kwh"] / table.loc[1, "annual_energy_kwh"],
        3.0,
        rtol=1e-9,
    )


def test_worker_caches_stay_bounded_and_records_do_not_depend_on_them(
    base: Path, write_sites, tmp_path: Path
) -> None:
    batch_worker.clear_caches()
    rows = [f"s{k},{32.6 + 0.03 * k:.2f},59.2,synthetic" for k in range(12)]
    sites = write_sites("name,latitude,longitude,weather_source", *rows)
    first = _run(base, sites, tmp_path / "a")
    assert len(batch_worker._SITES.data) <= batch_worker.CACHE_SIZE
    assert len(batch_worker._POSITIONS.data) <= batch_worker.CACHE_SIZE
    second = _run(base, sites, tmp_path / "b")  # warm caches this time
    columns = ["item_id", *METRICS, "warnings", "notes", "input_hash"]
    pd.testing.assert_frame_equal(first[columns], second[columns])
    assert np.all(first["status"] == "ok")


def test_pvgis_offline_fails_the_row_or_falls_back_to_the_normals(
    base: Path, write_sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOLARCASE_OFFLINE", "1")  # a cache miss must not fetch
    monkeypatch.setenv("SOLARCASE_CACHE_DIR", str(tmp_path / "cache"))
    sites = write_sites(
        "name,latitude,longitude,altitude,weather_source",
        "near Tabas,33.5,57.2,800,pvgis",
    )
    alone = _run(base, sites, tmp_path / "a")
    assert alone["status"].tolist() == ["failed"]
    assert "site.weather (source: pvgis)" in alone["error"].iloc[0]
    normals = _normals_table(tmp_path)
    fallback = _run(base, sites, tmp_path / "b", collect={"normals": normals})
    row = fallback.iloc[0]
    assert row["status"] == "ok" and row["weather_via"] == "normals"
    assert row["weather_note"].startswith("synthetic from the normals of Tabas")
    assert "PVGIS unavailable" in row["weather_note"]


def test_an_edited_weather_file_is_read_again_by_a_warm_worker(
    base: Path, write_sites, weather_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "station.csv"
    path.write_bytes((weather_dir / "birjand-synthetic.csv").read_bytes())
    sites = write_sites(
        "name,latitude,longitude,altitude,weather_file", f"B,32.9,59.2,1491,{path}"
    )
    first = _run(base, sites, tmp_path / "a")  # the worker caches now hold the file
    frame, meta = read_native(path)
    irradiance = ["ghi", "dni", "dhi"]
    frame[irradiance] = (frame[irradiance] * 0.9).round(1)  # a duller year, consistent
    write_native(frame, meta, path)
    edited = _run(base, sites, tmp_path / "b")  # same process, warm caches
    batch_worker.clear_caches()
    fresh = _run(base, sites, tmp_path / "c")
    assert edited.loc[0, "annual_energy_kwh"] < 0.95 * first.loc[0, "annual_energy_kwh"]
    columns = ["status", *METRICS, "input_hash"]
    pd.testing.assert_frame_equal(edited[columns], fresh[columns])
    record = json.loads(next((tmp_path / "b" / "records").glob("*.json")).read_text())
    assert record["dependencies"][str(path.resolve())] == read_native(path)[1].sha256


def test_an_edited_normals_table_is_read_again_by_a_warm_worker(
    base: Path, write_sites, tmp_path: Path
) -> None:
    normals = _normals_table(tmp_path)
    sites = write_sites("name,latitude,longitude,altitude", "near Tabas,33.5,57.2,800")
    collect = {"normals": normals}
    first = _run(base, sites, tmp_path / "a", collect=collect)
    table = pd.read_csv(normals)
    table["ghi_kwh_m2_day"] = (table["ghi_kwh_m2_day"] * 0.9).round(2)
    table.to_csv(normals, index=False)
    edited = _run(base, sites, tmp_path / "b", collect=collect)
    batch_worker.clear_caches()
    fresh = _run(base, sites, tmp_path / "c", collect=collect)
    assert edited.loc[0, "annual_energy_kwh"] < 0.95 * first.loc[0, "annual_energy_kwh"]
    columns = ["status", *METRICS, "input_hash"]
    pd.testing.assert_frame_equal(edited[columns], fresh[columns])


def test_every_output_file_gets_the_permissions_the_umask_allows(
    base: Path, two_files: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    previous = os.umask(0o022)  # the usual umask: files 0644, not mkstemp's 0600
    try:
        items = collect_items([base], sites=two_files)
        run_batch(items, out, workers=1, item_outputs=True)
    finally:
        os.umask(previous)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    names = {p.name for p in files}
    assert {"results.csv", "results.parquet", "ranking.csv", "sites.png"} <= names
    assert {"batch.log", "result.json"} <= names
    assert any(p.parent.name == "records" for p in files)
    modes = {str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert modes == dict.fromkeys(modes, 0o644)


def test_a_chunk_whose_worker_died_gives_an_error_record_per_item(
    base: Path, two_files: Path, tmp_path: Path
) -> None:
    items = collect_items([base], sites=two_files)
    future: Future[list[dict]] = Future()
    future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    records = batch_exec._chunk_records(future, items[:2])
    assert [r["item_id"] for r in records] == [i.item_id for i in items[:2]]
    for record, item in zip(records, items[:2], strict=True):
        assert record["key"] == item.key and record["site_name"] == item.site_name
        assert record["status"] == "error" and record["seconds"] == 0.0
        assert record["error"] == (
            "BrokenProcessPool: a child process terminated abruptly; the worker "
            "running this item stopped (out of memory, killed?); re-run the batch "
            "to retry it"
        )
    store = RecordStore(tmp_path)
    for record in records:
        store.write(record)
    table = results_frame(items, store.read_item)
    assert table["status"].tolist() == ["error", "error", "pending"]
