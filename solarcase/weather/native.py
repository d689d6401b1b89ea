"""The native solarcase weather CSV: a plain hourly file that carries its provenance.

Format ``solarcase-weather v1`` (UTF-8, ``\\n`` line ends)::

    # solarcase-weather v1
    # source: synthetic
    # latitude: 32.8905
    # longitude: 59.2836
    # altitude: 1491.0
    # utc_offset_h: 3.5
    # is_synthetic: true
    # is_typical_year: true
    # description: SYNTHETIC typical year generated from monthly climate normals (...)
    # years: 2005,2006
    # repair: clipped 3 negative ghi values to 0
    # provenance.seed: 2025
    time,ghi,dni,dhi,temp_air,wind_speed
    1990-01-01T00:00:00+03:30,0.0,0.0,0.0,-1.3,1.52

- Line 1 is exactly ``# solarcase-weather v1``; every header line starts with ``# ``
  and holds ``key: value``. ``source``, ``latitude``, ``longitude``, ``utc_offset_h``,
  ``is_synthetic`` and ``is_typical_year`` are required; ``altitude``,
  ``description``, ``years`` (comma list), ``repair`` (one line per repair) and
  ``provenance.<key>`` lines are optional. A backslash or line break inside a value
  is written as ``\\\\`` or ``\\n``.
- Then a CSV header ``time,ghi,dni,dhi,temp_air,wind_speed`` optionally followed by
  any of ``albedo,pressure,relative_humidity,temp_dew`` (pvlib's names and units).
- Times are ISO 8601 with the UTC offset of the header; each label is the start of
  the hour the values average (see :mod:`solarcase.weather.frame`).
- Values are rounded: irradiance 0.1 W/m², temperatures 0.1 °C, wind 0.01 m/s,
  relative humidity 0.1 %, pressure 1 Pa, albedo 0.001. An empty cell is a gap (NaN).
- Readers also accept ``\r\n`` line ends and a UTF-8 byte-order mark; the SHA-256 in
  the returned metadata is always of the file's bytes as stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from solarcase.atomic import atomic_path
from solarcase.errors import WeatherDataError
from solarcase.weather.frame import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, WeatherMeta

#: First line of every native weather file; ``read_weather`` dispatches on it.
MAGIC_LINE = "# solarcase-weather v1"
#: Decimal places written per column.
DECIMALS: Mapping[str, int] = {
    "ghi": 1,
    "dni": 1,
    "dhi": 1,
    "temp_air": 1,
    "wind_speed": 2,
    "albedo": 3,
    "pressure": 0,
    "relative_humidity": 1,
    "temp_dew": 1,
}
_REQUIRED_KEYS = (
    "source",
    "latitude",
    "longitude",
    "utc_offset_h",
    "is_synthetic",
    "is_typical_year",
)
_OPTIONAL_KEYS = ("altitude", "description", "years")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def _unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "r": "\r"}.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


def _offset_text(utc_offset_h: float) -> str:
    minutes = round(utc_offset_h * 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _header_lines(meta: WeatherMeta) -> list[str]:
    items: list[tuple[str, str]] = [
        ("source", meta.source),
        ("latitude", repr(float(meta.latitude))),
        ("longitude", repr(float(meta.longitude))),
    ]
    if meta.altitude is not None:
        items.append(("altitude", repr(float(meta.altitude))))
    items += [
        ("utc_offset_h", repr(float(meta.utc_offset_h))),
        ("is_synthetic", "true" if meta.is_synthetic else "false"),
        ("is_typical_year", "true" if meta.is_typical_year else "false"),
    ]
    if meta.description:
        items.append(("description", meta.description))
    if meta.years:
        items.append(("years", ",".join(str(int(y)) for y in meta.years)))
    items += [("repair", text) for text in meta.repairs]
    items += [(f"provenance.{k}", str(v)) for k, v in meta.provenance.items()]
    lines = [MAGIC_LINE]
    for key, value in items:
        if not key or ":" in key or any(c.isspace() for c in key):
            raise ValueError(f"native weather header key {key!r} must be one word")
        lines.append(f"# {key}: {_escape(value)}")
    return lines


def _format_column(values: np.ndarray, decimals: int) -> list[str]:
    rounded = np.round(values.astype(float), decimals) + 0.0  # turns -0.0 into 0.0
    fmt = f"{{:.{decimals}f}}"
    return ["" if math.isnan(v) else fmt.format(v) for v in rounded.tolist()]


def write_native(frame: pd.DataFrame, meta: WeatherMeta, path: str | Path) -> None:
    """Write an hourly weather frame and its metadata as a native solarcase CSV.

    The file is written to a temporary file in the same directory and moved into
    place with :func:`os.replace`, so readers never see half a file. ``meta.path``,
    ``meta.sha256`` and the frame's column order are not written (the file's own
    path and hash are set when it is read back).

    Parameters
    ----------
    frame : pandas.DataFrame
        Hourly frame following :mod:`solarcase.weather.frame`: columns ``ghi``,
        ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s] and any
        optional columns; a tz-aware, strictly increasing index whose UTC offset is
        ``meta.utc_offset_h``.
    meta : WeatherMeta
        Provenance to write in the header.
    path : str or pathlib.Path
        Destination file; its directory must exist.

    Raises
    ------
    ValueError
        If the frame breaks the frame contract or disagrees with ``meta`` (a bug
        in the caller).
    OutputError
        If the file cannot be written (missing directory, permissions).
    """
    path = Path(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise ValueError(
            f"write_native: frame columns must be {REQUIRED_COLUMNS} plus any of "
            f"{OPTIONAL_COLUMNS}; missing {missing}, unknown {unknown}"
        )
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValueError("write_native: the frame needs a tz-aware DatetimeIndex")
    local = index.tz_localize(None)
    offsets = set(local - index.tz_convert("UTC").tz_localize(None))
    expected = pd.Timedelta(minutes=round(meta.utc_offset_h * 60))
    if offsets - {expected} or not (index.is_monotonic_increasing and index.is_unique):
        raise ValueError(
            f"write_native: the index must be strictly increasing with the fixed UTC "
            f"offset meta.utc_offset_h = {meta.utc_offset_h} h, got offsets "
            f"{sorted(offsets)}"
        )
    columns = list(REQUIRED_COLUMNS) + [c for c in OPTIONAL_COLUMNS if c in frame]
    times = index.strftime(_TIME_FORMAT) + _offset_text(meta.utc_offset_h)
    cells = [_format_column(frame[c].to_numpy(), DECIMALS[c]) for c in columns]
    lines = _header_lines(meta) + [",".join(["time", *columns])]
    lines += [",".join(row) for row in zip(times, *cells, strict=True)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    fix = "check that the directory exists and is writable"
    with atomic_path(path, fix=fix) as staged:
        staged.write_bytes(data)


class _Fail:
    """Builds WeatherDataError messages that name the file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, line: int, what: str, fix: str) -> WeatherDataError:
        return WeatherDataError(f"{self.path}: line {line}: {what}; {fix}")


def _parse_bool(text: str, line: int, key: str, fail: _Fail) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise fail(
        line, f"{key} must be true or false, got {text!r}", "write true or false"
    )


def _parse_float(text: str, line: int, key: str, fail: _Fail) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise fail(line, f"{key} must be a number, got {text!r}", "write e.g. 32.89")
    return value


def _parse_header(lines: list[str], fail: _Fail) -> tuple[WeatherMeta, int]:
    """Parse the ``# key: value`` lines; return the meta and the CSV header's index."""
    if not lines or lines[0].rstrip("\r") != MAGIC_LINE:
        first = lines[0][:60] if lines else ""
        raise fail(
            1,
            f"not a solarcase weather file: got {first!r}",
            f"line 1 must be {MAGIC_LINE!r}",
        )
    raw, repairs, provenance, n = _header_items(lines, fail)
    absent = [k for k in _REQUIRED_KEYS if k not in raw]
    if absent:
        raise fail(
            n + 1,
            f"header lacks {', '.join(absent)}",
            "add '# key: value' lines for them",
        )
    return _header_meta(raw, provenance, tuple(repairs), fail), n


def _header_items(
    lines: list[str], fail: _Fail
) -> tuple[dict[str, tuple[int, str]], list[str], dict[str, str], int]:
    """The header's keys (key -> line number and value), repairs and provenance, and
    the index of the first line after the header."""
    raw: dict[str, tuple[int, str]] = {}
    repairs: list[str] = []
    provenance: dict[str, str] = {}
    n = 1
    while n < len(lines) and lines[n].startswith("#"):
        line_no, text = n + 1, lines[n].rstrip("\r")
        key, sep, value = text[2:].partition(": ")
        if not text.startswith("# ") or not sep or not key:
            raise fail(
                line_no,
                f"malformed header line {text!r}",
                "header lines are '# key: value'",
            )
        value = _unescape(value)
        if key == "repair":
            repairs.append(value)
        elif key.startswith("provenance.") and len(key) > len("provenance."):
            provenance[key.removeprefix("provenance.")] = value
        elif key in _REQUIRED_KEYS + _OPTIONAL_KEYS:
            if key in raw:
                raise fail(
                    line_no,
                    f"{key} given twice (first on line {raw[key][0]})",
                    "keep one",
                )
            raw[key] = (line_no, value)
        else:
            raise fail(
                line_no,
                f"unknown header key {key!r}",
                f"use one of {', '.join(_REQUIRED_KEYS + _OPTIONAL_KEYS)}, repair or "
                "provenance.<key>",
            )
        n += 1
    return raw, repairs, provenance, n


def _header_meta(
    raw: Mapping[str, tuple[int, str]],
    provenance: dict[str, str],
    repairs: tuple[str, ...],
    fail: _Fail,
) -> WeatherMeta:
    """The metadata from the header's keys, each value checked."""

    def number(key: str) -> float:
        return _parse_float(raw[key][1], raw[key][0], key, fail)

    def flag(key: str) -> bool:
        return _parse_bool(raw[key][1], raw[key][0], key, fail)

    years = _header_years(raw, fail)
    return WeatherMeta(
        source=raw["source"][1],
        latitude=number("latitude"),
        longitude=number("longitude"),
        altitude=number("altitude") if "altitude" in raw else None,
        utc_offset_h=number("utc_offset_h"),
        is_synthetic=flag("is_synthetic"),
        is_typical_year=flag("is_typical_year"),
        description=raw.get("description", (0, ""))[1],
        provenance=provenance,
        years=years,
        repairs=repairs,
    )


def _header_years(raw: Mapping[str, tuple[int, str]], fail: _Fail) -> tuple[int, ...]:
    """The ``years`` key as a tuple; () when absent or blank."""
    if "years" not in raw or not raw["years"][1].strip():
        return ()
    line_no, text = raw["years"]
    try:
        return tuple(int(y) for y in text.split(","))
    except ValueError:
        raise fail(
            line_no,
            f"years must be a comma list of years, got {text!r}",
            "write e.g. 2005,2006",
        ) from None


def _parse_columns(text: str, line: int, fail: _Fail) -> list[str]:
    names = [c.strip() for c in text.rstrip("\r").split(",")]
    expected = ["time", *REQUIRED_COLUMNS]
    extra = names[len(expected) :]
    bad = [c for c in extra if c not in OPTIONAL_COLUMNS]
    if names[: len(expected)] != expected or bad or len(set(extra)) != len(extra):
        raise fail(
            line,
            f"the column header must be {','.join(expected)} optionally followed by "
            f"any of {','.join(OPTIONAL_COLUMNS)}, got {text.strip()!r}",
            "fix the header line",
        )
    return names


def read_native(path: str | Path) -> tuple[pd.DataFrame, WeatherMeta]:
    """Read a native solarcase weather CSV (``# solarcase-weather v1``).

    Parameters
    ----------
    path : str or pathlib.Path
        File written by :func:`write_native` (or by hand, in the same format).

    Returns
    -------
    frame : pandas.DataFrame
        Hourly frame: ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C],
        ``wind_speed`` [m/s] and any optional columns, as float64; tz-aware index of
        interval starts in the file's standard time.
    meta : WeatherMeta
        The header's metadata, with ``path`` and ``sha256`` (of the file's bytes) set.

    Raises
    ------
    WeatherDataError
        If the file cannot be read or is malformed: wrong first line, bad header,
        unexpected columns, a row with the wrong number of fields, a value that is
        not a number, a time that is not ISO 8601, has another UTC offset than the
        header, or does not increase. The message names the file, the line and the
        fix.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise WeatherDataError(
            f"{path}: cannot read the weather file ({err.strerror or err}); "
            "check the path"
        ) from err
    return parse_native(data, path)


def parse_native(data: bytes, path: Path) -> tuple[pd.DataFrame, WeatherMeta]:
    """Parse the bytes of a native weather CSV already read from ``path``.

    As :func:`read_native` (which reads the file and calls this), for a caller that
    has the bytes: :func:`~solarcase.weather.sources.read_weather` reads a file once
    to detect its format.
    """
    fail = _Fail(path)
    lines = _lines(data, path)
    meta, n = _parse_header(lines, fail)
    if n >= len(lines):
        raise fail(
            n + 1,
            "the file has no column header",
            "add time,ghi,dni,dhi,temp_air,wind_speed",
        )
    columns = _parse_columns(lines[n], n + 1, fail)
    first = n + 1  # index into lines of the first data row
    if first >= len(lines):
        raise fail(
            first + 1, "the file has no data rows", "add hourly rows below the header"
        )
    offset = dt.timedelta(minutes=round(meta.utc_offset_h * 60))
    times, values = _parse_rows(lines, first, columns, offset, fail)
    index = pd.DatetimeIndex(times).tz_convert(dt.timezone(offset))
    index.name = None
    frame = pd.DataFrame(values, index=index, columns=columns[1:])
    meta = replace(meta, path=str(path), sha256=hashlib.sha256(data).hexdigest())
    return frame, meta


def _lines(data: bytes, path: Path) -> list[str]:
    """The lines of a file's bytes (UTF-8, BOM and final newline off)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise WeatherDataError(
            f"{path}: the file is not UTF-8 text ({err}); save it as UTF-8"
        ) from err
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _parse_rows(
    lines: list[str],
    first: int,
    columns: list[str],
    offset: dt.timedelta,
    fail: _Fail,
) -> tuple[list[dt.datetime], np.ndarray]:
    """Times and values of the data rows ``lines[first:]``, each checked; every time
    must carry the UTC ``offset`` and come after the previous row's."""
    zone = _offset_text(offset.total_seconds() / 3600.0)
    times: list[dt.datetime] = []
    values = np.empty((len(lines) - first, len(columns) - 1))
    for i, row_text in enumerate(lines[first:]):
        line_no = first + i + 1
        cells = row_text.rstrip("\r").split(",")
        if len(cells) != len(columns):
            raise fail(
                line_no,
                f"expected {len(columns)} fields, got {len(cells)}",
                "give one value per column (empty for a gap)",
            )
        try:
            stamp = dt.datetime.fromisoformat(cells[0])
        except ValueError:
            stamp = None
        if stamp is None or stamp.utcoffset() != offset:
            raise fail(
                line_no,
                f"time {cells[0]!r} is not an ISO 8601 time with UTC offset {zone}",
                f"write e.g. 1990-01-01T00:00:00{zone} (the header's utc_offset_h)",
            )
        if times and stamp <= times[-1]:
            raise fail(
                line_no,
                f"time {cells[0]!r} does not come after the previous row's",
                "sort the rows by time and remove duplicates",
            )
        times.append(stamp)
        for j, cell in enumerate(cells[1:]):
            values[i, j] = _parse_cell(cell, columns[j + 1], line_no, fail)
    return times, values


def _parse_cell(cell: str, column: str, line: int, fail: _Fail) -> float:
    """A value cell: a finite number, or NaN when empty (a gap)."""
    try:
        value = float(cell) if cell.strip() else math.nan
    except ValueError:
        value = math.inf
    if math.isinf(value):
        raise fail(
            line,
            f"{column} must be a finite number, got {cell!r}",
            "write a number, or leave the cell empty for a gap",
        )
    return value
