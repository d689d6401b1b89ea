"""Time a year of yield simulation: solarcase ``simulate`` against PVWatts v8 (PySAM).

Both run in this process on the same weather frame and the same plant (1 MWp fixed
tilt at about the latitude, rows at GCR 0.4, DC/AC 1.2, PVWatts standard module, 96 %
inverter, 14.08 % losses). Each is repeated N times; the script prints the median
times, the ratio ours / PySAM, the share of the solar position in our time, the time
with a precomputed solar position (one site, many systems) and both annual energies.

    python benchmarks/bench_yield.py                      # pvlib's bundled TMY3
    python benchmarks/bench_yield.py --weather weather/birjand-synthetic.csv
"""

from __future__ import annotations

import argparse
import importlib.resources
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import PySAM.Pvwattsv8 as pvwattsv8

from solarcase.energy.simulate import (
    PVWATTS_DEFAULT_LOSSES,
    FixedMount,
    PvwattsInverter,
    PvwattsModule,
    SiteSpec,
    SystemSpec,
    simulate,
    solar_position,
)
from solarcase.weather.sources import read_weather

DC_KWP, DC_AC_RATIO, GCR = 1000.0, 1.2, 0.4


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def pysam_model(frame: pd.DataFrame, site: SiteSpec, tilt: float):
    """PVWatts v8 with the sun at each interval's midpoint (minute column)."""
    mid = frame.index + pd.Timedelta(minutes=30)
    model = pvwattsv8.default("PVWattsNone")
    model.SolarResource.solar_resource_data = {
        "lat": site.latitude,
        "lon": site.longitude,
        "tz": frame.index[0].utcoffset().total_seconds() / 3600.0,
        "elev": site.altitude,
        "year": [1990] * len(frame),
        "month": list(mid.month),
        "day": list(mid.day),
        "hour": list(mid.hour),
        "minute": list(mid.minute + mid.second / 60.0),
        "dn": list(frame["dni"]),
        "df": list(frame["dhi"]),
        "gh": list(frame["ghi"]),
        "tdry": list(frame["temp_air"]),
        "wspd": list(frame["wind_speed"]),
    }
    model.SolarResource.albedo = (0.2,)
    design = model.SystemDesign
    design.system_capacity, design.dc_ac_ratio = DC_KWP, DC_AC_RATIO
    design.array_type, design.tilt, design.azimuth, design.gcr = 0, tilt, 180.0, GCR
    design.losses, design.inv_eff, design.module_type = 14.08, 96.0, 0
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = importlib.resources.files("pvlib") / "data" / "723170TYA.CSV"
    parser.add_argument("--weather", type=Path, default=Path(str(default)))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    frame, meta = read_weather(args.weather)
    frame = frame[["ghi", "dni", "dhi", "temp_air", "wind_speed"]]
    site = SiteSpec(meta.latitude, meta.longitude, meta.altitude or 0.0)
    tilt = float(round(abs(site.latitude)))
    system = SystemSpec(
        DC_KWP,
        DC_KWP / DC_AC_RATIO,
        FixedMount(tilt, 180.0, gcr=GCR),
        PvwattsModule(),
        PvwattsInverter(),
        PVWATTS_DEFAULT_LOSSES,
    )
    position = solar_position(frame.index, site)
    model = pysam_model(frame, site, tilt)

    ours_ms = median_ms(lambda: simulate(frame, site=site, system=system), args.repeat)
    position_ms = median_ms(lambda: solar_position(frame.index, site), args.repeat)
    shared_ms = median_ms(
        lambda: simulate(frame, site=site, system=system, solar_position=position),
        args.repeat,
    )
    pysam_ms = median_ms(model.execute, args.repeat)
    pysam_setup_ms = median_ms(
        lambda: pysam_model(frame, site, tilt).execute(), args.repeat
    )

    ours = simulate(frame, site=site, system=system)
    print(f"weather: {meta.description or args.weather} ({len(frame)} h)")
    print(f"plant: {DC_KWP:g} kWp fixed tilt {tilt:g} deg, GCR {GCR}, DC/AC 1.2")
    print(f"median of {args.repeat} runs, one year:")
    print(f"  solarcase simulate          {ours_ms:8.1f} ms")
    print(
        f"    of which solar position   {position_ms:8.1f} ms "
        f"({position_ms / ours_ms:.0%})"
    )
    print(f"  simulate, position shared   {shared_ms:8.1f} ms")
    print(f"  PySAM PVWatts v8 execute    {pysam_ms:8.1f} ms")
    print(f"  PySAM incl. model + data    {pysam_setup_ms:8.1f} ms")
    print(f"  ratio ours / PySAM execute  {ours_ms / pysam_ms:8.2f}")
    print(
        f"annual energy: solarcase {ours.annual_delivered_energy_kwh:,.0f} kWh, "
        f"PVWatts v8 {model.Outputs.annual_energy:,.0f} kWh "
        f"({ours.annual_delivered_energy_kwh / model.Outputs.annual_energy - 1:+.2%})"
    )


if __name__ == "__main__":
    main()
