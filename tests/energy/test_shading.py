"""Tests of the solar position (against NREL SPA), the array geometry and row shading
(against hand geometry and invariants).

The beam and sky parts are checked through :func:`simulate` (the row-shading step of
its loss waterfall) against hand geometry; the ground part and the view-factor ratios
directly. The sky view ratio is also checked against PVWatts v8 itself in
``test_pvwatts_v8.py``.
"""

from __future__ import annotations

import datetime
import itertools
import math

import numpy as np
import pandas as pd
import pvlib
import pytest
from numpy.testing import assert_allclose
from scipy import integrate

from solarcase.energy.shading import (
    array_geometry,
    row_shading_factors,
    row_view_ratios,
)
from solarcase.energy.simulate import (
    PVWATTS_DEFAULT_LOSSES,
    FixedMount,
    LossBudget,
    PvwattsInverter,
    PvwattsModule,
    SingleAxisMount,
    SiteSpec,
    SystemSpec,
    simulate,
    solar_position,
)
from solarcase.errors import SolarcaseWarning


def pvwatts_system(mount):
    return SystemSpec(
        1000.0,
        1000.0 / 1.2,
        mount,
        PvwattsModule(),
        PvwattsInverter(),
        PVWATTS_DEFAULT_LOSSES,
    )


def quiet_simulate(frame, **kwargs):
    """simulate() on a partial year, where it warns that it extrapolates."""
    with pytest.warns(SolarcaseWarning, match="extrapolated"):
        return simulate(frame, **kwargs)


# ------------------------------------------------- solar position: fast and accurate


SITES = {
    "Birjand": (SiteSpec(32.87, 59.22, 1491.0), 3.5),
    "Oslo": (SiteSpec(59.91, 10.75, 20.0), 1.0),
    "Sydney": (SiteSpec(-33.87, 151.21, 40.0), 10.0),
}


def clear_sky_year(site: SiteSpec, utc_offset_h: float) -> pd.DataFrame:
    tz = datetime.timezone(datetime.timedelta(hours=utc_offset_h))
    index = pd.date_range("2025-01-01", periods=8760, freq="h", tz=tz)
    mid = index + pd.Timedelta(minutes=30)
    spa = pvlib.solarposition.get_solarposition(
        mid, site.latitude, site.longitude, altitude=site.altitude
    )
    airmass = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(spa["apparent_zenith"]),
        pvlib.atmosphere.alt2pres(site.altitude),
    )
    sky = pvlib.clearsky.ineichen(
        spa["apparent_zenith"], airmass, linke_turbidity=3.0, altitude=site.altitude
    ).fillna(0.0)
    frame = sky[["ghi", "dni", "dhi"]].copy()
    frame["temp_air"], frame["wind_speed"] = 20.0, 2.0
    frame.index = index
    return frame


@pytest.mark.parametrize("name", list(SITES))
def test_ephemeris_matches_spa_in_angles_and_energy(name):
    site, offset = SITES[name]
    frame = clear_sky_year(site, offset)
    ours = solar_position(frame.index, site)
    spa = pvlib.solarposition.get_solarposition(
        frame.index + pd.Timedelta(minutes=30),
        site.latitude,
        site.longitude,
        altitude=site.altitude,
    )
    up = (spa["apparent_zenith"] < 90).to_numpy()
    spa.index = frame.index
    zenith_error = np.abs(ours["apparent_zenith"] - spa["apparent_zenith"])[up]
    azimuth_error = np.abs((ours["azimuth"] - spa["azimuth"] + 180) % 360 - 180)[up]
    assert zenith_error.max() < 0.02  # degrees; measured 0.007-0.010
    assert azimuth_error.max() < 0.05  # degrees; measured 0.012-0.035
    with_spa = ours.copy()
    with_spa[["apparent_zenith", "zenith", "azimuth"]] = spa[
        ["apparent_zenith", "zenith", "azimuth"]
    ].to_numpy()
    with_spa["airmass_relative"] = pvlib.atmosphere.get_relative_airmass(
        with_spa["apparent_zenith"]
    ).to_numpy()
    tilt = abs(site.latitude)
    azimuth = 180.0 if site.latitude > 0 else 0.0
    system = pvwatts_system(FixedMount(tilt, azimuth, gcr=0.4))
    fast = simulate(frame, site=site, system=system, solar_position=ours)
    slow = simulate(frame, site=site, system=system, solar_position=with_spa)
    assert fast.annual_delivered_energy_kwh > 1.0e6
    assert_allclose(
        fast.annual_delivered_energy_kwh, slow.annual_delivered_energy_kwh, rtol=1e-3
    )


# ----------------------------------------------------------- row shading geometry


def single_interval(label: pd.Timestamp, *, dni: float, dhi: float, zenith: float):
    ghi = dni * math.cos(math.radians(zenith)) + dhi
    return pd.DataFrame(
        {
            "ghi": [ghi],
            "dni": [dni],
            "dhi": [dhi],
            "temp_air": [20.0],
            "wind_speed": [1.0],
        },
        index=pd.DatetimeIndex([label]),
    )


@pytest.mark.parametrize(
    ("tilt", "gcr", "start", "latitude"),
    [
        (25.0, 0.4, "2025-12-21 07:50", 40.0),
        (35.0, 0.6, "2025-12-21 08:30", 40.0),
        (10.0, 0.7, "2025-12-21 14:50", 40.0),
        (25.0, 0.4, "2025-06-21 07:50", -40.0),  # rows facing north, austral winter
    ],
)
def test_fixed_rows_beam_shading_matches_hand_geometry(tilt, gcr, start, latitude):
    site = SiteSpec(latitude, 0.0, 0.0)
    label = pd.Timestamp(start, tz="UTC")  # low winter sun
    facing = 180.0 if latitude > 0 else 0.0
    position = solar_position(pd.DatetimeIndex([label]), site).iloc[0]
    frame = single_interval(label, dni=800.0, dhi=0.0, zenith=position["zenith"])
    system = SystemSpec(
        1.0,
        1.0,
        FixedMount(tilt, facing, gcr=gcr),
        PvwattsModule(),
        PvwattsInverter(),
        LossBudget(),
        albedo=0.0,
    )
    result = quiet_simulate(frame, site=site, system=system)
    # Hand geometry: rows facing the equator; the sun's elevation projected on the
    # north-south plane is atan(tan(elevation) / cos(azimuth - facing)). The row in
    # front (pitch 1/gcr, width 1) shades a fraction 1 - sin(a) / (gcr sin(a + tilt)).
    elevation = math.radians(90.0 - position["apparent_zenith"])
    off_facing = math.radians(position["azimuth"] - facing)
    projected = math.atan(math.tan(elevation) / math.cos(off_facing))
    shaded = 1.0 - math.sin(projected) / (
        gcr * math.sin(projected + math.radians(tilt))
    )
    loss = result.losses.set_index("step").loc["row_shading", "loss_fraction"]
    assert 0.0 < shaded < 1.0
    assert_allclose(loss, shaded, rtol=1e-6)


@pytest.mark.parametrize(("tilt", "gcr"), [(30.0, 0.4), (20.0, 0.6), (50.0, 0.3)])
def test_rows_sky_view_matches_hand_view_factor(tilt, gcr):
    site = SiteSpec(40.0, 0.0, 0.0)
    label = pd.Timestamp("2025-06-21 11:30", tz="UTC")
    frame = single_interval(label, dni=0.0, dhi=200.0, zenith=30.0)
    system = SystemSpec(
        1.0,
        1.0,
        FixedMount(tilt, gcr=gcr),
        PvwattsModule(),
        PvwattsInverter(),
        LossBudget(),
        albedo=0.0,
        transposition_model="isotropic",
    )
    result = quiet_simulate(frame, site=site, system=system)
    # 2-D view factors (crossed strings): from a point x up the slant of a row tilted
    # by b, the row in front (pitch 1/gcr) hides the sky up to the elevation
    # psi(x) = atan2((1 - x) sin b, 1/gcr - (1 - x) cos b); the hidden part of the view
    # is (cos b - cos(b + psi)) / 2, out of (1 + cos b) / 2 for an open plane.
    b = math.radians(tilt)

    def hidden(x: float) -> float:
        psi = math.atan2((1 - x) * math.sin(b), 1 / gcr - (1 - x) * math.cos(b))
        return (math.cos(b) - math.cos(b + psi)) / 2

    expected = integrate.quad(hidden, 0.0, 1.0)[0] / ((1 + math.cos(b)) / 2)
    loss = result.losses.set_index("step").loc["row_shading", "loss_fraction"]
    assert_allclose(loss, expected, rtol=1e-4)


def test_backtracking_removes_beam_shading_and_true_tracking_does_not():
    site = SiteSpec(35.0, 0.0, 0.0)
    label = pd.Timestamp("2025-03-20 06:40", tz="UTC")  # sun low in the east
    position = solar_position(pd.DatetimeIndex([label]), site).iloc[0]
    frame = single_interval(label, dni=600.0, dhi=0.0, zenith=position["zenith"])

    def row_loss(backtrack: bool) -> float:
        system = SystemSpec(
            1.0,
            1.0,
            SingleAxisMount(backtrack=backtrack, gcr=0.4),
            PvwattsModule(),
            PvwattsInverter(),
            LossBudget(),
            albedo=0.0,
        )
        result = quiet_simulate(frame, site=site, system=system)
        return result.losses.set_index("step").loc["row_shading", "loss_fraction"]

    assert position["apparent_zenith"] > 70
    assert abs(row_loss(True)) < 1e-9
    assert row_loss(False) > 0.05


def test_more_rows_per_area_lose_more(pvgis_tmy):
    frame, site = pvgis_tmy
    energy = [
        simulate(
            frame, site=site, system=pvwatts_system(FixedMount(35.0, gcr=gcr))
        ).annual_delivered_energy_kwh
        for gcr in (None, 0.2, 0.4, 0.6)
    ]
    assert energy == sorted(energy, reverse=True)


# ------------------------------------------------------------- ground and views


def test_ground_shadow_of_fixed_rows_matches_the_shadow_length():
    site = SiteSpec(40.0, 0.0, 0.0)
    label = pd.Timestamp("2025-12-21 09:30", tz="UTC")
    position = solar_position(pd.DatetimeIndex([label]), site)
    sun = position.iloc[0]
    tilt, gcr, dni, dhi = 25.0, 0.4, 700.0, 100.0
    ghi = dni * math.cos(math.radians(sun["apparent_zenith"])) + dhi
    weather = {"ghi": np.array([ghi]), "dhi": np.array([dhi])}
    geometry = array_geometry(FixedMount(tilt, gcr=gcr), position)
    _, _, ground = row_shading_factors(geometry, position, weather, gcr=gcr)
    # Hand geometry, in the plane across the rows: a row of slant width 1 tilted by
    # b casts on flat ground a shadow of length cos b + sin b / tan(a), with a the
    # sun's elevation projected on that plane, atan(tan(elevation) / cos(az - 180)).
    # Rows repeat every 1/gcr, so a fraction f = gcr x length of the ground is in
    # shadow, and the ground receives (ghi - f x beam on the horizontal) / ghi.
    b = math.radians(tilt)
    elevation = math.radians(90.0 - sun["apparent_zenith"])
    projected = math.atan(
        math.tan(elevation) / math.cos(math.radians(sun["azimuth"] - 180))
    )
    shaded = gcr * (math.cos(b) + math.sin(b) / math.tan(projected))
    lit = (ghi - shaded * (ghi - dhi)) / ghi
    assert 0.0 < shaded < 1.0
    _, ground_view = row_view_ratios(np.array([tilt]), gcr=gcr)
    assert_allclose(ground, ground_view * lit, rtol=1e-9)


def test_no_rows_shade_nothing():
    position = solar_position(
        pd.date_range("2025-06-21", periods=24, freq="h", tz="UTC"),
        SiteSpec(32.9, 59.2, 1491.0),
    )
    geometry = array_geometry(FixedMount(30.0), position)
    weather = {"ghi": np.full(24, 500.0), "dhi": np.full(24, 100.0)}
    assert row_shading_factors(geometry, position, weather, gcr=None) == (1.0, 1.0, 1.0)
    with pytest.raises(TypeError):  # the option is keyword-only (STYLE.md 3)
        row_shading_factors(0.4, geometry, position, weather)


def test_view_ratios_are_one_for_flat_rows_and_fall_as_rows_close_in():
    tilts = np.array([0.0, 10.0, 30.0, 60.0])
    # Flat rows in one plane hide nothing from each other (the ground ratio is 1 by
    # convention: a flat row does not see the ground).
    for gcr in (0.2, 0.9):
        sky, ground = row_view_ratios(tilts, gcr=gcr)
        assert_allclose([sky[0], ground[0]], 1.0, rtol=1e-12)
    # Rows a hundred widths apart hardly see each other.
    sky, _ = row_view_ratios(tilts, gcr=0.01)
    assert_allclose(sky, 1.0, atol=3e-3)
    # Closer rows hide more sky and more ground, at every tilt.
    ratios = [row_view_ratios(tilts[1:], gcr=gcr) for gcr in (0.01, 0.2, 0.4, 0.6, 0.9)]
    for (sky_a, ground_a), (sky_b, ground_b) in itertools.pairwise(ratios):
        assert np.all(sky_b < sky_a)
        assert np.all(ground_b < ground_a)
