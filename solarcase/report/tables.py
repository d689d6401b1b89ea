"""Numbers formatted for people, and the terminal summary of one appraisal.

Money carries its currency code and large sums are shown in millions or billions
with the unit stated; percentages have one decimal; energy has thousands separators.
Presentation only: values come from a :class:`~solarcase.pipeline.ScenarioResult`.
"""

from __future__ import annotations

import math
from pathlib import Path

from rich.table import Table

from solarcase.finance.rates import real_from_nominal
from solarcase.pipeline import ScenarioResult

NOT_AVAILABLE = "n/a"


def format_money(value: float | None, currency: str, *, decimals: int = 1) -> str:
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
            return f"{value / size:,.{decimals}f} {word} {currency}"
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


def format_years(value: float | None, *, never: str = "never") -> str:
    """Years with one decimal; None/NaN means the event never happens."""
    if value is None or not math.isfinite(value):
        return never
    return f"{value:.1f} years"


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


def summary_table(result: ScenarioResult) -> Table:
    """The headline metrics of one appraisal as a two-column rich table."""
    m = result.headline()
    cur = result.currency
    inputs = result.finance_inputs
    inflation = float(inputs.inflation_rate)
    rate = float(inputs.discount_rate_nominal)
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
    table.add_row("Capex", format_money(sum(result.capex_items.values()), cur))
    table.add_row(
        f"NPV at {format_percent(rate)} discount rate", format_money(m["npv"], cur)
    )
    table.add_row("Project IRR, nominal (real)", _irr_pair(m["project_irr"], inflation))
    if result.finance_inputs.debt is not None:
        table.add_row("Equity NPV", format_money(m["equity_npv"], cur))
        table.add_row(
            "Equity IRR, nominal (real)", _irr_pair(m["equity_irr"], inflation)
        )
    table.add_row(
        "LCOE, real (year-0 money)", format_price(m["lcoe_real_per_kwh"], cur)
    )
    table.add_row("LCOE, nominal", format_price(m["lcoe_nominal_per_kwh"], cur))
    table.add_row("Simple payback", format_years(m["simple_payback_years"]))
    table.add_row("Discounted payback", format_years(m["discounted_payback_years"]))
    if m["min_dscr"] is None:
        table.add_row("DSCR min / avg", "n/a: no debt")
    else:
        table.add_row("DSCR min / avg", f"{m['min_dscr']:.2f} / {m['avg_dscr']:.2f}")
    return table


_CURRENCY_NAMES = {"IRR": "Iranian rials (IRR)", "USD": "US dollars", "EUR": "euros"}


def _currency_name(code: str) -> str:
    return _CURRENCY_NAMES.get(code, code)


def _irr_pair(value: float | None, inflation: float) -> str:
    if value is None:
        return "n/a: cash flows never turn positive"
    real = float(real_from_nominal(value, inflation))
    return f"{format_percent(value)} ({format_percent(real)})"


def header_lines(result: ScenarioResult) -> list[str]:
    """The lines above the table: scenario, plant, weather provenance."""
    site = result.scenario.site
    layout = result.energy.layout
    meta = result.weather_meta
    ghi = float(result.energy.hourly["ghi"].sum()) / 1000.0
    lat = f"{abs(site.latitude):.2f}°{'N' if site.latitude >= 0 else 'S'}"
    lon = f"{abs(site.longitude):.2f}°{'E' if site.longitude >= 0 else 'W'}"
    source = Path(meta.path).name if meta.path else meta.source
    kind = "SYNTHETIC" if meta.is_synthetic else meta.source
    lines = [
        f"[bold]{result.scenario.name}[/]",
        f"{site.name} {lat} {lon} {site.altitude:,.0f} m · "
        f"{layout.dc_capacity_kwp:,.0f} kWp DC / {layout.ac_capacity_kw:,.0f} kW AC",
        f"{describe_mount(result)}",
        f"Weather: {source} ({kind}), GHI {ghi:,.0f} kWh/m² a year",
    ]
    if meta.is_synthetic:
        lines.append(
            "[yellow]The weather is SYNTHETIC (from monthly normals): use measured "
            "data for a bankable study.[/]"
        )
    return lines
