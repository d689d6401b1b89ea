"""Sun and array geometry and row-to-row shading of the yield model (pvlib's geometry).

The sun's position at each interval's midpoint with the site-only quantities that
follow from it (extraterrestrial irradiance, air mass); the orientation of the modules
at each interval (fixed tilt, or single-axis trackers with optional backtracking) and
the angle of incidence; and the factors by which infinitely long rows at a
ground-coverage ratio reduce the beam (the shadow of the row in front), the
sky-diffuse (each row's reduced sky view) and the ground-reflected irradiance (each
row's view of the partly shaded ground between rows). The evidence for each choice is
in ``docs/yield-model.md`` ("The chain", "Rows"). Used by
:func:`solarcase.energy.simulate.simulate`; with it, the only pvlib caller of the
core. No file or network I/O.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pvlib import atmosphere, irradiance, solarposition, tracking
from pvlib.bifacial import utils as view_factors
from pvlib.shading import projected_solar_zenith_angle, shaded_fraction1d

from solarcase.energy.inputs import check_index
from solarcase.energy.specs import FixedMount, SingleAxisMount, SiteSpec
from solarcase.weather.frame import INTERVAL

__all__ = [
    "ArrayGeometry",
    "array_geometry",
    "row_shading_factors",
    "row_view_ratios",
    "solar_position",
]


@dataclass(frozen=True, slots=True)
class ArrayGeometry:
    """Orientation of the modules at each interval and of the rows' axis."""

    surface_tilt: np.ndarray
    """Module tilt from horizontal [degrees]."""
    surface_azimuth: np.ndarray
    """Azimuth the modules face [degrees east of north]."""
    rotation: np.ndarray
    """Right-handed rotation about the row axis [degrees]."""
    axis_tilt: float
    """Tilt of the row axis [degrees]."""
    axis_azimuth: float
    """Azimuth of the row axis [degrees east of north]."""
    aoi: np.ndarray
    """Angle of incidence of the beam on the modules [degrees]."""


def solar_position(index: pd.DatetimeIndex, site: SiteSpec) -> pd.DataFrame:
    """Sun position and site-only quantities at each interval's midpoint.

    Compute it once per site and pass it to
    :func:`~solarcase.energy.simulate.simulate` for many systems.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts, tz-aware, regular hourly steps (the weather's index).
    site : SiteSpec
        Latitude, longitude and altitude.

    Returns
    -------
    position : pandas.DataFrame
        Indexed like ``index``; ``apparent_zenith``, ``zenith``, ``azimuth``
        [degrees], ``dni_extra`` [W/m²], ``airmass_relative``, ``airmass_absolute``
        [-] (NaN when the sun is down).

    Notes
    -----
    pvlib's ``ephemeris`` algorithm, evaluated at label + 30 min: within 0.01° of
    NREL SPA in zenith and 0.04° in azimuth over a year, at a seventh to an eleventh
    of SPA's cost (8,760 h: 3.8 ms against 26 ms with 2025 time stamps, 43 ms with
    1990 ones; 5 ms with the air mass and ``dni_extra``). The accuracy is tested in
    ``tests/energy/test_shading.py``; ``benchmarks/bench_yield.py`` measures the
    times (``docs/yield-model.md``, "Speed"). Refraction uses the standard pressure
    at the site's altitude. The relative air mass is Kasten & Young (1989) of the
    *apparent* (refracted) zenith, the pairing pvlib's ``Location.get_airmass``
    uses for that model; SAM's solar position is refraction-corrected too.
    """
    check_index(index, where="solar_position")
    midpoints = index + INTERVAL / 2
    pressure_pa = atmosphere.alt2pres(site.altitude)
    with warnings.catch_warnings():
        # pvlib 0.16 ephemeris still calls DatetimeIndex.dayofyear (pandas 3 warns)
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        position = solarposition.ephemeris(
            midpoints, site.latitude, site.longitude, pressure=pressure_pa
        )
    apparent_zenith = position["apparent_zenith"].to_numpy(dtype=float)
    airmass_relative = atmosphere.get_relative_airmass(apparent_zenith)
    return pd.DataFrame(
        {
            "apparent_zenith": apparent_zenith,
            "zenith": position["zenith"].to_numpy(dtype=float),
            "azimuth": position["azimuth"].to_numpy(dtype=float),
            "dni_extra": irradiance.get_extra_radiation(
                midpoints.tz_convert("UTC").day_of_year.to_numpy()  # as pvlib does
            ),
            "airmass_relative": airmass_relative,
            "airmass_absolute": atmosphere.get_absolute_airmass(
                airmass_relative, pressure_pa
            ),
        },
        index=index,
    )


def array_geometry(
    mount: FixedMount | SingleAxisMount, position: pd.DataFrame
) -> ArrayGeometry:
    """Module orientation and angle of incidence at each interval.

    Parameters
    ----------
    mount : FixedMount or SingleAxisMount
        Fixed tilt or single-axis trackers.
    position : pandas.DataFrame
        Output of :func:`solarcase.energy.simulate.solar_position` (``apparent_zenith``
        and ``azimuth`` are used). [degrees]

    Returns
    -------
    geometry : ArrayGeometry
        Arrays of the length of ``position``.

    Notes
    -----
    Fixed rows are rows rotated by their tilt about a horizontal axis at
    ``surface_azimuth - 90°``. Trackers follow pvlib ``tracking.singleaxis`` (with
    backtracking on request) and lie flat (rotation 0°) at night.
    """
    zenith = position["apparent_zenith"].to_numpy()
    azimuth = position["azimuth"].to_numpy()
    n = len(zenith)
    if isinstance(mount, FixedMount):
        tilt = np.full(n, float(mount.surface_tilt))
        surface_azimuth = np.full(n, float(mount.surface_azimuth))
        rotation, axis_tilt = tilt, 0.0
        axis_azimuth = (mount.surface_azimuth - 90.0) % 360.0
    else:
        tracked = tracking.singleaxis(
            zenith,
            azimuth,
            axis_tilt=mount.axis_tilt,
            axis_azimuth=mount.axis_azimuth,
            max_angle=mount.max_angle,
            backtrack=mount.backtrack,
            gcr=mount.gcr,
        )
        rotation = np.nan_to_num(np.asarray(tracked["tracker_theta"], dtype=float))
        surface = tracking.calc_surface_orientation(
            rotation, mount.axis_tilt, mount.axis_azimuth
        )
        tilt = np.asarray(surface["surface_tilt"], dtype=float)
        surface_azimuth = np.asarray(surface["surface_azimuth"], dtype=float)
        axis_tilt, axis_azimuth = mount.axis_tilt, mount.axis_azimuth
    aoi = np.asarray(irradiance.aoi(tilt, surface_azimuth, zenith, azimuth))
    return ArrayGeometry(tilt, surface_azimuth, rotation, axis_tilt, axis_azimuth, aoi)


def row_shading_factors(
    geometry: ArrayGeometry,
    position: pd.DataFrame,
    weather: dict[str, np.ndarray],
    *,
    gcr: float | None,
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Factors on beam, sky-diffuse and ground-reflected irradiance for infinite rows.

    Beam: 1 - the shaded fraction of the row (pvlib ``shaded_fraction1d``). Sky: the
    row's sky view averaged over its slant height, relative to an open tilted plane
    (infinite-sheds view factor). Ground: the row's view of the ground between rows,
    relative to open ground, times the share of horizontal irradiance not lost to the
    rows' shadows on the ground.

    Parameters
    ----------
    geometry : ArrayGeometry
        Module orientation (:func:`array_geometry`).
    position : pandas.DataFrame
        Output of :func:`solar_position`.
    weather : dict of numpy.ndarray
        At least ``ghi`` and ``dhi``. [W/m²]
    gcr : float or None
        Ground-coverage ratio of the rows; None: no rows, every factor is 1.
        [fraction]

    Returns
    -------
    beam_factor, sky_factor, ground_factor : numpy.ndarray or float
        Multipliers in [0, 1] of the open-field in-plane components. [-]
    """
    if gcr is None:
        return 1.0, 1.0, 1.0
    zenith = position["apparent_zenith"].to_numpy()
    azimuth = position["azimuth"].to_numpy()
    tilt = geometry.surface_tilt
    shaded = shaded_fraction1d(
        zenith,
        azimuth,
        geometry.axis_azimuth,
        geometry.rotation,
        collector_width=1.0,
        pitch=1.0 / gcr,
        axis_tilt=geometry.axis_tilt,
    )
    beam_factor = 1.0 - np.clip(np.nan_to_num(np.asarray(shaded, dtype=float)), 0, 1)
    sky_factor, view_ratio = row_view_ratios(tilt, gcr=gcr)
    phi = np.asarray(
        projected_solar_zenith_angle(
            zenith, azimuth, geometry.axis_tilt, geometry.axis_azimuth
        ),
        dtype=float,
    )
    rotation = np.radians(geometry.rotation)
    with np.errstate(invalid="ignore"):
        shadow = gcr * np.abs(
            np.cos(rotation) + np.sin(rotation) * np.tan(np.radians(phi))
        )
    ground_shaded = np.clip(np.nan_to_num(shadow, nan=1.0), 0.0, 1.0)
    ghi = weather["ghi"]
    beam_horizontal = np.clip(ghi - weather["dhi"], 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        lit = np.where(ghi > 0, (ghi - ground_shaded * beam_horizontal) / ghi, 1.0)
    return beam_factor, np.clip(sky_factor, 0, 1), np.clip(view_ratio * lit, 0, 1)


def row_view_ratios(tilt: np.ndarray, *, gcr: float) -> tuple[np.ndarray, np.ndarray]:
    """Row's sky and ground view factors relative to an open plane at that tilt,
    interpolated on a 0.5° grid (the view factors are smooth in tilt).

    Parameters
    ----------
    tilt : numpy.ndarray
        Module tilt at each interval. [degrees]
    gcr : float
        Ground-coverage ratio of the rows. [fraction]

    Returns
    -------
    sky_ratio, ground_ratio : numpy.ndarray
        pvlib ``vf_row_sky_2d_integ`` over ``(1 + cos tilt) / 2`` and
        ``vf_row_ground_2d_integ`` over ``(1 - cos tilt) / 2`` (1 for a horizontal
        row), shaped like ``tilt``. [-]
    """
    grid = np.linspace(0.0, 90.0, 181)
    if np.all(tilt == tilt[0]):
        grid = np.array([tilt[0]])
    cos_grid = np.cos(np.radians(grid))
    sky = np.asarray(view_factors.vf_row_sky_2d_integ(grid, gcr)) / ((1 + cos_grid) / 2)
    ground_open = (1.0 - cos_grid) / 2.0
    ground_view = np.asarray(view_factors.vf_row_ground_2d_integ(grid, gcr))
    with np.errstate(divide="ignore", invalid="ignore"):
        ground = np.where(ground_open > 1e-9, ground_view / ground_open, 1.0)
    if len(grid) == 1:
        return np.full_like(tilt, sky[0]), np.full_like(tilt, ground[0])
    return np.interp(tilt, grid, sky), np.interp(tilt, grid, ground)
