"""What ``solarcase weather inspect`` shows: monthly statistics and a clear-sky check.

:func:`summarise_weather` condenses a checked weather frame into monthly irradiation
(GHI, DNI, DHI), mean temperature and wind, the same per calendar year for a
multi-year series, and a comparison of GHI with the Ineichen clear-sky GHI
(``pvlib.clearsky.ineichen`` with pvlib's Linke turbidity climatology, sun at each
hour's midpoint): the share of daylight hours above clear sky and the monthly ratio of
measured to clear-sky irradiation. Hourly means above clear sky happen (cloud
enhancement, turbidity lower than the climatology) but should be rare; many such hours,
or a monthly ratio near or above 1, point to wrong units, a wrong time zone or a file
for another place. The bundled climate normals of the nearest town, when close enough,
come along for comparison. :func:`plot_monthly_irradiation` draws the monthly
irradiation next to those normals (matplotlib object API; the caller saves it).
"""

from __future__ import annotations

import calendar
import textwrap
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from matplotlib.figure import Figure

from solarcase.units import DAYS_IN_MONTH
from solarcase.weather.frame import INTERVAL, WeatherMeta, time_index
from solarcase.weather.normals import (
    MAX_NORMALS_DISTANCE_KM,
    MonthlyNormals,
    nearest_normals,
)
from solarcase.weather.years import split_years

#: Hours whose clear-sky GHI is below this are not judged against clear sky [W/m²].
DAYLIGHT_CLEAR_SKY_MIN = 50.0
#: GHI above this multiple of clear sky is counted as "well above" [-].
WELL_ABOVE_FACTOR = 1.2


@dataclass(frozen=True, slots=True)
class WeatherSummary:
    """Monthly and yearly statistics of a weather frame, with a clear-sky check."""

    monthly: pd.DataFrame
    """Index month 1-12; ``ghi_kwh_per_m2``, ``dni_kwh_per_m2``, ``dhi_kwh_per_m2``
    and ``ghi_clear_kwh_per_m2`` (irradiation of the average month [kWh/m²]),
    ``clear_sky_ratio`` (GHI / clear-sky GHI [-]), ``temp_air`` [°C] and
    ``wind_speed`` [m/s] (means)."""
    annual: pd.Series
    """The same quantities for the average year (sums of the months; means)."""
    yearly: pd.DataFrame | None
    """For a multi-year series: per whole year of the data (as
    :func:`~solarcase.weather.years.split_years` cuts it) ``ghi_kwh_per_m2``,
    ``dni_kwh_per_m2`` [kWh/m²], ``temp_air`` [°C] and ``hours``; None otherwise."""
    above_clear_sky_fraction: float
    """Share of daylight hours with GHI above clear-sky GHI [fraction]."""
    well_above_clear_sky_fraction: float
    """Share of daylight hours with GHI above WELL_ABOVE_FACTOR x clear sky
    [fraction]."""
    daylight_hours: int
    """Hours judged (clear-sky GHI >= DAYLIGHT_CLEAR_SKY_MIN)."""
    normals: MonthlyNormals | None
    """Bundled normals of the nearest town within MAX_NORMALS_DISTANCE_KM, if any."""
    normals_distance_km: float | None
    """Distance from the data's coordinates to that town [km]."""
    normals_ghi_kwh_per_m2: pd.Series | None
    """Those normals' GHI irradiation per month (daily mean times the days of the
    month), index month 1-12 [kWh/m² per month]; None without normals."""


def clear_sky_ghi(
    index: pd.DatetimeIndex, *, latitude: float, longitude: float, altitude: float
) -> np.ndarray:
    """Ineichen clear-sky GHI at each interval's midpoint (label + 30 min) [W/m²]."""
    midpoints = index + INTERVAL / 2
    with warnings.catch_warnings():  # pvlib 0.16 calls a deprecated pandas accessor
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        position = pvlib.solarposition.ephemeris(midpoints, latitude, longitude)
        location = pvlib.location.Location(latitude, longitude, altitude=altitude)
        sky = location.get_clearsky(midpoints, solar_position=position)
    return np.nan_to_num(sky["ghi"].to_numpy(dtype="float64"), nan=0.0)


def summarise_weather(frame: pd.DataFrame, meta: WeatherMeta) -> WeatherSummary:
    """Monthly and yearly statistics of a checked weather frame and a clear-sky check.

    Parameters
    ----------
    frame : pandas.DataFrame
        Gap-free weather frame (as :func:`~solarcase.weather.checks.check_weather`
        returns it).
    meta : WeatherMeta
        Its metadata (coordinates and altitude for the clear sky; 0 m if unknown).

    Returns
    -------
    summary : WeatherSummary
    """
    index = time_index(frame)
    month = index.month.to_numpy()
    hours_per_month = np.bincount(month - 1, minlength=12).astype(float)
    # a multi-year series gives the average month; any month present counts fully
    days = np.array(DAYS_IN_MONTH, dtype=float)
    scale = np.divide(
        days * 24.0,
        hours_per_month,
        out=np.zeros(12),
        where=hours_per_month > 0,
    )
    clear = clear_sky_ghi(
        index,
        latitude=meta.latitude,
        longitude=meta.longitude,
        altitude=meta.altitude if meta.altitude is not None else 0.0,
    )
    sums = {
        f"{name}_kwh_per_m2": np.bincount(month - 1, weights=values, minlength=12)
        * scale
        / 1000.0
        for name, values in (
            ("ghi", frame["ghi"].to_numpy()),
            ("dni", frame["dni"].to_numpy()),
            ("dhi", frame["dhi"].to_numpy()),
            ("ghi_clear", clear),
        )
    }
    monthly = pd.DataFrame(sums, index=pd.RangeIndex(1, 13, name="month"))
    monthly["clear_sky_ratio"] = monthly["ghi_kwh_per_m2"] / monthly[
        "ghi_clear_kwh_per_m2"
    ].where(monthly["ghi_clear_kwh_per_m2"] > 0)
    means = frame[["temp_air", "wind_speed"]].groupby(month).mean()
    monthly[["temp_air", "wind_speed"]] = means.reindex(range(1, 13)).to_numpy()
    annual = monthly.drop(columns=["clear_sky_ratio", "temp_air", "wind_speed"]).sum()
    annual["clear_sky_ratio"] = (
        annual["ghi_kwh_per_m2"] / annual["ghi_clear_kwh_per_m2"]
    )
    annual["temp_air"] = float(frame["temp_air"].mean())
    annual["wind_speed"] = float(frame["wind_speed"].mean())
    is_day = clear >= DAYLIGHT_CLEAR_SKY_MIN
    ghi = frame["ghi"].to_numpy()
    n_day = int(is_day.sum())
    above = float((ghi[is_day] > clear[is_day]).sum()) / max(n_day, 1)
    well_above = float((ghi[is_day] > WELL_ABOVE_FACTOR * clear[is_day]).sum())
    normals, distance_km = nearest_normals(meta.latitude, meta.longitude)
    is_near = distance_km <= MAX_NORMALS_DISTANCE_KM
    normals_kwh = pd.Series(
        np.array(normals.ghi_kwh_per_m2_day) * days,
        index=monthly.index,
        name="normals_ghi_kwh_per_m2",
    )
    return WeatherSummary(
        monthly=monthly,
        annual=annual,
        yearly=None if meta.is_typical_year else _yearly(frame, meta),
        above_clear_sky_fraction=above,
        well_above_clear_sky_fraction=well_above / max(n_day, 1),
        daylight_hours=n_day,
        normals=normals if is_near else None,
        normals_distance_km=distance_km if is_near else None,
        normals_ghi_kwh_per_m2=normals_kwh if is_near else None,
    )


def _yearly(frame: pd.DataFrame, meta: WeatherMeta) -> pd.DataFrame:
    """Per whole year of the data (see :func:`~solarcase.weather.years.split_years`)."""
    rows = {}
    for year, data, _ in split_years(frame, meta):
        rows[year] = {
            "ghi_kwh_per_m2": data["ghi"].sum() / 1000.0,
            "dni_kwh_per_m2": data["dni"].sum() / 1000.0,
            "temp_air": data["temp_air"].mean(),
            "hours": len(data),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "year"
    return table


def plot_monthly_irradiation(
    summary: WeatherSummary, *, title: str, place: str = ""
) -> Figure:
    """Bars of monthly GHI, DNI and DHI, clear-sky GHI, and the normals' GHI.

    Parameters
    ----------
    summary : WeatherSummary
        From :func:`summarise_weather`.
    title : str
        Title (e.g. the file's description); wrapped to two lines at most.
    place : str, optional
        Shown before the annual sums, e.g. ``"32.87 N, 59.22 E"``.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Not shown or saved.
    """
    monthly = summary.monthly
    months = np.arange(1, 13)
    figure = Figure(figsize=(9.0, 4.8), layout="constrained")
    axes = figure.add_subplot()
    width = 0.27
    bars = (
        ("ghi_kwh_per_m2", "GHI", "#e69f00", -width),
        ("dni_kwh_per_m2", "DNI", "#d55e00", 0.0),
        ("dhi_kwh_per_m2", "DHI", "#56b4e9", width),
    )
    for column, label, colour, shift in bars:
        axes.bar(months + shift, monthly[column], width, label=label, color=colour)
    axes.plot(
        months,
        monthly["ghi_clear_kwh_per_m2"],
        color="0.35",
        linestyle="--",
        label="GHI, clear sky (Ineichen, climatological turbidity)",
    )
    if summary.normals is not None and summary.normals_ghi_kwh_per_m2 is not None:
        axes.plot(
            months - width,
            summary.normals_ghi_kwh_per_m2.to_numpy(),
            linestyle="none",
            marker="D",
            markersize=6,
            color="black",
            label=f"GHI, {summary.normals.town} climate normals "
            f"({summary.normals_distance_km:.0f} km away)",
        )
    axes.set_xticks(months, [calendar.month_abbr[int(m)] for m in months])
    axes.set_xlim(0.4, 12.6)
    axes.set_xlabel("Month")
    axes.set_ylabel("Irradiation [kWh/m² per month]")
    axes.grid(axis="y", color="0.88")
    axes.set_axisbelow(True)
    annual = summary.annual
    sums = (
        f"year: GHI {annual['ghi_kwh_per_m2']:,.0f}, DNI "
        f"{annual['dni_kwh_per_m2']:,.0f}, DHI {annual['dhi_kwh_per_m2']:,.0f} kWh/m²"
    )
    heading = textwrap.wrap(title, width=100, max_lines=2, placeholder=" ...")
    heading.append(f"{place} · {sums}" if place else sums)
    axes.set_title("\n".join(heading), fontsize=10, loc="left")
    axes.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    top = max(monthly[[b[0] for b in bars] + ["ghi_clear_kwh_per_m2"]].max().max(), 1)
    axes.set_ylim(0, top * 1.3)  # room for the legend above the summer bars
    return figure
