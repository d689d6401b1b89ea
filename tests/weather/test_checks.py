"""Quality checks: one test per rule, each a failing case with the expected message.

The base frame is the PVGIS typical year at 45 N 8 E (UTC+1, labels at HH:41); each
test breaks one thing in a copy. Expected repaired values are computed here from the
neighbouring values (linear interpolation written out) and from NREL SPA.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.checks import (
    check_weather,
    quality_flags,
    require_columns,
)
from solarcase.weather.geo import great_circle_distance_km
from solarcase.weather.sources import read_weather

DATA = Path(__file__).parents[1] / "data" / "weather"
PVGIS_CSV = DATA / "tmy_45.000_8.000_2005_2023.csv"
PSM3 = DATA / "test_read_psm3.csv"
WHERE = "scenarios/test.yaml: site.weather.file (tmy.csv)"
UTC_PLUS_1 = dt.timezone(dt.timedelta(hours=1))
BIRJAND = (32.87, 59.22)


@pytest.fixture(scope="module")
def pvgis():
    return read_weather(PVGIS_CSV)


@pytest.fixture
def frame(pvgis):
    return pvgis[0].copy()


@pytest.fixture
def meta(pvgis):
    return pvgis[1]


def at(day_hour: str) -> pd.Timestamp:
    return pd.Timestamp(f"1990-{day_hour}", tz=UTC_PLUS_1)


def check(frame, meta, **kwargs):
    return check_weather(frame, meta, where=WHERE, **kwargs)


def check_error(frame, meta, **kwargs) -> str:
    with pytest.raises(WeatherDataError) as err:
        check(frame, meta, **kwargs)
    assert str(err.value).startswith(WHERE)
    return str(err.value)


# -- a clean file ---------------------------------------------------------------------


def test_clean_file_passes_unchanged(frame, meta):
    checked, checked_meta = check(frame, meta, site_latitude=45.1, site_longitude=8.1)
    pd.testing.assert_frame_equal(checked, frame, check_freq=False)
    assert checked_meta.repairs == meta.repairs == ()
    summary = checked_meta.provenance["quality_checks"]
    assert (
        summary.startswith("3132 daylight hours judged")
        and "(0.0% inconsistent)" in summary
    )
    assert meta.provenance.items() <= checked_meta.provenance.items()


def test_quality_flags_are_true_for_valid_hours(frame, meta):
    flags = quality_flags(frame, latitude=meta.latitude, longitude=meta.longitude)
    assert flags.dtypes.eq(bool).all() and flags["is_valid"].all()
    # judged hours: sun above 15 deg at label + 30 min and ghi above 50 W/m²
    spa = pvlib.solarposition.spa_python(frame.index + pd.Timedelta(minutes=30), 45, 8)
    expected = (spa["elevation"].to_numpy() > 15) & (frame["ghi"].to_numpy() > 50)
    assert (flags["is_judged"].to_numpy() != expected).sum() <= 2  # SPA vs ephemeris


# -- index ----------------------------------------------------------------------------


def test_required_columns(frame):
    with pytest.raises(
        WeatherDataError, match=r"missing required column\(s\) \['wind_speed'\]"
    ):
        require_columns(
            frame.drop(columns="wind_speed"), ["ghi", "wind_speed"], where=WHERE
        )
    require_columns(frame, ["ghi", "dni"], where=WHERE)


def test_index_rules(frame, meta):
    assert "tz-aware" in check_error(frame.tz_localize(None), meta)
    doubled = pd.concat([frame.iloc[:5], frame.iloc[4:]])
    assert "appears twice" in check_error(doubled, meta)
    half_hours = pd.date_range("1990-01-01", periods=100, freq="30min", tz=UTC_PLUS_1)
    half_hourly = frame.iloc[:100].set_axis(half_hours)
    assert "not hourly data" in check_error(half_hourly, meta)
    other_zone = frame.tz_convert("UTC")
    assert "metadata says UTC+1 h" in check_error(other_zone, meta)


# -- location and time zone -----------------------------------------------------------


def test_great_circle_distance_against_geometry():
    radius = 6371.0088  # mean Earth radius (IUGG) used by the function
    assert great_circle_distance_km(0, 0, 0, 1) == pytest.approx(
        2 * math.pi * radius / 360
    )
    assert great_circle_distance_km(0, 0, 90, 0) == pytest.approx(math.pi * radius / 2)
    assert great_circle_distance_km(10, 20, -10, -160) == pytest.approx(
        math.pi * radius
    )


@given(
    st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180)
)
def test_distance_is_a_metric_on_the_sphere(lat1, lon1, lat2, lon2):
    d = great_circle_distance_km(lat1, lon1, lat2, lon2)
    assert d == pytest.approx(
        great_circle_distance_km(lat2, lon2, lat1, lon1), abs=1e-6
    )
    assert 0 <= d <= math.pi * 6371.0088 + 1e-6
    via_pole = great_circle_distance_km(lat1, lon1, 90, 0) + great_circle_distance_km(
        90, 0, lat2, lon2
    )
    assert d <= via_pole + 1e-6


def test_file_for_another_continent_is_rejected(frame, meta):
    message = check_error(
        frame, meta, site_latitude=BIRJAND[0], site_longitude=BIRJAND[1]
    )
    distance = great_circle_distance_km(45.0, 8.0, *BIRJAND)
    assert 4_000 < distance < 4_600  # northern Italy to eastern Iran
    assert "45.000 N, 8.000 E" in message and "32.870 N, 59.220 E" in message
    assert f"{distance:,.0f} km apart" in message and "limit 100 km" in message
    assert "site.weather.file" in message and "site.weather.max_distance_km" in message


def test_distance_limit_is_configurable(frame, meta):
    # 45.5 N 8.2 E is 0.5 deg of latitude and 0.2 deg of longitude away: ~58 km
    assert great_circle_distance_km(45, 8, 45.5, 8.2) == pytest.approx(57.7, abs=0.5)
    check(frame, meta, site_latitude=45.5, site_longitude=8.2)
    message = check_error(
        frame, meta, site_latitude=45.5, site_longitude=8.2, max_distance_km=50
    )
    assert "58 km apart (limit 50 km)" in message


def test_far_time_zone_warns_but_passes():
    frame, meta = read_weather(PVGIS_CSV, utc_offset_h=5.0)  # round(8 / 15) = 1
    with pytest.warns(SolarcaseWarning, match=r"UTC\+5 h is 4 h from the UTC\+1 h"):
        checked, _ = check(frame, meta)
    assert len(checked) == 8760
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(*read_weather(PVGIS_CSV, utc_offset_h=3.5))  # 2.5 h: no warning


# -- completeness ---------------------------------------------------------------------


def test_short_gap_is_interpolated_and_labelled(frame, meta):
    gap = [at("06-21 09:41"), at("06-21 10:41"), at("06-21 11:41")]
    before, after = frame.loc[at("06-21 08:41")], frame.loc[at("06-21 12:41")]
    broken = frame.copy()
    broken.loc[gap, ["ghi", "dni", "dhi", "temp_air"]] = np.nan
    checked, checked_meta = check(broken, meta)
    for k, label in enumerate(gap, start=1):  # linear in time between the neighbours
        expected = before + (after - before) * k / 4
        for column in ("ghi", "dni", "dhi", "temp_air"):
            assert checked.loc[label, column] == pytest.approx(expected[column])
    (repair,) = checked_meta.repairs
    assert "interpolated missing values" in repair and "'ghi': 3" in repair
    assert "longest gap 3 h" in repair and str(gap[0]) in repair
    assert not checked.isna().any().any()


def test_missing_rows_are_gaps_too_and_irradiance_is_zero_at_night(frame, meta):
    # 16:41-18:41 on 10 Dec: the sun sets near 16:45 local time, so a straight line
    # from the 15:41 value would put light into hours whose midpoint is after sunset.
    gap = [at("12-10 16:41"), at("12-10 17:41"), at("12-10 18:41")]
    checked, checked_meta = check(frame.drop(index=gap), meta)
    assert len(checked) == 8760 and checked.index.equals(frame.index)
    spa = pvlib.solarposition.spa_python(
        pd.DatetimeIndex(gap) + pd.Timedelta(minutes=30), 45, 8
    )
    assert (spa["elevation"] < 0).all()
    assert (checked.loc[gap, ["ghi", "dni", "dhi"]] == 0).all().all()
    before, after = frame.loc[at("12-10 15:41")], frame.loc[at("12-10 19:41")]
    assert checked.loc[gap[1], "temp_air"] == pytest.approx(
        (before.temp_air + after.temp_air) / 2
    )
    assert "irradiance set to 0 while the sun is down" in checked_meta.repairs[0]


def test_long_gap_is_an_error_naming_the_hours(frame, meta):
    broken = frame.copy()
    broken.loc[at("03-10 08:41") : at("03-10 11:41"), "dni"] = np.nan  # 4 hours
    message = check_error(broken, meta)
    assert "dni is missing for 4 h from 1990-03-10 08:41:00+01:00 to" in message
    assert "1990-03-10 11:41:00+01:00" in message and "at most 3 h" in message


def test_typical_year_gaps_join_across_new_year(frame, meta):
    broken = frame.copy()
    broken.iloc[[-2, -1, 0], broken.columns.get_loc("temp_air")] = np.nan  # 3 h
    checked, _ = check(broken, meta)
    # the year wraps: 31 Dec 21:41 and 1 Jan 01:41 are the neighbours
    first, last = frame["temp_air"].iloc[-3], frame["temp_air"].iloc[1]
    assert checked["temp_air"].iloc[-2] == pytest.approx(first + (last - first) / 4)
    assert checked["temp_air"].iloc[0] == pytest.approx(first + 3 * (last - first) / 4)
    broken.iloc[1, broken.columns.get_loc("temp_air")] = np.nan  # now 4 h
    assert "temp_air is missing for 4 h from 1990-12-31 22:41" in check_error(
        broken, meta
    )


def test_multi_year_series_must_hold_whole_years():
    frame, meta = read_weather(PSM3)
    checked, _ = check(frame, meta)
    assert len(checked) == 8760
    message = check_error(frame.iloc[24:], meta)
    assert "whole calendar years" in message and "8736 h" in message


@settings(max_examples=25, deadline=None)
@given(start=st.integers(0, 8752), length=st.integers(1, 8))
def test_gap_length_decides_repair_or_error(pvgis, start, length):
    frame, meta = pvgis
    broken = frame.copy()
    broken.iloc[start : start + length, broken.columns.get_loc("wind_speed")] = np.nan
    if length <= 3:
        checked, checked_meta = check(broken, meta)
        untouched = np.ones(len(frame), bool)
        untouched[start : start + length] = False
        assert_allclose(
            checked["wind_speed"][untouched], frame["wind_speed"][untouched]
        )
        lo = frame["wind_speed"].iloc[max(start - 1, 0) : start + length + 1].min()
        hi = frame["wind_speed"].iloc[max(start - 1, 0) : start + length + 1].max()
        filled = checked["wind_speed"].iloc[start : start + length]
        assert ((filled >= lo - 1e-9) & (filled <= hi + 1e-9)).all()
        assert len(checked_meta.repairs) == 1
    else:
        assert f"missing for {length} h" in check_error(broken, meta)


# -- negative and impossible values ---------------------------------------------------


def test_small_negative_irradiance_is_set_to_zero(frame, meta):
    broken = frame.copy()
    broken.loc[at("01-05 02:41"), "ghi"] = -5.0
    broken.loc[at("01-05 03:41"), "dhi"] = -10.0
    checked, checked_meta = check(broken, meta)
    assert checked.loc[at("01-05 02:41"), "ghi"] == 0.0
    assert checked.loc[at("01-05 03:41"), "dhi"] == 0.0
    assert checked_meta.repairs == (
        "set 1 negative ghi values (down to -5.0 W/m²) to 0",
        "set 1 negative dhi values (down to -10.0 W/m²) to 0",
    )


def test_large_negative_irradiance_is_an_error(frame, meta):
    broken = frame.copy()
    broken.loc[at("01-05 02:41"), "dni"] = -9999.0
    message = check_error(broken, meta)
    assert "dni has 1 values below -10 W/m², the first -9999 at 1990-01-05" in message
    assert "missing-value codes" in message


def test_impossible_irradiance_is_an_error(frame, meta):
    # E0n on 21 June = 1367 W/m² x (Spencer factor ~0.969) = ~1324 W/m²
    extra = pvlib.irradiance.get_extra_radiation(172)
    assert extra == pytest.approx(1324, abs=5)
    broken = frame.copy()
    broken.loc[at("06-21 12:41"), "ghi"] = 1.3 * extra
    assert "1 hours have ghi above 1.2 x the extraterrestrial" in check_error(
        broken, meta
    )
    broken = frame.copy()
    broken.loc[at("06-21 12:41"), "dni"] = extra + 20
    assert "dni above the extraterrestrial normal" in check_error(broken, meta)


def test_temperature_and_wind_out_of_range(frame, meta):
    broken = frame.copy()
    broken.loc[at("02-01 05:41"), "temp_air"] = 99.9  # the EPW missing-value code
    message = check_error(broken, meta)
    assert "1 hours have temp_air outside [-60.0, 65.0] °C, the first 99.9" in message
    assert "kelvin" in message
    broken = frame.copy()
    broken.loc[at("02-01 05:41"), "wind_speed"] = -1.0
    assert "wind_speed outside [0.0, 60.0] m/s, the first -1" in check_error(
        broken, meta
    )


# -- consistency: time labels and column swaps ----------------------------------------


def test_swapped_dni_and_dhi_are_caught(frame, meta):
    swapped = frame.rename(columns={"dni": "dhi", "dhi": "dni"})[frame.columns]
    message = check_error(swapped, meta)
    assert (
        "inconsistent in" in message and "swapping dni and dhi would leave" in message
    )


def test_time_labels_one_hour_late_are_caught(frame, meta):
    # each label now carries the previous hour's values: the labels are 1 h late
    late = frame.copy()
    late[:] = np.roll(frame.to_numpy(), 1, axis=0)
    message = check_error(late, meta)
    assert "time labels are probably shifted" in message
    assert "shifting the labels by -60 min would leave 0.0% inconsistent" in message


def test_a_few_inconsistent_hours_are_reported_not_fatal(frame, meta):
    broken = frame.copy()
    noon = [at(f"07-{day:02d} 12:41") for day in range(1, 11)]  # 10 of 3132 hours
    broken.loc[noon, "dhi"] = broken.loc[noon, "ghi"] * 1.5
    broken.loc[noon, "dni"] = 0.0
    checked, checked_meta = check(broken, meta)
    summary = checked_meta.provenance["quality_checks"]
    assert (
        "ghi != dhi + dni cos z in 10, dhi > ghi in 10 (0.3% inconsistent)" in summary
    )
    pd.testing.assert_frame_equal(checked, broken, check_freq=False)


def test_check_does_not_modify_its_input(frame, meta):
    broken = frame.copy()
    broken.loc[at("01-05 02:41"), "ghi"] = -5.0
    snapshot = broken.copy()
    check(broken, meta)
    pd.testing.assert_frame_equal(broken, snapshot)
    assert dataclasses.asdict(meta)["repairs"] == ()


def test_check_weather_takes_under_50_ms(frame, meta):
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        check(frame, meta, site_latitude=45, site_longitude=8)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05, timings
