"""Risk charts as matplotlib Figures: tornado, histograms, exceedance (S) curves.

Presentation only, object API (no pyplot state); every axis label has a unit.
``draw_*`` functions draw on given axes (the PDF pages use them), ``plot_*`` make a
stand-alone Figure (the PNG files). The exceedance curve plots, for each value, the
probability that a draw exceeds it, so Px reads straight off it (P90: where the curve
crosses 90 %), the PV industry's convention.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from solarcase.report.figures import money_scale
from solarcase.report.risk_tables import METRIC_LABELS, float_cell

__all__ = [
    "axis_unit",
    "draw_exceedance",
    "draw_histogram",
    "draw_tornado",
    "p_legend_handles",
    "plot_histograms",
    "plot_s_curves",
    "plot_tornado",
]

#: How the default swings read on a chart.
SWING_LABELS: dict[str, str] = {
    "capex": "capex",
    "price": "tariff price",
    "energy": "energy yield",
    "om": "O&M",
    "discount_rate": "discount rate",
    "inflation": "inflation",
    "exchange_rate": "exchange-rate rise",
    "degradation": "degradation",
    "late_payment": "late payment",
}
LOW_COLOUR = "#2f6f9f"
HIGH_COLOUR = "#d9822b"
P_COLOURS = ("#b2182b", "0.2", "#2166ac", "#7b3294", "#008837")


def axis_unit(metric: str, values: np.ndarray, currency: str) -> tuple[float, str]:
    """Divisor and unit label for showing a metric's values on an axis.

    Examples
    --------
    >>> axis_unit("npv", np.array([2.5e11]), "IRR")
    (1000000000.0, 'billion IRR')
    >>> axis_unit("project_irr", np.array([0.2]), "IRR")
    (0.01, '%')
    """
    if metric.endswith("energy_kwh"):
        return 1000.0, "MWh"
    if metric.endswith("irr"):
        return 0.01, "%"
    if metric.startswith("lcoe"):
        return 1.0, f"{currency}/kWh"
    if metric.endswith("dscr"):
        return 1.0, "-"
    if metric.endswith("payback_years"):
        return 1.0, "years"
    finite = values[np.isfinite(values)]
    size, word = money_scale(finite if finite.size else np.zeros(1))
    return size, f"{word} {currency}".strip()


def _label(metric: str, unit: str) -> str:
    return f"{METRIC_LABELS.get(metric, metric)} [{unit}]"


def _tick(value: float, _position: float | None = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def draw_tornado(axes: Axes, bars: pd.DataFrame, *, metric: str, currency: str) -> None:
    """Horizontal bars from the base value to the low and high cases, widest on top.

    Parameters
    ----------
    bars : pandas.DataFrame
        From :func:`~solarcase.analysis.sensitivity.tornado_bars`.
    metric : str
        The metric the bars show.
    currency : str
        ISO 4217 code for money axes.
    """
    values = bars[["low", "high", "base"]].to_numpy(dtype=float).ravel()
    scale, unit = axis_unit(metric, values, currency)
    base = float(bars["base"].iloc[0]) / scale if len(bars) else 0.0
    positions = np.arange(len(bars))[::-1]
    for y, (_name, bar) in zip(positions, bars.iterrows(), strict=True):
        for side, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
            end = float(bar[side]) / scale
            if not np.isfinite(end):
                continue
            axes.barh(y, end - base, left=base, color=colour, height=0.6)
            align = "left" if end >= base else "right"
            axes.text(
                end,
                y,
                f" {bar[f'{side}_setting']} ",
                va="center",
                ha=align,
                fontsize=7,
                color="0.25",
            )
    axes.axvline(base, color="0.2", lw=0.8)
    axes.set_yticks(positions)
    axes.set_yticklabels([SWING_LABELS.get(str(n), str(n)) for n in bars.index])
    axes.set_xlabel(_label(metric, unit))
    axes.xaxis.set_major_formatter(FuncFormatter(_tick))
    axes.grid(True, axis="x", alpha=0.3)
    axes.margins(x=0.18)
    axes.bar(0, 0, color=LOW_COLOUR, label="low setting")
    axes.bar(0, 0, color=HIGH_COLOUR, label="high setting")
    axes.legend(loc="lower right", fontsize="small")


def plot_tornado(
    bars: pd.DataFrame, *, metric: str, currency: str, title: str = ""
) -> Figure:
    """A stand-alone tornado chart."""
    height = 1.6 + 0.42 * max(len(bars), 1)
    figure = Figure(figsize=(9.0, height), layout="constrained")
    axes = figure.add_subplot()
    draw_tornado(axes, bars, metric=metric, currency=currency)
    base = bars["base"].iloc[0] if len(bars) else float("nan")
    scale, unit = axis_unit(metric, np.array([base], dtype=float), currency)
    axes.set_title(
        title
        or f"Sensitivity of {METRIC_LABELS.get(metric, metric)} (base "
        f"{_tick(base / scale)} {unit})"
    )
    return figure


def _p_lines(p_values: Mapping[str, float]) -> list[tuple[str, float, str]]:
    return [
        (label, float(value), P_COLOURS[i % len(P_COLOURS)])
        for i, (label, value) in enumerate(p_values.items())
        if np.isfinite(value)
    ]


def draw_histogram(
    axes: Axes,
    values: np.ndarray,
    *,
    metric: str,
    currency: str,
    p_values: Mapping[str, float],
    legend: bool = True,
) -> None:
    """Histogram of one metric's draws with its P-values marked (and named in a
    legend unless ``legend`` is False: :func:`p_legend_handles` for a shared one)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    scale, unit = axis_unit(metric, finite, currency)
    axes.hist(finite / scale, bins=50, color="0.75", edgecolor="white", linewidth=0.3)
    for label, value, colour in _p_lines(p_values):
        axes.axvline(value / scale, color=colour, lw=1.1, label=label)
    axes.set_xlabel(_label(metric, unit), fontsize=8)
    axes.set_ylabel("Draws [-]", fontsize=8)
    axes.tick_params(labelsize=7)
    axes.xaxis.set_major_formatter(FuncFormatter(_tick))
    if legend:
        axes.legend(fontsize=6, loc="upper right")


def draw_exceedance(
    axes: Axes,
    values: np.ndarray,
    *,
    metric: str,
    currency: str,
    p_values: Mapping[str, float],
    legend: bool = True,
) -> None:
    """Probability of exceeding each value (the S-curve), P-values marked (legend:
    as in :func:`draw_histogram`)."""
    finite = np.sort(np.asarray(values, dtype=float))
    total = finite.size
    finite = finite[np.isfinite(finite)]
    scale, unit = axis_unit(metric, finite, currency)
    # share of all draws above each sorted value (draws without a value count as
    # below every value for "higher is better" metrics)
    exceed = 1.0 - (np.arange(1, finite.size + 1) + (total - finite.size)) / total
    axes.plot(finite / scale, 100.0 * exceed, color="0.2", lw=1.2)
    for label, value, colour in _p_lines(p_values):
        x = float(label.lstrip("P"))
        axes.plot([value / scale], [x], "o", color=colour, ms=4, label=label)
    axes.set_xlabel(_label(metric, unit), fontsize=8)
    axes.set_ylabel("Probability of exceeding [%]", fontsize=8)
    axes.set_ylim(0, 100)
    axes.tick_params(labelsize=7)
    axes.xaxis.set_major_formatter(FuncFormatter(_tick))
    axes.grid(True, alpha=0.3)
    if legend:
        axes.legend(fontsize=6, loc="upper right")


def p_legend_handles(labels: Sequence[str]) -> list[Line2D]:
    """Legend entries for P-value marks, in the colours the charts draw them."""
    return [
        Line2D([], [], color=P_COLOURS[i % len(P_COLOURS)], lw=1.1, label=label)
        for i, label in enumerate(labels)
    ]


def _grid(
    draws: pd.DataFrame,
    summary: pd.DataFrame,
    metrics: Sequence[str],
    px: Sequence[float],
    *,
    currency: str,
    draw: Callable[..., None],
    title: str,
) -> Figure:
    shown = [m for m in metrics if float_cell(summary, m, "no_value_share") < 1.0]
    rows = max(1, (len(shown) + 1) // 2)
    figure = Figure(figsize=(10.0, 2.6 * rows + 0.6), layout="constrained")
    for index, metric in enumerate(shown):
        axes = figure.add_subplot(rows, 2, index + 1)
        draw(
            axes,
            draws[metric].to_numpy(dtype=float),
            metric=metric,
            currency=currency,
            p_values={f"P{x:g}": float_cell(summary, metric, f"P{x:g}") for x in px},
        )
    figure.suptitle(title, fontsize=10)
    return figure


def plot_histograms(
    draws: pd.DataFrame,
    summary: pd.DataFrame,
    metrics: Sequence[str],
    px: Sequence[float],
    *,
    currency: str,
) -> Figure:
    """Histograms of several metrics, two per row, P-values marked."""
    return _grid(
        draws,
        summary,
        metrics,
        px,
        currency=currency,
        draw=draw_histogram,
        title=f"Monte Carlo, {len(draws):,} draws (Px: exceeded with probability x)",
    )


def plot_s_curves(
    draws: pd.DataFrame,
    summary: pd.DataFrame,
    metrics: Sequence[str],
    px: Sequence[float],
    *,
    currency: str,
) -> Figure:
    """Exceedance curves of several metrics, two per row, P-values marked."""
    return _grid(
        draws,
        summary,
        metrics,
        px,
        currency=currency,
        draw=draw_exceedance,
        title="Probability of exceeding each value (Px: exceeded with probability x)",
    )
