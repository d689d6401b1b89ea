"""Synthetic typical weather years from monthly climate normals.

Where no measured hourly weather exists, :func:`synthesize_year` builds a plausible
hourly year whose monthly statistics reproduce a town's climate normals:

1. **Clear sky.** Solar position (NREL SPA) at each interval's midpoint; pvlib's
   Ineichen-Perez clear-sky model with the Linke turbidity climatology bundled with
   pvlib. If a month's GHI target exceeds ``MAX_MONTHLY_CLEAR_SKY_INDEX`` times the
   clear-sky irradiation, that month's turbidity is lowered until it does not
   (recorded in the provenance as ``linke_turbidity_scale``).
2. **Cloudiness.** A daily clear-sky index with persistence: a latent AR(1) Gaussian
   process, mapped through the normal CDF to a truncated exponential distribution on
   ``DAILY_CLEAR_SKY_INDEX_RANGE`` (the shape Bendt et al. 1981 found for daily
   clearness). Each month's shape parameter is found by a root search so that the
   month's irradiation equals the target exactly. Hourly variability (an hourly
   AR(1) process, strongest on partly cloudy days, nil on clear days) redistributes
   each day's irradiation without changing it, and no hour exceeds
   ``CLEAR_SKY_CEILING`` times clear-sky GHI.
3. **DNI and DHI** from GHI with the Erbs-Driesse decomposition
   (``pvlib.irradiance.erbs_driesse``), keeping ``ghi = dhi + dni * cos(zenith)`` and
   DNI below the extraterrestrial DNI.
4. **Air temperature.** A Parton & Logan (1981) daily cycle (minimum near sunrise,
   sine to a maximum 1.86 h after solar noon, exponential cooling at night) around
   daily extremes that follow the monthly normals, with day-to-day AR(1) noise and a
   diurnal range that widens on clear days and narrows on cloudy ones. Monthly
   anchors and a shape exponent are iterated so that the monthly means of the daily
   maximum, minimum and mean of the hourly values match the normals (to 0.01 °C
   before rounding).
5. **Wind speed.** Monthly mean times a diurnal cycle (peak mid-afternoon) and
   log-normal daily (AR(1)) and hourly noise, rescaled so each monthly mean matches.

Why Erbs-Driesse: a normals-based year has only GHI and the sun's position, which
is all this model needs (DIRINT and DIRINDEX want dew point or clear-sky series);
it is continuous, unlike Erbs et al. (1982) at its breakpoints, while its diffuse
fraction stays within 0.0005 of that widely used correlation.

Only the monthly GHI, temperatures and wind of the normals are used. Sunshine hours,
and the sunshine fraction, cloud cover and interannual spreads of
``solarcase/data/climate-normals-extra.csv``, are not: the daily distribution is set
by the monthly mean clear-sky index alone (as in Bendt et al.), and a typical year
targets the mean, not the year-to-year spread (that belongs to P90 analysis).

All randomness comes from ``numpy.random.default_rng`` streams spawned from
``seed``: the same seed and inputs give the same year, value for value. Values are
rounded to the precision of the native weather file (irradiance 0.1 W/m²,
temperature 0.1 °C, wind 0.01 m/s), so a written and re-read year equals the frame
returned here.

Steps 1 to 3 are in :mod:`solarcase.weather.synth_sky` (with the constants named
above), steps 4 and 5 in :mod:`solarcase.weather.synth_climate`; this module places
the year, draws the seeds, and records the provenance.

References
----------
Bendt P., Collares-Pereira M., Rabl A. (1981) The frequency distribution of daily
insolation values. Solar Energy 27(1), 1-5.
Parton W.J., Logan J.A. (1981) A model for diurnal variation in soil and air
temperature. Agricultural Meteorology 23, 205-216.
Ineichen P., Perez R. (2002) A new airmass independent formulation for the Linke
turbidity coefficient. Solar Energy 73(3), 151-157.
Driesse A., Jensen A., Perez R. (2024) A continuous form of the Perez diffuse sky
model for forward and reverse transposition. Solar Energy 267, 112093.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pvlib

from solarcase import __version__
from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.frame import TYPICAL_YEAR, WeatherMeta
from solarcase.weather.geo import check_place
from solarcase.weather.normals import MonthlyNormals
from solarcase.weather.parsed import solar_offset_h
from solarcase.weather.synth_climate import (
    TemperatureCycle,
    hourly_temperature,
    hourly_wind,
    sun_times,
)
from solarcase.weather.synth_sky import (
    CLEAR_SKY_CEILING,
    DAILY_CLEAR_SKY_INDEX_RANGE,
    DAILY_PERSISTENCE,
    ClearSky,
    cloudy_ghi,
    linke_turbidity_scale,
    split_ghi,
)

__all__ = ["GENERATOR", "GENERATOR_VERSION", "synthesize_year"]

GENERATOR = "solarcase.weather.synth.synthesize_year"
#: Bumped whenever the generator's output for the same inputs changes.
GENERATOR_VERSION = "1"


def _resolve_place(
    normals: MonthlyNormals,
    latitude: float | None,
    longitude: float | None,
    altitude: float | None,
    utc_offset_h: float | None,
) -> tuple[float, float, float, float, dict[str, str]]:
    """Coordinates, altitude and UTC offset, with where each came from."""
    notes: dict[str, str] = {}
    lat = normals.latitude if latitude is None else latitude
    lon = normals.longitude if longitude is None else longitude
    if lat is None or lon is None:
        raise WeatherDataError(
            f"synthesize_year: the climate normals for {normals.town!r} have no "
            "coordinates; pass latitude= and longitude= (degrees) for the site"
        )
    check_place(lat, lon, "synthesize_year")
    given = latitude is not None or longitude is not None
    notes["coordinates_source"] = "given" if given else "climate normals"
    if altitude is not None:
        notes["altitude_source"] = "given"
    elif normals.elevation_m is not None:
        altitude, notes["altitude_source"] = normals.elevation_m, "climate normals"
    else:
        altitude = float(pvlib.location.lookup_altitude(lat, lon))
        notes["altitude_source"] = "pvlib.location.lookup_altitude (coarse map)"
    if utc_offset_h is not None:
        notes["utc_offset_source"] = "given"
    elif normals.utc_offset_h is not None:
        utc_offset_h = normals.utc_offset_h
        notes["utc_offset_source"] = "climate normals (standard time of the place)"
    else:
        utc_offset_h = solar_offset_h(lon)
        notes["utc_offset_source"] = "longitude / 15 (fallback)"
        warnings.warn(
            f"synthesize_year: no UTC offset for {normals.town!r}; using "
            f"{utc_offset_h:+g} h from the longitude. Pass utc_offset_h= with the "
            "place's standard offset (Iran: 3.5)",
            SolarcaseWarning,
            stacklevel=3,
        )
    if not -12.0 <= utc_offset_h <= 14.0:
        raise WeatherDataError(
            f"synthesize_year: utc_offset_h must be in [-12, 14] h, got "
            f"{utc_offset_h!r}; give the standard offset, e.g. 3.5 for Iran"
        )
    return float(lat), float(lon), float(altitude), float(utc_offset_h), notes


def _values(values: tuple[float, ...] | np.ndarray, fmt: str = "g") -> str:
    return ",".join(format(float(v), fmt) for v in values)


def _provenance(
    normals: MonthlyNormals,
    seed: int,
    place_notes: dict[str, str],
    linke_scale: np.ndarray,
) -> dict[str, str]:
    """Everything needed to regenerate and audit the year (no date: deterministic)."""
    return {
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "solarcase_version": __version__,
        "pvlib_version": pvlib.__version__,
        "seed": str(seed),
        "normals_town": normals.town,
        "normals_sources": normals.sources,
        "normals_ghi_kwh_per_m2_day": _values(normals.ghi_kwh_per_m2_day),
        "normals_temp_mean": _values(normals.temp_mean),
        "normals_temp_max": _values(normals.temp_max),
        "normals_temp_min": _values(normals.temp_min),
        "normals_wind_speed": _values(normals.wind_speed),
        **place_notes,
        "solar_position": "pvlib.solarposition.get_solarposition (NREL SPA) at "
        "interval midpoints",
        "clear_sky_model": "pvlib.clearsky.ineichen with "
        "pvlib.clearsky.lookup_linke_turbidity",
        "linke_turbidity_scale": _values(linke_scale, ".4f"),
        "cloud_model": "daily clear-sky index: AR(1) "
        f"(phi {DAILY_PERSISTENCE}) mapped to a truncated exponential on "
        f"{DAILY_CLEAR_SKY_INDEX_RANGE}, calibrated per month; hourly AR(1) "
        f"variability; hourly ceiling {CLEAR_SKY_CEILING} x clear-sky ghi",
        "decomposition_model": "pvlib.irradiance.erbs_driesse",
        "temperature_model": "Parton & Logan (1981) daily cycle, calibrated to "
        "monthly means of daily max/min/mean",
        "wind_model": "monthly mean x diurnal cycle x log-normal daily and hourly "
        "noise, rescaled per month",
    }


def synthesize_year(
    normals: MonthlyNormals,
    *,
    seed: int,
    latitude: float | None = None,
    longitude: float | None = None,
    altitude: float | None = None,
    utc_offset_h: float | None = None,
    year: int = TYPICAL_YEAR,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Generate a synthetic hourly typical year calibrated to monthly normals.

    Parameters
    ----------
    normals : MonthlyNormals
        Monthly GHI [kWh/m²/day], temperatures [°C] and wind [m/s] to reproduce.
    seed : int
        Seed of the random streams (non-negative); the same seed gives the same year.
    latitude, longitude : float, optional
        Site [degrees north, degrees east]; default the normals' place.
    altitude : float, optional
        Site elevation [m]; default the normals' elevation, else
        ``pvlib.location.lookup_altitude``.
    utc_offset_h : float, optional
        Standard UTC offset of the index [h]; default the normals' offset (+3.5 for
        the bundled Iranian towns), else ``round(longitude / 15)``, halves rounded
        east (:func:`~solarcase.weather.parsed.solar_offset_h`), with a
        :class:`SolarcaseWarning`.
    year : int, default :data:`TYPICAL_YEAR`
        Calendar year of the index (8784 hours in a leap year).

    Returns
    -------
    frame : pandas.DataFrame
        Hourly ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed``
        [m/s]; index of interval starts in local standard time (see
        :mod:`solarcase.weather.frame`).
    meta : WeatherMeta
        ``source="synthetic"``, ``is_synthetic=True``, ``is_typical_year=True`` and a
        provenance with generator, versions, seed, normals and models (no date, so
        that regeneration is byte-identical).

    Raises
    ------
    WeatherDataError
        If the place has no coordinates, the seed is invalid, or the normals cannot
        be reproduced (a GHI normal above the clear-sky irradiation, say).

    Notes
    -----
    Monthly irradiation matches ``normals.ghi_kwh_per_m2_day`` to rounding; the
    monthly means of the hourly values' daily maximum, minimum and mean match
    ``temp_max``, ``temp_min`` and ``temp_mean`` within 0.06 °C; monthly mean wind
    matches within 0.005 m/s. See the module docstring for the models.

    Examples
    --------
    >>> from solarcase.weather.normals import load_normals
    >>> frame, meta = synthesize_year(load_normals("Birjand"), seed=1)
    >>> len(frame), meta.is_synthetic
    (8760, True)
    >>> round(frame["ghi"].sum() / 1000)  # kWh/m² in a year
    2150
    """
    _check_seed_and_year(seed, year)
    lat, lon, alt, offset_h, place_notes = _resolve_place(
        normals, latitude, longitude, altitude, utc_offset_h
    )
    index = _hourly_index(year, offset_h)
    n_days = len(index) // 24
    month = index.month.to_numpy() - 1
    month_of_day = month[::24]
    target_wh = (
        np.array(normals.ghi_kwh_per_m2_day)
        * 1000.0
        * np.bincount(month_of_day, minlength=12)
    )
    cloud_rng, temp_rng, wind_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(3)
    )

    sky = ClearSky(index + pd.Timedelta(minutes=30), lat, lon, alt)
    linke_scale = linke_turbidity_scale(sky, target_wh, month)
    ghi, kc_day = cloudy_ghi(
        sky.ghi(linke_scale[month]), target_wh, month_of_day, cloud_rng
    )
    ghi, dni, dhi = split_ghi(ghi, sky)
    sunrise_h, sunset_h = sun_times(np.arange(1, n_days + 1), lat, lon, offset_h)
    cycle = TemperatureCycle(n_days, sunrise_h, sunset_h)
    temp_air = hourly_temperature(normals, cycle, kc_day, month_of_day, temp_rng)
    wind_speed = hourly_wind(np.array(normals.wind_speed), month, n_days, wind_rng)
    frame = pd.DataFrame(
        {
            "ghi": ghi,
            "dni": dni,
            "dhi": dhi,
            "temp_air": np.round(temp_air, 1) + 0.0,
            "wind_speed": wind_speed,
        },
        index=index,
    )
    provenance = _provenance(normals, int(seed), place_notes, linke_scale)
    return frame, _synthetic_meta(
        normals, int(seed), (lat, lon, alt, offset_h), provenance
    )


def _check_seed_and_year(seed: int, year: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise WeatherDataError(
            f"synthesize_year: seed must be a non-negative integer, got {seed!r}"
        )
    if not 1901 <= year <= 2099:
        raise WeatherDataError(
            f"synthesize_year: year must be in 1901-2099, got {year!r}; typical "
            f"years use {TYPICAL_YEAR}"
        )


def _hourly_index(year: int, utc_offset_h: float) -> pd.DatetimeIndex:
    """Interval starts of every hour of ``year`` at a fixed UTC offset [h]."""
    tz = dt.timezone(dt.timedelta(minutes=round(utc_offset_h * 60)))
    n_days = 366 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 365
    index = pd.date_range(dt.datetime(year, 1, 1), periods=24 * n_days, freq="h")
    return index.tz_localize(tz)


def _synthetic_meta(
    normals: MonthlyNormals,
    seed: int,
    place: tuple[float, float, float, float],
    provenance: dict[str, str],
) -> WeatherMeta:
    """Metadata of a synthetic year at ``place`` = (latitude, longitude, altitude,
    UTC offset) [degrees, degrees, m, h]."""
    latitude, longitude, altitude, utc_offset_h = place
    return WeatherMeta(
        source="synthetic",
        latitude=latitude,
        longitude=longitude,
        altitude=altitude,
        utc_offset_h=utc_offset_h,
        is_synthetic=True,
        is_typical_year=True,
        description=(
            "SYNTHETIC typical year generated from monthly climate normals "
            f"({normals.town}, seed {seed}, solarcase {__version__}); "
            "replace with measured data for a bankable study"
        ),
        provenance=provenance,
    )
