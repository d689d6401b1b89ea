"""Parse PVGIS typical years and hourly series into pvlib names and units.

PVGIS stamps its rows in UTC and gives irradiance that is instantaneous at the stamp
plus the file's irradiance time offset (when a file predates that header: 0.5 h for
an ERA5 database, else 0); the frame label of :mod:`solarcase.weather.frame` is that
instant minus 30 min. An hourly series holds plane-of-array components only, so it
must be asked for a horizontal plane with the radiation components, from which ghi,
dni and dhi follow. The conventions and the evidence for each are in
``docs/weather.md``. :mod:`solarcase.weather.pvgis` fetches; this module parses what
pvlib returns (read from a file or fetched).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from pvlib import iotools

from solarcase.errors import WeatherDataError
from solarcase.weather.frame import time_index
from solarcase.weather.parsed import (
    HALF_HOUR,
    ParsedFile,
    solar_offset_h,
    stamp_years,
    truncated_error,
    year_span,
)

__all__ = [
    "parse_pvgis_hourly",
    "parse_pvgis_tmy",
    "pvgis_hourly_from_pvlib",
    "pvgis_instant_shift",
    "pvgis_tmy_from_pvlib",
]


def pvgis_instant_shift(offset_h: float) -> pd.Timedelta:
    """Label shift for PVGIS values that are instantaneous at stamp + offset_h.

    The offset is rounded to whole minutes (0.1761 h -> 11 min, 26 s off) so that the
    labels stay readable; 26 s move the sun by about 0.1 deg.
    """
    return pd.Timedelta(minutes=round(offset_h * 60.0)) - HALF_HOUR


def _default_offset_h(database: str) -> float:
    """Irradiance time offset [h] assumed when a PVGIS file predates the header."""
    return 0.5 if "ERA" in database.upper() else 0.0


def _location(meta: Mapping) -> Mapping:
    """The ``location`` block of PVGIS's inputs (older files: the inputs themselves)."""
    inputs = meta["inputs"]
    return inputs.get("location", inputs)


def _at_location(
    data: pd.DataFrame,
    location: Mapping,
    *,
    offset_h: float,
    is_typical: bool,
    source: str,
    description: str,
    provenance: dict[str, str],
    years: tuple[int, ...],
) -> ParsedFile:
    """A PVGIS ParsedFile at the file's location, irradiance at stamp + offset_h."""
    latitude, longitude = float(location["latitude"]), float(location["longitude"])
    return ParsedFile(
        data,
        pvgis_instant_shift(offset_h),
        is_typical,
        source,
        latitude,
        longitude,
        float(location["elevation"]),
        solar_offset_h(longitude),
        description,
        provenance,
        years,
    )


def parse_pvgis_tmy(text: str, path: Path) -> ParsedFile:
    """PVGIS TMY, CSV or JSON: UTC stamps; irradiance at stamp + time offset."""
    is_json = text.lstrip().startswith("{")
    if is_json:
        rows = text.count('"time(UTC)"')
    else:
        rows = len(re.findall(r"(?m)^\d{8}:\d{4},", text))
    if rows != 8760:
        raise truncated_error(path, rows, "a PVGIS typical year has 8760")
    buffer = io.StringIO(text) if is_json else io.BytesIO(text.encode())
    data, meta = iotools.read_pvgis_tmy(
        buffer, pvgis_format="json" if is_json else "csv"
    )
    return pvgis_tmy_from_pvlib(data, meta, is_json=is_json, where=str(path))


def pvgis_tmy_from_pvlib(
    data: pd.DataFrame, meta: Mapping, *, is_json: bool, where: str
) -> ParsedFile:
    """A PVGIS typical year as pvlib returns it (read or fetched), as a ParsedFile.

    ``data`` and ``meta`` are what ``pvlib.iotools.read_pvgis_tmy`` returns, or
    ``get_pvgis_tmy`` with ``coerce_year=None`` (the same parser); ``where`` starts
    error messages.
    """
    if len(data) != 8760:
        raise truncated_error(where, len(data), "a PVGIS typical year has 8760")
    inputs = meta["inputs"]
    location = _location(meta)
    meteo = inputs.get("meteo_data", {})
    database = str(meteo.get("radiation_db", ""))
    offset = location.get(
        "irradiance_time_offset", inputs.get("irradiance time offset")
    )
    offset_h = _default_offset_h(database) if offset is None else float(offset)
    months = {int(m["month"]): int(m["year"]) for m in meta["months_selected"]}
    years = tuple(sorted(set(months.values())))
    provenance = {
        "format": "PVGIS TMY " + ("JSON" if is_json else "CSV"),
        "months_selected": ", ".join(f"{m}:{y}" for m, y in sorted(months.items())),
        "irradiance_time_offset_h": f"{offset_h:g}"
        + (" (assumed: not in the file)" if offset is None else ""),
        "time_convention": "UTC stamps; instantaneous irradiance at stamp + offset; "
        "label = instant - 30 min",
    }
    for key in ("radiation_db", "meteo_db", "year_min", "year_max", "horizon_db"):
        if key in meteo:
            provenance[key] = str(meteo[key])
    span = f"months from {year_span(years)}"
    if "year_min" in meteo:
        span += f" (chosen from {meteo['year_min']}-{meteo['year_max']})"
    return _at_location(
        data,
        location,
        offset_h=offset_h,
        is_typical=True,
        source="pvgis-tmy",
        description=f"{database or 'PVGIS'} typical year, {span}",
        provenance=provenance,
        years=years,
    )


def parse_pvgis_hourly(text: str, path: Path) -> ParsedFile:
    """PVGIS hourly series: UTC stamps at the sample instants; horizontal plane only."""
    is_json = text.lstrip().startswith("{")
    data, meta = iotools.read_pvgis_hourly(
        io.StringIO(text), pvgis_format="json" if is_json else "csv"
    )
    return pvgis_hourly_from_pvlib(data, meta, is_json=is_json, where=str(path))


def pvgis_hourly_from_pvlib(
    data: pd.DataFrame, meta: Mapping, *, is_json: bool, where: str
) -> ParsedFile:
    """A PVGIS hourly series as pvlib returns it (read or fetched), as a ParsedFile.

    ``data`` and ``meta`` are what ``pvlib.iotools.read_pvgis_hourly`` or
    ``get_pvgis_hourly`` (the same parser) return; ``where`` starts error messages.
    """
    if data.empty:
        raise truncated_error(where, 0, "a PVGIS hourly series has 8760 a year")
    database, slope = _database_and_slope(meta["inputs"], is_json=is_json, where=where)
    _require_horizontal_components(data, slope, where)
    frame = _horizontal_frame(data)
    location = _location(meta)
    offset = location.get("irradiance_time_offset")
    stamps = time_index(data)
    on_the_hour = bool((stamps.minute == 0).all())
    offset_h = float(offset) if offset is not None and on_the_hour else 0.0
    years = stamp_years(stamps)
    return _at_location(
        frame,
        location,
        offset_h=offset_h,
        is_typical=False,
        source="pvgis-hourly",
        description=f"{database or 'PVGIS'} hourly series {year_span(years)}",
        provenance={
            "format": "PVGIS hourly " + ("JSON" if is_json else "CSV"),
            "radiation_db": database,
            "time_convention": "UTC stamps are the sample instants (+ offset if "
            "stamped on the hour); label = instant - 30 min; dni = Gb(i)/sin(H_sun)",
        },
        years=years,
    )


def _database_and_slope(
    inputs: Mapping, *, is_json: bool, where: str
) -> tuple[str, float]:
    """The radiation database and the plane's slope [degrees] of an hourly series."""
    if is_json:
        database = str(inputs["meteo_data"]["radiation_db"])
        slope = float(inputs["mounting_system"]["fixed"]["slope"]["value"])
    else:
        database = str(inputs.get("radiation_database", ""))
        slope_text = str(inputs.get("Slope", "0"))
        number = re.search(r"-?\d+(?:\.\d+)?", slope_text)
        if number is None:
            raise WeatherDataError(
                f"{where}: the header line 'Slope: {slope_text.strip()}' gives no "
                "angle (PVGIS writes e.g. 'Slope: 0 deg.'); download the hourly "
                "series again rather than editing its header"
            )
        slope = float(number.group(0))
    return database, slope


def _require_horizontal_components(
    data: pd.DataFrame, slope: float, where: str
) -> None:
    """Raise unless the series is for a horizontal plane, with its components."""
    components = {"poa_direct", "poa_sky_diffuse"} <= set(data.columns)
    if slope != 0.0 or not components:
        what = "on a horizontal plane" if slope == 0 else f"on a {slope:g} deg slope"
        cols = ", ".join(c for c in data.columns if c.startswith("poa")) or "none"
        raise WeatherDataError(
            f"{where}: this PVGIS hourly file holds plane-of-array irradiance {what} "
            f"(columns {cols}), not ghi, dni and dhi; request the hourly series again "
            "for a horizontal plane with 'Radiation components' ticked (API: "
            "seriescalc?angle=0&components=1), or use the PVGIS TMY tool"
        )


def _horizontal_frame(data: pd.DataFrame) -> pd.DataFrame:
    """ghi, dni, dhi [W/m²] from a horizontal plane's components; dni = Gb / sin h."""
    elevation = np.radians(data["solar_elevation"].to_numpy(dtype="float64"))
    beam = data["poa_direct"].to_numpy(dtype="float64")
    sine = np.sin(elevation)
    return pd.DataFrame(
        {
            "ghi": beam + data["poa_sky_diffuse"] + data.get("poa_ground_diffuse", 0.0),
            "dni": np.divide(beam, sine, out=np.zeros_like(beam), where=sine > 0.0),
            "dhi": data["poa_sky_diffuse"],
            "temp_air": data["temp_air"],
            "wind_speed": data["wind_speed"],
        },
        index=data.index,
    )
