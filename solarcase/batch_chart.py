"""The map of a batch: sites by longitude and latitude, coloured by the ranking metric.

``plot_sites`` builds a matplotlib :class:`~matplotlib.figure.Figure` with the object
API (no pyplot state); ``write_sites_png`` renders it to a PNG. Marker area is
proportional to the DC capacity; the colour scale runs so that yellow is always the
best end (high NPV, low LCOE); failed items are grey crosses.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from solarcase.atomic import figure_png, write_files_atomically
from solarcase.batch_tables import ASCENDING_METRICS, rank_metric

#: Human name and kind of each rankable metric: money, price, ratio or a unit.
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "annual_energy_kwh": ("Energy, year 1", "MWh"),
    "specific_yield_kwh_per_kwp": ("Specific yield", "kWh/kWp"),
    "performance_ratio": ("Performance ratio", "ratio"),
    "capacity_factor": ("Capacity factor", "ratio"),
    "npv": ("NPV", "money"),
    "equity_npv": ("Equity NPV", "money"),
    "project_irr": ("Project IRR, nominal", "ratio"),
    "equity_irr": ("Equity IRR, nominal", "ratio"),
    "lcoe_real_per_kwh": ("LCOE, real", "price"),
    "lcoe_nominal_per_kwh": ("LCOE, nominal", "price"),
    "simple_payback_years": ("Simple payback", "years"),
    "discounted_payback_years": ("Discounted payback", "years"),
    "min_dscr": ("Minimum DSCR", "-"),
    "avg_dscr": ("Average DSCR", "-"),
    "project_irr_real": ("Project IRR, real", "ratio"),
    "equity_irr_real": ("Equity IRR, real", "ratio"),
    "project_mirr": ("Project MIRR", "ratio"),
    "equity_mirr": ("Equity MIRR", "ratio"),
    "llcr": ("LLCR", "-"),
    "breakeven_price_per_kwh": ("Break-even price", "price"),
    "capex_for_target_equity_irr": ("Capex for the target equity IRR", "money"),
    "debt_for_target_dscr": ("Debt for the target DSCR", "money"),
}
#: Resolution of the chart [dots per inch].
CHART_DPI = 110
#: Marker area of the largest plant [points²].
MAX_MARKER_AREA = 420.0
MIN_MARKER_AREA = 18.0
#: Sites labelled by name on the map up to this many; beyond, the best
#: :data:`TOP_LABELS` are ringed on the map and listed beside it.
MAX_LABELS = 30
TOP_LABELS = 10


def _scale(values: np.ndarray, kind: str, currency: str) -> tuple[float, str]:
    """Divisor and unit text for the colour bar."""
    if kind == "money":
        largest = float(np.nanmax(np.abs(values))) if values.size else 0.0
        for size, word in ((1e12, "trillion "), (1e9, "billion "), (1e6, "million ")):
            if largest >= size:
                return size, f"{word}{currency}"
        return 1.0, currency
    if kind == "price":
        return 1.0, f"{currency}/kWh"
    if kind == "MWh":
        return 1000.0, "MWh"
    return 1.0, kind


def plot_sites(frame: pd.DataFrame, *, rank_by: str = "npv") -> Figure:
    """A longitude/latitude scatter of the batch's items, coloured by ``rank_by``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The results table (or ``batch_tables.Tables.sites``): status, site_name,
        latitude, longitude, dc_capacity_kwp, currency, rank and the metric.
    rank_by : str
        The ranking metric (a headline metric name or an alias).

    Returns
    -------
    figure : matplotlib.figure.Figure
        Not shown and not saved.
    """
    metric = rank_metric(rank_by)
    name, kind = METRIC_LABELS.get(metric, (metric, "-"))
    located = frame.dropna(subset=["latitude", "longitude"])
    ok = located[(located["status"] == "ok") & located[metric].notna()]
    bad = located.drop(ok.index)
    currencies = sorted(set(ok["currency"].dropna()))
    currency = currencies[0] if len(currencies) == 1 else "mixed currencies"
    values = ok[metric].to_numpy(dtype=float)
    divisor, unit = _scale(values, kind, currency)

    many = len(ok) > MAX_LABELS
    figure = Figure(
        figsize=(11.0 if many else 8.5, 7.0), dpi=CHART_DPI, layout="constrained"
    )
    if many:  # too many to name on the map: list the best ones beside it
        ax, panel = figure.subplots(1, 2, width_ratios=[4.0, 1.25])
    else:
        ax, panel = figure.add_subplot(), None
    capacity = ok["dc_capacity_kwp"].to_numpy(dtype=float)
    largest = float(np.nanmax(capacity)) if capacity.size else 1.0
    area = np.clip(MAX_MARKER_AREA * capacity / largest, MIN_MARKER_AREA, None)
    cmap = "viridis_r" if metric in ASCENDING_METRICS else "viridis"
    points = ax.scatter(
        ok["longitude"],
        ok["latitude"],
        c=values / divisor,
        s=area,
        cmap=cmap,
        edgecolors="black",
        linewidths=0.5,
        alpha=0.9,
        zorder=3,
    )
    if len(bad):
        ax.scatter(
            bad["longitude"],
            bad["latitude"],
            marker="x",
            color="0.45",
            s=40,
            zorder=2,
            label=f"failed or n/a ({len(bad)})",
        )
    if len(ok):
        _colour_bar(figure, ax, points, metric, name, "%" if kind == "ratio" else unit)
    if panel is None:
        _label_sites(ax, ok.assign(_area=area))
    else:
        _best_panel(ax, panel, ok.assign(_area=area), metric, divisor, kind, unit)
    _size_legend(ax, largest, show_failed=len(bad) > 0)
    title = f"{len(ok)} sites by {name}"
    if len(ok):
        title += f" · best: {ok.sort_values('rank').iloc[0]['site_name']}"
    _map_axes(ax, located, title)
    return figure


def _colour_bar(
    figure: Figure,
    ax: Axes,
    points: PathCollection,
    metric: str,
    name: str,
    unit: str,
) -> None:
    bar = figure.colorbar(points, ax=ax, shrink=0.85, pad=0.02)
    better = "lower is better" if metric in ASCENDING_METRICS else "higher is better"
    bar.set_label(f"{name} [{unit}] ({better})")
    if unit == "%":
        bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    else:
        bar.ax.yaxis.set_major_formatter(FuncFormatter(_tick))


def _map_axes(ax: Axes, located: pd.DataFrame, title: str) -> None:
    """Axis labels, grid, title, and an aspect that keeps distances true."""
    mean_latitude = float(located["latitude"].mean()) if len(located) else 0.0
    ax.set_aspect(1.0 / max(0.1, math.cos(math.radians(mean_latitude))))
    ax.margins(0.12)
    ax.set_xlabel("Longitude [°E]")
    ax.set_ylabel("Latitude [°N]")
    ax.grid(True, color="0.88", linewidth=0.6, zorder=0)
    ax.set_title(title)


def _tick(value: float, _position: object = None) -> str:
    """Colour-bar ticks: thousands separators, no exponent for large numbers."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _best_panel(
    ax: Axes,
    panel: Axes,
    ok: pd.DataFrame,
    metric: str,
    divisor: float,
    kind: str,
    unit: str,
) -> None:
    """Ring the best sites on the map and list them, with their values, beside it."""
    best = ok.sort_values(["rank", "index"]).head(TOP_LABELS)
    ax.scatter(
        best["longitude"],
        best["latitude"],
        s=best["_area"] * 1.6 + 30,
        facecolors="none",
        edgecolors="red",
        linewidths=1.4,
        zorder=4,
    )
    for _, row in best.iterrows():
        ax.annotate(
            str(int(row["rank"])),
            (row["longitude"], row["latitude"]),
            xytext=(0.4 * math.sqrt(row["_area"]) + 4, 0),
            textcoords="offset points",
            fontsize=8,
            color="red",
            fontweight="bold",
            va="center",
            zorder=5,
        )
    panel.axis("off")
    shown = "%" if kind == "ratio" else unit
    lines = [f"Best {len(best)} (ringed)", f"[{shown}]", ""]
    for _, row in best.iterrows():
        value = row[metric] / divisor
        text = f"{value:.1%}" if kind == "ratio" else _tick(value)
        lines.append(f"{int(row['rank']):>2}. {row['site_name']}")
        lines.append(f"      {text}")
    panel.text(
        0.0, 1.0, "\n".join(lines), va="top", ha="left", fontsize=9,
        family="monospace", transform=panel.transAxes,
    )  # fmt: skip


def _label_sites(ax: Axes, ok: pd.DataFrame) -> None:
    for _, row in ok.sort_values("rank").iterrows():
        rank = "" if pd.isna(row["rank"]) else f"{int(row['rank'])}. "
        offset = 0.36 * math.sqrt(row["_area"]) + 2.0  # clear of the marker [pt]
        ax.annotate(
            f"{rank}{row['site_name']}",
            (row["longitude"], row["latitude"]),
            xytext=(offset, offset),
            textcoords="offset points",
            fontsize=8,
            zorder=4,
        )


def _size_legend(ax: Axes, largest: float, *, show_failed: bool) -> None:
    handles = []
    for fraction in (1.0, 0.5, 0.25):
        kwp = largest * fraction
        text = f"{kwp / 1000:,.3g} MWp" if kwp >= 1000 else f"{kwp:,.3g} kWp"
        handles.append(
            ax.scatter(
                [],
                [],
                s=max(MIN_MARKER_AREA, MAX_MARKER_AREA * fraction),
                facecolors="none",
                edgecolors="black",
                label=text,
            )
        )
    failed = [h for h in ax.collections if str(h.get_label()).startswith("failed")]
    ax.legend(
        handles=handles + (failed if show_failed else []),
        title="DC capacity",
        loc="best",
        fontsize=8,
        title_fontsize=8,
        labelspacing=1.3,
        borderpad=0.9,
        framealpha=0.9,
    )


def write_sites_png(frame: pd.DataFrame, path: Path, *, rank_by: str = "npv") -> Path:
    """Render :func:`plot_sites` to a PNG file atomically."""
    png = figure_png(plot_sites(frame, rank_by=rank_by), dpi=CHART_DPI)
    write_files_atomically(path.parent, {path.name: png})
    return path
