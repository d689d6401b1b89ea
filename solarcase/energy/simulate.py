"""Hourly yield of a PV plant from an hourly weather frame; the pvlib caller.

The model chain (each choice and its evidence is in ``docs/yield-model.md``): solar
position at each interval's midpoint (pvlib ``ephemeris``), Perez transposition,
row-to-row shading from the ground-coverage ratio (beam shading and the reduced sky and
ground view of infinite rows, in :mod:`solarcase.energy.shading`), incidence-angle
losses through anti-reflective glass, the De Soto air-mass spectral modifier, soiling,
SAM's NOCT cell temperature, a PVWatts linear or CEC single-diode DC model, the
itemised DC losses, a PVWatts or Sandia (CEC) inverter, clipping at the AC capacity
and availability. Every column that leaves this module is in kW or kWh; pvlib objects
and W stay inside. :func:`check_system` runs the checks of a plant that need pvlib's
CEC database without simulating.

The inputs are defined in :mod:`solarcase.energy.specs` and the results in
:mod:`solarcase.energy.results`; both are re-exported here, so
``from solarcase.energy.simulate import SystemSpec, EnergyResult`` keeps working.

No file or network I/O (pvlib's bundled CEC tables are read once, through pvlib).
"""

from __future__ import annotations

import difflib
import functools
import re
import warnings

import numpy as np
import pandas as pd
from pvlib import (
    atmosphere,
    iam,
    inverter,
    irradiance,
    pvsystem,
    solarposition,
    spectrum,
    temperature,
)

from solarcase.energy.plant import Plant, size_plant
from solarcase.energy.results import (
    HOURLY_COLUMNS,
    LOSS_COLUMNS,
    LOSS_STEPS,
    MONTHLY_COLUMNS,
    ArrayLayout,
    EnergyResult,
    loss_waterfall,
    monthly_summary,
)
from solarcase.energy.shading import ArrayGeometry, array_geometry, row_shading_factors
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
from solarcase.errors import ScenarioError, SolarcaseWarning, WeatherDataError
from solarcase.units import HOURS_PER_YEAR, W_PER_KW
from solarcase.weather.frame import INTERVAL, REQUIRED_COLUMNS

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

#: Columns of :func:`solar_position`, evaluated at each interval's midpoint.
SOLAR_POSITION_COLUMNS = (
    "apparent_zenith",
    "zenith",
    "azimuth",
    "dni_extra",
    "airmass_relative",
    "airmass_absolute",
)

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


def _normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@functools.cache
def _cec_index(kind: str) -> dict[str, str]:
    return {_normalise(str(column)): str(column) for column in _cec_table(kind).columns}


def _unknown_cec_name(kind: str, name: str, where: str) -> str | None:
    """The error line for a name that is not in the CEC table ``kind``, else None."""
    index = _cec_index(kind)
    key = _normalise(name) if isinstance(name, str) else ""
    if key in index:
        return None
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    hint = f"did you mean {[index[c] for c in close]}?" if close else ""
    return (
        f"{where}: no entry in pvlib's CEC database ({kind}), got {name!r}; "
        f"{hint or 'check the spelling against pvlib.pvsystem.retrieve_sam'}"
    )


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
    problems = [line for line in (_unknown_cec_name(*w) for w in wanted) if line]
    if problems:
        raise ScenarioError("\n".join(problems))
    records = {
        kind: _cec_table(kind)[_cec_index(kind)[_normalise(name)]]
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
    module, inverter_unit = _cec_records(system)
    plant = size_plant(system, module=module, inverter_unit=inverter_unit)
    mount, losses = system.mount, system.losses
    geometry = array_geometry(mount, position)
    beam, sky, ground = _transpose(
        data,
        position,
        geometry,
        albedo=_albedo(weather, system.albedo),
        model=system.transposition_model,
    )
    beam_factor, sky_factor, ground_factor = row_shading_factors(
        mount.gcr, geometry, position, data
    )
    cover_beam, cover_sky, cover_ground = _cover_factors(geometry)
    poa_open = beam + sky + ground
    beam, sky, ground = beam * beam_factor, sky * sky_factor, ground * ground_factor
    poa_shaded = beam + sky + ground
    transmitted = beam * cover_beam + sky * cover_sky + ground * cover_ground
    spectral = transmitted * _spectral_factor(position, site.altitude)
    effective = spectral * (1.0 - losses.soiling)
    temp_cell = _cell_temperature(
        poa_shaded * (1.0 - losses.soiling),
        effective,
        data,
        noct_c=mount.noct_c,
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
        monthly=monthly_summary(
            weather.index,
            interval_h=interval_h,
            dc_capacity_kwp=kwp,
            ghi=data["ghi"],
            poa_global=poa_open,
            ac_power_w=ac_w,
            delivered_power_w=delivered_w,
        ),
        annual_ac_energy_kwh=energy_kwh[-2],
        annual_delivered_energy_kwh=annual_delivered,
        specific_yield_kwh_per_kwp=annual_delivered / kwp,
        performance_ratio=annual_delivered / reference_kwh if reference_kwh else np.nan,
        capacity_factor=annual_delivered / (kwp * HOURS_PER_YEAR),
        clipped_energy_kwh=float(np.sum(hourly["clipped_power_kw"]))
        * interval_h
        * per_year,
        losses=loss_waterfall(energy_kwh),
        layout=plant.layout,
    )


_solar_position = solar_position
