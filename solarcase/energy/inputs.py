"""Checks of the yield model's inputs: the weather frame and a shared solar position.

What :func:`solarcase.energy.simulate.simulate` verifies before any physics: the
frame's index (tz-aware, regular hourly steps), its required columns (present, finite,
irradiance and wind not negative), a valid weather albedo, that a precomputed solar
position belongs to the frame, and whether the frame is shorter than a year. Pure numpy
and pandas; no pvlib. No file or network I/O.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.units import HOURS_PER_YEAR
from solarcase.weather.frame import INTERVAL, REQUIRED_COLUMNS

__all__ = [
    "INTERVAL_H",
    "SOLAR_POSITION_COLUMNS",
    "check_index",
    "check_solar_position",
    "warn_if_partial_year",
    "weather_albedo",
    "weather_arrays",
]

#: Length of one weather interval. [h]
INTERVAL_H = pd.Timedelta(INTERVAL) / pd.Timedelta(hours=1)

#: Columns of :func:`solarcase.energy.simulate.solar_position`.
SOLAR_POSITION_COLUMNS = (
    "apparent_zenith",
    "zenith",
    "azimuth",
    "dni_extra",
    "airmass_relative",
    "airmass_absolute",
)

_NOT_NEGATIVE = ("ghi", "dni", "dhi", "wind_speed")


def check_index(index: pd.Index, *, where: str) -> None:
    """Check that an index is tz-aware, not empty and in regular hourly steps.

    Parameters
    ----------
    index : pandas.Index
        Interval starts of a weather frame.
    where : str
        Start of the error message (``"weather"``, ``"solar_position"``).

    Raises
    ------
    WeatherDataError
        A naive or non-datetime index, an empty one, or a step other than 1 h (the
        message gives the first bad step and where it is).
    """
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise WeatherDataError(
            f"{where}: the index must be a tz-aware DatetimeIndex in local standard "
            f"time, got {type(index).__name__} with tz {getattr(index, 'tz', None)!r}"
        )
    if len(index) == 0:
        raise WeatherDataError(f"{where}: the weather frame is empty")
    steps = np.diff(index.asi8)
    step = pd.Timedelta(INTERVAL) // pd.Timedelta(1, unit=index.unit)
    if len(steps) and not np.all(steps == step):
        bad = int(np.flatnonzero(steps != step)[0])
        raise WeatherDataError(
            f"{where}: intervals must be regular hourly steps, got a step of "
            f"{index[bad + 1] - index[bad]} after {index[bad]}; resample or fill gaps"
        )


def weather_arrays(weather: pd.DataFrame) -> dict[str, np.ndarray]:
    """The required columns of a weather frame as float arrays, after checking them.

    Parameters
    ----------
    weather : pandas.DataFrame
        The hourly frame of ``solarcase.weather.frame``.

    Returns
    -------
    arrays : dict of numpy.ndarray
        One array per name of ``REQUIRED_COLUMNS`` (``ghi``, ``dni``, ``dhi`` [W/m²],
        ``temp_air`` [°C], ``wind_speed`` [m/s]); the frame is not modified, and
        the arrays may be read-only views of it (pandas copy-on-write).

    Raises
    ------
    WeatherDataError
        Not a DataFrame; missing columns; a missing, non-finite or (irradiance, wind)
        negative value, with the count and the first time stamp; a bad index
        (:func:`check_index`).
    """
    if not isinstance(weather, pd.DataFrame):
        raise WeatherDataError(
            f"weather: expected a pandas DataFrame, got {type(weather).__name__}"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in weather.columns]
    if missing:
        raise WeatherDataError(
            f"weather: missing column(s) {missing}; the frame needs "
            f"{list(REQUIRED_COLUMNS)} (pvlib names, W/m², °C, m/s)"
        )
    check_index(weather.index, where="weather")
    arrays = {}
    for name in REQUIRED_COLUMNS:
        values = weather[name].to_numpy(dtype=float)
        is_bad = ~np.isfinite(values)
        if name in _NOT_NEGATIVE:
            is_bad |= values < 0
        if is_bad.any():
            first = int(np.argmax(is_bad))
            raise WeatherDataError(
                f"weather.{name}: {int(is_bad.sum())} missing, non-finite or negative "
                f"value(s), first at {weather.index[first]}, got {values[first]!r}; "
                "repair them when reading the weather (see weather checks)"
            )
        arrays[name] = values
    return arrays


def weather_albedo(weather: pd.DataFrame, *, default: float) -> np.ndarray | float:
    """Weather albedo where valid (0 < a < 1, as SAM), else ``default``.

    Parameters
    ----------
    weather : pandas.DataFrame
        The hourly frame, with or without an ``albedo`` column. [-]
    default : float
        The system's albedo, for a frame without the column or an invalid value. [-]

    Returns
    -------
    albedo : numpy.ndarray or float
        Per interval, or ``default`` itself when the frame has no column. [-]
    """
    if "albedo" not in weather.columns:
        return default
    values = weather["albedo"].to_numpy(dtype=float)
    is_valid = np.isfinite(values) & (values > 0.0) & (values < 1.0)
    return np.where(is_valid, values, default)


def check_solar_position(position: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """A precomputed solar position, checked against the weather's index.

    Parameters
    ----------
    position : pandas.DataFrame
        Output of :func:`solarcase.energy.simulate.solar_position`.
    index : pandas.Index
        The weather frame's index.

    Returns
    -------
    position : pandas.DataFrame
        ``position`` itself.

    Raises
    ------
    ValueError
        Missing columns of :data:`SOLAR_POSITION_COLUMNS` or another index (a bug in
        the caller, not a user error).
    """
    missing = [c for c in SOLAR_POSITION_COLUMNS if c not in position]
    if missing or not position.index.equals(index):
        raise ValueError(
            "solar_position must come from solar_position(weather.index, site); "
            f"missing columns {missing} or a different index"
        )
    return position


def warn_if_partial_year(index: pd.Index) -> None:
    """Warn when a frame holds less than a year, so annual figures are extrapolated.

    Parameters
    ----------
    index : pandas.Index
        The weather frame's index, in steps of :data:`INTERVAL_H`.

    Warns
    -----
    SolarcaseWarning
        Under 8,760 h of data. The warning points at the caller of the function that
        calls this one (``simulate``'s caller).
    """
    hours = len(index) * INTERVAL_H
    if hours < HOURS_PER_YEAR:
        warnings.warn(
            f"weather: {hours:g} h of data; annual figures are extrapolated to 8,760 h",
            SolarcaseWarning,
            stacklevel=3,
        )
