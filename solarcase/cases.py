"""Scenario keys to cash-flow cases: the bridge from "any numeric key" to the engine.

Sensitivity, Monte Carlo and breakeven move numeric scenario keys, named by dotted
path (``finance.inflation_rate``, ``finance.capex.equipment.per_kwp``,
``system.losses.soiling``), and need the metrics of many cases fast.
:class:`CaseEvaluator` gives them, for any set of keys, in as few passes of the
vectorised cash flow as the keys allow:

- ``energy_factor`` (a multiplier on the energy of every year), the degradation
  rate, the availability and the curtailment only change the energy per year: one
  yield simulation serves every case (:func:`~solarcase.pipeline.energy_by_year_kwh`
  takes arrays).
- Other ``system.*`` and ``site.*`` keys change the yield: each distinct value set is
  simulated once and cached.
- ``finance.*`` keys are translated by the scenario's own translator
  (:func:`~solarcase.scenario.to_finance.cash_flow_inputs`), never by a copy of it.
  Fast path: the values go in as numpy arrays of shape (n_cases,) through pydantic's
  ``model_copy(update=...)`` (which does not validate), and the translator, where it
  only does arithmetic, returns array-valued inputs for all cases in one call. That
  result is trusted only if it reproduces the scalar translation of sample cases (the
  first, the last and each key's smallest and largest value); otherwise, and when a
  key creates a section or changes a whole number of years, each distinct value set
  is translated on its own and the inputs are stacked
  (:func:`~solarcase.analysis.stacking.stack_inputs`), inputs of different
  structure (a loan tenor of 8 or 10 years) being evaluated apart.

Keys are looked up, described and set by :mod:`solarcase.scenario.keys`. Values
outside a key's valid range are caught by validating the scenario at each key's
extreme values (:meth:`CaseEvaluator.check_setting`). No file or network I/O.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from solarcase.analysis.stacking import case_of, same_inputs, stack_inputs, structure
from solarcase.energy import simulate as sim
from solarcase.errors import ScenarioError, SolarcaseError, SolarcaseWarning
from solarcase.finance.cashflow import CashFlowInputs, cash_flow
from solarcase.finance.hourly import RevenueFactors
from solarcase.finance.metrics import metrics, npv
from solarcase.pipeline import (
    HEADLINE_METRICS,
    ScenarioResult,
    energy_by_year_kwh,
    plant_sizes,
    revenue_factors,
    site_spec,
    system_spec,
)
from solarcase.scenario.keys import (
    LIFETIME_KEYS,
    KeyInfo,
    describe_key,
    set_unvalidated,
    validated,
)
from solarcase.scenario.models import Scenario
from solarcase.scenario.risk import ENERGY_FACTOR_KEY
from solarcase.scenario.to_finance import cash_flow_inputs
from solarcase.weather.frame import time_index

__all__ = [
    "CASE_METRICS",
    "HIGHER_IS_BETTER",
    "CaseEvaluator",
]

#: Metrics of every case, in this order: the energies, then the headline's
#: financial metrics (npv ... avg_dscr). [kWh, cur, fraction/year, cur/kWh, years, -]
CASE_METRICS: tuple[str, ...] = (
    "annual_energy_kwh",
    "lifetime_energy_kwh",
    *HEADLINE_METRICS[4:],
)
#: Metrics added when an NPV rate is given. [cur]
RATE_METRICS: tuple[str, ...] = ("project_npv_at_rate", "equity_npv_at_rate")
#: Whether more is better, per metric (where a draw without a value counts).
HIGHER_IS_BETTER: dict[str, bool] = {
    name: not (name.startswith("lcoe") or name.endswith("payback_years"))
    for name in CASE_METRICS
}
#: Finance keys that change what the hourly profile tells the cash flow.
_HOURLY_PREFIXES = ("finance.revenue.load.", "finance.revenue.time_of_day.")


@dataclass(slots=True)
class _System:
    """One simulated system: its scenario, yield and base finance inputs."""

    scenario: Scenario
    energy: sim.EnergyResult
    sizes: dict[str, float]
    factors: RevenueFactors
    inputs: CashFlowInputs
    first_year_kwh: np.ndarray


@dataclass(slots=True)
class CaseEvaluator:
    """Metrics of many cases of one scenario, each case setting some keys.

    Parameters
    ----------
    result : ScenarioResult
        The appraised base scenario (its yield simulation is reused).
    keys : sequence of str
        Every key the cases may set.
    weather : pandas.DataFrame, optional
        The checked weather; needed only for keys that change the yield simulation.
    npv_rate : float, optional
        Also give the project and equity NPV at this rate (``project_npv_at_rate``,
        ``equity_npv_at_rate``): zero where the IRR equals it. [fraction/year]
    """

    result: ScenarioResult
    keys: Sequence[str]
    weather: pd.DataFrame | None = None
    npv_rate: float | None = None
    infos: dict[str, KeyInfo] = field(init=False)
    translations: dict[str, int] = field(init=False)
    _systems: dict[tuple[float, ...], _System] = field(init=False)
    _positions: dict[sim.SiteSpec, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        scenario = self.result.scenario
        self.infos = {k: describe_key(scenario, k) for k in dict.fromkeys(self.keys)}
        simulated = [i.key for i in self.infos.values() if i.kind == "simulation"]
        if simulated and self.weather is None:
            raise ScenarioError(
                f"{', '.join(simulated)}: changes the yield simulation, which needs "
                "the weather; run it through the command line (solarcase "
                "sensitivity / risk / breakeven)"
            )
        self.translations = {"array": 0, "per_value": 0, "simulations": 0}
        self._positions = {}
        base = self.result
        self._systems = {
            (): _System(
                scenario,
                base.energy,
                plant_sizes(base.energy),
                base.revenue_factors,
                base.finance_inputs,
                base.energy_by_year_kwh,
            )
        }

    @property
    def n_years(self) -> int:
        """Operating years N."""
        return self.result.scenario.finance.analysis_years

    def evaluate(
        self,
        values: Mapping[str, np.ndarray],
        energy_factors: np.ndarray | None = None,
    ) -> dict[str, np.ndarray]:
        """Metrics of every case.

        Parameters
        ----------
        values : mapping of str to numpy.ndarray
            Key -> value in each case, shape (n_cases,); NaN keeps the scenario's
            value (or leaves an unset key unset).
        energy_factors : numpy.ndarray, optional
            Multiplier of each case's energy in each operating year, shape
            (n_cases, N). [-]

        Returns
        -------
        metrics : dict of str to numpy.ndarray
            :data:`CASE_METRICS`, each of shape (n_cases,).
        """
        arrays = self._columns(values)
        n = _count(arrays, energy_factors)
        names = CASE_METRICS + (RATE_METRICS if self.npv_rate is not None else ())
        out = {name: np.full(n, np.nan) for name in names}
        with warnings.catch_warnings():
            # the base run has already warned about the same scenario
            warnings.simplefilter("ignore", SolarcaseWarning)
            for rows, energy, inputs in self._passes(arrays, n, energy_factors):
                _fill(out, rows, energy, inputs, self.npv_rate)
        return out

    def cases(
        self,
        values: Mapping[str, np.ndarray],
        energy_factors: np.ndarray | None = None,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, CashFlowInputs]]:
        """The cash-flow passes :meth:`evaluate` makes: for each group of cases of
        one yield simulation and one input structure, (case indices, energy of
        operating years 1..N of shape (k, N) [kWh], their multi-case inputs)."""
        arrays = self._columns(values)
        yield from self._passes(arrays, _count(arrays, energy_factors), energy_factors)

    def _passes(
        self,
        arrays: dict[str, np.ndarray],
        n: int,
        energy_factors: np.ndarray | None,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, CashFlowInputs]]:
        """:meth:`cases` of checked value columns for ``n`` cases."""
        for system, rows in self._by_system(arrays, n):
            energy = self._energy(system, arrays, rows, energy_factors)
            for inputs, cases in self._finance(system, arrays, rows):
                yield rows[cases], energy[cases], inputs

    # -- value columns -------------------------------------------------------------

    def _columns(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        unknown = set(values) - set(self.infos)
        if unknown:
            raise ValueError(f"evaluate: keys {sorted(unknown)} were not declared")
        arrays = {}
        for key, column in values.items():
            array = np.asarray(column, dtype=float).reshape(-1)
            info = self.infos[key]
            if info.base is not None:
                array = np.where(np.isnan(array), info.base, array)
            if info.is_int and not np.all(np.isnan(array) | (array == np.round(array))):
                bad = array[~np.isnan(array) & (array != np.round(array))][0]
                raise ScenarioError(
                    f"{key}: must be a whole number, got {bad:g}; use values such "
                    "as 8 or 10 (a discrete distribution for Monte Carlo)"
                )
            arrays[key] = array
        return arrays

    def check_setting(self, setting: Mapping[str, float], *, where: str) -> None:
        """Validate the scenario with the keys of ``setting`` at their values (one
        case, e.g. a swing's low side, or one key at its smallest draw); raise a
        ScenarioError naming ``where`` if a value is invalid."""
        chosen: dict[str, Any] = {}
        for key, value in setting.items():
            if math.isnan(value):
                continue
            if key == ENERGY_FACTOR_KEY:
                if value < 0:
                    raise ScenarioError(f"{where}: {key}: must be >= 0, got {value:g}")
                continue
            chosen[key] = int(round(value)) if self.infos[key].is_int else float(value)
        if chosen:
            validated(self.result.scenario, chosen, where=where)

    # -- yield ---------------------------------------------------------------------

    def _by_system(
        self, arrays: dict[str, np.ndarray], n: int
    ) -> Iterable[tuple[_System, np.ndarray]]:
        keys = [k for k, i in self.infos.items() if i.kind == "simulation"]
        keys = [k for k in keys if k in arrays]
        if not keys:
            yield self._systems[()], np.arange(n)
            return
        matrix = np.column_stack([arrays[k] for k in keys])
        unique, inverse = np.unique(
            np.nan_to_num(matrix, nan=np.inf), axis=0, return_inverse=True
        )
        # rows at the scenario's own values (inf where a key is unset, as in
        # ``unique``) are the base simulation
        base = tuple(
            math.inf if self.infos[k].base is None else self.infos[k].base for k in keys
        )
        for number, row in enumerate(unique):
            setting = tuple(float(v) for v in row)
            if setting == base:
                setting = ()
            elif setting not in self._systems:
                self._systems[setting] = self._simulate(
                    dict(zip(keys, row, strict=True))
                )
            yield self._systems[setting], np.flatnonzero(inverse.reshape(-1) == number)

    def _simulate(self, setting: Mapping[str, float]) -> _System:
        chosen = {
            k: (int(v) if self.infos[k].is_int else float(v))
            for k, v in setting.items()
            if np.isfinite(v)
        }
        scenario = validated(self.result.scenario, chosen, where="varied system")
        assert self.weather is not None
        site = site_spec(scenario)
        if site not in self._positions:
            index = time_index(self.weather)
            self._positions[site] = sim.solar_position(index, site)
        energy = sim.simulate(
            self.weather,
            site=site,
            system=system_spec(scenario),
            solar_position=self._positions[site],
        )
        self.translations["simulations"] += 1
        first = energy_by_year_kwh(scenario, energy)[0]
        sizes = plant_sizes(energy)
        factors = revenue_factors(scenario.finance.revenue, energy.hourly, first)
        inputs = cash_flow_inputs(scenario.finance, **sizes, revenue_factors=factors)
        return _System(scenario, energy, sizes, factors, inputs, first)

    def _energy(
        self,
        system: _System,
        arrays: dict[str, np.ndarray],
        rows: np.ndarray,
        energy_factors: np.ndarray | None,
    ) -> np.ndarray:
        """Energy of operating years 1..N of the cases ``rows``, (len(rows), N)."""
        varied = {
            LIFETIME_KEYS[key]: column[rows]
            for key, column in arrays.items()
            if key in LIFETIME_KEYS
        }
        by_year = energy_by_year_kwh(system.scenario, system.energy, **varied)
        by_year = np.broadcast_to(by_year, (len(rows), by_year.shape[1]))
        factor = arrays.get(ENERGY_FACTOR_KEY)
        if factor is not None:
            by_year = by_year * factor[rows, np.newaxis]
        if energy_factors is not None:
            by_year = by_year * np.asarray(energy_factors)[rows]
        return np.asarray(by_year, dtype=float)

    # -- finance -------------------------------------------------------------------

    def _finance(
        self, system: _System, arrays: dict[str, np.ndarray], rows: np.ndarray
    ) -> Iterable[tuple[CashFlowInputs, np.ndarray]]:
        """(inputs, positions within ``rows``) for every structure of the cases."""
        keys = [k for k in arrays if self.infos[k].kind == "finance"]
        if not keys:
            yield system.inputs, np.arange(len(rows))
            return
        columns = {k: arrays[k][rows] for k in keys}
        fast = self._array_translation(system, columns, len(rows))
        if fast is not None:
            yield fast, np.arange(len(rows))
            return
        matrix = np.column_stack([columns[k] for k in keys])
        unique, inverse = np.unique(
            np.nan_to_num(matrix, nan=np.inf), axis=0, return_inverse=True
        )
        translated = [
            self._translate(system, dict(zip(keys, row, strict=True))) for row in unique
        ]
        inverse = inverse.reshape(-1)
        plain = not any(
            self.infos[k].is_int or not self.infos[k].settable for k in keys
        )
        ends = {structure(translated[0]), structure(translated[-1])}
        if plain and len(ends) == 1:
            # real values of existing keys do not change the structure (terms,
            # modes, which sections exist): one group, no signature per case
            stacked = stack_inputs([translated[i] for i in inverse], check=False)
            yield stacked, np.arange(len(rows))
            return
        shapes = [structure(inputs) for inputs in translated]
        for shape in dict.fromkeys(shapes):
            members = np.array([s == shape for s in shapes])
            positions = np.flatnonzero(members[inverse])
            stacked = stack_inputs(
                [translated[i] for i in inverse[positions]], check=False
            )
            yield stacked, positions

    def _translate(
        self, system: _System, setting: Mapping[str, float]
    ) -> CashFlowInputs:
        """Inputs of one case: its keys set, translated by the scenario's translator."""
        self.translations["per_value"] += 1
        chosen = {
            k: (int(v) if self.infos[k].is_int else float(v))
            for k, v in setting.items()
            if np.isfinite(v)
        }
        if all(self.infos[k].settable for k in chosen):
            updates = [(self.infos[k].parts[1:], v) for k, v in chosen.items()]
            finance = set_unvalidated(system.scenario.finance, updates)
        else:
            scenario = validated(system.scenario, chosen, where="varied finance")
            finance = scenario.finance
        factors = system.factors
        if any(k.startswith(_HOURLY_PREFIXES) for k in chosen):
            factors = revenue_factors(
                finance.revenue, system.energy.hourly, system.first_year_kwh
            )
        return cash_flow_inputs(finance, **system.sizes, revenue_factors=factors)

    def _array_translation(
        self, system: _System, columns: dict[str, np.ndarray], n: int
    ) -> CashFlowInputs | None:
        """All cases in one translation with array values, if the translator is
        array-transparent for these keys (checked on sample cases); else None."""
        infos = [self.infos[k] for k in columns]
        if n < 2 or any(
            not i.settable or i.is_int or i.key.startswith(_HOURLY_PREFIXES)
            for i in infos
        ):
            return None
        updates = [(self.infos[k].parts[1:], v) for k, v in columns.items()]
        try:
            finance = set_unvalidated(system.scenario.finance, updates)
            inputs = cash_flow_inputs(
                finance, **system.sizes, revenue_factors=system.factors
            )
        except (TypeError, ValueError, SolarcaseError):
            # the translator branches on a value somewhere ("x or 0", "if x > 0",
            # float(x)): not array-transparent for these keys
            return None
        samples = {0, n - 1}
        for column in columns.values():
            samples |= {int(np.argmin(column)), int(np.argmax(column))}
        for case in sorted(samples):
            one = self._translate(system, {k: c[case] for k, c in columns.items()})
            if not same_inputs(case_of(inputs, case, n), one):
                return None
        self.translations["array"] += 1
        return inputs


def _count(arrays: Mapping[str, np.ndarray], energy_factors: np.ndarray | None) -> int:
    sizes = {len(a) for a in arrays.values()}
    if energy_factors is not None:
        sizes.add(np.shape(energy_factors)[0])
    if len(sizes) > 1:
        raise ValueError(f"evaluate: value arrays of different lengths {sizes}")
    return sizes.pop() if sizes else 1


def _fill(
    out: dict[str, np.ndarray],
    cases: np.ndarray,
    energy: np.ndarray,
    inputs: CashFlowInputs,
    npv_rate: float | None,
) -> None:
    """Run the cash flow and metrics of some cases and write them into ``out``."""
    table = cash_flow(energy, inputs)
    found = metrics(table, inputs)
    out["annual_energy_kwh"][cases] = energy[:, 0]
    out["lifetime_energy_kwh"][cases] = energy.sum(axis=1)
    for name in CASE_METRICS[2:]:
        out[name][cases] = np.broadcast_to(getattr(found, name), (len(cases),))
    if npv_rate is not None:
        out["project_npv_at_rate"][cases] = npv(
            table.project_fcf, discount_rate=npv_rate
        )
        out["equity_npv_at_rate"][cases] = npv(table.equity_fcf, discount_rate=npv_rate)
