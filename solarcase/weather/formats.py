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

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pvlib import iotools

from solarcase.errors import WeatherDataError
from solarcase.weather.frame import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

_PA_PER_MBAR = 100.0
_HALF_HOUR = pd.Timedelta(minutes=30)
_HOUR = pd.Timedelta(hours=1)


@dataclass
class ParsedFile:
    """A file parsed into pvlib names and units, before time normalisation."""

    data: pd.DataFrame
    """pvlib names and units; index = the file's stamps, tz-aware, the file's clock."""
    label_shift: pd.Timedelta
    """Frame label = stamp + label_shift."""
    is_typical: bool
    source: str
    latitude: float
    longitude: float
    altitude: float | None
    local_offset_h: float
    """The file's local standard time, used when the caller gives no utc_offset_h."""
    description: str
    provenance: dict[str, str]
    years: tuple[int, ...]
    repairs: list[str] = field(default_factory=list)


def truncated_error(path: Path | str, rows: int, expected: str) -> WeatherDataError:
    return WeatherDataError(
        f"{path}: has {rows} hourly rows, {expected}; the file looks truncated or "
        "edited: download it again"
    )


# -- shared helpers -------------------------------------------------------------------


def fixed_tz(offset_h: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=offset_h))


def _solar_offset_h(longitude: float) -> float:
    """The 'solar' time zone round(longitude / 15) [h], halves rounded east."""
    return float(math.floor(longitude / 15.0 + 0.5))


def _years(index: pd.DatetimeIndex) -> tuple[int, ...]:
    return tuple(int(y) for y in np.unique(index.year))


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}" + (f"-{years[-1]}" if years[-1] != years[0] else "")


def _missing_to_nan(data: pd.DataFrame, codes: Mapping[str, float]) -> pd.DataFrame:
    """Set each column's values at or above its missing-value code to NaN."""
    data = data.copy()
    for column, code in codes.items():
        if column in data:
            values = pd.to_numeric(data[column], errors="coerce").astype("float64")
            data[column] = values.mask(values >= code)
    return data


def _drop_incomplete_optional(data: pd.DataFrame, repairs: list[str]) -> pd.DataFrame:
    """Optional columns with missing values are dropped (and the drop labelled)."""
    for column in OPTIONAL_COLUMNS:
        if column in data:
            missing = int(data[column].isna().sum())
            if missing:
                data = data.drop(columns=column)
                repairs.append(
                    f"dropped optional column {column}: {missing} of {len(data)} "
                    "values missing in the file"
                )
    return data


def _pvgis_instant_shift(offset_h: float) -> pd.Timedelta:
    """Label shift for PVGIS values that are instantaneous at stamp + offset_h.

    The offset is rounded to whole minutes (0.1761 h -> 11 min, 26 s off) so that the
    labels stay readable; 26 s move the sun by about 0.1 deg.
    """
    return pd.Timedelta(minutes=round(offset_h * 60.0)) - _HALF_HOUR


def _pvgis_default_offset(database: str) -> float:
    """Irradiance time offset [h] assumed when a PVGIS file predates the header."""
    return 0.5 if "ERA" in database.upper() else 0.0


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
    data = _missing_to_nan(data, _EPW_MISSING)
    if len(data) not in (8760, 8784):
        raise truncated_error(path, len(data), "an EPW year has 8760")
    header = text[:3000]
    offset_match = re.search(r"Irradiance Time Offset \(h\):\s*([-+0-9.]+)", header)
    by_pvgis = offset_match is not None or (
        meta["data_type"] == "ECMWF/ERA" and meta["city"] == "unknown"
    )
    repairs: list[str] = []
    data = _drop_incomplete_optional(data, repairs)
    years = _years(data.index)
    provenance = {
        "format": "EPW",
        "time_zone_field_h": f"{meta['TZ']:g}",
        "data_type": str(meta["data_type"]).strip(),
    }
    if by_pvgis:
        # Rows are UTC (hour 1 = PVGIS's 00:00 UTC record); the comment's offset is
        # counted from the EPW hour, i.e. one hour later than from PVGIS's stamp.
        stamps = data.index.tz_localize(None).tz_localize("UTC")
        offset_h = float(offset_match.group(1)) + 1.0 if offset_match else 0.0
        provenance.update(
            writer="PVGIS",
            irradiance_time_offset_h=f"{offset_h:g}"
            + ("" if offset_match else " (assumed: no offset comment)"),
            time_convention="PVGIS EPW rows are UTC; instantaneous irradiance at "
            "stamp + offset; label = instant - 30 min",
        )
        description = (
            f"PVGIS typical year (EPW written by PVGIS), months from {_span(years)}"
        )
        return ParsedFile(
            data.set_axis(stamps),
            _pvgis_instant_shift(offset_h),
            True,
            "epw",
            meta["latitude"],
            meta["longitude"],
            meta["altitude"],
            float(meta["TZ"]),
            description,
            provenance,
            years,
            repairs,
        )
    place = ", ".join(
        str(meta[k]).strip() for k in ("city", "state-prov", "country") if meta[k]
    )
    provenance["time_convention"] = "EPW hour h = hour ending at h local standard time"
    return ParsedFile(
        data,
        pd.Timedelta(0),
        True,
        "epw",
        meta["latitude"],
        meta["longitude"],
        meta["altitude"],
        float(meta["TZ"]),
        f"EPW typical year, {place} ({str(meta['data_type']).strip()})",
        provenance,
        years,
        repairs,
    )


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
    data["pressure"] = data["pressure"] * _PA_PER_MBAR
    repairs: list[str] = []
    data = _drop_incomplete_optional(data, repairs)
    name = str(meta["Name"]).strip().strip('"')
    return ParsedFile(
        data,
        -_HOUR,
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
        _years(data.index),
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
    ("pressure", "pressure", _PA_PER_MBAR),
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
        _years(data.index),
    )


# -- PVGIS ----------------------------------------------------------------------------


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
    location = inputs.get("location", inputs)
    meteo = inputs.get("meteo_data", {})
    database = str(meteo.get("radiation_db", ""))
    offset = location.get(
        "irradiance_time_offset", inputs.get("irradiance time offset")
    )
    offset_h = _pvgis_default_offset(database) if offset is None else float(offset)
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
    span = f"months from {_span(years)}"
    if "year_min" in meteo:
        span += f" (chosen from {meteo['year_min']}-{meteo['year_max']})"
    description = f"{database or 'PVGIS'} typical year, {span}"
    return ParsedFile(
        data,
        _pvgis_instant_shift(offset_h),
        True,
        "pvgis-tmy",
        float(location["latitude"]),
        float(location["longitude"]),
        float(location["elevation"]),
        _solar_offset_h(float(location["longitude"])),
        description,
        provenance,
        years,
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
    inputs = meta["inputs"]
    location = inputs.get("location", inputs)
    if is_json:
        database = str(inputs["meteo_data"]["radiation_db"])
        slope = float(inputs["mounting_system"]["fixed"]["slope"]["value"])
    else:
        database = str(inputs.get("radiation_database", ""))
        slope_text = str(inputs.get("Slope", "0"))
        slope = float(re.search(r"-?\d+(?:\.\d+)?", slope_text).group(0))
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
    elevation = np.radians(data["solar_elevation"].to_numpy(dtype="float64"))
    beam = data["poa_direct"].to_numpy(dtype="float64")
    sine = np.sin(elevation)
    frame = pd.DataFrame(
        {
            "ghi": beam + data["poa_sky_diffuse"] + data.get("poa_ground_diffuse", 0.0),
            "dni": np.divide(beam, sine, out=np.zeros_like(beam), where=sine > 0.0),
            "dhi": data["poa_sky_diffuse"],
            "temp_air": data["temp_air"],
            "wind_speed": data["wind_speed"],
        },
        index=data.index,
    )
    offset = location.get("irradiance_time_offset")
    on_the_hour = bool((data.index.minute == 0).all())
    offset_h = float(offset) if offset is not None and on_the_hour else 0.0
    years = _years(data.index)
    return ParsedFile(
        frame,
        _pvgis_instant_shift(offset_h),
        False,
        "pvgis-hourly",
        float(location["latitude"]),
        float(location["longitude"]),
        float(location["elevation"]),
        _solar_offset_h(float(location["longitude"])),
        f"{database or 'PVGIS'} hourly series {_span(years)}",
        {
            "format": "PVGIS hourly " + ("JSON" if is_json else "CSV"),
            "radiation_db": database,
            "time_convention": "UTC stamps are the sample instants (+ offset if "
            "stamped on the hour); label = instant - 30 min; dni = Gb(i)/sin(H_sun)",
        },
        years,
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
    index = data.index
    steps = (index[1:] - index[:-1]) / _HALF_HOUR
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
    shift = -_HALF_HOUR  # hourly files: the HH:30 sample is the hour's midpoint
    if len(step) and (step == _HALF_HOUR).mean() > 0.5:
        data, shift = _half_hours_to_hour_means(data, path), pd.Timedelta(0)
        repairs.append(
            "averaged the 30-minute PSM3 samples to hour means: (v(HH:00) + "
            "2 v(HH:30) + v(HH+1:00)) / 4"
        )
    elif len(step) and not (step.abs() == _HOUR).mean() > 0.5:
        raise WeatherDataError(
            f"{path}: PSM3 time step of {step.mode().iloc[0]}; solarcase reads 60- "
            "and 30-minute files: download the data with interval=60"
        )
    unit = str(meta.get("Pressure Units", "mbar")).strip().lower()
    data = data.copy()
    if "pressure" in data:
        data["pressure"] = data["pressure"] * _PRESSURE_TO_PA.get(unit, 100.0)
    data = _drop_incomplete_optional(data, repairs)
    stamps = data.index
    is_typical = not stamps.is_monotonic_increasing
    years = _years(stamps)
    local = float(meta.get("Local Time Zone", meta["Time Zone"]))
    kind = "typical year" if is_typical else f"series {_span(years)}"
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
    offset_h = stamps[0].utcoffset().total_seconds() / 3600.0
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
        _years(stamps),
    )


PARSERS: dict[str, Callable[[str, Path], ParsedFile]] = {
    "epw": parse_epw,
    "tmy3": parse_tmy3,
    "tmy2": parse_tmy2,
    "pvgis-tmy": parse_pvgis_tmy,
    "pvgis-hourly": parse_pvgis_hourly,
    "psm3": parse_psm3,
}
