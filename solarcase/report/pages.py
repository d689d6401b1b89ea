"""The pages of the investor report, each a :class:`~solarcase.report.layout.Page`.

Executive summary, energy, finance, the cash-flow table and the assumptions, built
from a :class:`~solarcase.pipeline.ScenarioResult`. Presentation only: numbers come
from the result and are formatted by :mod:`solarcase.report.tables`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from solarcase.finance.rates import discount_factors
from solarcase.pipeline import ScenarioResult
from solarcase.report import figures
from solarcase.report.layout import (
    A4_LANDSCAPE_IN,
    HEADING_IN,
    MUTED,
    SMALL_PT,
    Page,
)
from solarcase.report.tables import (
    describe_mount,
    format_energy_kwh,
    format_irr_pair,
    format_money,
    format_percent,
    format_position,
    format_price,
    format_years,
    scalar_input,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from solarcase.risk import RiskResult


def verdict(result: ScenarioResult) -> str:
    """One line an investment committee reads first."""
    m = result.headline()
    rate = format_percent(scalar_input(result.finance_inputs.discount_rate_nominal))
    npv = m["npv"]
    if npv is None:
        head = "NPV cannot be computed"
    else:
        sign = "positive" if npv >= 0 else "negative"
        money = format_money(npv, result.currency)
        head = f"NPV {sign} ({money}) at {rate} nominal discount rate"
    payback = m["simple_payback_years"]
    tail = (
        f"simple payback {payback:.1f} years"
        if payback is not None
        else "the investment is not paid back within the analysis"
    )
    return f"{head}; {tail}."


def headline_rows(result: ScenarioResult) -> list[tuple[str, str, str, str]]:
    """The headline metrics, formatted: (label, value in the model currency, value
    in the reference currency or "", name of the metric in a Monte Carlo or "")."""
    m = result.headline()
    cur = result.currency
    capex = sum(result.capex_items.values())
    ref = _reference_values(result, capex)
    rows = [
        (
            "Energy, first operating year",
            format_energy_kwh(m["annual_energy_kwh"] or 0),
            "",
            "annual_energy_kwh",
        ),
        ("Specific yield", f"{m['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp", "", ""),
        ("Performance ratio", format_percent(m["performance_ratio"]), "", ""),
        ("Capacity factor (on DC)", format_percent(m["capacity_factor"]), "", ""),
        ("Capex", format_money(capex, cur), ref.get("capex", ""), ""),
        (
            "NPV (project, after tax)",
            format_money(m["npv"], cur),
            ref.get("npv", ""),
            "npv",
        ),
        (
            "Project IRR, nominal / real",
            format_irr_pair(m["project_irr"], m["project_irr_real"]),
            ref.get("project_irr", ""),
            "project_irr",
        ),
    ]
    if result.finance_inputs.debt is not None:
        rows += [
            (
                "Equity NPV",
                format_money(m["equity_npv"], cur),
                ref.get("equity_npv", ""),
                "equity_npv",
            ),
            (
                "Equity IRR, nominal / real",
                format_irr_pair(m["equity_irr"], m["equity_irr_real"]),
                ref.get("equity_irr", ""),
                "equity_irr",
            ),
        ]
    rows += [
        (
            "LCOE, real (year-0 money)",
            format_price(m["lcoe_real_per_kwh"], cur),
            ref.get("lcoe_real", ""),
            "",
        ),
        (
            "LCOE, nominal",
            format_price(m["lcoe_nominal_per_kwh"], cur),
            ref.get("lcoe_nominal", ""),
            "",
        ),
        ("Simple payback", format_years(m["simple_payback_years"]), "", ""),
        ("Discounted payback", format_years(m["discounted_payback_years"]), "", ""),
        (
            "Minimum DSCR",
            "n/a: no debt" if m["min_dscr"] is None else f"{m['min_dscr']:.2f}",
            "",
            "min_dscr",
        ),
    ]
    return rows


def _reference_values(result: ScenarioResult, capex: float) -> dict[str, str]:
    """The headline metrics in the reference currency, formatted ({} without one)."""
    ref, code = result.reference, result.reference_currency
    if ref is None or code is None:
        return {}

    def pair(nominal: np.ndarray, real: np.ndarray) -> str:
        return format_irr_pair(float(nominal[0]), float(real[0]))

    return {
        "capex": format_money(capex / float(ref.fx[0, 0]), code),
        "npv": format_money(float(ref.npv[0]), code),
        "project_irr": pair(ref.project_irr, ref.project_irr_real),
        "equity_npv": format_money(float(ref.equity_npv[0]), code),
        "equity_irr": pair(ref.equity_irr, ref.equity_irr_real),
        "lcoe_real": format_price(float(ref.lcoe_real_per_kwh[0]), code),
        "lcoe_nominal": format_price(float(ref.lcoe_nominal_per_kwh[0]), code),
    }


def reference_note(result: ScenarioResult) -> str:
    """How the reference-currency column was computed ("" without one)."""
    ref, code = result.reference, result.reference_currency
    if ref is None or code is None:
        return ""
    cur = result.currency
    return (
        f"{code}: each year's cash flow at that year's exchange rate "
        f"({float(ref.fx[0, 0]):,.0f} {cur}/{code} in year 0, "
        f"{format_money(float(ref.fx[0, -1]), cur)}/{code} in year "
        f"{ref.fx.shape[1] - 1}), discounted at "
        f"{format_percent(float(ref.discount_rate_nominal[0]))} nominal; capex at "
        "the year-0 rate."
    )


def plant_rows(result: ScenarioResult) -> list[tuple[str, str]]:
    """What was built, and where."""
    site = result.scenario.site
    layout = result.energy.layout
    system = result.scenario.system
    meta = result.weather_meta
    module = system.module
    inverter = system.inverter
    module_text = (
        f"PVWatts {module.module_type} module"
        if module.model == "pvwatts"
        else f"CEC: {module.name}"
    )
    inverter_text = (
        f"PVWatts inverter, {format_percent(inverter.eta_inv_nom)} nominal efficiency"
        if inverter.model == "pvwatts"
        else f"CEC: {inverter.name}"
    )
    return [
        (
            "Site",
            f"{site.name}, {format_position(site.latitude, site.longitude)}, "
            f"{site.altitude:,.0f} m",
        ),
        (
            "Capacity",
            f"{layout.dc_capacity_kwp:,.0f} kWp DC, {layout.ac_capacity_kw:,.0f} kW AC",
        ),
        ("Mounting", describe_mount(result)),
        ("Module / inverter", f"{module_text}; {inverter_text}"),
        (
            "Weather",
            f"{Path(meta.path).name if meta.path else meta.source} "
            f"({'SYNTHETIC' if meta.is_synthetic else meta.source})",
        ),
        (
            "Analysis",
            f"{result.scenario.finance.analysis_years} operating years, "
            f"model currency {result.currency}",
        ),
    ]


def summary_page(
    result: ScenarioResult, *, subtitle: str, risk: RiskResult | None = None
) -> Page:
    """Page 1: the plant, the headline metrics (in the reference currency too, and
    P50/P90 when there is a Monte Carlo), the verdict; always one page: the chart
    takes the room that is left."""
    page = Page()
    page.title(result.scenario.name, subtitle)
    if result.scenario.description:
        page.text(result.scenario.description, color=MUTED)
        page.space(0.05)
    page.text(verdict(result), weight="bold")
    page.heading("The plant")
    page.table(plant_rows(result), columns_in=(1.6, 5.4), align=("l", "l"), shade=False)
    page.heading("Headline results")
    _headline_table(page, result, risk)
    notes = [f"• {note}" for note in result.notes]
    notes_in = sum(page.text_height(n, size=SMALL_PT) for n in notes)
    chart_in = page.remaining_in - HEADING_IN - (HEADING_IN + notes_in if notes else 0)
    page.heading("Cumulative cash flow")
    _draw_cash_flow(page.axes(min(3.0, max(chart_in, 1.8)), top_in=0.3), result)
    if notes:
        page.heading("Notes")
        for note in notes:
            page.text(note, size=SMALL_PT)
    return page


def _headline_table(
    page: Page, result: ScenarioResult, risk: RiskResult | None
) -> None:
    """The headline metrics in the model currency, the reference currency (when
    the scenario names one) and as P50 and P90 (when there is a Monte Carlo)."""
    code = result.reference_currency if result.reference is not None else None
    header = ["", f"{result.currency} (model)"]
    widths = [3.0, 2.6]
    if code is not None:
        header.append(f"{code} (reference)")
        widths = [2.6, 2.2, 2.2]
    if risk is not None:
        header += ["P50", "P90"]
        widths = [2.2, 1.5, 1.3, 1.0, 1.0] if code is not None else [2.6, 2.0, 1.2, 1.2]
    rows = []
    for label, value, reference, metric in headline_rows(result):
        row = [label, value]
        if code is not None:
            row.append(reference)
        if risk is not None:
            from solarcase.report.risk_pages import summary_p_values

            row += summary_p_values(risk, metric) if metric else ["", ""]
        rows.append(row)
    page.table(rows, columns_in=widths, header=header, size=SMALL_PT + 1.0)
    notes = [reference_note(result)]
    if risk is not None:
        from solarcase.report.risk_pages import summary_risk_note

        notes.append(summary_risk_note(risk))
    for note in filter(None, notes):
        page.text(note, size=SMALL_PT, color=MUTED)


def _draw_cash_flow(axes: Axes, result: ScenarioResult) -> None:
    flows = result.cashflow.project_fcf
    discounted = flows * discount_factors(
        result.finance_inputs.discount_rate_nominal, n_years=flows.shape[1] - 1
    )
    real = result.project_fcf_real
    figures.draw_cash_flow(
        axes,
        result.cashflow.years,
        real,
        np.cumsum(real),
        np.cumsum(discounted[0]),
        currency=result.currency,
        discounted_payback_years=result.headline()["discounted_payback_years"],
    )


def energy_page(result: ScenarioResult) -> Page:
    """Page 2: monthly energy, loss waterfall, weather provenance."""
    energy = result.energy
    meta = result.weather_meta
    page = Page()
    page.title("Energy", "First operating year, after all losses")
    monthly = energy.monthly
    page.heading("Monthly energy")
    figures.draw_monthly_energy(
        page.axes(2.8, top_in=0.3, right_in=0.7),
        monthly["delivered_energy_kwh"].to_numpy(),
        monthly["poa_kwh_per_m2"].to_numpy(),
    )
    page.heading("From sunlight to delivered energy")
    losses = energy.losses
    figures.draw_loss_waterfall(
        page.axes(3.6, left_in=2.6, top_in=0.1),
        losses["step"].astype(str).tolist(),
        losses["energy_kwh"].to_numpy(),
    )
    page.heading("Weather data")
    ghi = energy.annual_ghi_kwh_per_m2
    rows = [
        ("File", Path(meta.path).name if meta.path else "(generated)"),
        ("Source", meta.description or meta.source),
        (
            "Kind",
            "SYNTHETIC (generated from monthly normals)"
            if meta.is_synthetic
            else "measured / satellite-derived",
        ),
        (
            "Position",
            f"{format_position(meta.latitude, meta.longitude)}, "
            f"UTC{meta.utc_offset_h:+g} h",
        ),
        ("Annual GHI", f"{ghi:,.0f} kWh/m²"),
        ("SHA-256", meta.sha256 or "n/a"),
    ]
    rows += [("Repair", r) for r in meta.repairs]
    page.table(
        rows, columns_in=(1.1, 5.9), align=("l", "l"), shade=False, size=SMALL_PT + 0.5
    )
    return page


def finance_page(result: ScenarioResult) -> Page:
    """Page 3: the cash flow over the years and, with debt, the debt service."""
    page = Page()
    cur = result.currency
    page.title("Finance", f"Nominal amounts in {cur} unless marked real (year-0 money)")
    page.heading("Project cash flow")
    _draw_cash_flow(page.axes(4.0, top_in=0.3), result)
    table = result.cashflow
    if result.finance_inputs.debt is not None:
        page.heading("Debt service and cover")
        loan = np.flatnonzero(table.debt_service[0] < 0)
        years = table.years[loan]
        dscr = table.cfads[0, loan] / -table.debt_service[0, loan]
        figures.draw_debt(
            page.axes(3.2, top_in=0.3, right_in=0.7),
            years,
            -table.debt_service[0, loan],
            dscr,
            currency=cur,
            covenant=result.scenario.dscr_covenant,
        )
    else:
        page.heading("Debt")
        page.text("All equity: no loan, so no debt service and no DSCR.")
    return page


#: Rows of the cash-flow table printed in the report (the main ones).
REPORT_ROWS: tuple[tuple[str, str], ...] = (
    ("energy_kwh", "Energy [MWh]"),
    ("price_per_kwh", "Price [cur/kWh]"),
    ("revenue", "Revenue"),
    ("opex_total", "Operating costs"),
    ("ebitda", "EBITDA"),
    ("capex", "Capex"),
    ("replacement", "Replacements"),
    ("end_of_life", "End of life"),
    ("interest", "Interest"),
    ("principal", "Principal"),
    ("tax", "Tax"),
    ("cfads", "CFADS"),
    ("project_fcf", "Free cash flow, project"),
    ("equity_fcf", "Free cash flow, equity"),
    ("cumulative_project_fcf", "Cumulative, project"),
)


#: Years (columns) on one page of the cash-flow table.
YEARS_PER_PAGE = 13


def cashflow_pages(result: ScenarioResult) -> list[Page]:
    """The main rows of the cash-flow table, years as columns, over landscape pages."""
    table = result.cashflow
    cur = result.currency
    years = table.years
    pages = []
    for start in range(0, len(years), YEARS_PER_PAGE):
        chunk = years[start : start + YEARS_PER_PAGE]
        scale, word = table_scale(
            np.concatenate([getattr(table, n)[0, chunk] for n, _ in REPORT_ROWS[2:]])
        )
        page = Page(size_in=A4_LANDSCAPE_IN)
        page.title(
            "Cash-flow table",
            f"Nominal {word + ' ' if word else ''}{cur} per year "
            "(year 0 = construction); "
            f"years {chunk[0]}-{chunk[-1]} of {years[-1]}",
        )
        rows = []
        for name, label in REPORT_ROWS:
            values = getattr(table, name)[0, chunk]
            if name == "energy_kwh":
                cells = [f"{v / 1000:,.0f}" if v else "" for v in values]
            elif name == "price_per_kwh":
                size, unit = price_scale(values)
                label = f"Price [{unit + ' ' if unit else ''}{cur}/kWh]"
                cells = _price_cells(values / size)
            else:
                cells = [_cell(v / scale) for v in values]
            rows.append([label, *cells])
        width = (page.width_in - 2.0) / len(chunk)
        page.table(
            rows,
            columns_in=(2.0, *([width] * len(chunk))),
            header=["", *(str(y) for y in chunk)],
            size=SMALL_PT + 0.5,
        )
        pages.append(page)
    return pages


#: Units for money in the cash-flow table, smallest first.
_SCALES: tuple[tuple[float, str], ...] = (
    (1.0, ""),
    (1e6, "million"),
    (1e9, "billion"),
    (1e12, "trillion"),
)


def table_scale(values: np.ndarray) -> tuple[float, str]:
    """The unit for a page of money: the largest (million, billion, ...) that still
    leaves most numbers with two digits or more before the decimal point, and then
    a larger one while the largest number would need seven digits or more (it would
    not fit its column).

    Examples
    --------
    >>> table_scale(np.array([3.5e9, 7e10, -3.5e11, 0.0]))
    (1000000000.0, 'billion')
    >>> table_scale(np.array([5e9, 6e9, 7e9, 3e15]))
    (1000000000000.0, 'trillion')
    """
    magnitudes = np.abs(values[np.isfinite(values) & (values != 0)])
    if magnitudes.size == 0:
        return 1.0, ""
    typical = float(np.percentile(magnitudes, 25))
    chosen = max(
        i for i, (size, _) in enumerate(_SCALES) if i == 0 or typical / size >= 3
    )
    while chosen + 1 < len(_SCALES) and magnitudes.max() / _SCALES[chosen][0] >= 1e6:
        chosen += 1
    return _SCALES[chosen]


def price_scale(values: np.ndarray) -> tuple[float, str]:
    """A divisor and its word for a row of prices, so that none needs more than
    five digits before the decimal point.

    Examples
    --------
    >>> price_scale(np.array([38_500.0, 192_851_982.0]))
    (1000000.0, 'million')
    """
    finite = np.abs(values[np.isfinite(values)])
    peak = float(finite.max()) if finite.size else 0.0
    for size, word in ((1.0, ""), (1e3, "thousand"), (1e6, "million")):
        if peak / size < 1e5:
            return size, word
    return 1e9, "billion"


def _price_cells(values: np.ndarray) -> list[str]:
    """A row of prices with the same decimals, enough for three significant
    digits in the smallest ("" for a year without a price).

    Examples
    --------
    >>> _price_cells(np.array([0.0, 1.41, 11.0, 193.2]))
    ['', '1.41', '11.00', '193.20']
    """
    shown = np.abs(values[np.isfinite(values) & (values != 0)])
    smallest = float(shown.min()) if shown.size else 1.0
    decimals = int(np.clip(2 - math.floor(math.log10(smallest)), 0, 4))
    return [f"{v:,.{decimals}f}" if v else "" for v in values]


def _cell(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return "–" if value == 0 else "n/a"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
