"""Tests of the per-year energy table: hand-computed cases, invariants and shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.energy.lifetime import degradation_factor, lifetime_energy_kwh
from solarcase.errors import ScenarioError


def test_linear_degradation_by_hand():
    # 100,000 kWh, d = 0.5 %/year, 3 % down, 2 % curtailed:
    # year t = 100,000 x (1 - 0.005 (t - 1)) x 0.97 x 0.98
    #        = 95,060 x (1 - 0.005 (t - 1))
    # t=1: 95,060.0   t=2: 94,584.7   t=3: 94,109.4   t=4: 93,634.1
    energy = lifetime_energy_kwh(
        100_000.0,
        n_years=4,
        degradation_rate=0.005,
        degradation_mode="linear",
        availability=0.03,
        curtailment_fraction=0.02,
    )
    assert_allclose(energy, [[95_060.0, 94_584.7, 94_109.4, 93_634.1]])


def test_compound_degradation_by_hand():
    # 1,000 kWh, d = 10 %/year, no downtime: 1000, 900, 810, 729
    energy = lifetime_energy_kwh(
        1000.0,
        n_years=4,
        degradation_rate=0.1,
        degradation_mode="compound",
        availability=0.0,
    )
    assert_allclose(energy, [[1000.0, 900.0, 810.0, 729.0]])


def test_linear_degradation_floors_at_zero():
    # d = 40 %/year: 1, 0.6, 0.2, then 1 - 1.2 < 0 -> 0, and stays 0
    factor = degradation_factor(5, degradation_rate=0.4, degradation_mode="linear")
    assert_allclose(factor, [[1.0, 0.6, 0.2, 0.0, 0.0]], atol=1e-12)


def test_compound_and_linear_agree_on_the_first_two_years():
    # (1 - d)^1 = 1 - d x 1: year 2 is the same; from year 3 compound is higher
    linear = degradation_factor(3, degradation_rate=0.02, degradation_mode="linear")
    compound = degradation_factor(3, degradation_rate=0.02, degradation_mode="compound")
    assert_allclose(linear[:, :2], compound[:, :2])
    assert compound[0, 2] > linear[0, 2]  # 0.9604 > 0.96


def test_array_inputs_give_one_row_per_case():
    energy = lifetime_energy_kwh(
        np.array([1000.0, 2000.0, 3000.0]),
        n_years=25,
        degradation_rate=np.array([0.0, 0.005, 0.01]),
        degradation_mode="linear",
        availability=0.02,
    )
    assert energy.shape == (3, 25)
    assert_allclose(energy[:, 0], [980.0, 1960.0, 2940.0])
    assert_allclose(energy[0], 980.0)  # no degradation: flat
    assert_allclose(energy[2, -1], 2940.0 * (1 - 0.01 * 24))


def test_scalars_give_a_single_case_row():
    energy = lifetime_energy_kwh(
        500.0,
        n_years=1,
        degradation_rate=0.01,
        degradation_mode="compound",
        availability=0.0,
    )
    assert energy.shape == (1, 1)
    assert energy.flags.writeable


def test_mismatched_case_arrays_are_an_error():
    with pytest.raises(ScenarioError, match=r"different numbers of cases \[2, 3\]"):
        lifetime_energy_kwh(
            np.ones(3),
            n_years=5,
            degradation_rate=np.array([0.01, 0.02]),
            degradation_mode="linear",
            availability=0.0,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"degradation_rate": 5.0}, r"degradation_rate: must lie in \[0, 1\).*got 5"),
        ({"degradation_rate": -0.01}, r"degradation_rate.*got -0\.01"),
        ({"availability": 1.5}, r"availability: must lie in \[0, 1\]"),
        ({"degradation_mode": "exponential"}, r"use 'linear' or 'compound'"),
        ({"n_years": 0}, r"n_years: must lie in \[1, 200\], got 0"),
        ({"n_years": 2.5}, r"n_years: must be an integer, got 2\.5"),
    ],
)
def test_bad_inputs_say_what_and_how(kwargs, message):
    arguments = {
        "n_years": 10,
        "degradation_rate": 0.005,
        "degradation_mode": "linear",
        "availability": 0.0,
        **kwargs,
    }
    with pytest.raises(ScenarioError, match=message):
        lifetime_energy_kwh(1000.0, **arguments)


def test_negative_energy_is_an_error():
    with pytest.raises(ScenarioError, match="annual_ac_energy_kwh"):
        lifetime_energy_kwh(
            -1.0,
            n_years=2,
            degradation_rate=0.0,
            degradation_mode="linear",
            availability=0.0,
        )


@settings(max_examples=50, deadline=None)
@given(
    energy=st.floats(0.0, 1e9),
    rate=st.floats(0.0, 0.2),
    down=st.floats(0.0, 1.0),
    curtailed=st.floats(0.0, 1.0),
    years=st.integers(1, 60),
    mode=st.sampled_from(["linear", "compound"]),
)
def test_energy_never_increases_and_year_one_has_no_degradation(
    energy, rate, down, curtailed, years, mode
):
    table = lifetime_energy_kwh(
        energy,
        n_years=years,
        degradation_rate=rate,
        degradation_mode=mode,
        availability=down,
        curtailment_fraction=curtailed,
    )
    assert table.shape == (1, years)
    assert np.all(np.diff(table, axis=1) <= 1e-9 * max(energy, 1.0))
    assert np.all(table >= 0.0)
    assert_allclose(table[0, 0], energy * (1 - down) * (1 - curtailed))
    if mode == "compound" and years > 1:
        # compound: each year keeps (1 - d) of the previous one
        assert_allclose(table[0, 1:], table[0, :-1] * (1 - rate), atol=1e-6)
