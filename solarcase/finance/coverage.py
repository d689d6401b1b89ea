"""Debt coverage: DSCR per loan year and the loan-life coverage ratio (LLCR).

Arrays of shape ``(n_cases, N + 1)`` over years 0..N in, one value per case out.
No file or network I/O.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.finance.rates import npv

FloatArray = NDArray[np.float64]

__all__ = ["dscr", "llcr"]


def dscr(cfads: ArrayLike, debt_service: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Minimum and average debt-service coverage ratio over the loan years.

    Parameters
    ----------
    cfads : numpy.ndarray
        Cash flow available for debt service, ``(n_cases, N + 1)``. [cur]
    debt_service : numpy.ndarray
        Interest plus principal, negative (an outflow), same shape. [cur]

    Returns
    -------
    min_dscr, avg_dscr : numpy.ndarray
        Lowest and mean of CFADS_t / |debt service_t| over the years with debt
        service, shape ``(n_cases,)``; NaN for a case without debt. [-]

    Examples
    --------
    >>> dscr(np.array([[0.0, 130, 150]]), np.array([[0.0, -100, -100]]))
    (array([1.3]), array([1.4]))
    """
    flows = np.atleast_2d(np.asarray(cfads, dtype=float))
    service = -np.atleast_2d(np.asarray(debt_service, dtype=float))
    loan_year = service > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(loan_year, flows / np.where(loan_year, service, 1.0), np.nan)
    count = loan_year.sum(axis=1)
    lowest = np.min(np.where(loan_year, ratio, np.inf), axis=1)
    mean = np.sum(np.where(loan_year, ratio, 0.0), axis=1) / np.maximum(count, 1)
    has_debt = count > 0
    return np.where(has_debt, lowest, np.nan), np.where(has_debt, mean, np.nan)


def llcr(
    cfads: ArrayLike, debt_balance: ArrayLike, *, interest_rate: ArrayLike, life: int
) -> FloatArray:
    """Loan-life coverage ratio at the start of operation.

    Parameters
    ----------
    cfads : numpy.ndarray
        Cash flow available for debt service, ``(n_cases, N + 1)``. [cur]
    debt_balance : numpy.ndarray
        Balance at the end of each year; year 0 is the debt at the start of
        operation (after capitalised construction interest). [cur]
    interest_rate : float or numpy.ndarray
        The loan's rate, used as the discount rate. [fraction/year]
    life : int
        Loan life: grace plus repayment years. [years]

    Returns
    -------
    llcr : numpy.ndarray
        sum_(t=1..life) CFADS_t / (1 + r)^t / B_0, shape ``(n_cases,)``; NaN
        without debt. [-]

    Examples
    --------
    CFADS 130 for 2 years on a 200 loan at 0 %: 260 / 200 = 1.3.

    >>> llcr(np.array([[0.0, 130, 130, 50]]), np.array([[200.0, 100, 0, 0]]),
    ...     interest_rate=0.0, life=2)
    array([1.3])
    """
    flows = np.atleast_2d(np.asarray(cfads, dtype=float))
    balance = np.atleast_2d(np.asarray(debt_balance, dtype=float))[:, 0]
    years = np.arange(flows.shape[1])
    within = (years >= 1) & (years <= life)
    present = npv(np.where(within, flows, 0.0), discount_rate=interest_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            balance > 0, present / np.where(balance > 0, balance, 1.0), np.nan
        )
