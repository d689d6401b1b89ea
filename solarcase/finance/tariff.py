"""The price the plant's energy sells at, year by year.

Issue 2 has one revenue scheme, :class:`EscalatingTariff`: a contract price that
escalates at a fixed rate for a contract term, then a price after the term (for
example the market price) that escalates at its own rate. Later schemes (an indexed
guaranteed-purchase tariff with step-downs, self-consumption, market sale) are further
frozen dataclasses that :func:`price_schedule` dispatches on. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    escalation_factors,
    year_index,
)

FloatArray = NDArray[np.float64]

__all__ = ["EscalatingTariff", "Tariff", "price_schedule"]


@dataclass(frozen=True, slots=True)
class EscalatingTariff:
    """A contract price with yearly escalation, a term, and a price after the term.

    Every money or rate field may be a float or an array of shape ``(n_cases,)``;
    ``contract_years`` is an integer shared by all cases.
    """

    price_per_kwh: ArrayLike
    """Contract price in operating year 1. [cur/kWh]"""
    escalation_rate: ArrayLike
    """Yearly escalation of the contract price; 0 for a flat nominal price.
    [fraction/year]"""
    contract_years: int | None = None
    """Length of the contract from operating year 1 [years]; None: the whole
    analysis."""
    price_after_contract_per_kwh: ArrayLike = 0.0
    """Price after the contract, stated at operating-year-1 prices (as a market
    price quoted today): in year t > term it is p_a(1 + e_a)^(t-1). [cur/kWh]"""
    escalation_after_contract_rate: ArrayLike = 0.0
    """Yearly escalation of the price after the contract. [fraction/year]"""

    def __post_init__(self) -> None:
        if self.contract_years is not None:
            check_years(self.contract_years, name="tariff contract_years")


#: The revenue schemes :func:`price_schedule` understands (a union in issue 3).
Tariff = EscalatingTariff


def price_schedule(tariff: Tariff, *, n_years: int) -> FloatArray:
    """Price of each year's energy for years 0..N.

    Parameters
    ----------
    tariff : EscalatingTariff
        The revenue scheme.
    n_years : int
        Operating years N.

    Returns
    -------
    price_per_kwh : numpy.ndarray
        Shape ``(n_cases, N + 1)``; year 0 (construction) is 0. [cur/kWh]

    Raises
    ------
    FinanceError
        If the contract is longer than the analysis.

    Notes
    -----
    With contract price p, escalation e, term T, after-term price p_a and its
    escalation e_a, the price in operating year t is

    - p (1 + e)^(t-1) for 1 <= t <= T,
    - p_a (1 + e_a)^(t-1) for T < t <= N.

    Both prices are stated in operating-year-1 money (DESIGN.md: a price p with
    escalation e is p(1 + e)^(t-1) in operating year t).

    Examples
    --------
    A 100/kWh contract escalating 10 %/year for 2 years, then 50/kWh (year-1 money)
    escalating 20 %/year: year 3 is 50 * 1.2^2 = 72.

    >>> tariff = EscalatingTariff(100.0, 0.10, 2, 50.0, 0.20)
    >>> price_schedule(tariff, n_years=3).round(6)
    array([[  0., 100., 110.,  72.]])
    """
    if not isinstance(tariff, EscalatingTariff):
        raise TypeError(f"unknown tariff scheme {type(tariff).__name__}")
    term = n_years if tariff.contract_years is None else tariff.contract_years
    if term > n_years:
        raise FinanceError(
            f"tariff contract_years: {term} is longer than the analysis of {n_years} "
            "years; shorten the contract or lengthen analysis_years"
        )
    years = year_index(n_years)
    in_contract = (years >= 1) & (years <= term)
    after = years > term
    contract = as_case_column(tariff.price_per_kwh, name="price_per_kwh")
    contract = contract * escalation_factors(tariff.escalation_rate, n_years=n_years)
    later = as_case_column(
        tariff.price_after_contract_per_kwh, name="price_after_contract_per_kwh"
    ) * escalation_factors(tariff.escalation_after_contract_rate, n_years=n_years)
    contract, later = np.broadcast_arrays(contract, later)
    return np.where(in_contract, contract, np.where(after, later, 0.0))
