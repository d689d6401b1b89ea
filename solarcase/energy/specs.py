"""The plant and site the yield model simulates: frozen, validated input dataclasses.

``SiteSpec`` (where), ``SystemSpec`` (capacities, mount, module, inverter, losses) and
their parts, each checked on construction: a value out of range raises a
:class:`~solarcase.errors.ScenarioError` naming the scenario key, the value and the
fix. Names of CEC modules and inverters need pvlib's bundled database, so they are
checked by :func:`solarcase.energy.simulate.check_system` and when a simulation
builds the plant, not here. No pvlib; no file or network I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from solarcase.errors import ScenarioError

__all__ = [
    "PVWATTS_DEFAULT_LOSSES",
    "CecInverter",
    "CecModule",
    "FixedMount",
    "LossBudget",
    "ModuleType",
    "PvwattsInverter",
    "PvwattsModule",
    "Racking",
    "SingleAxisMount",
    "SiteSpec",
    "SystemSpec",
    "TranspositionModel",
]

ModuleType = Literal["standard", "premium", "thin_film"]
Racking = Literal["open_rack", "roof_mount"]
TranspositionModel = Literal["perez", "haydavies", "isotropic"]

# PVWatts v8 (SSC cmod_pvwattsv8): temperature coefficient and STC efficiency by type.
_PVWATTS_GAMMA_PDC = {"standard": -0.0037, "premium": -0.0035, "thin_film": -0.0032}
_PVWATTS_EFFICIENCY = {"standard": 0.19, "premium": 0.21, "thin_film": 0.18}
_NOCT_C = {"open_rack": 45.0, "roof_mount": 49.0}  # PVWatts v8 nominal NOCT [°C]


def _check_range(where: str, value: float, low: float, high: float, fix: str) -> None:
    if not (isinstance(value, int | float) and low <= value <= high):
        raise ScenarioError(
            f"{where}: must lie in [{low:g}, {high:g}], got {value!r}; {fix}"
        )


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """Where the plant stands."""

    latitude: float
    """Latitude [degrees north]."""
    longitude: float
    """Longitude [degrees east]."""
    altitude: float = 0.0
    """Elevation above sea level [m]."""

    def __post_init__(self) -> None:
        _check_range("site.latitude", self.latitude, -90, 90, "degrees north")
        _check_range("site.longitude", self.longitude, -180, 180, "degrees east")
        _check_range("site.altitude", self.altitude, -500, 9000, "metres")


@dataclass(frozen=True, slots=True)
class PvwattsModule:
    """A generic module as in PVWatts v8, with the linear PVWatts DC model."""

    module_type: ModuleType = "standard"
    """'standard', 'premium' or 'thin_film'; sets the defaults below."""
    gamma_pdc: float | None = None
    """Temperature coefficient of power [1/°C]; None: PVWatts v8's value by type
    (standard -0.0037, premium -0.0035, thin film -0.0032)."""

    def __post_init__(self) -> None:
        if self.module_type not in _PVWATTS_GAMMA_PDC:
            raise ScenarioError(
                f"system.module.module_type: unknown type, got {self.module_type!r}; "
                f"use one of {sorted(_PVWATTS_GAMMA_PDC)}"
            )
        if self.gamma_pdc is not None:
            _check_range(
                "system.module.gamma_pdc", self.gamma_pdc, -0.02, 0.0, "e.g. -0.0037"
            )

    @property
    def temperature_coefficient(self) -> float:
        """Temperature coefficient actually used [1/°C]."""
        if self.gamma_pdc is None:
            return _PVWATTS_GAMMA_PDC[self.module_type]
        return self.gamma_pdc

    @property
    def efficiency(self) -> float:
        """STC efficiency by type, used by the cell temperature model [fraction]."""
        return _PVWATTS_EFFICIENCY[self.module_type]


@dataclass(frozen=True, slots=True)
class CecModule:
    """A module from pvlib's bundled CEC database, simulated with the CEC model."""

    name: str
    """Name as in ``pvlib.pvsystem.retrieve_sam('CECMod')`` (spaces or punctuation
    may be written as in the manufacturer's name; they are normalised). Checked
    against the database by ``simulate.check_system`` and when simulating."""


@dataclass(frozen=True, slots=True)
class PvwattsInverter:
    """The PVWatts inverter efficiency curve (Dobos 2014)."""

    eta_inv_nom: float = 0.96
    """Nominal efficiency at rated power [fraction]."""
    eta_inv_ref: float = 0.9637
    """Reference efficiency of the curve [fraction]."""

    def __post_init__(self) -> None:
        for name in ("eta_inv_nom", "eta_inv_ref"):
            value = getattr(self, name)
            _check_range(f"system.inverter.{name}", value, 0.5, 1.0, "e.g. 0.96")


@dataclass(frozen=True, slots=True)
class CecInverter:
    """An inverter from pvlib's bundled CEC database, Sandia inverter model."""

    name: str
    """Name as in ``pvlib.pvsystem.retrieve_sam('cecinverter')`` (normalised like
    module names). Checked against the database by ``simulate.check_system`` and
    when simulating."""


@dataclass(frozen=True, slots=True)
class FixedMount:
    """Fixed-tilt modules; with ``gcr``, ground-mounted rows that shade each other."""

    surface_tilt: float
    """Tilt from horizontal [degrees]."""
    surface_azimuth: float = 180.0
    """Azimuth the modules face [degrees east of north, 180 = south]."""
    racking: Racking = "open_rack"
    """'open_rack' (NOCT 45 °C) or 'roof_mount' (close to a roof, NOCT 49 °C)."""
    gcr: float | None = None
    """Ground-coverage ratio of the rows [fraction]; None: no row shading."""

    def __post_init__(self) -> None:
        _check_range("system.mount.surface_tilt", self.surface_tilt, 0, 90, "degrees")
        _check_range(
            "system.mount.surface_azimuth", self.surface_azimuth, 0, 360, "180 = south"
        )
        if self.racking not in _NOCT_C:
            raise ScenarioError(
                f"system.mount.racking: unknown racking, got {self.racking!r}; "
                f"use one of {sorted(_NOCT_C)}"
            )
        if self.gcr is not None:
            _check_range("system.mount.gcr", self.gcr, 0.01, 0.99, "e.g. 0.4")

    @property
    def noct_c(self) -> float:
        """Nominal operating cell temperature of the racking, PVWatts v8 [°C]."""
        return _NOCT_C[self.racking]


@dataclass(frozen=True, slots=True)
class SingleAxisMount:
    """Single-axis trackers in rows, optionally backtracking."""

    axis_tilt: float = 0.0
    """Tilt of the rotation axis [degrees]."""
    axis_azimuth: float = 180.0
    """Azimuth of the axis [degrees east of north]; 180: a north-south axis."""
    max_angle: float = 60.0
    """Rotation limit [degrees]."""
    backtrack: bool = True
    """Rotate back at low sun so that rows never shade each other's beam."""
    gcr: float = 0.35
    """Ground-coverage ratio [fraction]; trackers are open racks (NOCT 45 °C)."""

    def __post_init__(self) -> None:
        _check_range("system.mount.axis_tilt", self.axis_tilt, 0, 60, "degrees")
        _check_range("system.mount.axis_azimuth", self.axis_azimuth, 0, 360, "degrees")
        _check_range("system.mount.max_angle", self.max_angle, 1, 90, "e.g. 60")
        _check_range("system.mount.gcr", self.gcr, 0.01, 0.99, "e.g. 0.35")

    @property
    def noct_c(self) -> float:
        """Nominal operating cell temperature: trackers are open racks [°C]."""
        return _NOCT_C["open_rack"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LossBudget:
    """Itemised losses [fraction each], combined as PVWatts does: 1 - prod(1 - x).

    Soiling reduces the irradiance reaching the cells; availability scales the AC
    energy (the plant is down that share of the time); the others are DC losses.
    """

    soiling: float = 0.0
    """Dirt and dust on the modules [fraction]."""
    shading: float = 0.0
    """External shading not modelled from geometry (trees, buildings) [fraction]."""
    snow: float = 0.0
    """Snow cover [fraction]."""
    mismatch: float = 0.0
    """Module-to-module mismatch [fraction]."""
    wiring: float = 0.0
    """DC wiring resistance [fraction]."""
    connections: float = 0.0
    """Connector resistance [fraction]."""
    lid: float = 0.0
    """Light-induced degradation in the first months [fraction]."""
    nameplate: float = 0.0
    """Nameplate rating tolerance [fraction]."""
    availability: float = 0.0
    """Share of the time the plant is down (outages, maintenance) [fraction]."""

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value < 1.0):
                raise ScenarioError(
                    f"system.losses.{name}: must be a fraction in [0, 1), "
                    f"got {value!r} (write 0.02 or '2%' for two percent)"
                )

    @property
    def dc_loss_fraction(self) -> float:
        """All losses but availability, combined: 1 - prod(1 - x) [fraction]."""
        kept = math.prod(1.0 - getattr(self, n) for n in self.__slots__)
        return 1.0 - kept / (1.0 - self.availability)

    @property
    def other_dc_loss_fraction(self) -> float:
        """DC losses applied to DC power (all but soiling and availability)."""
        return 1.0 - (1.0 - self.dc_loss_fraction) / (1.0 - self.soiling)

    @property
    def total_loss_fraction(self) -> float:
        """Every item combined, availability included (PVWatts 'losses') [fraction]."""
        return 1.0 - math.prod(1.0 - getattr(self, n) for n in self.__slots__)


#: PVWatts' default loss budget: 14.08 % in total with 3 % availability.
PVWATTS_DEFAULT_LOSSES = LossBudget(
    soiling=0.02,
    shading=0.03,
    snow=0.0,
    mismatch=0.02,
    wiring=0.02,
    connections=0.005,
    lid=0.015,
    nameplate=0.01,
    availability=0.03,
)


@dataclass(frozen=True, slots=True)
class SystemSpec:
    """The technical plant: capacities, mounting, module, inverter and losses."""

    dc_capacity_kwp: float
    """DC nameplate at STC requested [kWp] (CEC modules round to whole modules)."""
    ac_capacity_kw: float
    """AC capacity; output is clipped here [kW] (CEC inverters round to units)."""
    mount: FixedMount | SingleAxisMount
    """Fixed tilt or single-axis tracker."""
    module: PvwattsModule | CecModule
    """PVWatts-style generic module or a CEC database module."""
    inverter: PvwattsInverter | CecInverter
    """PVWatts efficiency curve or a CEC database inverter."""
    losses: LossBudget
    """Itemised loss budget."""
    albedo: float = 0.2
    """Ground reflectance when the weather has no valid ``albedo`` column [-]."""
    transposition_model: TranspositionModel = "perez"
    """Sky-diffuse transposition model."""

    def __post_init__(self) -> None:
        _check_range("system.dc_capacity_kwp", self.dc_capacity_kwp, 1e-3, 1e7, "kWp")
        _check_range("system.ac_capacity_kw", self.ac_capacity_kw, 1e-3, 1e7, "kW")
        _check_range("system.albedo", self.albedo, 0.0, 1.0, "e.g. 0.2")
        if self.transposition_model not in ("perez", "haydavies", "isotropic"):
            raise ScenarioError(
                "system.transposition_model: unknown model, got "
                f"{self.transposition_model!r}; use 'perez', 'haydavies' or 'isotropic'"
            )
