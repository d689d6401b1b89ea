"""``solarcase weather``: inspect a file, fetch PVGIS data, make a synthetic year."""

from __future__ import annotations

import textwrap
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from solarcase.atomic import figure_png, write_files_atomically
from solarcase.cli.common import console, user_errors
from solarcase.errors import WeatherDataError

if TYPE_CHECKING:
    import pandas as pd

    from solarcase.weather.frame import WeatherMeta
    from solarcase.weather.summary import WeatherSummary

app = typer.Typer(
    help="Weather files: inspect, fetch from PVGIS, synthesise.", no_args_is_help=True
)

#: Provenance keys shown by ``inspect`` when present, with their labels.
_SHOWN_PROVENANCE = {
    "radiation_db": "radiation database",
    "meteo_db": "meteo database",
    "months_selected": "months (month:year)",
    "fetched_at": "fetched",
    "request_url": "request",
    "obtained": "obtained",
    "quality_checks": "checks",
}


class Kind(StrEnum):
    """What to fetch from PVGIS."""

    tmy = "tmy"
    hourly = "hourly"


@app.command("inspect")
@user_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="Weather file (any supported format).")],
    png: Annotated[
        Path | None,
        typer.Option(help="Write a PNG of monthly irradiation (and nearby normals)."),
    ] = None,
) -> None:
    """Show a weather file's source, period, monthly statistics and clear-sky check."""
    from solarcase.report.tables import format_position
    from solarcase.weather.checks import check_weather
    from solarcase.weather.sources import read_weather
    from solarcase.weather.summary import plot_monthly_irradiation, summarise_weather

    frame, meta = read_weather(file)
    frame, meta = check_weather(frame, meta, where=str(file))
    summary = summarise_weather(frame, meta)
    _print_header(file, frame, meta)
    console.print(_monthly_table(summary))
    for line in _clear_sky_lines(summary):
        console.print(line)
    if summary.yearly is not None:
        console.print(_yearly_table(summary))
    if png is not None:
        figure = plot_monthly_irradiation(
            summary,
            title=meta.description or meta.source,
            place=format_position(meta.latitude, meta.longitude, decimals=2),
        )
        write_files_atomically(png.parent, {png.name: figure_png(figure, dpi=120)})
        console.print(f"wrote {png}")


@app.command("fetch")
@user_errors
def fetch(
    lat: Annotated[float, typer.Option(help="Latitude [deg N].")],
    lon: Annotated[float, typer.Option(help="Longitude [deg E].")],
    kind: Annotated[
        Kind, typer.Option(help="tmy: typical year; hourly: multi-year series.")
    ] = Kind.tmy,
    years: Annotated[
        str | None, typer.Option(help="Years, e.g. 2005-2023 (default: all).")
    ] = None,
    database: Annotated[
        str | None, typer.Option(help="Hourly series only: e.g. PVGIS-SARAH3.")
    ] = None,
    horizon: Annotated[
        bool, typer.Option(help="Include shading by the terrain horizon.")
    ] = True,
    out: Annotated[
        Path | None, typer.Option(help="Also write the data to this native CSV.")
    ] = None,
    refresh: Annotated[
        bool, typer.Option(help="Download again even if the data is cached.")
    ] = False,
) -> None:
    """Fetch a PVGIS typical year or hourly series for a place (cached)."""
    from solarcase.scenario.models import parse_year_range
    from solarcase.settings import Settings
    from solarcase.weather.native import write_native
    from solarcase.weather.pvgis import PvgisRequest, cached_pvgis_file, pvgis_weather

    try:
        first, last = parse_year_range(years) if years else (None, None)
    except ValueError as err:
        raise WeatherDataError(f"weather fetch: --years: {err}") from None
    request = PvgisRequest(
        lat, lon, kind=kind.value, start_year=first, end_year=last,
        database=database, use_horizon=horizon,
    )  # fmt: skip
    settings = Settings.from_env()
    was_cached = cached_pvgis_file(request, settings=settings) is not None
    frame, meta = pvgis_weather(request, settings=settings, refresh=refresh)
    how = "read from the cache" if was_cached and not refresh else "downloaded"
    console.print(f"{request.describe()}: {escape(meta.description)}")
    ghi_kwh = frame["ghi"].sum() / 1000.0 / (len(frame) / 8760.0)
    fetched = meta.provenance.get("fetched_at", "?")
    console.print(
        f"{how}: {escape(str(meta.path))} (fetched {fetched}); {len(frame):,} hours, "
        f"GHI {ghi_kwh:,.0f} kWh/m² a year"
    )
    if out is not None:
        write_native(frame, meta, out)
        console.print(f"wrote {out}")


@app.command("synth")
@user_errors
def synth(
    out: Annotated[Path, typer.Option("--out", help="Native CSV file to write.")],
    town: Annotated[
        str | None, typer.Option(help="Town of the normals (bundled or in --normals).")
    ] = None,
    normals: Annotated[
        Path | None,
        typer.Option(help="CSV of monthly normals (columns as the bundled table)."),
    ] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude [deg N].")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude [deg E].")] = None,
    altitude: Annotated[float | None, typer.Option(help="Elevation [m].")] = None,
    utc_offset: Annotated[
        float | None, typer.Option(help="UTC offset of standard time [h].")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the cloudiness.")] = 1,
) -> None:
    """Make a synthetic typical year from monthly climate normals."""
    from solarcase.weather.native import write_native
    from solarcase.weather.normals import (
        load_normals,
        nearest_normals,
        read_normals_csv,
    )
    from solarcase.weather.synth import synthesize_year

    if normals is not None:
        chosen = read_normals_csv(normals, town=town)
    elif town is not None:
        chosen = load_normals(town)
    elif lat is not None and lon is not None:
        chosen, distance = nearest_normals(lat, lon)
        console.print(f"using the normals of {chosen.town}, {distance:.0f} km away")
    else:
        raise WeatherDataError(
            "weather synth: say which normals: --town NAME, --normals FILE, or "
            "--lat/--lon for the nearest bundled town"
        )
    frame, meta = synthesize_year(
        chosen,
        seed=seed,
        latitude=lat,
        longitude=lon,
        altitude=altitude,
        utc_offset_h=utc_offset,
    )
    write_native(frame, meta, out)
    ghi = frame["ghi"].sum() / 1000.0
    console.print(f"wrote {out}: {meta.description} (GHI {ghi:,.0f} kWh/m² a year)")


# -- presentation helpers -------------------------------------------------------------


def _print_header(file: Path, frame: pd.DataFrame, meta: WeatherMeta) -> None:
    console.print(
        f"[bold]{escape(str(file))}[/]: {escape(meta.description or meta.source)}"
    )
    altitude = "" if meta.altitude is None else f", {meta.altitude:,.0f} m"
    kind = "typical year" if meta.is_typical_year else "multi-year series"
    console.print(
        f"source {meta.source} ({kind}) · {meta.latitude:.4f}, {meta.longitude:.4f}"
        f"{altitude} · UTC{meta.utc_offset_h:+g} h · {len(frame):,} hours "
        f"{frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}"
        + (" · [bold yellow]SYNTHETIC[/]" if meta.is_synthetic else "")
    )
    for key, label in _SHOWN_PROVENANCE.items():
        if key in meta.provenance:
            text = escape(str(meta.provenance[key]))
            console.print(f"{label}: {text}", soft_wrap=True)
    for repair in meta.repairs:
        console.print(f"[yellow]repair:[/] {escape(repair)}", soft_wrap=True)
    if not meta.repairs:
        console.print("repairs: none (no gaps, no negative irradiance)")


def _monthly_table(summary: WeatherSummary) -> Table:
    normals = summary.normals
    table = Table(
        title="Average month: irradiation \\[kWh/m²], means of temperature and wind"
    )
    columns = ["month", "GHI", "DNI", "DHI", "clear-sky GHI", "GHI/clear", "T air °C"]
    columns += ["wind m/s"] + ([f"GHI {normals.town} normals"] if normals else [])
    for name in columns:
        table.add_column(name, justify="right")
    normal_kwh = summary.normals_ghi_kwh_per_m2  # None without normals
    # the monthly frame and the normals are indexed 1..12 (summarise_weather)
    for month, (_, row) in zip(range(1, 13), summary.monthly.iterrows(), strict=True):
        extra = [f"{normal_kwh[month]:,.1f}"] if normal_kwh is not None else []
        table.add_row(str(month), *_cells(row), *extra)
    total = [f"{sum(normal_kwh):,.0f}"] if normal_kwh is not None else []
    table.add_row("year", *_cells(summary.annual, digits=0), *total, style="bold")
    return table


def _cells(row: pd.Series, digits: int = 1) -> list[str]:
    sums = (
        "ghi_kwh_per_m2",
        "dni_kwh_per_m2",
        "dhi_kwh_per_m2",
        "ghi_clear_kwh_per_m2",
    )
    return [
        *(f"{row[c]:,.{digits}f}" for c in sums),
        f"{row['clear_sky_ratio']:.2f}",
        f"{row['temp_air']:.1f}",
        f"{row['wind_speed']:.1f}",
    ]


def _clear_sky_lines(summary: WeatherSummary) -> list[str]:
    from solarcase.weather.summary import WELL_ABOVE_FACTOR

    lines = [
        f"Clear-sky check: GHI is above the Ineichen clear sky in "
        f"{summary.above_clear_sky_fraction:.1%} of {summary.daylight_hours:,} "
        f"daylight hours, above {WELL_ABOVE_FACTOR:g} x clear sky in "
        f"{summary.well_above_clear_sky_fraction:.1%} (the clear sky uses pvlib's "
        "climatological Linke turbidity; clean days in hazy places exceed it)."
    ]
    ratios = summary.monthly["clear_sky_ratio"]
    bright = [int(m) for m in ratios.index[ratios > 1.0]]
    if bright:
        lines.append(
            f"[yellow]warning:[/] month(s) {bright} have more irradiation than a clear "
            "sky every day would give: check the units, the time zone and the "
            "coordinates"
        )
    if summary.normals is not None:
        lines.append(
            f"Normals: {summary.normals.town}, {summary.normals_distance_km:.0f} km "
            f"away ({escape(textwrap.shorten(summary.normals.sources, 110))})"
        )
    return lines


def _yearly_table(summary: WeatherSummary) -> Table:
    yearly = summary.yearly
    assert yearly is not None
    ghi = yearly["ghi_kwh_per_m2"]
    spread = ""
    if len(ghi) > 1:
        std = ghi.std(ddof=1)
        spread = f"; GHI year to year: std {std:,.0f} kWh/m² ({std / ghi.mean():.1%})"
    table = Table(title=f"Whole years of the series{spread}")
    for name in ("year", "hours", "GHI kWh/m²", "DNI kWh/m²", "T air °C"):
        table.add_column(name, justify="right")
    for year, row in yearly.iterrows():
        table.add_row(
            str(year),
            f"{int(row['hours']):,}",
            f"{row['ghi_kwh_per_m2']:,.0f}",
            f"{row['dni_kwh_per_m2']:,.0f}",
            f"{row['temp_air']:.1f}",
        )
    return table
