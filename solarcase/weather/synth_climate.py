"""Air temperature and wind of a synthetic year (steps 4 and 5 of
:mod:`solarcase.weather.synth`), and the random-series helpers the generator shares.

- **Air temperature.** A Parton & Logan (1981) daily cycle (minimum near sunrise,
  sine to a maximum 1.86 h after solar noon, exponential cooling at night) around
  daily extremes that follow the monthly normals, with day-to-day AR(1) noise and a
  diurnal range that widens on clear days and narrows on cloudy ones. Monthly anchors
  and a shape exponent are iterated until the monthly means of the daily maximum,
  minimum and mean match the normals.
- **Wind speed.** Monthly mean times a diurnal cycle (peak mid-afternoon) and
  log-normal daily (AR(1)) and hourly noise, rescaled so each monthly mean matches.

Randomness comes only from the ``numpy.random.Generator`` passed in. No file or
network I/O.

References
----------
Parton W.J., Logan J.A. (1981) A model for diurnal variation in soil and air
temperature. Agricultural Meteorology 23, 205-216.
"""

from __future__ import annotations

import math

import numpy as np
import pvlib

from solarcase.errors import WeatherDataError
from solarcase.weather.normals import MonthlyNormals

__all__ = [
    "TEMP_DAILY_PERSISTENCE",
    "TEMP_DAILY_SD",
    "TEMP_MIN_LAG_H",
    "TEMP_NIGHT_DECAY",
    "TEMP_PEAK_LAG_H",
    "TEMP_RANGE_CLOUD_SENSITIVITY",
    "WIND_DAILY_PERSISTENCE",
    "WIND_DAILY_SD",
    "WIND_DIURNAL_AMPLITUDE",
    "WIND_HOURLY_SD",
    "WIND_PEAK_HOUR",
    "TemperatureCycle",
    "ar1",
    "hourly_temperature",
    "hourly_wind",
    "month_sum",
    "sun_times",
]

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


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance and lag-1 correlation ``phi``."""
    shocks = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = shocks[0]
    scale = math.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + scale * shocks[i]
    return out


def month_sum(values: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per month (``month`` 0-11 per value), shape (12,)."""
    return np.bincount(month, weights=values, minlength=12)


def sun_times(
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


class TemperatureCycle:
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


def hourly_temperature(
    normals: MonthlyNormals,
    cycle: TemperatureCycle,
    kc_day: np.ndarray,
    month_of_day: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Hourly air temperature [°C] whose monthly daily statistics match the normals."""
    n_days = cycle.n_days
    days_in_month = np.bincount(month_of_day, minlength=12)
    centres = np.cumsum(days_in_month) - days_in_month / 2.0
    anomaly = TEMP_DAILY_SD * ar1(rng, n_days, TEMP_DAILY_PERSISTENCE)
    kc_mean = month_sum(kc_day, month_of_day) / days_in_month
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
            month_sum(v, month_of_day) / days_in_month
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


def hourly_wind(
    mean_speed: np.ndarray, month: np.ndarray, n_days: int, rng: np.random.Generator
) -> np.ndarray:
    """Hourly wind speed [m/s] whose monthly means equal ``mean_speed`` [m/s]."""
    hour = np.arange(24) + 0.5
    diurnal = 1.0 + WIND_DIURNAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (hour - WIND_PEAK_HOUR) / 24.0
    )
    daily = np.exp(
        WIND_DAILY_SD * ar1(rng, n_days, WIND_DAILY_PERSISTENCE)
        - WIND_DAILY_SD**2 / 2.0
    )
    hourly = np.exp(
        WIND_HOURLY_SD * rng.standard_normal(24 * n_days) - WIND_HOURLY_SD**2 / 2.0
    )
    wind = np.tile(diurnal, n_days) * np.repeat(daily, 24) * hourly
    scale = mean_speed / (month_sum(wind, month) / np.bincount(month, minlength=12))
    return np.round(wind * scale[month], 2) + 0.0
