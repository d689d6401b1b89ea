"""The Inputs sheet: late payment, debt and tax (see
:mod:`solarcase.report.xlsx_inputs`).

The loan's derived amounts are formulas here: the loan drawn, its balance at the
start of operation, fee and annuity instalment, and for a sculpted loan the amount
its target DSCR supports (a sum over rows of the Cash flow sheet).
"""

from __future__ import annotations

from typing import Any

from solarcase.report.xlsx_inputs import Builder
from solarcase.scenario import finance as model

__all__ = ["write_terms"]


def write_terms(b: Builder) -> None:
    """Late payment, debt and tax."""
    _late_payment(b)
    _debt(b)
    _tax(b)


def _late_payment(b: Builder) -> None:
    rule = b.finance.late_payment
    if rule is None:
        return
    b.section("Late payment of invoices")
    b.fields(
        rule,
        "finance.late_payment",
        (
            ("late_payment_share", "Share of each invoice paid late", "share"),
            (
                "late_payment_delay_years",
                "Paid this many years late",
                "delay_years",
                "years",
            ),
            (
                "unpaid_at_end",
                "Invoices unpaid after year N (collected: paid in "
                "year N; lost: written off)",
                "unpaid_at_end",
                "",
                "text",
                ("collected", "lost"),
            ),
        ),
    )


def _debt(b: Builder) -> None:
    debt = b.finance.debt
    if debt is None:
        return
    b.section("Debt")
    key = "finance.debt"
    b.fixed(
        "Loan type",
        debt.type,
        "",
        f"{key}.type",
        "The debt rows are laid out for this type.",
    )
    sculpted = isinstance(debt, model.SculptedDebt)
    size: tuple[tuple[str, ...], ...]
    if sculpted:
        size = (
            ("debt_target_dscr", "Target DSCR", "target_dscr", "", "ratio"),
            ("debt_max_gearing", "Largest loan, share of capex", "max_gearing"),
        )
    else:
        size = (("debt_capex_fraction", "Loan, share of capex", "capex_fraction"),)
    b.fields(
        debt,
        key,
        (
            *size,
            ("debt_interest_rate", "Interest rate", "interest_rate", "per year"),
            ("debt_tenor_years", "Repayment years", "tenor_years", "years"),
            (
                "debt_grace_years",
                "Grace years (interest only)",
                "grace_years",
                "years",
            ),
            ("debt_upfront_fee", "Up-front fee, share of the loan", "upfront_fee"),
            (
                "debt_construction_interest_years",
                "Interest during construction",
                "construction_interest_years",
                "years",
                "rate",
            ),
        ),
    )
    _loan(b, debt, sculpted)


def _loan(b: Builder, debt: Any, sculpted: bool) -> None:
    """The loan drawn, its opening balance, fee and instalment (formulas)."""
    cur, book = b.cur, b.book
    less_grants = "-grants" if b.finance.grants else ""
    b.derived(
        "loan_life",
        "Loan life (grace + repayment)",
        "=debt_grace_years+debt_tenor_years",
        "years",
        "years",
    )
    if sculpted:
        b.derived(
            "loan_wanted",
            "Loan the target DSCR supports D*",
            f"=SUMPRODUCT({book.range('target_service')},"
            f"{book.range('grace_discount')})"
            "/(1+debt_interest_rate)^debt_construction_interest_years",
            cur,
        )
        b.derived(
            "loan_cap",
            "Cap: gearing x capex, and the cost less grants",
            f"=MIN(capex*debt_max_gearing,capex{less_grants})",
            cur,
        )
        b.derived(
            "loan_amount", "Loan drawn D", "=MAX(MIN(loan_wanted,loan_cap),0)", cur
        )
        b.derived(
            "loan_scale",
            "Service scale D/D*",
            "=IF(loan_wanted>0,loan_amount/loan_wanted,0)",
            "",
            "factor",
        )
    else:
        b.derived(
            "loan_amount",
            "Loan drawn D",
            f"=MAX(MIN(debt_capex_fraction*capex,capex{less_grants}),0)",
            cur,
        )
    b.derived(
        "loan_opening_balance",
        "Balance at the start of operation B0",
        "=loan_amount*(1+debt_interest_rate)^debt_construction_interest_years",
        cur,
    )
    b.derived("loan_fee", "Up-front fee", "=loan_amount*debt_upfront_fee", cur)
    if isinstance(debt, model.AnnuityDebt):
        b.derived(
            "loan_payment",
            "Annuity instalment P",
            "=IF(debt_interest_rate=0,loan_opening_balance/debt_tenor_years,"
            "loan_opening_balance*debt_interest_rate"
            "/(1-(1+debt_interest_rate)^(-debt_tenor_years)))",
            f"{cur}/year",
        )


def _tax(b: Builder) -> None:
    tax = b.finance.tax
    if tax is None:
        return
    b.section("Tax")
    key, rule = "finance.tax", tax.depreciation
    b.fields(tax, key, (("tax_rate", "Income-tax rate", "rate"),))
    b.fixed(
        "Depreciation method",
        rule.method,
        "",
        f"{key}.depreciation.method",
        "The depreciation rows follow this method.",
    )
    factor = (
        ("depreciation_factor", "Declining-balance factor", "factor", "", "ratio"),
    )
    b.fields(
        rule,
        f"{key}.depreciation",
        (
            ("depreciation_life_years", "Depreciation life", "life_years", "years"),
            *(factor if isinstance(rule, model.DecliningBalance) else ()),
            (
                "half_year_convention",
                "Half-year convention",
                "half_year_convention",
                "",
                "general",
            ),
        ),
    )
    basis = "capex_depreciable"
    if b.finance.grants:
        basis = "MAX(capex_depreciable-IF(grants_reduce_basis,grants,0),0)"
    b.derived("depreciable_basis", "Depreciable basis", "=" + basis, b.cur)
    b.fields(
        tax,
        key,
        (
            (
                "tax_holiday_years",
                "Tax holiday: operating years 1..H",
                "holiday_years",
                "years",
            ),
            (
                "loss_carry_forward",
                "Losses carried forward",
                "loss_carry_forward",
                "",
                "general",
            ),
        ),
    )
    if tax.loss_expiry_years is not None:
        b.fields(
            tax,
            key,
            (
                (
                    "loss_expiry_years",
                    "A loss expires after",
                    "loss_expiry_years",
                    "years",
                ),
            ),
        )
