"""Every input of a resolved scenario as (key, value, unit) rows, for people, and
the report's assumptions pages that list them.

Units come from the ``[unit]`` at the end of each field's description in the
scenario models, so the report and the JSON Schema say the same thing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from solarcase.units import parse_fraction

if TYPE_CHECKING:
    from solarcase.report.layout import Page

_UNIT = re.compile(r"\[([^\[\]]+)\]")


def scenario_hash(scenario: BaseModel) -> str:
    """SHA-256 of the resolved scenario's canonical JSON (sorted keys)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_rows(
    model: BaseModel, prefix: str = "", *, currency: str | None = None
) -> list[tuple[str, str, str]]:
    """Flatten a scenario (or a part) to (key, value, unit) rows.

    Fields left unset (None or "") are skipped; top-level scalars are grouped
    under ``scenario.``; ``[cur]`` units become the currency code (a part's own
    ``currency`` when it has one, e.g. a capex item priced in USD); paths are shown
    relative to the working directory when they lie below it.
    """
    own = getattr(model, "currency", None)
    currency = (own if isinstance(own, str) else None) or currency
    currency = currency or _find_currency(model)
    rows: list[tuple[str, str, str]] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if not prefix and not isinstance(value, BaseModel):
            key = f"scenario.{name}"
        unit = _unit(info.description or "") or (
            "fraction" if _parsed_as_fraction(info) else ""
        )
        unit = _currency_unit(unit, key, currency)
        rows.extend(_rows(key, value, unit, currency))
    return _factor_units(rows) if not prefix else rows


def _factor_units(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A risk distribution applied as a factor is in "factor", not in the unit of
    the key it multiplies."""
    factors = {
        key.removesuffix(".apply")
        for key, value, _ in rows
        if key.endswith(".apply") and value == "factor"
    }
    return [
        (key, value, "factor")
        if unit.startswith("unit of the key")
        and key.rsplit(".distribution.")[0] in factors
        else (key, value, unit)
        for key, value, unit in rows
    ]


def _parsed_as_fraction(info: FieldInfo) -> bool:
    """Whether a field takes "12%"-style fractions (a ``Fraction`` or ``Rate``)."""
    stack: list[Any] = [info.annotation, *info.metadata]
    while stack:
        item = stack.pop()
        if isinstance(item, BeforeValidator) and item.func is parse_fraction:
            return True
        stack.extend(get_args(item))
    return False


def _find_currency(model: BaseModel) -> str | None:
    finance = getattr(model, "finance", None)
    return getattr(finance, "currency", None)


def _rows(
    key: str, value: Any, unit: str, currency: str | None
) -> list[tuple[str, str, str]]:
    if value is None or value == "":
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
        value = display_path(value)
    numeric = isinstance(value, int | float | list | tuple) and not isinstance(
        value, bool
    )
    # a unit belongs to numbers; a name ('office') does not carry one
    return [(key, format_value(value, unit), _unit_text(unit) if numeric else "")]


def _collection_text(value: list | tuple | dict) -> str:
    """A list of scalars as "a, b, c" (lists in it in brackets); a mapping of
    scalars as "k: v, k: v"; mappings in them as JSON; empty ones as "none".

    Examples
    --------
    >>> _collection_text({"8": 0.6, "12": 0.6})
    '8: 0.6, 12: 0.6'
    >>> _collection_text([90.0, 50.0])
    '90, 50'
    >>> _collection_text([["inflation", "usd_rate", 0.7]])
    '(inflation, usd_rate, 0.7)'
    """
    if not value:
        return "none"
    items = value.items() if isinstance(value, dict) else enumerate(value)
    pairs = list(items)
    if any(isinstance(v, dict) for _, v in pairs):
        return json.dumps(value)
    texts = [
        f"({_collection_text(v)})"
        if isinstance(v, list | tuple)
        else (f"{v:g}" if isinstance(v, float) else str(v))
        for _, v in pairs
    ]
    if isinstance(value, dict):
        texts = [f"{k}: {t}" for (k, _), t in zip(pairs, texts, strict=True)]
    return ", ".join(texts)


def display_path(path: str | Path) -> str:
    """A path relative to the working directory when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _unit(description: str) -> str:
    """The last ``[unit]`` of a field description ('' if none); a source tag
    ("[estimate]") or a bracketed example with commas is not a unit."""
    found = [u for u in _UNIT.findall(description) if u != "estimate" and "," not in u]
    return found[-1] if found else ""


def _currency_unit(unit: str, key: str, currency: str | None) -> str:
    """``cur`` and "model currency" as the currency code; "per unit" of an exchange
    rate as per that currency (``IRR/USD``)."""
    code = currency or "cur"
    unit = re.sub(r"\bcur\b", code, unit).replace("model currency", code)
    parts = key.split(".")
    if "exchange_rates" in parts[:-1] and unit.endswith(" per unit"):
        other = parts[parts.index("exchange_rates") + 1]
        unit = f"{unit.removesuffix(' per unit')}/{other}"
    return unit


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
        return _collection_text(value)
    return str(value)


def assumptions_pages(
    rows: Sequence[tuple[str, str, str]],
    *,
    provenance: Sequence[tuple[str, str]],
) -> list[Page]:
    """Every input of the resolved scenario (key, value, unit), then provenance;
    over as many pages as it takes, a group's heading repeated where it goes on."""
    from solarcase.report.layout import SMALL_PT, Flow  # matplotlib

    group = ""

    def start(page: Page) -> None:
        if group:
            page.heading(f"{group} (continued)")

    flow = Flow(
        "Assumptions",
        "Every input of the resolved scenario, after extends and overrides",
        start=start,
    )
    for key, value, unit in rows:
        section = key.split(".")[0]
        if section != group:
            group = ""  # a page started for the heading does not continue a group
            flow.heading(section, keep_in=0.4)
            group = section
        flow.table(
            [(key.removeprefix(section + "."), value, unit)],
            columns_in=(3.1, 2.5, 1.4),
            align=("l", "r", "l") if len(value) <= 28 else ("l", "l", "l"),
            size=SMALL_PT + 0.5,
            shade=False,
        )
    group = ""
    flow.heading("Provenance", keep_in=1.2)
    flow.table(
        provenance,
        columns_in=(1.6, 5.4),
        align=("l", "l"),
        size=SMALL_PT + 0.5,
        shade=False,
    )
    return flow.pages
