"""Yearly revenue factors from the hourly profile of the first operating year.

The cash flow is annual; what depends on the hour is computed here once, from the
simulated hourly AC energy, and passed on as yearly numbers:

- :func:`time_of_day_factor`: the "equivalent energy" of a contract that weights each
  hour by a coefficient, as a factor on the energy;
- :func:`load_profile_kwh`: an hourly load from an annual consumption and a shape
  (flat, office hours, or given hour by hour);
- :func:`self_consumption_by_year`: the energy used on site and exported in each
  operating year, with the plant's output degrading and the load growing.

Inputs are plain arrays (hour of day, day of week); no pandas objects, no file or
network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError

FloatArray = NDArray[np.float64]

__all__ = [
    "OFFICE_BASE_FRACTION",
    "OFFICE_HOURS",
    "OFFICE_WORKDAYS",
    "RevenueFactors",
    "load_profile_kwh",
    "self_consumption_by_year",
    "time_of_day_factor",
]

#: Office profile: working hours [start, end) in local standard time [h].
OFFICE_HOURS: tuple[int, int] = (7, 15)
#: Office profile: working days, Monday = 0 (Saturday to Wednesday, the Iranian
#: public-sector week; Thursday and Friday off).
OFFICE_WORKDAYS: tuple[int, ...] = (5, 6, 0, 1, 2)
#: Office profile: load outside working hours as a share of the working-hours
#: load (lighting, servers, security) [fraction].
OFFICE_BASE_FRACTION = 0.25


def _hours(hour_of_day: ArrayLike) -> NDArray[np.int64]:
    hours = np.asarray(hour_of_day)
    if hours.ndim != 1 or not np.isin(hours, np.arange(24)).all():
        raise FinanceError("hour_of_day: expected whole hours 0..23, one per interval")
    return hours.astype(np.int64)


def time_of_day_factor(
    energy_kwh: ArrayLike, hour_of_day: ArrayLike, coefficients: ArrayLike
) -> float:
    """Equivalent energy over energy: hourly coefficients weighted by the energy.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        Energy of each interval of the year, shape ``(n_hours,)``. [kWh]
    hour_of_day : numpy.ndarray of int
        Local standard hour 0..23 of each interval's midpoint.
    coefficients : sequence of float
        24 coefficients, one per hour of the day. [-]

    Returns
    -------
    factor : float
        sum_h E_h c_hour(h) / sum_h E_h; 1 for a year without energy. [-]

    Examples
    --------
    Energy 1 kWh at 11:00 and 3 kWh at 12:00; coefficient 2 at 11:00, 1 else:
    (2 + 3) / 4 = 1.25.

    >>> c = [1.0] * 24
    >>> c[11] = 2.0
    >>> time_of_day_factor([1.0, 3.0], [11, 12], c)
    1.25
    """
    energy = np.asarray(energy_kwh, dtype=float)
    hours = _hours(hour_of_day)
    table = np.asarray(coefficients, dtype=float)
    if table.shape != (24,) or not (np.isfinite(table) & (table >= 0)).all():
        raise FinanceError(
            "time-of-day coefficients: expected 24 numbers >= 0, one per hour, got "
            f"shape {table.shape}"
        )
    if energy.shape != hours.shape:
        raise FinanceError("time-of-day factor: energy and hours differ in length")
    total = float(energy.sum())
    if total <= 0:
        return 1.0
    return float(np.sum(energy * table[hours]) / total)


def load_profile_kwh(
    hour_of_day: ArrayLike,
    day_of_week: ArrayLike,
    *,
    profile: Literal["flat", "office"],
    annual_kwh: float,
) -> FloatArray:
    """An hourly load over the year from an annual consumption and a shape.

    Parameters
    ----------
    hour_of_day : numpy.ndarray of int
        Local standard hour 0..23 of each interval's midpoint.
    day_of_week : numpy.ndarray of int
        Monday = 0 .. Sunday = 6, same length.
    profile : {'flat', 'office'}
        'flat': the same load every hour. 'office': on working days
        (:data:`OFFICE_WORKDAYS`) during :data:`OFFICE_HOURS` a full load, at
        other times :data:`OFFICE_BASE_FRACTION` of it (an estimate: no measured
        Iranian municipal load shape was found).
    annual_kwh : float
        Consumption over the intervals given. [kWh]

    Returns
    -------
    load_kwh : numpy.ndarray
        Load of each interval, summing to ``annual_kwh``. [kWh]

    Examples
    --------
    >>> load_profile_kwh([0, 8], [0, 0], profile="office", annual_kwh=125.0)
    array([ 25., 100.])
    """
    hours = _hours(hour_of_day)
    days = np.asarray(day_of_week)
    if days.shape != hours.shape or not np.isin(days, np.arange(7)).all():
        raise FinanceError("day_of_week: expected 0..6 (Monday = 0), one per interval")
    if not (np.isfinite(annual_kwh) and annual_kwh >= 0):
        raise FinanceError(f"annual consumption: must be >= 0 kWh, got {annual_kwh!r}")
    if profile == "flat":
        weight = np.ones(hours.shape)
    elif profile == "office":
        start, end = OFFICE_HOURS
        working = np.isin(days, OFFICE_WORKDAYS) & (hours >= start) & (hours < end)
        weight = np.where(working, 1.0, OFFICE_BASE_FRACTION)
    else:
        raise FinanceError(f"load profile: 'flat' or 'office', got {profile!r}")
    shares: FloatArray = annual_kwh * weight / weight.sum()
    return shares


def self_consumption_by_year(
    production_kwh: ArrayLike,
    load_kwh: ArrayLike,
    *,
    energy_by_year_kwh: ArrayLike,
    load_growth_rate: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Share of each operating year's energy used on site, and the yearly load.

    Parameters
    ----------
    production_kwh : numpy.ndarray
        The plant's energy in each interval of a simulated year, ``(n_hours,)``.
        [kWh]
    load_kwh : numpy.ndarray
        The owner's load in the same intervals. [kWh]
    energy_by_year_kwh : numpy.ndarray
        Delivered energy of operating years 1..N (degradation and availability
        applied), ``(N,)``. [kWh]
    load_growth_rate : float
        Yearly growth of the load; year t is load (1 + g)^(t-1). [fraction/year]

    Returns
    -------
    self_consumed_fraction : numpy.ndarray
        sum_h min(k_t P_h, L_h (1 + g)^(t-1)) / (k_t sum_h P_h), with
        k_t = E_t / sum_h P_h, shape ``(N,)``. [fraction]
    consumption_kwh : numpy.ndarray
        The owner's consumption of each operating year, ``(N,)``. [kWh]

    Notes
    -----
    Each year's hourly output is the simulated year scaled by that year's energy
    (degradation and availability act on every hour alike), so the share rises a
    little as the plant ages. Self-consumption is netted hour by hour: energy made
    in one hour offsets the load of that hour only.

    Examples
    --------
    Production 2 and 0 kWh, load 1 and 1 kWh: year 1 uses 1 of 2 (50 %); year 2
    at half the output uses all of it.

    >>> share, load = self_consumption_by_year([2.0, 0.0], [1.0, 1.0],
    ...     energy_by_year_kwh=[2.0, 1.0])
    >>> share, load
    (array([0.5, 1. ]), array([2., 2.]))
    """
    production = np.asarray(production_kwh, dtype=float)
    load = np.asarray(load_kwh, dtype=float)
    by_year = np.asarray(energy_by_year_kwh, dtype=float)
    if production.shape != load.shape or production.ndim != 1:
        raise FinanceError(
            "self-consumption: the load must have one value per simulated interval, "
            f"got {load.shape} for {production.shape} intervals"
        )
    if (load < 0).any() or not np.isfinite(load).all():
        raise FinanceError("self-consumption: every hourly load must be >= 0")
    total = float(production.sum())
    growth = (1.0 + load_growth_rate) ** np.arange(by_year.size)
    if total <= 0:
        return np.zeros(by_year.size), load.sum() * growth
    scale = by_year / total
    used = np.minimum(scale[:, None] * production[None, :], growth[:, None] * load)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(by_year > 0, used.sum(axis=1) / (scale * total), 0.0)
    return share, load.sum() * growth


@dataclass(frozen=True, slots=True)
class RevenueFactors:
    """What the hourly profile tells the annual cash flow."""

    time_of_day_factor: float = 1.0
    """Equivalent energy / energy of the first operating year. [-]"""
    self_consumed_fraction: FloatArray | None = None
    """Share of each operating year's energy used on site, ``(N,)``. [fraction]"""
    consumption_kwh: FloatArray | None = None
    """The owner's consumption of each operating year, ``(N,)``. [kWh]"""
