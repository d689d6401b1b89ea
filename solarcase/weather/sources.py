"""Read weather files into the one hourly frame of :mod:`solarcase.weather.frame`.

:func:`read_weather` detects the format from the file's content (never from the
extension alone), parses it (with :mod:`pvlib.iotools` where pvlib has a reader) and
shifts each format's own time labelling onto the frame convention: a tz-aware index in
local standard time whose label is the **start** of the 60-minute interval the values
stand for, so that solar position belongs at label + 30 min.

Per-format time conventions (evidence in ``docs/weather.md``):

- **EPW**: hour *h* (1-24) holds the sums over the hour *ending* at *h* in the local
  standard time of the ``LOCATION`` time zone; ``read_epw`` labels it *h* - 1, which
  is already our label. No shift.
- **EPW written by PVGIS** (recognised by its ``Irradiance Time Offset`` comment or
  its ``ECMWF/ERA`` location line): the rows are in **UTC** whatever the time-zone
  field says (hour 1 holds PVGIS's 00:00 UTC record), and irradiance is instantaneous
  at hour - 1 h + offset. Handled as a PVGIS typical year.
- **TMY3**: ``HH:MM`` is the end of the hour in local standard time (values are sums
  over the hour before); label = stamp - 1 h.
- **TMY2**: hour 1-24 ends the hour in local standard time; label = hour - 1.
- **PVGIS typical year** (CSV, JSON): stamps ``HH:00`` in UTC; irradiance is the
  instantaneous satellite value at stamp + ``irradiance_time_offset`` (0.1761 h for
  PVGIS-SARAH3 at 45 N; 0.5 h, an hour mean, for ERA5). We centre the interval on
  that instant: label = stamp + offset - 30 min (offset rounded to whole minutes).
  Other variables ride on the same row.
- **PVGIS hourly series**: stamps ``HH:MM`` in UTC are the sample instants (e.g.
  ``00:10``); label = stamp - 30 min. Only a horizontal plane with radiation
  components (``angle=0``, ``components=1``) can be turned into ghi, dni and dhi.
- **NSRDB PSM3 / SAM CSV**: values are instantaneous at the stamp, in the header's
  ``Time Zone``. Hourly files (stamps ``HH:30``): label = stamp - 30 min. Half-hourly
  files: hour means by the trapezoid rule over the samples at HH:00, HH:30, HH+1:00.
- **Plain CSV**: the time column is taken to be the interval start already, in the
  caller's ``utc_offset_h`` unless the stamps carry their own offset.

Typical years are coerced to :data:`TYPICAL_YEAR` on the file's own clock, shifted,
converted to the requested local standard time and wrapped into that year, so hours
that a time-zone change pushes past 31 December come back at 1 January (the idea of
pvlib's ``roll_utc_offset``, for any offset, also fractional ones such as +3:30).
The per-format parsing lives in :mod:`solarcase.weather.formats`; this module does the
file I/O, the format detection and the time normalisation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from solarcase.errors import WeatherDataError
from solarcase.weather.formats import PARSERS, parse_csv
from solarcase.weather.frame import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    TYPICAL_YEAR,
    WeatherMeta,
    time_index,
    wrap_into_year,
)
from solarcase.weather.parsed import ParsedFile, fixed_tz

#: Formats :func:`read_weather` reads, with a one-line description each.
SUPPORTED_FORMATS: Mapping[str, str] = {
    "epw": "EnergyPlus EPW (EPWs written by PVGIS are recognised)",
    "tmy3": "NREL TMY3 CSV",
    "tmy2": "NREL TMY2",
    "pvgis-tmy": "PVGIS typical year, CSV or JSON",
    "pvgis-hourly": "PVGIS hourly series, CSV or JSON (horizontal, with components)",
    "psm3": "NSRDB PSM3 / SAM CSV",
    "native": "solarcase weather CSV (first line '# solarcase-weather v1')",
    "csv": "plain CSV, read with a column_map",
}
_ALIASES = {"auto": None, "pvgis": "pvgis", "sam": "psm3", "nsrdb": "psm3"}
_COLUMN_NAMES = {
    "ghi": "global horizontal irradiance",
    "dni": "direct normal irradiance",
    "dhi": "diffuse horizontal irradiance",
    "temp_air": "air temperature",
    "wind_speed": "wind speed",
}


def read_weather(
    path: str | Path,
    *,
    format: str | None = None,
    column_map: Mapping[str, str] | None = None,
    utc_offset_h: float | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    altitude: float | None = None,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Read a weather file of any supported format into the hourly weather frame.

    Parameters
    ----------
    path : str or pathlib.Path
        The weather file.
    format : str, optional
        One of :data:`SUPPORTED_FORMATS` (also ``"auto"``, and ``"pvgis"`` for either
        PVGIS kind). Omitted: detected from the content; with ``column_map``: "csv".
    column_map : mapping, optional
        For a plain CSV: file column -> pvlib name (``ghi``, ``dni``, ``dhi``,
        ``temp_air``, ``wind_speed``, optional columns) or ``"time"``; the first
        column is the time column when none maps to ``"time"``.
    utc_offset_h : float, optional
        Local standard time of the returned index [h]. Omitted: the file's own (EPW,
        TMY, PSM3 headers), or round(longitude / 15) for UTC-only PVGIS files.
        Required for a plain CSV whose stamps carry no offset.
    latitude, longitude, altitude : float, optional
        Coordinates [degrees north, degrees east] and elevation [m] of a plain CSV,
        which has no header; ignored when the file states its own.

    Returns
    -------
    frame : pandas.DataFrame
        Required columns, then the optional ones present, float64, pvlib units.
    meta : WeatherMeta
        Source, coordinates, offset, file hash, description and provenance.

    Raises
    ------
    WeatherDataError
        The file is missing, empty, binary, truncated, of unknown format, or lacks a
        required column; the message names the file and says how to fix it.
    """
    path = Path(path)
    fmt = _normalise_format(format, column_map, path)
    raw = _read_bytes(path)
    text = _decode(raw, path)
    if fmt in (None, "pvgis"):
        detected = _detect_format(text)
        if detected is None or (fmt == "pvgis" and not detected.startswith("pvgis")):
            raise _unknown_format(path, text)
        fmt = detected
    if fmt == "native":
        from solarcase.weather.native import parse_native  # written alongside

        return _to_offset(*parse_native(raw, path), utc_offset_h, path)
    _check_not_truncated(text, path)
    try:
        if fmt == "csv":
            parsed = parse_csv(
                text,
                path,
                column_map or {},
                utc_offset_h,
                latitude,
                longitude,
                altitude,
            )
        else:
            parsed = PARSERS[fmt](text, path)
    except WeatherDataError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise WeatherDataError(
            f"{path}: cannot be read as {SUPPORTED_FORMATS[fmt]} ({err}); check that "
            "the file is complete and unedited, or download it again"
        ) from err
    return _finish(parsed, path, hashlib.sha256(raw).hexdigest(), utc_offset_h)


# -- bytes, text and format detection ------------------------------------------------


def _normalise_format(
    format: str | None, column_map: Mapping[str, str] | None, path: Path
) -> str | None:
    if format is None:
        return "csv" if column_map else None
    key = _ALIASES.get(format.lower(), format.lower())
    if key is not None and key != "pvgis" and key not in SUPPORTED_FORMATS:
        raise WeatherDataError(
            f"{path}: unknown weather format {format!r}; use one of "
            f"{', '.join(SUPPORTED_FORMATS)} or 'auto'"
        )
    return key


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise WeatherDataError(
            f"{path}: weather file not found; check the path (a relative path "
            "resolves against the scenario file that states it)"
        ) from err
    except IsADirectoryError as err:
        raise WeatherDataError(
            f"{path}: is a directory, not a weather file; name the file itself"
        ) from err
    except OSError as err:
        raise WeatherDataError(
            f"{path}: cannot be opened ({err.strerror}); check its permissions"
        ) from err


def _decode(raw: bytes, path: Path) -> str:
    if not raw.strip():
        raise WeatherDataError(
            f"{path}: the weather file is empty ({len(raw)} bytes); download it again "
            "or point to the right file"
        )
    head = raw[:8192]
    if head.startswith(b"PK\x03\x04") or b"\x00" in head:
        kind = "a ZIP/XLSX archive" if head.startswith(b"PK") else "binary data"
        raise WeatherDataError(
            f"{path}: is not a text weather file (it holds {kind}); unzip it or export "
            f"it as CSV/EPW; supported formats: {', '.join(SUPPORTED_FORMATS)}"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # SolarAnywhere TMY3 files are ISO-8859-1
        controls = sum(ord(c) < 32 and c not in "\r\n\t" for c in text[:8192])
        if controls > 0.01 * min(len(text), 8192):
            raise WeatherDataError(
                f"{path}: is not a text weather file (it holds binary data); "
                f"supported formats: {', '.join(SUPPORTED_FORMATS)}"
            ) from None
    return text.replace("\r\n", "\n")


_TMY2_HEADER = re.compile(
    r"^\s*\d{5}\s+.*\s[A-Z]{2}\s+[-+]?\d{1,2}\s+[NS]\s+\d+\s+\d+\s+[EW]\s+\d+\s+\d+"
    r"\s+-?\d+\s*$"
)


def _detect_format(text: str) -> str | None:
    """The format of ``text`` judged from its first lines, or None."""
    lines = text.lstrip().split("\n", 3)
    first = lines[0].strip()
    second = lines[1].strip() if len(lines) > 1 else ""
    third = lines[2].strip() if len(lines) > 2 else ""
    if first.startswith("# solarcase-weather"):
        return "native"
    if first.startswith("LOCATION,"):
        return "epw"
    if first.startswith("{"):
        if '"tmy_hourly"' in text:
            return "pvgis-tmy"
        return "pvgis-hourly" if '"hourly"' in text else None
    if first.startswith("Latitude (decimal degrees):"):
        head = text[:4000]
        return "pvgis-tmy" if "month,year" in head else "pvgis-hourly"
    if first.startswith("Source,") and third.startswith("Year,Month,Day,Hour"):
        return "psm3"
    if second.startswith("Date (MM/DD/YYYY),Time (HH:MM)"):
        return "tmy3"
    if _TMY2_HEADER.match(lines[0]) and re.match(
        r"^\s?\d{8}", lines[1] if second else ""
    ):
        return "tmy2"
    return None


def _unknown_format(path: Path, text: str) -> WeatherDataError:
    first = text.lstrip().split("\n", 1)[0][:60]
    if first.lower().startswith(("<!doctype html", "<html")):
        return WeatherDataError(
            f"{path}: is a web page (HTML), not weather data: the download failed or "
            "saved the page around the file; download the file itself again"
        )
    match = re.search(r'"message"\s*:\s*"([^"]{1,300})"', text[:2000])
    if first.startswith("{") and match:
        return WeatherDataError(
            f"{path}: holds an error answer, not weather data: {match.group(1)!r}; "
            "fix the request (coordinates, years, options) and download again"
        )
    return WeatherDataError(
        f"{path}: unknown weather file format (first line {first!r}); supported: "
        + "; ".join(f"{k} ({v})" for k, v in SUPPORTED_FORMATS.items())
        + ". For another CSV layout give a column_map (site.weather.column_map)"
    )


def _check_not_truncated(text: str, path: Path) -> None:
    """Reject a text file cut off in the middle of its last line."""
    if text.endswith("\n") or text.lstrip().startswith("{"):
        return
    tail = text.rsplit("\n", 2)
    if len(tail) == 3 and tail[2].count(",") < tail[1].count(","):
        raise WeatherDataError(
            f"{path}: the file ends in the middle of a line ({tail[2][:40]!r}); it "
            "looks truncated: download or copy it again"
        )


# -- time normalisation ---------------------------------------------------------------


def _coerce_typical_year(
    stamps: pd.DatetimeIndex,
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Stamps with their year set to TYPICAL_YEAR on their own clock; 29 Feb dropped."""
    keep = ~((stamps.month == 2) & (stamps.day == 29))
    kept = stamps[keep]
    wall = pd.to_datetime(
        {
            "year": np.full(len(kept), TYPICAL_YEAR),
            "month": kept.month,
            "day": kept.day,
            "hour": kept.hour,
            "minute": kept.minute,
            "second": kept.second,
        }
    )
    return pd.DatetimeIndex(wall).tz_localize(stamps.tz), np.asarray(keep)


def _checked_offset(offset_h: float, path: Path | str) -> float:
    if not (-12.0 <= offset_h <= 14.0 and (offset_h * 4).is_integer()):
        raise WeatherDataError(
            f"{path}: UTC offset must be a multiple of 15 min in [-12, +14] h, got "
            f"{offset_h!r}; fix site.timezone"
        )
    return float(offset_h)


def _to_offset(
    frame: pd.DataFrame, meta: WeatherMeta, utc_offset_h: float | None, path: Path
) -> tuple[pd.DataFrame, WeatherMeta]:
    """An already normalised frame moved to another local standard time."""
    if utc_offset_h is None or float(utc_offset_h) == meta.utc_offset_h:
        return frame, meta
    offset_h = _checked_offset(float(utc_offset_h), path)
    labels = time_index(frame).tz_convert(fixed_tz(offset_h))
    if meta.is_typical_year:
        labels = wrap_into_year(labels, TYPICAL_YEAR)
    moved = frame.set_axis(labels).sort_index()
    return moved, dataclasses.replace(meta, utc_offset_h=offset_h)


def _finish(
    parsed: ParsedFile, path: Path, sha256: str, utc_offset_h: float | None
) -> tuple[pd.DataFrame, WeatherMeta]:
    return normalise_parsed(
        parsed, where=str(path), utc_offset_h=utc_offset_h, path=path, sha256=sha256
    )


def normalise_parsed(
    parsed: ParsedFile,
    *,
    where: str,
    utc_offset_h: float | None = None,
    path: Path | None = None,
    sha256: str | None = None,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Put a parsed file (or a parsed download) on the frame's time convention.

    The one normalisation every reader goes through: typical years coerced to
    :data:`TYPICAL_YEAR`, labels shifted to interval starts, converted to local
    standard time (and wrapped into the typical year), required columns checked.
    :func:`read_weather` uses it for files, :mod:`solarcase.weather.pvgis` for PVGIS
    answers, so a download and the same answer saved to disk give the same frame.

    Parameters
    ----------
    parsed : ParsedFile
        From a ``parse_*`` or ``*_from_pvlib`` function of
        :mod:`solarcase.weather.formats`.
    where : str
        Start of error messages (the file name, or the request).
    utc_offset_h : float, optional
        Local standard time of the returned index [h]; default the data's own.
    path, sha256 : optional
        The file read and the SHA-256 of its bytes, recorded in the metadata.

    Returns
    -------
    frame : pandas.DataFrame
    meta : WeatherMeta

    Raises
    ------
    WeatherDataError
        A bad offset, duplicated hours, or a missing required column.
    """
    offset_h = parsed.local_offset_h if utc_offset_h is None else utc_offset_h
    offset_h = _checked_offset(float(offset_h), where)
    data, stamps, repairs = parsed.data, time_index(parsed.data), list(parsed.repairs)
    if parsed.is_typical:
        stamps, keep = _coerce_typical_year(stamps)
        if not keep.all():
            data = data[keep]
            repairs.append(f"dropped {int((~keep).sum())} hours of 29 February")
    labels = (stamps + parsed.label_shift).tz_convert(fixed_tz(offset_h))
    if parsed.is_typical:
        labels = wrap_into_year(labels, TYPICAL_YEAR)
    frame = data.set_axis(labels.as_unit("us")).sort_index()
    if frame.index.has_duplicates:
        first = frame.index[frame.index.duplicated()][0]
        raise WeatherDataError(
            f"{where}: the hour starting {first} appears twice; the file is corrupt "
            "or mixes years: download it again"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in frame]
    if missing:
        names = ", ".join(f"{c} ({_COLUMN_NAMES[c]})" for c in missing)
        raise WeatherDataError(
            f"{where}: lacks the required column(s) {names}; it has "
            f"{list(frame.columns)}; use a file with all five, or map them with "
            "column_map"
        )
    columns = [*REQUIRED_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in frame)]
    frame = frame[columns].astype("float64")
    frame.index.name = None
    meta = WeatherMeta(
        source=parsed.source,
        latitude=float(parsed.latitude),
        longitude=float(parsed.longitude),
        altitude=None if parsed.altitude is None else float(parsed.altitude),
        utc_offset_h=offset_h,
        is_synthetic=False,
        is_typical_year=parsed.is_typical,
        path=None if path is None else str(path),
        sha256=sha256,
        description=parsed.description,
        provenance=parsed.provenance,
        years=parsed.years,
        repairs=tuple(repairs),
    )
    return frame, meta
