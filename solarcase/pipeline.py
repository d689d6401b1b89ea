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
from solarcase.finance.cashflow import CashFlowInputs, CashFlowTable, cash_flow
from solarcase.finance.metrics import FinancialMetrics, metrics
from solarcase.scenario import models
from solarcase.scenario.to_finance import capex_breakdown, cash_flow_inputs
from solarcase.weather.frame import WeatherMeta

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

    @property
    def currency(self) -> str:
        """Model currency, ISO 4217."""
        return self.scenario.finance.currency

    @property
    def notes(self) -> tuple[str, ...]:
        """Caveats: metrics that do not exist, synthetic weather, repairs."""
        notes = list(self.metrics.notes[0])
        if self.weather_meta.is_synthetic:
            notes.append(
                "weather is SYNTHETIC (generated from monthly climate normals); "
                "use measured or satellite data for a bankable study"
            )
        notes.extend(f"weather repair: {r}" for r in self.weather_meta.repairs)
        return tuple(notes)

    def headline(self) -> dict[str, float | None]:
        """The result contract's ``metrics``: fractions for ratios, None if n/a."""
        m = self.metrics
        values: dict[str, Any] = {
            "annual_energy_kwh": self.energy_by_year_kwh[0],
            "specific_yield_kwh_per_kwp": self.energy.specific_yield_kwh_per_kwp,
            "performance_ratio": self.energy.performance_ratio,
            "capacity_factor": self.energy.capacity_factor,
        }
        for name in HEADLINE_METRICS[4:]:
            values[name] = getattr(m, name)[0]
        return {name: _finite_or_none(values[name]) for name in HEADLINE_METRICS}


def _finite_or_none(value: Any) -> float | None:
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
        mount=_mount(system.mount),
        module=_module(system.module),
        inverter=_inverter(system.inverter),
        losses=_losses(system.losses),
        albedo=scenario.site.albedo,
        transposition_model=system.transposition_model,
    )


def _mount(mount: models.FixedMount | models.SingleAxisMount) -> Any:
    if isinstance(mount, models.FixedMount):
        return sim.FixedMount(
            surface_tilt=mount.surface_tilt,
            surface_azimuth=mount.surface_azimuth,
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


def _module(module: models.PvwattsModule | models.CecModule) -> Any:
    if isinstance(module, models.PvwattsModule):
        return sim.PvwattsModule(
            module_type=module.module_type, gamma_pdc=module.gamma_pdc
        )
    return sim.CecModule(name=module.name)


def _inverter(inverter: models.PvwattsInverter | models.CecInverter) -> Any:
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
    degradation = scenario.system.degradation
    by_year = lifetime_energy_kwh(
        energy.annual_ac_energy_kwh,
        n_years=finance.analysis_years,
        degradation_rate=degradation.rate,
        degradation_mode=degradation.mode,
        availability=system.losses.availability,
    )
    sizes = {
        "dc_capacity_kwp": energy.layout.dc_capacity_kwp,
        "ac_capacity_kw": energy.layout.ac_capacity_kw,
    }
    inputs = cash_flow_inputs(finance, **sizes)
    table = cash_flow(by_year, inputs)
    return ScenarioResult(
        scenario=scenario,
        weather_meta=weather_meta,
        site=site,
        system=system,
        energy=energy,
        energy_by_year_kwh=by_year[0],
        capex_items=capex_breakdown(finance, **sizes),
        finance_inputs=inputs,
        cashflow=table,
        metrics=metrics(table, inputs),
    )
