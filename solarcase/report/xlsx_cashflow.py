"""The Cash flow sheet: the engine's table, row by row, as formulas of the year.

Rows follow :data:`~solarcase.finance.table.ROW_ORDER` with the engine's labels and
keys; a row that this scenario cannot make non-zero (a revenue stream of another
scheme, the debt rows without a loan, the tax rows for a tax-exempt owner, the
receivables without late payment) is left out. Below the table, "Workings" rows hold
the steps of the formulas (invoices paid late, the tax with carried losses, the
declining-balance schedule, the sculpted loan, the discounted flows and the payback
crossings behind the Summary). Every cell is a formula of the Inputs, Indices and
Energy sheets, except the tax that sizes a sculpted loan
(:mod:`~solarcase.report.xlsx_debt_tax`).
"""

from __future__ import annotations

from solarcase.finance.table import ROW_ORDER
from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Row, Section, Year
from solarcase.report.xlsx_debt_tax import debt_rows, tax_rows
from solarcase.report.xlsx_plan import (
    CASH_EVENTS,
    INVOICED,
    TOTALS,
    Formula,
    Plan,
    running,
    sum_rows,
)
from solarcase.report.xlsx_rows import escalated
from solarcase.scenario import finance as model

__all__ = ["cashflow_rows"]


def cashflow_rows(result: ScenarioResult) -> list[Row | Section]:
    """The table's rows, then the workings, for this scenario."""
    plan = Plan(result)
    _revenue(plan)
    _costs(plan)
    _receivables(plan)
    _capital(plan)
    if plan.finance.tax is not None:
        tax_rows(plan)
    if plan.finance.debt is not None:
        debt_rows(plan)
    _flows(plan)
    cur = plan.finance.currency
    price_fmt = "price" if _typical_price(result) >= 100 else "price4"
    rows: list[Row | Section] = []
    for name, label in ROW_ORDER:
        if name not in plan.formulas:
            continue
        fmt = "energy" if name.endswith("_kwh") else "money"
        if name == "price_per_kwh":
            fmt = price_fmt
        rows.append(
            Row(
                name,
                label.replace("[cur", f"[{cur}"),
                fmt,
                plan.formulas[name],
                bold=name in TOTALS,
            )
        )
    if plan.workings:
        rows.append(Section("Workings"))
        rows += plan.workings
    return rows + _metric_rows(plan)


def _typical_price(result: ScenarioResult) -> float:
    prices = result.cashflow.price_per_kwh[0, 1:]
    return float(abs(prices).max()) if prices.size else 0.0


def _revenue(plan: Plan) -> None:
    revenue = plan.finance.revenue
    add = plan.add
    add("energy_kwh", lambda x: x("delivered_energy_kwh"))
    energy = "energy_kwh"
    if isinstance(revenue, model.SelfConsumption):
        add("self_consumed_kwh", lambda x: f"{x(energy)}*{x('self_consumed_fraction')}")
        add("exported_kwh", lambda x: f"{x(energy)}*(1-{x('self_consumed_fraction')})")
        add("price_per_kwh", lambda x: x("purchase_price"))
        add("sales_export", lambda x: f"{x('exported_kwh')}*{x('export_price')}")
        add(
            "savings_purchases",
            lambda x: f"{x('self_consumed_kwh')}*{x('purchase_price')}",
        )
        if revenue.obligation is not None:
            add(
                "savings_obligation",
                lambda x: (
                    f"MIN({x('obligation_share')}*{x('consumption_kwh')},"
                    f"{x(energy)})*{x('penalty_price')}"
                ),
            )
    elif isinstance(revenue, model.MarketSale):
        add("price_per_kwh", lambda x: x("market_price"))
        add("sales_market", lambda x: f"{x(energy)}*{x('market_price')}")
    else:
        tod = (
            "*time_of_day_factor"
            if isinstance(revenue, model.GuaranteedPurchase)
            else ""
        )
        add(
            "price_per_kwh",
            lambda x: f"{x('contract_price')}+{x('price_after_contract')}",
        )
        add("sales_contract", lambda x: f"{x(energy)}{tod}*{x('contract_price')}")
        add(
            "sales_after_contract", lambda x: f"{x(energy)}*{x('price_after_contract')}"
        )
    streams = (*INVOICED, "savings_purchases", "savings_obligation")
    present = plan.present
    add("revenue", lambda x: sum_rows(x, streams, present))


def _costs(plan: Plan) -> None:
    costs = plan.finance.operating_costs
    add, money = plan.add, plan.money
    if costs.fixed_om is not None:
        m = money["fixed_om"]
        add(
            "fixed_om",
            lambda x: (
                f"IF({x.t}>=1,-"
                + escalated("fixed_om_per_year", "fixed_om_escalation_rate", m, x)
                + ",0)"
            ),
        )
    if costs.variable_om is not None:
        m_v = money["variable_om"]
        add(
            "variable_om",
            lambda x: (
                f"IF({x.t}>=1,-"
                + escalated(
                    "variable_om_per_kwh", "variable_om_escalation_rate", m_v, x
                )
                + f"*{x('energy_kwh')},0)"
            ),
        )
    if costs.insurance is not None:
        add(
            "insurance",
            lambda x: (
                f"IF({x.t}>=1,-insurance_rate"
                f"*(1+insurance_escalation_rate)^({x.t}-1)*capex,0)"
            ),
        )
    if costs.land_lease is not None:
        m_l = money["land_lease"]
        add(
            "land_lease",
            lambda x: (
                f"IF({x.t}>=1,-"
                + escalated("land_lease_per_year", "land_lease_escalation_rate", m_l, x)
                + ",0)"
            ),
        )
    present = plan.present
    names = ("fixed_om", "variable_om", "insurance", "land_lease")
    add("opex_total", lambda x: sum_rows(x, names, present))
    add("ebitda", lambda x: f"{x('revenue')}+{x('opex_total')}")


def _receivables(plan: Plan) -> None:
    if plan.finance.late_payment is None:
        plan.add("revenue_received", lambda x: x("revenue"))
        return
    present = plan.present
    end = "{t}=analysis_years"
    plan.work(
        "invoiced_sales",
        "invoiced sales (subject to late payment)",
        lambda x: sum_rows(x, INVOICED, present),
    )
    plan.work(
        "paid_late",
        "share of the invoices paid late",
        lambda x: f"late_payment_share*{x('invoiced_sales')}",
    )
    plan.work(
        "late_arriving",
        "late payments arriving",
        lambda x: (
            f"IF({x.t}>=late_payment_delay_years,INDEX({x.span('paid_late')}"
            f",1,{x.t}-late_payment_delay_years+1),0)"
        ),
        note="The late share of the invoice of year t - k, k the delay.",
    )
    plan.work(
        "receivables_before_settlement",
        "receivables before the final settlement",
        running(
            "receivables_before_settlement",
            lambda x: f"{x('paid_late')}-{x('late_arriving')}",
        ),
    )
    before = "receivables_before_settlement"
    plan.add(
        "receivables_change",
        lambda x: (
            f"{x('late_arriving')}-{x('paid_late')}"
            f'+IF(AND({end.format(t=x.t)},unpaid_at_end="collected"),{x(before)},0)'
        ),
    )
    plan.add("revenue_received", lambda x: f"{x('revenue')}+{x('receivables_change')}")
    plan.add("receivables_balance", lambda x: f"IF({end.format(t=x.t)},0,{x(before)})")
    plan.add(
        "bad_debt",
        lambda x: f'IF(AND({end.format(t=x.t)},unpaid_at_end="lost"),-{x(before)},0)',
    )


def _capital(plan: Plan) -> None:
    finance, add, money = plan.finance, plan.add, plan.money
    add("capex", lambda x: f"IF({x.t}=0,-capex,0)")
    if finance.grants:
        add("grants", lambda x: f"IF({x.t}=0,grants,0)")
    if finance.in_kind:
        add(
            "in_kind",
            lambda x: (
                f"-(IF({x.t}=0,in_kind_value,0)+IF({x.t}>=1,"
                f"in_kind_per_year*(1+in_kind_escalation_rate)^({x.t}-1),0))"
            ),
        )
    if finance.inverter_replacement is not None:
        m = money["replacement"]
        add(
            "replacement",
            lambda x: (
                f"IF({x.t}=replacement_year,-"
                + escalated(
                    "replacement_cost", "replacement_escalation_rate", m, x, base=0
                )
                + ",0)"
            ),
        )
    rule = finance.module_replacement
    if rule is not None:
        m_m = money["module_replacement"]
        years = len(rule.years)

        def modules(x: Year) -> str:
            share = f"IF({x.t}>=1,module_replacement_fraction_per_year,0)"
            if years:
                which = ",".join(
                    f"{x.t}=module_replacement_year_{k}" for k in range(1, years + 1)
                )
                share += f"+IF(OR({which}),module_replacement_fraction,0)"
            cost = escalated(
                "module_replacement_cost",
                "module_replacement_escalation_rate",
                m_m,
                x,
                base=0,
            )
            return f"-{cost}*({share})"

        add("module_replacement", modules)
    ends = [
        w
        for w in ("salvage", "decommissioning")
        if getattr(finance.end_of_life, w) is not None
    ]
    if ends:

        def end_of_life(x: Year) -> str:
            parts = ""
            for which in ends:
                sign = "+" if which == "salvage" else "-"
                parts += sign + escalated(
                    f"{which}_amount",
                    f"{which}_escalation_rate",
                    money[which],
                    x,
                    base=0,
                )
            return f"IF({x.t}=analysis_years,{parts.lstrip('+')},0)"

        add("end_of_life", end_of_life)


def _flows(plan: Plan) -> None:
    add = plan.add
    present = plan.present
    add("cfads", lambda x: sum_rows(x, ("ebitda", *CASH_EVENTS, "tax"), present))
    add(
        "project_fcf",
        lambda x: sum_rows(
            x, ("capex", "grants", "ebitda", *CASH_EVENTS, "project_tax"), present
        ),
    )
    add(
        "equity_fcf",
        lambda x: sum_rows(
            x,
            ("capex", "grants", "debt_drawdown", "debt_fees", "cfads", "debt_service"),
            present | {"cfads"},
        ),
    )
    add(
        "cumulative_project_fcf",
        running("cumulative_project_fcf", lambda x: x("project_fcf")),
    )
    add(
        "cumulative_equity_fcf",
        running("cumulative_equity_fcf", lambda x: x("equity_fcf")),
    )


def _metric_rows(plan: Plan) -> list[Row | Section]:
    """Rows behind the Summary: LCOE costs, discounted flows, paybacks, DSCR and the
    flows in the reference currency."""
    finance, present = plan.finance, plan.present
    cur = finance.currency
    costs = (
        "capex",
        "opex_total",
        "replacement",
        "module_replacement",
        "end_of_life",
        "in_kind",
    )
    rows: list[Row | Section] = [
        Section("Behind the Summary"),
        Row(
            "lcoe_costs",
            f"LCOE costs: pre-tax, unlevered [{cur}]",
            "money",
            lambda x: f"-({sum_rows(x, costs, present)})",
            note="Capex, operating costs, replacements, decommissioning less "
            "salvage, in-kind contributions; not tax, financing or grants.",
        ),
        Row(
            "discounted_project_fcf",
            f"project free cash flow, discounted [{cur}]",
            "money",
            lambda x: f"{x('project_fcf')}/(1+discount_rate_nominal)^{x.t}",
        ),
        Row(
            "cumulative_discounted_fcf",
            f"cumulative discounted project flow [{cur}]",
            "money",
            running("cumulative_discounted_fcf", lambda x: x("discounted_project_fcf")),
        ),
        Row(
            "payback_crossing",
            "simple payback: the cumulative flow reaches 0 [years]",
            "years1",
            _crossing("cumulative_project_fcf", "project_fcf"),
        ),
        Row(
            "discounted_payback_crossing",
            "discounted payback: the same on discounted flows [years]",
            "years1",
            _crossing("cumulative_discounted_fcf", "discounted_project_fcf"),
        ),
    ]
    if finance.debt is not None:
        rows.append(
            Row(
                "dscr",
                "DSCR: CFADS / debt service [-]",
                "ratio",
                lambda x: (
                    f'IF(-{x("debt_service")}>0,{x("cfads")}/-{x("debt_service")},"")'
                ),
            )
        )
    return rows + _reference_rows(finance)


def _reference_rows(finance: model.Finance) -> list[Row | Section]:
    """The project and equity flows and the LCOE costs in the reference currency,
    each year at its exchange rate."""
    rows: list[Row | Section] = []
    code = finance.reference_currency
    if code is not None:
        fx = f"fx_{code.lower()}"
        labels = {
            "project_fcf": "project free cash flow",
            "equity_fcf": "equity free cash flow",
            "lcoe_costs": "LCOE costs",
        }
        for name, label in labels.items():

            def in_reference(x: Year, name: str = name) -> str:
                return f"{x(name)}/{x(fx)}"

            rows.append(
                Row(
                    f"reference_{name}",
                    f"{label}, at the year's exchange rate [{code}]",
                    "money2" if name == "lcoe_costs" else "money",
                    in_reference,
                )
            )
    return rows


def _crossing(cumulative: str, flow: str) -> Formula:
    """Where a cumulative flow first reaches 0: (t - 1) + (-K_(t-1)) / v_t."""

    def formula(x: Year) -> str:
        if x.year == 0:
            return f'IF({x(cumulative)}>=0,0,"")'
        before = x.prev(cumulative)
        return f'IF(AND({x(cumulative)}>=0,{before}<0),{x.t}-1-{before}/{x(flow)},"")'

    return formula
