"""Quality checks of a weather frame: each problem is an error or a labelled repair.

:func:`check_weather` takes a frame from :func:`solarcase.weather.sources.read_weather`
(or any frame obeying :mod:`solarcase.weather.frame`) and returns a repaired copy whose
``meta.repairs`` lists every change, or raises :class:`WeatherDataError` whose message
starts with ``where``, says what is wrong and how to fix it. Nothing is fixed silently.

Rules, in the order they run:

1. Required columns present; tz-aware, unique, increasing index on one hourly grid
   whose offset matches ``meta.utc_offset_h``.
2. Location: the file's coordinates lie within ``max_distance_km`` of the site
   (great-circle distance), else an error with both coordinate pairs.
3. Time zone: an offset more than 3 h from round(longitude / 15), halves rounded east
   (:func:`~solarcase.weather.parsed.solar_offset_h`), is suspicious but legal (China,
   the date line): a :class:`SolarcaseWarning`, not an error, because wrongly
   labelled hours are caught by rule 6 anyway.
4. Completeness: a typical year covers 8760 hours, a multi-year series whole calendar
   years; gaps (NaN or absent hours) of up to 3 h are interpolated linearly in time
   (irradiance then set to 0 while the sun is down) and labelled; longer gaps are an
   error naming the column and the hours.
5. Negative irradiance down to -10 W/m² is set to 0 and labelled; below, an error.
6. Physical limits: ghi above 1.2 x the extraterrestrial normal irradiance E0n or dni
   above E0n is an error (wrong units or columns); so are temp_air outside
   [-60, 65] °C and wind_speed outside [0, 60] m/s. Consistency, for daylight hours
   (sun above 15 deg at label + 30 min, ghi > 50 W/m²): |ghi - dhi - dni cos z| within
   10 % + 20 W/m² and dhi <= 1.1 ghi + 10 W/m². Satellite and TMY files pass in
   100 % of such hours; more than 5 % failing means shifted time labels or swapped
   columns and is an error whose message names the shift that would fit; 1-5 % warns.

Rules 4 and 5 (the repairs) are in :mod:`solarcase.weather.checks_repair`. Solar
position comes from :func:`pvlib.solarposition.ephemeris` (about 4 ms a year,
within 0.02 deg of SPA) at label + 30 min, the frame's convention.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pvlib

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.checks_repair import (
    IRRADIANCE_COLUMNS,
    complete_grid,
    fill_gaps,
    fix_negative_irradiance,
)
from solarcase.weather.frame import (
    INTERVAL,
    REQUIRED_COLUMNS,
    WeatherMeta,
    time_index,
)
from solarcase.weather.geo import great_circle_distance_km
from solarcase.weather.parsed import solar_offset_h

__all__ = [
    "CLOSURE_MIN_ELEVATION",
    "CLOSURE_MIN_GHI",
    "CLOSURE_TOLERANCE",
    "DHI_TOLERANCE",
    "GHI_EXTRA_FACTOR",
    "INCONSISTENT_ERROR_FRACTION",
    "INCONSISTENT_WARN_FRACTION",
    "LOCATION_MESSAGE",
    "MAX_DISTANCE_KM",
    "TEMP_AIR_RANGE",
    "TIME_ZONE_TOLERANCE_H",
    "WIND_SPEED_RANGE",
    "check_location",
    "check_weather",
    "quality_flags",
    "require_columns",
]

GHI_EXTRA_FACTOR = 1.2
"""ghi above this times E0n is impossible [-]."""
TEMP_AIR_RANGE = (-60.0, 65.0)
"""Plausible air temperature [°C]."""
WIND_SPEED_RANGE = (0.0, 60.0)
"""Plausible wind speed [m/s]."""
CLOSURE_TOLERANCE = (0.10, 20.0)
"""Allowed |ghi - dhi - dni cos z|: fraction of ghi [-] plus a constant [W/m²]."""
DHI_TOLERANCE = (1.10, 10.0)
"""Largest consistent dhi: factor on ghi [-] plus a constant [W/m²]."""
CLOSURE_MIN_ELEVATION = 15.0
"""Sun elevation above which consistency is judged [degrees]."""
CLOSURE_MIN_GHI = 50.0
"""ghi above which consistency is judged [W/m²]."""
INCONSISTENT_WARN_FRACTION = 0.01
INCONSISTENT_ERROR_FRACTION = 0.05
TIME_ZONE_TOLERANCE_H = 3.0
MAX_DISTANCE_KM = 100.0
"""Default largest distance from the weather's coordinates to the site [km]."""
LOCATION_MESSAGE = (
    "{where}: the weather file is for {file_latitude:.3f} N, {file_longitude:.3f} E "
    "but the site is at {site_latitude:.3f} N, {site_longitude:.3f} E, "
    "{distance_km:,.0f} km apart (limit {max_distance_km:g} km); point "
    "site.weather.file at data for this site, or raise site.weather.max_distance_km "
    "if the station is known to represent it"
)
"""The error of :func:`check_location` (a ``str.format`` template)."""

_HALF_INTERVAL = INTERVAL / 2


def require_columns(df: pd.DataFrame, names: Iterable[str], *, where: str) -> None:
    """Raise unless ``df`` has every column in ``names``.

    Raises
    ------
    WeatherDataError
        Naming the missing columns and the ones present.
    """
    missing = [name for name in names if name not in df.columns]
    if missing:
        raise WeatherDataError(
            f"{where}: missing required column(s) {missing}, got {list(df.columns)}; "
            "the weather needs ghi, dni, dhi [W/m²], temp_air [°C] and wind_speed "
            "[m/s]: map the file's columns with site.weather.column_map"
        )


def quality_flags(
    frame: pd.DataFrame, *, latitude: float, longitude: float
) -> pd.DataFrame:
    """Per-hour validity masks (True = valid) of a gap-free weather frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Weather frame with the required columns.
    latitude, longitude : float
        Where the data are [degrees north, degrees east].

    Returns
    -------
    flags : pandas.DataFrame
        Boolean columns ``is_judged`` (daylight hour where consistency is judged),
        ``is_ghi_possible``, ``is_dni_possible``, ``is_closure_ok``,
        ``is_dhi_consistent``, ``is_temp_air_valid``, ``is_wind_speed_valid`` and
        their conjunction ``is_valid``.
    """
    return _flags(frame, _solar_geometry(time_index(frame), latitude, longitude))


def check_weather(
    frame: pd.DataFrame,
    meta: WeatherMeta,
    *,
    where: str,
    site_latitude: float | None = None,
    site_longitude: float | None = None,
    max_distance_km: float = MAX_DISTANCE_KM,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Check a weather frame; return a repaired copy and meta listing the repairs.

    Parameters
    ----------
    frame : pandas.DataFrame
        Weather frame (see :mod:`solarcase.weather.frame`); not modified.
    meta : WeatherMeta
        Its metadata; the file's coordinates are ``meta.latitude/longitude``.
    where : str
        Start of every message, e.g. ``"birjand.yaml: site.weather.file (w.csv)"``.
    site_latitude, site_longitude : float, optional
        The site [degrees]; when given, the file must lie within ``max_distance_km``.
    max_distance_km : float, default 100
        Largest allowed file-to-site distance [km].

    Returns
    -------
    frame : pandas.DataFrame
        Gap-free, repaired copy on the complete hourly grid.
    meta : WeatherMeta
        ``repairs`` extended with one line per repair; ``provenance`` gains
        ``quality_checks``, a one-line summary.

    Raises
    ------
    WeatherDataError
        For every rule above that is broken beyond repair.
    """
    require_columns(frame, REQUIRED_COLUMNS, where=where)
    _check_index(frame, meta, where)
    if site_latitude is not None and site_longitude is not None:
        check_location(
            meta,
            site_latitude,
            site_longitude,
            max_distance_km=max_distance_km,
            where=where,
        )
    _check_time_zone(meta, where)
    repairs = list(meta.repairs)
    grid = complete_grid(time_index(frame), meta.is_typical_year, where)
    data = frame.reindex(grid).astype("float64")
    geometry = _solar_geometry(grid, meta.latitude, meta.longitude)
    data = fill_gaps(data, geometry, meta.is_typical_year, where, repairs)
    data = fix_negative_irradiance(data, where, repairs)
    flags = _flags(data, geometry)
    _check_limits(data, flags, geometry, where)
    summary = _check_consistency(data, flags, meta, where)
    provenance = {**meta.provenance, "quality_checks": summary}
    return data, dataclasses.replace(
        meta, repairs=tuple(repairs), provenance=provenance
    )


# -- index, location, time zone -------------------------------------------------------


def _check_index(frame: pd.DataFrame, meta: WeatherMeta, where: str) -> None:
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise WeatherDataError(
            f"{where}: the weather index must be tz-aware date-times, got "
            f"{type(index).__name__} (tz={getattr(index, 'tz', None)}); read files "
            "with solarcase.weather.sources.read_weather"
        )
    if len(index) < 2:
        raise WeatherDataError(f"{where}: holds {len(index)} hours; need a whole year")
    if index.has_duplicates:
        raise WeatherDataError(
            f"{where}: the hour {index[index.duplicated()][0]} appears twice; "
            "remove the duplicate rows"
        )
    steps = ((index[1:] - index[:-1]) / INTERVAL).to_numpy(dtype="float64")
    if not np.all(steps > 0):
        bad = index[1:][steps <= 0][0]
        raise WeatherDataError(
            f"{where}: time stamps go backwards at {bad}; sort the file by time"
        )
    if not np.allclose(steps, np.round(steps)):
        bad = index[1:][~np.isclose(steps, np.round(steps))][0]
        raise WeatherDataError(
            f"{where}: not hourly data: the step before {bad} is not a whole number "
            "of hours; resample the data to hourly means"
        )
    offset = index[0].utcoffset()
    assert offset is not None  # the index is tz-aware, checked above
    offset_h = offset.total_seconds() / 3600.0
    if not math.isclose(offset_h, meta.utc_offset_h):
        raise WeatherDataError(
            f"{where}: the index is at UTC{offset_h:+g} h but the metadata says "
            f"UTC{meta.utc_offset_h:+g} h; convert the index or fix utc_offset_h"
        )


def check_location(
    meta: WeatherMeta,
    site_latitude: float,
    site_longitude: float,
    *,
    max_distance_km: float,
    where: str,
    message: str = LOCATION_MESSAGE,
) -> None:
    """Raise unless the weather lies within ``max_distance_km`` of the site.

    Parameters
    ----------
    meta : WeatherMeta
        The weather's metadata: ``latitude`` and ``longitude`` [degrees].
    site_latitude, site_longitude : float
        The site [degrees north, degrees east].
    max_distance_km : float
        Largest allowed great-circle distance [km].
    where : str
        Start of the message.
    message : str, default :data:`LOCATION_MESSAGE`
        Template of the error, formatted with ``where``, ``file_latitude``,
        ``file_longitude``, ``site_latitude``, ``site_longitude``, ``distance_km``
        and ``max_distance_km``; the batch words it for a row of its sites CSV.

    Raises
    ------
    WeatherDataError
        When the weather is farther than ``max_distance_km`` from the site.
    """
    distance_km = great_circle_distance_km(
        meta.latitude, meta.longitude, site_latitude, site_longitude
    )
    if distance_km > max_distance_km:
        raise WeatherDataError(
            message.format(
                where=where,
                file_latitude=meta.latitude,
                file_longitude=meta.longitude,
                site_latitude=site_latitude,
                site_longitude=site_longitude,
                distance_km=distance_km,
                max_distance_km=max_distance_km,
            )
        )


def _check_time_zone(meta: WeatherMeta, where: str) -> None:
    solar_h = solar_offset_h(meta.longitude)
    difference_h = (meta.utc_offset_h - solar_h + 12.0) % 24.0 - 12.0
    if abs(difference_h) > TIME_ZONE_TOLERANCE_H:
        warnings.warn(
            f"{where}: local standard time UTC{meta.utc_offset_h:+g} h is "
            f"{abs(difference_h):g} h from the UTC{solar_h:+g} h that longitude "
            f"{meta.longitude:.2f} suggests; check site.timezone",
            SolarcaseWarning,
            stacklevel=3,
        )


# -- physics --------------------------------------------------------------------------


def _solar_geometry(
    index: pd.DatetimeIndex, latitude: float, longitude: float
) -> pd.DataFrame:
    """Sun elevation and zenith [degrees] at mid-interval, and E0n [W/m²]."""
    midpoints = index + _HALF_INTERVAL
    with warnings.catch_warnings():  # pvlib 0.16 calls a deprecated pandas accessor
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        position = pvlib.solarposition.ephemeris(midpoints, latitude, longitude)
    extra = pvlib.irradiance.get_extra_radiation(midpoints.day_of_year.to_numpy())
    return pd.DataFrame(
        {
            "elevation": position["elevation"].to_numpy(),
            "zenith": position["zenith"].to_numpy(),
            "dni_extra": np.asarray(extra, dtype="float64"),
        },
        index=index,
    )


def _flags(frame: pd.DataFrame, geometry: pd.DataFrame) -> pd.DataFrame:
    ghi, dni, dhi = (frame[c].to_numpy(dtype="float64") for c in IRRADIANCE_COLUMNS)
    zenith = geometry["zenith"].to_numpy()
    extra = geometry["dni_extra"].to_numpy()
    relative, absolute = CLOSURE_TOLERANCE
    factor, margin = DHI_TOLERANCE
    is_judged = (geometry["elevation"].to_numpy() > CLOSURE_MIN_ELEVATION) & (
        ghi > CLOSURE_MIN_GHI
    )
    closure_error = np.abs(ghi - dhi - dni * np.cos(np.radians(zenith)))
    temp, wind = frame["temp_air"].to_numpy(), frame["wind_speed"].to_numpy()
    flags = pd.DataFrame(
        {
            "is_judged": is_judged,
            "is_ghi_possible": ~(ghi > GHI_EXTRA_FACTOR * extra),
            "is_dni_possible": ~(dni > extra),
            "is_closure_ok": ~is_judged | (closure_error <= relative * ghi + absolute),
            "is_dhi_consistent": ~is_judged | (dhi <= factor * ghi + margin),
            "is_temp_air_valid": (temp >= TEMP_AIR_RANGE[0])
            & (temp <= TEMP_AIR_RANGE[1]),
            "is_wind_speed_valid": (wind >= WIND_SPEED_RANGE[0])
            & (wind <= WIND_SPEED_RANGE[1]),
        },
        index=frame.index,
    )
    flags["is_valid"] = flags.drop(columns="is_judged").all(axis=1)
    return flags


def _check_limits(
    data: pd.DataFrame, flags: pd.DataFrame, geometry: pd.DataFrame, where: str
) -> None:
    rules = (
        ("is_ghi_possible", "ghi", f"above {GHI_EXTRA_FACTOR:g} x the extraterrestrial "
         "irradiance", "irradiance must be hourly means in W/m²: check the units "
         "(kJ/m², Wh per 10 min ...) and the column map"),
        ("is_dni_possible", "dni", "above the extraterrestrial normal irradiance",
         "check the units and that dni is not global or tilted irradiance"),
        ("is_temp_air_valid", "temp_air", f"outside {list(TEMP_AIR_RANGE)} °C",
         "temperatures must be in °C: check for kelvin, °F or missing-value codes "
         "such as 99.9 or -9900"),
        ("is_wind_speed_valid", "wind_speed", f"outside {list(WIND_SPEED_RANGE)} m/s",
         "wind must be in m/s: check for km/h, knots or missing-value codes"),
    )  # fmt: skip
    for flag, column, what, fix in rules:
        bad = ~flags[flag].to_numpy()
        if bad.any():
            first = int(np.argmax(bad))
            raise WeatherDataError(
                f"{where}: {int(bad.sum())} hours have {column} {what}, the first "
                f"{data[column].iloc[first]:g} at {data.index[first]}; {fix}"
            )


def _inconsistent(flags: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Hours judged, and judged hours failing either consistency rule (masks)."""
    judged = flags["is_judged"].to_numpy()
    bad = judged & ~(flags["is_closure_ok"] & flags["is_dhi_consistent"]).to_numpy()
    return judged, bad


def _inconsistent_fraction(
    data: pd.DataFrame, index: pd.DatetimeIndex, meta: WeatherMeta
) -> float:
    flags = _flags(data, _solar_geometry(index, meta.latitude, meta.longitude))
    judged, bad = _inconsistent(flags)
    return bad.sum() / max(judged.sum(), 1)


def _best_explanation(data: pd.DataFrame, meta: WeatherMeta) -> str:
    """Which label shift or column swap would make the hours consistent (error path)."""
    candidates: dict[str, float] = {}
    for minutes in (-120, -90, -60, -30, 30, 60, 90, 120):
        shifted = time_index(data) + pd.Timedelta(minutes=minutes)
        candidates[f"shifting the labels by {minutes:+d} min"] = _inconsistent_fraction(
            data, shifted, meta
        )
    swapped = data.rename(columns={"dni": "dhi", "dhi": "dni"})
    candidates["swapping dni and dhi"] = _inconsistent_fraction(
        swapped, time_index(data), meta
    )
    best = min(candidates, key=candidates.__getitem__)
    return f"{best} would leave {candidates[best]:.1%} inconsistent"


def _check_consistency(
    data: pd.DataFrame, flags: pd.DataFrame, meta: WeatherMeta, where: str
) -> str:
    judged, bad = _inconsistent(flags)
    n_judged = int(judged.sum())
    closure_bad = int((judged & ~flags["is_closure_ok"].to_numpy()).sum())
    dhi_bad = int((judged & ~flags["is_dhi_consistent"].to_numpy()).sum())
    fraction = int(bad.sum()) / max(n_judged, 1)
    summary = (
        f"{n_judged} daylight hours judged; ghi != dhi + dni cos z in {closure_bad}, "
        f"dhi > ghi in {dhi_bad} ({fraction:.1%} inconsistent)"
    )
    if fraction > INCONSISTENT_ERROR_FRACTION:
        raise WeatherDataError(
            f"{where}: irradiance is inconsistent in {fraction:.0%} of {n_judged} "
            f"daylight hours (ghi vs dhi + dni cos(zenith), limit "
            f"{INCONSISTENT_ERROR_FRACTION:.0%}): the time labels are probably "
            "shifted (wrong time zone, hour-ending read as hour-starting) or dni and "
            f"dhi are swapped; {_best_explanation(data, meta)}. Check the format, "
            "site.timezone and site.weather.column_map"
        )
    if fraction > INCONSISTENT_WARN_FRACTION:
        warnings.warn(
            f"{where}: irradiance is inconsistent in {fraction:.1%} of daylight "
            "hours; the time labels may be off by up to 30 min",
            SolarcaseWarning,
            stacklevel=3,
        )
    return summary
