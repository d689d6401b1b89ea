"""Risk pages of the investor report: the tornado, the Monte Carlo, weather years.

:func:`risk_pages` lays out a :class:`~solarcase.swings.SensitivityResult` and a
:class:`~solarcase.risk.RiskResult` on A4 pages (:class:`~solarcase.report.layout.
Page`); :func:`scenario_risk` computes both for a scenario that has a ``risk``
section, so that the report shows them without being asked. Presentation only, apart
from that call.
"""

from __future__ import annotations

import numpy as np

from solarcase.pipeline import ScenarioResult
from solarcase.report import risk_figures
from solarcase.report.layout import MARGIN_IN, MUTED, SMALL_PT, Flow, Page
from solarcase.report.risk_tables import (
    METRIC_LABELS,
    float_cell,
    format_metric,
    p_value_rows,
)
from solarcase.report.tables import format_percent
from solarcase.risk import PX_NOTE, RiskResult, RiskSummary, run_risk
from solarcase.scenario import risk as model
from solarcase.scenario.keys import describe_key
from solarcase.swings import SensitivityResult, choose_swings, run_sensitivity

__all__ = [
    "describe_distribution",
    "risk_pages",
    "scenario_risk",
    "summary_p_values",
    "summary_risk_note",
]

#: Metrics drawn as histograms and S-curves in the report.
CHART_METRICS: tuple[str, ...] = (
    "annual_energy_kwh",
    "lifetime_energy_kwh",
    "npv",
    "equity_irr",
    "lcoe_real_per_kwh",
    "min_dscr",
)


def scenario_risk(
    result: ScenarioResult,
) -> tuple[SensitivityResult, RiskResult | None]:
    """The default sensitivity, and the Monte Carlo of the scenario's ``risk``
    section (None without one), for the report.

    Swings of keys that need a new yield simulation are left out here (the report
    has no weather frame), and so is a Monte Carlo with such keys; ``solarcase
    sensitivity`` and ``solarcase risk --report`` show them.
    """
    swings, skipped = choose_swings(result.scenario, ())
    kept = []
    for swing in swings:
        keys = [*swing.low, *swing.high]
        if any(describe_key(result.scenario, k).kind == "simulation" for k in keys):
            skipped.append(f"{swing.name}: needs a new yield simulation (see CLI)")
            continue
        kept.append(swing)
    risk = result.scenario.risk
    moved = [] if risk is None else [k for v in risk.variables.values() for k in v.keys]
    needs_weather = [
        k for k in moved if describe_key(result.scenario, k).kind == "simulation"
    ]
    if needs_weather:
        skipped.append(
            f"Monte Carlo: {', '.join(needs_weather)} change the yield simulation; "
            "write the report with solarcase risk SCENARIO --report FILE"
        )
    sensitivity = run_sensitivity(result, kept, skipped=skipped)
    if risk is None or needs_weather:
        return sensitivity, None
    return sensitivity, run_risk(result)


def describe_distribution(item: model.RiskVariable) -> str:
    """One phrase for a variable's distribution, e.g. 'normal, mean 0.4, sd 0.06'.

    Examples
    --------
    >>> from solarcase.scenario.risk import RiskVariable
    >>> describe_distribution(RiskVariable(keys=["energy_factor"],
    ...     distribution={"type": "uniform", "low": 0.9, "high": 1.1}))
    'uniform 0.9 to 1.1 (value)'
    """
    d = item.distribution
    if isinstance(d, model.NormalDist | model.LogNormalDist):
        text = f"{d.type}, mean {d.mean:g}, sd {d.sd:g}"
        if d.min is not None or d.max is not None:
            text += f", within [{d.min if d.min is not None else '-inf'}, "
            text += f"{d.max if d.max is not None else 'inf'}]"
    elif isinstance(d, model.TriangularDist):
        text = f"triangular {d.low:g} / {d.mode:g} / {d.high:g}"
    elif isinstance(d, model.UniformDist):
        text = f"uniform {d.low:g} to {d.high:g}"
    else:
        chances = d.probabilities or [1.0 / len(d.values)] * len(d.values)
        text = "discrete " + ", ".join(
            f"{v:g} ({p:.0%})" for v, p in zip(d.values, chances, strict=True)
        )
    return f"{text} ({item.apply})"


def sensitivity_pages(sensitivity: SensitivityResult) -> list[Page]:
    """The tornado of the NPV and the table of swings (one page, more if long)."""
    cur = sensitivity.currency
    flow = Flow(
        "Sensitivity",
        "One input at a time between a low and a high value; all "
        "else as in the scenario",
    )
    bars = sensitivity.bars("npv")
    chart_in = min(0.9 + 0.3 * max(len(bars), 1), 6.0)
    flow.heading("What moves the NPV", keep_in=chart_in)
    risk_figures.draw_tornado(
        flow.page.axes(chart_in, left_in=1.3, top_in=0.1),
        bars,
        metric="npv",
        currency=cur,
    )
    flow.heading("Swings")
    irr = sensitivity.bars("project_irr")
    rows = []
    for name, bar in bars.iterrows():
        rows.append(
            (
                _swing_label(str(name)),
                f"{bar['low_setting']} / {bar['high_setting']}",
                f"{format_metric('npv', bar['low'], cur)} / "
                f"{format_metric('npv', bar['high'], cur)}",
                f"{format_metric('project_irr', float_cell(irr, name, 'low'), cur)} / "
                f"{format_metric('project_irr', float_cell(irr, name, 'high'), cur)}",
            )
        )
    flow.table(
        rows,
        columns_in=(1.2, 1.7, 2.5, 1.6),
        header=("Input", "Low / high", "NPV at low / high", "Project IRR"),
        align=("l", "l", "r", "r"),
        size=SMALL_PT + 0.5,
    )
    flow.heading("Why these ranges")
    for swing in sensitivity.swings:
        if swing.reason:
            flow.text(f"{_swing_label(swing.name)}: {swing.reason}", size=SMALL_PT)
    for line in sensitivity.skipped:
        flow.text(f"left out: {line}", size=SMALL_PT, color=MUTED)
    return flow.pages


def _swing_label(name: str) -> str:
    """A swing's name as the tornado shows it ("om" -> "O&M")."""
    return risk_figures.SWING_LABELS.get(name, name.replace("_", " "))


def _p_table(flow: Flow, risk: RiskResult, part: RiskSummary) -> None:
    cur = risk.currency
    width = flow.page.width_in
    widths = (2.3, *([(width - 3.4) / len(risk.px)] * len(risk.px)), 1.1)
    flow.table(
        p_value_rows(risk, part, labels=METRIC_LABELS),
        columns_in=widths,
        header=("Metric", *(f"P{x:g}" for x in risk.px), "Base"),
        size=SMALL_PT + 0.5,
    )
    flow.text(
        f"Energy in MWh, money in {cur} (m, bn, tn: million, billion, trillion), "
        f"LCOE in {cur}/kWh. Base: the scenario without uncertainty.",
        size=SMALL_PT,
        color=MUTED,
    )


def _probabilities(risk: RiskResult, part: RiskSummary) -> str:
    text = f"Probability that NPV < 0: {format_percent(part.probability_npv_negative)}."
    breach = part.probability_dscr_breach
    if np.isfinite(breach):
        text += (
            f" Probability that the lowest DSCR falls below the covenant "
            f"{risk.covenant:.2f}: {format_percent(breach)}."
        )
    return text


def summary_p_values(risk: RiskResult, metric: str) -> list[str]:
    """P50 and P90 of one metric for the summary table, short (money in m, bn,
    tn with the currency code); "" for both when no draw has a value."""
    summary = risk.main.summary
    if float_cell(summary, metric, "no_value_share") >= 1.0:
        return ["", ""]
    money = metric in ("npv", "equity_npv")
    cur = risk.currency
    values = [float_cell(summary, metric, p) for p in ("P50", "P90")]
    return [
        f"{format_metric(metric, value, cur, compact=True)} {cur}"
        if money and np.isfinite(value)
        else format_metric(metric, value, cur)
        for value in values
    ]


def summary_risk_note(risk: RiskResult) -> str:
    """What the P50 and P90 columns of the summary are, and the probabilities."""
    return (
        f"P50, P90: Monte Carlo of {risk.n_draws:,} draws (risk pages); Px is "
        "exceeded with probability x, so P90 is the low case; IRR nominal. "
        + _probabilities(risk, risk.main)
    )


def monte_carlo_pages(risk: RiskResult) -> list[Page]:
    """P-values, probabilities and inputs; then histograms and S-curves."""
    flow = Flow(
        "Risk: Monte Carlo",
        f"{risk.n_draws:,} draws, seed {risk.seed}; the same seed gives the same "
        "numbers",
    )
    flow.text(PX_NOTE + ".", weight="bold")
    flow.heading("P-values")
    _p_table(flow, risk, risk.main)
    flow.page.space(0.05)
    flow.text(_probabilities(risk, risk.main))
    flow.heading("What is uncertain")
    energy = risk.risk.energy
    rows = [
        (
            "yield: model and data",
            "every year, one factor per draw",
            f"normal, sd {energy.model_uncertainty:.1%}",
            energy.source,
        ),
        (
            "yield: weather",
            "each operating year",
            f"normal, sd {energy.interannual_variability:.1%}",
            energy.source,
        ),
    ]
    for name, variable in risk.risk.variables.items():
        rows.append(
            (
                name,
                ", ".join(variable.keys),
                describe_distribution(variable),
                variable.source,
            )
        )
    flow.table(
        rows,
        columns_in=(1.3, 2.2, 1.9, 1.6),
        header=("Input", "Keys", "Distribution", "Source"),
        align=("l", "l", "l", "l"),
        size=SMALL_PT,
    )
    for first, second, rho in risk.risk.correlations:
        flow.text(
            f"Rank correlation {first} ~ {second}: {rho:+.2f} (Spearman, Gaussian "
            "copula)",
            size=SMALL_PT,
        )
    for note in risk.notes[1:]:
        flow.text(f"• {note}", size=SMALL_PT, color=MUTED)
    return [*flow.pages, *_chart_pages(risk, risk.main, "Risk: distributions")]


def _chart_pages(risk: RiskResult, part: RiskSummary, title: str) -> list[Page]:
    labels = [f"P{x:g}" for x in risk.px]
    flow = Flow(title, PX_NOTE, start=lambda page: _p_legend(page, labels))
    shown = [
        m for m in CHART_METRICS if float_cell(part.summary, m, "no_value_share") < 1.0
    ]
    for start in range(0, len(shown), 2):
        pair = shown[start : start + 2]
        flow.heading(" and ".join(METRIC_LABELS[m] for m in pair), keep_in=1.9)
        hist_axes = flow.page.axes_row(1.9, 2, left_in=0.65, right_in=0.0, top_in=0.15)
        for axes, metric in zip(hist_axes, pair, strict=False):
            risk_figures.draw_histogram(
                axes,
                part.draws[metric].to_numpy(dtype=float),
                metric=metric,
                currency=risk.currency,
                p_values={x: float_cell(part.summary, metric, x) for x in labels},
                legend=False,
            )
        for axes in hist_axes[len(pair) :]:
            axes.remove()
    if "npv" in shown:
        flow.heading("S-curves: probability of exceeding", keep_in=2.0)
        for axes, metric in zip(
            flow.page.axes_row(2.0, 2, left_in=0.65, right_in=0.0, top_in=0.15),
            ("npv", "annual_energy_kwh"),
            strict=True,
        ):
            risk_figures.draw_exceedance(
                axes,
                part.draws[metric].to_numpy(dtype=float),
                metric=metric,
                currency=risk.currency,
                p_values={x: float_cell(part.summary, metric, x) for x in labels},
                legend=False,
            )
    return flow.pages


def _p_legend(page: Page, labels: list[str]) -> None:
    """One legend line for the P-value marks of every chart on the page."""
    height = 0.25
    page.figure.legend(
        handles=risk_figures.p_legend_handles(labels),
        loc="center left",
        bbox_to_anchor=(
            MARGIN_IN / page.size_in[0],
            1.0 - (page.cursor_in + height / 2) / page.size_in[1],
        ),
        ncols=len(labels),
        fontsize=SMALL_PT,
        frameon=False,
        borderaxespad=0.0,
    )
    page.space(height)


def weather_year_pages(risk: RiskResult) -> list[Page]:
    """The simulated weather years and their P-values, when there are some."""
    years = risk.weather_years
    if years is None:
        return []
    flow = Flow(
        "Risk: weather years",
        f"Every year of the weather series simulated ({years.years[0]}-"
        f"{years.years[-1]})",
    )
    flow.heading("Energy of the first operating year with each year's weather")
    flow.table(
        [
            (str(y), format_metric("annual_energy_kwh", e, ""), f"{r:.3f}")
            for y, e, r in zip(years.years, years.energy_kwh, years.ratios, strict=True)
        ],
        columns_in=(1.0, 1.6, 1.2),
        header=("Year", "Energy", "Ratio to mean"),
        size=SMALL_PT + 0.5,
    )
    flow.heading("P-values of one year's energy")
    summary = years.summary
    column_in = min(1.2, (flow.page.width_in - 1.6) / len(risk.px))
    flow.table(
        [
            [
                kind,
                *(
                    format_metric(
                        "annual_energy_kwh", float_cell(summary, kind, f"P{x:g}"), ""
                    )
                    for x in risk.px
                ),
            ]
            for kind in summary.index
        ],
        columns_in=(1.6, *([column_in] * len(risk.px))),
        header=("From", *(f"P{x:g}" for x in risk.px)),
        size=SMALL_PT + 0.5,
    )
    if years.risk is not None:
        flow.heading("Monte Carlo with the weather of these years", keep_in=1.5)
        _p_table(flow, risk, years.risk)
        flow.text(_probabilities(risk, years.risk))
    return flow.pages


def risk_pages(
    sensitivity: SensitivityResult | None, risk: RiskResult | None
) -> list[Page]:
    """The risk pages of the report, in order."""
    pages: list[Page] = []
    if sensitivity is not None and len(sensitivity.swings):
        pages.extend(sensitivity_pages(sensitivity))
    if risk is not None:
        pages.extend(monte_carlo_pages(risk))
        pages.extend(weather_year_pages(risk))
    return pages
