"""Compare scenarios side by side: what differs in the inputs, what it does to outputs.

:func:`run_many` loads and appraises several scenario files, simulating each distinct
(weather, site, system) only once; :func:`input_diff` lists every resolved input key
whose value differs between them; :func:`metric_deltas` gives the absolute and
relative change of each headline metric against the first (reference) scenario.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from solarcase.energy import simulate as sim
from solarcase.errors import ScenarioError
from solarcase.finance.metrics import payback_years
from solarcase.finance.rates import discount_factors
from solarcase.finance.reference import reference_metrics
from solarcase.pipeline import (
    HEADLINE_METRICS,
    ScenarioResult,
    finite_or_none,
    run_scenario,
    site_spec,
    system_spec,
)
from solarcase.report.assumptions import display_path
from solarcase.scenario.load import ResolvedScenario, located, resolve_scenario
from solarcase.scenario.to_finance import reference_currency
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.site import load_site_weather

#: Keys that label a scenario rather than describe it; they head the columns.
LABEL_KEYS = frozenset({"name", "description"})


@dataclass(frozen=True, slots=True)
class Compared:
    """One scenario of a comparison: where it came from and what it gave."""

    label: str
    """Column header: the scenario's name (made unique)."""
    path: Path
    """Scenario file."""
    overrides: tuple[str, ...]
    """``--set`` overrides applied to it."""
    resolved: ResolvedScenario
    """Merged inputs and their origins."""
    result: ScenarioResult
    """The appraisal."""
    metrics: dict[str, float | None]
    """Compared metrics (:data:`COMPARED_METRICS`) in the comparison's currency."""
    rates: str | None
    """How this scenario's money was converted, or None when it was not."""
    cumulative_real: np.ndarray
    """Cumulative project cash flow in year-0 money of the comparison's currency,
    years 0..N. [cur]"""


#: Metrics compared side by side: the result contract, then real IRRs and LLCR.
COMPARED_METRICS: tuple[str, ...] = (
    *HEADLINE_METRICS,
    "project_irr_real",
    "equity_irr_real",
    "llcr",
)


@dataclass(slots=True)
class _SimulationCache:
    """Weather per site source and energy per (weather, site, system), reused."""

    weather: dict[str, tuple[pd.DataFrame, WeatherMeta]] = field(default_factory=dict)
    energy: dict[tuple[Any, ...], sim.EnergyResult] = field(default_factory=dict)
    simulations: int = 0


@dataclass(frozen=True, slots=True)
class Comparison:
    """The scenarios of a comparison, the first being the reference."""

    items: tuple[Compared, ...]
    """Each scenario and its result, in the order given."""
    simulations: int
    """How many yield simulations ran (identical systems on one weather run once)."""
    currency: str
    """Currency of every money metric in :attr:`Compared.metrics`."""


def run_many(
    items: Sequence[tuple[Path, Sequence[str]]], *, currency: str | None = None
) -> Comparison:
    """Load and appraise each (scenario file, overrides) pair.

    All files are loaded and validated first, so one broken file among several fails
    before anything runs, with a message naming it. Identical technical systems on
    the same weather are simulated once.

    With ``currency``, money metrics of scenarios in another currency are
    converted with their own exchange-rate path (``finance.exchange_rates``); without
    it, all scenarios must share one currency.

    Raises
    ------
    SolarcaseError
        From the first file that cannot be loaded or run; the message names it.
    """
    resolved = [resolve_scenario(path, overrides=list(sets)) for path, sets in items]
    cache = _SimulationCache()
    compared = []
    labels = _unique_labels([r.scenario.name for r in resolved], items)
    target = currency or _common_currency(items, resolved)
    for (path, sets), res, label in zip(items, resolved, labels, strict=True):
        result = _run_cached(res, cache, where=str(path))
        metrics, rates, cumulative = metrics_in(result, target, where=str(path))
        compared.append(
            Compared(label, path, tuple(sets), res, result, metrics, rates, cumulative)
        )
    return Comparison(tuple(compared), cache.simulations, target)


def _common_currency(
    items: Sequence[tuple[Path, Sequence[str]]], resolved: Sequence[ResolvedScenario]
) -> str:
    currencies = {r.scenario.finance.currency for r in resolved}
    if len(currencies) > 1:
        listing = ", ".join(
            f"{path} in {r.scenario.finance.currency}"
            for (path, _), r in zip(items, resolved, strict=True)
        )
        raise ScenarioError(
            f"compare: the scenarios are in different currencies ({listing}); name "
            "the currency to compare in with --currency (each scenario converts "
            "with its finance.exchange_rates)"
        )
    return currencies.pop()


def metrics_in(
    result: ScenarioResult, currency: str, *, where: str
) -> tuple[dict[str, float | None], str | None, np.ndarray]:
    """The compared metrics of one result in ``currency``, the rates used, and the
    cumulative real project cash flow in that currency.

    In the model currency these are the result's own metrics. In another, each
    year's flow converts at that year's rate of ``finance.exchange_rates`` and is
    discounted at the same real rate (as a scenario's own reference currency);
    energy, DSCR and LLCR do not depend on the currency.
    """
    own = result.headline()
    metrics = {name: own.get(name) for name in COMPARED_METRICS}
    if currency == result.currency:
        return metrics, None, np.cumsum(result.project_fcf_real)
    finance = result.scenario.finance
    if currency not in finance.exchange_rates:
        raise ScenarioError(
            f"{where}: finance.exchange_rates: no rate path for {currency}, needed "
            f"to compare in {currency}; add finance.exchange_rates.{currency} "
            "(start_rate and escalation_rate) or compare in "
            f"{result.currency}"
        )
    reference = reference_currency(
        finance.model_copy(update={"reference_currency": currency})
    )
    assert reference is not None
    ref = reference_metrics(result.cashflow, result.finance_inputs, reference)
    n_years = ref.project_fcf.shape[1] - 1
    discounted = ref.project_fcf * discount_factors(
        ref.discount_rate_nominal, n_years=n_years
    )
    converted = {
        "npv": ref.npv,
        "equity_npv": ref.equity_npv,
        "project_irr": ref.project_irr,
        "equity_irr": ref.equity_irr,
        "project_irr_real": ref.project_irr_real,
        "equity_irr_real": ref.equity_irr_real,
        "lcoe_real_per_kwh": ref.lcoe_real_per_kwh,
        "lcoe_nominal_per_kwh": ref.lcoe_nominal_per_kwh,
        "simple_payback_years": payback_years(ref.project_fcf),
        "discounted_payback_years": payback_years(discounted),
    }
    for name, values in converted.items():
        metrics[name] = finite_or_none(values[0])
    fx = ref.fx[0]
    rates = (
        f"{result.currency} per {currency}: {_rate_text(fx[0])} in year 0 to "
        f"{_rate_text(fx[-1])} in year {n_years} (finance.exchange_rates."
        f"{currency}); discounted at {ref.discount_rate_nominal[0]:.1%} nominal "
        f"in {currency}"
    )
    return metrics, rates, np.cumsum(ref.project_fcf_real, axis=1)[0]


def _unique_labels(
    names: list[str], items: Sequence[tuple[Path, Sequence[str]]]
) -> list[str]:
    labels = []
    for name, (path, sets) in zip(names, items, strict=True):
        label = f"{name} (what-if)" if sets else name
        while label in labels:
            label = f"{label} [{path.stem}]" if path.stem not in label else label + "'"
        labels.append(label)
    return labels


def _run_cached(
    resolved: ResolvedScenario, cache: _SimulationCache, *, where: str
) -> ScenarioResult:
    scenario = resolved.scenario
    # everything about the site that loading the weather depends on
    weather_key = scenario.site.model_dump_json(exclude={"name", "albedo"})
    if weather_key not in cache.weather:
        cache.weather[weather_key] = load_site_weather(scenario.site, where=where)
    weather, meta = cache.weather[weather_key]
    energy_key = (weather_key, site_spec(scenario), system_spec(scenario))
    energy = cache.energy.get(energy_key)
    with located(resolved):
        result = run_scenario(scenario, weather, meta, energy=energy)
    if energy is None:
        cache.simulations += 1
        cache.energy[energy_key] = result.energy
    return result


def _rate_text(rate: float) -> str:
    return f"{rate:,.0f}" if abs(rate) >= 100 else f"{rate:.6g}"


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings to ``{"a.b.c": value}``; lists stay whole values.

    Examples
    --------
    >>> flatten({"a": {"b": 1, "c": {"d": [1, 2]}}, "e": None})
    {'a.b': 1, 'a.c.d': [1, 2], 'e': None}
    """
    flat: dict[str, Any] = {}
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                flat.update(flatten(value, name))
            else:
                flat[name] = value
    else:
        flat[prefix] = data
    return flat


_MISSING = "(not set)"


def input_diff(compared: Sequence[Compared]) -> list[tuple[str, list[Any]]]:
    """Every resolved input key whose value differs, with each scenario's value.

    Values are those of the validated scenario (after ``extends``, overrides and
    defaults), so stating a default explicitly is not a difference, and ``"12%"``
    equals ``0.12``. Labels (:data:`LABEL_KEYS`) are left out: they head the
    columns. A key that exists in some scenarios only (a loan in one) shows
    ``(not set)`` for the others. Keys are in the order of the reference scenario.
    """
    flats = [flatten(c.resolved.scenario.model_dump(mode="json")) for c in compared]
    keys: list[str] = []
    for flat in flats:
        for key in flat:
            if key not in keys:
                keys.insert(_position(keys, key), key)
    rows = []
    for key in keys:
        if key.split(".")[0] in LABEL_KEYS:
            continue
        values = [flat.get(key, _MISSING) for flat in flats]
        if any(not _same(values[0], v) for v in values[1:]):
            rows.append((key, [_display(v) for v in values]))
    return rows


def _position(keys: list[str], key: str) -> int:
    """Where to insert ``key``: after the last key sharing its longest parent path,
    so that a section's keys stay together whichever scenario states them."""
    parts = key.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:depth]) + "."
        matches = [i for i, k in enumerate(keys) if k.startswith(parent)]
        if matches:
            return matches[-1] + 1
    return len(keys)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def _display(value: Any) -> Any:
    """An absolute path (the loader resolves them) relative to the working
    directory when it lies below it; other values as they are."""
    if isinstance(value, str) and value.startswith("/"):
        return display_path(value)
    return value


def metric_deltas(
    compared: Sequence[Compared],
) -> list[dict[str, dict[str, float | None]]]:
    """For each scenario after the first, each metric's absolute and relative delta.

    Relative deltas are ``(value - reference) / |reference|``; None where either
    value is missing or the reference is 0.
    """
    reference = compared[0].metrics
    out = []
    for item in compared[1:]:
        values = item.metrics
        deltas: dict[str, dict[str, float | None]] = {}
        for name in COMPARED_METRICS:
            ref, value = reference[name], values[name]
            absolute: float | None = None
            relative: float | None = None
            if ref is not None and value is not None:
                absolute = value - ref
                relative = None if ref == 0 else absolute / abs(ref)
            deltas[name] = {"absolute": absolute, "relative": relative}
        out.append(deltas)
    return out


__all__ = [
    "Compared",
    "Comparison",
    "COMPARED_METRICS",
    "metrics_in",
    "flatten",
    "input_diff",
    "metric_deltas",
    "run_many",
]
