"""The Tax losses sheet: tax losses that expire, tracked by the year they arose.

Only a scenario with ``finance.tax.loss_expiry_years`` gets this sheet. For the
owner's tax (income after interest) and the project's tax (without interest), two
blocks of rows, one row per year of origin j = 0..N and one column per year t:

- *available*: the loss of year j still usable at the start of year t (0 once
  j < t - E, E the expiry);
- *left*: what is left of it at the end of year t, after the profit of year t used
  the oldest losses first.

Below them, the loss of the year, the losses used, the income taxed and the losses
carried, which the Cash flow sheet's tax rows use. The rules are the engine's
(``finance.tax.income_tax``): holiday years neither use nor create losses.
"""

from __future__ import annotations

from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Row, Section, Year

__all__ = ["INCOME", "loss_rows", "tax_exempt"]

#: Prefix of the rows of each tax, and the Cash flow row of its income.
INCOME = {"": "taxable_income", "project_": "taxable_unlevered"}


def tax_exempt(x: Year) -> str:
    """True in a tax-holiday year (operating years 1..tax_holiday_years)."""
    return f"AND({x.t}>=1,{x.t}<=tax_holiday_years)"


def loss_rows(result: ScenarioResult) -> list[Row | Section]:
    """The rows of the Tax losses sheet; empty when losses never expire."""
    tax = result.scenario.finance.tax
    if tax is None or tax.loss_expiry_years is None:
        return []
    n = result.scenario.finance.analysis_years
    cur = result.currency
    rows: list[Row | Section] = []
    for prefix, income in INCOME.items():
        who = "project (no interest)" if prefix else "owner"
        rows += [
            Section(
                f"Losses of the {who} by year of origin: available at the "
                "start of each year"
            )
        ]
        rows += [_available(prefix, j, cur) for j in range(n + 1)]
        rows += [Section(f"Losses of the {who}: left at the end of each year")]
        rows += [_left(prefix, income, j, cur) for j in range(n + 1)]
        rows += _totals(prefix, income, n, cur, who)
    return rows


def _available(prefix: str, j: int, cur: str) -> Row:
    left = f"{prefix}loss_left_{j}"

    def formula(x: Year) -> str | float:
        if x.year <= j:
            return 0.0
        return f"IF({j}<{x.t}-loss_expiry_years,0,{x.prev(left)})"

    return Row(
        f"{prefix}loss_available_{j}", f"loss of year {j} [{cur}]", "money", formula
    )


def _left(prefix: str, income: str, j: int, cur: str) -> Row:
    available = f"{prefix}loss_available_{j}"

    def formula(x: Year) -> str | float:
        if x.year < j:
            return 0.0
        if x.year == j:
            return x(f"{prefix}loss_new")
        older = "0"
        if j > 0:
            first, last = f"{prefix}loss_available_0", f"{prefix}loss_available_{j - 1}"
            older = f"SUM({x.down(first, last)})"
        used = f"MIN(MAX(MAX({x(income)},0)-{older},0),{x(available)})"
        before = x.prev(f"{prefix}loss_left_{j}")
        return f"IF({tax_exempt(x)},{before},{x(available)}-{used})"

    return Row(f"{prefix}loss_left_{j}", f"loss of year {j} [{cur}]", "money", formula)


def _totals(
    prefix: str, income: str, n: int, cur: str, who: str
) -> list[Row | Section]:
    first_a, last_a = f"{prefix}loss_available_0", f"{prefix}loss_available_{n}"
    first_l, last_l = f"{prefix}loss_left_0", f"{prefix}loss_left_{n}"
    return [
        Section(f"Tax of the {who}"),
        Row(
            f"{prefix}loss_new",
            f"loss of the year [{cur}]",
            "money",
            lambda x: (
                f"IF(OR({tax_exempt(x)},NOT(loss_carry_forward)),0,MAX(-{x(income)},0))"
            ),
        ),
        Row(
            f"{prefix}loss_used",
            f"losses used [{cur}]",
            "money",
            lambda x: (
                f"IF({tax_exempt(x)},0,SUM({x.down(first_a, last_a)})"
                f"-(SUM({x.down(first_l, last_l)})-{x(f'{prefix}loss_new')}))"
            ),
        ),
        Row(
            f"{prefix}taxed_income",
            f"income taxed [{cur}]",
            "money",
            lambda x: (
                f"IF({tax_exempt(x)},0,MAX(MAX({x(income)},0)"
                f"-{x(f'{prefix}loss_used')},0))"
            ),
            bold=True,
        ),
        Row(
            f"{prefix}loss_carried",
            f"losses carried to later years [{cur}]",
            "money",
            lambda x: (
                f"IF({tax_exempt(x)},0,SUM({x.down(first_l, last_l)})"
                f"-IF({x.t}-loss_expiry_years>=0,INDEX({x.down(first_l, last_l)},"
                f"{x.t}-loss_expiry_years+1),0))"
            ),
        ),
    ]
