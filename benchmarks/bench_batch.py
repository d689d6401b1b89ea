"""Time ``solarcase batch`` on many sites against a PySAM PVWatts v8 + finance loop.

Makes N candidate sites around the eight South Khorasan towns that ship a weather
file (``weather/*-synthetic.csv``): each site lies within about 30 km of its town,
uses that town's file and has its own capacity (250-2,500 kWp) and tilt (25-35 deg),
all on the assumptions of ``scenarios/birjand-1mw.yaml``. Then, in the same run:

1. ``solarcase batch`` as a command (a fresh process, imports and pool start-up
   included) with ``--workers W``, once for N sites and once for M < N sites, while
   a sampler thread records the resident memory of the command and of each worker;
2. a single-process loop over the same N sites of NREL PVWatts v8 + Singleowner
   (PySAM), given the same weather frames (read once per town, as the batch's
   workers do) and the nearest simple equivalents of the scenario's inputs:
   capacity, tilt, GCR 0.4, DC/AC 1.2, the same losses, 25 years, a PPA price of
   38,500 escalating 30 %/year (for the indexed SATBA tariff), 40 % inflation, 5 %
   real discount rate, 350 million/kWp capex, fixed O&M and insurance, no debt, no
   tax. Singleowner is SAM's finance model closest to ours (a PPA price with
   escalation; NPV, IRR, LCOE real and nominal, payback, DSCR); the two do not
   compute the same cash flow (SAM has no indexed tariff, FX path or late payment),
   so only the time and the annual energy are compared.

It prints sites per second of both, their ratio, the peak memory of both batch runs
(command and largest worker), and the annual energy of both models for the first
site. ``--profile`` also runs 200 items in this process under cProfile and prints
where the time goes.

    python benchmarks/bench_batch.py                       # 1,000 and 250 sites
    python benchmarks/bench_batch.py --sites 200 --compare-sites 50 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import PySAM.Pvwattsv8 as pvwattsv8
import PySAM.Singleowner as singleowner

from solarcase.weather.normals import load_normals
from solarcase.weather.sources import read_weather

ROOT = Path(__file__).parents[1]
BASE = ROOT / "scenarios" / "birjand-1mw.yaml"
TOWNS = ("Birjand", "Qaen", "Ferdows", "Tabas", "Nehbandan", "Sarbisheh", "Khusf")
TOWNS += ("Boshruyeh",)
DC_AC_RATIO, GCR = 1.2, 0.4
# birjand-1mw.yaml and its base, for the PySAM loop (rials; fractions in percent)
CAPEX_PER_KWP = 295_200_000 + 54_800_000
OM_PER_KW_YEAR = 3_500_000
PRICE_PER_KWH, ESCALATION_PCT = 38_500, 30.0
INFLATION_PCT, REAL_DISCOUNT_PCT = 40.0, 5.0
# soiling, shading, mismatch, wiring, connections, LID, nameplate, availability
LOSSES = (0.05, 0.01, 0.02, 0.02, 0.005, 0.015, 0.01, 0.02)
LOSSES_PCT = 100 * (1 - float(np.prod([1 - loss for loss in LOSSES])))


def make_sites(n_sites: int, directory: Path, seed: int = 2025) -> Path:
    """A sites CSV of n_sites jittered around the towns, and its path."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_sites):
        town = load_normals(TOWNS[k % len(TOWNS)])
        rows.append(
            {
                "name": f"{town.town} {k:04d}",
                "latitude": round(town.latitude + rng.uniform(-0.25, 0.25), 4),
                "longitude": round(town.longitude + rng.uniform(-0.25, 0.25), 4),
                "altitude": town.elevation_m,
                "weather_file": str(
                    ROOT / "weather" / f"{town.town.lower()}-synthetic.csv"
                ),
                "system.dc_capacity_kwp": float(250 * rng.integers(1, 11)),
                "system.mount.surface_tilt": float(rng.integers(25, 36)),
            }
        )
    path = directory / f"sites-{n_sites}.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and its descendants (psutil)."""

    def __init__(self, pid: int, interval_s: float = 0.05) -> None:
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.interval_s = interval_s
        self.peak_root_mb = self.peak_child_mb = self.peak_total_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopped.is_set():
            try:
                root = self.root.memory_info().rss / 2**20
                children = []
                for child in self.root.children(recursive=True):
                    try:
                        children.append(child.memory_info().rss / 2**20)
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak_root_mb = max(self.peak_root_mb, root)
            self.peak_child_mb = max(self.peak_child_mb, max(children, default=0.0))
            self.peak_total_mb = max(self.peak_total_mb, root + sum(children))
            time.sleep(self.interval_s)


def run_batch_command(sites: Path, out: Path, workers: int) -> dict:
    """Run ``solarcase batch`` in a fresh process; time it and sample its memory."""
    command = [
        sys.executable,
        "-c",
        "from solarcase.cli import main; main()",
        "batch",
        str(BASE),
        "--sites",
        str(sites),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--no-progress",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = TreeMemory(process.pid)
    sampler.start()
    stdout, _ = process.communicate()
    wall_s = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"batch failed:\n{stdout}")
    flat = " ".join(stdout.split())
    match = re.search(r"(\d+) items in ([\d.]+) s", flat)
    results = pd.read_csv(out / "results.csv")
    return {
        "wall_s": wall_s,
        "batch_s": float(match.group(2)) if match else float("nan"),
        "ok": int((results["status"] == "ok").sum()),
        "n": len(results),
        "peak_command_mb": sampler.peak_root_mb,
        "peak_worker_mb": sampler.peak_child_mb,
        "peak_total_mb": sampler.peak_total_mb,
        "first_energy_kwh": float(results["annual_energy_kwh"].iloc[0]),
    }


def _weather_data(path: Path) -> dict:
    frame, meta = read_weather(path)
    mid = frame.index + pd.Timedelta(minutes=30)  # the sun at mid-interval
    return {
        "tz": meta.utc_offset_h,
        "year": [1990] * len(frame),
        "month": list(mid.month),
        "day": list(mid.day),
        "hour": list(mid.hour),
        "minute": list(mid.minute),
        "dn": list(frame["dni"]),
        "df": list(frame["dhi"]),
        "gh": list(frame["ghi"]),
        "tdry": list(frame["temp_air"]),
        "wspd": list(frame["wind_speed"]),
    }


def pysam_site(row: pd.Series, weather: dict) -> tuple[float, float]:
    """PVWatts v8 + Singleowner for one site: (annual energy [kWh], NPV [cur])."""
    capacity = float(row["system.dc_capacity_kwp"])
    pv = pvwattsv8.default("PVWattsSingleOwner")
    # before pv.execute(): the config's defaults would overwrite the computed gen
    finance = singleowner.from_existing(pv, "PVWattsSingleOwner")  # shares data
    pv.SolarResource.solar_resource_data = {
        **weather,
        "lat": row["latitude"],
        "lon": row["longitude"],
        "elev": row["altitude"],
    }
    pv.SolarResource.albedo = (0.25,)
    design = pv.SystemDesign
    design.system_capacity, design.dc_ac_ratio, design.gcr = capacity, DC_AC_RATIO, GCR
    design.array_type, design.azimuth = 0, 180.0
    design.tilt = float(row["system.mount.surface_tilt"])
    design.losses, design.inv_eff, design.module_type = LOSSES_PCT, 96.0, 0
    pv.execute()
    parameters = finance.FinancialParameters
    parameters.analysis_period = 25
    parameters.inflation_rate = INFLATION_PCT
    parameters.real_discount_rate = REAL_DISCOUNT_PCT
    parameters.debt_percent = 0.0
    parameters.federal_tax_rate, parameters.state_tax_rate = (0.0,), (0.0,)
    parameters.insurance_rate = 0.3
    parameters.system_capacity = capacity
    finance.SystemCosts.total_installed_cost = CAPEX_PER_KWP * capacity
    finance.SystemCosts.om_capacity = (OM_PER_KW_YEAR,)
    finance.Revenue.ppa_soln_mode = 1  # the price is given
    finance.Revenue.ppa_price_input = (PRICE_PER_KWH,)
    finance.Revenue.ppa_escalation = ESCALATION_PCT
    finance.SystemOutput.degradation = (1.0,)
    finance.execute()
    return pv.Outputs.annual_energy, finance.Outputs.project_return_aftertax_npv


def pysam_loop(sites: Path) -> dict:
    """The single-process PySAM loop over every site of a CSV."""
    table = pd.read_csv(sites)
    start = time.perf_counter()
    cache: dict[str, dict] = {}
    first = None
    for _, row in table.iterrows():
        path = row["weather_file"]
        if path not in cache:
            cache[path] = _weather_data(Path(path))
        energy, _npv = pysam_site(row, cache[path])
        first = energy if first is None else first
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "n": len(table), "first_energy_kwh": first}


def profile_in_process(sites: Path, directory: Path, n_items: int = 200) -> str:
    """cProfile of run_batch with one worker (this process) on n_items items."""
    from solarcase.batch import collect_items, run_batch

    items = collect_items([BASE], sites=sites)[:n_items]
    run_batch(items[:5], directory / "warm", workers=1, chart=False)  # imports
    profiler = cProfile.Profile()
    profiler.enable()
    run_batch(items, directory / "profile", workers=1, chart=False)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
    stats.print_stats(r"solarcase|pvlib/(solarposition|irradiance)", 28)
    return stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--compare-sites", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        big = make_sites(args.sites, directory)
        small = make_sites(args.compare_sites, directory)
        batch_small = run_batch_command(small, directory / "small", args.workers)
        batch_big = run_batch_command(big, directory / "big", args.workers)
        sam = pysam_loop(big)
        profile = profile_in_process(big, directory) if args.profile else ""

    ours_rate = batch_big["n"] / batch_big["wall_s"]
    ours_inner = batch_big["n"] / batch_big["batch_s"]
    sam_rate = sam["n"] / sam["seconds"]
    print(f"{args.sites} sites, solarcase batch --workers {args.workers}:")
    print(
        f"  {batch_big['wall_s']:.1f} s end to end (start-up included): "
        f"{ours_rate:.1f} sites/s; {batch_big['batch_s']:.1f} s inside the batch: "
        f"{ours_inner:.1f} sites/s ({batch_big['ok']} ok)"
    )
    print(
        f"PySAM PVWatts v8 + Singleowner, one process: {sam['seconds']:.1f} s, "
        f"{sam_rate:.1f} sites/s"
    )
    print(
        f"ratio solarcase / PySAM loop: {ours_rate / sam_rate:.2f} end to end, "
        f"{ours_inner / sam_rate:.2f} inside the batch"
    )
    print("peak resident memory [MB]:  command  largest worker  whole tree")
    for label, run in ((args.compare_sites, batch_small), (args.sites, batch_big)):
        print(
            f"  {label:>5} sites            {run['peak_command_mb']:7.0f}"
            f"  {run['peak_worker_mb']:14.0f}  {run['peak_total_mb']:10.0f}"
        )
    print(
        f"first site's annual energy: solarcase {batch_big['first_energy_kwh']:,.0f} "
        f"kWh, PVWatts v8 {sam['first_energy_kwh']:,.0f} kWh"
    )
    if profile:
        print(profile)


if __name__ == "__main__":
    main()
