"""``solarcase batch`` on the command line: the shipped example, usage errors, and a
Dask scheduler given by address."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from solarcase.cli import app

ROOT = Path(__file__).parents[2]


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["batch", *args, "--no-progress"])


def test_the_shipped_south_khorasan_example_runs(tmp_path: Path) -> None:
    result = _invoke(
        str(ROOT / "scenarios" / "birjand-1mw.yaml"),
        "--sites",
        str(ROOT / "scenarios" / "south-khorasan-sites.csv"),
        "--out",
        str(tmp_path),
        "--workers",
        "1",
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "results.csv")
    assert len(table) == 9 and (table["status"] == "ok").all()
    assert table["weather_source"].eq("synthetic").all()  # every file says so
    sarayan = table.set_index("site_name").loc["Sarayan"]
    assert sarayan["weather_path"] != sarayan["weather_path"]  # NaN: generated
    assert "Sarayan" in sarayan["weather_note"]  # the bundled proxy normals row
    assert "Best 9 by NPV" in result.stdout
    # 1 MWp everywhere: specific yield inside the province's 1,750-2,050 kWh/kWp
    assert table["specific_yield_kwh_per_kwp"].between(1750, 2050).all()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.yaml"], 1, "missing.yaml: scenario file not found"),
        (["{base}", "--scheduler", "tcp://x:1"], 1, "--scheduler needs --executor"),
        (["{base}", "--rank-by", "nvp"], 2, "unknown metric"),
        (["{base}", "--sites", "{bad_sites}"], 1, "unknown column 'lat'"),
    ],
)
def test_usage_and_input_errors_stop_before_running(
    base: Path,
    write_sites,
    tmp_path: Path,
    args: list[str],
    code: int,
    message: str,
) -> None:
    bad_sites = write_sites("name,lat", "A,1")
    filled = [a.format(base=base, bad_sites=bad_sites) for a in args]
    result = _invoke(*filled, "--out", str(tmp_path / "out"))
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out" / "results.csv").exists()


def test_a_dask_scheduler_address_is_used(
    base: Path, write_sites, weather_dir: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    sites = write_sites(
        "name,latitude,longitude,weather_file",
        f"B1,32.9,59.2,{weather_dir / 'birjand-synthetic.csv'}",
        f"T1,33.6,57.0,{weather_dir / 'tabas-synthetic.csv'}",
    )
    local = _invoke(str(base), "--sites", str(sites), "--out", str(tmp_path / "l"))
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, dashboard_address=None, processes=True
    ) as cluster:
        result = _invoke(
            str(base),
            "--sites",
            str(sites),
            "--out",
            str(tmp_path / "d"),
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert result.exit_code == 0, result.output
    columns = ["item_id", "npv", "annual_energy_kwh", "input_hash"]
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "d" / "results.csv")[columns],
        pd.read_csv(tmp_path / "l" / "results.csv")[columns],
    )
