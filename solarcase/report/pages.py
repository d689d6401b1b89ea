"""The pages of the investor report, each a :class:`~solarcase.report.layout.Page`.

Executive summary, energy, finance, the cash-flow table and the assumptions, built
from a :class:`~solarcase.pipeline.ScenarioResult`. Presentation only: numbers come
from the result and are formatted by :mod:`solarcase.report.tables`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from solarcase.finance.rates import deflation_factors, discount_factors
from solarcase.pipeline import ScenarioResult
from solarcase.report import figures
from solarcase.report.layout import A4_LANDSCAPE_IN, MUTED, SMALL_PT, Page
from solarcase.report.tables import (
    describe_mount,
    format_energy_kwh,
    format_money,
    format_percent,
    format_price,
    format_years,
)


def verdict(result: ScenarioResult) -> str:
    """One line an investment committee reads first."""
    m = result.headline()
    rate = format_percent(float(result.finance_inputs.discount_rate_nominal))
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


def headline_rows(result: ScenarioResult) -> list[tuple[str, str]]:
    """(label, value) pairs of the headline metrics, formatted."""
    m = result.headline()
    cur = result.currency
    inflation = float(result.finance_inputs.inflation_rate)
    rows = [
        (
            "Energy, first operating year",
            format_energy_kwh(m["annual_energy_kwh"] or 0),
        ),
        ("Specific yield", f"{m['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp"),
        ("Performance ratio", format_percent(m["performance_ratio"])),
        ("Capacity factor (on DC)", format_percent(m["capacity_factor"])),
        ("Capex", format_money(sum(result.capex_items.values()), cur)),
        ("NPV (project, after tax)", format_money(m["npv"], cur)),
        ("Project IRR, nominal / real", _irr_pair(m["project_irr"], inflation)),
    ]
    if result.finance_inputs.debt is not None:
        rows += [
            ("Equity NPV", format_money(m["equity_npv"], cur)),
            ("Equity IRR, nominal / real", _irr_pair(m["equity_irr"], inflation)),
        ]
    rows += [
        ("LCOE, real (year-0 money)", format_price(m["lcoe_real_per_kwh"], cur)),
        ("LCOE, nominal", format_price(m["lcoe_nominal_per_kwh"], cur)),
        ("Simple payback", format_years(m["simple_payback_years"])),
        ("Discounted payback", format_years(m["discounted_payback_years"])),
        (
            "Minimum DSCR",
            "n/a: no debt" if m["min_dscr"] is None else f"{m['min_dscr']:.2f}",
        ),
    ]
    return rows


def _irr_pair(value: float | None, inflation: float) -> str:
    if value is None:
        return "n/a"
    from solarcase.finance.rates import real_from_nominal

    real = float(real_from_nominal(value, inflation))
    return f"{format_percent(value)} / {format_percent(real)}"


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
            f"{site.name}, {site.latitude:.4f}° N, {site.longitude:.4f}° E, "
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


def summary_page(result: ScenarioResult, *, subtitle: str) -> Page:
    """Page 1: the plant, the headline metrics, the verdict."""
    page = Page()
    page.title(result.scenario.name, subtitle)
    if result.scenario.description:
        page.text(result.scenario.description, color=MUTED)
        page.space(0.05)
    page.text(verdict(result), weight="bold")
    page.heading("The plant")
    page.table(plant_rows(result), columns_in=(1.6, 5.4), align=("l", "l"), shade=False)
    page.heading("Headline results")
    page.table(headline_rows(result), columns_in=(3.0, 2.6))
    page.heading("Cumulative cash flow")
    axes = page.axes(2.9, top_in=0.1)
    _draw_cash_flow(axes, result)
    notes = list(result.notes)
    if notes:
        page.heading("Notes")
        for note in notes:
            page.text(f"• {note}", size=SMALL_PT + 0.5)
    return page


def _real_and_discounted(result: ScenarioResult) -> tuple[np.ndarray, ...]:
    flows = result.cashflow.project_fcf
    n = flows.shape[1] - 1
    inputs = result.finance_inputs
    real = (flows * deflation_factors(inputs.inflation_rate, n_years=n))[0]
    discounted = (flows * discount_factors(inputs.discount_rate_nominal, n_years=n))[0]
    return real, np.cumsum(real), np.cumsum(discounted)


def _draw_cash_flow(axes, result: ScenarioResult) -> None:  # type: ignore[no-untyped-def]
    real, cumulative_real, cumulative_discounted = _real_and_discounted(result)
    figures.draw_cash_flow(
        axes,
        result.cashflow.years,
        real,
        cumulative_real,
        cumulative_discounted,
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
        page.axes(2.8, top_in=0.1, right_in=0.7),
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
            f"{meta.latitude:.4f}° N, {meta.longitude:.4f}° E, "
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
    _draw_cash_flow(page.axes(4.0, top_in=0.1), result)
    table = result.cashflow
    if result.finance_inputs.debt is not None:
        page.heading("Debt service and cover")
        loan = np.flatnonzero(table.debt_service[0] < 0)
        years = table.years[loan]
        dscr = table.cfads[0, loan] / -table.debt_service[0, loan]
        figures.draw_debt(
            page.axes(3.2, top_in=0.1, right_in=0.7),
            years,
            -table.debt_service[0, loan],
            dscr,
            currency=cur,
        )
    else:
        page.heading("Debt")
        page.text("All equity: no loan, so no debt service and no DSCR.")
    return page


#: Rows of the cash-flow table printed in the report (the main ones).
REPORT_ROWS: tuple[tuple[str, str], ...] = (
    ("energy_kwh", "Energy [MWh]"),
    ("price_per_kwh", "Price [{cur}/kWh]"),
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


def cashflow_pages(result: ScenarioResult, *, years_per_page: int = 13) -> list[Page]:
    """The main rows of the cash-flow table, years as columns, over landscape pages."""
    table = result.cashflow
    cur = result.currency
    years = table.years
    pages = []
    for start in range(0, len(years), years_per_page):
        chunk = years[start : start + years_per_page]
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
                cells = [
                    f"{v:,.0f}" if v >= 100 else (f"{v:.3g}" if v else "")
                    for v in values
                ]
            else:
                cells = [_cell(v / scale) for v in values]
            rows.append([label.format(cur=cur), *cells])
        width = (page.width_in - 2.0) / len(chunk)
        page.table(
            rows,
            columns_in=(2.0, *([width] * len(chunk))),
            header=["", *(str(y) for y in chunk)],
            size=SMALL_PT + 0.5,
        )
        pages.append(page)
    return pages


def table_scale(values: np.ndarray) -> tuple[float, str]:
    """The unit for a page of money: the largest (million, billion, ...) that still
    leaves most numbers with two digits or more before the decimal point.

    Examples
    --------
    >>> table_scale(np.array([3.5e9, 7e10, -3.5e11, 0.0]))
    (1000000000.0, 'billion')
    """
    magnitudes = np.abs(values[np.isfinite(values) & (values != 0)])
    if magnitudes.size == 0:
        return 1.0, ""
    typical = float(np.percentile(magnitudes, 25))
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if typical / size >= 3:
            return size, word
    return 1.0, ""


def _cell(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return "–" if value == 0 else "n/a"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def assumptions_pages(
    result: ScenarioResult,
    rows: Sequence[tuple[str, str, str]],
    *,
    provenance: Sequence[tuple[str, str]],
) -> list[Page]:
    """Every input of the resolved scenario (key, value, unit), then provenance."""
    pages: list[Page] = []
    page = Page()
    page.title(
        "Assumptions",
        "Every input of the resolved scenario, after extends and overrides",
    )
    pages.append(page)
    group = None
    for key, value, unit in rows:
        section = key.split(".")[0]
        if page.remaining_in < 0.6:
            page = Page()
            page.title("Assumptions (continued)")
            pages.append(page)
            group = None
        if section != group:
            page.heading(section)
            group = section
        align = ("l", "r", "l") if len(value) <= 28 else ("l", "l", "l")
        page.table(
            [(key.removeprefix(section + "."), value, unit)],
            columns_in=(3.5, 2.6, 0.9),
            align=align,
            size=SMALL_PT + 0.5,
            shade=False,
        )
    if page.remaining_in < 1.8:
        page = Page()
        page.title("Assumptions (continued)")
        pages.append(page)
    page.heading("Provenance")
    page.table(
        provenance,
        columns_in=(1.6, 5.4),
        align=("l", "l"),
        size=SMALL_PT + 0.5,
        shade=False,
    )
    return pages
