"""Hourly yield of a PV plant from an hourly weather frame; the only pvlib caller.

The model chain (each choice and its evidence is in ``docs/yield-model.md``): solar
position at each interval's midpoint (pvlib ``ephemeris``), Perez transposition,
row-to-row shading from the ground-coverage ratio (beam shading and the reduced sky and
ground view of infinite rows), incidence-angle losses through anti-reflective glass,
the De Soto air-mass spectral modifier, soiling, SAM's NOCT cell temperature, a PVWatts
linear or CEC single-diode DC model, the itemised DC losses, a PVWatts or Sandia (CEC)
inverter, clipping at the AC capacity and availability. Every column that leaves this
module is in kW or kWh; pvlib objects and W stay inside.

No file or network I/O (pvlib's bundled CEC tables are read once, through pvlib).
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pvlib import (
    atmosphere,
    iam,
    inverter,
    irradiance,
    pvsystem,
    shading,
    solarposition,
    spectrum,
    temperature,
    tracking,
)
from pvlib.bifacial import utils as view_factors

from solarcase.errors import ScenarioError, SolarcaseWarning, WeatherDataError
from solarcase.units import HOURS_PER_YEAR, W_PER_KW
from solarcase.weather.frame import INTERVAL, REQUIRED_COLUMNS

ModuleType = Literal["standard", "premium", "thin_film"]
Racking = Literal["open_rack", "roof_mount"]
TranspositionModel = Literal["perez", "haydavies", "isotropic"]

#: Columns of :attr:`EnergyResult.hourly`.
HOURLY_COLUMNS = (
    "ghi",
    "poa_global",
    "temp_cell",
    "dc_power_kw",
    "ac_power_kw",
    "clipped_power_kw",
    "ac_energy_kwh",
)
#: Columns of :attr:`EnergyResult.monthly` (index ``month`` 1..12).
MONTHLY_COLUMNS = (
    "ghi_kwh_per_m2",
    "poa_kwh_per_m2",
    "ac_energy_kwh",
    "delivered_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "performance_ratio",
)
#: Columns of :attr:`EnergyResult.losses`, one row per waterfall step.
LOSS_COLUMNS = ("step", "energy_kwh", "loss_kwh", "loss_fraction")
#: Waterfall steps, in order; the first row is the reference, the last is delivered.
LOSS_STEPS = (
    "horizontal_irradiation",
    "transposition",
    "row_shading",
    "incidence_angle",
    "spectral",
    "soiling",
    "temperature",
    "module_model",
    "dc_losses",
    "inverter_efficiency",
    "clipping",
    "availability",
)
#: Columns of :func:`solar_position`, evaluated at each interval's midpoint.
SOLAR_POSITION_COLUMNS = (
    "apparent_zenith",
    "zenith",
    "azimuth",
    "dni_extra",
    "airmass_relative",
    "airmass_absolute",
)

# PVWatts v8 (SSC cmod_pvwattsv8): temperature coefficient and STC efficiency by type.
_PVWATTS_GAMMA_PDC = {"standard": -0.0037, "premium": -0.0035, "thin_film": -0.0032}
_PVWATTS_EFFICIENCY = {"standard": 0.19, "premium": 0.21, "thin_film": 0.18}
# Module cover (De Soto 2006; PVWatts v8 uses AR-coated glass for every module type).
_GLASS_N, _GLASS_K_PER_M, _GLASS_L_M, _AR_N = 1.526, 4.0, 0.002, 1.3
# De Soto (2006) air-mass modifier, as in SAM's CEC model and PVWatts v8.
_AM_COEFFICIENTS = {
    "A0": 0.918093,
    "A1": 0.086257,
    "A2": -0.024459,
    "A3": 0.002816,
    "A4": -0.000126,
}
_SPECTRAL_MAX_ZENITH = 86.0  # [deg] SAM caps the zenith there before the AM modifier
_NOCT_C = {"open_rack": 45.0, "roof_mount": 49.0}  # PVWatts v8 nominal NOCT [°C]
_COLD_DESIGN_C = -10.0  # [°C] design cell temperature for the string Voc limit
_SIZE_WARN_FRACTION = 0.05


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
    may be written as in the manufacturer's name; they are normalised)."""

    def __post_init__(self) -> None:
        _cec_record("CECMod", self.name, "system.module.name")


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
    """Name as in ``pvlib.pvsystem.retrieve_sam('cecinverter')``."""

    def __post_init__(self) -> None:
        _cec_record("cecinverter", self.name, "system.inverter.name")


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


@dataclass(frozen=True, slots=True)
class ArrayLayout:
    """How the requested capacities were realised in whole modules and inverters."""

    dc_capacity_kwp: float
    """DC nameplate simulated [kWp]."""
    ac_capacity_kw: float
    """AC capacity simulated [kW]."""
    module_count: int | None
    """Number of CEC modules; None for the generic PVWatts module."""
    modules_per_string: int | None
    """Modules in series per string (CEC module with a CEC inverter), else None."""
    string_count: int | None
    """Parallel strings (CEC module with a CEC inverter), else None."""
    inverter_count: int | None
    """Number of CEC inverters; None for the PVWatts inverter."""


@dataclass(frozen=True, slots=True)
class EnergyResult:
    """What :func:`simulate` returns; annual figures are per 8,760 h of weather."""

    hourly: pd.DataFrame
    """Per interval (index as the weather): ghi, poa_global [W/m²], temp_cell [°C],
    dc_power_kw, ac_power_kw (clipped, while available), clipped_power_kw [kW],
    ac_energy_kwh [kWh per interval]."""
    monthly: pd.DataFrame
    """Per month 1..12: ghi_kwh_per_m2, poa_kwh_per_m2, ac_energy_kwh (before
    availability), delivered_energy_kwh, specific_yield_kwh_per_kwp,
    performance_ratio."""
    annual_ac_energy_kwh: float
    """AC energy per year while available (before availability) [kWh]."""
    annual_delivered_energy_kwh: float
    """AC energy per year after availability [kWh]."""
    specific_yield_kwh_per_kwp: float
    """Delivered energy per kWp of DC nameplate [kWh/kWp]."""
    performance_ratio: float
    """Delivered energy / (in-plane irradiation / 1 kW/m² x DC kWp) [fraction]."""
    capacity_factor: float
    """Delivered energy / (DC kWp x 8,760 h), PVWatts' convention [fraction]."""
    clipped_energy_kwh: float
    """AC energy lost to clipping per year (before availability) [kWh]."""
    losses: pd.DataFrame
    """Loss waterfall: step, energy_kwh (after the step), loss_kwh, loss_fraction
    (of the energy before the step); steps add up exactly to the delivered energy."""
    layout: ArrayLayout
    """Capacities simulated and module/inverter counts."""


# --------------------------------------------------------------------------- CEC data


@functools.cache
def _cec_table(kind: str) -> pd.DataFrame:
    return pvsystem.retrieve_sam(kind)


def _normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@functools.cache
def _cec_index(kind: str) -> dict[str, str]:
    return {_normalise(str(column)): str(column) for column in _cec_table(kind).columns}


def _cec_record(kind: str, name: str, where: str) -> pd.Series:
    index = _cec_index(kind)
    key = _normalise(name) if isinstance(name, str) else ""
    if key not in index:
        close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
        hint = f"did you mean {[index[c] for c in close]}?" if close else ""
        raise ScenarioError(
            f"{where}: no entry in pvlib's CEC database ({kind}), got {name!r}; "
            f"{hint or 'check the spelling against pvlib.pvsystem.retrieve_sam'}"
        )
    return _cec_table(kind)[index[key]]


# ------------------------------------------------------------------ solar position


def _check_index(index: pd.Index, where: str) -> None:
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise WeatherDataError(
            f"{where}: the index must be a tz-aware DatetimeIndex in local standard "
            f"time, got {type(index).__name__} with tz {getattr(index, 'tz', None)!r}"
        )
    if len(index) == 0:
        raise WeatherDataError(f"{where}: the weather frame is empty")
    steps = np.diff(index.asi8)
    step = pd.Timedelta(INTERVAL) // pd.Timedelta(1, unit=index.unit)
    if len(steps) and not np.all(steps == step):
        bad = int(np.flatnonzero(steps != step)[0])
        raise WeatherDataError(
            f"{where}: intervals must be regular hourly steps, got a step of "
            f"{index[bad + 1] - index[bad]} after {index[bad]}; resample or fill gaps"
        )


def solar_position(index: pd.DatetimeIndex, site: SiteSpec) -> pd.DataFrame:
    """Sun position and site-only quantities at each interval's midpoint.

    Compute it once per site and pass it to :func:`simulate` for many systems.

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
    NREL SPA in zenith and 0.02° in azimuth over a year, at a fifteenth of the cost
    (``tests/energy/test_simulate.py`` checks it; ``docs/yield-model.md`` has the
    timings). Refraction uses the standard pressure at the site's altitude.
    """
    _check_index(index, "solar_position")
    midpoints = index + INTERVAL / 2
    pressure_pa = atmosphere.alt2pres(site.altitude)
    with warnings.catch_warnings():
        # pvlib 0.16 ephemeris still calls DatetimeIndex.dayofyear (pandas 3 warns)
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        position = solarposition.ephemeris(
            midpoints, site.latitude, site.longitude, pressure=pressure_pa
        )
    zenith = position["zenith"].to_numpy(dtype=float)
    airmass_relative = atmosphere.get_relative_airmass(zenith)
    return pd.DataFrame(
        {
            "apparent_zenith": position["apparent_zenith"].to_numpy(dtype=float),
            "zenith": zenith,
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


# ------------------------------------------------------------------------ weather


def _weather_arrays(weather: pd.DataFrame) -> dict[str, np.ndarray]:
    if not isinstance(weather, pd.DataFrame):
        raise WeatherDataError(
            f"weather: expected a pandas DataFrame, got {type(weather).__name__}"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in weather.columns]
    if missing:
        raise WeatherDataError(
            f"weather: missing column(s) {missing}; the frame needs "
            f"{list(REQUIRED_COLUMNS)} (pvlib names, W/m², °C, m/s)"
        )
    _check_index(weather.index, "weather")
    arrays = {}
    for name in REQUIRED_COLUMNS:
        values = weather[name].to_numpy(dtype=float)
        is_bad = ~np.isfinite(values)
        if name in ("ghi", "dni", "dhi", "wind_speed"):
            is_bad |= values < 0
        if is_bad.any():
            first = weather.index[int(np.argmax(is_bad))]
            raise WeatherDataError(
                f"weather.{name}: {int(is_bad.sum())} missing, non-finite or negative "
                f"value(s), first at {first}, got {values[int(np.argmax(is_bad))]!r}; "
                "repair them when reading the weather (see weather checks)"
            )
        arrays[name] = values
    return arrays


def _albedo(weather: pd.DataFrame, default: float) -> np.ndarray | float:
    """Weather albedo where valid (0 < a < 1, as SAM), else the system's value."""
    if "albedo" not in weather.columns:
        return default
    values = weather["albedo"].to_numpy(dtype=float)
    is_valid = np.isfinite(values) & (values > 0.0) & (values < 1.0)
    return np.where(is_valid, values, default)


# ---------------------------------------------------------------------- the plant


@dataclass(frozen=True, slots=True)
class _Plant:
    layout: ArrayLayout
    stc_power_w: float  # DC nameplate simulated [W]
    gamma_pdc: float  # temperature coefficient of power [1/°C]
    efficiency: float  # module STC efficiency [fraction]
    module: pd.Series | None  # CEC parameters
    inverter: pd.Series | None  # Sandia parameters of one unit


def _string_length(module: pd.Series, unit: pd.Series) -> int:
    """Modules per string: the cold open-circuit voltage stays below Vdcmax and the
    reference maximum-power voltage inside the MPPT window."""
    voc_cold = module["V_oc_ref"] + module["beta_oc"] * (_COLD_DESIGN_C - 25.0)
    count = int(min(unit["Vdcmax"] / voc_cold, unit["Mppt_high"] / module["V_mp_ref"]))
    if count < 1 or count * module["V_mp_ref"] < unit["Mppt_low"]:
        raise ScenarioError(
            f"system.module/system.inverter: no string of {module.name!r} fits the "
            f"MPPT window {unit['Mppt_low']:g}-{unit['Mppt_high']:g} V and "
            f"{unit['Vdcmax']:g} V limit of {unit.name!r}; choose another pair"
        )
    return count


def _plant(system: SystemSpec) -> _Plant:
    module = inverter_unit = None
    module_count = per_string = strings = units = None
    dc_w = system.dc_capacity_kwp * W_PER_KW
    ac_w = system.ac_capacity_kw * W_PER_KW
    if isinstance(system.inverter, CecInverter):
        inverter_unit = _cec_record(
            "cecinverter", system.inverter.name, "system.inverter.name"
        )
        units = max(1, round(ac_w / inverter_unit["Paco"]))
        ac_w = units * float(inverter_unit["Paco"])
    if isinstance(system.module, CecModule):
        module = _cec_record("CECMod", system.module.name, "system.module.name")
        stc_w = float(module["STC"])
        gamma = float(module["gamma_r"]) / 100.0
        efficiency = stc_w / (float(module["A_c"]) * 1000.0)
        if inverter_unit is not None:
            per_string = _string_length(module, inverter_unit)
            strings = max(1, round(dc_w / (per_string * stc_w)))
            module_count = strings * per_string
        else:
            module_count = max(1, round(dc_w / stc_w))
        dc_w = module_count * stc_w
    else:
        gamma = system.module.temperature_coefficient
        efficiency = system.module.efficiency
    layout = ArrayLayout(
        dc_capacity_kwp=dc_w / W_PER_KW,
        ac_capacity_kw=ac_w / W_PER_KW,
        module_count=module_count,
        modules_per_string=per_string,
        string_count=strings,
        inverter_count=units,
    )
    for what, got, asked in (
        ("dc_capacity_kwp", layout.dc_capacity_kwp, system.dc_capacity_kwp),
        ("ac_capacity_kw", layout.ac_capacity_kw, system.ac_capacity_kw),
    ):
        if abs(got / asked - 1.0) > _SIZE_WARN_FRACTION:
            warnings.warn(
                f"system.{what}: whole modules/inverters give {got:.4g}, not "
                f"{asked:.4g}; the simulation uses {got:.4g}",
                SolarcaseWarning,
                stacklevel=3,
            )
    return _Plant(layout, dc_w, gamma, efficiency, module, inverter_unit)


# ------------------------------------------------------------------ geometry & POA


@dataclass(frozen=True, slots=True)
class _Geometry:
    surface_tilt: np.ndarray  # [deg]
    surface_azimuth: np.ndarray  # [deg]
    rotation: np.ndarray  # right-handed rotation about the row axis [deg]
    axis_tilt: float
    axis_azimuth: float
    aoi: np.ndarray  # [deg]


def _geometry(mount: FixedMount | SingleAxisMount, position: pd.DataFrame) -> _Geometry:
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
    return _Geometry(tilt, surface_azimuth, rotation, axis_tilt, axis_azimuth, aoi)


def _transpose(
    weather: dict[str, np.ndarray],
    position: pd.DataFrame,
    geometry: _Geometry,
    *,
    albedo: np.ndarray | float,
    model: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open-field in-plane beam, sky-diffuse and ground-reflected irradiance [W/m²]."""
    zenith = position["apparent_zenith"].to_numpy()
    components = irradiance.get_total_irradiance(
        geometry.surface_tilt,
        geometry.surface_azimuth,
        zenith,
        position["azimuth"].to_numpy(),
        weather["dni"],
        weather["ghi"],
        weather["dhi"],
        dni_extra=position["dni_extra"].to_numpy(),
        airmass=position["airmass_relative"].to_numpy(),
        albedo=albedo,
        model=model,
    )
    is_sun_up = zenith < 90.0
    beam = np.where(is_sun_up, np.nan_to_num(components["poa_direct"]), 0.0)
    sky = np.nan_to_num(np.asarray(components["poa_sky_diffuse"], dtype=float))
    ground = np.nan_to_num(np.asarray(components["poa_ground_diffuse"], dtype=float))
    return np.maximum(beam, 0.0), np.maximum(sky, 0.0), np.maximum(ground, 0.0)


def _row_shading(
    gcr: float | None,
    geometry: _Geometry,
    position: pd.DataFrame,
    weather: dict[str, np.ndarray],
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Factors on beam, sky-diffuse and ground-reflected irradiance for infinite rows.

    Beam: 1 - the shaded fraction of the row (pvlib ``shaded_fraction1d``). Sky: the
    row's sky view averaged over its slant height, relative to an open tilted plane
    (infinite-sheds view factor). Ground: the row's view of the ground between rows,
    relative to open ground, times the share of horizontal irradiance not lost to the
    rows' shadows on the ground.
    """
    if gcr is None:
        return 1.0, 1.0, 1.0
    zenith = position["apparent_zenith"].to_numpy()
    azimuth = position["azimuth"].to_numpy()
    tilt = geometry.surface_tilt
    shaded = shading.shaded_fraction1d(
        zenith,
        azimuth,
        geometry.axis_azimuth,
        geometry.rotation,
        collector_width=1.0,
        pitch=1.0 / gcr,
        axis_tilt=geometry.axis_tilt,
    )
    beam_factor = 1.0 - np.clip(np.nan_to_num(np.asarray(shaded, dtype=float)), 0, 1)
    sky_factor, view_ratio = _view_ratios(tilt, gcr)
    phi = np.asarray(
        shading.projected_solar_zenith_angle(
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


def _view_ratios(tilt: np.ndarray, gcr: float) -> tuple[np.ndarray, np.ndarray]:
    """Row's sky and ground view factors relative to an open plane at that tilt,
    interpolated on a 0.5° grid (the view factors are smooth in tilt)."""
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


def _cover_factors(
    geometry: _Geometry,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Transmittance of AR-coated glass relative to normal incidence (De Soto 2006):
    beam at the angle of incidence, sky and ground diffuse at the Brandemuehl and
    Beckman effective angles (Duffie & Beckman eqs. 5.4.1-5.4.2)."""
    tilt = geometry.surface_tilt
    glass = {"n": _GLASS_N, "K": _GLASS_K_PER_M, "L": _GLASS_L_M, "n_ar": _AR_N}
    beam = np.where(geometry.aoi < 90.0, iam.physical(geometry.aoi, **glass), 0.0)
    sky_angle = 59.7 - 0.1388 * tilt + 0.001497 * tilt**2
    ground_angle = 90.0 - 0.5788 * tilt + 0.002693 * tilt**2
    return beam, iam.physical(sky_angle, **glass), iam.physical(ground_angle, **glass)


def _spectral_factor(position: pd.DataFrame, altitude: float) -> np.ndarray:
    zenith = np.minimum(position["zenith"].to_numpy(), _SPECTRAL_MAX_ZENITH)
    airmass = atmosphere.get_absolute_airmass(
        atmosphere.get_relative_airmass(zenith), atmosphere.alt2pres(altitude)
    )
    return np.asarray(spectrum.spectral_factor_sapm(airmass, _AM_COEFFICIENTS))


# ----------------------------------------------------------------- cells to grid


def _cell_temperature(
    poa_w_per_m2: np.ndarray,
    effective_w_per_m2: np.ndarray,
    weather: dict[str, np.ndarray],
    *,
    noct_c: float,
    efficiency: float,
) -> np.ndarray:
    """SAM's NOCT cell temperature model (pvlib ``noct_sam``) as PVWatts v8 uses it:
    wind at 0.51 x its measured value (array below 22 ft), NOCT 45 °C on open racks
    and 49 °C near a roof, no standoff adjustment."""
    temp_cell = weather["temp_air"].copy()
    is_lit = poa_w_per_m2 > 0
    temp_cell[is_lit] = temperature.noct_sam(
        poa_w_per_m2[is_lit],
        weather["temp_air"][is_lit],
        weather["wind_speed"][is_lit],
        noct=noct_c,
        module_efficiency=efficiency,
        effective_irradiance=effective_w_per_m2[is_lit],
        transmittance_absorptance=0.9,
        array_height=1,
        mount_standoff=4.0,
    )
    return temp_cell


def _module_dc(
    plant: _Plant, effective: np.ndarray, temp_cell: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """DC power of the array before the itemised DC losses [W] and, for CEC
    modules, the string voltage at maximum power [V]."""
    if plant.module is None:
        power = pvsystem.pvwatts_dc(
            effective, temp_cell, plant.stc_power_w, plant.gamma_pdc
        )
        return np.asarray(power, dtype=float), None
    m = plant.module
    power = np.zeros_like(effective)
    voltage = np.zeros_like(effective)
    is_lit = effective > 0
    params = pvsystem.calcparams_cec(
        effective[is_lit],
        temp_cell[is_lit],
        m["alpha_sc"],
        m["a_ref"],
        m["I_L_ref"],
        m["I_o_ref"],
        m["R_sh_ref"],
        m["R_s"],
        m["Adjust"],
    )
    mpp = pvsystem.max_power_point(*params, method="newton")
    power[is_lit] = np.asarray(mpp["p_mp"], dtype=float) * plant.layout.module_count
    voltage[is_lit] = np.asarray(mpp["v_mp"], dtype=float)
    series = plant.layout.modules_per_string or 1
    return power, voltage * series


def _pvwatts_unclipped_w(
    dc_w: np.ndarray, pdc0_w: float, eta_nom: float, eta_ref: float
) -> np.ndarray:
    """PVWatts inverter output before its AC limit (Dobos 2014, eq. 3) [W]."""
    zeta = np.maximum(dc_w, 1e-9) / pdc0_w
    eta = eta_nom / eta_ref * (-0.0162 * zeta - 0.0059 / zeta + 0.9858)
    return np.where(dc_w > 0, np.maximum(eta * dc_w, 0.0), 0.0)


def _sandia_unclipped_w(v_dc: np.ndarray, p_dc: np.ndarray, unit: pd.Series):
    """Sandia inverter output before its AC limit (King et al. 2007, eq. 1) [W]."""
    offset = v_dc - unit["Vdco"]
    a = unit["Pdco"] * (1 + unit["C1"] * offset)
    b = unit["Pso"] * (1 + unit["C2"] * offset)
    c = unit["C0"] * (1 + unit["C3"] * offset)
    power = (unit["Paco"] / (a - b) - c * (a - b)) * (p_dc - b) + c * (p_dc - b) ** 2
    return np.where(p_dc > unit["Pso"], np.maximum(power, 0.0), 0.0)


def _inverter(
    system: SystemSpec, plant: _Plant, dc_w: np.ndarray, v_dc: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """AC power before and after clipping at the AC capacity [W], never negative
    (no night-time tare is modelled, as in PVWatts)."""
    ac_limit_w = plant.layout.ac_capacity_kw * W_PER_KW
    if plant.inverter is None:
        spec = system.inverter
        pdc0_w = ac_limit_w / spec.eta_inv_nom
        clipped = inverter.pvwatts(dc_w, pdc0_w, spec.eta_inv_nom, spec.eta_inv_ref)
        unclipped = _pvwatts_unclipped_w(
            dc_w, pdc0_w, spec.eta_inv_nom, spec.eta_inv_ref
        )
        return unclipped, np.maximum(np.asarray(clipped, dtype=float), 0.0)
    unit = plant.inverter
    count = plant.layout.inverter_count
    volts = np.full_like(dc_w, unit["Vdco"]) if v_dc is None else v_dc
    volts = np.where(volts > 0, volts, unit["Vdco"])
    per_unit = dc_w / count
    clipped = np.maximum(np.asarray(inverter.sandia(volts, per_unit, unit)), 0.0)
    return _sandia_unclipped_w(volts, per_unit, unit) * count, clipped * count


# ---------------------------------------------------------------------- summaries

_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], float)


def _monthly(
    index: pd.DatetimeIndex, interval_h: float, kwp: float, **series: np.ndarray
) -> pd.DataFrame:
    """Monthly totals per year: a month's sum over the data divided by how many
    (365-day calendar) months of data it holds."""
    month = index.month.to_numpy() - 1
    hours = np.bincount(month, minlength=12) * interval_h
    with np.errstate(divide="ignore", invalid="ignore"):
        per_year = np.where(hours > 0, _DAYS_IN_MONTH * 24.0 / hours, np.nan)
    sums = {
        name: np.bincount(month, weights=values, minlength=12) * interval_h * per_year
        for name, values in series.items()
    }
    ghi = sums["ghi"] / W_PER_KW
    poa = sums["poa"] / W_PER_KW
    ac = sums["ac"] / W_PER_KW
    delivered = sums["delivered"] / W_PER_KW
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(poa > 0, delivered / (poa * kwp), np.nan)
    frame = pd.DataFrame(
        {
            "ghi_kwh_per_m2": ghi,
            "poa_kwh_per_m2": poa,
            "ac_energy_kwh": ac,
            "delivered_energy_kwh": delivered,
            "specific_yield_kwh_per_kwp": delivered / kwp,
            "performance_ratio": ratio,
        },
        index=pd.RangeIndex(1, 13, name="month"),
    )
    return frame


def _waterfall(energy_kwh: list[float]) -> pd.DataFrame:
    energy = np.asarray(energy_kwh, dtype=float)
    loss = np.concatenate([[0.0], energy[:-1] - energy[1:]])
    before = np.concatenate([[np.nan], energy[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(before > 0, loss / before, 0.0)
    fraction[0] = 0.0
    return pd.DataFrame(
        {
            "step": list(LOSS_STEPS),
            "energy_kwh": energy,
            "loss_kwh": loss,
            "loss_fraction": fraction,
        }
    )


# ----------------------------------------------------------------------- simulate


def simulate(
    weather: pd.DataFrame,
    *,
    site: SiteSpec,
    system: SystemSpec,
    solar_position: pd.DataFrame | None = None,
) -> EnergyResult:
    """Simulate a plant hour by hour over a weather frame.

    Parameters
    ----------
    weather : pandas.DataFrame
        The hourly frame of ``solarcase.weather.frame``: tz-aware index of interval
        starts in local standard time; ``ghi``, ``dni``, ``dhi`` [W/m²],
        ``temp_air`` [°C], ``wind_speed`` [m/s], optional ``albedo`` [-].
    site : SiteSpec
        Location of the plant.
    system : SystemSpec
        The plant.
    solar_position : pandas.DataFrame, optional
        Output of :func:`solar_position` for this index and site, to share it
        between many systems at one site; computed when omitted.

    Returns
    -------
    result : EnergyResult
        Hourly, monthly and annual energy, ratios and the loss waterfall.

    Raises
    ------
    WeatherDataError
        Missing columns, missing or negative values, an irregular or naive index.
    ScenarioError
        A CEC module and inverter that cannot form a string.

    Notes
    -----
    Availability scales the AC energy only; ``hourly`` is what the plant makes while
    available. Annual figures are per 8,760 h of weather (a SolarcaseWarning says
    when the frame is shorter and they are extrapolated). Performance ratio uses the
    open-field in-plane irradiation (``poa_global``, before row shading), so row
    shading counts as a loss, as with an irradiance sensor in the array plane.
    """
    data = _weather_arrays(weather)
    if solar_position is None:
        position = _solar_position(weather.index, site)
    else:
        missing = [c for c in SOLAR_POSITION_COLUMNS if c not in solar_position]
        if missing or not solar_position.index.equals(weather.index):
            raise ValueError(
                "solar_position must come from solar_position(weather.index, site); "
                f"missing columns {missing} or a different index"
            )
        position = solar_position
    count = len(weather.index)
    interval_h = pd.Timedelta(INTERVAL) / pd.Timedelta(hours=1)
    if count * interval_h < HOURS_PER_YEAR:
        warnings.warn(
            f"weather: {count * interval_h:g} h of data; annual figures are "
            "extrapolated to 8,760 h",
            SolarcaseWarning,
            stacklevel=2,
        )
    plant = _plant(system)
    mount, losses = system.mount, system.losses
    geometry = _geometry(mount, position)
    beam, sky, ground = _transpose(
        data,
        position,
        geometry,
        albedo=_albedo(weather, system.albedo),
        model=system.transposition_model,
    )
    beam_factor, sky_factor, ground_factor = _row_shading(
        mount.gcr, geometry, position, data
    )
    cover_beam, cover_sky, cover_ground = _cover_factors(geometry)
    poa_open = beam + sky + ground
    beam, sky, ground = beam * beam_factor, sky * sky_factor, ground * ground_factor
    poa_shaded = beam + sky + ground
    transmitted = beam * cover_beam + sky * cover_sky + ground * cover_ground
    spectral = transmitted * _spectral_factor(position, site.altitude)
    effective = spectral * (1.0 - losses.soiling)
    racking = mount.racking if isinstance(mount, FixedMount) else "open_rack"
    temp_cell = _cell_temperature(
        poa_shaded * (1.0 - losses.soiling),
        effective,
        data,
        noct_c=_NOCT_C[racking],
        efficiency=plant.efficiency,
    )
    module_w, v_dc = _module_dc(plant, effective, temp_cell)
    linear_w = module_w  # the PVWatts module is the linear model itself
    if plant.module is not None:
        linear_w = effective / 1000.0 * plant.stc_power_w
        linear_w = linear_w * (1.0 + plant.gamma_pdc * (temp_cell - 25.0))
    dc_w = module_w * (1.0 - losses.other_dc_loss_fraction)
    unclipped_w, ac_w = _inverter(system, plant, dc_w, v_dc)
    delivered_w = ac_w * (1.0 - losses.availability)

    kwp = plant.layout.dc_capacity_kwp
    per_year = HOURS_PER_YEAR / (count * interval_h)
    to_kwh = interval_h * per_year / W_PER_KW
    energy_kwh = [
        float(np.sum(x)) * to_kwh * kwp
        for x in (data["ghi"], poa_open, poa_shaded, transmitted, spectral, effective)
    ] + [
        float(np.sum(x)) * to_kwh
        for x in (linear_w, module_w, dc_w, unclipped_w, ac_w, delivered_w)
    ]
    annual_delivered = energy_kwh[-1]
    reference_kwh = energy_kwh[1]
    hourly = pd.DataFrame(
        {
            "ghi": data["ghi"],
            "poa_global": poa_open,
            "temp_cell": temp_cell,
            "dc_power_kw": dc_w / W_PER_KW,
            "ac_power_kw": ac_w / W_PER_KW,
            "clipped_power_kw": np.maximum(unclipped_w - ac_w, 0.0) / W_PER_KW,
            "ac_energy_kwh": ac_w / W_PER_KW * interval_h,
        },
        index=weather.index,
    )
    return EnergyResult(
        hourly=hourly,
        monthly=_monthly(
            weather.index,
            interval_h,
            kwp,
            ghi=data["ghi"],
            poa=poa_open,
            ac=ac_w,
            delivered=delivered_w,
        ),
        annual_ac_energy_kwh=energy_kwh[-2],
        annual_delivered_energy_kwh=annual_delivered,
        specific_yield_kwh_per_kwp=annual_delivered / kwp,
        performance_ratio=annual_delivered / reference_kwh if reference_kwh else np.nan,
        capacity_factor=annual_delivered / (kwp * HOURS_PER_YEAR),
        clipped_energy_kwh=float(np.sum(hourly["clipped_power_kw"]))
        * interval_h
        * per_year,
        losses=_waterfall(energy_kwh),
        layout=plant.layout,
    )


_solar_position = solar_position
