"""Time a year of yield simulation: solarcase ``simulate`` against PVWatts v8 (PySAM).

By default the Birjand example, ``scenarios/birjand-1mw.yaml``: its weather, site and
plant come through the functions ``solarcase run`` uses (``load_scenario``,
``load_site_weather``, ``pipeline.site_spec`` and ``pipeline.system_spec``), and
PVWatts v8 gets the equivalent system (array type, tilt, azimuth, GCR, DC/AC ratio,
module type, total losses, nominal inverter efficiency, albedo). ``--scenario`` runs
another scenario file the same way; ``--weather`` instead reads any weather file and
simulates a generic plant at the file's own coordinates (1 MWp fixed tilt at about
the latitude, rows at GCR 0.4, DC/AC 1.2, PVWatts standard module, 96 % inverter,
14.08 % losses).

Both models run in this process on the same weather frame, with the sun at the same
instants (each PySAM record carries its interval's midpoint in the ``minute``
column). Each is repeated N times; the script prints the median times, the ratio
ours / PySAM, the share of the solar position in our time, the time with a
precomputed solar position (one site, many systems), what the solar position would
cost with pvlib's default NREL SPA instead of ``ephemeris`` (the figure quoted in
``docs/yield-model.md`` and ``solar_position``'s docstring) and both annual energies
with their difference.

    python benchmarks/bench_yield.py                       # Birjand 1 MW example
    python benchmarks/bench_yield.py --scenario scenarios/qaen-1mw-tracker.yaml
    python benchmarks/bench_yield.py --weather path/to/weather.csv --repeat 50
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import PySAM.Pvwattsv8 as pvwattsv8
from pvlib import atmosphere, solarposition

from solarcase.energy.simulate import (
    PVWATTS_DEFAULT_LOSSES,
    FixedMount,
    PvwattsInverter,
    PvwattsModule,
    SingleAxisMount,
    SiteSpec,
    SystemSpec,
    simulate,
    solar_position,
)
from solarcase.pipeline import site_spec, system_spec
from solarcase.scenario.load import load_scenario
from solarcase.weather.site import load_site_weather
from solarcase.weather.sources import read_weather

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "birjand-1mw.yaml"
GENERIC_DC_KWP, GENERIC_DC_AC_RATIO, GENERIC_GCR = 1000.0, 1.2, 0.4
PVWATTS_MODULE_TYPE = {"standard": 0, "premium": 1, "thin_film": 2}
# PVWatts v8 array types: fixed open rack, fixed roof mount, 1-axis, 1-axis backtracked
FIXED_OPEN_RACK, FIXED_ROOF_MOUNT, ONE_AXIS, ONE_AXIS_BACKTRACKED = 0, 1, 2, 3
NO_ROWS_GCR = 0.01  # PVWatts v8 always shades fixed rows: rows 100 widths apart


def median_ms(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls after one warm-up call [ms]."""
    function()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def sun_position_ms(
    frame: pd.DataFrame, site: SiteSpec, repeat: int
) -> tuple[float, float, float]:
    """Median times of pvlib's NREL SPA (numpy, the default), ``ephemeris`` alone
    (both on the interval midpoints, refraction at the site's pressure) and our
    ``solar_position`` [ms]. The three run in turn within each repetition, so that
    the load of a shared machine weighs on their ratios equally."""
    midpoints = frame.index + pd.Timedelta(minutes=30)
    pressure_pa = atmosphere.alt2pres(site.altitude)
    args = (midpoints, site.latitude, site.longitude)
    functions = (
        lambda: solarposition.get_solarposition(*args, pressure=pressure_pa),
        lambda: solarposition.ephemeris(*args, pressure=pressure_pa),
        lambda: solar_position(frame.index, site),
    )
    times: list[list[float]] = [[] for _ in functions]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        for function in functions:
            function()  # warm-up
        for _ in range(repeat):
            for function, spent in zip(functions, times, strict=True):
                start = time.perf_counter()
                function()
                spent.append(time.perf_counter() - start)
    spa, ephemeris, ours = (statistics.median(t) * 1000.0 for t in times)
    return spa, ephemeris, ours


def pvwatts_design(system: SystemSpec) -> tuple[dict[str, float], list[str]]:
    """PVWatts v8 ``SystemDesign`` inputs equivalent to ``system``, and caveats.

    Raises SystemExit for CEC modules or inverters, which PVWatts cannot represent.
    """
    module, inverter, mount = system.module, system.inverter, system.mount
    if not isinstance(module, PvwattsModule) or not isinstance(
        inverter, PvwattsInverter
    ):
        raise SystemExit(
            "bench_yield: PVWatts v8 has no CEC modules or inverters; use a scenario "
            "with 'model: pvwatts' module and inverter"
        )
    design = {
        "system_capacity": system.dc_capacity_kwp,
        "dc_ac_ratio": system.dc_capacity_kwp / system.ac_capacity_kw,
        "module_type": PVWATTS_MODULE_TYPE[module.module_type],
        "inv_eff": inverter.eta_inv_nom * 100.0,
        "losses": system.losses.total_loss_fraction * 100.0,
    }
    if isinstance(mount, FixedMount):
        roof = mount.racking == "roof_mount"
        design |= {
            "array_type": FIXED_ROOF_MOUNT if roof else FIXED_OPEN_RACK,
            "tilt": mount.surface_tilt,
            "azimuth": mount.surface_azimuth,
            "gcr": NO_ROWS_GCR if mount.gcr is None else mount.gcr,
        }
    else:
        design |= {
            "array_type": ONE_AXIS_BACKTRACKED if mount.backtrack else ONE_AXIS,
            "tilt": mount.axis_tilt,
            "azimuth": mount.axis_azimuth,
            "gcr": mount.gcr,
            "rotlim": mount.max_angle,
        }
    caveats = []
    if isinstance(mount, FixedMount) and mount.racking == "roof_mount" and mount.gcr:
        caveats.append(
            f"roof mount: PVWatts v8 ignores gcr (no row shading); ours shades rows "
            f"at GCR {mount.gcr:g}"
        )
    if module.gamma_pdc is not None:
        caveats.append("gamma_pdc is set: PVWatts v8 uses its own value for the type")
    if system.transposition_model != "perez":
        model = system.transposition_model
        caveats.append(f"{model} transposition: PVWatts v8 uses Perez")
    if inverter.eta_inv_ref != PvwattsInverter().eta_inv_ref:
        caveats.append("eta_inv_ref is not the default: PVWatts v8 ignores it")
    return design, caveats


def pysam_model(
    frame: pd.DataFrame, site: SiteSpec, design: dict[str, float], albedo: float
) -> pvwattsv8.Pvwattsv8:
    """PVWatts v8 with the sun at each interval's midpoint (minute column)."""
    mid = frame.index + pd.Timedelta(minutes=30)
    resource = {
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
    if "albedo" in frame.columns:  # both models use valid weather albedo first
        resource["alb"] = list(frame["albedo"].fillna(-1.0))
    model = pvwattsv8.default("PVWattsNone")
    model.SolarResource.solar_resource_data = resource
    model.SolarResource.albedo = (albedo,)
    for key, value in design.items():
        setattr(model.SystemDesign, key, value)
    return model


def scenario_case(path: Path) -> tuple[pd.DataFrame, SiteSpec, SystemSpec, str]:
    """Weather, site and plant of a scenario file, as ``solarcase run`` builds them."""
    scenario = load_scenario(path)
    frame, meta = load_site_weather(scenario.site, where=str(path))
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    label = f"scenario: {shown} ({scenario.name})\nweather: {meta.description}"
    return frame, site_spec(scenario), system_spec(scenario), label


def weather_case(path: Path) -> tuple[pd.DataFrame, SiteSpec, SystemSpec, str]:
    """Any weather file and the generic 1 MWp plant at the file's coordinates."""
    frame, meta = read_weather(path)
    frame = frame[["ghi", "dni", "dhi", "temp_air", "wind_speed"]]
    site = SiteSpec(meta.latitude, meta.longitude, meta.altitude or 0.0)
    tilt = float(round(abs(site.latitude)))
    facing = 180.0 if site.latitude >= 0 else 0.0
    system = SystemSpec(
        GENERIC_DC_KWP,
        GENERIC_DC_KWP / GENERIC_DC_AC_RATIO,
        FixedMount(tilt, facing, gcr=GENERIC_GCR),
        PvwattsModule(),
        PvwattsInverter(),
        PVWATTS_DEFAULT_LOSSES,
    )
    return frame, site, system, f"weather: {meta.description or path} (generic plant)"


def describe(system: SystemSpec) -> str:
    """One line: the plant both models simulate."""
    mount = system.mount
    if isinstance(mount, SingleAxisMount):
        backtrack = "backtracking" if mount.backtrack else "no backtracking"
        how = f"1-axis tracker, {backtrack}, GCR {mount.gcr:g}"
    else:
        rows = "no rows" if mount.gcr is None else f"GCR {mount.gcr:g}"
        how = (
            f"fixed tilt {mount.surface_tilt:g} deg, azimuth "
            f"{mount.surface_azimuth:g} deg, {rows}, {mount.racking}"
        )
    return (
        f"plant: {system.dc_capacity_kwp:g} kWp, DC/AC "
        f"{system.dc_capacity_kwp / system.ac_capacity_kw:.2f}, {how}, "
        f"losses {system.losses.total_loss_fraction:.2%}, albedo {system.albedo:g}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    source.add_argument("--weather", type=Path, help="any weather file; generic plant")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    if args.weather is not None:
        frame, site, system, label = weather_case(args.weather)
    else:
        frame, site, system, label = scenario_case(args.scenario)
    design, caveats = pvwatts_design(system)
    position = solar_position(frame.index, site)
    model = pysam_model(frame, site, design, system.albedo)

    ours_ms = median_ms(lambda: simulate(frame, site=site, system=system), args.repeat)
    position_ms = median_ms(lambda: solar_position(frame.index, site), args.repeat)
    shared_ms = median_ms(
        lambda: simulate(frame, site=site, system=system, solar_position=position),
        args.repeat,
    )
    spa_ms, ephemeris_ms, sun_ms = sun_position_ms(frame, site, args.repeat)
    pysam_ms = median_ms(model.execute, args.repeat)
    pysam_setup_ms = median_ms(
        lambda: pysam_model(frame, site, design, system.albedo).execute(),
        args.repeat,
    )

    ours = simulate(frame, site=site, system=system).annual_delivered_energy_kwh
    theirs = model.Outputs.annual_energy
    print(label, f"({len(frame)} h)")
    print(describe(system))
    print("PVWatts v8:", ", ".join(f"{k} {v:.6g}" for k, v in design.items()))
    for caveat in caveats:
        print(f"  caveat: {caveat}")
    print(f"median of {args.repeat} runs, one year:")
    print(f"  solarcase simulate          {ours_ms:8.1f} ms")
    print(
        f"    of which solar position   {position_ms:8.1f} ms "
        f"({position_ms / ours_ms:.0%})"
    )
    print(f"  simulate, position shared   {shared_ms:8.1f} ms")
    print(
        f"  sun: NREL SPA {spa_ms:.1f} ms, ephemeris alone {ephemeris_ms:.1f} ms "
        f"(1/{spa_ms / ephemeris_ms:.1f} of SPA), solar_position "
        f"{sun_ms:.1f} ms (1/{spa_ms / sun_ms:.1f}), run in turn"
    )
    print(f"  PySAM PVWatts v8 execute    {pysam_ms:8.1f} ms")
    print(f"  PySAM incl. model + data    {pysam_setup_ms:8.1f} ms")
    print(f"  ratio ours / PySAM execute  {ours_ms / pysam_ms:8.2f}")
    print(
        f"annual energy: solarcase {ours:,.0f} kWh, PVWatts v8 {theirs:,.0f} kWh, "
        f"difference {ours - theirs:+,.0f} kWh ({ours / theirs - 1:+.2%})"
    )


if __name__ == "__main__":
    main()
