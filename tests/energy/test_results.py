"""Tests of the result summaries: the loss waterfall and the monthly totals, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.energy.results import (
    LOSS_COLUMNS,
    LOSS_STEPS,
    MONTHLY_COLUMNS,
    loss_waterfall,
    monthly_summary,
)

# transposition is a gain (a negative loss); steps without a loss stay at 0.
FRACTIONS = [0.0, -0.25, 0.04, 0.03, 0.0, 0.05, 0.1, 0.0, 0.1, 0.04, 0.02, 0.03]


def test_waterfall_recovers_the_fraction_taken_at_each_step():
    # 1000 kWh x (1 + 0.25) = 1250, x 0.96 = 1200, x 0.97 = 1164, x 1 = 1164,
    # x 0.95 = 1105.8, x 0.9 = 995.22, ... : each step takes its fraction.
    energy = 1000.0 * np.cumprod(1.0 - np.array(FRACTIONS))
    assert_allclose(energy[:7], [1000, 1250, 1200, 1164, 1164, 1105.8, 995.22])
    losses = loss_waterfall(list(energy))
    assert tuple(losses.columns) == LOSS_COLUMNS
    assert tuple(losses["step"]) == LOSS_STEPS
    assert_allclose(losses["energy_kwh"], energy, rtol=1e-15)
    assert_allclose(losses["loss_fraction"], FRACTIONS, atol=1e-12)
    assert_allclose(losses["loss_kwh"].iloc[1:3], [-250.0, 50.0], rtol=1e-12)
    assert losses["loss_kwh"].iloc[0] == 0.0


@given(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e9)), min_size=12, max_size=12)
)
def test_waterfall_steps_add_up_to_the_last_energy(energy):
    losses = loss_waterfall(energy)
    total = losses["energy_kwh"].iloc[0] - losses["loss_kwh"].sum()
    assert_allclose(total, energy[-1], atol=1e-6 * max(energy))
    assert np.isfinite(losses["loss_fraction"]).all()  # 0, not NaN, after a zero


def test_waterfall_needs_one_energy_per_step():
    with pytest.raises(ValueError, match="expected 12 energies"):
        loss_waterfall([1.0, 2.0])


def hourly(start: str, end: str) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="h", inclusive="left", tz="+03:30")


def summary(index: pd.DatetimeIndex) -> pd.DataFrame:
    """GHI 100 x month W/m², POA twice that, AC 0.8 x POA x 2 kWp, 2 % unavailable."""
    ghi = 100.0 * index.month.to_numpy()
    poa = 2.0 * ghi
    ac_w = 0.8 * poa * 2.0  # W/m² x kWp = W at 0.8 of the reference yield
    return monthly_summary(
        index,
        interval_h=1.0,
        dc_capacity_kwp=2.0,
        ghi=ghi,
        poa_global=poa,
        ac_power_w=ac_w,
        delivered_power_w=0.98 * ac_w,
    )


def test_monthly_totals_of_a_calendar_year_by_hand():
    monthly = summary(hourly("2019-01-01", "2020-01-01"))
    assert tuple(monthly.columns) == MONTHLY_COLUMNS
    assert list(monthly.index) == list(range(1, 13))
    # January: 744 h x 100 W/m² = 74.4 kWh/m²; February: 672 h x 200 W/m² = 134.4.
    assert_allclose(monthly["ghi_kwh_per_m2"].iloc[:2], [74.4, 134.4], rtol=1e-12)
    assert_allclose(monthly["poa_kwh_per_m2"].iloc[:2], [148.8, 268.8], rtol=1e-12)
    # AC: 0.8 x 148.8 kWh/m² x 2 kWp = 238.08 kWh; delivered 0.98 x that = 233.3184.
    assert_allclose(monthly["ac_energy_kwh"].iloc[0], 238.08, rtol=1e-12)
    assert_allclose(monthly["delivered_energy_kwh"].iloc[0], 233.3184, rtol=1e-12)
    assert_allclose(monthly["specific_yield_kwh_per_kwp"].iloc[0], 116.6592)
    assert_allclose(monthly["performance_ratio"], 0.8 * 0.98, rtol=1e-12)
    # December: 744 h x 1200 W/m² = 892.8 kWh/m².
    assert_allclose(monthly["ghi_kwh_per_m2"].iloc[-1], 892.8, rtol=1e-12)


def test_monthly_totals_are_per_year_for_several_years_and_part_months():
    one_year = summary(hourly("2019-01-01", "2020-01-01"))
    # Two non-leap years: each month holds two months of data, halved.
    two_years = summary(hourly("2018-01-01", "2020-01-01"))
    pd.testing.assert_frame_equal(two_years, one_year, rtol=1e-12)
    # Ten days of January stand for the whole month (x 744 / 240); other months NaN.
    part = summary(hourly("2019-01-01", "2019-01-11"))
    pd.testing.assert_frame_equal(part.iloc[:1], one_year.iloc[:1], rtol=1e-12)
    assert part.iloc[1:].isna().all().all()
