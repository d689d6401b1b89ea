"""Numeric scenario keys by dotted path: look them up, describe them, set them.

Sensitivity, Monte Carlo and breakeven name any numeric input of a scenario by its
dotted path (``finance.inflation_rate``, ``finance.capex.equipment.per_kwp``,
``finance.revenue.step_downs.8``). :func:`describe_key` checks that a key names a
number and says how a case that changes it is computed (its ``kind``);
:func:`validated` sets keys the way a file or ``--set`` would (sections created,
every rule checked); :func:`set_unvalidated` replaces leaves through pydantic's
``model_copy(update=...)``, which does not validate, so numpy arrays of cases can
travel through to the finance translator.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ValidationError

from solarcase.errors import ScenarioError
from solarcase.scenario.errors_text import describe_validation_error
from solarcase.scenario.models import Scenario
from solarcase.scenario.risk import ENERGY_FACTOR_KEY

__all__ = [
    "FIXED_KEYS",
    "LIFETIME_KEYS",
    "KeyInfo",
    "applied",
    "describe_key",
    "key_value",
    "parse_key_value",
    "set_unvalidated",
    "split_key",
    "validated",
]

#: Keys that only change the energy per year (no new yield simulation), each with
#: the argument of :func:`solarcase.pipeline.energy_by_year_kwh` it sets.
LIFETIME_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "system.degradation.rate": "degradation_rate",
        "system.losses.availability": "availability",
        "system.losses.curtailment": "curtailment_fraction",
    }
)
#: Keys that cannot vary between cases.
FIXED_KEYS = frozenset({"finance.analysis_years", "schema_version"})

Part = str | int
#: One value (a swing's side) or one per case (Monte Carlo draws).
Amount = TypeVar("Amount", float, NDArray[np.float64])


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A numeric key of the scenario and how its cases are computed."""

    key: str
    """Dotted key as given."""
    parts: tuple[Part, ...]
    """The key split at the dots (list indices and integer dict keys as int)."""
    kind: str
    """'energy', 'lifetime', 'simulation' or 'finance'."""
    base: float | None
    """Its value in the scenario; None if unset (its section may be missing)."""
    is_int: bool
    """True for a whole-number key (years, terms)."""
    settable: bool
    """True if the key exists with a value (it can be replaced without creating a
    section)."""


def split_key(key: str) -> tuple[Part, ...]:
    return tuple(int(p) if p.isdigit() else p for p in key.split("."))


def _child(node: Any, part: Part, *, key: str, depth: int) -> tuple[bool, Any]:
    """(found, value) of one step down the scenario."""
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        if str(part) not in fields:
            where = ".".join(str(p) for p in split_key(key)[:depth]) or "(top level)"
            guess = difflib.get_close_matches(str(part), list(fields), n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise ScenarioError(
                f"{key}: {where} has no key {str(part)!r}; {hint}keys there: "
                f"{', '.join(fields)}"
            )
        return True, getattr(node, str(part))
    if isinstance(node, dict):
        for candidate in (part, str(part)):
            if candidate in node:
                return True, node[candidate]
        return False, None
    if isinstance(node, list) and isinstance(part, int):
        return (True, node[part]) if part < len(node) else (False, None)
    shown = ".".join(str(p) for p in split_key(key)[:depth])
    raise ScenarioError(
        f"{key}: {shown} is a single value ({node!r}), not a section; name a "
        "numeric key such as finance.inflation_rate"
    )


def key_value(scenario: Scenario, key: str) -> tuple[bool, Any]:
    """(exists, value) of a dotted key; ``exists`` is False when a section on the
    way is missing (e.g. ``finance.late_payment`` not stated)."""
    node: Any = scenario
    parts = split_key(key)
    for depth, part in enumerate(parts):
        if node is None:
            return False, None
        found, node = _child(node, part, key=key, depth=depth)
        if not found:
            return False, None
    return True, node


def _kind(key: str) -> str:
    if key == ENERGY_FACTOR_KEY:
        return "energy"
    if key in FIXED_KEYS:
        raise ScenarioError(
            f"{key}: cannot vary between cases (it sets the shape of every table); "
            f"compare scenarios instead: solarcase compare A --set {key}=..."
        )
    if key in LIFETIME_KEYS:
        return "lifetime"
    top = key.split(".")[0]
    if top in ("system", "site"):
        return "simulation"
    if top == "finance":
        return "finance"
    raise ScenarioError(
        f"{key}: only numeric keys under site, system and finance (or "
        f"{ENERGY_FACTOR_KEY}) can be varied"
    )


def describe_key(scenario: Scenario, key: str) -> KeyInfo:
    """Check that ``key`` names a numeric input and say how it is varied.

    Raises
    ------
    ScenarioError
        Unknown key (with the keys allowed there), a key that is not a number, or
        one that cannot vary (``finance.analysis_years``).
    """
    if key == ENERGY_FACTOR_KEY:
        return KeyInfo(key, (key,), "energy", 1.0, False, True)
    kind = _kind(key)
    exists, value = key_value(scenario, key)
    if isinstance(value, bool) or (
        value is not None and not isinstance(value, int | float)
    ):
        raise ScenarioError(
            f"{key}: is not a number (it holds {value!r}); name a numeric key, e.g. "
            f"{key}.<name> inside it"
        )
    return KeyInfo(
        key=key,
        parts=split_key(key),
        kind=kind,
        base=None if value is None else float(value),
        is_int=isinstance(value, int),
        settable=exists and value is not None,
    )


def applied(info: KeyInfo, apply: str, value: Amount) -> Amount:
    """A key's value when ``value`` is applied to it as its value, a factor of its
    scenario value or a shift of it (``apply``: 'value', 'factor' or 'shift').

    Raises
    ------
    ScenarioError
        A factor or a shift of a key the scenario does not set.

    Examples
    --------
    >>> info = KeyInfo("finance.inflation_rate", ("finance", "inflation_rate"),
    ...                "finance", 0.4, False, True)
    >>> applied(info, "factor", 0.5), applied(info, "shift", 0.1)
    (0.2, 0.5)
    """
    if apply == "value":
        return value
    if info.base is None:
        raise ScenarioError(
            f"{info.key}: is not set in the scenario, so apply: {apply} has nothing "
            "to act on; state it in the scenario or use apply: value"
        )
    return info.base * value if apply == "factor" else info.base + value


def _set_raw(data: dict[str, Any], parts: Sequence[Part], value: Any) -> None:
    """Set a value in a plain nested mapping, creating missing sections."""
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
            continue
        child = node.get(part, node.get(str(part)))
        if child is None:
            child = {}
            node[part] = child
        node = child
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif isinstance(node, dict) and str(last) in node and last not in node:
        node[str(last)] = value
    else:
        node[last] = value


def validated(
    scenario: Scenario, setting: Mapping[str, Any], *, where: str
) -> Scenario:
    """The scenario with some keys set, validated like a file (sections created)."""
    data = scenario.model_dump()
    for key, value in setting.items():
        _set_raw(data, split_key(key), value)
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        lines = [
            describe_validation_error(item, origins={}, default_file=where)
            for item in err.errors(include_url=False)
        ]
        raise ScenarioError("\n".join(dict.fromkeys(lines))) from err


def parse_key_value(scenario: Scenario, key: str, raw: Any, *, where: str) -> float:
    """A value for ``key`` as the scenario would read it (``"35%"`` -> 0.35),
    checked against the key's rules.

    Raises
    ------
    ScenarioError
        If the value is not valid for the key; the message names ``where``.
    """
    if key == ENERGY_FACTOR_KEY:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ScenarioError(
                f"{where}: {key}: expected a factor such as 0.9, got {raw!r}"
            ) from None
        if not (math.isfinite(number) and number >= 0):
            raise ScenarioError(f"{where}: {key}: must be >= 0, got {raw!r}")
        return number
    exists, value = key_value(validated(scenario, {key: raw}, where=where), key)
    return float(value)


def set_unvalidated(node: Any, updates: list[tuple[tuple[Part, ...], Any]]) -> Any:
    """``node`` with leaves replaced, by ``model_copy(update=...)`` (no validation,
    so numpy arrays pass through)."""
    leaves = {parts[0]: value for parts, value in updates if len(parts) == 1}
    deeper: dict[Part, list[tuple[tuple[Part, ...], Any]]] = {}
    for parts, value in updates:
        if len(parts) > 1:
            deeper.setdefault(parts[0], []).append((parts[1:], value))
    if isinstance(node, BaseModel):
        changes = {str(k): v for k, v in leaves.items()}
        for part, sub in deeper.items():
            changes[str(part)] = set_unvalidated(getattr(node, str(part)), sub)
        return node.model_copy(update=changes)
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    for part, value in [*leaves.items(), *deeper.items()]:
        slot = part
        if isinstance(copy, dict) and part not in copy:
            slot = str(part)
        copy[slot] = value if part in leaves else set_unvalidated(copy[slot], value)
    return copy
