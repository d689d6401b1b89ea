"""A weather file parsed into pvlib names and units, and what every parser shares.

:class:`ParsedFile` is what each ``parse_*`` function of
:mod:`solarcase.weather.formats` and :mod:`solarcase.weather.formats_pvgis` returns,
before :func:`solarcase.weather.sources.read_weather` normalises the time axis. No
file or network I/O.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from solarcase.errors import WeatherDataError
from solarcase.weather.frame import OPTIONAL_COLUMNS

__all__ = [
    "HALF_HOUR",
    "HOUR",
    "PA_PER_MBAR",
    "ParsedFile",
    "drop_incomplete_optional",
    "fixed_tz",
    "missing_to_nan",
    "solar_offset_h",
    "stamp_years",
    "truncated_error",
    "year_span",
]

#: Pascal per millibar (hPa).
PA_PER_MBAR = 100.0
HALF_HOUR = pd.Timedelta(minutes=30)
HOUR = pd.Timedelta(hours=1)


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


def fixed_tz(offset_h: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=offset_h))


def solar_offset_h(longitude: float) -> float:
    """The 'solar' time zone round(longitude / 15) [h], halves rounded east."""
    return float(math.floor(longitude / 15.0 + 0.5))


def stamp_years(index: pd.DatetimeIndex) -> tuple[int, ...]:
    """The calendar years of the stamps, sorted."""
    return tuple(int(y) for y in np.unique(index.year))


def year_span(years: tuple[int, ...]) -> str:
    """``"2005"`` or ``"2005-2023"``."""
    return f"{years[0]}" + (f"-{years[-1]}" if years[-1] != years[0] else "")


def missing_to_nan(data: pd.DataFrame, codes: Mapping[str, float]) -> pd.DataFrame:
    """Set each column's values at or above its missing-value code to NaN."""
    data = data.copy()
    for column, code in codes.items():
        if column in data:
            values = pd.to_numeric(data[column], errors="coerce").astype("float64")
            data[column] = values.mask(values >= code)
    return data


def drop_incomplete_optional(data: pd.DataFrame, repairs: list[str]) -> pd.DataFrame:
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
