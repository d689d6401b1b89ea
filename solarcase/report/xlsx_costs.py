"""The Inputs sheet: investment, grants, in-kind contributions, operating costs,
replacements and end of life (see :mod:`solarcase.report.xlsx_inputs`).

Each capex item is stated as the scenario states it (per kWp, per kW or a lump sum,
in its currency) with its cost for this plant and its amount in the model currency
as formulas beside it (tomans x ``rial_per_toman``, foreign currencies x the year-0
rate on the Indices sheet).
"""

from __future__ import annotations

from typing import Any

from solarcase.report.xlsx_inputs import Builder, slug

__all__ = ["write_investment", "write_one_offs"]


def write_investment(b: Builder) -> None:
    """Capex items, grants, in-kind contributions and operating costs."""
    _capex(b)
    _grants(b)
    _in_kind(b)
    _operating_costs(b)


def _basis(item: Any) -> tuple[str, float, str]:
    """The capex item's stated basis: (field, value, unit suffix)."""
    for field, unit in (("amount", ""), ("per_kwp", "/kWp"), ("per_kw_ac", "/kW")):
        value = getattr(item, field, None)
        if value is not None:
            return field, float(value), unit
    raise ValueError(f"no amount, per_kwp or per_kw_ac on {item!r}")


def _capex(b: Builder) -> None:
    b.section(f"Investment at year 0 (converted to {b.cur} at the year-0 rate)")
    sizes = {"per_kwp": "dc_capacity_kwp", "per_kw_ac": "ac_capacity_kw"}
    amounts, depreciable = [], []
    for name, item in b.finance.capex.items():
        s, m = slug(name), b.money(item.currency)
        field, value, unit = _basis(item)
        key = f"finance.capex.{name}"
        cost = b.add(
            f"capex_{s}_{field}",
            f"{name}: {field.replace('_', ' ')}",
            value,
            m.code + unit,
            f"{key}.{field}",
            fmt="money",
        )
        if field in sizes:
            cost = b.derived(
                f"capex_{s}_cost",
                f"{name}: cost in {m.code}",
                f"={cost}*{sizes[field]}",
                m.code,
            )
        b.capex_costs[name] = cost
        if m.converted:
            b.derived(
                f"capex_{s}",
                f"{name}: cost in {b.cur}",
                f"={cost}{m.at_year0(b.book)}",
                b.cur,
            )
        else:  # the same cell, under the name the totals use
            b.book.define(f"capex_{s}", "Inputs", f"B{b.sheet.row - 1}")
        b.add(
            f"capex_{s}_depreciable",
            f"{name}: depreciable",
            bool(item.depreciable),
            "",
            f"{key}.depreciable",
            fmt="general",
        )
        amounts.append(f"capex_{s}")
        depreciable.append(f"IF(capex_{s}_depreciable,capex_{s},0)")
    b.derived("capex", "Capex, total", "=" + "+".join(amounts), b.cur)
    b.derived(
        "capex_depreciable",
        "Capex, depreciable items",
        "=" + "+".join(depreciable),
        b.cur,
    )


def _grants(b: Builder) -> None:
    if not b.finance.grants:
        return
    names = []
    for name, grant in b.finance.grants.items():
        s, m = slug(name), b.money(grant.currency)
        stated = b.add(
            f"grant_{s}_amount",
            f"Grant {name}",
            grant.amount,
            m.code,
            f"finance.grants.{name}.amount",
            fmt="money",
        )
        if m.converted:
            stated = b.derived(
                f"grant_{s}",
                f"Grant {name} in {b.cur}",
                f"={stated}{m.at_year0(b.book)}",
                b.cur,
            )
        names.append(stated)
    b.derived("grants", "Grants, total", "=" + "+".join(names), b.cur)
    b.add(
        "grants_reduce_basis",
        "Grants reduce the depreciable basis",
        bool(b.result.finance_inputs.grants_reduce_depreciable_basis),
        "",
        "finance.grants.*.reduces_depreciable_basis",
        fmt="general",
    )


def _in_kind(b: Builder) -> None:
    if not b.finance.in_kind:
        return
    once, yearly = ["0"], ["0"]
    rate: float | None = None
    for name, item in b.finance.in_kind.items():
        s, m = slug(name), b.money(item.currency)
        key = f"finance.in_kind.{name}"
        if item.amount is not None:
            stated = b.add(
                f"in_kind_{s}_amount",
                f"In kind {name}: value at year 0",
                item.amount,
                m.code,
                f"{key}.amount",
                fmt="money",
            )
            once.append(stated + m.at_year0(b.book))
        else:
            stated = b.add(
                f"in_kind_{s}_per_year",
                f"In kind {name}: yearly value",
                item.per_year or 0.0,
                f"{m.code}/year",
                f"{key}.per_year",
                fmt="money",
            )
            yearly.append(stated + m.factor)
            rate = item.escalation_rate if rate is None else rate
    b.derived(
        "in_kind_value",
        "In kind at year 0, total",
        "=" + "+".join(once),
        b.cur,
        note="Not a cash flow: enters the LCOE only.",
    )
    b.derived(
        "in_kind_per_year",
        "In kind per year (operating year 1), total",
        "=" + "+".join(yearly),
        f"{b.cur}/year",
    )
    b.escalation(
        "in_kind_escalation_rate",
        rate,
        b.money(None),
        "finance.in_kind.*.escalation_rate",
        "In kind per year",
    )


def _operating_costs(b: Builder) -> None:
    costs, key = b.finance.operating_costs, "finance.operating_costs"
    b.section("Operating costs (operating-year-1 prices)")
    fixed = costs.fixed_om
    if fixed is not None:
        m = b.money(fixed.currency)
        if fixed.per_year is not None:
            spec: tuple[str, ...] = (
                "fixed_om_per_year",
                "Fixed O&M per year",
                "per_year",
                "{c}/year",
            )
            b.fields(fixed, f"{key}.fixed_om", [spec], c=m.code)
        else:
            spec = (
                "fixed_om_per_kwp_year",
                "Fixed O&M per kWp",
                "per_kwp_year",
                "{c}/kWp/year",
            )
            b.fields(fixed, f"{key}.fixed_om", [spec], c=m.code)
            b.derived(
                "fixed_om_per_year",
                "Fixed O&M per year",
                "=fixed_om_per_kwp_year*dc_capacity_kwp",
                f"{m.code}/year",
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
        spec = ("variable_om_per_kwh", "Variable O&M", "per_kwh", "{c}/kWh", "money2")
        b.fields(variable, f"{key}.variable_om", [spec], c=m.code)
        b.escalation(
            "variable_om_escalation_rate",
            variable.escalation_rate,
            m,
            f"{key}.variable_om.escalation_rate",
            "Variable O&M",
        )
    insurance = costs.insurance
    if insurance is not None:
        spec = (
            "insurance_rate",
            "Insurance premium, share of capex",
            "capex_fraction_per_year",
            "/yr",
        )
        b.fields(insurance, f"{key}.insurance", [spec])
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
        spec = ("land_lease_per_year", "Land lease per year", "per_year", "{c}/year")
        b.fields(lease, f"{key}.land_lease", [spec], c=m.code)
        b.escalation(
            "land_lease_escalation_rate",
            lease.escalation_rate,
            m,
            f"{key}.land_lease.escalation_rate",
            "Land lease",
        )


def write_one_offs(b: Builder) -> None:
    """Inverter and module replacement, salvage and decommissioning."""
    finance = b.finance
    end = finance.end_of_life
    events = (
        finance.inverter_replacement,
        finance.module_replacement,
        end.salvage,
        end.decommissioning,
    )
    if all(event is None for event in events):
        return
    b.section("Replacements and end of life (year-0 prices)")
    _inverter(b)
    _modules(b)
    for which in ("salvage", "decommissioning"):
        item = getattr(end, which)
        if item is not None:
            _end_of_life(b, which, item)


def _inverter(b: Builder) -> None:
    inverter = b.finance.inverter_replacement
    if inverter is None:
        return
    m, key = b.money(inverter.currency), "finance.inverter_replacement"
    b.fields(
        inverter,
        key,
        (
            (
                "replacement_year",
                "Inverter replacement: operating year",
                "year",
                "year",
            ),
        ),
    )
    if inverter.amount is not None:
        b.fields(
            inverter,
            key,
            (("replacement_cost", "Inverter replacement: cost", "amount", "{code}"),),
            code=m.code,
        )
    else:
        b.fields(
            inverter,
            key,
            (
                (
                    "replacement_per_kw_ac",
                    "Inverter replacement: cost per kW",
                    "per_kw_ac",
                    "{code}/kW",
                ),
            ),
            code=m.code,
        )
        b.derived(
            "replacement_cost",
            "Inverter replacement: cost",
            "=replacement_per_kw_ac*ac_capacity_kw",
            m.code,
        )
    b.escalation(
        "replacement_escalation_rate",
        inverter.escalation_rate,
        m,
        f"{key}.escalation_rate",
        "Inverter replacement",
    )


def _modules(b: Builder) -> None:
    rule = b.finance.module_replacement
    if rule is None:
        return
    m = b.money(b.finance.capex[rule.capex_item].currency)
    key = "finance.module_replacement"
    b.add(
        "module_replacement_cost",
        "Modules: cost of them all",
        f"={b.capex_costs[rule.capex_item]}",
        m.code,
        f"{key}.capex_item = {rule.capex_item}",
        kind="formula",
        fmt="money",
    )
    b.fields(
        rule,
        key,
        (
            (
                "module_replacement_fraction_per_year",
                "Modules replaced every year",
                "fraction_per_year",
                "per year",
            ),
            (
                "module_replacement_fraction",
                "Modules replaced in the years below",
                "fraction",
            ),
        ),
    )
    for k, year in enumerate(rule.years, start=1):
        b.add(
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


def _end_of_life(b: Builder, which: str, item: Any) -> None:
    key, what = f"finance.end_of_life.{which}", which.capitalize()
    if item.capex_fraction is not None:
        m = b.money(None)
        b.fields(
            item,
            key,
            (
                (
                    f"{which}_capex_fraction",
                    f"{what}: share of capex",
                    "capex_fraction",
                ),
            ),
        )
        b.derived(
            f"{which}_amount",
            f"{what}: amount",
            f"={which}_capex_fraction*capex",
            b.cur,
        )
    elif item.amount is not None:
        m = b.money(item.currency)
        b.fields(
            item,
            key,
            ((f"{which}_amount", f"{what}: amount", "amount", "{code}"),),
            code=m.code,
        )
    else:
        m = b.money(item.currency)
        b.fields(
            item,
            key,
            ((f"{which}_per_kwp", f"{what}: per kWp", "per_kwp", "{code}/kWp"),),
            code=m.code,
        )
        b.derived(
            f"{which}_amount",
            f"{what}: amount",
            f"={which}_per_kwp*dc_capacity_kwp",
            m.code,
        )
    b.escalation(
        f"{which}_escalation_rate",
        item.escalation_rate,
        m,
        f"{key}.escalation_rate",
        what,
    )
