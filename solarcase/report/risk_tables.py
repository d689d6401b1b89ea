"""Risk results for people and programs: terminal tables, JSON, CSV.

Sensitivity (:class:`~solarcase.swings.SensitivityResult`), Monte Carlo
(:class:`~solarcase.risk.RiskResult`) and breakeven
(:class:`~solarcase.breakeven.BreakevenResult`) as rich tables, JSON objects and
tidy CSV frames. Every output states the Px convention. Presentation only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from typing import Any, cast

import pandas as pd
from rich.console import JustifyMethod
from rich.markup import escape
from rich.table import Table

from solarcase.breakeven import BreakevenResult
from solarcase.cases import CASE_METRICS
from solarcase.pipeline import finite_or_none
from solarcase.report.tables import (
    format_energy_kwh,
    format_money,
    format_percent,
    format_price,
    format_years,
)
from solarcase.risk import PX_NOTE, RISK_METRICS, RiskResult, RiskSummary
from solarcase.swings import SensitivityResult

__all__ = [
    "METRIC_LABELS",
    "TORNADO_METRICS",
    "breakeven_dict",
    "breakeven_lines",
    "draws_csv",
    "float_cell",
    "format_metric",
    "p_value_frame",
    "p_value_rows",
    "p_value_table",
    "probability_lines",
    "risk_dict",
    "sensitivity_dict",
    "sensitivity_table",
    "to_json",
    "tornado_frame",
    "weather_year_frame",
]

#: Metrics shown in a tornado (NPV, IRR, LCOE as the issue asks).
TORNADO_METRICS: tuple[str, ...] = ("npv", "project_irr", "lcoe_real_per_kwh")

METRIC_LABELS: dict[str, str] = {
    "annual_energy_kwh": "Energy, first operating year",
    "lifetime_energy_kwh": "Energy, whole life",
    "npv": "NPV (project, after tax)",
    "equity_npv": "Equity NPV",
    "project_irr": "Project IRR (nominal)",
    "equity_irr": "Equity IRR (nominal)",
    "lcoe_real_per_kwh": "LCOE, real (year-0 money)",
    "lcoe_nominal_per_kwh": "LCOE, nominal",
    "simple_payback_years": "Simple payback",
    "discounted_payback_years": "Discounted payback",
    "min_dscr": "Minimum DSCR",
    "avg_dscr": "Average DSCR",
}


#: Short labels for the terminal.
SHORT_LABELS: dict[str, str] = {
    "annual_energy_kwh": "Energy, year 1",
    "lifetime_energy_kwh": "Energy, life",
    "npv": "NPV",
    "equity_npv": "Equity NPV",
    "project_irr": "Project IRR",
    "equity_irr": "Equity IRR",
    "lcoe_real_per_kwh": "LCOE, real",
    "lcoe_nominal_per_kwh": "LCOE, nominal",
    "min_dscr": "Min DSCR",
}


def float_cell(frame: pd.DataFrame, row: Hashable, column: Hashable) -> float:
    """One number of a frame that holds floats only (a P-value summary, tornado bars).

    pandas' type stubs cannot know a column's dtype and type a cell as any scalar;
    these frames hold floats, so the cell is one.
    """
    return cast(float, frame.at[row, column])


def format_metric(
    name: str, value: float | None, currency: str, *, compact: bool = False
) -> str:
    """A metric's value with its unit, 'n/a' when it has none; ``compact`` leaves
    the currency out of money and prices (say it in the table's title) and
    abbreviates millions, billions and trillions (m, bn, tn).

    Examples
    --------
    >>> format_metric("project_irr", 0.1834, "IRR")
    '18.3 %'
    >>> format_metric("min_dscr", 1.234, "IRR")
    '1.23'
    >>> format_metric("npv", -4.03e10, "IRR", compact=True)
    '-40.3 bn'
    """
    number = finite_or_none(value)
    if number is None:
        return "n/a"
    if name.endswith("energy_kwh"):
        return f"{number / 1000:,.0f}" if compact else format_energy_kwh(number)
    if name.endswith("irr"):
        return format_percent(number)
    if name.startswith("lcoe"):
        text = format_price(number, currency)
        return text.replace(f" {currency}/kWh", "") if compact else text
    if name.endswith("payback_years"):
        return format_years(number)
    if name.endswith("dscr"):
        return f"{number:.2f}"
    if compact:
        for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
            if abs(number) >= size:
                return f"{number / size:,.1f} {word}"
        return f"{number:,.0f}"
    return format_money(number, currency)


def _metrics(row: pd.Series) -> dict[str, float | None]:
    return {name: finite_or_none(row[name]) for name in CASE_METRICS if name in row}


# --- sensitivity ---------------------------------------------------------------------


def tornado_frame(result: SensitivityResult) -> pd.DataFrame:
    """The bars of every tornado metric, long format (one row per metric and
    swing), widest first within each metric."""
    frames = []
    for metric in TORNADO_METRICS:
        bars = result.bars(metric).reset_index()
        bars.insert(0, "metric", metric)
        frames.append(bars)
    return pd.concat(frames, ignore_index=True)


def sensitivity_dict(
    result: SensitivityResult, *, scenario: str, scenario_file: str | None = None
) -> dict[str, Any]:
    """The sensitivity as a JSON-ready mapping."""
    cases = result.cases
    base = cases[cases["side"] == "base"].iloc[0]
    swings = []
    for swing in result.swings:
        entry: dict[str, Any] = {"name": swing.name, "reason": swing.reason}
        for side, values in (("low", swing.low), ("high", swing.high)):
            row = cases[(cases["swing"] == swing.name) & (cases["side"] == side)]
            entry[side] = {
                "setting": row["setting"].iloc[0],
                "values": dict(values),
                "metrics": _metrics(row.iloc[0]),
            }
        swings.append(entry)
    tornado = {
        metric: [
            {
                "swing": name,
                "low": finite_or_none(bar["low"]),
                "high": finite_or_none(bar["high"]),
                "range": finite_or_none(bar["range"]),
            }
            for name, bar in result.bars(metric).iterrows()
        ]
        for metric in TORNADO_METRICS
    }
    return {
        "scenario": scenario,
        "scenario_file": scenario_file,
        "currency": result.currency,
        "base": _metrics(base),
        "swings": swings,
        "tornado": tornado,
        "skipped": list(result.skipped),
        "computation": dict(result.translations),
    }


def sensitivity_table(result: SensitivityResult, metric: str = "npv") -> Table:
    """The tornado of one metric as a terminal table, widest swing first."""
    cur = result.currency
    bars = result.bars(metric)
    base = bars["base"].iloc[0] if len(bars) else math.nan
    shown = format_metric(metric, base, cur)
    title = f"Sensitivity of {METRIC_LABELS[metric]} (base {shown})"
    if not metric.endswith(("irr", "dscr", "years")):
        title += f"; amounts in {cur}"
    table = Table(title=escape(title), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Input", "left"),
        ("Low", "right"),
        ("High", "right"),
        ("At low", "right"),
        ("At high", "right"),
        ("Range", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for name, bar in bars.iterrows():
        table.add_row(
            escape(str(name)),
            escape(str(bar["low_setting"])),
            escape(str(bar["high_setting"])),
            format_metric(metric, bar["low"], cur, compact=True),
            format_metric(metric, bar["high"], cur, compact=True),
            _range_text(metric, bar["range"], cur),
        )
    return table


def _range_text(metric: str, value: float, currency: str) -> str:
    if metric.endswith("irr"):
        return "n/a" if not math.isfinite(value) else f"{value * 100:.1f} pts"
    return format_metric(metric, value, currency, compact=True)


# --- Monte Carlo ---------------------------------------------------------------------


def _summary_dict(part: RiskSummary) -> dict[str, Any]:
    table = part.summary
    return {
        "p_values": {
            metric: {
                column: finite_or_none(float_cell(table, metric, column))
                for column in table
            }
            for metric in table.index
        },
        "probability": {
            "npv_below_zero": finite_or_none(part.probability_npv_negative),
            "min_dscr_below_covenant": finite_or_none(part.probability_dscr_breach),
        },
    }


def risk_dict(
    result: RiskResult, *, scenario: str, scenario_file: str | None = None
) -> dict[str, Any]:
    """The Monte Carlo as a JSON-ready mapping."""
    risk = result.risk
    out: dict[str, Any] = {
        "scenario": scenario,
        "scenario_file": scenario_file,
        "currency": result.currency,
        "convention": PX_NOTE,
        "draws": result.n_draws,
        "seed": result.seed,
        "px": list(result.px),
        "dscr_covenant": result.covenant,
        **_summary_dict(result.main),
        "deterministic": {
            name: finite_or_none(result.deterministic.get(name))
            for name in RISK_METRICS
            if name in result.deterministic
        },
        "energy": risk.energy.model_dump(mode="json"),
        "variables": {
            name: variable.model_dump(mode="json")
            for name, variable in risk.variables.items()
        },
        "correlations": [list(item) for item in risk.correlations],
        "weather_years": None,
        "notes": list(result.notes),
        "computation": dict(result.translations),
    }
    years = result.weather_years
    if years is not None:
        out["weather_years"] = {
            "years": list(years.years),
            "energy_kwh": [float(v) for v in years.energy_kwh],
            "energy_p_values": {
                kind: {
                    c: finite_or_none(float_cell(years.summary, kind, c))
                    for c in years.summary
                }
                for kind in years.summary.index
            },
            "monte_carlo": None if years.risk is None else _summary_dict(years.risk),
        }
    return out


def p_value_rows(
    result: RiskResult, part: RiskSummary, *, labels: Mapping[str, str]
) -> list[list[str]]:
    """One row per risk metric that has a value in some draw: its label from
    ``labels``, its P-values and its value without uncertainty ("Base"), compact
    (:func:`format_metric`)."""
    cur = result.currency
    rows = []
    for metric in RISK_METRICS:
        if float_cell(part.summary, metric, "no_value_share") >= 1.0:
            continue
        cells = [
            format_metric(
                metric, float_cell(part.summary, metric, f"P{x:g}"), cur, compact=True
            )
            for x in result.px
        ]
        fixed = format_metric(
            metric, result.deterministic.get(metric), cur, compact=True
        )
        rows.append([labels[metric], *cells, fixed])
    return rows


def p_value_table(result: RiskResult, part: RiskSummary | None = None) -> Table:
    """P-values of every risk metric as a terminal table."""
    part = part or result.main
    cur = result.currency
    title = (
        f"Monte Carlo, {result.n_draws:,} draws, seed {result.seed}; energy in MWh, "
        f"money in {cur}, LCOE in {cur}/kWh; Base: no uncertainty"
    )
    table = Table(title=escape(title), title_justify="left", caption=escape(PX_NOTE))
    table.add_column("Metric")
    for x in result.px:
        table.add_column(f"P{x:g}", justify="right")
    table.add_column("Base", justify="right")
    for label, *cells in p_value_rows(result, part, labels=SHORT_LABELS):
        table.add_row(escape(label), *cells)
    return table


def probability_lines(result: RiskResult, part: RiskSummary | None = None) -> list[str]:
    """The probability of a negative NPV and of a DSCR covenant breach."""
    part = part or result.main
    lines = [
        f"Probability that NPV < 0: {format_percent(part.probability_npv_negative)}"
    ]
    breach = part.probability_dscr_breach
    if math.isfinite(breach):
        lines.append(
            f"Probability that the lowest DSCR < {result.covenant:.2f} (covenant): "
            f"{format_percent(breach)}"
        )
    else:
        lines.append("DSCR covenant: n/a (no loan)")
    return lines


def weather_year_frame(result: RiskResult) -> pd.DataFrame | None:
    """Energy of each simulated weather year, or None."""
    years = result.weather_years
    if years is None:
        return None
    return pd.DataFrame(
        {"energy_kwh": years.energy_kwh, "ratio_to_mean": years.ratios},
        index=pd.Index(years.years, name="year"),
    )


# --- breakeven -----------------------------------------------------------------------


def breakeven_dict(
    result: BreakevenResult, *, scenario: str, scenario_file: str | None = None
) -> dict[str, Any]:
    """The breakeven as a JSON-ready mapping."""
    search = result.search
    return {
        "scenario": scenario,
        "scenario_file": scenario_file,
        "currency": result.currency,
        "key": result.key,
        "base_value": result.base,
        "target": {"metric": result.metric, "value": result.target},
        "base_metric": result.base_metric,
        "breakeven_value": result.value,
        "roots": [float(r) for r in search.roots],
        "search": {
            "low": search.low,
            "high": search.high,
            "evaluations": search.evaluations,
        },
        "valid_range": [
            finite_or_none(result.bounds[0]),
            finite_or_none(result.bounds[1]),
        ],
    }


def breakeven_lines(result: BreakevenResult) -> list[str]:
    """What the terminal shows for a breakeven."""
    cur = result.currency
    target = format_metric(result.metric, result.target, cur)
    lines = [
        f"{result.key}: scenario value {result.base:,.6g}; "
        f"{result.metric} there {format_metric(result.metric, result.base_metric, cur)}"
    ]
    if result.value is None:
        lines.append(
            f"no value of {result.key} in [{result.search.low:,.6g}, "
            f"{result.search.high:,.6g}] gives {result.metric} = {target}"
        )
        return lines
    change = (
        f" ({(result.value - result.base) / abs(result.base):+.1%} from the scenario)"
        if result.base
        else ""
    )
    lines.append(
        f"{result.metric} = {target} at {result.key} = {result.value:,.6g}{change}"
    )
    if len(result.search.roots) > 1:
        others = ", ".join(f"{r:,.6g}" for r in result.search.roots)
        lines.append(
            f"note: the target is met at several values ({others}); the one closest "
            "to the scenario's value is shown"
        )
    return lines


def to_json(data: Mapping[str, Any]) -> str:
    """Indented JSON text (NaN already turned into null)."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def draws_csv(draws: pd.DataFrame) -> str:
    """The Monte Carlo draws as CSV text (10 significant digits)."""
    return draws.to_csv(float_format="%.10g")


def p_value_frame(part: RiskSummary) -> pd.DataFrame:
    """P-values as a frame with the convention in a column."""
    frame = part.summary.copy()
    frame["convention"] = PX_NOTE
    return frame
