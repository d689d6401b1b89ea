"""Yearly factors from the hourly profile (finance/hourly.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.hourly import (
    OFFICE_BASE_FRACTION,
    load_profile_kwh,
    self_consumption_by_year,
    time_of_day_factor,
)

YEAR = pd.date_range("2025-01-01", periods=8760, freq="h", tz="+03:30")


def test_time_of_day_factor_golden():
    # 2 kWh at 10:00, 6 kWh at 13:00, 2 kWh at 17:00; coefficients: 0.8 before
    # 12:00, 1.0 from 12:00 to 17:00, 1.5 from 17:00:
    # (2 x 0.8 + 6 x 1.0 + 2 x 1.5) / 10 = (1.6 + 6 + 3) / 10 = 1.06
    table = [0.8] * 12 + [1.0] * 5 + [1.5] * 7
    assert time_of_day_factor([2.0, 6.0, 2.0], [10, 13, 17], table) == pytest.approx(
        1.06, rel=1e-15
    )


def test_time_of_day_factor_of_equal_coefficients_is_that_coefficient():
    energy = np.random.default_rng(0).uniform(0, 5, 8760)
    assert time_of_day_factor(energy, YEAR.hour, [1.2] * 24) == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("table", "match"), [([1.0] * 23, "24 numbers"), ([-1.0] + [1.0] * 23, "24")]
)
def test_bad_time_of_day_tables_are_errors(table, match):
    with pytest.raises(FinanceError, match=match):
        time_of_day_factor([1.0], [0], table)


def test_office_profile_works_saturday_to_wednesday_seven_to_three():
    load = load_profile_kwh(
        YEAR.hour, YEAR.day_of_week, profile="office", annual_kwh=100_000.0
    )
    assert load.sum() == pytest.approx(100_000.0, rel=1e-12)
    frame = pd.Series(load, index=YEAR)
    full = frame.max()
    # Saturday 4 January 2025 10:00 works; Thursday 2 January and Friday 3 January
    # do not; 15:00 is after hours
    assert frame["2025-01-04 10:00"] == pytest.approx(full)
    assert frame["2025-01-02 10:00"] == pytest.approx(full * OFFICE_BASE_FRACTION)
    assert frame["2025-01-03 10:00"] == pytest.approx(full * OFFICE_BASE_FRACTION)
    assert frame["2025-01-04 15:00"] == pytest.approx(full * OFFICE_BASE_FRACTION)
    assert frame["2025-01-04 07:00"] == pytest.approx(full)
    # 5 working days x 8 hours a week, the rest at the base share:
    # full x (40 + 0.25 x 128) per week
    weeks = 8760 / 168
    assert full * (40 + OFFICE_BASE_FRACTION * 128) * weeks == pytest.approx(
        100_000.0, rel=0.01
    )


def test_flat_profile():
    load = load_profile_kwh(
        YEAR.hour, YEAR.day_of_week, profile="flat", annual_kwh=8760
    )
    assert_allclose(load, 1.0)


def test_self_consumption_by_year_golden():
    # production 3, 1, 0 kWh in three hours; load 2, 2, 2; year 1 as simulated:
    # used min(3,2) + min(1,2) + 0 = 3 of 4 -> 75 %. Year 2 at half the output
    # (2 kWh) and a load 50 % higher (3, 3, 3): used 1.5 + 0.5 = 2 of 2 -> 100 %
    share, load = self_consumption_by_year(
        [3.0, 1.0, 0.0],
        [2.0, 2.0, 2.0],
        energy_by_year_kwh=[4.0, 2.0],
        load_growth_rate=0.5,
    )
    assert_allclose(share, [0.75, 1.0])
    assert_allclose(load, [6.0, 9.0])


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    scale=st.floats(0.1, 10.0),
    growth=st.floats(-0.05, 0.1),
)
def test_self_consumed_share_lies_in_zero_one_and_rises_as_output_falls(
    seed, scale, growth
):
    rng = np.random.default_rng(seed)
    production = rng.uniform(0, 3, 200)
    load = scale * rng.uniform(0, 3, 200)
    by_year = production.sum() * (1 - 0.01 * np.arange(10))
    share, _ = self_consumption_by_year(
        production, load, energy_by_year_kwh=by_year, load_growth_rate=abs(growth)
    )
    assert ((share >= 0) & (share <= 1 + 1e-12)).all()
    # less output and more load: a larger share used on site
    assert (np.diff(share) >= -1e-12).all()


def test_load_of_the_wrong_length_is_an_error():
    with pytest.raises(FinanceError, match="one value per simulated interval"):
        self_consumption_by_year([1.0, 2.0], [1.0], energy_by_year_kwh=[3.0])
