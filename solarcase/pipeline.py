"""Compose one appraisal: scenario + weather -> yield -> lifetime energy -> cash flow.

The only place that translates a :class:`~solarcase.scenario.models.Scenario` into the
plain arguments of the core (``energy``, ``finance``); everything here is composition,
no physics and no finance formulas. No file or network I/O: the caller reads the
weather and writes the results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from solarcase.energy import simulate as sim
from solarcase.energy.lifetime import lifetime_energy_kwh
from solarcase.errors import ScenarioError
from solarcase.finance.cashflow import CashFlowInputs, CashFlowTable, cash_flow
from solarcase.finance.hourly import (
    RevenueFactors,
    load_profile_kwh,
    self_consumption_by_year,
    time_of_day_factor,
)
from solarcase.finance.metrics import FinancialMetrics, metrics
from solarcase.finance.rates import deflation_factors
from solarcase.finance.reference import ReferenceMetrics, reference_metrics
from solarcase.finance.solve import SolvedValues, solve_targets
from solarcase.scenario import finance as finance_model
from solarcase.scenario import models
from solarcase.scenario.to_finance import (
    MetricSettings,
    capex_breakdown,
    cash_flow_inputs,
    exchange_rate_paths,
    metric_settings,
    reference_currency,
)
from solarcase.units import HOURS_PER_YEAR
from solarcase.weather.frame import WeatherMeta, time_index

#: Keys of ``ScenarioResult.headline()``, the result contract of DESIGN.md.
HEADLINE_METRICS: tuple[str, ...] = (
    "annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
    "performance_ratio",
    "capacity_factor",
    "npv",
    "equity_npv",
    "project_irr",
    "equity_irr",
    "lcoe_real_per_kwh",
    "lcoe_nominal_per_kwh",
    "simple_payback_years",
    "discounted_payback_years",
    "min_dscr",
    "avg_dscr",
)
#: Further keys of ``ScenarioResult.headline()`` (issue 3): real and modified IRRs,
#: LLCR and the solved values. Kept apart so that tables built on
#: :data:`HEADLINE_METRICS` keep their rows.
MORE_METRICS: tuple[str, ...] = (
    "project_irr_real",
    "equity_irr_real",
    "project_mirr",
    "equity_mirr",
    "llcr",
    "breakeven_price_per_kwh",
    "capex_for_target_equity_irr",
    "debt_for_target_dscr",
)
#: Headline metrics that are amounts of money (shown in tomans too).
MONEY_METRICS: tuple[str, ...] = (
    "npv",
    "equity_npv",
    "lcoe_real_per_kwh",
    "lcoe_nominal_per_kwh",
    "breakeven_price_per_kwh",
    "capex_for_target_equity_irr",
    "debt_for_target_dscr",
)
_SOLVED = {
    "breakeven_price_per_kwh",
    "capex_for_target_equity_irr",
    "debt_for_target_dscr",
}


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """Everything one appraisal produces; serialised by ``report.files``."""

    scenario: models.Scenario
    """The validated scenario that was run."""
    weather_meta: WeatherMeta
    """Provenance of the weather."""
    site: sim.SiteSpec
    """Location passed to the yield model."""
    system: sim.SystemSpec
    """Plant passed to the yield model."""
    energy: sim.EnergyResult
    """Hourly, monthly and annual yield, and the loss waterfall."""
    energy_by_year_kwh: np.ndarray
    """Delivered energy in operating years 1..N, shape (N,). [kWh]"""
    capex_items: Mapping[str, float]
    """Capex item -> amount at year 0. [cur]"""
    finance_inputs: CashFlowInputs
    """Resolved finance inputs (single case)."""
    cashflow: CashFlowTable
    """Yearly cash-flow table (single case)."""
    metrics: FinancialMetrics
    """Financial metrics (single case)."""
    revenue_factors: RevenueFactors
    """Time-of-day factor and self-consumed shares from the hourly profile."""
    settings: MetricSettings
    """Targets and MIRR rates used."""
    solved: SolvedValues
    """Breakeven price, capex for the target equity IRR, debt for the target DSCR
    (single case)."""
    exchange_rates: Mapping[str, np.ndarray]
    """Foreign currency -> rate of each year 0..N. [cur/unit]"""
    reference: ReferenceMetrics | None
    """Metrics in the reference currency, if the scenario names one."""

    @property
    def currency(self) -> str:
        """Model currency, ISO 4217."""
        return self.scenario.finance.currency

    @property
    def reference_currency(self) -> str | None:
        """Reference currency, ISO 4217, or None."""
        return self.scenario.finance.reference_currency

    @property
    def notes(self) -> tuple[str, ...]:
        """Caveats: metrics that do not exist, synthetic weather, repairs."""
        notes = list(self.metrics.notes[0]) + list(self.solved.notes[0])
        if self.weather_meta.is_synthetic:
            notes.append(
                "weather is SYNTHETIC (generated from monthly climate normals); "
                "use measured or satellite data for a bankable study"
            )
        notes.extend(f"weather repair: {r}" for r in self.weather_meta.repairs)
        return tuple(notes)

    @property
    def project_fcf_real(self) -> np.ndarray:
        """Project free cash flow in year-0 money of the model currency, years
        0..N, shape ``(N + 1,)``. [cur]"""
        flows = self.cashflow.project_fcf
        deflator = deflation_factors(
            self.finance_inputs.inflation_rate, n_years=flows.shape[1] - 1
        )
        return np.asarray((flows * deflator)[0])

    def headline(self) -> dict[str, float | None]:
        """The result contract's ``metrics`` (:data:`HEADLINE_METRICS` then
        :data:`MORE_METRICS`): fractions for ratios, None if n/a."""
        m = self.metrics
        values: dict[str, Any] = {
            "annual_energy_kwh": self.energy_by_year_kwh[0],
            "specific_yield_kwh_per_kwp": self.energy.specific_yield_kwh_per_kwp,
            "performance_ratio": self.energy.performance_ratio,
            "capacity_factor": self.energy.capacity_factor,
        }
        names = HEADLINE_METRICS + MORE_METRICS
        for name in names[4:]:
            source = self.solved if name in _SOLVED else m
            values[name] = getattr(source, name)[0]
        return {name: finite_or_none(values[name]) for name in names}


def finite_or_none(value: Any) -> float | None:
    """A number as a float, or None when it is NaN, infinite or None (n/a)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def site_spec(scenario: models.Scenario) -> sim.SiteSpec:
    """The yield model's location from the scenario's site."""
    site = scenario.site
    return sim.SiteSpec(
        latitude=site.latitude, longitude=site.longitude, altitude=site.altitude
    )


def system_spec(scenario: models.Scenario) -> sim.SystemSpec:
    """The yield model's plant from the scenario's system and site albedo."""
    system = scenario.system
    return sim.SystemSpec(
        dc_capacity_kwp=system.dc_capacity_kwp,
        ac_capacity_kw=system.ac_kw,
        mount=_mount(system.mount, latitude=scenario.site.latitude),
        module=_module(system.module),
        inverter=_inverter(system.inverter),
        losses=_losses(system.losses),
        albedo=scenario.site.albedo,
        transposition_model=system.transposition_model,
    )


def _mount(
    mount: models.FixedMount | models.SingleAxisMount, *, latitude: float
) -> sim.FixedMount | sim.SingleAxisMount:
    if isinstance(mount, models.FixedMount):
        # A Scenario validated from a mapping has the azimuth filled in; one built
        # from model objects may not, and gets the same default.
        azimuth = mount.surface_azimuth
        return sim.FixedMount(
            surface_tilt=mount.surface_tilt,
            surface_azimuth=(
                models.equator_facing_azimuth(latitude) if azimuth is None else azimuth
            ),
            racking=mount.racking,
            gcr=mount.gcr,
        )
    return sim.SingleAxisMount(
        axis_tilt=mount.axis_tilt,
        axis_azimuth=mount.axis_azimuth,
        max_angle=mount.max_angle,
        backtrack=mount.backtrack,
        gcr=mount.gcr,
    )


def _module(
    module: models.PvwattsModule | models.CecModule,
) -> sim.PvwattsModule | sim.CecModule:
    if isinstance(module, models.PvwattsModule):
        return sim.PvwattsModule(
            module_type=module.module_type, gamma_pdc=module.gamma_pdc
        )
    return sim.CecModule(name=module.name)


def _inverter(
    inverter: models.PvwattsInverter | models.CecInverter,
) -> sim.PvwattsInverter | sim.CecInverter:
    if isinstance(inverter, models.PvwattsInverter):
        return sim.PvwattsInverter(eta_inv_nom=inverter.eta_inv_nom)
    return sim.CecInverter(name=inverter.name)


def _losses(losses: models.Losses) -> sim.LossBudget:
    return sim.LossBudget(
        soiling=losses.soiling,
        shading=losses.shading,
        snow=losses.snow,
        mismatch=losses.mismatch,
        wiring=losses.wiring,
        connections=losses.connections,
        lid=losses.light_induced_degradation,
        nameplate=losses.nameplate,
        availability=losses.availability,
    )


def plant_sizes(energy: sim.EnergyResult) -> dict[str, float]:
    """The simulated plant's sizes as the finance translator takes them
    (``dc_capacity_kwp`` [kWp], ``ac_capacity_kw`` [kW])."""
    return {
        "dc_capacity_kwp": energy.layout.dc_capacity_kwp,
        "ac_capacity_kw": energy.layout.ac_capacity_kw,
    }


def energy_by_year_kwh(
    scenario: models.Scenario,
    energy: sim.EnergyResult,
    *,
    degradation_rate: float | np.ndarray | None = None,
    availability: float | np.ndarray | None = None,
    curtailment_fraction: float | np.ndarray | None = None,
) -> np.ndarray:
    """Delivered energy of every operating year from one yield simulation.

    Parameters
    ----------
    scenario : Scenario
        Gives the analysis years, the degradation mode and every value not given.
    energy : EnergyResult
        The yield simulation (its first-year AC energy before availability).
    degradation_rate, availability, curtailment_fraction : float or numpy.ndarray,
        optional
        Values of cases, scalar or shape (n_cases,); the scenario's
        ``system.degradation.rate``, ``system.losses.availability`` and
        ``system.losses.curtailment`` where None. [fraction/year], [fraction]

    Returns
    -------
    energy_kwh : numpy.ndarray
        Shape (n_cases, N), operating years 1..N
        (:func:`~solarcase.energy.lifetime.lifetime_energy_kwh`). [kWh]
    """
    degradation, losses = scenario.system.degradation, scenario.system.losses
    return lifetime_energy_kwh(
        energy.annual_ac_energy_kwh,
        n_years=scenario.finance.analysis_years,
        degradation_rate=(
            degradation.rate if degradation_rate is None else degradation_rate
        ),
        degradation_mode=degradation.mode,
        availability=losses.availability if availability is None else availability,
        curtailment_fraction=(
            losses.curtailment if curtailment_fraction is None else curtailment_fraction
        ),
    )


def run_scenario(
    scenario: models.Scenario,
    weather: pd.DataFrame,
    weather_meta: WeatherMeta,
    *,
    solar_position: pd.DataFrame | None = None,
    energy: sim.EnergyResult | None = None,
) -> ScenarioResult:
    """Appraise one scenario on a checked weather frame.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario.
    weather : pandas.DataFrame
        Checked hourly weather (``solarcase.weather.site.load_site_weather``).
    weather_meta : WeatherMeta
        Its provenance.
    solar_position : pandas.DataFrame, optional
        Precomputed ``energy.simulate.solar_position`` for this site and index.
    energy : EnergyResult, optional
        A yield simulation of the same system on the same weather, to reuse (for
        finance-only variants); simulated when omitted.

    Returns
    -------
    result : ScenarioResult
    """
    site, system = site_spec(scenario), system_spec(scenario)
    if energy is None:
        energy = sim.simulate(
            weather, site=site, system=system, solar_position=solar_position
        )
    finance = scenario.finance
    by_year = energy_by_year_kwh(scenario, energy)
    sizes = plant_sizes(energy)
    factors = revenue_factors(finance.revenue, energy.hourly, by_year[0])
    inputs = cash_flow_inputs(finance, **sizes, revenue_factors=factors)
    table = cash_flow(by_year, inputs)
    settings = metric_settings(finance)
    reference = reference_currency(finance)
    # a scenario's costs are numbers (arrays come only from Monte Carlo cases)
    items = capex_breakdown(finance, **sizes)
    capex_items = {name: float(cost) for name, cost in items.items()}
    return ScenarioResult(
        scenario=scenario,
        weather_meta=weather_meta,
        site=site,
        system=system,
        energy=energy,
        energy_by_year_kwh=by_year[0],
        capex_items=capex_items,
        finance_inputs=inputs,
        cashflow=table,
        metrics=metrics(
            table,
            inputs,
            mirr_finance_rate=settings.mirr_finance_rate,
            mirr_reinvestment_rate=settings.mirr_reinvestment_rate,
        ),
        revenue_factors=factors,
        settings=settings,
        solved=solve_targets(
            by_year,
            inputs,
            target_equity_irr=settings.target_equity_irr,
            target_dscr=settings.target_dscr,
            table=table,
        ),
        exchange_rates=exchange_rate_paths(finance),
        reference=(
            None if reference is None else reference_metrics(table, inputs, reference)
        ),
    )


def _load_over_weather(values: np.ndarray, production: np.ndarray) -> np.ndarray:
    """An hourly load file of one year repeated over a multi-year weather series."""
    if len(values) == len(production):
        return values
    if len(values) and len(production) % len(values) == 0:
        return np.tile(values, len(production) // len(values))
    raise ScenarioError(
        f"finance.revenue.load.file: {len(values)} hourly values but the weather has "
        f"{len(production)} intervals; give one value per hour of the weather year"
    )


def revenue_factors(
    revenue: Any, hourly: pd.DataFrame, energy_by_year_kwh: np.ndarray
) -> RevenueFactors:
    """What the hourly profile of year 1 tells the annual cash flow.

    Parameters
    ----------
    revenue : revenue scheme of the scenario's finance section
        Only the guaranteed-purchase time-of-day table and the self-consumption
        load are read.
    hourly : pandas.DataFrame
        The simulation's hourly frame (``ac_energy_kwh``, tz-aware local index).
    energy_by_year_kwh : numpy.ndarray
        Delivered energy of operating years 1..N. [kWh]

    Returns
    -------
    factors : RevenueFactors
    """
    by_time_of_day = (
        isinstance(revenue, finance_model.GuaranteedPurchase) and revenue.time_of_day
    )
    if not by_time_of_day and not isinstance(revenue, finance_model.SelfConsumption):
        return RevenueFactors()  # the scheme reads nothing from the hourly profile
    production = hourly["ac_energy_kwh"].to_numpy(dtype=float)
    # the hour an interval belongs to is that of its midpoint, where the sun was
    # placed (labels are interval starts and need not fall on the hour)
    midpoints = time_index(hourly) + pd.Timedelta(minutes=30)
    hours = np.asarray(midpoints.hour)
    if by_time_of_day:
        return RevenueFactors(
            time_of_day_factor=time_of_day_factor(
                production, hours, revenue.time_of_day.by_hour()
            )
        )
    load = revenue.load
    years_of_weather = max(len(production) / HOURS_PER_YEAR, 1.0)
    if load.hourly_kwh is not None:
        values = _load_over_weather(
            np.asarray(load.hourly_kwh, dtype=float), production
        )
        if load.annual_consumption_kwh is not None and values.sum() > 0:
            values = (
                values * load.annual_consumption_kwh * years_of_weather / values.sum()
            )
    else:
        assert load.profile != "file"  # a file profile has hourly_kwh
        values = load_profile_kwh(
            hours,
            np.asarray(midpoints.day_of_week),
            profile=load.profile,
            annual_kwh=(load.annual_consumption_kwh or 0.0) * years_of_weather,
        )
    share, consumption = self_consumption_by_year(
        production,
        values,
        energy_by_year_kwh=energy_by_year_kwh,
        load_growth_rate=load.growth_rate,
    )
    return RevenueFactors(self_consumed_fraction=share, consumption_kwh=consumption)
