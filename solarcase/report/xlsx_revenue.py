"""The Inputs sheet: the revenue scheme (see :mod:`solarcase.report.xlsx_inputs`).

The main price of each scheme gets the defined name ``tariff_price`` (the SATBA base
price, the contract or market price, or the avoided purchase tariff): the price the
breakeven search scales and the cell a finance officer changes first.
"""

from __future__ import annotations

from typing import Any

from solarcase.report.xlsx_inputs import SOURCE_HOURLY, Builder, Money
from solarcase.scenario import finance as model

__all__ = ["MAIN_PRICE", "write_revenue"]

#: Each scheme's main price: scenario field and label (the Inputs cell tariff_price).
MAIN_PRICE = {
    "escalating_tariff": ("price_per_kwh", "Contract price, operating year 1"),
    "guaranteed_purchase": ("base_price_per_kwh", "Base price (year 1, unindexed)"),
    "market": ("price_per_kwh", "Market price, operating year 1"),
    "self_consumption": ("purchase_price_per_kwh", "Purchase tariff avoided, year 1"),
}


def write_revenue(b: Builder) -> None:
    """The scheme, its main price and the rest of its terms."""
    revenue = b.finance.revenue
    m = b.money(revenue.currency)
    key = "finance.revenue"
    b.section(f"Revenue: {revenue.scheme.replace('_', ' ')}")
    b.fixed(
        "Scheme",
        revenue.scheme,
        "",
        f"{key}.scheme",
        "The sheets are laid out for this scheme.",
    )
    field, label = MAIN_PRICE[revenue.scheme]
    b.add(
        "tariff_price",
        label,
        getattr(revenue, field),
        f"{m.code}/kWh",
        f"{key}.{field}",
        fmt="money2",
        note="The main price: the breakeven price scales it.",
    )
    if isinstance(revenue, model.EscalatingTariff):
        b.fields(
            revenue,
            key,
            (
                (
                    "tariff_escalation_rate",
                    "Contract price: escalation",
                    "escalation_rate",
                    "per year",
                ),
            ),
        )
    elif isinstance(revenue, model.MarketSale):
        b.escalation(
            "tariff_escalation_rate",
            revenue.escalation_rate,
            m,
            f"{key}.escalation_rate",
            "Market price",
        )
    elif isinstance(revenue, model.GuaranteedPurchase):
        _guaranteed_purchase(b, revenue)
    else:
        _self_consumption(b, revenue, m)
    if isinstance(revenue, model.EscalatingTariff | model.GuaranteedPurchase):
        _after_contract(b, revenue, m)


def _after_contract(b: Builder, revenue: Any, m: Money) -> None:
    key = "finance.revenue"
    b.stated_or(
        "contract_years",
        "Contract term",
        revenue.contract_years,
        "years",
        f"{key}.contract_years",
        default="=analysis_years",
        fmt="years",
        unset="not set: the whole analysis",
    )
    b.add(
        "price_after_contract_per_kwh",
        "Price after the contract (year-1 prices)",
        revenue.price_after_contract_per_kwh or 0.0,
        f"{m.code}/kWh",
        f"{key}.price_after_contract_per_kwh",
        fmt="money2",
    )
    b.escalation(
        "escalation_after_contract_rate",
        revenue.escalation_after_contract_rate,
        m,
        f"{key}.escalation_after_contract_rate",
        "Price after the contract",
    )


def _guaranteed_purchase(b: Builder, revenue: model.GuaranteedPurchase) -> None:
    key = "finance.revenue"
    b.fields(
        revenue,
        key,
        (
            ("alpha", "Indexation weight alpha", "alpha"),
            (
                "alpha_weights",
                "Term alpha weights",
                "alpha_weights",
                "",
                "text",
                ("cpi", "eur"),
            ),
        ),
    )
    b.derived(
        "cpi_weight",
        "Weight of the CPI term w",
        '=IF(alpha_weights="eur",1-alpha,alpha)',
        "",
        "percent",
        note="K_t = w CPI_(t-1)/CPI_0 + (1 - w) EUR_(t-1)/EUR_0.",
    )
    b.stated_or(
        "cpi_inflation_rate",
        "CPI rise",
        revenue.cpi_inflation_rate,
        "per year",
        f"{key}.cpi_inflation_rate",
        default="=inflation_rate",
        note="Not in the scenario: the inflation rate (the engine's default).",
    )
    _official_eur(b, revenue)
    _step_downs(b, revenue)
    table = revenue.time_of_day is not None
    b.add(
        "time_of_day_factor",
        "Time-of-day factor (equivalent energy / energy)",
        b.result.revenue_factors.time_of_day_factor,
        "",
        f"{key}.time_of_day",
        kind="value" if table else "input",
        fmt="factor",
        note=SOURCE_HOURLY if table else "No time-of-day table: every hour counts 1.",
    )


def _official_eur(b: Builder, revenue: model.GuaranteedPurchase) -> None:
    """The official EUR path of the indexation, when stated apart from the
    exchange rates (its values, if given year by year, are on Indices)."""
    key = "finance.revenue"
    official = revenue.official_eur_rate
    if official is not None and official.values is None:
        b.fields(
            official,
            f"{key}.official_eur_rate",
            (
                (
                    "official_eur_start_rate",
                    "Official EUR rate, year 0",
                    "start_rate",
                    "{cur}/EUR",
                    "rate",
                ),
                (
                    "official_eur_escalation_rate",
                    "Official EUR rate: yearly rise",
                    "escalation_rate",
                    "per year",
                ),
            ),
        )


def _step_downs(b: Builder, revenue: model.GuaranteedPurchase) -> None:
    """Step-down years and factors, and how they combine."""
    key = "finance.revenue"
    steps = sorted(revenue.step_downs.items())
    for k, (year, factor) in enumerate(steps, start=1):
        b.add(
            f"step_down_{k}_year",
            f"Step-down {k}: from contract year",
            year,
            "year",
            f"{key}.step_downs",
            fmt="years",
        )
        b.add(
            f"step_down_{k}_factor",
            f"Step-down {k}: factor",
            factor,
            "",
            f"{key}.step_downs",
            fmt="percent",
        )
    if steps:
        b.add(
            "step_down_mode",
            "Step-down mode",
            revenue.step_down_mode or "absolute",
            "",
            f"{key}.step_down_mode",
            fmt="text",
            choices=("absolute", "cumulative"),
            note="absolute: the factor of the latest step; cumulative: the "
            "factors multiply.",
        )


def _self_consumption(b: Builder, revenue: model.SelfConsumption, m: Money) -> None:
    key = "finance.revenue"
    b.escalation(
        "tariff_escalation_rate",
        revenue.purchase_escalation_rate,
        m,
        f"{key}.purchase_escalation_rate",
        "Purchase tariff",
    )
    b.fields(
        revenue,
        key,
        (
            (
                "export_price_per_kwh",
                "Export price, year 1",
                "export_price_per_kwh",
                "{code}/kWh",
                "money2",
            ),
        ),
        code=m.code,
    )
    b.escalation(
        "export_escalation_rate",
        revenue.export_escalation_rate,
        m,
        f"{key}.export_escalation_rate",
        "Export price",
    )
    load = revenue.load
    note = (
        "Used by the hourly netting behind the shares on the Energy sheet "
        "(values): changing it here changes nothing."
    )
    b.fixed(
        "Load: consumption per year",
        load.annual_consumption_kwh or 0.0,
        "kWh/year",
        f"{key}.load.annual_consumption_kwh",
        note,
        "energy",
    )
    b.fixed("Load: profile", load.profile, "", f"{key}.load.profile", note)
    b.fixed(
        "Load: growth",
        load.growth_rate,
        "per year",
        f"{key}.load.growth_rate",
        note,
        "percent",
    )
    _obligation(b, revenue, m)


def _obligation(b: Builder, revenue: model.SelfConsumption, m: Money) -> None:
    """The renewable obligation whose penalty the plant avoids."""
    key = "finance.revenue"
    rule = revenue.obligation
    if rule is None:
        return
    b.fields(
        rule,
        f"{key}.obligation",
        (
            ("obligation_first_share", "Obligation: share in year 1", "first_share"),
            (
                "obligation_yearly_step",
                "Obligation: rise per year",
                "yearly_step",
                "per year",
            ),
            ("obligation_max_share", "Obligation: final share", "max_share"),
            (
                "penalty_price_per_kwh",
                "Obligation penalty tariff, year 1",
                "penalty_price_per_kwh",
                "{code}/kWh",
                "money2",
            ),
        ),
        code=m.code,
    )
    b.escalation(
        "penalty_escalation_rate",
        rule.penalty_escalation_rate,
        m,
        f"{key}.obligation.penalty_escalation_rate",
        "Penalty tariff",
    )
