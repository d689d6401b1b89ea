"""split_years: whole calendar years, each holding exactly its own data year.

The series is built on the data's own clock (UTC) from three synthetic years with
different seeds, 2015, 2016 (leap) and 2017, then shown in local time. The expected
years are computed by hand from the UTC years: at UTC+o the UTC hours h with
h + o >= 24 on 31 December land in the next local year (o >= 0), or the hours with
h + o < 0 on 1 January land in the previous one (o < 0); either way year Y's values
are the UTC year's values rolled by floor(o) rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.normals import load_normals
from solarcase.weather.synth import synthesize_year
from solarcase.weather.years import split_years

YEARS = (2015, 2016, 2017)


@functools.cache
def _utc_years() -> tuple[tuple[pd.DataFrame, ...], WeatherMeta]:
    normals = load_normals("Birjand")
    frames, meta = [], None
    for year in YEARS:
        frame, meta = synthesize_year(normals, seed=year, year=year, utc_offset_h=0.0)
        frames.append(frame)
    assert meta is not None
    meta = dataclasses.replace(meta, is_typical_year=False, years=YEARS)
    return tuple(frames), meta


def series(offset_h: float) -> tuple[list[pd.DataFrame], pd.DataFrame, WeatherMeta]:
    """The UTC years (fresh copies), the series at UTC+offset_h, and its meta."""
    frames, meta = _utc_years()
    utc = [f.copy() for f in frames]
    zone = dt.timezone(dt.timedelta(hours=offset_h))
    local = pd.concat(utc).tz_convert(zone)
    return utc, local, dataclasses.replace(meta, utc_offset_h=offset_h)


def test_iran_standard_time_moves_three_night_hours_to_1_january():
    utc, local, meta = series(3.5)
    years = split_years(local, meta)
    assert [year for year, _, _ in years] == list(YEARS)
    for (year, frame, year_meta), source in zip(years, utc, strict=True):
        # 21:00-23:00 UTC on 31 December are 00:30-02:30 of 1 January local time:
        # they move to the start of the same year, so the values roll by 3 rows
        expected = np.roll(source.to_numpy(), 3, axis=0)
        np.testing.assert_array_equal(frame.to_numpy(), expected)
        assert frame.index[0] == pd.Timestamp(year, 1, 1, 0, 30, tz=local.index.tz)
        assert frame.index[-1] == pd.Timestamp(year, 12, 31, 23, 30, tz=local.index.tz)
        assert len(frame) == (8784 if year == 2016 else 8760)
        assert year_meta.years == (year,) and not year_meta.is_typical_year
        assert year_meta.description.endswith(f", year {year}")
        assert "moved the 3 hour(s)" in year_meta.repairs[-1]
        assert "to the start of" in year_meta.repairs[-1]


def test_data_on_local_time_are_cut_at_midnight_without_moving_hours():
    utc, local, meta = series(0.0)
    for (_, frame, year_meta), source in zip(
        split_years(local, meta), utc, strict=True
    ):
        pd.testing.assert_frame_equal(frame, source, check_freq=False)
        assert year_meta.repairs == meta.repairs


def test_west_of_greenwich_the_first_hours_move_to_31_december():
    utc, local, meta = series(-5.0)
    years = split_years(local, meta)
    for (_, frame, year_meta), source in zip(years, utc, strict=True):
        # 00:00-04:00 UTC on 1 January are 19:00-23:00 of 31 December before
        np.testing.assert_array_equal(
            frame.to_numpy(), np.roll(source.to_numpy(), -5, axis=0)
        )
        assert "moved the 5 hour(s)" in year_meta.repairs[-1]


@settings(max_examples=25, deadline=None)
@given(quarters=st.integers(min_value=-48, max_value=56))
def test_every_year_is_whole_and_holds_exactly_its_own_data(quarters):
    offset_h = quarters / 4.0
    utc, local, meta = series(offset_h)
    years = split_years(local, meta)
    assert [year for year, _, _ in years] == list(YEARS)
    for (year, frame, _), source in zip(years, utc, strict=True):
        assert (frame.index.year == year).all()
        assert (np.diff(frame.index.asi8) == 3_600_000_000).all()
        expected = np.roll(source.to_numpy(), math.floor(offset_h), axis=0)
        np.testing.assert_array_equal(frame.to_numpy(), expected)
    assert local.equals(series(offset_h)[1])  # the input is not modified


def test_a_typical_year_cannot_be_split():
    frame, meta = synthesize_year(load_normals("Birjand"), seed=1)
    with pytest.raises(WeatherDataError, match="kind: hourly"):
        split_years(frame, meta)


def test_a_series_with_a_gap_is_refused():
    _, local, meta = series(3.5)
    with pytest.raises(WeatherDataError, match="gap-free"):
        split_years(local.drop(local.index[100]), meta)


def test_an_incomplete_year_is_left_out_with_a_warning():
    _, local, meta = series(3.5)
    with pytest.warns(SolarcaseWarning, match=r"incomplete year\(s\) \[2017\]"):
        years = split_years(local.iloc[:-50], meta)
    assert [year for year, _, _ in years] == [2015, 2016]
