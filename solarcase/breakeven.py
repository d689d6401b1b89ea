"""Breakeven of one scenario: the value of any numeric key at which a target is met.

``npv=0`` finds where the project NPV is zero; ``equity_irr=0.5`` where the equity
IRR is 50 %, solved as the equity NPV at 50 % being zero (the same root for an
invest-then-earn flow, and defined where the IRR is not); any other metric of
:data:`~solarcase.cases.CASE_METRICS` (``min_dscr=1.3``, ``lcoe_real_per_kwh=...``)
as metric minus target. The search (:func:`~solarcase.analysis.breakeven.breakeven`)
scans the key's valid range, read from the scenario's own field constraints, widens
it where the range is open and refines every sign change with Brent's method. No
file or network I/O.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from solarcase.analysis.breakeven import BreakevenSearch, breakeven
from solarcase.cases import CASE_METRICS, CaseEvaluator
from solarcase.errors import ScenarioError
from solarcase.pipeline import ScenarioResult, finite_or_none
from solarcase.scenario.keys import describe_key, key_value
from solarcase.scenario.models import Scenario
from solarcase.scenario.risk import ENERGY_FACTOR_KEY

__all__ = ["BreakevenResult", "key_bounds", "parse_target", "run_breakeven"]

#: Targets solved through the NPV at the target rate.
_IRR_TARGETS = {
    "project_irr": "project_npv_at_rate",
    "equity_irr": "equity_npv_at_rate",
}
#: Share of the range kept clear of an open bound (gt / lt).
_OPEN_MARGIN = 1e-9


@dataclass(frozen=True, slots=True)
class BreakevenResult:
    """The breakeven value of one key and how it was found."""

    key: str
    """The dotted key solved for."""
    metric: str
    """The target metric."""
    target: float
    """The target value. [unit of the metric]"""
    value: float | None
    """The key's value that meets the target, closest to the scenario's value; None
    if none was found in the searched range. [unit of the key]"""
    base: float
    """The key's value in the scenario. [unit of the key]"""
    base_metric: float | None
    """The metric in the scenario. [unit of the metric]"""
    search: BreakevenSearch
    """Every root, the interval searched and the evaluation count."""
    bounds: tuple[float, float]
    """Valid range of the key (its field constraints). [unit of the key]"""
    currency: str
    """Model currency (ISO 4217)."""


def parse_target(text: str) -> tuple[str, float]:
    """``"npv=0"`` -> ("npv", 0.0); ``"equity_irr=50%"`` -> ("equity_irr", 0.5).

    Raises
    ------
    ScenarioError
        Malformed text or an unknown metric.
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    allowed = [m for m in CASE_METRICS if not m.endswith("energy_kwh")]
    if not sep or name not in allowed:
        raise ScenarioError(
            f"--target {text!r}: expected metric=value with metric one of "
            f"{', '.join(allowed)}; e.g. --target npv=0 or --target equity_irr=0.5"
        )
    raw = value.strip()
    try:
        number = float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ScenarioError(
            f"--target {text!r}: the value {raw!r} is not a number"
        ) from None
    return name, number


def _constraints(annotation: Any, metadata: list[Any]) -> list[Any]:
    found = list(metadata)
    for arg in typing.get_args(annotation):
        found.extend(getattr(arg, "metadata", []) or [])
        if not isinstance(arg, type):
            found.extend(_constraints(arg, []))
        found.append(arg)
    return found


def key_bounds(scenario: Scenario, key: str) -> tuple[float, float]:
    """The valid range of a numeric key, from its field's constraints.

    Returns
    -------
    floor, ceiling : float
        -inf / inf where the field has no bound; an open bound (gt, lt) moves
        inside by a hair.

    Examples
    --------
    >>> from solarcase.scenario.load import load_scenario
    >>> key_bounds(load_scenario("scenarios/birjand-1mw.yaml"),
    ...     "system.losses.soiling")  # doctest: +SKIP
    (0.0, 0.999999999)
    """
    if key == ENERGY_FACTOR_KEY:
        return 0.0, math.inf
    parts = key.split(".")
    _, parent = (
        key_value(scenario, ".".join(parts[:-1]))
        if len(parts) > 1
        else (
            True,
            scenario,
        )
    )
    floor, ceiling = -math.inf, math.inf
    if not isinstance(parent, BaseModel):
        return floor, ceiling
    info = type(parent).model_fields[parts[-1]]
    for item in _constraints(info.annotation, list(info.metadata)):
        margin = _OPEN_MARGIN
        if getattr(item, "ge", None) is not None:
            floor = max(floor, float(item.ge))
        if getattr(item, "gt", None) is not None:
            floor = max(floor, float(item.gt) + margin * max(1.0, abs(item.gt)))
        if getattr(item, "le", None) is not None:
            ceiling = min(ceiling, float(item.le))
        if getattr(item, "lt", None) is not None:
            ceiling = min(ceiling, float(item.lt) - margin * max(1.0, abs(item.lt)))
    return floor, ceiling


def _first_interval(
    base: float, floor: float, ceiling: float, given: tuple[float, float] | None
) -> tuple[float, float]:
    if given is not None:
        return given
    low = floor if math.isfinite(floor) else base - 2.0 * abs(base) - 1.0
    high = ceiling if math.isfinite(ceiling) else base + 2.0 * abs(base) + 1.0
    return low, high


def run_breakeven(
    result: ScenarioResult,
    key: str,
    *,
    metric: str = "npv",
    target: float = 0.0,
    weather: pd.DataFrame | None = None,
    search_range: tuple[float, float] | None = None,
) -> BreakevenResult:
    """The value of ``key`` at which ``metric`` equals ``target``.

    Parameters
    ----------
    result : ScenarioResult
        The appraised scenario.
    key : str
        Any numeric scenario key set in the scenario (dotted), or
        ``energy_factor``.
    metric : str
        One of :data:`~solarcase.cases.CASE_METRICS` except the energies.
    target : float
        The target value (0 for NPV, a fraction for an IRR). [unit of the metric]
    weather : pandas.DataFrame, optional
        Needed for keys that change the yield simulation.
    search_range : (float, float), optional
        Where to start searching; default: the key's valid range, or around its
        value where that range is open.

    Raises
    ------
    ScenarioError
        Unknown key, a key not set in the scenario, a metric without values (DSCR
        without debt) or a search range outside the key's valid range.
    """
    info = describe_key(result.scenario, key)
    if info.base is None:
        raise ScenarioError(
            f"{key}: is not set in the scenario, so it has no value to move; state "
            "it first (or use --set)"
        )
    floor, ceiling = key_bounds(result.scenario, key)
    if search_range is not None and not (
        floor <= search_range[0] < search_range[1] <= ceiling
    ):
        raise ScenarioError(
            f"--range {search_range[0]:g}:{search_range[1]:g}: must be an interval "
            f"low < high inside the valid range of {key}, [{floor:g}, {ceiling:g}]"
        )
    rate = target if metric in _IRR_TARGETS else None
    evaluator = CaseEvaluator(result, [key], weather=weather, npv_rate=rate)
    column = _IRR_TARGETS.get(metric, metric)

    def objective(x: np.ndarray) -> np.ndarray:
        values = np.round(x) if info.is_int else x
        return evaluator.evaluate({key: values})[column] - (
            0.0 if rate is not None else target
        )

    base_metrics = evaluator.evaluate({key: np.array([info.base])})
    base_metric = float(base_metrics[metric][0])
    if metric in ("min_dscr", "avg_dscr") and math.isnan(base_metric):
        raise ScenarioError(
            f"--target {metric}: the scenario has no loan, so there is no DSCR to "
            "meet; add finance.debt or choose another target"
        )
    low, high = _first_interval(info.base, floor, ceiling, search_range)
    search = breakeven(
        objective,
        base=info.base,
        low=low,
        high=high,
        floor=floor,
        ceiling=ceiling,
        grid_points=9 if info.kind == "simulation" else 33,
    )
    value = None if math.isnan(search.value) else search.value
    if value is not None and info.is_int:
        value = float(round(value))
    return BreakevenResult(
        key=key,
        metric=metric,
        target=target,
        value=value,
        base=info.base,
        base_metric=finite_or_none(base_metric),
        search=search,
        bounds=(floor, ceiling),
        currency=result.currency,
    )
