"""Numbers formatted for people, and the terminal summary of one appraisal.

Money carries its currency code and large sums are shown in millions or billions
with the unit stated; percentages have one decimal; energy has thousands separators.
Presentation only: values come from a :class:`~solarcase.pipeline.ScenarioResult`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from rich.markup import escape
from rich.table import Table

from solarcase.units import RIAL_PER_TOMAN

if TYPE_CHECKING:
    from solarcase.pipeline import ScenarioResult

NOT_AVAILABLE = "n/a"


def scalar_input(value: ArrayLike) -> float:
    """A finance input of one appraisal as a float: the engine's inputs are typed
    to hold an array per case (Monte Carlo); a single appraisal holds one number.

    Examples
    --------
    >>> scalar_input(0.4), scalar_input(np.float64(0.25))
    (0.4, 0.25)
    """
    return float(np.asarray(value, dtype=float))


def format_money(value: float | None, currency: str) -> str:
    """``12_345_000_000, "IRR"`` -> ``"12.3 billion IRR"``; small sums in full.

    Examples
    --------
    >>> format_money(12_345_000_000, "IRR")
    '12.3 billion IRR'
    >>> format_money(-4_560_000, "IRR")
    '-4.6 million IRR'
    >>> format_money(1234.5, "USD")
    '1,234 USD'
    """
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    magnitude = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{value / size:,.1f} {word} {currency}"
    return f"{value:,.0f} {currency}"


def format_price(value: float | None, currency: str) -> str:
    """A price per kWh with three significant figures at least.

    Examples
    --------
    >>> format_price(38500.4, "IRR")
    '38,500 IRR/kWh'
    >>> format_price(0.0456, "USD")
    '0.0456 USD/kWh'
    """
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    if abs(value) >= 100:
        return f"{value:,.0f} {currency}/kWh"
    return f"{value:.3g} {currency}/kWh"


def format_percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal: ``0.1834`` -> ``"18.3 %"``."""
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    return f"{value:.1%}".replace("%", " %")


def format_irr_pair(
    nominal: float | None,
    real: float | None,
    *,
    in_brackets: bool = False,
    missing: str = NOT_AVAILABLE,
) -> str:
    """A nominal IRR and the real one beside it, or ``missing`` when the IRR does
    not exist (None or NaN).

    Examples
    --------
    >>> format_irr_pair(0.412, 0.078)
    '41.2 % / 7.8 %'
    >>> format_irr_pair(0.412, 0.078, in_brackets=True)
    '41.2 % (7.8 %)'
    >>> format_irr_pair(None, None)
    'n/a'
    """
    if nominal is None or not math.isfinite(nominal):
        return missing
    if in_brackets:
        return f"{format_percent(nominal)} ({format_percent(real)})"
    return f"{format_percent(nominal)} / {format_percent(real)}"


def format_years(value: float | None, *, never: str = "never") -> str:
    """Years with one decimal; None/NaN means the event never happens."""
    if value is None or not math.isfinite(value):
        return never
    return f"{value:.1f} years"


def format_position(latitude: float, longitude: float, *, decimals: int = 4) -> str:
    """A latitude and a longitude [degrees] with their hemispheres.

    Examples
    --------
    >>> format_position(32.8663, 59.2211, decimals=2)
    '32.87° N, 59.22° E'
    >>> format_position(-33.45, -70.67)
    '33.4500° S, 70.6700° W'
    """
    north = "N" if latitude >= 0 else "S"
    east = "E" if longitude >= 0 else "W"
    return (
        f"{abs(latitude):.{decimals}f}° {north}, {abs(longitude):.{decimals}f}° {east}"
    )


def format_energy_kwh(value: float) -> str:
    """Energy in MWh above 10 MWh, else kWh, with thousands separators."""
    if abs(value) >= 10_000:
        return f"{value / 1000:,.0f} MWh"
    return f"{value:,.0f} kWh"


def describe_mount(result: ScenarioResult) -> str:
    """One phrase for the mounting, e.g. 'fixed tilt 30°, rows at GCR 0.40'."""
    mount = result.scenario.system.mount
    if mount.type == "fixed":
        text = f"fixed tilt {mount.surface_tilt:g}°"
        if mount.surface_azimuth != 180:
            text += f" azimuth {mount.surface_azimuth:g}°"
        if mount.gcr is not None:
            text += f", GCR {mount.gcr:.2f}"
        return text
    backtrack = "with" if mount.backtrack else "without"
    return (
        f"single-axis ±{mount.max_angle:g}° {backtrack} backtracking, "
        f"GCR {mount.gcr:.2f}"
    )


def format_money_toman(value: float | None, currency: str) -> str:
    """Money in the model currency, with tomans beside rials.

    Examples
    --------
    >>> format_money_toman(350e9, "IRR")
    '350.0 billion IRR (35.0 billion toman)'
    >>> format_money_toman(1234.5, "USD")
    '1,234 USD'
    """
    text = format_money(value, currency)
    if currency != "IRR" or value is None or not math.isfinite(value):
        return text
    return f"{text} ({format_money(value / RIAL_PER_TOMAN, 'toman')})"


def _scheme_text(result: ScenarioResult) -> str:
    """The revenue scheme in a few words, e.g. 'guaranteed purchase, alpha 0.15 on
    CPI'."""
    revenue = result.scenario.finance.revenue
    if revenue.scheme == "guaranteed_purchase":
        weighted = revenue.alpha_weights.upper()
        return f"guaranteed purchase, alpha {revenue.alpha:.2f} on {weighted}"
    return revenue.scheme.replace("_", " ").replace("market", "market sale")


def _revenue_rows(table: Table, result: ScenarioResult) -> None:
    cur = result.currency
    flows = result.cashflow
    table.add_row("Revenue scheme", _scheme_text(result))
    table.add_row("Price, year 1", format_price(flows.price_per_kwh[0, 1], cur))
    factors = result.revenue_factors
    if factors.time_of_day_factor != 1.0:
        table.add_row("Time-of-day factor", f"{factors.time_of_day_factor:.3f}")
    if factors.self_consumed_fraction is not None:
        table.add_row(
            "Used on site, year 1",
            format_percent(float(factors.self_consumed_fraction[0])),
        )
    if result.finance_inputs.late_payment is not None:
        year1 = float(flows.receivables_balance[0, 1])
        table.add_row("Receivables, end of year 1", format_money_toman(year1, cur))


def _debt_rows(table: Table, m: dict, result: ScenarioResult) -> None:
    cur = result.currency
    if result.finance_inputs.debt is None:
        table.add_row("DSCR min / avg", "n/a: no debt")
        return
    loan = float(result.cashflow.debt_drawdown[0, 0])
    table.add_row("Loan", format_money_toman(loan, cur))
    table.add_row("Equity NPV", format_money_toman(m["equity_npv"], cur))
    table.add_row(
        "Equity IRR, nominal (real)",
        _terminal_irr(m["equity_irr"], m["equity_irr_real"]),
    )
    if m["min_dscr"] is None:
        table.add_row("DSCR min / avg", NOT_AVAILABLE)
    else:
        table.add_row("DSCR min / avg", f"{m['min_dscr']:.2f} / {m['avg_dscr']:.2f}")
    llcr = m["llcr"]
    table.add_row("LLCR", NOT_AVAILABLE if llcr is None else f"{llcr:.2f}")


def _solved_rows(table: Table, m: dict, result: ScenarioResult) -> None:
    cur = result.currency
    settings = result.settings
    table.add_row("[underline]Solved values[/]", "")
    table.add_row(
        "Breakeven price, year 1 (NPV = 0)",
        format_price(m["breakeven_price_per_kwh"], cur),
    )
    table.add_row(
        f"Capex for a {format_percent(settings.target_equity_irr)} equity IRR",
        format_money_toman(m["capex_for_target_equity_irr"], cur),
    )
    debt = m["debt_for_target_dscr"]
    if debt is not None:
        table.add_row(
            f"Debt a DSCR of {settings.target_dscr:.2f} supports",
            format_money_toman(debt, cur),
        )


def _reference_rows(table: Table, result: ScenarioResult) -> None:
    ref = result.reference
    code = result.reference_currency
    if ref is None or code is None:
        return
    cur = result.currency
    fx = ref.fx[0]
    table.add_row("", "")
    table.add_row(f"[underline]In {_currency_name(code)} (reference)[/]", "")
    table.add_row(
        "Exchange rate, year 0 -> last",
        f"{fx[0]:,.0f} -> {fx[-1]:,.0f} {cur}/{code}",
    )
    table.add_row(
        f"NPV at {format_percent(float(ref.discount_rate_nominal[0]))}",
        format_money(float(ref.npv[0]), code),
    )
    table.add_row(
        "Project IRR, nominal (real)",
        _terminal_irr(float(ref.project_irr[0]), float(ref.project_irr_real[0])),
    )
    table.add_row(
        "LCOE, real (year-0 money)",
        format_price(float(ref.lcoe_real_per_kwh[0]), code),
    )
    table.add_row(
        "LCOE, nominal", format_price(float(ref.lcoe_nominal_per_kwh[0]), code)
    )


def summary_table(result: ScenarioResult) -> Table:
    """The headline metrics of one appraisal as a two-column rich table."""
    m = result.headline()
    cur = result.currency
    rate = scalar_input(result.finance_inputs.discount_rate_nominal)
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2))
    table.add_column("metric", style="bold")
    table.add_column("value", justify="right")
    table.add_row("[underline]Energy[/]", "")
    table.add_row("Energy, year 1", format_energy_kwh(m["annual_energy_kwh"] or 0.0))
    table.add_row("Specific yield", f"{m['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp")
    table.add_row("Performance ratio", format_percent(m["performance_ratio"]))
    table.add_row("Capacity factor (DC)", format_percent(m["capacity_factor"]))
    table.add_row("", "")
    table.add_row(f"[underline]Finance in {_currency_name(cur)}[/]", "")
    table.add_row("Capex", format_money_toman(sum(result.capex_items.values()), cur))
    _revenue_rows(table, result)
    table.add_row(
        f"NPV at {format_percent(rate)} discount rate",
        format_money_toman(m["npv"], cur),
    )
    table.add_row(
        "Project IRR, nominal (real)",
        _terminal_irr(m["project_irr"], m["project_irr_real"]),
    )
    table.add_row("Project MIRR", format_percent(m["project_mirr"]))
    table.add_row(
        "LCOE, real (year-0 money)", format_price(m["lcoe_real_per_kwh"], cur)
    )
    table.add_row("LCOE, nominal", format_price(m["lcoe_nominal_per_kwh"], cur))
    table.add_row("Simple payback", format_years(m["simple_payback_years"]))
    table.add_row("Discounted payback", format_years(m["discounted_payback_years"]))
    _debt_rows(table, m, result)
    _reference_rows(table, result)
    table.add_row("", "")
    _solved_rows(table, m, result)
    return table


def _terminal_irr(nominal: float | None, real: float | None) -> str:
    return format_irr_pair(
        nominal, real, in_brackets=True, missing="n/a: cash flows never turn positive"
    )


_CURRENCY_NAMES = {"IRR": "Iranian rials (IRR)", "USD": "US dollars", "EUR": "euros"}


def _currency_name(code: str) -> str:
    return _CURRENCY_NAMES.get(code, code)


def header_lines(result: ScenarioResult) -> list[str]:
    """The lines above the table: scenario, plant, weather provenance."""
    site = result.scenario.site
    layout = result.energy.layout
    meta = result.weather_meta
    ghi = result.energy.annual_ghi_kwh_per_m2
    source = Path(meta.path).name if meta.path else meta.source
    kind = "SYNTHETIC" if meta.is_synthetic else meta.source
    lines = [
        f"[bold]{escape(result.scenario.name)}[/]",
        f"{escape(site.name)} "
        f"{format_position(site.latitude, site.longitude, decimals=2)}, "
        f"{site.altitude:,.0f} m · "
        f"{layout.dc_capacity_kwp:,.0f} kWp DC / {layout.ac_capacity_kw:,.0f} kW AC",
        f"{describe_mount(result)}",
        f"Weather: {escape(source)} ({kind}), GHI {ghi:,.0f} kWh/m² a year",
    ]
    if meta.is_synthetic:
        lines.append(
            "[yellow]The weather is SYNTHETIC (from monthly normals): use measured "
            "data for a bankable study.[/]"
        )
    return lines
