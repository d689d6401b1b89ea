"""Cost rows of the cash-flow table: operating costs, replacements, end of life.

Each cost is stated in one currency at one year's prices and escalates in that
currency: operating costs at operating-year-1 prices, p(1 + e)^(t-1); one-off future
costs (replacements, salvage, decommissioning) at today's (year-0) prices,
c(1 + e)^t. A cost in a foreign currency then converts at the year's exchange rate
(:func:`~solarcase.finance.currency.foreign_amounts`). Rows are negative (outflows)
except salvage. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.currency import foreign_amounts
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    escalation_factors,
    year_index,
)

FloatArray = NDArray[np.float64]

__all__ = ["ModuleReplacement", "escalated", "module_replacement_row"]


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


def escalated(
    amount: ArrayLike,
    rate: ArrayLike,
    fx: ArrayLike | None,
    *,
    n_years: int,
    base_year: int,
    name: str,
) -> FloatArray:
    """An amount stated at ``base_year`` prices, escalated and converted, years 0..N.

    Parameters
    ----------
    amount : float or numpy.ndarray
        Amount in its currency at ``base_year`` prices. [foreign unit or cur]
    rate : float or numpy.ndarray
        Escalation in that currency. [fraction/year]
    fx : numpy.ndarray or None
        Exchange-rate path; None: the amount is in the model currency.
    n_years : int
        Operating years N.
    base_year : int
        1 for operating prices, 0 for prices quoted at construction.
    name : str
        Parameter name for error messages.

    Returns
    -------
    amounts : numpy.ndarray
        a (1 + e)^(t - base) fx_t, shape ``(n_cases, N + 1)``. [cur]

    Examples
    --------
    USD 10 at year-0 prices, +2 %/year in dollars, at 100 then 150 rials per
    dollar: year 1 costs 10 x 1.02 x 150 = 1,530 rials.

    >>> escalated(10.0, 0.02, np.array([[100.0, 150.0]]), n_years=1, base_year=0,
    ...     name="x")
    array([[1000., 1530.]])
    """
    factors = escalation_factors(rate, n_years=n_years, base_year=base_year)
    return foreign_amounts(as_case_column(amount, name=name) * factors, fx)


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
    rate = inflation_rate if rule.escalation_rate is None else rule.escalation_rate
    cost = escalated(
        rule.cost, rate, rule.fx, n_years=n_years, base_year=0, name="module cost"
    )
    return -cost * share + 0.0
