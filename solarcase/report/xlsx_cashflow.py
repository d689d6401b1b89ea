"""The Cash flow sheet: the engine's table, row by row, as formulas of the year.

Rows follow :data:`~solarcase.finance.table.ROW_ORDER` with the engine's labels and
keys; a row that this scenario cannot make non-zero (a revenue stream of another
scheme, the debt rows without a loan, the tax rows for a tax-exempt owner, the
receivables without late payment) is left out. Below the table, "Workings" rows hold
the steps of the formulas (invoices paid late, the tax with carried losses, the
declining-balance schedule, the sculpted loan, the discounted flows and the payback
crossings behind the Summary). Every cell is a formula of the Inputs, Indices and
Energy sheets, except the tax that sizes a sculpted loan (see :func:`_sculpted`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from solarcase.finance.table import ROW_ORDER
from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Row, Section, Year
from solarcase.report.xlsx_losses import INCOME
from solarcase.report.xlsx_rows import escalated, item_money
from solarcase.scenario import finance as model

__all__ = ["cashflow_rows"]

Formula = Callable[[Year], str | float]

#: Cash-flow rows that are totals (bold, with a rule above).
TOTALS = frozenset(
    {
        "revenue",
        "opex_total",
        "ebitda",
        "cfads",
        "debt_service",
        "project_fcf",
        "equity_fcf",
    }
)
INVOICED = ("sales_contract", "sales_after_contract", "sales_market", "sales_export")
CASH_EVENTS = ("receivables_change", "replacement", "module_replacement", "end_of_life")


def _sum(x: Year, names: Iterable[str], present: set[str]) -> str:
    """The sum of the present rows of this year ('0' if none is present)."""
    terms = [x(name) for name in names if name in present]
    return "+".join(terms) if terms else "0"


def _running(name: str, step: Formula) -> Formula:
    """A running total: year 0 is the step, later years add it to the year before."""

    def formula(x: Year) -> str | float:
        if x.year == 0:
            return step(x)
        return f"{x.prev(name)}+{step(x)}"

    return formula


def _after_year0(formula: Formula) -> Formula:
    """0 in year 0 (construction), the formula later (it uses the year before)."""
    return lambda x: 0.0 if x.year == 0 else formula(x)


class _Plan:
    """Which rows this scenario has, and their formulas."""

    def __init__(self, result: ScenarioResult) -> None:
        self.result = result
        self.finance: model.Finance = result.scenario.finance
        self.money = item_money(self.finance)
        self.formulas: dict[str, Formula] = {}
        self.workings: list[Row | Section] = []

    def add(self, name: str, formula: Formula) -> None:
        self.formulas[name] = formula

    def work(
        self,
        name: str,
        label: str,
        formula: Formula | None,
        fmt: str = "money",
        **options: object,
    ) -> None:
        cur = self.finance.currency
        unit = "[-]" if fmt == "factor" else f"[{cur}]"
        self.workings.append(
            Row(name, f"{label} {unit}", fmt, formula, **options)  # type: ignore[arg-type]
        )

    @property
    def present(self) -> set[str]:
        return set(self.formulas)


def cashflow_rows(result: ScenarioResult) -> list[Row | Section]:
    """The table's rows, then the workings, for this scenario."""
    plan = _Plan(result)
    _revenue(plan)
    _costs(plan)
    _receivables(plan)
    _capital(plan)
    if plan.finance.tax is not None:
        _tax(plan)
    if plan.finance.debt is not None:
        _debt(plan)
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


def _revenue(plan: _Plan) -> None:
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
    add("revenue", lambda x: _sum(x, streams, present))


def _costs(plan: _Plan) -> None:
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
    add("opex_total", lambda x: _sum(x, names, present))
    add("ebitda", lambda x: f"{x('revenue')}+{x('opex_total')}")


def _receivables(plan: _Plan) -> None:
    if plan.finance.late_payment is None:
        plan.add("revenue_received", lambda x: x("revenue"))
        return
    present = plan.present
    end = "{t}=analysis_years"
    plan.work(
        "invoiced_sales",
        "invoiced sales (subject to late payment)",
        lambda x: _sum(x, INVOICED, present),
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
        _running(
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


def _capital(plan: _Plan) -> None:
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


def _tax(plan: _Plan) -> None:
    finance, add = plan.finance, plan.add
    tax = finance.tax
    assert tax is not None
    if isinstance(tax.depreciation, model.DecliningBalance):
        life, hyc = "depreciation_life_years", "half_year_convention"
        rate = f"depreciation_factor/{life}"

        def charge(x: Year) -> str | float:
            if x.year == 0:
                return 0.0
            left = x.prev("db_remaining")
            return (
                f"IF({x.t}>IF({hyc},{life}+1,{life}),0,IF(AND({hyc},{x.t}=1),"
                f"MIN({rate}*{left}/2,{left}),MIN(MAX({rate}*{left},"
                f"{left}/({life}-{x.t}+IF({hyc},1.5,1))),{left})))"
            )

        plan.work(
            "db_charge",
            "declining balance: charge of the year",
            charge,
            note="The larger of factor/L x remaining value and the straight "
            "line over the remaining life, never more than what remains.",
        )
        plan.work(
            "db_remaining",
            "declining balance: value left at the end of the year",
            lambda x: (
                "depreciable_basis"
                if x.year == 0
                else f"{x.prev('db_remaining')}-{x('db_charge')}"
            ),
        )
        add("depreciation", lambda x: f"-{x('db_charge')}")
    else:
        add(
            "depreciation",
            lambda x: (
                f"-depreciable_basis/depreciation_life_years*IF(half_year_convention,"
                f"IF(OR({x.t}=1,{x.t}=depreciation_life_years+1),0.5,IF(AND({x.t}>=2,"
                f"{x.t}<=depreciation_life_years),1,0)),IF(AND({x.t}>=1,"
                f"{x.t}<=depreciation_life_years),1,0))"
            ),
        )
    present = plan.present
    deductions = (
        "ebitda",
        "depreciation",
        "replacement",
        "module_replacement",
        "end_of_life",
        "bad_debt",
    )
    plan.work(
        "taxable_unlevered",
        "taxable income without interest (project)",
        lambda x: _sum(x, deductions, present),
    )
    debt = finance.debt is not None
    add(
        "taxable_income",
        lambda x: f"{x('taxable_unlevered')}" + (f"+{x('interest')}" if debt else ""),
    )
    if tax.loss_expiry_years is not None:
        # losses by year of origin on the Tax losses sheet (xlsx_losses)
        add("losses_carried", lambda x: x("loss_carried"))
    else:
        for prefix, income in INCOME.items():
            _carried_losses(plan, prefix, income)
        add(
            "losses_carried",
            lambda x: (
                f"IF(OR({_exempt(x)},NOT(loss_carry_forward)),0,{x('loss_balance')})"
            ),
        )
    add("tax", lambda x: f"-tax_rate*{x('taxed_income')}")
    add("project_tax", lambda x: f"-tax_rate*{x('project_taxed_income')}")


def _exempt(x: Year) -> str:
    return f"AND({x.t}>=1,{x.t}<=tax_holiday_years)"


def _carried_losses(plan: _Plan, prefix: str, income: str) -> None:
    """Losses used, loss balance and taxed income (holiday and carry-forward)."""
    what = "project (no interest)" if prefix else "owner"
    used, balance = f"{prefix}loss_used", f"{prefix}loss_balance"

    def before(x: Year) -> str:
        return "0" if x.year == 0 else x.prev(balance)

    plan.work(
        used,
        f"tax losses used, {what}",
        lambda x: (
            f"IF(OR({_exempt(x)},NOT(loss_carry_forward)),0,"
            f"MIN({before(x)},MAX({x(income)},0)))"
        ),
    )
    plan.work(
        balance,
        f"tax losses available, {what}",
        lambda x: (
            f"IF({_exempt(x)},{before(x)},{before(x)}-{x(used)}"
            f"+IF(loss_carry_forward,MAX(-{x(income)},0),0))"
        ),
        note="Losses of the holiday years are not carried (their income is "
        "exempt, not deferred).",
    )
    plan.work(
        f"{prefix}taxed_income",
        f"income taxed, {what}",
        lambda x: f"IF({_exempt(x)},0,MAX({x(income)},0)-{x(used)})",
    )


def _debt(plan: _Plan) -> None:
    debt, add = plan.finance.debt, plan.add
    add(
        "interest",
        _after_year0(lambda x: f"-debt_interest_rate*{x.prev('debt_balance')}"),
    )
    add("debt_drawdown", lambda x: f"IF({x.t}=0,loan_amount,0)")
    add("debt_fees", lambda x: f"IF({x.t}=0,-loan_fee,0)")
    add(
        "capitalised_interest",
        lambda x: f"IF({x.t}=0,loan_opening_balance-loan_amount,0)",
    )
    add("debt_service", lambda x: f"{x('interest')}+{x('principal')}")
    if isinstance(debt, model.SculptedDebt):
        _sculpted(plan)
        return
    if isinstance(debt, model.AnnuityDebt):
        left = (
            "IF(debt_interest_rate=0,loan_payment*(loan_life-{t}),loan_payment"
            "*(1-(1+debt_interest_rate)^({t}-loan_life))/debt_interest_rate)"
        )
    else:
        left = "loan_opening_balance*(loan_life-{t})/debt_tenor_years"
    add(
        "debt_balance",
        lambda x: (
            "loan_opening_balance"
            if x.year == 0
            else (
                f"IF({x.t}>=loan_life,0,IF({x.t}<=debt_grace_years,loan_opening_balance,"
                + left.format(t=x.t)
                + "))"
            )
        ),
    )
    add(
        "principal",
        _after_year0(lambda x: f"{x('debt_balance')}-{x.prev('debt_balance')}"),
    )


def _sculpted(plan: _Plan) -> None:
    """Sculpted service: max(CFADS, 0)/DSCR in the repayment years, scaled to the
    loan drawn.

    The CFADS that sizes the loan is after tax, and the tax depends on the interest,
    which depends on the loan: a circular reference. The engine settles it by a
    fixed point; here the tax of that CFADS is the engine's converged tax (values),
    and the rest of the CFADS is formulas. When every loan year is a tax-holiday
    year (the shipped cooperative example), that tax is 0 and the sizing is exact
    for any change of the inputs.
    """
    present = plan.present
    cash = ("ebitda", *CASH_EVENTS)
    taxed = plan.finance.tax is not None
    if taxed:
        tax = [float(v) for v in plan.result.cashflow.tax[0]]
        plan.work(
            "sizing_tax",
            "tax at the engine's loan size (sizes the loan)",
            None,
            kind="value",
            values=tax,
            note="Values: the engine's tax at the loan it converged on. Sizing a "
            "sculpted loan on after-tax cash is circular (the tax depends on "
            "the interest); these cells break the circle. They are 0 in "
            "tax-holiday years.",
        )
    plan.work(
        "sizing_cfads",
        "CFADS that sizes the loan",
        lambda x: _sum(x, cash, present) + (f"+{x('sizing_tax')}" if taxed else ""),
    )
    repaying = "AND({t}>debt_grace_years,{t}<=loan_life)"
    plan.work(
        "target_service",
        "service at the target DSCR, before the cap",
        lambda x: (
            f"IF({repaying.format(t=x.t)},MAX({x('sizing_cfads')},0)"
            "/debt_target_dscr,0)"
        ),
    )
    plan.work(
        "grace_discount",
        "discount to the end of the grace years",
        lambda x: f"(1+debt_interest_rate)^(debt_grace_years-{x.t})",
        fmt="factor",
    )
    plan.work(
        "scaled_service",
        "service of the loan drawn",
        lambda x: f"{x('target_service')}*loan_scale",
    )
    plan.work(
        "repaid_pv",
        "service repaid so far, valued at the end of the grace",
        _running("repaid_pv", lambda x: f"{x('scaled_service')}*{x('grace_discount')}"),
    )
    plan.add(
        "debt_balance",
        lambda x: (
            f"IF({x.t}>=loan_life,0,MAX((1+debt_interest_rate)^MAX({x.t}-debt_grace_years"
            f",0)*(loan_opening_balance-{x('repaid_pv')}),0))"
        ),
    )
    plan.add(
        "principal",
        _after_year0(
            lambda x: (
                f"IF({repaying.format(t=x.t)},-({x('scaled_service')}+{x('interest')}),"
                f"{x('debt_balance')}-{x.prev('debt_balance')})"
            )
        ),
    )


def _flows(plan: _Plan) -> None:
    add = plan.add
    present = plan.present
    add("cfads", lambda x: _sum(x, ("ebitda", *CASH_EVENTS, "tax"), present))
    add(
        "project_fcf",
        lambda x: _sum(
            x, ("capex", "grants", "ebitda", *CASH_EVENTS, "project_tax"), present
        ),
    )
    add(
        "equity_fcf",
        lambda x: _sum(
            x,
            ("capex", "grants", "debt_drawdown", "debt_fees", "cfads", "debt_service"),
            present | {"cfads"},
        ),
    )
    add(
        "cumulative_project_fcf",
        _running("cumulative_project_fcf", lambda x: x("project_fcf")),
    )
    add(
        "cumulative_equity_fcf",
        _running("cumulative_equity_fcf", lambda x: x("equity_fcf")),
    )


def _metric_rows(plan: _Plan) -> list[Row | Section]:
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
            lambda x: f"-({_sum(x, costs, present)})",
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
            _running(
                "cumulative_discounted_fcf", lambda x: x("discounted_project_fcf")
            ),
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
    code = finance.reference_currency
    if code is not None:
        fx = f"fx_{code.lower()}"
        labels = {
            "project_fcf": "project free cash flow",
            "equity_fcf": "equity free cash flow",
            "lcoe_costs": "LCOE costs",
        }
        for name, label in labels.items():
            rows.append(
                Row(
                    f"reference_{name}",
                    f"{label}, at the year's exchange rate [{code}]",
                    "money2" if name == "lcoe_costs" else "money",
                    lambda x, name=name: f"{x(name)}/{x(fx)}",
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
