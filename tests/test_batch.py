"""``solarcase batch`` acceptance: executors agree, failures stay alone, resume works.

Forty candidate sites around three South Khorasan towns run on a local process pool
(2 workers), on a Dask LocalCluster (2 worker processes) and in-process; the numbers
must be identical, and every row must equal a single ``run_scenario`` of the same
scenario (loaded with the same overrides through ``load_scenario`` and
``load_site_weather``, with no batch cache involved). One row with latitude 123 fails
alone with the scenario model's message naming the CSV line and column. A batch
killed mid-way resumes with only the missing items.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from solarcase.batch import collect_items, run_batch
from solarcase.batch_tables import METRICS
from solarcase.batch_worker import clear_caches
from solarcase.cli import app
from solarcase.pipeline import run_scenario
from solarcase.scenario.load import load_scenario
from solarcase.weather.native import write_native
from solarcase.weather.normals import load_normals
from solarcase.weather.site import load_site_weather
from solarcase.weather.synth import synthesize_year

ROOT = Path(__file__).parents[1]
TEST_BASE = ROOT / "tests" / "data" / "scenarios" / "base.yaml"
TOWNS = ("Birjand", "Qaen", "Tabas")
N_SITES = 40
BROKEN_ROW = 17  # data row (1-based) whose latitude is 123


def _write_sites(directory: Path, n_sites: int, *, broken: int | None) -> Path:
    """n_sites rows jittered within about 30 km of the towns; capacities vary."""
    rng = np.random.default_rng(20251)
    lines = ["name,latitude,longitude,altitude,weather_file,system.dc_capacity_kwp"]
    for k in range(1, n_sites + 1):
        town = load_normals(TOWNS[k % len(TOWNS)])
        lat = town.latitude + rng.uniform(-0.25, 0.25)
        lon = town.longitude + rng.uniform(-0.25, 0.25)
        if k == broken:
            lat = 123.0
        capacity = 100 * (1 + k % 10)
        lines.append(
            f"{town.town} {k:02d},{lat:.4f},{lon:.4f},{town.elevation_m:.0f},"
            f"weather/{town.town.lower()}.csv,{capacity}"
        )
    path = directory / f"sites-{n_sites}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A base scenario, three synthetic weather files and a 40-site CSV."""
    directory = tmp_path_factory.mktemp("batch-inputs")
    (directory / "weather").mkdir()
    for town in TOWNS:
        frame, meta = synthesize_year(load_normals(town), seed=7)
        write_native(frame, meta, directory / "weather" / f"{town.lower()}.csv")
    base = directory / "plant.yaml"
    base.write_text(f"extends: {TEST_BASE}\nname: Batch test plant\n", encoding="utf-8")
    sites = _write_sites(directory, N_SITES, broken=BROKEN_ROW)
    return {"dir": directory, "base": base, "sites": sites}


@pytest.fixture(scope="module")
def pool_run(
    inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> pd.DataFrame:
    """The 40 sites on a local process pool of 2 workers, chunks of 3."""
    out = tmp_path_factory.mktemp("pool")
    items = collect_items([inputs["base"]], sites=inputs["sites"])
    summary = run_batch(items, out, workers=2, chunk_size=3)
    assert summary.total == N_SITES and summary.failed == 1 and summary.errors == 0
    return pd.read_parquet(out / "results.parquet")


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["item_id", "status", *METRICS, "dc_capacity_kwp", "input_hash"]
    return frame[columns].set_index("item_id")


def test_dask_local_cluster_gives_the_same_numbers(
    inputs: dict[str, Path], pool_run: pd.DataFrame, tmp_path: Path
) -> None:
    items = collect_items([inputs["base"]], sites=inputs["sites"])
    summary = run_batch(items, tmp_path, executor="dask", workers=2, chunk_size=5)
    dask = pd.read_parquet(tmp_path / "results.parquet")
    assert summary.computed == N_SITES - 1
    pd.testing.assert_frame_equal(_numbers(dask), _numbers(pool_run), check_exact=True)


def test_one_process_gives_the_same_numbers(
    inputs: dict[str, Path], pool_run: pd.DataFrame, tmp_path: Path
) -> None:
    clear_caches()
    items = collect_items([inputs["base"]], sites=inputs["sites"])
    run_batch(items, tmp_path, workers=1, chart=False)
    serial = pd.read_parquet(tmp_path / "results.parquet")
    pd.testing.assert_frame_equal(
        _numbers(serial), _numbers(pool_run), check_exact=True
    )


def test_the_broken_row_fails_alone_with_its_message(pool_run: pd.DataFrame) -> None:
    failed = pool_run[pool_run["status"] != "ok"]
    assert list(failed["index"]) == [BROKEN_ROW]
    message = failed["error"].iloc[0]
    # the CSV line (header = line 1) and column, the rule and the value
    assert f"sites-40.csv:{BROKEN_ROW + 1}: column latitude" in message
    assert "site.latitude: must be <= 90, got 123" in message
    assert pool_run.loc[pool_run["status"] == "ok", "npv"].notna().all()


@pytest.mark.parametrize("row", [1, 2, 20, 40])
def test_rows_equal_a_single_run_of_the_same_scenario(
    inputs: dict[str, Path], pool_run: pd.DataFrame, row: int
) -> None:
    cells = pd.read_csv(inputs["sites"]).iloc[row - 1]
    weather = (inputs["dir"] / cells["weather_file"]).resolve()
    scenario = load_scenario(
        inputs["base"],
        overrides=[
            f"site.name={cells['name']}",
            f"site.latitude={cells['latitude']}",
            f"site.longitude={cells['longitude']}",
            f"site.altitude={cells['altitude']}",
            f"site.weather.file={weather}",
            f"system.dc_capacity_kwp={cells['system.dc_capacity_kwp']}",
        ],
    )
    frame, meta = load_site_weather(scenario.site, where="direct")
    expected = run_scenario(scenario, frame, meta).headline()
    got = pool_run.iloc[row - 1]
    assert got["site_name"] == cells["name"]
    assert got["dc_capacity_kwp"] == cells["system.dc_capacity_kwp"]
    for name, value in expected.items():
        if value is None:
            assert np.isnan(got[name]), name
        else:
            assert_allclose(got[name], value, rtol=1e-12, err_msg=name)


def test_tables_rank_and_describe_every_item(
    pool_run: pd.DataFrame, inputs: dict[str, Path]
) -> None:
    ok = pool_run[pool_run["status"] == "ok"]
    # NPV ranks high first: rank 1 holds the largest NPV, ranks follow the order
    assert ok.loc[ok["rank"] == 1, "npv"].iloc[0] == ok["npv"].max()
    order = ok.sort_values("rank")["npv"].to_numpy()
    assert np.all(np.diff(order) <= 0)
    assert set(ok["weather_via"]) == {"row"}
    assert set(ok["weather_source"]) == {"synthetic"}
    assert ok["input_hash"].str.fullmatch("[0-9a-f]{64}").all()
    assert ok["input_hash"].is_unique  # every site differs in its inputs
    # the inputs that vary are in the table, as numbers
    assert pool_run["system.dc_capacity_kwp"].dtype == float


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from solarcase.cli import main; main()", *args]


def _ok_records(out: Path) -> int:
    count = 0
    for path in (out / "records").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))  # never half-written
        count += record["status"] == "ok"
    return count


def test_a_killed_batch_resumes_with_only_the_rest(tmp_path: Path) -> None:
    # 40 sites near Birjand with synthetic years generated per site (slow enough)
    rng = np.random.default_rng(3)
    rows = ["name,latitude,longitude,weather_source,system.dc_capacity_kwp"]
    for k in range(40):
        lat, lon = 32.9 + rng.uniform(-0.3, 0.3), 59.2 + rng.uniform(-0.3, 0.3)
        rows.append(f"site {k},{lat:.4f},{lon:.4f},synthetic,{200 + 10 * k}")
    sites = tmp_path / "sites.csv"
    sites.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    command = _cli(
        "batch", str(TEST_BASE), "--sites", str(sites), "--out", str(out),
        "--workers", "2", "--chunk-size", "1", "--no-progress",
    )  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: we kill it and its workers
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 120
    try:
        while not (out / "records").is_dir() or _ok_records(out) < 5:
            assert process.poll() is None, "the batch ended before it was killed"
            assert time.monotonic() < deadline, "no records appeared"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    done = _ok_records(out)
    assert 5 <= done < 40, done
    assert not (out / "results.csv").exists()  # killed before the tables

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 40 and (results["status"] == "ok").all()
    assert results["reused"].sum() == done  # skipped: exactly the recorded ones
    assert f"{40 - done} run, {done} reused" in " ".join(rerun.stdout.split())


def test_cli_keeps_results_and_exits_1_when_a_row_fails(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        [
            "batch", str(inputs["base"]), "--sites", str(inputs["sites"]),
            "--out", str(tmp_path), "--workers", "1", "--rank-by", "lcoe",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "39 done" in " ".join(result.stdout.split())
    assert "site.latitude: must be <= 90, got 123" in result.stderr
    ranking = pd.read_csv(tmp_path / "ranking.csv")
    assert len(ranking) == N_SITES - 1
    # LCOE ranks low first
    assert np.all(np.diff(ranking["lcoe_real_per_kwh"].to_numpy()) >= 0)
    assert (tmp_path / "sites.png").stat().st_size > 10_000
