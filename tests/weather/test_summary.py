"""Weather statistics against pandas sums and pvlib's clear sky called directly."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from numpy.testing import assert_allclose

from solarcase.weather.checks import check_weather
from solarcase.weather.normals import load_normals
from solarcase.weather.sources import read_weather
from solarcase.weather.summary import (
    DAYLIGHT_CLEAR_SKY_MIN,
    plot_monthly_irradiation,
    summarise_weather,
)
from solarcase.weather.synth import synthesize_year

DATA = Path(__file__).parents[1] / "data" / "weather"
PVGIS_CSV = DATA / "tmy_45.000_8.000_2005_2023.csv"


def pvgis_year() -> tuple[pd.DataFrame, object]:
    frame, meta = read_weather(PVGIS_CSV)
    return check_weather(frame, meta, where="fixture")


def test_monthly_sums_are_the_hourly_values_added_up():
    frame, meta = pvgis_year()
    summary = summarise_weather(frame, meta)
    by_month = frame.groupby(frame.index.month)
    for column in ("ghi", "dni", "dhi"):
        assert_allclose(
            summary.monthly[f"{column}_kwh_per_m2"],
            by_month[column].sum() / 1000.0,
            rtol=1e-12,
        )
    assert_allclose(summary.monthly["temp_air"], by_month["temp_air"].mean())
    # the annual GHI of this year, quoted in docs/weather.md: 1,435.9 kWh/m²
    assert round(summary.annual["ghi_kwh_per_m2"], 1) == 1435.9
    assert summary.yearly is None
    assert summary.normals is None  # no bundled town within 150 km of 45 N, 8 E
    assert summary.normals_ghi_kwh_per_m2 is None


def test_clear_sky_equals_pvlib_ineichen_with_spa():
    frame, meta = pvgis_year()
    summary = summarise_weather(frame, meta)
    times = frame.index + pd.Timedelta(minutes=30)
    location = pvlib.location.Location(45.0, 8.0, altitude=250.0)
    with warnings.catch_warnings():  # pvlib 0.16 uses a deprecated pandas accessor
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        reference = location.get_clearsky(times)["ghi"]  # NREL SPA solar position
    clear = reference.to_numpy()
    monthly = reference.groupby(frame.index.month).sum().to_numpy() / 1000.0
    # ephemeris vs SPA differ by < 0.02 deg: monthly sums agree to 0.1 %
    assert_allclose(summary.monthly["ghi_clear_kwh_per_m2"], monthly, rtol=1e-3)
    ghi = frame["ghi"].to_numpy()
    day = clear >= DAYLIGHT_CLEAR_SKY_MIN
    above = (ghi[day] > clear[day]).mean()
    assert summary.above_clear_sky_fraction == pytest.approx(above, abs=0.003)
    assert summary.daylight_hours == pytest.approx(day.sum(), abs=5)
    assert_allclose(
        summary.monthly["clear_sky_ratio"],
        summary.monthly["ghi_kwh_per_m2"] / monthly,
        rtol=1e-3,
    )


def test_a_multi_year_series_gives_the_average_month_and_each_year():
    normals = load_normals("Birjand")
    first, meta = synthesize_year(normals, seed=1, year=2015)
    second, _ = synthesize_year(normals, seed=2, year=2016)  # a leap year
    meta = dataclasses.replace(meta, is_typical_year=False, years=(2015, 2016))
    summary = summarise_weather(pd.concat([first, second]), meta)
    sums = [f["ghi"].groupby(f.index.month).sum() / 1000.0 for f in (first, second)]
    expected = (sums[0] + sums[1]) / 2.0
    # February: 28 + 29 days of data scaled to the average 28-day February
    expected[2] = (sums[0][2] + sums[1][2]) * 28 / (28 + 29)
    assert_allclose(summary.monthly["ghi_kwh_per_m2"], expected, rtol=1e-12)
    assert summary.yearly is not None
    assert list(summary.yearly.index) == [2015, 2016]
    assert list(summary.yearly["hours"]) == [8760, 8784]
    assert_allclose(
        summary.yearly["ghi_kwh_per_m2"],
        [first["ghi"].sum() / 1000.0, second["ghi"].sum() / 1000.0],
        rtol=1e-12,
    )


def test_normals_of_a_nearby_town_come_along_and_are_drawn():
    birjand = Path(__file__).parents[2] / "weather" / "birjand-synthetic.csv"
    frame, meta = read_weather(birjand)
    frame, meta = check_weather(frame, meta, where="birjand")
    summary = summarise_weather(frame, meta)
    assert summary.normals is not None and summary.normals.town == "Birjand"
    assert summary.normals_distance_km == pytest.approx(0.0, abs=0.1)
    figure = plot_monthly_irradiation(summary, title=meta.description, place="B")
    (axes,) = figure.axes
    assert axes.get_ylabel() == "Irradiation [kWh/m² per month]"
    assert axes.get_xlabel() == "Month"
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "GHI, Birjand climate normals (0 km away)" in labels
    bars = [patch.get_height() for patch in axes.containers[0]]
    assert_allclose(bars, summary.monthly["ghi_kwh_per_m2"])
    normals_line = next(
        line for line in axes.get_lines() if "normals" in str(line.get_label())
    )
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    assert_allclose(
        normals_line.get_ydata(), np.array(summary.normals.ghi_kwh_per_m2_day) * days
    )
    # January: 3.47 kWh/m²/day (Birjand normals) x 31 days = 107.57 kWh/m²
    assert summary.normals.ghi_kwh_per_m2_day[0] == 3.47
    assert summary.normals_ghi_kwh_per_m2 is not None
    assert summary.normals_ghi_kwh_per_m2[1] == pytest.approx(107.57, rel=1e-12)
    assert_allclose(
        summary.normals_ghi_kwh_per_m2.to_numpy(),
        np.array(summary.normals.ghi_kwh_per_m2_day) * days,
        rtol=1e-12,
    )
    assert summary.normals_ghi_kwh_per_m2.index.tolist() == list(range(1, 13))
