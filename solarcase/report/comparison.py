"""A comparison as data (JSON, CSV frames) and as terminal tables and charts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from rich.markup import escape
from rich.table import Table

from solarcase import __version__
from solarcase.compare import COMPARED_METRICS, Comparison, input_diff, metric_deltas
from solarcase.report import figures
from solarcase.report.serialise import json_clean, json_text
from solarcase.report.tables import (
    NOT_AVAILABLE,
    format_energy_kwh,
    format_money,
    format_percent,
    format_price,
    format_years,
)

_MONEY = {"npv", "equity_npv"}
_PRICE = {"lcoe_real_per_kwh", "lcoe_nominal_per_kwh"}
_RATIO = {
    "performance_ratio",
    "capacity_factor",
    "project_irr",
    "equity_irr",
    "project_irr_real",
    "equity_irr_real",
}
_YEARS = {"simple_payback_years", "discounted_payback_years"}
_LABELS = {
    "annual_energy_kwh": "Energy, year 1",
    "specific_yield_kwh_per_kwp": "Specific yield",
    "performance_ratio": "Performance ratio",
    "capacity_factor": "Capacity factor (DC)",
    "npv": "NPV",
    "equity_npv": "Equity NPV",
    "project_irr": "Project IRR, nominal",
    "equity_irr": "Equity IRR, nominal",
    "project_irr_real": "Project IRR, real",
    "equity_irr_real": "Equity IRR, real",
    "llcr": "LLCR",
    "lcoe_real_per_kwh": "LCOE, real",
    "lcoe_nominal_per_kwh": "LCOE, nominal",
    "simple_payback_years": "Simple payback",
    "discounted_payback_years": "Discounted payback",
    "min_dscr": "DSCR, minimum",
    "avg_dscr": "DSCR, average",
}


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as a JSON-ready object: metrics, deltas and input differences.

    ``scenarios[i].metrics`` are exactly ``run --json``'s ``metrics`` of scenario i;
    ``deltas[i]`` compares scenario i + 1 with the reference (the first).
    """
    items = comparison.items
    return json_clean(
        {
            "solarcase_version": __version__,
            "currency": comparison.currency,
            "reference": items[0].label,
            "simulations": comparison.simulations,
            "scenarios": [
                {
                    "label": c.label,
                    "scenario": c.result.scenario.name,
                    "scenario_file": str(c.path),
                    "overrides": list(c.overrides),
                    "currency": c.result.currency,
                    "metrics": c.metrics,
                    "rates": c.rates,
                    "notes": list(c.result.notes),
                }
                for c in items
            ],
            "deltas": [
                {"label": c.label, "metrics": d}
                for c, d in zip(items[1:], metric_deltas(items), strict=True)
            ],
            "input_diff": [
                {"key": key, "values": values} for key, values in input_diff(items)
            ],
        }
    )


def comparison_json(comparison: Comparison) -> str:
    """:func:`comparison_dict` as indented JSON text."""
    data = comparison_dict(comparison)
    return json_text(data)


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """Metrics by scenario, with absolute and relative deltas against the reference."""
    items = comparison.items
    columns: dict[str, list[Any]] = {}
    for c in items:
        columns[c.label] = [c.metrics[m] for m in COMPARED_METRICS]
    for c, deltas in zip(items[1:], metric_deltas(items), strict=True):
        columns[f"delta {c.label}"] = [deltas[m]["absolute"] for m in COMPARED_METRICS]
        columns[f"relative delta {c.label}"] = [
            deltas[m]["relative"] for m in COMPARED_METRICS
        ]
    return pd.DataFrame(columns, index=pd.Index(COMPARED_METRICS, name="metric"))


def input_diff_frame(comparison: Comparison) -> pd.DataFrame:
    """The input keys that differ (rows) and each scenario's value (columns)."""
    rows = input_diff(comparison.items)
    labels = [c.label for c in comparison.items]
    data = [[_text(v) for v in values] for _, values in rows]
    index = pd.Index([key for key, _ in rows], name="input key")
    return pd.DataFrame(data, index=index, columns=labels, dtype=object)


def _text(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value)
    if value is None:
        return "null"
    return str(value)


def formatter(metric: str, currency: str) -> Callable[[float | None], str]:
    """How to show one metric's value for people."""
    if metric in _MONEY:
        return lambda v: format_money(v, currency)
    if metric in _PRICE:
        return lambda v: format_price(v, currency)
    if metric in _RATIO:
        return format_percent
    if metric in _YEARS:
        return format_years
    if metric == "annual_energy_kwh":
        return lambda v: NOT_AVAILABLE if v is None else format_energy_kwh(v)
    if metric == "specific_yield_kwh_per_kwp":
        return lambda v: NOT_AVAILABLE if v is None else f"{v:,.0f} kWh/kWp"
    return lambda v: NOT_AVAILABLE if v is None else f"{v:.2f}"


def _delta_text(metric: str, delta: dict[str, float | None], currency: str) -> str:
    absolute, relative = delta["absolute"], delta["relative"]
    if absolute is None:
        return ""
    if metric in _RATIO:
        text = f"{absolute * 100:+.1f} pt"
    elif metric in _YEARS:
        text = f"{absolute:+.1f} y"
    else:
        shown = formatter(metric, currency)(absolute)
        text = shown if shown.startswith("-") else f"+{shown}"
    if relative is not None and metric not in _RATIO:
        text += f" ({relative:+.1%})".replace("%", " %")
    return text


def metrics_table(comparison: Comparison) -> Table:
    """Metrics side by side; under each value, the change against the reference."""
    items = comparison.items
    currency = comparison.currency
    table = Table(
        title=f"Outputs (money in {currency})", title_justify="left", show_lines=True
    )
    table.add_column("metric", style="bold")
    for i, c in enumerate(items):
        header = escape(c.label) + (" (reference)" if i == 0 else "")
        table.add_column(header, justify="right")
    deltas = metric_deltas(items)
    for metric in COMPARED_METRICS:
        show = formatter(metric, currency)
        cells = [show(items[0].metrics[metric])]
        for c, d in zip(items[1:], deltas, strict=True):
            value = show(c.metrics[metric])
            change = _delta_text(metric, d[metric], currency)
            cells.append(f"{value}\n[dim]{change}[/]" if change else value)
        table.add_row(_LABELS[metric], *cells)
    return table


def input_table(comparison: Comparison) -> Table:
    """The input keys that differ, with each scenario's value."""
    table = Table(title="Inputs that differ", title_justify="left")
    table.add_column("input key", style="bold", overflow="fold")
    for c in comparison.items:
        table.add_column(escape(c.label))
    for key, values in input_diff(comparison.items):
        table.add_row(escape(key), *(escape(_show(v)) for v in values))
    return table


def _show(value: Any) -> str:
    """An input value for people: 3500000.0 -> 3,500,000; True -> true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    if value is None:
        return "—"
    return _text(value)


def comparison_figures(comparison: Comparison) -> dict[str, Any]:
    """The two charts, by file name: cumulative cash flow and metric bars."""
    items = comparison.items
    currency = comparison.currency
    labels = [c.label for c in items]
    longest = max(len(c.cumulative_real) for c in items)
    cumulative = [c.cumulative_real for c in items]
    heads = [c.metrics for c in items]
    return {
        "cumulative_cash_flow.png": figures.plot_cumulative_cash_flow(
            labels,
            np.arange(longest),
            cumulative,
            currency=currency,
            title="Cumulative project cash flow, real (year-0 money)",
        ),
        "metrics.png": figures.plot_metric_bars(
            labels,
            [h["npv"] for h in heads],
            [h["project_irr"] for h in heads],
            [h["lcoe_real_per_kwh"] for h in heads],
            currency=currency,
        ),
    }
