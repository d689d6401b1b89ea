"""Parse each weather format into pvlib names and units, and say how it stamps time.

Each ``parse_*`` function returns a :class:`ParsedFile`: the file's values with pvlib
column names and units (pressure in Pa, temperatures in °C, wind in m/s), indexed by
the file's own time stamps on its own clock, plus the ``label_shift`` that turns a
stamp into the frame label of :mod:`solarcase.weather.frame` (the start of the hour
whose mean the values are), the file's location and its provenance.
:func:`solarcase.weather.sources.read_weather` dispatches here and normalises the time
axis. The conventions and the evidence for each are in ``docs/weather.md``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from pvlib import iotools

from solarcase.errors import WeatherDataError
from solarcase.weather.formats_pvgis import (
    parse_pvgis_hourly,
    parse_pvgis_tmy,
    pvgis_instant_shift,
)
from solarcase.weather.frame import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, time_index
from solarcase.weather.parsed import (
    HALF_HOUR,
    HOUR,
    PA_PER_MBAR,
    ParsedFile,
    drop_incomplete_optional,
    fixed_tz,
    missing_to_nan,
    stamp_years,
    truncated_error,
    year_span,
)

__all__ = [
    "PARSERS",
    "parse_csv",
    "parse_epw",
    "parse_psm3",
    "parse_tmy2",
    "parse_tmy3",
]

# -- EPW ------------------------------------------------------------------------------

_EPW_MISSING = {
    "ghi": 9999.0,
    "dni": 9999.0,
    "dhi": 9999.0,
    "temp_air": 99.9,
    "temp_dew": 99.9,
    "relative_humidity": 999.0,
    "pressure": 999999.0,
    "wind_speed": 999.0,
    "albedo": 999.0,
}


def parse_epw(text: str, path: Path) -> ParsedFile:
    """EPW: hour h sums the hour ending at h, local standard time of the TZ field.

    An EPW written by PVGIS is recognised and read as PVGIS data: UTC rows whatever
    its TZ field says, irradiance instantaneous at hour - 1 h + offset.
    """
    data, meta = iotools.read_epw(io.StringIO(text))
    data = data.rename(columns={"atmospheric_pressure": "pressure"})
    data = missing_to_nan(data, _EPW_MISSING)
    if len(data) not in (8760, 8784):
        raise truncated_error(path, len(data), "an EPW year has 8760")
    header = text[:3000]
    offset_match = re.search(r"Irradiance Time Offset \(h\):\s*([-+0-9.]+)", header)
    by_pvgis = offset_match is not None or (
        meta["data_type"] == "ECMWF/ERA" and meta["city"] == "unknown"
    )
    repairs: list[str] = []
    data = drop_incomplete_optional(data, repairs)
    years = stamp_years(time_index(data))
    provenance = {
        "format": "EPW",
        "time_zone_field_h": f"{meta['TZ']:g}",
        "data_type": str(meta["data_type"]).strip(),
    }
    if by_pvgis:
        data, shift, description, convention = _written_by_pvgis(
            data, offset_match, years
        )
    else:
        shift, description = pd.Timedelta(0), _epw_description(meta)
        convention = {
            "time_convention": "EPW hour h = hour ending at h local standard time"
        }
    return ParsedFile(
        data,
        shift,
        True,
        "epw",
        meta["latitude"],
        meta["longitude"],
        meta["altitude"],
        float(meta["TZ"]),
        description,
        provenance | convention,
        years,
        repairs,
    )


def _written_by_pvgis(
    data: pd.DataFrame, offset_match: re.Match[str] | None, years: tuple[int, ...]
) -> tuple[pd.DataFrame, pd.Timedelta, str, dict[str, str]]:
    """Rows on UTC stamps, label shift, description and provenance of a PVGIS EPW."""
    # Rows are UTC (hour 1 = PVGIS's 00:00 UTC record); the comment's offset is
    # counted from the EPW hour, i.e. one hour later than from PVGIS's stamp.
    stamps = time_index(data).tz_localize(None).tz_localize("UTC")
    offset_h = float(offset_match.group(1)) + 1.0 if offset_match else 0.0
    provenance = {
        "writer": "PVGIS",
        "irradiance_time_offset_h": f"{offset_h:g}"
        + ("" if offset_match else " (assumed: no offset comment)"),
        "time_convention": "PVGIS EPW rows are UTC; instantaneous irradiance at "
        "stamp + offset; label = instant - 30 min",
    }
    description = (
        f"PVGIS typical year (EPW written by PVGIS), months from {year_span(years)}"
    )
    return data.set_axis(stamps), pvgis_instant_shift(offset_h), description, provenance


def _epw_description(meta: Mapping) -> str:
    place = ", ".join(
        str(meta[k]).strip() for k in ("city", "state-prov", "country") if meta[k]
    )
    return f"EPW typical year, {place} ({str(meta['data_type']).strip()})"


# -- TMY3 and TMY2 --------------------------------------------------------------------


def parse_tmy3(text: str, path: Path) -> ParsedFile:
    """TMY3: HH:MM ends the hour (sums over the hour before), local standard time."""
    data, meta = iotools.read_tmy3(io.StringIO(text), map_variables=True)
    if len(data) != 8760:
        raise truncated_error(path, len(data), "a TMY3 year has 8760")
    data = data.copy()
    for column, flag in (("albedo", "Alb source"), ("pressure", "Pressure source")):
        if column in data and flag in data:
            data[column] = data[column].mask(data[flag].astype(str).str.strip() == "?")
    for column in ("ghi", "dni", "dhi", "temp_air", "temp_dew", "wind_speed"):
        data[column] = data[column].astype("float64").mask(data[column] <= -9900)
    data["pressure"] = data["pressure"] * PA_PER_MBAR
    repairs: list[str] = []
    data = drop_incomplete_optional(data, repairs)
    name = str(meta["Name"]).strip().strip('"')
    return ParsedFile(
        data,
        -HOUR,
        True,
        "tmy3",
        meta["latitude"],
        meta["longitude"],
        meta["altitude"],
        float(meta["TZ"]),
        f"TMY3 typical year, {name}, {meta['State']} (USAF {meta['USAF']})",
        {
            "format": "TMY3",
            "station_usaf": str(meta["USAF"]),
            "time_convention": "HH:MM ends the hour, local standard time",
        },
        stamp_years(time_index(data)),
        repairs,
    )


#: TMY2 field widths in file order (TMY2 user's manual, table 3-1); "sN" = flags.
_TMY2_FIELDS = (
    ("year", 2), ("month", 2), ("day", 2), ("hour", 2), ("etr", 4), ("etrn", 4),
    ("ghi", 4), ("s", 2), ("dni", 4), ("s", 2), ("dhi", 4), ("s", 2),
    ("ghillum", 4), ("s", 2), ("dnillum", 4), ("s", 2), ("dhillum", 4), ("s", 2),
    ("zenlum", 4), ("s", 2), ("totcld", 2), ("s", 2), ("opqcld", 2), ("s", 2),
    ("drybulb", 4), ("s", 2), ("dewpoint", 4), ("s", 2), ("rhum", 3), ("s", 2),
    ("pressure", 4), ("s", 2), ("wdir", 3), ("s", 2), ("wspd", 3), ("s", 2),
)  # fmt: skip
#: (pvlib name, TMY2 field, factor to pvlib units)
_TMY2_COLUMNS = (
    ("ghi", "ghi", 1.0),
    ("dni", "dni", 1.0),
    ("dhi", "dhi", 1.0),
    ("temp_air", "drybulb", 0.1),
    ("wind_speed", "wspd", 0.1),
    ("pressure", "pressure", PA_PER_MBAR),
    ("relative_humidity", "rhum", 1.0),
    ("temp_dew", "dewpoint", 0.1),
)


def _tmy2_slices() -> dict[str, slice]:
    slices, cursor = {}, 1  # column 0 is a blank
    for name, width in _TMY2_FIELDS:
        slices[name] = slice(cursor, cursor + width)
        cursor += width
    return slices


def parse_tmy2(text: str, path: Path) -> ParsedFile:
    """TMY2: hour 1-24 ends the hour, local standard time; tenths of °C and m/s.

    Vectorised fixed-width parsing (pvlib's read_tmy2 loops in Python: 0.5 s a year);
    the tests check it value for value against pvlib's reader.
    """
    header, *lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) != 8760:
        raise truncated_error(path, len(lines), "a TMY2 year has 8760")
    tokens = header.split()
    lat = (float(tokens[-6]) + float(tokens[-5]) / 60) * (
        1 if tokens[-7] == "N" else -1
    )
    lon = (float(tokens[-3]) + float(tokens[-2]) / 60) * (
        1 if tokens[-4] == "E" else -1
    )
    slices = _tmy2_slices()

    def field_values(name: str) -> np.ndarray:
        return np.array([line[slices[name]] for line in lines], dtype="float64")

    year, month, day, hour = (field_values(n) for n in ("year", "month", "day", "hour"))
    stamps = pd.to_datetime(
        {"year": 1900 + year, "month": month, "day": day, "hour": hour - 1}
    )
    tz = fixed_tz(float(tokens[-8]))
    data = pd.DataFrame(
        {name: field_values(src) * k for name, src, k in _TMY2_COLUMNS},
        index=pd.DatetimeIndex(stamps).tz_localize(tz),
    )
    city = " ".join(tokens[1:-9]).title()
    return ParsedFile(
        data,
        pd.Timedelta(0),
        True,
        "tmy2",
        lat,
        lon,
        float(tokens[-1]),
        float(tokens[-8]),
        f"TMY2 typical year, {city}, {tokens[-9]} (WBAN {tokens[0]})",
        {
            "format": "TMY2",
            "station_wban": tokens[0],
            "time_convention": "hour h ends the hour, local standard time",
        },
        stamp_years(time_index(data)),
    )


# -- NSRDB PSM3 / SAM CSV -------------------------------------------------------------

_PRESSURE_TO_PA = {"mbar": 100.0, "hpa": 100.0, "pa": 1.0, "kpa": 1000.0}


def _half_hours_to_hour_means(data: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Hour means from instantaneous samples at HH:00 and HH:30 (trapezoid rule).

    The mean over [HH:00, HH+1:00) of the straight lines joining the samples is
    (v(HH:00) + 2 v(HH:30) + v(HH+1:00)) / 4; the last hour reuses its HH:30 sample
    for the missing next one. Over a year this equals the half-hourly sum that SAM
    would integrate.
    """
    index = time_index(data)
    steps = (index[1:] - index[:-1]) / HALF_HOUR
    if index[0].minute != 0 or len(index) % 2 or not np.all(steps == 1.0):
        raise WeatherDataError(
            f"{path}: a 30-minute PSM3 file must run without gaps from HH:00 to "
            "HH:30 of its last hour; download the data again, or with interval=60"
        )
    values = data.to_numpy(dtype="float64")
    following = np.concatenate([values[2::2], values[-1:]])
    means = (values[0::2] + 2.0 * values[1::2] + following) / 4.0
    return pd.DataFrame(means, index=index[0::2], columns=data.columns)


def parse_psm3(text: str, path: Path) -> ParsedFile:
    """NSRDB PSM3 / SAM CSV: instantaneous values at the stamp, header's Time Zone."""
    data, meta = iotools.read_nsrdb_psm4(io.StringIO(text))
    data = data[[c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in data]]
    step = data.index.to_series().diff().dropna()
    repairs: list[str] = []
    shift = -HALF_HOUR  # hourly files: the HH:30 sample is the hour's midpoint
    if len(step) and (step == HALF_HOUR).mean() > 0.5:
        data, shift = _half_hours_to_hour_means(data, path), pd.Timedelta(0)
        repairs.append(
            "averaged the 30-minute PSM3 samples to hour means: (v(HH:00) + "
            "2 v(HH:30) + v(HH+1:00)) / 4"
        )
    elif len(step) and not (step.abs() == HOUR).mean() > 0.5:
        raise WeatherDataError(
            f"{path}: PSM3 time step of {step.mode().iloc[0]}; solarcase reads 60- "
            "and 30-minute files: download the data with interval=60"
        )
    unit = str(meta.get("Pressure Units", "mbar")).strip().lower()
    data = data.copy()
    if "pressure" in data:
        data["pressure"] = data["pressure"] * _PRESSURE_TO_PA.get(unit, 100.0)
    data = drop_incomplete_optional(data, repairs)
    stamps = time_index(data)
    is_typical = not stamps.is_monotonic_increasing
    years = stamp_years(stamps)
    local = float(meta.get("Local Time Zone", meta["Time Zone"]))
    kind = "typical year" if is_typical else f"series {year_span(years)}"
    return ParsedFile(
        data,
        shift,
        is_typical,
        "psm3",
        float(meta["latitude"]),
        float(meta["longitude"]),
        float(meta["altitude"]),
        local,
        f"{meta.get('Source', 'NSRDB')} PSM3 {meta.get('Version', '')} {kind}, "
        f"location ID {meta.get('Location ID', '?')}".replace("  ", " "),
        {
            "format": "NSRDB PSM3 / SAM CSV",
            "location_id": str(meta.get("Location ID", "")),
            "version": str(meta.get("Version", "")),
            "file_time_zone_h": str(meta["Time Zone"]),
            "time_convention": "instantaneous values at the stamp; hourly: label = "
            "stamp - 30 min; 30-minute: trapezoid hour means labelled HH:00",
        },
        years,
        repairs,
    )


# -- plain CSV with a column map ------------------------------------------------------


def parse_csv(
    text: str,
    path: Path,
    column_map: Mapping[str, str],
    utc_offset_h: float | None,
    latitude: float | None,
    longitude: float | None,
    altitude: float | None,
) -> ParsedFile:
    """Plain CSV: stamps are interval starts; units and coordinates from the caller."""
    allowed = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, "time"}
    unknown = {k: v for k, v in column_map.items() if v not in allowed}
    if unknown:
        raise WeatherDataError(
            f"{path}: column_map maps to unknown names {unknown}; map file columns to "
            f"{', '.join(sorted(allowed))}"
        )
    if latitude is None or longitude is None:
        raise WeatherDataError(
            f"{path}: a plain CSV has no coordinates; give the site's latitude and "
            "longitude (they are taken from site.latitude/longitude)"
        )
    table = pd.read_csv(io.StringIO(text))
    absent = [c for c in column_map if c not in table.columns]
    if absent:
        raise WeatherDataError(
            f"{path}: column_map names columns {absent} that the file lacks; its "
            f"columns are {list(table.columns)}"
        )
    stamps = _csv_stamps(table, column_map, utc_offset_h, path)
    offset = stamps[0].utcoffset()
    assert offset is not None  # _csv_stamps returns tz-aware stamps
    offset_h = offset.total_seconds() / 3600.0
    data = table.rename(columns=dict(column_map))
    keep = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in data]
    data = data[keep].apply(pd.to_numeric, errors="coerce").set_axis(stamps)
    return ParsedFile(
        data,
        pd.Timedelta(0),
        not stamps.is_monotonic_increasing,
        "csv",
        float(latitude),
        float(longitude),
        None if altitude is None else float(altitude),
        offset_h,
        f"CSV weather file {path.name}",
        {"format": "plain CSV", "time_convention": "stamps are interval starts"},
        stamp_years(stamps),
    )


def _csv_stamps(
    table: pd.DataFrame,
    column_map: Mapping[str, str],
    utc_offset_h: float | None,
    path: Path,
) -> pd.DatetimeIndex:
    """The time column (mapped to ``time``, else the first) as tz-aware stamps."""
    time_column = next((k for k, v in column_map.items() if v == "time"), None)
    time_column = time_column or table.columns[0]
    stamps = pd.DatetimeIndex(pd.to_datetime(table[time_column]))
    if stamps.tz is None:
        if utc_offset_h is None:
            raise WeatherDataError(
                f"{path}: the time column {time_column!r} has no UTC offset; state the "
                'local standard time (site.timezone, e.g. "+03:30")'
            )
        stamps = stamps.tz_localize(fixed_tz(float(utc_offset_h)))
    return stamps


PARSERS: dict[str, Callable[[str, Path], ParsedFile]] = {
    "epw": parse_epw,
    "tmy3": parse_tmy3,
    "tmy2": parse_tmy2,
    "pvgis-tmy": parse_pvgis_tmy,
    "pvgis-hourly": parse_pvgis_hourly,
    "psm3": parse_psm3,
}
