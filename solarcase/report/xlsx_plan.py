"""What the Cash flow sheet is made of: a plan of its rows and small formula helpers.

:class:`Plan` collects, for one scenario, the formula of each row of the engine's
table it has (the rows it leaves out are the ones the scenario cannot make
non-zero) and the "Workings" rows behind them. Shared by
:mod:`~solarcase.report.xlsx_cashflow` and :mod:`~solarcase.report.xlsx_debt_tax`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Kind, Row, Section, Year
from solarcase.report.xlsx_rows import item_money
from solarcase.scenario import finance as model

__all__ = [
    "CASH_EVENTS",
    "INVOICED",
    "TOTALS",
    "Formula",
    "Plan",
    "after_year0",
    "running",
    "sum_rows",
]

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


def sum_rows(x: Year, names: Iterable[str], present: set[str]) -> str:
    """The sum of the present rows of this year ('0' if none is present)."""
    terms = [x(name) for name in names if name in present]
    return "+".join(terms) if terms else "0"


def running(name: str, step: Formula) -> Formula:
    """A running total: year 0 is the step, later years add it to the year before."""

    def formula(x: Year) -> str | float:
        if x.year == 0:
            return step(x)
        return f"{x.prev(name)}+{step(x)}"

    return formula


def after_year0(formula: Formula) -> Formula:
    """0 in year 0 (construction), the formula later (it uses the year before)."""
    return lambda x: 0.0 if x.year == 0 else formula(x)


class Plan:
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
        *,
        values: Sequence[float] | None = None,
        kind: Kind = "formula",
        bold: bool = False,
        note: str = "",
    ) -> None:
        cur = self.finance.currency
        unit = "[-]" if fmt == "factor" else f"[{cur}]"
        self.workings.append(
            Row(
                name,
                f"{label} {unit}",
                fmt,
                formula,
                values=values,
                kind=kind,
                bold=bold,
                note=note,
            )
        )

    @property
    def present(self) -> set[str]:
        return set(self.formulas)
