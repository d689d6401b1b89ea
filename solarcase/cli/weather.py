"""``solarcase weather``: inspect a weather file, make a synthetic year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from solarcase.cli.common import console, user_errors
from solarcase.errors import WeatherDataError
from solarcase.weather.checks import check_weather
from solarcase.weather.native import write_native
from solarcase.weather.normals import load_normals, nearest_normals, read_normals_csv
from solarcase.weather.sources import read_weather
from solarcase.weather.synth import synthesize_year

app = typer.Typer(help="Weather files: inspect, synthesise.", no_args_is_help=True)


@app.command("inspect")
@user_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="Weather file (any supported format).")],
) -> None:
    """Show a weather file's source, period and monthly statistics."""
    frame, meta = read_weather(file)
    frame, meta = check_weather(frame, meta, where=str(file))
    console.print(f"[bold]{file}[/]: {meta.description or meta.source}")
    console.print(
        f"source {meta.source} · {meta.latitude:.4f}, {meta.longitude:.4f}"
        f" · UTC{meta.utc_offset_h:+g} h · {len(frame):,} hours "
        f"{frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}"
        + (" · SYNTHETIC" if meta.is_synthetic else "")
    )
    for repair in meta.repairs:
        console.print(f"[yellow]repair:[/] {repair}")
    years = len(frame) / 8760.0
    monthly = frame.groupby(frame.index.month)
    table = Table(title="Monthly means (irradiation per month, averaged over years)")
    for name in (
        "month",
        "GHI kWh/m²",
        "DNI kWh/m²",
        "DHI kWh/m²",
        "T air °C",
        "wind m/s",
    ):
        table.add_column(name, justify="right")
    sums = monthly[["ghi", "dni", "dhi"]].sum() / 1000.0 / years
    means = monthly[["temp_air", "wind_speed"]].mean()
    for month in sums.index:
        table.add_row(
            str(month),
            *(f"{sums.loc[month, c]:,.1f}" for c in ("ghi", "dni", "dhi")),
            *(f"{means.loc[month, c]:.1f}" for c in ("temp_air", "wind_speed")),
        )
    table.add_row(
        "year",
        *(f"{sums[c].sum():,.0f}" for c in ("ghi", "dni", "dhi")),
        f"{frame['temp_air'].mean():.1f}",
        f"{frame['wind_speed'].mean():.1f}",
        style="bold",
    )
    console.print(table)


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
