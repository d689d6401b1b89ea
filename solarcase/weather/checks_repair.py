"""Completeness repairs of a weather frame: the full hourly grid, short gaps, small
negative irradiance (rules 4 and 5 of :mod:`solarcase.weather.checks`).

Each repair appends one line to ``repairs``; anything beyond repair raises
:class:`WeatherDataError` whose message starts with ``where``. No file or network
I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from solarcase.errors import WeatherDataError
from solarcase.weather.frame import INTERVAL, TYPICAL_YEAR, series_years

__all__ = [
    "IRRADIANCE_COLUMNS",
    "MAX_GAP_H",
    "SMALL_NEGATIVE_W_PER_M2",
    "complete_grid",
    "fill_gaps",
    "fix_negative_irradiance",
    "nan_runs",
]

MAX_GAP_H = 3
"""Longest run of missing hours that is interpolated [h]."""
SMALL_NEGATIVE_W_PER_M2 = -10.0
"""Negative irradiance down to this is set to 0; below it is an error [W/m²]."""
IRRADIANCE_COLUMNS = ("ghi", "dni", "dhi")
"""The irradiance columns of the weather frame [W/m²]."""


def complete_grid(
    index: pd.DatetimeIndex, is_typical: bool, where: str
) -> pd.DatetimeIndex:
    """The complete hourly grid the frame should fill, on the frame's own phase."""
    first, last = index[0], index[-1]
    phase = first - first.floor("h")
    if is_typical:
        start = pd.Timestamp(TYPICAL_YEAR, 1, 1, tz=index.tz) + phase
        end = pd.Timestamp(TYPICAL_YEAR + 1, 1, 1, tz=index.tz)
        if first < start - phase or last >= end:
            raise WeatherDataError(
                f"{where}: a typical year must lie in {TYPICAL_YEAR}, got {first} to "
                f"{last}; read the file with read_weather, which coerces the year"
            )
    else:
        year1, year2 = series_years(index)
        start = first
        end = pd.Timestamp(year2 + 1, 1, 1, tz=index.tz)
        expected_h = (end - pd.Timestamp(year1, 1, 1, tz=index.tz)) / INTERVAL
        span_h = (last - first) / INTERVAL + 1
        if year2 < year1 or span_h != expected_h:
            raise WeatherDataError(
                f"{where}: a multi-year series must cover whole calendar years, got "
                f"{first} to {last} ({span_h:g} h; {year1}-{year2} have "
                f"{expected_h:g} h); download whole years (1 January to 31 December)"
            )
        end = last + INTERVAL
    return pd.date_range(start, end, freq=INTERVAL, inclusive="left", unit=index.unit)


def nan_runs(is_missing: np.ndarray, cyclic: bool) -> list[tuple[int, int]]:
    """(start position, length) of each run of True, joined across the end if cyclic."""
    n = len(is_missing)
    if not is_missing.any():
        return []
    if is_missing.all():
        return [(0, n)]
    rotation = int(np.argmin(is_missing)) if cyclic else 0  # first valid value
    rolled = np.roll(is_missing, -rotation).astype(np.int8)
    edges = np.diff(np.concatenate(([0], rolled, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [
        (int((s + rotation) % n), int(e - s)) for s, e in zip(starts, ends, strict=True)
    ]


def fill_gaps(
    data: pd.DataFrame,
    geometry: pd.DataFrame,
    cyclic: bool,
    where: str,
    repairs: list[str],
) -> pd.DataFrame:
    """Interpolate gaps of up to :data:`MAX_GAP_H` hours linearly in time (across the
    year's end if ``cyclic``); irradiance filled while the sun is down is set to 0.

    ``geometry`` holds the sun's ``elevation`` [degrees] per hour of ``data``.
    """
    missing = data.isna()
    if not missing.to_numpy().any():
        return data
    longest, first_gap = 0, None
    for column in data.columns:
        runs = nan_runs(missing[column].to_numpy(), cyclic)
        for start, length in runs:
            if length > MAX_GAP_H:
                begin = data.index[start]
                stop = data.index[(start + length - 1) % len(data)]
                raise WeatherDataError(
                    f"{where}: {column} is missing for {length} h from {begin} to "
                    f"{stop}; gaps of at most {MAX_GAP_H} h are interpolated: fill "
                    "it from another source or use a complete file"
                )
            if length > longest:
                longest, first_gap = length, data.index[start]
    pad = MAX_GAP_H + 1
    values = data.to_numpy()
    if cyclic:
        values = np.concatenate([values[-pad:], values, values[:pad]])
    filled = pd.DataFrame(values).interpolate(limit_direction="both").to_numpy()
    filled = filled[pad:-pad] if cyclic else filled
    result = pd.DataFrame(filled, index=data.index, columns=data.columns)
    is_night = geometry["elevation"].to_numpy() < 0.0
    for column in IRRADIANCE_COLUMNS:
        if column in result:
            result[column] = result[column].mask(missing[column] & is_night, 0.0)
    counts = {c: int(n) for c, n in missing.sum().items() if n}
    repairs.append(
        f"interpolated missing values {counts} linearly in time (longest gap {longest}"
        f" h, at {first_gap}); irradiance set to 0 while the sun is down"
    )
    return result


def fix_negative_irradiance(
    data: pd.DataFrame, where: str, repairs: list[str]
) -> pd.DataFrame:
    """Set irradiance down to :data:`SMALL_NEGATIVE_W_PER_M2` to 0; below, an error."""
    data = data.copy()
    for column in IRRADIANCE_COLUMNS:
        values = data[column]
        if (values < SMALL_NEGATIVE_W_PER_M2).any():
            bad = values[values < SMALL_NEGATIVE_W_PER_M2]
            raise WeatherDataError(
                f"{where}: {column} has {len(bad)} values below "
                f"{SMALL_NEGATIVE_W_PER_M2:g} W/m², the first {bad.iloc[0]:g} at "
                f"{bad.index[0]}; irradiance cannot be negative: check for missing-"
                "value codes (e.g. -9999) and the column map"
            )
        negative = values < 0.0
        if negative.any():
            data[column] = values.mask(negative, 0.0)
            repairs.append(
                f"set {int(negative.sum())} negative {column} values (down to "
                f"{values.min():.1f} W/m²) to 0"
            )
    return data
