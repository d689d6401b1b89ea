"""What the yield model returns: :class:`EnergyResult`, its column names and summaries.

The result dataclasses (``EnergyResult``, ``ArrayLayout``), the column names of their
frames, the per-interval arrays a simulation hands over (``IrradianceSteps``,
``PowerSteps``) and what is built from them: :func:`energy_result` (hourly frame,
annual figures), monthly totals per year and the loss waterfall. Pure numpy and
pandas; no pvlib. No file or network I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solarcase.units import DAYS_IN_MONTH, HOURS_PER_YEAR, W_PER_KW

__all__ = [
    "HOURLY_COLUMNS",
    "LOSS_COLUMNS",
    "LOSS_STEPS",
    "MONTHLY_COLUMNS",
    "ArrayLayout",
    "EnergyResult",
    "IrradianceSteps",
    "PowerSteps",
    "energy_result",
    "loss_waterfall",
    "monthly_summary",
]

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
    """What :func:`~solarcase.energy.simulate.simulate` returns; annual figures are
    per 8,760 h of weather."""

    hourly: pd.DataFrame
    """Per interval (index as the weather): ghi, poa_global [W/m²], temp_cell [°C],
    dc_power_kw, ac_power_kw (clipped, while available), clipped_power_kw [kW],
    ac_energy_kwh [kWh per interval]."""
    monthly: pd.DataFrame
    """Per month 1..12: ghi_kwh_per_m2, poa_kwh_per_m2, ac_energy_kwh (before
    availability), delivered_energy_kwh, specific_yield_kwh_per_kwp,
    performance_ratio."""
    annual_ghi_kwh_per_m2: float
    """Horizontal irradiation per year (average year of a multi-year frame) [kWh/m²]."""
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


@dataclass(frozen=True, slots=True)
class IrradianceSteps:
    """In-plane irradiance per interval after each optical step of the waterfall."""

    poa_global: np.ndarray
    """Open field, before row shading (beam + sky + ground) [W/m²]."""
    shaded_w_per_m2: np.ndarray
    """After row shading [W/m²]."""
    transmitted_w_per_m2: np.ndarray
    """After reflection on the module cover (IAM) [W/m²]."""
    spectral_w_per_m2: np.ndarray
    """After the air-mass spectral modifier [W/m²]."""
    effective_irradiance: np.ndarray
    """After soiling: what the cells convert [W/m²]."""


@dataclass(frozen=True, slots=True)
class PowerSteps:
    """Cell temperature and power per interval after each electrical step."""

    temp_cell: np.ndarray
    """Cell temperature [°C]."""
    linear_dc_w: np.ndarray
    """Linear DC model at the cell temperature, STC power x E/1000 x (1 + gamma
    (T - 25)) [W]."""
    module_dc_w: np.ndarray
    """The module model's DC power (the linear one for PVWatts modules) [W]."""
    dc_w: np.ndarray
    """After the itemised DC losses [W]."""
    unclipped_ac_w: np.ndarray
    """Inverter output before the AC limit [W]."""
    ac_w: np.ndarray
    """Inverter output after clipping, while available [W]."""
    delivered_ac_w: np.ndarray
    """After availability [W]."""


def energy_result(
    index: pd.DatetimeIndex,
    *,
    interval_h: float,
    ghi: np.ndarray,
    irradiance: IrradianceSteps,
    power: PowerSteps,
    layout: ArrayLayout,
) -> EnergyResult:
    """The result of a simulation from its per-interval arrays.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts of the arrays (the weather's index).
    interval_h : float
        Length of one interval. [h]
    ghi : numpy.ndarray
        Horizontal irradiance per interval. [W/m²]
    irradiance : IrradianceSteps
        In-plane irradiance after each optical step. [W/m²]
    power : PowerSteps
        Cell temperature [°C] and power after each electrical step. [W]
    layout : ArrayLayout
        Capacities simulated; energies from irradiance are scaled by its DC kWp.

    Returns
    -------
    result : EnergyResult
        Hourly frame in kW and kWh, monthly totals, annual figures and waterfall.

    Notes
    -----
    Annual figures are sums over the data scaled to 8,760 h: the average year of a
    multi-year frame, an extrapolation for a shorter one. The waterfall's optical
    steps are irradiation [kWh/m²] / 1 kW/m² x DC kWp.
    """
    kwp = layout.dc_capacity_kwp
    per_year = HOURS_PER_YEAR / (len(index) * interval_h)
    to_kwh = interval_h * per_year / W_PER_KW
    energy_kwh = _waterfall_energies_kwh(
        ghi, irradiance, power, to_kwh=to_kwh, dc_capacity_kwp=kwp
    )
    delivered_kwh, reference_kwh = energy_kwh[-1], energy_kwh[1]
    hourly = _hourly_frame(
        index,
        interval_h=interval_h,
        ghi=ghi,
        power=power,
        poa_global=irradiance.poa_global,
    )
    return EnergyResult(
        hourly=hourly,
        monthly=monthly_summary(
            index,
            interval_h=interval_h,
            dc_capacity_kwp=kwp,
            ghi=ghi,
            poa_global=irradiance.poa_global,
            ac_power_w=power.ac_w,
            delivered_power_w=power.delivered_ac_w,
        ),
        annual_ghi_kwh_per_m2=float(np.sum(ghi)) * to_kwh,
        annual_ac_energy_kwh=energy_kwh[-2],
        annual_delivered_energy_kwh=delivered_kwh,
        specific_yield_kwh_per_kwp=delivered_kwh / kwp,
        performance_ratio=delivered_kwh / reference_kwh if reference_kwh else np.nan,
        capacity_factor=delivered_kwh / (kwp * HOURS_PER_YEAR),
        clipped_energy_kwh=float(np.sum(hourly["clipped_power_kw"]))
        * interval_h
        * per_year,
        losses=loss_waterfall(energy_kwh),
        layout=layout,
    )


def _waterfall_energies_kwh(
    ghi: np.ndarray,
    irradiance: IrradianceSteps,
    power: PowerSteps,
    *,
    to_kwh: float,
    dc_capacity_kwp: float,
) -> list[float]:
    """Energy per year after each step of :data:`LOSS_STEPS` [kWh]: irradiance sums
    [W/m²] x ``to_kwh`` x kWp (per 1 kW/m²), power sums [W] x ``to_kwh``."""
    light = (
        ghi,
        irradiance.poa_global,
        irradiance.shaded_w_per_m2,
        irradiance.transmitted_w_per_m2,
        irradiance.spectral_w_per_m2,
        irradiance.effective_irradiance,
    )
    electric = (
        power.linear_dc_w,
        power.module_dc_w,
        power.dc_w,
        power.unclipped_ac_w,
        power.ac_w,
        power.delivered_ac_w,
    )
    return [float(np.sum(x)) * to_kwh * dc_capacity_kwp for x in light] + [
        float(np.sum(x)) * to_kwh for x in electric
    ]


def _hourly_frame(
    index: pd.DatetimeIndex,
    *,
    interval_h: float,
    ghi: np.ndarray,
    poa_global: np.ndarray,
    power: PowerSteps,
) -> pd.DataFrame:
    """The frame of :data:`HOURLY_COLUMNS`: W become kW, kWh per interval."""
    ac_w = power.ac_w
    return pd.DataFrame(
        {
            "ghi": ghi,
            "poa_global": poa_global,
            "temp_cell": power.temp_cell,
            "dc_power_kw": power.dc_w / W_PER_KW,
            "ac_power_kw": ac_w / W_PER_KW,
            "clipped_power_kw": np.maximum(power.unclipped_ac_w - ac_w, 0.0) / W_PER_KW,
            "ac_energy_kwh": ac_w / W_PER_KW * interval_h,
        },
        index=index,
    )


def monthly_summary(
    index: pd.DatetimeIndex,
    *,
    interval_h: float,
    dc_capacity_kwp: float,
    ghi: np.ndarray,
    poa_global: np.ndarray,
    ac_power_w: np.ndarray,
    delivered_power_w: np.ndarray,
) -> pd.DataFrame:
    """Monthly totals per year of a simulation's hourly arrays.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Interval starts of the arrays below (the weather's index).
    interval_h : float
        Length of one interval. [h]
    dc_capacity_kwp : float
        DC nameplate simulated. [kWp]
    ghi, poa_global : numpy.ndarray
        Horizontal and open-field in-plane irradiance per interval. [W/m²]
    ac_power_w, delivered_power_w : numpy.ndarray
        AC power before and after availability per interval. [W]

    Returns
    -------
    monthly : pandas.DataFrame
        Index ``month`` 1..12; the columns of :data:`MONTHLY_COLUMNS`:
        ``ghi_kwh_per_m2``, ``poa_kwh_per_m2`` [kWh/m²], ``ac_energy_kwh``,
        ``delivered_energy_kwh`` [kWh], ``specific_yield_kwh_per_kwp`` [kWh/kWp],
        ``performance_ratio`` [fraction] (NaN for a month without in-plane light or
        without data).

    Notes
    -----
    A month's sum over the data is divided by how many (365-day calendar) months of
    data it holds: a multi-year series gives the average month, a partial month is
    extrapolated to a whole one, a month without data is NaN.
    """
    month = index.month.to_numpy() - 1
    hours = np.bincount(month, minlength=12) * interval_h
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.asarray(DAYS_IN_MONTH, dtype=float)
        per_year = np.where(hours > 0, days * 24.0 / hours, np.nan)

    def per_month_kilo(values: np.ndarray) -> np.ndarray:
        """Sum per month over one year, divided by 1000 (W -> kW, Wh -> kWh)."""
        sums = np.bincount(month, weights=values, minlength=12) * interval_h * per_year
        return sums / W_PER_KW

    ghi_kwh = per_month_kilo(ghi)
    poa_kwh = per_month_kilo(poa_global)
    ac = per_month_kilo(ac_power_w)
    delivered = per_month_kilo(delivered_power_w)
    kwp = dc_capacity_kwp
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(poa_kwh > 0, delivered / (poa_kwh * kwp), np.nan)
    return pd.DataFrame(
        {
            "ghi_kwh_per_m2": ghi_kwh,
            "poa_kwh_per_m2": poa_kwh,
            "ac_energy_kwh": ac,
            "delivered_energy_kwh": delivered,
            "specific_yield_kwh_per_kwp": delivered / kwp,
            "performance_ratio": ratio,
        },
        index=pd.RangeIndex(1, 13, name="month"),
    )


def loss_waterfall(energy_kwh: Sequence[float]) -> pd.DataFrame:
    """The loss waterfall from the energy after each step of :data:`LOSS_STEPS`.

    Parameters
    ----------
    energy_kwh : sequence of float
        Energy per year after each step, in the order of :data:`LOSS_STEPS`; the
        first is the reference (horizontal irradiation x kWp), the last the
        delivered energy. [kWh]

    Returns
    -------
    losses : pandas.DataFrame
        One row per step, columns :data:`LOSS_COLUMNS`: ``step``, ``energy_kwh``
        (after the step) [kWh], ``loss_kwh`` (before minus after, negative for a
        gain) [kWh], ``loss_fraction`` (of the energy before the step, 0 where that
        is 0) [fraction]. The reference row has no loss, so the first energy minus
        all losses is the last energy.

    Raises
    ------
    ValueError
        When there is not one energy per step (a bug in the caller).
    """
    energy = np.asarray(energy_kwh, dtype=float)
    if energy.shape != (len(LOSS_STEPS),):
        raise ValueError(
            f"loss_waterfall: expected {len(LOSS_STEPS)} energies (one per step of "
            f"LOSS_STEPS), got shape {energy.shape}"
        )
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
