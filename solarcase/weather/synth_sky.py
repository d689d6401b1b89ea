"""Clear sky, clouds and the DNI/DHI split of a synthetic year (steps 1 to 3 of
:mod:`solarcase.weather.synth`).

1. **Clear sky.** Solar position (NREL SPA) at each interval's midpoint; pvlib's
   Ineichen-Perez clear-sky model with the Linke turbidity climatology bundled with
   pvlib, lowered for a month whose GHI target exceeds
   :data:`MAX_MONTHLY_CLEAR_SKY_INDEX` times the clear-sky irradiation.
2. **Cloudiness.** A daily clear-sky index with persistence (latent AR(1), mapped to a
   truncated exponential on :data:`DAILY_CLEAR_SKY_INDEX_RANGE`, calibrated per month
   by a root search) and hourly variability that keeps each day's irradiation; no
   hour exceeds :data:`CLEAR_SKY_CEILING` times clear-sky GHI.
3. **DNI and DHI** from GHI with the Erbs-Driesse decomposition, keeping
   ``ghi = dhi + dni * cos(zenith)`` and DNI below the extraterrestrial DNI.

Randomness comes only from the ``numpy.random.Generator`` passed in. No file or
network I/O.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pvlib
from scipy.optimize import brentq
from scipy.special import ndtr

from solarcase.errors import WeatherDataError
from solarcase.weather.synth_climate import ar1, month_sum

__all__ = [
    "CLEAR_SKY_CEILING",
    "DAILY_CLEAR_SKY_INDEX_RANGE",
    "DAILY_PERSISTENCE",
    "HOURLY_PERSISTENCE",
    "HOURLY_VARIABILITY",
    "MAX_MONTHLY_CLEAR_SKY_INDEX",
    "MIN_LINKE_SCALE",
    "ClearSky",
    "cloudy_ghi",
    "linke_turbidity_scale",
    "split_ghi",
]

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


def cloudy_ghi(
    ghi_clear: np.ndarray,
    target_wh: np.ndarray,
    month_of_day: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Hourly GHI [W/m²] and the daily clear-sky index [-] calibrated to targets."""
    clear = ghi_clear.reshape(-1, 24)
    n_days = clear.shape[0]
    clear_day = clear.sum(axis=1)
    u = ndtr(ar1(rng, n_days, DAILY_PERSISTENCE))
    kc_day = np.empty(n_days)
    for m in range(12):
        days = month_of_day == m
        kc_day[days] = _daily_clear_sky_index(
            u[days], clear_day[days], target_wh[m], m + 1
        )
    noise = ar1(rng, clear.size, HOURLY_PERSISTENCE).reshape(n_days, 24)
    sigma = HOURLY_VARIABILITY * 4.0 * kc_day * (1.0 - kc_day)
    shape = np.maximum(1.0 + sigma[:, None] * noise, 0.0) * clear
    shape[shape.sum(axis=1) <= 0] = clear[shape.sum(axis=1) <= 0]
    norm = np.divide(
        kc_day * clear_day, shape.sum(axis=1), where=clear_day > 0, out=np.zeros(n_days)
    )
    ghi = _cap_keeping_daily_sum(shape * norm[:, None], CLEAR_SKY_CEILING * clear)
    return ghi.ravel(), kc_day


class ClearSky:
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

    def ghi(
        self,
        linke_scale: np.ndarray | float = 1.0,
        *,
        hours: np.ndarray | slice = slice(None),
    ) -> np.ndarray:
        """Clear-sky GHI [W/m²] of the hours selected by ``hours`` (default all),
        with the Linke turbidity times ``linke_scale`` (a number, or one value per
        selected hour)."""
        with np.errstate(divide="ignore", invalid="ignore"):  # night: sun below
            out = pvlib.clearsky.ineichen(
                self.apparent_zenith[hours],
                self.airmass_absolute[hours],
                self.linke[hours] * linke_scale,
                altitude=self.altitude,
                dni_extra=self.dni_extra[hours],
            )["ghi"]
        return np.nan_to_num(np.asarray(out, dtype=float), nan=0.0)


def linke_turbidity_scale(
    sky: ClearSky, target_wh: np.ndarray, month: np.ndarray
) -> np.ndarray:
    """Per-month Linke turbidity multipliers so no month needs an index above cap."""
    scale = np.ones(12)
    clear_wh = month_sum(sky.ghi(), month)
    for m in np.flatnonzero(
        target_wh > MAX_MONTHLY_CLEAR_SKY_INDEX * clear_wh
    ).tolist():
        hours = month == m

        def shortfall(s: float, hours: np.ndarray = hours, m: int = m) -> float:
            clear = sky.ghi(s, hours=hours).sum()  # the month's hours only
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


def split_ghi(
    ghi: np.ndarray, sky: ClearSky
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Round GHI and split it into DNI and DHI keeping closure and DNI limits."""
    ghi = np.round(ghi, 1) + 0.0
    parts = pvlib.irradiance.erbs_driesse(ghi, sky.zenith, dni_extra=sky.dni_extra)
    cos_zenith = np.cos(np.radians(sky.zenith))
    dni = np.minimum(np.nan_to_num(np.asarray(parts["dni"])), sky.dni_extra - 0.1)
    dni = np.where((ghi > 0) & (cos_zenith > 0), np.round(np.maximum(dni, 0.0), 1), 0.0)
    dhi = np.maximum(np.round(ghi - dni * cos_zenith, 1), 0.0) + 0.0
    return ghi, dni + 0.0, dhi
