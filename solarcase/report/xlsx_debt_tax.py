"""Cash flow rows of tax and debt: depreciation, carried losses, the loan schedule.

Straight-line and declining-balance depreciation (the latter with its schedule in
the workings), tax with a holiday and carried losses (expiring losses are tracked on
the Tax losses sheet, :mod:`~solarcase.report.xlsx_losses`), annuity and
equal-principal loans from their balance, and sculpted loans from the service their
target DSCR allows.
"""

from __future__ import annotations

from solarcase.report.xlsx_book import Year
from solarcase.report.xlsx_losses import INCOME, tax_exempt
from solarcase.report.xlsx_plan import CASH_EVENTS, Plan, after_year0, running, sum_rows
from solarcase.scenario import finance as model

__all__ = ["debt_rows", "tax_rows"]


def tax_rows(plan: Plan) -> None:
    """Depreciation, taxable income, losses carried and the two taxes."""
    finance, add = plan.finance, plan.add
    tax = finance.tax
    assert tax is not None
    _depreciation(plan, tax.depreciation)
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
        lambda x: sum_rows(x, deductions, present),
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
                f"IF(OR({tax_exempt(x)},NOT(loss_carry_forward)),0,{x('loss_balance')})"
            ),
        )
    add("tax", lambda x: f"-tax_rate*{x('taxed_income')}")
    add("project_tax", lambda x: f"-tax_rate*{x('project_taxed_income')}")


def _depreciation(plan: Plan, rule: object) -> None:
    """Straight line as one formula; declining balance through its schedule (the
    charge and the value left, in the workings)."""
    add = plan.add
    if isinstance(rule, model.DecliningBalance):
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


def _carried_losses(plan: Plan, prefix: str, income: str) -> None:
    """Losses used, loss balance and taxed income (holiday and carry-forward)."""
    what = "project (no interest)" if prefix else "owner"
    used, balance = f"{prefix}loss_used", f"{prefix}loss_balance"

    def before(x: Year) -> str:
        return "0" if x.year == 0 else x.prev(balance)

    plan.work(
        used,
        f"tax losses used, {what}",
        lambda x: (
            f"IF(OR({tax_exempt(x)},NOT(loss_carry_forward)),0,"
            f"MIN({before(x)},MAX({x(income)},0)))"
        ),
    )
    plan.work(
        balance,
        f"tax losses available, {what}",
        lambda x: (
            f"IF({tax_exempt(x)},{before(x)},{before(x)}-{x(used)}"
            f"+IF(loss_carry_forward,MAX(-{x(income)},0),0))"
        ),
        note="Losses of the holiday years are not carried (their income is "
        "exempt, not deferred).",
    )
    plan.work(
        f"{prefix}taxed_income",
        f"income taxed, {what}",
        lambda x: f"IF({tax_exempt(x)},0,MAX({x(income)},0)-{x(used)})",
    )


def debt_rows(plan: Plan) -> None:
    """Interest, drawdown, fees, principal, service and balance of the loan."""
    debt, add = plan.finance.debt, plan.add
    add(
        "interest",
        after_year0(lambda x: f"-debt_interest_rate*{x.prev('debt_balance')}"),
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
        after_year0(lambda x: f"{x('debt_balance')}-{x.prev('debt_balance')}"),
    )


def _sculpted(plan: Plan) -> None:
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
        lambda x: sum_rows(x, cash, present) + (f"+{x('sizing_tax')}" if taxed else ""),
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
        running("repaid_pv", lambda x: f"{x('scaled_service')}*{x('grace_discount')}"),
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
        after_year0(
            lambda x: (
                f"IF({repaying.format(t=x.t)},-({x('scaled_service')}+{x('interest')}),"
                f"{x('debt_balance')}-{x.prev('debt_balance')})"
            )
        ),
    )
