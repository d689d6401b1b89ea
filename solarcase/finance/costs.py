"""Cost rows of the cash-flow table: operating costs, replacements, end of life.

Each cost is stated in one currency at one year's prices and escalates in that
currency: operating costs at operating-year-1 prices, p(1 + e)^(t-1); one-off future
costs (replacements, salvage, decommissioning) at today's (year-0) prices,
c(1 + e)^t. A cost in a foreign currency then converts at the year's exchange rate
(:func:`~solarcase.finance.currency.escalated`). Rows are negative (outflows)
except salvage. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.currency import escalated
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    escalation_rate_or_inflation,
    year_index,
)

FloatArray = NDArray[np.float64]

__all__ = ["ModuleReplacement", "module_replacement_row"]


@dataclass(frozen=True, slots=True)
class ModuleReplacement:
    """Modules replaced over the life: a share every year and/or at given years."""

    cost: ArrayLike
    """Cost of all the modules at today's (year-0) prices, in its currency (e.g.
    the modules' capex item). [cur]"""
    fraction_per_year: ArrayLike = 0.0
    """Share of the modules replaced in every operating year. [fraction/year]"""
    fraction: ArrayLike = 0.0
    """Share replaced in each of ``years``. [fraction]"""
    years: tuple[int, ...] = ()
    """Operating years of the one-off replacements."""
    escalation_rate: ArrayLike | None = None
    """Escalation from year 0 in the cost's currency; None: inflation.
    [fraction/year]"""
    fx: ArrayLike | None = None
    """Exchange-rate path of the cost's currency; None: model currency."""

    def __post_init__(self) -> None:
        for year in self.years:
            check_years(year, name="module replacement year")


def module_replacement_row(
    rule: ModuleReplacement | None, *, inflation_rate: ArrayLike, n_years: int
) -> FloatArray:
    """Module replacement cost of each year 0..N, negative.

    Notes
    -----
    cost_t = -M (f_y [t >= 1] + f [t in years]) (1 + e)^t fx_t, with M the modules'
    cost at year-0 prices; expensed (deducted) in its year, like the inverter
    replacement.

    Examples
    --------
    Modules worth 1,000, 1 % a year and 10 % in year 2, flat prices:

    >>> rule = ModuleReplacement(1000.0, 0.01, 0.10, (2,), 0.0)
    >>> module_replacement_row(rule, inflation_rate=0.0, n_years=3)
    array([[   0.,  -10., -110.,  -10.]])
    """
    years = year_index(n_years)
    if rule is None:
        return np.zeros_like(years)
    for year in rule.years:
        if year > n_years:
            raise FinanceError(
                f"module replacement year {year} is after the last operating year "
                f"{n_years}; choose years in 1..{n_years}"
            )
    share = as_case_column(rule.fraction_per_year, name="fraction_per_year") * (
        years >= 1
    ) + as_case_column(rule.fraction, name="fraction") * np.isin(years, rule.years)
    rate = escalation_rate_or_inflation(rule.escalation_rate, inflation_rate)
    cost = escalated(
        rule.cost, rate, rule.fx, n_years=n_years, base_year=0, name="module cost"
    )
    return -cost * share + 0.0
