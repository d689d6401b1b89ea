"""Tests of the yield model's input checks: every user error names the column, the
value and the fix; valid input passes through unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from solarcase.energy.inputs import (
    INTERVAL_H,
    check_index,
    check_solar_position,
    warn_if_partial_year,
    weather_albedo,
    weather_arrays,
)
from solarcase.energy.simulate import (
    PVWATTS_DEFAULT_LOSSES,
    FixedMount,
    PvwattsInverter,
    PvwattsModule,
    SiteSpec,
    SystemSpec,
    simulate,
    solar_position,
)
from solarcase.errors import SolarcaseWarning, WeatherDataError


def hours(count: int, *, tz: str | None = "Asia/Tehran") -> pd.DatetimeIndex:
    return pd.date_range("2025-01-01", periods=count, freq="h", tz=tz)


def frame(count: int = 48) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ghi": np.full(count, 500.0),
            "dni": np.full(count, 600.0),
            "dhi": np.full(count, 100.0),
            "temp_air": np.full(count, -5.0),  # negative temperatures are valid
            "wind_speed": np.full(count, 2.0),
        },
        index=hours(count),
    )


def small_system() -> SystemSpec:
    return SystemSpec(
        100.0,
        80.0,
        FixedMount(30.0),
        PvwattsModule(),
        PvwattsInverter(),
        PVWATTS_DEFAULT_LOSSES,
    )


def test_valid_weather_becomes_arrays_and_the_frame_is_untouched():
    weather = frame()
    before = weather.copy()
    arrays = weather_arrays(weather)
    assert list(arrays) == ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
    assert_array_equal(arrays["temp_air"], -5.0)
    pd.testing.assert_frame_equal(weather, before)
    assert INTERVAL_H == 1.0


def test_a_negative_wind_speed_is_named_with_its_count_time_and_value():
    weather = frame()
    weather.iloc[[3, 7], weather.columns.get_loc("wind_speed")] = -0.5
    expected = (
        r"weather\.wind_speed: 2 missing, non-finite or negative value\(s\), first "
        r"at 2025-01-01 03:00:00\+03:30, got np\.float64\(-0\.5\); repair them"
    )
    with pytest.raises(WeatherDataError, match=expected):
        weather_arrays(weather)


def test_the_index_must_be_aware_regular_and_not_empty():
    with pytest.raises(WeatherDataError, match="^where: .*tz-aware.*got DatetimeIndex"):
        check_index(hours(3, tz=None), where="where")
    with pytest.raises(WeatherDataError, match="weather frame is empty"):
        check_index(hours(0), where="weather")
    gap = hours(5).delete(2)
    with pytest.raises(WeatherDataError, match=r"step of 0 days 02:00:00 after"):
        check_index(gap, where="weather")
    with pytest.raises(WeatherDataError, match="expected a pandas DataFrame"):
        weather_arrays(frame().to_numpy())
    check_index(hours(24), where="weather")  # valid: no error


def test_weather_albedo_keeps_valid_values_and_falls_back_elsewhere():
    weather = frame(4)
    assert weather_albedo(weather, default=0.2) == 0.2
    weather["albedo"] = [0.3, np.nan, 1.0, 0.0]  # SAM's valid range is 0 < a < 1
    assert_array_equal(weather_albedo(weather, default=0.2), [0.3, 0.2, 0.2, 0.2])


def test_a_shared_solar_position_must_match_the_weather():
    index = hours(24)
    position = solar_position(index, SiteSpec(32.87, 59.22, 1491.0))
    assert check_solar_position(position, index) is position
    with pytest.raises(ValueError, match=r"missing columns \['dni_extra'\]"):
        check_solar_position(position.drop(columns="dni_extra"), index)
    with pytest.raises(ValueError, match="different index"):
        check_solar_position(position, hours(25))


def test_weather_problems_name_the_column_and_the_fix(tmy3):
    frame, site = tmy3
    system = small_system()
    with pytest.raises(WeatherDataError, match=r"missing column\(s\) \['dhi'\]"):
        simulate(frame.drop(columns="dhi"), site=site, system=system)
    broken = frame.copy()
    broken.iloc[100, broken.columns.get_loc("ghi")] = np.nan
    with pytest.raises(WeatherDataError, match=r"weather\.ghi: 1 missing.*1990-01-05"):
        simulate(broken, site=site, system=system)
    naive = frame.tz_localize(None)
    with pytest.raises(WeatherDataError, match="tz-aware"):
        simulate(naive, site=site, system=system)
    with pytest.raises(WeatherDataError, match="regular"):
        simulate(frame.drop(frame.index[50]), site=site, system=system)


def test_a_partial_year_warns_at_the_caller_of_simulate():
    with pytest.warns(SolarcaseWarning, match=r"8759 h of data; annual figures"):
        _call_warn(hours(8759))
    system = small_system()
    with pytest.warns(SolarcaseWarning, match="48 h of data") as caught:
        simulate(frame(), site=SiteSpec(32.87, 59.22, 1491.0), system=system)
    assert caught[0].filename == __file__  # stacklevel points here, not at energy/


def _call_warn(index: pd.DatetimeIndex) -> None:
    warn_if_partial_year(index)


def test_a_full_year_does_not_warn(recwarn):
    warn_if_partial_year(hours(8760))
    assert not [w for w in recwarn if issubclass(w.category, SolarcaseWarning)]
