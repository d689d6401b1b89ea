"""Tests of the synthetic typical-year generator (solarcase.weather.synth).

Irradiance checks call pvlib directly (solar position, Ineichen clear sky with the
bundled Linke turbidity, extraterrestrial irradiance, Erbs-Driesse) on the generated
frame; the monthly targets are the normals themselves.
"""

from __future__ import annotations

import dataclasses
import runpy
import time
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.frame import REQUIRED_COLUMNS, WeatherMeta
from solarcase.weather.native import read_native, write_native
from solarcase.weather.normals import MonthlyNormals, load_normals
from solarcase.weather.synth import synthesize_year

WEATHER_DIR = Path(__file__).resolve().parents[2] / "weather"
TOWNS = ("Birjand", "Tabas", "Ferdows", "Nehbandan", "Boshruyeh")
#: The shipped synthetic years, whatever towns they are for.
SHIPPED = sorted(WEATHER_DIR.glob("*-synthetic.csv"))
# Lines that may differ after a version bump without the numbers changing.
VERSION_KEYS = ("# provenance.solarcase_version:", "# provenance.pvlib_version:")


@cache
def _year(town: str, seed: int = 11) -> tuple[pd.DataFrame, WeatherMeta]:
    return synthesize_year(load_normals(town), seed=seed)


def _year_copy(town: str, seed: int = 11) -> tuple[pd.DataFrame, WeatherMeta]:
    frame, meta = _year(town, seed)
    return frame.copy(), meta


def _monthly_daily_mean(series: pd.Series) -> np.ndarray:
    """Monthly mean of the daily sum [unit*h/day]."""
    daily = series.resample("D").sum()
    return daily.groupby(daily.index.month).mean().to_numpy()


def _geometry(frame: pd.DataFrame, meta: WeatherMeta) -> pd.DataFrame:
    """pvlib solar position and extraterrestrial DNI at interval midpoints."""
    mid = frame.index + pd.Timedelta(minutes=30)
    pressure = pvlib.atmosphere.alt2pres(meta.altitude)
    solpos = pvlib.solarposition.get_solarposition(
        mid, meta.latitude, meta.longitude, altitude=meta.altitude, pressure=pressure
    )
    solpos["dni_extra"] = pvlib.irradiance.get_extra_radiation(mid.day_of_year)
    solpos.index = frame.index
    return solpos


def _clear_sky_ghi(frame: pd.DataFrame, meta: WeatherMeta) -> np.ndarray:
    """Ineichen GHI with the pvlib Linke climatology times the recorded scale."""
    geo = _geometry(frame, meta)
    mid = frame.index + pd.Timedelta(minutes=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linke = pvlib.clearsky.lookup_linke_turbidity(
            mid, meta.latitude, meta.longitude
        )
    scale = np.array(meta.provenance["linke_turbidity_scale"].split(","), float)
    airmass = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(geo["apparent_zenith"]),
        pvlib.atmosphere.alt2pres(meta.altitude),
    )
    with np.errstate(divide="ignore", invalid="ignore"):  # night hours
        clear = pvlib.clearsky.ineichen(
            geo["apparent_zenith"].to_numpy(),
            airmass.to_numpy(),
            linke.to_numpy() * scale[frame.index.month - 1],
            altitude=meta.altitude,
            dni_extra=geo["dni_extra"].to_numpy(),
        )["ghi"]
    return np.nan_to_num(np.asarray(clear))


@pytest.mark.parametrize("town", TOWNS)
def test_monthly_ghi_reproduces_the_normals(town: str) -> None:
    frame, _ = _year(town)
    target = np.array(load_normals(town).ghi_kwh_per_m2_day)
    got = _monthly_daily_mean(frame["ghi"]) / 1000.0
    np.testing.assert_allclose(got, target, rtol=0.005)  # the brief: 0.5 %
    np.testing.assert_allclose(got, target, rtol=1e-4)  # achieved: rounding only


def test_annual_ghi_of_birjand_is_the_measured_normal() -> None:
    # 3.47*31 + 4.00*28 + 5.63*31 + 6.47*30 + 7.43*31 + 8.32*30 + 8.25*31 + 7.50*31
    # + 6.76*30 + 5.20*31 + 4.05*30 + 3.49*31 = 2150.07 kWh/m² (climate-normals.md
    # table 4.1: 5.89 kWh/m²/day, IRIMO pyranometer 2005-2018).
    frame, _ = _year("Birjand")
    assert frame["ghi"].sum() / 1000.0 == pytest.approx(2150.07, rel=1e-4)


def test_frame_follows_the_weather_contract() -> None:
    frame, meta = _year("Birjand")
    assert tuple(frame.columns) == REQUIRED_COLUMNS
    assert len(frame) == 8760 and not frame.isna().any().any()
    assert frame.index[0] == pd.Timestamp("1990-01-01T00:00:00+03:30")
    assert frame.index[-1] == pd.Timestamp("1990-12-31T23:00:00+03:30")
    assert (np.diff(frame.index.asi8) == np.diff(frame.index.asi8)[0]).all()
    assert frame.index[1] - frame.index[0] == pd.Timedelta(hours=1)
    assert meta.utc_offset_h == 3.5
    assert frame.index.tz.utcoffset(None) == pd.Timedelta(hours=3.5)


@pytest.mark.parametrize("town", TOWNS)
def test_irradiance_is_physical(town: str) -> None:
    frame, meta = _year(town)
    geo = _geometry(frame, meta)
    cos_zenith = np.cos(np.radians(geo["zenith"].to_numpy()))
    ghi, dni, dhi = (frame[c].to_numpy() for c in ("ghi", "dni", "dhi"))
    assert (ghi >= 0).all() and (dni >= 0).all() and (dhi >= 0).all()
    # closure ghi = dhi + dni cos(zenith), within the file's 0.1 W/m² rounding
    np.testing.assert_allclose(ghi, dhi + dni * cos_zenith, atol=0.1)
    assert (dni <= geo["dni_extra"].to_numpy()).all()
    # dark when the sun's apparent centre is below the horizon at the midpoint
    assert (ghi[geo["apparent_zenith"].to_numpy() >= 90] == 0).all()
    # never above 1.05 x clear sky (plus the 0.05 W/m² rounding)
    assert (ghi <= 1.05 * _clear_sky_ghi(frame, meta) + 0.05).all()


def test_birjand_uses_the_unmodified_linke_climatology() -> None:
    _, meta = _year("Birjand")
    assert meta.provenance["linke_turbidity_scale"] == ",".join(["1.0000"] * 12)
    _, tabas = _year("Tabas")  # A-P estimates above the summer clear sky: lowered
    scale = np.array(tabas.provenance["linke_turbidity_scale"].split(","), float)
    assert (scale <= 1).all() and (scale >= 0.5).all() and scale.min() < 1


def test_dni_and_dhi_come_from_erbs_driesse() -> None:
    frame, meta = _year("Nehbandan")
    geo = _geometry(frame, meta)
    expected = pvlib.irradiance.erbs_driesse(
        frame["ghi"], geo["zenith"], dni_extra=geo["dni_extra"]
    )
    np.testing.assert_allclose(frame["dni"], expected["dni"], atol=0.051)
    cos_zenith = np.cos(np.radians(geo["zenith"].to_numpy()))
    np.testing.assert_allclose(frame["dhi"], expected["dhi"], atol=0.05 + 0.05)
    assert 0.1 < frame["dhi"].sum() / frame["ghi"].sum() < 0.4
    assert (cos_zenith[frame["dni"].to_numpy() > 0] > 0).all()


@pytest.mark.parametrize("town", TOWNS)
def test_temperature_statistics_match_the_normals(town: str) -> None:
    frame, _ = _year(town)
    normals = load_normals(town)
    daily = frame["temp_air"].resample("D")
    for stat, target in (
        ("max", normals.temp_max),
        ("min", normals.temp_min),
        ("mean", normals.temp_mean),
    ):
        values = getattr(daily, stat)()
        monthly = values.groupby(values.index.month).mean().to_numpy()
        np.testing.assert_allclose(monthly, target, atol=0.3, err_msg=stat)
        np.testing.assert_allclose(monthly, target, atol=0.06, err_msg=stat)


def test_temperature_cycle_peaks_in_the_afternoon_and_bottoms_at_dawn() -> None:
    frame, meta = _year("Birjand")
    hourly = frame["temp_air"].to_numpy().reshape(365, 24)
    hour_of_max = hourly.argmax(axis=1) + 0.5  # interval midpoint, local time
    days = pd.date_range("1990-01-01", periods=365, freq="D", tz=frame.index.tz)
    doy = days.day_of_year
    sunrise, _, transit = pvlib.solarposition.sun_rise_set_transit_geometric(
        days,
        meta.latitude,
        meta.longitude,
        pvlib.solarposition.declination_spencer71(doy),
        pvlib.solarposition.equation_of_time_spencer71(doy),
    )
    noon_h = np.array((transit - days) / pd.Timedelta(hours=1))
    sunrise_h = np.array((sunrise - days) / pd.Timedelta(hours=1))
    after_noon_h = hour_of_max - noon_h
    assert ((after_noon_h > 0.5) & (after_noon_h < 3.5)).mean() > 0.95
    hour_of_min = hourly.argmin(axis=1) + 0.5
    assert (np.abs(hour_of_min - sunrise_h) < 2.0).mean() > 0.95


def test_clear_days_have_a_wider_diurnal_range() -> None:
    frame, _ = _year("Birjand")
    ghi = frame["ghi"].resample("D").sum()
    temp = frame["temp_air"].resample("D")
    diurnal_range = temp.max() - temp.min()
    month = ghi.index.month

    def anomaly(series: pd.Series) -> pd.Series:
        return series / series.groupby(month).transform("mean")

    assert np.corrcoef(anomaly(ghi), anomaly(diurnal_range))[0, 1] > 0.5


@pytest.mark.parametrize("town", TOWNS)
def test_wind_is_non_negative_with_matching_monthly_means(town: str) -> None:
    frame, _ = _year(town)
    wind = frame["wind_speed"]
    assert (wind >= 0).all()
    monthly = wind.groupby(wind.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, load_normals(town).wind_speed, atol=0.005)
    by_hour = wind.groupby(wind.index.hour).mean()
    assert by_hour[15] > 1.3 * by_hour[3]  # afternoon peak, calm nights


def test_same_seed_same_year_different_seed_different_year() -> None:
    normals = load_normals("Ferdows")
    a, meta_a = synthesize_year(normals, seed=5)
    b, meta_b = synthesize_year(normals, seed=5)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert meta_a == meta_b
    c, meta_c = synthesize_year(normals, seed=6)
    for column in REQUIRED_COLUMNS:
        assert (a[column] != c[column]).mean() > 0.2, column
    assert meta_c.provenance["seed"] == "6"
    np.testing.assert_allclose(
        _monthly_daily_mean(c["ghi"]), _monthly_daily_mean(a["ghi"]), rtol=1e-4
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**63), factor=st.floats(0.7, 1.02))
def test_any_seed_and_plausible_normals_calibrate(seed: int, factor: float) -> None:
    base = load_normals("Birjand")
    normals = dataclasses.replace(
        base, ghi_kwh_per_m2_day=tuple(v * factor for v in base.ghi_kwh_per_m2_day)
    )
    frame, meta = synthesize_year(normals, seed=seed)
    got = _monthly_daily_mean(frame["ghi"]) / 1000.0
    np.testing.assert_allclose(got, normals.ghi_kwh_per_m2_day, rtol=0.005)
    assert (frame["ghi"] <= 1.05 * _clear_sky_ghi(frame, meta) + 0.05).all()


def test_leap_year_and_other_place() -> None:
    frame, meta = synthesize_year(
        load_normals("Birjand"), seed=1, year=2024, latitude=33.0, longitude=59.0
    )
    assert len(frame) == 8784 and frame.index[0].year == 2024
    feb = frame.loc["2024-02", "ghi"].sum() / 29 / 1000
    assert feb == pytest.approx(4.00, rel=0.005)
    assert (meta.latitude, meta.longitude) == (33.0, 59.0)
    assert meta.provenance["coordinates_source"] == "given"


def test_fallbacks_for_altitude_and_utc_offset() -> None:
    normals = dataclasses.replace(
        load_normals("Tabas"), elevation_m=None, utc_offset_h=None
    )
    with pytest.warns(SolarcaseWarning, match="utc_offset_h="):
        frame, meta = synthesize_year(normals, seed=3)
    assert meta.altitude == pvlib.location.lookup_altitude(33.6036, 56.9508)
    assert meta.utc_offset_h == 4.0  # round(56.95 / 15)
    assert frame.index[0] == pd.Timestamp("1990-01-01T00:00:00+04:00")
    _, given = synthesize_year(normals, seed=3, utc_offset_h=3.5, altitude=711.0)
    assert (given.utc_offset_h, given.altitude) == (3.5, 711.0)


def test_metadata_says_synthetic_and_carries_provenance() -> None:
    _, meta = _year("Tabas")
    assert meta.source == "synthetic"
    assert meta.is_synthetic and meta.is_typical_year
    assert meta.description.startswith(
        "SYNTHETIC typical year generated from monthly climate normals (Tabas, seed 11"
    )
    provenance = meta.provenance
    assert provenance["generator"] == "solarcase.weather.synth.synthesize_year"
    assert provenance["seed"] == "11" and provenance["normals_town"] == "Tabas"
    assert provenance["normals_sources"] == load_normals("Tabas").sources
    assert provenance["decomposition_model"] == "pvlib.irradiance.erbs_driesse"
    assert "ineichen" in provenance["clear_sky_model"]
    assert {"generator_version", "solarcase_version"} <= set(provenance)
    assert not any("date" in key or "time" in key for key in provenance)


@pytest.mark.parametrize(
    ("change", "kwargs", "fragment"),
    [
        ({}, {"seed": -1}, "seed must be a non-negative integer"),
        ({}, {"seed": 1.5}, "seed must be a non-negative integer"),
        ({}, {"seed": 1, "year": 1800}, "year must be in"),
        ({}, {"seed": 1, "utc_offset_h": 20.0}, "utc_offset_h must be in"),
        ({"latitude": None}, {"seed": 1}, "pass latitude= and longitude="),
        ({}, {"seed": 1, "latitude": 95.0}, "latitude must be in"),
        ({}, {"seed": 1, "longitude": 200.0}, "longitude must be in"),
        ({"ghi_kwh_per_m2_day": (11.0,) * 12}, {"seed": 1}, "month 1:"),
        ({"ghi_kwh_per_m2_day": (0.2,) * 12}, {"seed": 1}, "month 1:"),
    ],
)
def test_impossible_requests_are_weather_data_errors(
    change: dict, kwargs: dict, fragment: str
) -> None:
    normals = dataclasses.replace(load_normals("Birjand"), **change)
    with pytest.raises(WeatherDataError, match=fragment.replace("(", "\\(")):
        synthesize_year(normals, **kwargs)


def test_one_year_takes_well_under_a_second() -> None:
    normals = load_normals("Qaen")
    synthesize_year(normals, seed=0)  # warm caches (pvlib data files)
    start = time.perf_counter()
    synthesize_year(normals, seed=1)
    assert time.perf_counter() - start < 1.0


def test_shipped_files_exist_and_are_listed_in_the_readme() -> None:
    readme = (WEATHER_DIR / "README.md").read_text(encoding="utf-8")
    generated = runpy.run_path(str(WEATHER_DIR / "make_synthetic.py"))["TOWNS"]
    expected = sorted(f"{town.lower()}-synthetic.csv" for town in generated)
    assert [path.name for path in SHIPPED] == expected  # one file per town, no other
    for path in SHIPPED:
        assert path.is_file() and path.name in readme, path.name
    assert "SYNTHETIC" in readme


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_file_regenerates_identically(path: Path, tmp_path: Path) -> None:
    shipped, meta = read_native(path)
    town = meta.provenance["normals_town"]
    assert meta.is_synthetic and path.name == f"{town.lower()}-synthetic.csv"
    frame, fresh_meta = synthesize_year(
        load_normals(town), seed=int(meta.provenance["seed"])
    )
    pd.testing.assert_frame_equal(frame, shipped, check_exact=True, check_freq=False)
    fresh = tmp_path / "fresh.csv"
    write_native(frame, fresh_meta, fresh)
    old = path.read_text(encoding="utf-8").split("\n")
    new = fresh.read_text(encoding="utf-8").split("\n")
    assert [line for line in old if not line.startswith(VERSION_KEYS)] == [
        line for line in new if not line.startswith(VERSION_KEYS)
    ], "run `python weather/make_synthetic.py` and commit the result"


def test_user_normals_without_station_data(tmp_path: Path) -> None:
    normals = MonthlyNormals(
        town="Somewhere",
        latitude=35.0,
        longitude=51.0,
        elevation_m=1200.0,
        ghi_kwh_per_m2_day=(3.0, 3.8, 4.8, 5.9, 6.9, 7.8, 7.6, 7.0, 6.0, 4.6, 3.4, 2.8),
        temp_mean=(3, 6, 10, 16, 22, 27, 30, 29, 25, 18, 10, 5),
        temp_max=(8, 11, 16, 22, 29, 35, 37, 36, 32, 25, 16, 10),
        temp_min=(-1, 1, 5, 10, 15, 20, 23, 22, 18, 12, 5, 0),
        wind_speed=(2,) * 12,
        utc_offset_h=3.5,
    )
    frame, meta = synthesize_year(normals, seed=42)
    path = tmp_path / "somewhere.csv"
    write_native(frame, meta, path)
    again, again_meta = read_native(path)
    pd.testing.assert_frame_equal(again, frame, check_freq=False)
    assert dataclasses.replace(again_meta, path=None, sha256=None) == meta


def test_fallback_utc_offset_rounds_a_half_zone_east_as_the_checks_do() -> None:
    normals = dataclasses.replace(load_normals("Birjand"), utc_offset_h=None)
    # 67.5 / 15 = 4.5 h: halves round east, to UTC+5, as checks' time-zone rule and
    # the PVGIS readers do (Python's round() gives the even 4)
    with pytest.warns(SolarcaseWarning, match=r"using \+5 h from the longitude"):
        frame, meta = synthesize_year(normals, seed=1, latitude=32.9, longitude=67.5)
    assert meta.utc_offset_h == 5.0
    assert frame.index[0].utcoffset() == pd.Timedelta(hours=5)
