"""Monte Carlo risk of one scenario: P-values of energy, NPV, IRR, LCOE and DSCR.

:func:`run_risk` reads the scenario's ``risk`` section, maps each variable's draws to
the scenario keys it moves (as the value, a factor or a shift), runs
:func:`~solarcase.analysis.montecarlo.run_monte_carlo` with the yield uncertainty
(a model/data factor per draw, a weather factor per operating year) on the base
scenario's single yield simulation, and summarises the draws. Where the weather is a
multi-year series, :func:`weather_years` simulates every year of it and the P-values
are built from those years as well (single-year energy from the empirical
distribution; the Monte Carlo again with each operating year drawn from the
simulated years).

**Px is the value exceeded with probability x** (P90 energy is the low case), as in
the PV industry; for a cost (LCOE) the P90 is therefore the low value.

No file or network I/O; randomness only from a generator seeded with the given seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from solarcase.analysis import distributions as dist
from solarcase.analysis.montecarlo import (
    DEFAULT_PX,
    Evaluate,
    MonteCarloSpec,
    Variable,
    exceedance_value,
    p_values,
    probability_below,
    run_monte_carlo,
)
from solarcase.cases import HIGHER_IS_BETTER, CaseEvaluator
from solarcase.energy import simulate as sim
from solarcase.errors import ScenarioError
from solarcase.pipeline import ScenarioResult, energy_by_year_kwh
from solarcase.scenario import risk as model
from solarcase.scenario.keys import applied, describe_key
from solarcase.scenario.models import Scenario
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.years import split_years

__all__ = [
    "PX_NOTE",
    "RISK_METRICS",
    "RiskResult",
    "WeatherYears",
    "choose_px",
    "run_risk",
    "weather_years",
]

#: Metrics summarised by P-values, in this order.
RISK_METRICS: tuple[str, ...] = (
    "annual_energy_kwh",
    "lifetime_energy_kwh",
    "npv",
    "equity_npv",
    "project_irr",
    "equity_irr",
    "lcoe_real_per_kwh",
    "lcoe_nominal_per_kwh",
    "min_dscr",
)
#: The convention, stated in every output.
PX_NOTE = (
    "Px is the value exceeded with probability x (P90 energy is the low case), as in "
    "the PV industry; for the LCOE, a cost, the P90 is the low value"
)


@dataclass(frozen=True, slots=True)
class WeatherYears:
    """Every year of a multi-year weather series, simulated."""

    years: tuple[int, ...]
    """Calendar years simulated."""
    energy_kwh: np.ndarray
    """Energy delivered in operating year 1 with each year's weather. [kWh]"""
    ratios: np.ndarray
    """Each year's energy over their mean. [-]"""
    summary: pd.DataFrame
    """Index ``empirical``/``normal``: Px of single-year energy from the years'
    distribution (order statistics) and from a normal fit (mean - z sd). [kWh]"""
    risk: RiskSummary | None
    """The Monte Carlo again, each operating year drawing its weather from these
    years (with replacement)."""


@dataclass(frozen=True, slots=True)
class RiskSummary:
    """The P-values and probabilities of one set of draws."""

    draws: pd.DataFrame
    """One row per draw: the variables, the energy factors and the metrics."""
    summary: pd.DataFrame
    """Px, mean, sd and share without a value of each of :data:`RISK_METRICS`."""
    probability_npv_negative: float
    """Share of draws with NPV < 0. [fraction]"""
    probability_dscr_breach: float
    """Share of draws whose lowest DSCR is below the covenant; NaN without debt.
    [fraction]"""


@dataclass(frozen=True, slots=True)
class RiskResult:
    """A Monte Carlo run and what it needs to be reported."""

    main: RiskSummary
    """Draws and P-values with the scenario's yield uncertainty."""
    weather_years: WeatherYears | None
    """Per-year simulation of a multi-year series, when there is one."""
    px: tuple[float, ...]
    """Exceedance probabilities shown, in percent, descending."""
    n_draws: int
    """Number of draws."""
    seed: int
    """Seed of the generator."""
    covenant: float
    """DSCR covenant. [-]"""
    risk: model.Risk
    """The risk section used."""
    currency: str
    """Model currency (ISO 4217)."""
    deterministic: Mapping[str, float | None]
    """The metrics of the scenario without uncertainty (``run``)."""
    translations: Mapping[str, int]
    """How the cases were computed."""
    notes: tuple[str, ...]
    """Conventions and caveats."""


def choose_px(
    risk: model.Risk | None, extra: Sequence[float] = ()
) -> tuple[float, ...]:
    """P90, P50, P10, the scenario's ``risk.px`` and any asked for, descending."""
    chosen = set(DEFAULT_PX) | set(risk.px if risk else ()) | set(extra)
    for x in chosen:
        if not 0 < x < 100:
            raise ScenarioError(
                f"--px {x:g}: must lie strictly between 0 and 100 (P90: --px 90)"
            )
    return tuple(sorted(chosen, reverse=True))


def core_distribution(item: model.Distribution) -> dist.Distribution:
    """The analysis distribution of a scenario distribution."""
    if isinstance(item, model.NormalDist):
        return dist.Normal(item.mean, item.sd, item.min, item.max)
    if isinstance(item, model.LogNormalDist):
        return dist.LogNormal(item.mean, item.sd, item.min, item.max)
    if isinstance(item, model.TriangularDist):
        return dist.Triangular(item.low, item.mode, item.high)
    if isinstance(item, model.UniformDist):
        return dist.Uniform(item.low, item.high)
    if item.probabilities is None:
        return dist.Discrete.equally_likely(item.values)
    return dist.Discrete(tuple(item.values), tuple(item.probabilities))


def _correlation(risk: model.Risk) -> np.ndarray | None:
    if not risk.correlations:
        return None
    names = list(risk.variables)
    matrix = np.eye(len(names))
    for first, second, rho in risk.correlations:
        i, j = names.index(first), names.index(second)
        matrix[i, j] = matrix[j, i] = rho
    return matrix


def _check_keys(scenario: Scenario, risk: model.Risk) -> None:
    """Every variable's keys exist and are numbers; errors name the variable."""
    for name, variable in risk.variables.items():
        for key in variable.keys:
            try:
                describe_key(scenario, key)
            except ScenarioError as err:
                raise ScenarioError(f"risk.variables.{name}.keys: {err}") from err


def check_risk(scenario: Scenario) -> None:
    """Check the ``risk`` section against the scenario without running anything:
    every variable's keys exist, are numbers, and belong to one variable only.

    Raises
    ------
    ScenarioError
        Naming the variable and key.
    """
    if scenario.risk is None:
        return
    _check_keys(scenario, scenario.risk)
    _key_owners(scenario.risk)


def _key_owners(risk: model.Risk) -> dict[str, str]:
    owners: dict[str, str] = {}
    for name, variable in risk.variables.items():
        for key in variable.keys:
            if key in owners:
                raise ScenarioError(
                    f"risk.variables: {key} is moved by both {owners[key]} and "
                    f"{name}; let one variable move it (or correlate the two)"
                )
            owners[key] = name
    return owners


def _evaluate_draws(evaluator: CaseEvaluator, risk: model.Risk) -> Evaluate:
    """The Monte Carlo's evaluation function: variable draws -> key values."""
    owners = _key_owners(risk)

    def evaluate(
        values: Mapping[str, np.ndarray], factors: np.ndarray
    ) -> Mapping[str, np.ndarray]:
        cases: dict[str, np.ndarray] = {}
        for key, name in owners.items():
            apply = risk.variables[name].apply
            try:
                cases[key] = applied(evaluator.infos[key], apply, values[name])
            except ScenarioError as err:
                raise ScenarioError(f"risk.variables.{name}: {err}") from err
            evaluator.check_setting(
                {key: float(np.min(cases[key]))}, where=f"risk.variables.{name} draw"
            )
            evaluator.check_setting(
                {key: float(np.max(cases[key]))}, where=f"risk.variables.{name} draw"
            )
        return evaluator.evaluate(cases, factors)

    return evaluate


def _summarise(
    draws: pd.DataFrame, px: Sequence[float], covenant: float
) -> RiskSummary:
    dscr = draws["min_dscr"].to_numpy()
    return RiskSummary(
        draws=draws,
        summary=p_values(draws, RISK_METRICS, px=px, higher_is_better=HIGHER_IS_BETTER),
        probability_npv_negative=probability_below(draws["npv"].to_numpy(), 0.0),
        probability_dscr_breach=probability_below(dscr, covenant),
    )


def run_risk(
    result: ScenarioResult,
    *,
    n_draws: int | None = None,
    seed: int | None = None,
    px: Sequence[float] = (),
    weather: pd.DataFrame | None = None,
    weather_meta: WeatherMeta | None = None,
) -> RiskResult:
    """Monte Carlo of the scenario's ``risk`` section.

    Parameters
    ----------
    result : ScenarioResult
        The appraised scenario; its yield simulation is reused.
    n_draws, seed : int, optional
        Override ``risk.draws`` and ``risk.seed``.
    px : sequence of float
        Further exceedance probabilities to show, in percent.
    weather, weather_meta : optional
        The checked weather and its metadata: needed for keys that change the yield
        simulation and for the weather-year mode of a multi-year series.

    Returns
    -------
    result : RiskResult

    Raises
    ------
    ScenarioError
        No ``risk`` section, an unknown key, a draw that a key rejects, or
        contradictory correlations.
    """
    scenario = result.scenario
    risk = scenario.risk if scenario.risk is not None else model.Risk()
    n = risk.draws if n_draws is None else n_draws
    chosen_seed = risk.seed if seed is None else seed
    chosen_px = choose_px(risk, px)
    check_risk(scenario)
    evaluator = CaseEvaluator(result, list(_key_owners(risk)), weather=weather)
    covenant = (
        risk.dscr_covenant
        if risk.dscr_covenant is not None
        else scenario.finance.targets.min_dscr
    )
    spec = MonteCarloSpec(
        variables=tuple(
            Variable(name, core_distribution(v.distribution))
            for name, v in risk.variables.items()
        ),
        rank_correlation=_correlation(risk),
        model_sd=risk.energy.model_uncertainty,
        interannual_sd=risk.energy.interannual_variability,
    )
    evaluate = _evaluate_draws(evaluator, risk)
    draws = run_monte_carlo(
        evaluate,
        spec,
        n_draws=n,
        n_years=evaluator.n_years,
        rng=np.random.default_rng(chosen_seed),
    )
    years = None
    if weather is not None and weather_meta is not None:
        if risk.energy.weather_years == "auto":
            years = weather_years(
                result,
                weather,
                weather_meta,
                evaluate=evaluate,
                spec=spec,
                n_draws=n,
                seed=chosen_seed,
                px=chosen_px,
                covenant=covenant,
            )
    return RiskResult(
        main=_summarise(draws, chosen_px, covenant),
        weather_years=years,
        px=chosen_px,
        n_draws=n,
        seed=chosen_seed,
        covenant=covenant,
        risk=risk,
        currency=result.currency,
        deterministic=_deterministic(result),
        translations=dict(evaluator.translations),
        notes=_notes(result, risk, years),
    )


def _deterministic(result: ScenarioResult) -> dict[str, float | None]:
    """The metrics of ``run`` (no uncertainty), with the lifetime energy."""
    values = dict(result.headline())
    values["lifetime_energy_kwh"] = float(np.sum(result.energy_by_year_kwh))
    return values


def _notes(
    result: ScenarioResult, risk: model.Risk, years: WeatherYears | None
) -> tuple[str, ...]:
    notes = [PX_NOTE]
    energy = risk.energy
    notes.append(
        f"yield: model/data factor sd {energy.model_uncertainty:.1%} (one per draw), "
        f"weather factor sd {energy.interannual_variability:.1%} (one per operating "
        "year, independent)"
    )
    if result.scenario.finance.revenue.scheme == "self_consumption":
        notes.append(
            "self-consumed shares come from the base simulation's hourly profile; "
            "energy factors scale the energy, not the shares"
        )
    if years is not None:
        notes.append(
            f"weather years {years.years[0]}-{years.years[-1]} ({len(years.years)} "
            "years) simulated one by one; their P-values are shown apart"
        )
    if result.weather_meta.is_synthetic:
        notes.append(
            "the weather is SYNTHETIC: the model/data uncertainty should be wide"
        )
    return tuple(notes)


def weather_years(
    result: ScenarioResult,
    weather: pd.DataFrame,
    meta: WeatherMeta,
    *,
    evaluate: Evaluate | None = None,
    spec: MonteCarloSpec | None = None,
    n_draws: int = 0,
    seed: int = 0,
    px: Sequence[float] = DEFAULT_PX,
    covenant: float = 1.0,
) -> WeatherYears | None:
    """Simulate every whole year of a multi-year series; None for a typical year
    or fewer than two whole years.

    Parameters
    ----------
    result : ScenarioResult
        The appraised scenario (its site and system are simulated on each year).
    weather, meta : pandas.DataFrame, WeatherMeta
        The checked multi-year series.
    evaluate, spec, n_draws, seed, px, covenant : optional
        With ``evaluate`` and ``spec``: also run the Monte Carlo with every
        operating year's weather factor drawn from the simulated years.

    Notes
    -----
    A year's energy is its AC energy after availability and curtailment (the first
    operating year, before degradation). Empirical Px is the (100 - x)th percentile
    of the years' energies (linear interpolation between order statistics); the
    normal fit is mean + z_(1-x) sd with the sample sd (n - 1).
    """
    if meta.is_typical_year:
        return None
    split = split_years(weather, meta)
    if len(split) < 2:
        return None
    simulated = [
        sim.simulate(frame, site=result.site, system=result.system)
        for _, frame, _ in split
    ]
    annual = np.array([one.annual_ac_energy_kwh for one in simulated])
    # the first operating year: after availability and curtailment, before
    # degradation
    energy = np.array(
        [energy_by_year_kwh(result.scenario, one)[0, 0] for one in simulated]
    )
    ratios = annual / annual.mean()
    sd = float(energy.std(ddof=1))
    rows = {
        "empirical": {f"P{x:g}": exceedance_value(energy, x / 100.0) for x in px},
        "normal": {
            f"P{x:g}": float(energy.mean() + float(ndtri(1 - x / 100.0)) * sd)
            for x in px
        },
    }
    summary = pd.DataFrame.from_dict(rows, orient="index")
    summary["mean"] = float(energy.mean())
    summary["sd"] = sd
    risk = None
    if evaluate is not None and spec is not None and n_draws > 0:
        bootstrap = MonteCarloSpec(
            variables=spec.variables,
            rank_correlation=spec.rank_correlation,
            model_sd=spec.model_sd,
            year_ratios=ratios,
        )
        draws = run_monte_carlo(
            evaluate,
            bootstrap,
            n_draws=n_draws,
            n_years=result.scenario.finance.analysis_years,
            rng=np.random.default_rng(seed),
        )
        risk = _summarise(draws, px, covenant)
    return WeatherYears(
        years=tuple(year for year, _, _ in split),
        energy_kwh=energy,
        ratios=ratios,
        summary=summary,
        risk=risk,
    )
