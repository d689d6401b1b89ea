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

import pandas as pd

from solarcase.energy import simulate as sim
from solarcase.errors import ScenarioError
from solarcase.pipeline import (
    HEADLINE_METRICS,
    ScenarioResult,
    run_scenario,
    site_spec,
    system_spec,
)
from solarcase.scenario.load import ResolvedScenario, locate_message, resolve_scenario
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


def run_many(
    items: Sequence[tuple[Path, Sequence[str]]],
) -> Comparison:
    """Load and appraise each (scenario file, overrides) pair.

    All files are loaded and validated first, so one broken file among several fails
    before anything runs, with a message naming it. Identical technical systems on
    the same weather are simulated once.

    Raises
    ------
    SolarcaseError
        From the first file that cannot be loaded or run; the message names it.
    """
    resolved = [resolve_scenario(path, overrides=list(sets)) for path, sets in items]
    cache = _SimulationCache()
    compared = []
    labels = _unique_labels([r.scenario.name for r in resolved], items)
    for (path, sets), res, label in zip(items, resolved, labels, strict=True):
        result = _run_cached(res, cache, where=str(path))
        compared.append(Compared(label, path, tuple(sets), res, result))
    return Comparison(tuple(compared), cache.simulations)


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
    try:
        result = run_scenario(scenario, weather, meta, energy=energy)
    except ScenarioError as err:
        raise ScenarioError(locate_message(str(err), resolved)) from err
    if energy is None:
        cache.simulations += 1
        cache.energy[energy_key] = result.energy
    return result


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
    if isinstance(value, str) and value.startswith("/"):
        path = Path(value)
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return value
    return value


def metric_deltas(
    compared: Sequence[Compared],
) -> list[dict[str, dict[str, float | None]]]:
    """For each scenario after the first, each metric's absolute and relative delta.

    Relative deltas are ``(value - reference) / |reference|``; None where either
    value is missing or the reference is 0.
    """
    reference = compared[0].result.headline()
    out = []
    for item in compared[1:]:
        values = item.result.headline()
        deltas: dict[str, dict[str, float | None]] = {}
        for name in HEADLINE_METRICS:
            ref, value = reference[name], values[name]
            absolute = None if ref is None or value is None else value - ref
            relative = None if absolute is None or ref == 0 else absolute / abs(ref)
            deltas[name] = {"absolute": absolute, "relative": relative}
        out.append(deltas)
    return out


def check_currencies(compared: Sequence[Compared]) -> str:
    """The common currency of the scenarios; an error if they differ."""
    currencies = {c.result.currency for c in compared}
    if len(currencies) > 1:
        listing = ", ".join(f"{c.path} in {c.result.currency}" for c in compared)
        raise ScenarioError(
            f"compare: the scenarios are in different currencies ({listing}); "
            "metrics in different currencies cannot be compared: give all scenarios "
            "the same finance.currency"
        )
    return currencies.pop()


__all__ = [
    "Compared",
    "Comparison",
    "check_currencies",
    "flatten",
    "input_diff",
    "metric_deltas",
    "run_many",
]
