"""Hourly yield of a PV plant from an hourly weather frame; the pvlib caller.

The model chain (each choice and its evidence is in ``docs/yield-model.md``): solar
position at each interval's midpoint, Perez transposition, row shading from the
ground-coverage ratio (the geometry is in :mod:`solarcase.energy.shading`),
incidence-angle losses through anti-reflective glass, the De Soto air-mass spectral
modifier, soiling, SAM's NOCT cell temperature, a PVWatts linear or CEC single-diode
DC model, the itemised DC losses, a PVWatts or Sandia (CEC) inverter, clipping at the
AC capacity and availability. Every column that leaves the yield model is in kW or
kWh; pvlib objects stay inside. :func:`check_system` runs the checks of a plant that
need pvlib's CEC database without simulating.

The inputs are defined and checked in :mod:`solarcase.energy.specs` and
:mod:`solarcase.energy.inputs`, the results built in :mod:`solarcase.energy.results`;
their public names and :func:`~solarcase.energy.shading.solar_position` are
re-exported here, so ``from solarcase.energy.simulate import SystemSpec,
EnergyResult, solar_position`` keeps working.

No file or network I/O (pvlib's bundled CEC tables are read once, through pvlib).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from pvlib import (
    atmosphere,
    iam,
    inverter,
    irradiance,
    pvsystem,
    spectrum,
    temperature,
)

from solarcase.energy.inputs import (
    INTERVAL_H,
    SOLAR_POSITION_COLUMNS,
    check_solar_position,
    warn_if_partial_year,
    weather_albedo,
    weather_arrays,
)
from solarcase.energy.plant import Plant, normalise_name, size_plant, unknown_name
from solarcase.energy.results import (
    HOURLY_COLUMNS,
    LOSS_COLUMNS,
    LOSS_STEPS,
    MONTHLY_COLUMNS,
    ArrayLayout,
    EnergyResult,
    IrradianceSteps,
    PowerSteps,
    energy_result,
)
from solarcase.energy.shading import (
    ArrayGeometry,
    array_geometry,
    row_shading_factors,
    solar_position,
)
from solarcase.energy.specs import (
    PVWATTS_DEFAULT_LOSSES,
    CecInverter,
    CecModule,
    FixedMount,
    LossBudget,
    ModuleType,
    PvwattsInverter,
    PvwattsModule,
    Racking,
    SingleAxisMount,
    SiteSpec,
    SystemSpec,
    TranspositionModel,
)
from solarcase.errors import ScenarioError
from solarcase.units import W_PER_KW
from solarcase.weather.frame import time_index

__all__ = [
    "HOURLY_COLUMNS",
    "LOSS_COLUMNS",
    "LOSS_STEPS",
    "MONTHLY_COLUMNS",
    "PVWATTS_DEFAULT_LOSSES",
    "SOLAR_POSITION_COLUMNS",
    "ArrayLayout",
    "CecInverter",
    "CecModule",
    "EnergyResult",
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
    "check_system",
    "simulate",
    "solar_position",
]

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


# -------------------------------------------------------- CEC data and check_system


@functools.cache
def _cec_table(kind: str) -> pd.DataFrame:
    return pvsystem.retrieve_sam(kind)


@functools.cache
def _cec_index(kind: str) -> dict[str, str]:
    return {normalise_name(str(c)): str(c) for c in _cec_table(kind).columns}


def _cec_records(system: SystemSpec) -> tuple[pd.Series | None, pd.Series | None]:
    """The CEC module and inverter records of a system (None for PVWatts parts).

    Both names are looked up first, so that one ScenarioError lists every unknown
    name, one line each."""
    parts = (
        ("CECMod", system.module, "system.module.name"),
        ("cecinverter", system.inverter, "system.inverter.name"),
    )
    wanted = [
        (kind, part.name, where)
        for kind, part, where in parts
        if isinstance(part, CecModule | CecInverter)
    ]
    problems = [
        line
        for kind, name, where in wanted
        if (line := unknown_name(name, _cec_index(kind), kind=kind, where=where))
    ]
    if problems:
        raise ScenarioError("\n".join(problems))
    records = {
        kind: _cec_table(kind)[_cec_index(kind)[normalise_name(name)]]
        for kind, name, _ in wanted
    }
    return records.get("CECMod"), records.get("cecinverter")


def check_system(system: SystemSpec) -> None:
    """Run the checks of a plant that need pvlib, without simulating.

    The spec dataclasses check their own values when they are created; what needs
    pvlib's bundled CEC database is checked here: the names of a CEC module and a
    CEC inverter, and whether the module forms a string inside the inverter's
    voltage window. :func:`simulate` runs the same checks when it builds the plant;
    ``solarcase validate`` can call this to report them without any weather.

    Parameters
    ----------
    system : SystemSpec
        The plant.

    Raises
    ------
    ScenarioError
        A CEC module or inverter name that is not in pvlib's database, one line per
        unknown name with its key (``system.module.name``, ``system.inverter.name``),
        the name given and up to three close names; a CEC module and CEC inverter
        that cannot form a string (key ``system.module/system.inverter``).

    Warns
    -----
    SolarcaseWarning
        When whole modules or inverters give a DC or AC capacity more than 5 % away
        from the one requested (the simulation would use theirs).

    Notes
    -----
    The first call with a CEC part reads pvlib's CEC tables once (about 0.2 s);
    later calls use the cached tables (well under 1 ms). A system of PVWatts parts
    needs no table.
    """
    module, inverter_unit = _cec_records(system)
    size_plant(system, module=module, inverter_unit=inverter_unit)


# ------------------------------------------------------------------------- POA


def _transpose(
    weather: dict[str, np.ndarray],
    position: pd.DataFrame,
    geometry: ArrayGeometry,
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


def _cover_factors(
    geometry: ArrayGeometry,
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
    """De Soto's air-mass modifier; Kasten-Young air mass of the apparent zenith."""
    zenith = np.minimum(position["apparent_zenith"].to_numpy(), _SPECTRAL_MAX_ZENITH)
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
    plant: Plant, effective: np.ndarray, temp_cell: np.ndarray
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
    system: SystemSpec, plant: Plant, dc_w: np.ndarray, v_dc: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """AC power before and after clipping at the AC capacity [W], never negative
    (no night-time tare is modelled, as in PVWatts)."""
    ac_limit_w = plant.layout.ac_capacity_kw * W_PER_KW
    if plant.inverter is None:
        spec = system.inverter
        assert isinstance(spec, PvwattsInverter)  # no CEC record: PVWatts
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


# ------------------------------------------------------------------ the two chains


def _irradiance_steps(
    weather: dict[str, np.ndarray],
    position: pd.DataFrame,
    *,
    site: SiteSpec,
    system: SystemSpec,
    albedo: np.ndarray | float,
) -> IrradianceSteps:
    """In-plane irradiance after transposition, row shading, the cover, the
    spectrum and soiling [W/m²]."""
    geometry = array_geometry(system.mount, position)
    beam, sky, ground = _transpose(
        weather, position, geometry, albedo=albedo, model=system.transposition_model
    )
    beam_factor, sky_factor, ground_factor = row_shading_factors(
        geometry, position, weather, gcr=system.mount.gcr
    )
    cover_beam, cover_sky, cover_ground = _cover_factors(geometry)
    poa_open = beam + sky + ground
    beam, sky, ground = beam * beam_factor, sky * sky_factor, ground * ground_factor
    transmitted = beam * cover_beam + sky * cover_sky + ground * cover_ground
    spectral = transmitted * _spectral_factor(position, site.altitude)
    return IrradianceSteps(
        poa_global=poa_open,
        shaded_w_per_m2=beam + sky + ground,
        transmitted_w_per_m2=transmitted,
        spectral_w_per_m2=spectral,
        effective_irradiance=spectral * (1.0 - system.losses.soiling),
    )


def _power_steps(
    weather: dict[str, np.ndarray],
    irradiance: IrradianceSteps,
    *,
    system: SystemSpec,
    plant: Plant,
) -> PowerSteps:
    """Cell temperature, then power after the module, the DC losses, the inverter,
    clipping and availability [W]."""
    losses = system.losses
    effective = irradiance.effective_irradiance
    temp_cell = _cell_temperature(
        irradiance.shaded_w_per_m2 * (1.0 - losses.soiling),
        effective,
        weather,
        noct_c=system.mount.noct_c,
        efficiency=plant.efficiency,
    )
    module_w, v_dc = _module_dc(plant, effective, temp_cell)
    linear_w = module_w  # the PVWatts module is the linear model itself
    if plant.module is not None:
        linear_w = effective / 1000.0 * plant.stc_power_w
        linear_w = linear_w * (1.0 + plant.gamma_pdc * (temp_cell - 25.0))
    dc_w = module_w * (1.0 - losses.other_dc_loss_fraction)
    unclipped_w, ac_w = _inverter(system, plant, dc_w, v_dc)
    return PowerSteps(
        temp_cell=temp_cell,
        linear_dc_w=linear_w,
        module_dc_w=module_w,
        dc_w=dc_w,
        unclipped_ac_w=unclipped_w,
        ac_w=ac_w,
        delivered_ac_w=ac_w * (1.0 - losses.availability),
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
        A CEC module or inverter name not in pvlib's database, or a CEC module and
        inverter that cannot form a string (the checks of :func:`check_system`).

    Notes
    -----
    Availability scales the AC energy only; ``hourly`` is what the plant makes while
    available. Annual figures are per 8,760 h of weather (a SolarcaseWarning says
    when the frame is shorter and they are extrapolated). Performance ratio uses the
    open-field in-plane irradiation (``poa_global``, before row shading), so row
    shading counts as a loss, as with an irradiance sensor in the array plane.
    """
    data = weather_arrays(weather)
    index = time_index(weather)  # checked by weather_arrays
    if solar_position is None:
        position = _solar_position(index, site)
    else:
        position = check_solar_position(solar_position, index)
    warn_if_partial_year(index)
    module, inverter_unit = _cec_records(system)
    plant = size_plant(system, module=module, inverter_unit=inverter_unit)
    irradiance = _irradiance_steps(
        data,
        position,
        site=site,
        system=system,
        albedo=weather_albedo(weather, default=system.albedo),
    )
    return energy_result(
        index,
        interval_h=INTERVAL_H,
        ghi=data["ghi"],
        irradiance=irradiance,
        power=_power_steps(data, irradiance, system=system, plant=plant),
        layout=plant.layout,
    )


_solar_position = solar_position
