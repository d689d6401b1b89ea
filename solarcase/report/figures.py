"""Charts as matplotlib Figures: presentation only, never shown or saved here.

Object API only (no pyplot state), so charts can be made in threads and worker
processes. Every axis label carries its unit. :func:`solarcase.report.files.figure_png`
renders a figure to PNG bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

#: Default size of a chart [inch]; at 100 dpi a PNG is 900 x 500 pixels.
FIGSIZE_IN = (9.0, 5.0)


def money_scale(values: np.ndarray) -> tuple[float, str]:
    """A divisor and its word for showing money of this size (1e9, "billion").

    Examples
    --------
    >>> money_scale(np.array([2.5e11, -3e10]))
    (1000000000.0, 'billion')
    """
    peak = float(np.nanmax(np.abs(values))) if np.size(values) else 0.0
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if peak >= size:
            return size, word
    return 1.0, ""


def _unit(word: str, currency: str) -> str:
    return f"{word} {currency}".strip()


def plot_cumulative_cash_flow(
    labels: Sequence[str],
    years: np.ndarray,
    cumulative: Sequence[np.ndarray],
    *,
    currency: str,
    title: str = "Cumulative project cash flow",
) -> Figure:
    """Cumulative project free cash flow of each scenario over the years.

    With 30-45 % inflation nominal sums explode in the last years and hide the
    payback; pass real (deflated) flows and say so in ``title``.

    Parameters
    ----------
    labels : sequence of str
        One per scenario.
    years : numpy.ndarray
        Years 0..N (the longest analysis).
    cumulative : sequence of numpy.ndarray
        Cumulative project free cash flow per scenario, years 0..N_i. [cur]
    currency : str
        ISO 4217 code for the axis label.
    """
    figure = Figure(figsize=FIGSIZE_IN, layout="constrained")
    axes = figure.add_subplot()
    scale, word = money_scale(np.concatenate([np.asarray(c) for c in cumulative]))
    for label, values in zip(labels, cumulative, strict=True):
        values = np.asarray(values, dtype=float)
        axes.plot(years[: len(values)], values / scale, marker="o", ms=3, label=label)
    axes.axhline(0.0, color="0.3", lw=0.8)
    axes.set_xlabel("Year (0 = construction)")
    axes.set_ylabel(f"Cumulative cash flow [{_unit(word, currency)}]")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize="small")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    return figure


def plot_metric_bars(
    labels: Sequence[str],
    npv: Sequence[float | None],
    irr: Sequence[float | None],
    lcoe_real: Sequence[float | None],
    *,
    currency: str,
) -> Figure:
    """NPV, project IRR and real LCOE per scenario: three bar panels, one legend."""
    figure = Figure(figsize=FIGSIZE_IN, layout="constrained")
    panels = figure.subplots(1, 3)
    positions = np.arange(len(labels))
    npv_values = _as_array(npv)
    scale, word = money_scale(npv_values)
    specs = (
        (panels[0], npv_values / scale, f"NPV [{_unit(word, currency)}]", "{:,.1f}"),
        (panels[1], _as_array(irr) * 100, "Project IRR, nominal [%]", "{:.1f}"),
        (panels[2], _as_array(lcoe_real), f"LCOE, real [{currency}/kWh]", None),
    )
    colours = [f"C{i}" for i in range(len(labels))]
    for axes, values, title, fmt in specs:
        bars = axes.bar(positions, np.nan_to_num(values), color=colours)
        axes.bar_label(
            bars,
            labels=[_bar_text(v, fmt) for v in values],
            fontsize="small",
            padding=2,
        )
        axes.set_title(title, fontsize="medium")
        axes.set_xticks(positions, [str(i + 1) for i in positions])
        axes.axhline(0.0, color="0.3", lw=0.8)
        axes.grid(True, axis="y", alpha=0.3)
        axes.margins(y=0.12)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    handles = [Patch(color=c) for c in colours]
    names = [f"{i + 1}: {label}" for i, label in enumerate(labels)]
    figure.legend(handles, names, loc="outside lower center", fontsize="small", ncols=1)
    figure.suptitle("Scenarios compared")
    return figure


def _bar_text(value: float, fmt: str | None) -> str:
    if np.isnan(value):
        return "n/a"
    if fmt is not None:
        return fmt.format(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _as_array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:4])
