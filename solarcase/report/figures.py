"""Charts as matplotlib Figures: presentation only, never shown or saved here.

Object API only (no pyplot state), so charts can be made in threads and worker
processes. Every axis label carries its unit. :func:`solarcase.report.files.figure_png`
renders a figure to PNG bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from numpy.typing import ArrayLike

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
    axes.yaxis.set_major_formatter(FuncFormatter(_tick))
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
        axes.yaxis.set_major_formatter(FuncFormatter(_tick))
    handles = [Patch(color=c) for c in colours]
    names = [f"{i + 1}: {label}" for i, label in enumerate(labels)]
    figure.legend(handles, names, loc="outside lower center", fontsize="small", ncols=1)
    figure.suptitle("Scenarios compared")
    return figure


def _tick(value: float, _position: float | None = None) -> str:
    """Axis tick text: thousands separators for large values, 3 digits for small."""
    if value == 0:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _bar_text(value: float, fmt: str | None) -> str:
    if np.isnan(value):
        return "n/a"
    if fmt is not None:
        return fmt.format(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _as_array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


# ------------------------------------------------------------- report charts

MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

#: People's names of the loss-waterfall steps of ``energy.results.LOSS_STEPS``.
STEP_LABELS = {
    "horizontal_irradiation": "Horizontal irradiation x kWp",
    "transposition": "Tilt and orientation (transposition)",
    "row_shading": "Row-to-row shading",
    "incidence_angle": "Reflection (incidence angle)",
    "spectral": "Spectrum",
    "soiling": "Soiling",
    "temperature": "Cell temperature",
    "module_model": "Module model vs STC",
    "dc_losses": "DC losses (mismatch, wiring, LID, ...)",
    "inverter_efficiency": "Inverter efficiency",
    "clipping": "Inverter clipping",
    "availability": "Availability",
}


def draw_monthly_energy(
    axes: Axes,
    monthly_energy_kwh: ArrayLike,
    monthly_poa_kwh_per_m2: ArrayLike,
) -> None:
    """Bars of delivered energy per month [MWh], a line of in-plane irradiation."""
    positions = np.arange(12)
    energy_mwh = np.asarray(monthly_energy_kwh, dtype=float) / 1000.0
    axes.bar(positions, energy_mwh, color="C0", label="Delivered energy")
    axes.set_xticks(positions, MONTHS)
    axes.set_ylabel("Energy [MWh]")
    axes.grid(True, axis="y", alpha=0.3)
    axes.yaxis.set_major_formatter(FuncFormatter(_tick))
    twin = axes.twinx()
    twin.plot(
        positions,
        monthly_poa_kwh_per_m2,
        color="C1",
        marker="o",
        ms=3,
        label="In-plane irradiation",
    )
    twin.set_ylabel("In-plane irradiation [kWh/m²]")
    twin.set_ylim(bottom=0)
    handles = axes.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    _legend_above(axes, handles, ncols=len(handles))


def draw_loss_waterfall(
    axes: Axes, steps: Sequence[str], energy_kwh: ArrayLike
) -> None:
    """Horizontal waterfall from the reference energy (horizontal irradiation x DC
    kWp / 1 kW/m²) through each step to the delivered AC energy [MWh]."""
    energy = np.asarray(energy_kwh, dtype=float) / 1000.0
    labels = [STEP_LABELS.get(s, s) for s in steps] + ["Delivered AC energy"]
    y = np.arange(len(labels))[::-1]
    axes.barh(y[0], energy[0], color="0.6")
    for i in range(1, len(energy)):
        change = energy[i] - energy[i - 1]
        colour = "#2e7d32" if change > 0 else "#c62828"
        axes.barh(y[i], change, left=energy[i - 1], color=colour)
        share = change / energy[i - 1] if energy[i - 1] else 0.0
        axes.annotate(
            _share_text(share),
            (max(energy[i], energy[i - 1]), y[i]),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="x-small",
        )
    axes.barh(y[-1], energy[-1], color="C0")
    axes.annotate(
        f"{energy[-1]:,.0f} MWh",
        (energy[-1], y[-1]),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize="x-small",
    )
    axes.set_yticks(y, labels, fontsize="small")
    axes.set_xlabel("Energy [MWh per year]")
    axes.grid(True, axis="x", alpha=0.3)
    axes.set_xlim(0, energy.max() * 1.15)
    axes.xaxis.set_major_formatter(FuncFormatter(_tick))


def _share_text(share: float) -> str:
    """A loss or gain as a percentage: one decimal, two below 0.1 %, and
    "< 0.01 %" for a step that is not zero but rounds to it.

    Examples
    --------
    >>> [_share_text(x) for x in (0.147, -0.0005, -0.00001, 0.0)]
    ['+14.7 %', '-0.05 %', '< 0.01 %', '0.0 %']
    """
    if share == 0:
        return "0.0 %"
    if abs(share) < 0.00005:
        return "< 0.01 %"
    text = f"{share:+.1%}" if abs(share) >= 0.001 else f"{share:+.2%}"
    return text.replace("%", " %")


def draw_cash_flow(
    axes: Axes,
    years: np.ndarray,
    real_flows: np.ndarray,
    cumulative_real: np.ndarray,
    cumulative_discounted: np.ndarray,
    *,
    currency: str,
    discounted_payback_years: float | None,
) -> None:
    """Yearly project cash flow in year-0 money (bars), its running sum and the
    running sum of discounted flows (lines); the discounted payback is marked."""
    scale, word = money_scale(np.concatenate([real_flows, cumulative_real]))
    colours = np.where(real_flows >= 0, "C0", "#c62828")
    axes.bar(years, real_flows / scale, color=colours)
    axes.bar([], [], color="C0", label="Cash flow, real (outflows red)")
    axes.plot(
        years,
        cumulative_real / scale,
        color="C1",
        marker="o",
        ms=2.5,
        label="Cumulative, real",
    )
    axes.plot(
        years,
        cumulative_discounted / scale,
        color="C2",
        marker="s",
        ms=2.5,
        label="Cumulative, discounted",
    )
    axes.axhline(0.0, color="0.3", lw=0.8)
    if discounted_payback_years is not None:
        axes.axvline(discounted_payback_years, color="C2", ls="--", lw=1)
        axes.annotate(
            f"discounted payback {discounted_payback_years:.1f} y",
            (discounted_payback_years, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-4, -4),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize="x-small",
            color="C2",
            bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.9},
        )
    axes.set_xlabel("Year (0 = construction)")
    axes.set_ylabel(f"Cash flow [{_unit(word, currency)}, year-0 money]")
    axes.grid(True, alpha=0.3)
    _legend_above(axes, axes.get_legend_handles_labels()[0], ncols=3)
    axes.yaxis.set_major_formatter(FuncFormatter(_tick))


def _legend_above(axes: Axes, handles: Sequence, *, ncols: int) -> None:
    """A frameless legend in one row just above the plot, clear of the data."""
    axes.legend(
        handles,
        [h.get_label() for h in handles],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        fontsize="small",
        ncols=ncols,
        frameon=False,
    )


def draw_debt(
    axes: Axes,
    years: np.ndarray,
    debt_service: np.ndarray,
    dscr: np.ndarray,
    *,
    currency: str,
    covenant: float,
) -> None:
    """Debt service per loan year (bars, nominal) and the DSCR (line, right axis),
    with the covenant [-] as a dotted line."""
    scale, word = money_scale(debt_service)
    axes.bar(years, debt_service / scale, color="0.55", label="Debt service")
    axes.set_xlabel("Year")
    axes.set_ylabel(f"Debt service [{_unit(word, currency)}, nominal]")
    axes.grid(True, axis="y", alpha=0.3)
    twin = axes.twinx()
    twin.plot(years, dscr, color="C3", marker="o", ms=3, label="DSCR")
    twin.axhline(
        covenant, color="C3", ls=":", lw=1, label=f"DSCR covenant {covenant:.2f}"
    )
    twin.set_ylabel("DSCR [-]")
    twin.set_ylim(bottom=0)
    handles = axes.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    _legend_above(axes, handles, ncols=len(handles))
