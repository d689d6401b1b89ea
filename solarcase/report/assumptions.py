"""Every input of a resolved scenario as (key, value, unit) rows, for people.

Units come from the ``[unit]`` at the end of each field's description in the
scenario models, so the report and the JSON Schema say the same thing.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

_UNIT = re.compile(r"\[([^\[\]]+)\]")


def scenario_hash(scenario: BaseModel) -> str:
    """SHA-256 of the resolved scenario's canonical JSON (sorted keys)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_rows(
    model: BaseModel, prefix: str = "", *, currency: str | None = None
) -> list[tuple[str, str, str]]:
    """Flatten a scenario (or a part) to (key, value, unit) rows.

    Fields left unset (None) are skipped; top-level scalars are grouped under
    ``scenario.``; ``[cur]`` units become the currency code; paths are shown
    relative to the working directory when they lie below it.
    """
    currency = currency or _find_currency(model)
    rows: list[tuple[str, str, str]] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if not prefix and not isinstance(value, BaseModel):
            key = f"scenario.{name}"
        unit = _unit(info.description or "").replace("cur", currency or "cur")
        rows.extend(_rows(key, value, unit, currency))
    return rows


def _find_currency(model: BaseModel) -> str | None:
    finance = getattr(model, "finance", None)
    return getattr(finance, "currency", None)


def _rows(
    key: str, value: Any, unit: str, currency: str | None
) -> list[tuple[str, str, str]]:
    if value is None:
        return []
    if isinstance(value, BaseModel):
        return input_rows(value, prefix=f"{key}.", currency=currency)
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(v, BaseModel) for v in value.values())
    ):
        out: list[tuple[str, str, str]] = []
        for item, sub in value.items():
            out.extend(input_rows(sub, prefix=f"{key}.{item}.", currency=currency))
        return out
    if isinstance(value, Path):
        value = _relative(value)
    return [(key, format_value(value, unit), _unit_text(unit))]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _unit(description: str) -> str:
    """The last ``[unit]`` of a field description ('' if none)."""
    found = _UNIT.findall(description)
    return found[-1] if found else ""


def _unit_text(unit: str) -> str:
    return {"fraction": "", "fraction/year": "per year", "-": ""}.get(unit, unit)


def format_value(value: Any, unit: str) -> str:
    """A value as people read it: fractions as percentages, big numbers grouped.

    Examples
    --------
    >>> format_value(0.05, "fraction/year")
    '5.0 %'
    >>> format_value(295200000.0, "cur/kWp")
    '295,200,000'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and unit.startswith("fraction"):
        if value == 0 or abs(value) >= 0.001:
            return f"{value:.1%}".replace("%", " %")
        return f"{value:.3%}".replace("%", " %")
    if isinstance(value, int | float):
        if float(value).is_integer() and abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:,g}" if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value)
    return str(value)
