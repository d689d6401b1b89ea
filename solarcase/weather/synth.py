"""Synthetic typical weather years from monthly climate normals.

Where no measured hourly weather exists, :func:`synthesize_year` builds a plausible
hourly year whose monthly statistics reproduce a town's climate normals:

1. **Clear sky.** Solar position (NREL SPA) at each interval's midpoint; pvlib's
   Ineichen-Perez clear-sky model with the Linke turbidity climatology bundled with
   pvlib. If a month's GHI target exceeds :data:`MAX_MONTHLY_CLEAR_SKY_INDEX` times
   the clear-sky irradiation, that month's turbidity is lowered until it does not
   (recorded in the provenance as ``linke_turbidity_scale``).
2. **Cloudiness.** A daily clear-sky index with persistence: a latent AR(1) Gaussian
   process, mapped through the normal CDF to a truncated exponential distribution on
   :data:`DAILY_CLEAR_SKY_INDEX_RANGE` (the shape Bendt et al. 1981 found for daily
   clearness). Each month's shape parameter is found by a root search so that the
   month's irradiation equals the target exactly. Hourly variability (an hourly
   AR(1) process, strongest on partly cloudy days, nil on clear days) redistributes
   each day's irradiation without changing it, and no hour exceeds
   :data:`CLEAR_SKY_CEILING` times clear-sky GHI.
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
import math
import warnings

import numpy as np
import pandas as pd
import pvlib
from scipy.optimize import brentq
from scipy.special import ndtr

from solarcase import __version__
from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.frame import TYPICAL_YEAR, WeatherMeta
from solarcase.weather.normals import MonthlyNormals

GENERATOR = "solarcase.weather.synth.synthesize_year"
#: Bumped whenever the generator's output for the same inputs changes.
GENERATOR_VERSION = "1"

#: Bounds of the daily clear-sky index (daily GHI / daily clear-sky GHI) [-].
DAILY_CLEAR_SKY_INDEX_RANGE = (0.10, 1.00)
#: Lag-1 autocorrelation of the latent daily cloudiness process [-].
DAILY_PERSISTENCE = 0.4
#: Lag-1 autocorrelation of the latent hourly variability [-].
HOURLY_PERSISTENCE = 0.7
#: Standard deviation of the hourly variability on a half-clear day [-].
HOURLY_VARIABILITY = 0.35
#: No hour's GHI exceeds this multiple of the clear-sky GHI (cloud enhancement) [-].
CLEAR_SKY_CEILING = 1.05
#: Largest monthly mean clear-sky index before the turbidity is lowered [-].
MAX_MONTHLY_CLEAR_SKY_INDEX = 0.97
#: Smallest multiplier applied to the Linke turbidity climatology [-].
MIN_LINKE_SCALE = 0.5

#: Parton & Logan (1981) air-temperature parameters at screen height: lag of the
#: maximum after solar noon [h], night cooling coefficient [-], lag of the minimum
#: after sunrise [h].
TEMP_PEAK_LAG_H, TEMP_NIGHT_DECAY, TEMP_MIN_LAG_H = 1.86, 2.2, -0.17
#: Day-to-day noise of the daily mean temperature: standard deviation [°C], lag-1
#: autocorrelation [-].
TEMP_DAILY_SD, TEMP_DAILY_PERSISTENCE = 2.0, 0.7
#: Relative change of the diurnal range per unit of daily clear-sky index anomaly.
TEMP_RANGE_CLOUD_SENSITIVITY = 1.0

#: Wind: relative diurnal amplitude [-], local hour of the peak [h], log-normal
#: daily sd [-] and persistence [-], hourly sd [-].
WIND_DIURNAL_AMPLITUDE, WIND_PEAK_HOUR = 0.3, 15.0
WIND_DAILY_SD, WIND_DAILY_PERSISTENCE, WIND_HOURLY_SD = 0.35, 0.5, 0.25


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance and lag-1 correlation ``phi``."""
    shocks = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = shocks[0]
    scale = math.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + scale * shocks[i]
    return out


def _month_sum(values: np.ndarray, month: np.ndarray) -> np.ndarray:
    return np.bincount(month, weights=values, minlength=12)


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
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WeatherDataError(
            f"synthesize_year: latitude {lat!r} / longitude {lon!r} out of range; "
            "give degrees north in [-90, 90] and east in [-180, 180]"
        )
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
        utc_offset_h = float(round(lon / 15.0))
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


def _kc_inverse_cdf(u: np.ndarray, gamma: float) -> np.ndarray:
    """Truncated exponential (density ~ exp(gamma k)) on the daily index range."""
    low, high = DAILY_CLEAR_SKY_INDEX_RANGE
    width = high - low
    if abs(gamma) < 1e-9:
        return low + u * width
    if gamma > 0:
        return high + np.log(u + (1.0 - u) * math.exp(-gamma * width)) / gamma
    return low + np.log1p(u * math.expm1(gamma * width)) / gamma


def _daily_clear_sky_index(
    u: np.ndarray, clear_day_wh: np.ndarray, target_wh: float, month: int
) -> np.ndarray:
    """Daily indices of one month whose irradiation equals ``target_wh`` exactly."""

    def excess(gamma: float) -> float:
        return float(np.dot(_kc_inverse_cdf(u, gamma), clear_day_wh)) - target_wh

    low, high = -400.0, 400.0
    if excess(low) > 0 or excess(high) < 0:
        ratio = target_wh / clear_day_wh.sum()
        raise WeatherDataError(
            f"synthesize_year: month {month}: the GHI normal is {ratio:.2f} times "
            f"the clear-sky irradiation, outside the range "
            f"{DAILY_CLEAR_SKY_INDEX_RANGE} the generator can reach; check the "
            "normals' units (kWh/m²/day) and the site's coordinates"
        )
    gamma = brentq(excess, low, high, xtol=1e-12, rtol=1e-14, maxiter=200)
    return _kc_inverse_cdf(u, gamma)


def _cap_keeping_daily_sum(ghi: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    """Cap hourly values at ``ceiling`` and move the excess to the day's other hours.

    Both arrays are shaped (n_days, 24); each day's sum is preserved as long as it
    is below the sum of the ceiling.
    """
    ghi = ghi.copy()
    target = ghi.sum(axis=1)
    for _ in range(50):
        np.minimum(ghi, ceiling, out=ghi)
        deficit = target - ghi.sum(axis=1)
        if np.all(deficit <= 1e-9 * np.maximum(target, 1.0)):
            break
        room = np.where(ghi < ceiling, ceiling - ghi, 0.0)
        share = np.divide(
            deficit, room.sum(axis=1), out=np.zeros_like(deficit), where=room.sum(1) > 0
        )
        ghi += room * np.minimum(share, 1.0)[:, None]
    return ghi


def _cloudy_ghi(
    ghi_clear: np.ndarray,
    target_wh: np.ndarray,
    month_of_day: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Hourly GHI [W/m²] and the daily clear-sky index [-] calibrated to targets."""
    clear = ghi_clear.reshape(-1, 24)
    n_days = clear.shape[0]
    clear_day = clear.sum(axis=1)
    u = ndtr(_ar1(rng, n_days, DAILY_PERSISTENCE))
    kc_day = np.empty(n_days)
    for m in range(12):
        days = month_of_day == m
        kc_day[days] = _daily_clear_sky_index(
            u[days], clear_day[days], target_wh[m], m + 1
        )
    noise = _ar1(rng, clear.size, HOURLY_PERSISTENCE).reshape(n_days, 24)
    sigma = HOURLY_VARIABILITY * 4.0 * kc_day * (1.0 - kc_day)
    shape = np.maximum(1.0 + sigma[:, None] * noise, 0.0) * clear
    shape[shape.sum(axis=1) <= 0] = clear[shape.sum(axis=1) <= 0]
    norm = np.divide(
        kc_day * clear_day, shape.sum(axis=1), where=clear_day > 0, out=np.zeros(n_days)
    )
    ghi = _cap_keeping_daily_sum(shape * norm[:, None], CLEAR_SKY_CEILING * clear)
    return ghi.ravel(), kc_day


class _ClearSky:
    """Ineichen clear-sky GHI at fixed solar geometry for any turbidity."""

    def __init__(self, mid: pd.DatetimeIndex, lat: float, lon: float, alt: float):
        pressure = pvlib.atmosphere.alt2pres(alt)
        solpos = pvlib.solarposition.get_solarposition(
            mid, lat, lon, altitude=alt, pressure=pressure
        )
        self.zenith = solpos["zenith"].to_numpy()
        self.apparent_zenith = solpos["apparent_zenith"].to_numpy()
        airmass = pvlib.atmosphere.get_relative_airmass(self.apparent_zenith)
        self.airmass_absolute = pvlib.atmosphere.get_absolute_airmass(airmass, pressure)
        utc_doy = mid.tz_convert("UTC").day_of_year.to_numpy()
        self.dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(utc_doy))
        with warnings.catch_warnings():  # pvlib 0.16 uses DatetimeIndex.dayofyear
            warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
            linke = pvlib.clearsky.lookup_linke_turbidity(mid, lat, lon)
        self.linke = np.asarray(linke)
        self.altitude = alt

    def ghi(self, linke_scale: np.ndarray | float = 1.0) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):  # night: sun below
            out = pvlib.clearsky.ineichen(
                self.apparent_zenith,
                self.airmass_absolute,
                self.linke * linke_scale,
                altitude=self.altitude,
                dni_extra=self.dni_extra,
            )["ghi"]
        return np.nan_to_num(np.asarray(out, dtype=float), nan=0.0)


def _linke_scale(
    sky: _ClearSky, target_wh: np.ndarray, month: np.ndarray
) -> np.ndarray:
    """Per-month Linke turbidity multipliers so no month needs an index above cap."""
    scale = np.ones(12)
    clear_wh = _month_sum(sky.ghi(), month)
    for m in np.flatnonzero(target_wh > MAX_MONTHLY_CLEAR_SKY_INDEX * clear_wh):
        hours = month == m

        def shortfall(s: float, hours: np.ndarray = hours, m: int = m) -> float:
            clear = sky.ghi(s)[hours].sum()
            return MAX_MONTHLY_CLEAR_SKY_INDEX * clear - target_wh[m]

        if shortfall(MIN_LINKE_SCALE) < 0:
            raise WeatherDataError(
                f"synthesize_year: month {m + 1}: the GHI normal "
                f"({target_wh[m] / 1000 / hours.sum() * 24:.2f} kWh/m²/day) exceeds "
                "what a clear sky gives at this site even with half the usual "
                "turbidity; check the normals' units (kWh/m²/day) and the coordinates"
            )
        root = brentq(shortfall, MIN_LINKE_SCALE, 1.0, xtol=1e-10)
        scale[m] = math.floor(root * 1e4) / 1e4  # as recorded in the provenance
    return scale


def _split(
    ghi: np.ndarray, sky: _ClearSky
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Round GHI and split it into DNI and DHI keeping closure and DNI limits."""
    ghi = np.round(ghi, 1) + 0.0
    parts = pvlib.irradiance.erbs_driesse(ghi, sky.zenith, dni_extra=sky.dni_extra)
    cos_zenith = np.cos(np.radians(sky.zenith))
    dni = np.minimum(np.nan_to_num(np.asarray(parts["dni"])), sky.dni_extra - 0.1)
    dni = np.where((ghi > 0) & (cos_zenith > 0), np.round(np.maximum(dni, 0.0), 1), 0.0)
    dhi = np.maximum(np.round(ghi - dni * cos_zenith, 1), 0.0) + 0.0
    return ghi, dni + 0.0, dhi


def _sun_times(
    doy: np.ndarray, lat: float, lon: float, utc_offset_h: float
) -> tuple[np.ndarray, np.ndarray]:
    """Sunrise and sunset in local standard clock hours for each day of the year."""
    declination = pvlib.solarposition.declination_spencer71(doy)
    eot_min = pvlib.solarposition.equation_of_time_spencer71(doy)
    cos_hour_angle = -math.tan(math.radians(lat)) * np.tan(declination)
    half_day_h = np.degrees(np.arccos(np.clip(cos_hour_angle, -1.0, 1.0))) / 15.0
    half_day_h = np.clip(half_day_h, 1.0, 11.0)  # keep a day and a night (polar)
    noon_h = 12.0 - (lon - 15.0 * utc_offset_h) / 15.0 - eot_min / 60.0
    return noon_h - half_day_h, noon_h + half_day_h


class _TemperatureCycle:
    """Parton & Logan (1981) hourly temperatures from daily extremes (cyclic year)."""

    def __init__(self, n_days: int, sunrise_h: np.ndarray, sunset_h: np.ndarray):
        self.n_days = n_days
        t = np.arange(24 * n_days) + 0.5  # interval midpoints [h since 1 January]
        day = (t // 24).astype(int)
        start = 24.0 * np.arange(-1, n_days + 1)
        wrap = np.r_[n_days - 1, np.arange(n_days), 0]
        self.ext = wrap  # extended day -> real day
        self.t_min = start + sunrise_h[wrap] + TEMP_MIN_LAG_H
        self.sunset = start + sunset_h[wrap]
        self.day_len = (sunset_h - sunrise_h)[wrap]
        e = day + 1  # extended index of each hour's own day
        before = t < self.t_min[e]
        after = t > self.sunset[e]
        self.is_day = ~before & ~after
        self.day_idx = e  # day part uses the hour's own day
        self.night_idx = np.where(before, e - 1, e)  # night starting at this day
        self.t = t

    def hourly(self, t_max: np.ndarray, t_min: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Hourly temperature [°C] from daily max/min [°C] and shape exponents [-]."""
        tmax, tmin, pe = t_max[self.ext], t_min[self.ext], p[self.ext]
        span = self.day_len + 2.0 * TEMP_PEAK_LAG_H

        def rise(j: np.ndarray, t: np.ndarray) -> np.ndarray:
            phase = np.clip(np.pi * (t - self.t_min[j]) / span[j], 0.0, np.pi)
            return tmin[j] + (tmax[j] - tmin[j]) * np.sin(phase) ** pe[j]

        d, n = self.day_idx, self.night_idx
        t_sunset = rise(n, self.sunset[n])
        night_len = self.t_min[n + 1] - self.sunset[n]
        decay = (
            np.exp(-TEMP_NIGHT_DECAY * (self.t - self.sunset[n]) / night_len)
            - math.exp(-TEMP_NIGHT_DECAY)
        ) / (1.0 - math.exp(-TEMP_NIGHT_DECAY))
        night = tmin[n + 1] + (t_sunset - tmin[n + 1]) * np.clip(decay, 0, 1) ** pe[n]
        return np.where(self.is_day, rise(d, self.t), night)


def _temperature(
    normals: MonthlyNormals,
    cycle: _TemperatureCycle,
    kc_day: np.ndarray,
    month_of_day: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Hourly air temperature [°C] whose monthly daily statistics match the normals."""
    n_days = cycle.n_days
    days_in_month = np.bincount(month_of_day, minlength=12)
    centres = np.cumsum(days_in_month) - days_in_month / 2.0
    anomaly = TEMP_DAILY_SD * _ar1(rng, n_days, TEMP_DAILY_PERSISTENCE)
    kc_mean = _month_sum(kc_day, month_of_day) / days_in_month
    range_factor = np.clip(
        1.0 + TEMP_RANGE_CLOUD_SENSITIVITY * (kc_day - kc_mean[month_of_day]), 0.4, 1.6
    )
    t_max = np.array(normals.temp_max, dtype=float)
    t_min = np.array(normals.temp_min, dtype=float)
    t_mean = np.array(normals.temp_mean, dtype=float)
    target_q = (t_mean - t_min) / (t_max - t_min)
    day_x = np.arange(n_days) + 0.5

    def build(anchor_max: np.ndarray, anchor_min: np.ndarray, log_p: np.ndarray):
        base_max = np.interp(day_x, centres, anchor_max, period=n_days)
        base_min = np.interp(day_x, centres, anchor_min, period=n_days)
        mid = (base_max + base_min) / 2.0 + anomaly
        half = (base_max - base_min) / 2.0 * range_factor
        return cycle.hourly(mid + half, mid - half, np.exp(log_p)[month_of_day])

    def stats(hourly: np.ndarray) -> tuple[np.ndarray, ...]:
        daily = hourly.reshape(n_days, 24)
        return tuple(
            _month_sum(v, month_of_day) / days_in_month
            for v in (daily.max(axis=1), daily.min(axis=1), daily.mean(axis=1))
        )

    anchor_max, anchor_min, log_p = t_max.copy(), t_min.copy(), np.zeros(12)
    for _ in range(60):
        hourly = build(anchor_max, anchor_min, log_p)
        got_max, got_min, got_mean = stats(hourly)
        error = np.maximum.reduce(
            [abs(got_max - t_max), abs(got_min - t_min), abs(got_mean - t_mean)]
        )
        if error.max() < 0.005:
            return hourly
        q = (got_mean - got_min) / (got_max - got_min)
        bumped_max, bumped_min, bumped_mean = stats(
            build(anchor_max, anchor_min, log_p + 0.1)
        )
        slope = ((bumped_mean - bumped_min) / (bumped_max - bumped_min) - q) / 0.1
        step = np.divide(q - target_q, slope, out=np.zeros(12), where=slope < -1e-6)
        log_p = np.clip(log_p - np.clip(step, -0.5, 0.5), -2.5, 2.5)
        anchor_max -= got_max - t_max
        anchor_min -= got_min - t_min
    month = int(np.argmax(error)) + 1
    raise WeatherDataError(
        f"synthesize_year: cannot match the temperature normals of {normals.town!r} "
        f"in month {month} (off by {error.max():.2f} °C); check that temp_mean_c lies "
        "well between temp_min_c and temp_max_c"
    )


def _wind(
    mean_speed: np.ndarray, month: np.ndarray, n_days: int, rng: np.random.Generator
) -> np.ndarray:
    """Hourly wind speed [m/s] whose monthly means equal ``mean_speed`` [m/s]."""
    hour = np.arange(24) + 0.5
    diurnal = 1.0 + WIND_DIURNAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (hour - WIND_PEAK_HOUR) / 24.0
    )
    daily = np.exp(
        WIND_DAILY_SD * _ar1(rng, n_days, WIND_DAILY_PERSISTENCE)
        - WIND_DAILY_SD**2 / 2.0
    )
    hourly = np.exp(
        WIND_HOURLY_SD * rng.standard_normal(24 * n_days) - WIND_HOURLY_SD**2 / 2.0
    )
    wind = np.tile(diurnal, n_days) * np.repeat(daily, 24) * hourly
    scale = mean_speed / (_month_sum(wind, month) / np.bincount(month, minlength=12))
    return np.round(wind * scale[month], 2) + 0.0


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
        the bundled Iranian towns), else ``round(longitude / 15)`` with a
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
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise WeatherDataError(
            f"synthesize_year: seed must be a non-negative integer, got {seed!r}"
        )
    if not 1901 <= year <= 2099:
        raise WeatherDataError(
            f"synthesize_year: year must be in 1901-2099, got {year!r}; typical "
            f"years use {TYPICAL_YEAR}"
        )
    lat, lon, alt, offset_h, place_notes = _resolve_place(
        normals, latitude, longitude, altitude, utc_offset_h
    )
    tz = dt.timezone(dt.timedelta(minutes=round(offset_h * 60)))
    n_days = 366 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 365
    index = pd.date_range(dt.datetime(year, 1, 1), periods=24 * n_days, freq="h")
    index = index.tz_localize(tz)
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

    sky = _ClearSky(index + pd.Timedelta(minutes=30), lat, lon, alt)
    linke_scale = _linke_scale(sky, target_wh, month)
    ghi, kc_day = _cloudy_ghi(
        sky.ghi(linke_scale[month]), target_wh, month_of_day, cloud_rng
    )
    ghi, dni, dhi = _split(ghi, sky)
    sunrise_h, sunset_h = _sun_times(np.arange(1, n_days + 1), lat, lon, offset_h)
    cycle = _TemperatureCycle(n_days, sunrise_h, sunset_h)
    temp_air = _temperature(normals, cycle, kc_day, month_of_day, temp_rng)
    wind_speed = _wind(np.array(normals.wind_speed), month, n_days, wind_rng)
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
    meta = WeatherMeta(
        source="synthetic",
        latitude=lat,
        longitude=lon,
        altitude=alt,
        utc_offset_h=offset_h,
        is_synthetic=True,
        is_typical_year=True,
        description=(
            "SYNTHETIC typical year generated from monthly climate normals "
            f"({normals.town}, seed {int(seed)}, solarcase {__version__}); "
            "replace with measured data for a bankable study"
        ),
        provenance=provenance,
    )
    return frame, meta
