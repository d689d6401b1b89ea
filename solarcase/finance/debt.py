"""Loans: how debt is drawn and repaid, year by year, for every case at once.

Issue 2 has one loan type, :class:`AnnuityLoan`: a share of capex drawn at year 0 and
repaid in equal yearly instalments from year 1. Later types (equal principal, sculpted
to a DSCR target, grace periods, fees) are further frozen dataclasses with their own
schedule function returning the same :class:`DebtSchedule`. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy_financial as npf
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.rates import as_case_column, check_years, year_index

FloatArray = NDArray[np.float64]

__all__ = ["AnnuityLoan", "DebtSchedule", "annuity_schedule"]


@dataclass(frozen=True, slots=True)
class AnnuityLoan:
    """A loan drawn at year 0 and repaid in equal yearly instalments from year 1."""

    capex_fraction: ArrayLike
    """Share of capex borrowed. [fraction]"""
    interest_rate: ArrayLike
    """Nominal interest rate. [fraction/year]"""
    tenor_years: int
    """Number of yearly instalments (repayment years 1..tenor). [years]"""

    def __post_init__(self) -> None:
        check_years(self.tenor_years, name="debt tenor_years")


@dataclass(frozen=True, slots=True)
class DebtSchedule:
    """A loan's flows over years 0..N, each of shape ``(n_cases, N + 1)``."""

    drawdown: FloatArray
    """Loan drawn, positive (year 0). [cur]"""
    interest: FloatArray
    """Interest paid, negative. [cur]"""
    principal: FloatArray
    """Principal repaid, negative. [cur]"""
    balance: FloatArray
    """Outstanding at the end of each year, positive. [cur]"""


def annuity_schedule(
    loan: AnnuityLoan, *, capex: ArrayLike, n_years: int
) -> DebtSchedule:
    """Drawdown, interest, principal and balance of an annuity loan.

    Parameters
    ----------
    loan : AnnuityLoan
        Share of capex, rate and tenor n.
    capex : float or numpy.ndarray
        Investment at year 0, positive, scalar or one per case. [cur]
    n_years : int
        Operating years N (>= the tenor).

    Returns
    -------
    schedule : DebtSchedule
        Rows of shape ``(n_cases, N + 1)``.

    Raises
    ------
    FinanceError
        If the tenor is longer than the analysis.

    Notes
    -----
    Loan D = f C at year 0; payment P = D r / (1 - (1 + r)^-n) (D/n at r = 0) in
    years 1..n; balance after t payments B_t = P (1 - (1 + r)^-(n-t)) / r, the
    value of the payments left (equal to D(1 + r)^t - P((1 + r)^t - 1)/r, without
    its cancellation); interest_t = r B_(t-1); principal_t = B_(t-1) - B_t.

    Examples
    --------
    1,000 at 10 % over 2 years: P = 1000 x 0.1 / (1 - 1.1^-2) = 576.19; year 1
    interest 100, principal 476.19, balance 523.81; year 2 interest 52.38.

    >>> s = annuity_schedule(AnnuityLoan(1.0, 0.10, 2), capex=1000.0, n_years=3)
    >>> s.interest.round(2)
    array([[   0.  , -100.  ,  -52.38,    0.  ]])
    >>> s.balance.round(2)
    array([[1000.  ,  523.81,    0.  ,    0.  ]])
    """
    if loan.tenor_years > n_years:
        raise FinanceError(
            f"debt tenor_years: {loan.tenor_years} is longer than the analysis of "
            f"{n_years} years; shorten the tenor or lengthen analysis_years"
        )
    years = year_index(n_years)
    capex_col = as_case_column(capex, name="capex")
    principal0 = capex_col * as_case_column(loan.capex_fraction, name="capex_fraction")
    rate = as_case_column(loan.interest_rate, name="interest_rate")
    tenor = loan.tenor_years
    t = np.minimum(years, tenor)
    # below 1e-12 a year the r = 0 limits are exact to double precision
    tiny = np.abs(rate) < 1e-12
    safe = np.where(tiny, 1.0, rate)
    log_growth = np.log1p(safe)
    # payment P = D r / (1 - (1 + r)^-n); at r = 0, P = D / n (numpy-financial
    # returns it negative: the borrower pays)
    payment = np.where(tiny, principal0 / tenor, -npf.pmt(safe, tenor, principal0))
    # balance after t payments = value of the n - t payments left:
    # B_t = P (1 - (1 + r)^-(n - t)) / r (no cancellation); at r = 0, P (n - t)
    left = tenor - t
    balance = np.where(
        tiny, payment * left, payment * -np.expm1(-left * log_growth) / safe
    )
    balance = np.where(years >= tenor, 0.0, balance)
    previous = np.concatenate([np.zeros_like(balance[:, :1]), balance[:, :-1]], axis=1)
    interest = np.where(years >= 1, -rate * previous, 0.0)
    principal = np.where(years >= 1, balance - previous, 0.0)
    drawdown = np.where(years == 0, principal0, 0.0)
    return DebtSchedule(drawdown, interest + 0.0, principal + 0.0, balance)
