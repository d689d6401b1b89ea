"""The workbook's Inputs sheet: every finance input the cash flow uses, one per row.

Each row shows the value as the scenario states it (its currency, per kWp or per
kW), the unit, the scenario key it comes from, and a workbook-level defined name that
the formulas use. Amounts the engine derives (a capex item for this plant's size in
the model currency, the loan drawn, the depreciable basis) are formulas beside them,
so an auditor sees every conversion. Escalations the scenario leaves out follow the
inflation of the item's currency, as in the engine: their cells are formulas
(``=inflation_rate``) that may be overwritten by a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Book, InputSheet, fx_format, year_column
from solarcase.scenario import finance as model
from solarcase.scenario.finance import DEFAULT_INFLATION, TOMAN
from solarcase.scenario.finance_money import currencies_in
from solarcase.units import RIAL_PER_TOMAN

__all__ = ["Money", "build_inputs", "currency_money", "first_cell", "slug", "span"]

SOURCE_HOURLY = (
    "From the hourly simulation (a value, not a formula): it does not change when "
    "you change an input of this workbook."
)


def slug(text: str) -> str:
    """A scenario key as part of a defined name: lower case, letters and _ only."""
    cleaned = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return cleaned or "item"


def span(book: Book, name: str) -> str:
    """Years 0..N of a year row, absolute and sheet-qualified."""
    sheet, row = book.rows[name]
    last = year_column(book.n_years)
    return f"'{sheet}'!${year_column(0)}${row}:${last}${row}"


def first_cell(book: Book, name: str) -> str:
    """Year 0 of a year row, absolute and sheet-qualified."""
    sheet, row = book.rows[name]
    return f"'{sheet}'!${year_column(0)}${row}"


@dataclass(frozen=True, slots=True)
class Money:
    """How amounts stated in one currency enter the formulas."""

    code: str
    """The currency as stated (ISO 4217, or IRT for tomans)."""
    factor: str
    """Formula factor into the currency of the path: '' or '*rial_per_toman'."""
    fx: str | None
    """Indices row of the exchange-rate path; None: the model currency."""
    inflation: str
    """Defined name of the currency's inflation (its default escalation)."""

    def at_year0(self, book: Book) -> str:
        """Multiplier that converts a year-0 amount into the model currency."""
        if self.fx is None:
            return self.factor
        return f"{self.factor}*{first_cell(book, self.fx)}"


def currency_money(finance: model.Finance, code: str | None) -> Money:
    """The formula pieces for an amount stated in ``code`` (as ``to_finance``)."""
    model_code = finance.currency
    if code is None or code == model_code:
        return Money(model_code, "", None, "inflation_rate")
    if code == TOMAN:
        if model_code == "IRR":
            return Money(TOMAN, "*rial_per_toman", None, "inflation_rate")
        return Money(TOMAN, "*rial_per_toman", "fx_irr", "fx_irr_inflation_rate")
    low = code.lower()
    return Money(code, "", f"fx_{low}", f"fx_{low}_inflation_rate")


class _Builder:
    """Writes the Inputs sheet section by section."""

    def __init__(self, book: Book, result: ScenarioResult) -> None:
        self.book = book
        self.result = result
        self.finance = result.scenario.finance
        self.cur = self.finance.currency
        self.sheet = InputSheet(
            book,
            "Inputs",
            "Inputs",
            "Yellow cells are inputs: change them and every sheet recalculates. "
            "White cells are formulas; orange cells are values from the simulation "
            "or the engine; grey cells fix the layout (see their notes).",
        )
        self.add = self.sheet.add
        self.capex_costs: dict[str, str] = {}
        """Capex item -> defined name of its cost in its own currency."""

    def money(self, code: str | None) -> Money:
        return currency_money(self.finance, code)

    def escalation(
        self, name: str, stated: float | None, money: Money, source: str, what: str
    ) -> str:
        """An escalation input, or a formula following the currency's inflation."""
        if stated is not None:
            return self.add(
                name, f"{what}: escalation", stated, "per year", source, fmt="percent"
            )
        return self.add(
            name,
            f"{what}: escalation",
            f"={money.inflation}",
            "per year",
            f"{source} (not set)",
            fmt="percent",
            note=f"Not in the scenario: follows the inflation of {money.code} "
            "(the engine's default). Type a number to override.",
        )

    def amount(
        self,
        name: str,
        label: str,
        value: float,
        unit: str,
        source: str,
        fmt: str = "money",
    ) -> str:
        return self.add(name, label, value, unit, source, fmt=fmt)


def build_inputs(book: Book, result: ScenarioResult) -> None:
    """Write the Inputs sheet (the year sheets' rows must be planned first: the
    sculpted loan's size sums rows of the Cash flow sheet)."""
    b = _Builder(book, result)
    _plant(b)
    _rates(b)
    _capex(b)
    _operating_costs(b)
    _revenue(b)
    _late_payment(b)
    _debt(b)
    _tax(b)
    _one_off_costs(b)
    _settings(b)


def _plant(b: _Builder) -> None:
    result, add = b.result, b.add
    system = result.scenario.system
    layout = result.energy.layout
    b.sheet.section("Plant, analysis and energy")
    add(
        "analysis_years",
        "Operating years N",
        b.finance.analysis_years,
        "years",
        "finance.analysis_years",
        kind="fixed",
        fmt="years",
        note="The sheets have one column per year 0..N: changing this cell does not "
        "add or remove columns.",
    )
    size_note = (
        "From the yield model. Costs stated per kWp or per kW follow it; "
        "the energy is not simulated again if you change it."
    )
    add(
        "dc_capacity_kwp",
        "DC capacity",
        layout.dc_capacity_kwp,
        "kWp",
        "system.dc_capacity_kwp",
        kind="fixed",
        fmt="rate",
        note=size_note,
    )
    add(
        "ac_capacity_kw",
        "AC capacity",
        layout.ac_capacity_kw,
        "kW",
        "system.dc_capacity_kwp / system.dc_ac_ratio",
        kind="fixed",
        fmt="rate",
        note=size_note,
    )
    add(
        "simulated_ac_energy_kwh",
        "AC energy of the simulated year, while available",
        result.energy.annual_ac_energy_kwh,
        "kWh/year",
        "hourly pvlib simulation",
        kind="value",
        fmt="energy",
        note="Before availability and curtailment. " + SOURCE_HOURLY,
    )
    losses = system.losses
    add(
        "availability_loss",
        "Unavailability (plant and grid downtime)",
        losses.availability,
        "",
        "system.losses.availability",
        fmt="percent",
    )
    add(
        "curtailment",
        "Curtailment (energy the grid refuses)",
        getattr(losses, "curtailment", 0.0),
        "",
        "system.losses.curtailment",
        fmt="percent",
    )
    add(
        "degradation_rate",
        "Degradation",
        system.degradation.rate,
        "per year",
        "system.degradation.rate",
        fmt="percent",
    )
    add(
        "degradation_mode",
        "Degradation mode",
        system.degradation.mode,
        "",
        "system.degradation.mode",
        fmt="text",
        choices=("linear", "compound"),
        note="linear: 1 - d (t - 1); compound: (1 - d)^(t - 1).",
    )


def _rates(b: _Builder) -> None:
    finance, add = b.finance, b.add
    b.sheet.section("Rates and exchange rates")
    add(
        "inflation_rate",
        f"Inflation of {b.cur}",
        finance.inflation_rate,
        "per year",
        "finance.inflation_rate",
        fmt="percent",
    )
    fisher = "Fisher: (1 + real)(1 + inflation) - 1, exact."
    if finance.discount_rate_real is not None:
        add(
            "discount_rate_real",
            "Discount rate, real",
            finance.discount_rate_real,
            "per year",
            "finance.discount_rate_real",
            fmt="percent",
        )
        add(
            "discount_rate_nominal",
            "Discount rate, nominal",
            "=(1+discount_rate_real)*(1+inflation_rate)-1",
            "per year",
            "derived",
            kind="formula",
            fmt="percent",
            note=fisher,
        )
    else:
        add(
            "discount_rate_nominal",
            "Discount rate, nominal",
            finance.discount_rate_nominal,
            "per year",
            "finance.discount_rate_nominal",
            fmt="percent",
        )
        add(
            "discount_rate_real",
            "Discount rate, real",
            "=(1+discount_rate_nominal)/(1+inflation_rate)-1",
            "per year",
            "derived",
            kind="formula",
            fmt="percent",
            note=fisher,
        )
    for code, path in finance.exchange_rates.items():
        low = code.lower()
        unit = f"{b.cur}/{code}"
        key = f"finance.exchange_rates.{code}"
        if path.values is None:
            add(
                f"fx_{low}_start_rate",
                f"{code} rate in year 0",
                path.start_rate,
                unit,
                f"{key}.start_rate",
                fmt=fx_format(float(path.start_rate or 0.0)),
            )
            add(
                f"fx_{low}_escalation_rate",
                f"{code} rate: yearly rise",
                path.escalation_rate,
                "per year",
                f"{key}.escalation_rate",
                fmt="percent",
            )
        else:
            add(
                None,
                f"{code} rate of each year",
                "on Indices",
                unit,
                f"{key}.values",
                kind="fixed",
                fmt="text",
                note="The scenario gives one rate per year: the yellow values on "
                "the Indices sheet.",
            )
        stated = path.inflation_rate
        add(
            f"fx_{low}_inflation_rate",
            f"Inflation of {code}",
            DEFAULT_INFLATION[code] if stated is None else stated,
            "per year",
            f"{key}.inflation_rate" + ("" if stated is not None else " (default)"),
            fmt="percent",
            note=""
            if stated is not None
            else "Default of solarcase: 2 % for USD and EUR (central-bank targets).",
        )
    if _uses_tomans(finance):
        add(
            "rial_per_toman",
            "Rials per toman",
            float(RIAL_PER_TOMAN),
            "IRR/IRT",
            "units.RIAL_PER_TOMAN",
            kind="fixed",
            fmt="rate",
            note="1 toman = 10 rials: amounts stated in tomans (IRT) are multiplied "
            "by it.",
        )


def _uses_tomans(finance: model.Finance) -> bool:
    return any(code == TOMAN for _, code in currencies_in(finance))


def _basis(item: Any, fields: Sequence[tuple[str, str]]) -> tuple[str, float, str]:
    """The first set field of ``item`` as (field, value, unit suffix)."""
    for field, unit in fields:
        value = getattr(item, field, None)
        if value is not None:
            return field, float(value), unit
    raise ValueError(f"none of {fields} set on {item!r}")


def _capex(b: _Builder) -> None:
    finance, add, book = b.finance, b.add, b.book
    b.sheet.section(f"Investment at year 0 (converted to {b.cur} at the year-0 rate)")
    sizes = {"per_kwp": "dc_capacity_kwp", "per_kw_ac": "ac_capacity_kw"}
    amounts, depreciable = [], []
    for name, item in finance.capex.items():
        s = slug(name)
        m = b.money(item.currency)
        field, value, unit = _basis(
            item, (("amount", ""), ("per_kwp", "/kWp"), ("per_kw_ac", "/kW"))
        )
        key = f"finance.capex.{name}"
        stated = add(
            f"capex_{s}_{field}",
            f"{name}: {field.replace('_', ' ')}",
            value,
            m.code + unit,
            f"{key}.{field}",
            fmt="money",
        )
        cost = stated
        if field in sizes:
            cost = add(
                f"capex_{s}_cost",
                f"{name}: cost in {m.code}",
                f"={stated}*{sizes[field]}",
                m.code,
                "derived",
                kind="formula",
                fmt="money",
            )
        if m.factor or m.fx:
            add(
                f"capex_{s}",
                f"{name}: cost in {b.cur}",
                f"={cost}{m.at_year0(book)}",
                b.cur,
                "derived",
                kind="formula",
                fmt="money",
            )
        else:
            book.define(f"capex_{s}", "Inputs", f"B{b.sheet.row - 1}")
        add(
            f"capex_{s}_depreciable",
            f"{name}: depreciable",
            bool(item.depreciable),
            "",
            f"{key}.depreciable",
            fmt="general",
        )
        b.capex_costs[name] = cost
        amounts.append(f"capex_{s}")
        depreciable.append(f"IF(capex_{s}_depreciable,capex_{s},0)")
    add(
        "capex",
        "Capex, total",
        "=" + "+".join(amounts),
        b.cur,
        "derived",
        kind="formula",
        fmt="money",
    )
    add(
        "capex_depreciable",
        "Capex, depreciable items",
        "=" + "+".join(depreciable),
        b.cur,
        "derived",
        kind="formula",
        fmt="money",
    )
    _grants(b)
    _in_kind(b)


def _grants(b: _Builder) -> None:
    finance, add = b.finance, b.add
    if not finance.grants:
        return
    names = []
    for name, grant in finance.grants.items():
        s, m = slug(name), b.money(grant.currency)
        stated = add(
            f"grant_{s}_amount",
            f"Grant {name}",
            grant.amount,
            m.code,
            f"finance.grants.{name}.amount",
            fmt="money",
        )
        if m.factor or m.fx:
            stated = add(
                f"grant_{s}",
                f"Grant {name} in {b.cur}",
                f"={stated}{m.at_year0(b.book)}",
                b.cur,
                "derived",
                kind="formula",
                fmt="money",
            )
        names.append(stated)
    add(
        "grants",
        "Grants, total",
        "=" + "+".join(names),
        b.cur,
        "derived",
        kind="formula",
        fmt="money",
    )
    add(
        "grants_reduce_basis",
        "Grants reduce the depreciable basis",
        bool(b.result.finance_inputs.grants_reduce_depreciable_basis),
        "",
        "finance.grants.*.reduces_depreciable_basis",
        fmt="general",
    )


def _in_kind(b: _Builder) -> None:
    finance, add = b.finance, b.add
    if not finance.in_kind:
        return
    once, yearly = ["0"], ["0"]
    rate: float | None = None
    for name, item in finance.in_kind.items():
        s, m = slug(name), b.money(item.currency)
        key = f"finance.in_kind.{name}"
        if item.amount is not None:
            once.append(
                add(
                    f"in_kind_{s}_amount",
                    f"In kind {name}: value at year 0",
                    item.amount,
                    m.code,
                    f"{key}.amount",
                    fmt="money",
                )
                + m.at_year0(b.book)
            )
        else:
            yearly.append(
                add(
                    f"in_kind_{s}_per_year",
                    f"In kind {name}: yearly value",
                    item.per_year or 0.0,
                    f"{m.code}/year",
                    f"{key}.per_year",
                    fmt="money",
                )
                + m.factor
            )
            rate = item.escalation_rate if rate is None else rate
    add(
        "in_kind_value",
        "In kind at year 0, total",
        "=" + "+".join(once),
        b.cur,
        "derived",
        kind="formula",
        fmt="money",
        note="Not a cash flow: enters the LCOE only.",
    )
    add(
        "in_kind_per_year",
        "In kind per year (operating year 1), total",
        "=" + "+".join(yearly),
        f"{b.cur}/year",
        "derived",
        kind="formula",
        fmt="money",
    )
    b.escalation(
        "in_kind_escalation_rate",
        rate,
        b.money(None),
        "finance.in_kind.*.escalation_rate",
        "In kind per year",
    )


def _operating_costs(b: _Builder) -> None:
    costs, add = b.finance.operating_costs, b.add
    b.sheet.section("Operating costs (operating-year-1 prices)")
    key = "finance.operating_costs"
    fixed = costs.fixed_om
    if fixed is not None:
        m = b.money(fixed.currency)
        if fixed.per_year is not None:
            add(
                "fixed_om_per_year",
                "Fixed O&M per year",
                fixed.per_year,
                f"{m.code}/year",
                f"{key}.fixed_om.per_year",
                fmt="money",
            )
        else:
            add(
                "fixed_om_per_kwp_year",
                "Fixed O&M per kWp",
                fixed.per_kwp_year or 0.0,
                f"{m.code}/kWp/year",
                f"{key}.fixed_om.per_kwp_year",
                fmt="money",
            )
            add(
                "fixed_om_per_year",
                "Fixed O&M per year",
                "=fixed_om_per_kwp_year*dc_capacity_kwp",
                f"{m.code}/year",
                "derived",
                kind="formula",
                fmt="money",
            )
        b.escalation(
            "fixed_om_escalation_rate",
            fixed.escalation_rate,
            m,
            f"{key}.fixed_om.escalation_rate",
            "Fixed O&M",
        )
    variable = costs.variable_om
    if variable is not None:
        m = b.money(variable.currency)
        add(
            "variable_om_per_kwh",
            "Variable O&M",
            variable.per_kwh,
            f"{m.code}/kWh",
            f"{key}.variable_om.per_kwh",
            fmt="money2",
        )
        b.escalation(
            "variable_om_escalation_rate",
            variable.escalation_rate,
            m,
            f"{key}.variable_om.escalation_rate",
            "Variable O&M",
        )
    insurance = costs.insurance
    if insurance is not None:
        add(
            "insurance_rate",
            "Insurance premium, share of capex",
            insurance.capex_fraction_per_year,
            "per year",
            f"{key}.insurance.capex_fraction_per_year",
            fmt="percent",
        )
        b.escalation(
            "insurance_escalation_rate",
            insurance.escalation_rate,
            b.money(None),
            f"{key}.insurance.escalation_rate",
            "Insurance",
        )
    lease = costs.land_lease
    if lease is not None:
        m = b.money(lease.currency)
        add(
            "land_lease_per_year",
            "Land lease per year",
            lease.per_year,
            f"{m.code}/year",
            f"{key}.land_lease.per_year",
            fmt="money",
        )
        b.escalation(
            "land_lease_escalation_rate",
            lease.escalation_rate,
            m,
            f"{key}.land_lease.escalation_rate",
            "Land lease",
        )


def _revenue(b: _Builder) -> None:
    revenue, add = b.finance.revenue, b.add
    m = b.money(revenue.currency)
    key = "finance.revenue"
    b.sheet.section(f"Revenue: {revenue.scheme.replace('_', ' ')}")
    add(
        None,
        "Scheme",
        revenue.scheme,
        "",
        f"{key}.scheme",
        kind="fixed",
        fmt="text",
        note="The sheets are laid out for this scheme.",
    )
    price_unit = f"{m.code}/kWh"
    main = {
        "escalating_tariff": ("price_per_kwh", "Contract price, operating year 1"),
        "guaranteed_purchase": ("base_price_per_kwh", "Base price (year 1, unindexed)"),
        "market": ("price_per_kwh", "Market price, operating year 1"),
        "self_consumption": (
            "purchase_price_per_kwh",
            "Purchase tariff avoided, year 1",
        ),
    }[revenue.scheme]
    add(
        "tariff_price",
        main[1],
        getattr(revenue, main[0]),
        price_unit,
        f"{key}.{main[0]}",
        fmt="money2",
        note="The main price: the breakeven price scales it.",
    )
    if isinstance(revenue, model.EscalatingTariff):
        add(
            "tariff_escalation_rate",
            "Contract price: escalation",
            revenue.escalation_rate,
            "per year",
            f"{key}.escalation_rate",
            fmt="percent",
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


def _after_contract(b: _Builder, revenue: Any, m: Money) -> None:
    add, key = b.add, "finance.revenue"
    if revenue.contract_years is not None:
        add(
            "contract_years",
            "Contract term",
            revenue.contract_years,
            "years",
            f"{key}.contract_years",
            fmt="years",
        )
    else:
        add(
            "contract_years",
            "Contract term",
            "=analysis_years",
            "years",
            f"{key}.contract_years (not set: the whole analysis)",
            fmt="years",
        )
    add(
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


def _guaranteed_purchase(b: _Builder, revenue: model.GuaranteedPurchase) -> None:
    add, key = b.add, "finance.revenue"
    add(
        "alpha",
        "Indexation weight alpha",
        revenue.alpha,
        "",
        f"{key}.alpha",
        fmt="percent",
    )
    add(
        "alpha_weights",
        "Term alpha weights",
        revenue.alpha_weights,
        "",
        f"{key}.alpha_weights",
        fmt="text",
        choices=("cpi", "eur"),
    )
    add(
        "cpi_weight",
        "Weight of the CPI term w",
        '=IF(alpha_weights="eur",1-alpha,alpha)',
        "",
        "derived",
        kind="formula",
        fmt="percent",
        note="K_t = w CPI_(t-1)/CPI_0 + (1 - w) EUR_(t-1)/EUR_0.",
    )
    if revenue.cpi_inflation_rate is not None:
        add(
            "cpi_inflation_rate",
            "CPI rise",
            revenue.cpi_inflation_rate,
            "per year",
            f"{key}.cpi_inflation_rate",
            fmt="percent",
        )
    else:
        add(
            "cpi_inflation_rate",
            "CPI rise",
            "=inflation_rate",
            "per year",
            f"{key}.cpi_inflation_rate (not set)",
            fmt="percent",
            note="Not in the scenario: the inflation rate (the engine's default).",
        )
    official = revenue.official_eur_rate
    if official is not None and official.values is None:
        add(
            "official_eur_start_rate",
            "Official EUR rate, year 0",
            official.start_rate,
            f"{b.cur}/EUR",
            f"{key}.official_eur_rate.start_rate",
            fmt=fx_format(float(official.start_rate or 0.0)),
        )
        add(
            "official_eur_escalation_rate",
            "Official EUR rate: yearly rise",
            official.escalation_rate,
            "per year",
            f"{key}.official_eur_rate.escalation_rate",
            fmt="percent",
        )
    steps = sorted(revenue.step_downs.items())
    for k, (year, factor) in enumerate(steps, start=1):
        add(
            f"step_down_{k}_year",
            f"Step-down {k}: from contract year",
            year,
            "year",
            f"{key}.step_downs",
            fmt="years",
        )
        add(
            f"step_down_{k}_factor",
            f"Step-down {k}: factor",
            factor,
            "",
            f"{key}.step_downs",
            fmt="percent",
        )
    if steps:
        add(
            "step_down_mode",
            "Step-down mode",
            revenue.step_down_mode or "absolute",
            "",
            f"{key}.step_down_mode",
            fmt="text",
            choices=("absolute", "cumulative"),
            note="absolute: the factor of the latest step; cumulative: the factors "
            "multiply.",
        )
    tod = revenue.time_of_day is not None
    add(
        "time_of_day_factor",
        "Time-of-day factor (equivalent energy / energy)",
        b.result.revenue_factors.time_of_day_factor,
        "",
        f"{key}.time_of_day",
        kind="value" if tod else "input",
        fmt="factor",
        note=SOURCE_HOURLY if tod else "No time-of-day table: every hour counts 1.",
    )


def _self_consumption(b: _Builder, revenue: model.SelfConsumption, m: Money) -> None:
    add, key = b.add, "finance.revenue"
    b.escalation(
        "tariff_escalation_rate",
        revenue.purchase_escalation_rate,
        m,
        f"{key}.purchase_escalation_rate",
        "Purchase tariff",
    )
    add(
        "export_price_per_kwh",
        "Export price, year 1",
        revenue.export_price_per_kwh,
        f"{m.code}/kWh",
        f"{key}.export_price_per_kwh",
        fmt="money2",
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
    add(
        None,
        "Load: consumption per year",
        load.annual_consumption_kwh or 0.0,
        "kWh/year",
        f"{key}.load.annual_consumption_kwh",
        kind="fixed",
        fmt="energy",
        note=note,
    )
    add(
        None,
        "Load: profile",
        load.profile,
        "",
        f"{key}.load.profile",
        kind="fixed",
        fmt="text",
        note=note,
    )
    add(
        None,
        "Load: growth",
        load.growth_rate,
        "per year",
        f"{key}.load.growth_rate",
        kind="fixed",
        fmt="percent",
        note=note,
    )
    rule = revenue.obligation
    if rule is None:
        return
    sub = f"{key}.obligation"
    add(
        "obligation_first_share",
        "Obligation: share in year 1",
        rule.first_share,
        "",
        f"{sub}.first_share",
        fmt="percent",
    )
    add(
        "obligation_yearly_step",
        "Obligation: rise per year",
        rule.yearly_step,
        "per year",
        f"{sub}.yearly_step",
        fmt="percent",
    )
    add(
        "obligation_max_share",
        "Obligation: final share",
        rule.max_share,
        "",
        f"{sub}.max_share",
        fmt="percent",
    )
    add(
        "penalty_price_per_kwh",
        "Obligation penalty tariff, year 1",
        rule.penalty_price_per_kwh,
        f"{m.code}/kWh",
        f"{sub}.penalty_price_per_kwh",
        fmt="money2",
    )
    b.escalation(
        "penalty_escalation_rate",
        rule.penalty_escalation_rate,
        m,
        f"{sub}.penalty_escalation_rate",
        "Penalty tariff",
    )


def _late_payment(b: _Builder) -> None:
    rule, add = b.finance.late_payment, b.add
    if rule is None:
        return
    b.sheet.section("Late payment of invoices")
    key = "finance.late_payment"
    add(
        "late_payment_share",
        "Share of each invoice paid late",
        rule.share,
        "",
        f"{key}.share",
        fmt="percent",
    )
    add(
        "late_payment_delay_years",
        "Paid this many years late",
        rule.delay_years,
        "years",
        f"{key}.delay_years",
        fmt="years",
    )
    add(
        "unpaid_at_end",
        "Invoices unpaid after year N",
        rule.unpaid_at_end,
        "",
        f"{key}.unpaid_at_end",
        fmt="text",
        choices=("collected", "lost"),
        note="collected: paid in year N; lost: written off in year N (deductible).",
    )


def _debt(b: _Builder) -> None:
    debt, add = b.finance.debt, b.add
    if debt is None:
        return
    b.sheet.section("Debt")
    key = "finance.debt"
    add(
        None,
        "Loan type",
        debt.type,
        "",
        f"{key}.type",
        kind="fixed",
        fmt="text",
        note="The debt rows are laid out for this type.",
    )
    sculpted = isinstance(debt, model.SculptedDebt)
    if sculpted:
        add(
            "debt_target_dscr",
            "Target DSCR",
            debt.target_dscr,
            "",
            f"{key}.target_dscr",
            fmt="ratio",
        )
        add(
            "debt_max_gearing",
            "Largest loan, share of capex",
            debt.max_gearing,
            "",
            f"{key}.max_gearing",
            fmt="percent",
        )
    else:
        add(
            "debt_capex_fraction",
            "Loan, share of capex",
            debt.capex_fraction,
            "",
            f"{key}.capex_fraction",
            fmt="percent",
        )
    add(
        "debt_interest_rate",
        "Interest rate",
        debt.interest_rate,
        "per year",
        f"{key}.interest_rate",
        fmt="percent",
    )
    add(
        "debt_tenor_years",
        "Repayment years",
        debt.tenor_years,
        "years",
        f"{key}.tenor_years",
        fmt="years",
    )
    add(
        "debt_grace_years",
        "Grace years (interest only)",
        debt.grace_years,
        "years",
        f"{key}.grace_years",
        fmt="years",
    )
    add(
        "debt_upfront_fee",
        "Up-front fee, share of the loan",
        debt.upfront_fee,
        "",
        f"{key}.upfront_fee",
        fmt="percent",
    )
    add(
        "debt_construction_interest_years",
        "Interest during construction",
        debt.construction_interest_years,
        "years",
        f"{key}.construction_interest_years",
        fmt="rate",
    )
    formula = {"kind": "formula", "fmt": "money"}
    grants = "-grants" if b.finance.grants else ""
    add(
        "loan_life",
        "Loan life (grace + repayment)",
        "=debt_grace_years+debt_tenor_years",
        "years",
        "derived",
        kind="formula",
        fmt="years",
    )
    if sculpted:
        book = b.book
        add(
            "loan_wanted",
            "Loan the target DSCR supports D*",
            f"=SUMPRODUCT({span(book, 'target_service')},"
            f"{span(book, 'grace_discount')})"
            "/(1+debt_interest_rate)^debt_construction_interest_years",
            b.cur,
            "derived",
            **formula,
        )
        add(
            "loan_cap",
            "Cap: gearing x capex, and the cost less grants",
            f"=MIN(capex*debt_max_gearing,capex{grants})",
            b.cur,
            "derived",
            **formula,
        )
        add(
            "loan_amount",
            "Loan drawn D",
            "=MAX(MIN(loan_wanted,loan_cap),0)",
            b.cur,
            "derived",
            **formula,
        )
        add(
            "loan_scale",
            "Service scale D/D*",
            "=IF(loan_wanted>0,loan_amount/loan_wanted,0)",
            "",
            "derived",
            kind="formula",
            fmt="factor",
        )
    else:
        add(
            "loan_amount",
            "Loan drawn D",
            f"=MAX(MIN(debt_capex_fraction*capex,capex{grants}),0)",
            b.cur,
            "derived",
            **formula,
        )
    add(
        "loan_opening_balance",
        "Balance at the start of operation B0",
        "=loan_amount*(1+debt_interest_rate)^debt_construction_interest_years",
        b.cur,
        "derived",
        **formula,
    )
    add(
        "loan_fee",
        "Up-front fee",
        "=loan_amount*debt_upfront_fee",
        b.cur,
        "derived",
        **formula,
    )
    if isinstance(debt, model.AnnuityDebt):
        add(
            "loan_payment",
            "Annuity instalment P",
            "=IF(debt_interest_rate=0,loan_opening_balance/debt_tenor_years,"
            "loan_opening_balance*debt_interest_rate"
            "/(1-(1+debt_interest_rate)^(-debt_tenor_years)))",
            f"{b.cur}/year",
            "derived",
            **formula,
        )


def _tax(b: _Builder) -> None:
    tax, add = b.finance.tax, b.add
    if tax is None:
        return
    b.sheet.section("Tax")
    key = "finance.tax"
    rule = tax.depreciation
    add("tax_rate", "Income-tax rate", tax.rate, "", f"{key}.rate", fmt="percent")
    add(
        None,
        "Depreciation method",
        rule.method,
        "",
        f"{key}.depreciation.method",
        kind="fixed",
        fmt="text",
        note="The depreciation rows follow this method.",
    )
    add(
        "depreciation_life_years",
        "Depreciation life",
        rule.life_years,
        "years",
        f"{key}.depreciation.life_years",
        fmt="years",
    )
    if isinstance(rule, model.DecliningBalance):
        add(
            "depreciation_factor",
            "Declining-balance factor",
            rule.factor,
            "",
            f"{key}.depreciation.factor",
            fmt="ratio",
        )
    add(
        "half_year_convention",
        "Half-year convention",
        bool(rule.half_year_convention),
        "",
        f"{key}.depreciation.half_year_convention",
        fmt="general",
    )
    basis = "capex_depreciable"
    if b.finance.grants:
        basis = "MAX(capex_depreciable-IF(grants_reduce_basis,grants,0),0)"
    add(
        "depreciable_basis",
        "Depreciable basis",
        "=" + basis,
        b.cur,
        "derived",
        kind="formula",
        fmt="money",
    )
    add(
        "tax_holiday_years",
        "Tax holiday: operating years 1..H",
        tax.holiday_years,
        "years",
        f"{key}.holiday_years",
        fmt="years",
    )
    add(
        "loss_carry_forward",
        "Losses carried forward",
        bool(tax.loss_carry_forward),
        "",
        f"{key}.loss_carry_forward",
        fmt="general",
    )
    if tax.loss_expiry_years is not None:
        add(
            "loss_expiry_years",
            "A loss expires after",
            tax.loss_expiry_years,
            "years",
            f"{key}.loss_expiry_years",
            fmt="years",
        )


def _one_off_costs(b: _Builder) -> None:
    finance, add = b.finance, b.add
    events = (
        finance.inverter_replacement,
        finance.module_replacement,
        finance.end_of_life.salvage,
        finance.end_of_life.decommissioning,
    )
    if all(event is None for event in events):
        return
    b.sheet.section("Replacements and end of life (year-0 prices)")
    inverter = finance.inverter_replacement
    if inverter is not None:
        m = b.money(inverter.currency)
        key = "finance.inverter_replacement"
        add(
            "replacement_year",
            "Inverter replacement: operating year",
            inverter.year,
            "year",
            f"{key}.year",
            fmt="years",
        )
        if inverter.amount is not None:
            add(
                "replacement_cost",
                "Inverter replacement: cost",
                inverter.amount,
                m.code,
                f"{key}.amount",
                fmt="money",
            )
        else:
            add(
                "replacement_per_kw_ac",
                "Inverter replacement: cost per kW",
                inverter.per_kw_ac or 0.0,
                f"{m.code}/kW",
                f"{key}.per_kw_ac",
                fmt="money",
            )
            add(
                "replacement_cost",
                "Inverter replacement: cost",
                "=replacement_per_kw_ac*ac_capacity_kw",
                m.code,
                "derived",
                kind="formula",
                fmt="money",
            )
        b.escalation(
            "replacement_escalation_rate",
            inverter.escalation_rate,
            m,
            f"{key}.escalation_rate",
            "Inverter replacement",
        )
    _module_replacement(b)
    for which in ("salvage", "decommissioning"):
        item = getattr(finance.end_of_life, which)
        if item is not None:
            _end_of_life(b, which, item)


def _module_replacement(b: _Builder) -> None:
    rule, add = b.finance.module_replacement, b.add
    if rule is None:
        return
    item = b.finance.capex[rule.capex_item]
    m = b.money(item.currency)
    key = "finance.module_replacement"
    cost = b.capex_costs[rule.capex_item]
    add(
        "module_replacement_cost",
        "Modules: cost of them all",
        f"={cost}",
        m.code,
        f"{key}.capex_item = {rule.capex_item}",
        kind="formula",
        fmt="money",
    )
    add(
        "module_replacement_fraction_per_year",
        "Modules replaced every year",
        rule.fraction_per_year,
        "per year",
        f"{key}.fraction_per_year",
        fmt="percent",
    )
    add(
        "module_replacement_fraction",
        "Modules replaced in the years below",
        rule.fraction,
        "",
        f"{key}.fraction",
        fmt="percent",
    )
    for k, year in enumerate(rule.years, start=1):
        add(
            f"module_replacement_year_{k}",
            f"Module replacement year {k}",
            year,
            "year",
            f"{key}.years",
            fmt="years",
        )
    b.escalation(
        "module_replacement_escalation_rate",
        rule.escalation_rate,
        m,
        f"{key}.escalation_rate",
        "Module replacement",
    )


def _end_of_life(b: _Builder, which: str, item: Any) -> None:
    add = b.add
    key = f"finance.end_of_life.{which}"
    what = which.capitalize()
    if item.capex_fraction is not None:
        m = b.money(None)
        add(
            f"{which}_capex_fraction",
            f"{what}: share of capex",
            item.capex_fraction,
            "",
            f"{key}.capex_fraction",
            fmt="percent",
        )
        add(
            f"{which}_amount",
            f"{what}: amount",
            f"={which}_capex_fraction*capex",
            b.cur,
            "derived",
            kind="formula",
            fmt="money",
        )
    else:
        m = b.money(item.currency)
        if item.amount is not None:
            add(
                f"{which}_amount",
                f"{what}: amount",
                item.amount,
                m.code,
                f"{key}.amount",
                fmt="money",
            )
        else:
            add(
                f"{which}_per_kwp",
                f"{what}: per kWp",
                item.per_kwp or 0.0,
                f"{m.code}/kWp",
                f"{key}.per_kwp",
                fmt="money",
            )
            add(
                f"{which}_amount",
                f"{what}: amount",
                f"={which}_per_kwp*dc_capacity_kwp",
                m.code,
                "derived",
                kind="formula",
                fmt="money",
            )
    b.escalation(
        f"{which}_escalation_rate",
        item.escalation_rate,
        m,
        f"{key}.escalation_rate",
        what,
    )


def _settings(b: _Builder) -> None:
    finance, add = b.finance, b.add
    b.sheet.section("Metric settings")
    mirr = finance.mirr
    for name, stated, what in (
        ("mirr_finance_rate", mirr.finance_rate, "MIRR finance rate"),
        ("mirr_reinvestment_rate", mirr.reinvestment_rate, "MIRR reinvestment rate"),
    ):
        if stated is not None:
            add(
                name,
                what,
                stated,
                "per year",
                f"finance.mirr.{name[5:]}",
                fmt="percent",
            )
        else:
            add(
                name,
                what,
                "=discount_rate_nominal",
                "per year",
                f"finance.mirr.{name[5:]} (not set)",
                fmt="percent",
                note="Not in the scenario: the nominal discount rate.",
            )
    code = finance.reference_currency
    if code is None:
        return
    low = code.lower()
    add(
        "reference_inflation_rate",
        f"Inflation of {code} (reference currency)",
        f"=fx_{low}_inflation_rate",
        "per year",
        "finance.reference_currency",
        kind="formula",
        fmt="percent",
    )
    add(
        "reference_discount_rate",
        f"Discount rate in {code}, nominal",
        "=(1+discount_rate_real)*(1+reference_inflation_rate)-1",
        "per year",
        "derived",
        kind="formula",
        fmt="percent",
        note="The same real return in either currency.",
    )
