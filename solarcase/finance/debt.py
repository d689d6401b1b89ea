"""Loans: how debt is sized, drawn and repaid, year by year, for every case at once.

Three loan types, each a frozen dataclass (:data:`Loan` is their union):

- :class:`AnnuityLoan`: a share of capex repaid in equal yearly instalments;
- :class:`EqualPrincipalLoan`: a share of capex repaid in equal principal parts
  (falling instalments);
- :class:`SculptedLoan`: the debt service of each year is that year's cash flow
  available for debt service (CFADS) divided by a target DSCR; the loan is the
  present value of that service at the loan rate, but never more than the gearing
  cap, nor the cost less grants.

All three take a grace period (interest-only years before repayment), an up-front
fee (a share of the loan paid by the owner at year 0) and interest during
construction (capitalised: the balance at the start of operation is
D (1 + r)^c, with c the average time the drawn money is outstanding before year 1).
No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    per_case,
    year_index,
)

FloatArray = NDArray[np.float64]

__all__ = [
    "AnnuityLoan",
    "DebtSchedule",
    "EqualPrincipalLoan",
    "Loan",
    "SculptedLoan",
    "amortising_schedule",
    "loan_amount",
    "loan_life",
    "no_debt",
    "sculpted_schedule",
]


def _check_common(tenor_years: int, grace_years: int, idc: float) -> None:
    check_years(tenor_years, name="debt tenor_years")
    check_years(grace_years, name="debt grace_years", minimum=0)
    if not (np.isfinite(idc) and 0 <= idc <= 10):
        raise FinanceError(
            f"debt construction_interest_years: must lie in [0, 10], got {idc!r}"
        )


@dataclass(frozen=True, slots=True)
class _AmortisingLoan:
    """Terms shared by the annuity and equal-principal loans (they differ only in
    how :func:`amortising_schedule` repays them)."""

    capex_fraction: ArrayLike
    """Share of capex borrowed. [fraction]"""
    interest_rate: ArrayLike
    """Nominal interest rate. [fraction/year]"""
    tenor_years: int
    """Number of yearly repayments (instalments), after the grace years. [years]"""
    grace_years: int = 0
    """Interest-only years before the first repayment. [years]"""
    upfront_fee_fraction: ArrayLike = 0.0
    """Fee paid by the owner at year 0, as a share of the loan. [fraction]"""
    construction_interest_years: float = 0.0
    """Average time the drawn loan is outstanding before operation; its interest is
    capitalised. [years]"""

    def __post_init__(self) -> None:
        _check_common(
            self.tenor_years, self.grace_years, self.construction_interest_years
        )


@dataclass(frozen=True, slots=True)
class AnnuityLoan(_AmortisingLoan):
    """A loan for a share of capex, repaid in equal yearly instalments after a grace.

    Its terms, in order: ``capex_fraction`` [fraction], ``interest_rate``
    [fraction/year], ``tenor_years`` [years], ``grace_years`` [years],
    ``upfront_fee_fraction`` [fraction] and ``construction_interest_years`` [years].
    """


@dataclass(frozen=True, slots=True)
class EqualPrincipalLoan(_AmortisingLoan):
    """A loan for a share of capex, repaid in equal principal parts after a grace.

    Its terms are those of :class:`AnnuityLoan`.
    """


@dataclass(frozen=True, slots=True)
class SculptedLoan:
    """A loan sized so that each repayment year's DSCR equals a target."""

    target_dscr: ArrayLike
    """CFADS / debt service in each repayment year, > 0. [-]"""
    max_gearing: ArrayLike
    """Largest loan as a share of capex. [fraction]"""
    interest_rate: ArrayLike
    """Nominal interest rate. [fraction/year]"""
    tenor_years: int
    """Number of repayment years, after the grace years. [years]"""
    grace_years: int = 0
    """Interest-only years before the first repayment. [years]"""
    upfront_fee_fraction: ArrayLike = 0.0
    """Fee paid by the owner at year 0, as a share of the loan. [fraction]"""
    construction_interest_years: float = 0.0
    """Average time the drawn loan is outstanding before operation. [years]"""

    def __post_init__(self) -> None:
        _check_common(
            self.tenor_years, self.grace_years, self.construction_interest_years
        )
        if not (np.asarray(self.target_dscr, dtype=float) > 0).all():
            raise FinanceError(
                f"debt target_dscr: must be > 0, got {self.target_dscr!r}; e.g. 1.3"
            )


#: The loan types the cash flow understands.
Loan = AnnuityLoan | EqualPrincipalLoan | SculptedLoan


@dataclass(frozen=True, slots=True)
class DebtSchedule:
    """A loan's flows over years 0..N, each of shape ``(n_cases, N + 1)``."""

    drawdown: FloatArray
    """Loan drawn, positive (year 0). [cur]"""
    interest: FloatArray
    """Interest paid, negative. [cur]"""
    principal: FloatArray
    """Principal repaid, negative (positive in a sculpted year whose service is
    below the interest due: the shortfall is added to the balance). [cur]"""
    balance: FloatArray
    """Outstanding at the end of each year, positive; year 0 includes capitalised
    construction interest. [cur]"""
    fees: FloatArray
    """Up-front fee paid by the owner at year 0, negative. [cur]"""
    capitalised_interest: FloatArray
    """Interest during construction added to the balance at year 0 (not a cash
    flow). [cur]"""


def no_debt(n_cases: int, n_years: int) -> DebtSchedule:
    """An all-equity plant: every row zero."""
    zeros = np.zeros((n_cases, n_years + 1))
    return DebtSchedule(zeros, zeros, zeros, zeros, zeros, zeros)


def loan_life(loan: Loan, n_years: int) -> int:
    """Grace plus tenor: the years with debt service, checked against the analysis.

    Raises
    ------
    FinanceError
        If the loan runs past the last operating year.

    Examples
    --------
    >>> loan_life(AnnuityLoan(0.7, 0.23, 8, grace_years=1), 25)
    9
    """
    life = loan.grace_years + loan.tenor_years
    if life > n_years:
        raise FinanceError(
            f"debt tenor_years: {loan.tenor_years} (+ {loan.grace_years} grace years) "
            f"is longer than the analysis of {n_years} years; shorten the tenor or "
            "lengthen analysis_years"
        )
    return life


def loan_amount(
    loan: AnnuityLoan | EqualPrincipalLoan, *, capex: ArrayLike, grants: ArrayLike = 0.0
) -> FloatArray:
    """The loan drawn at year 0: f C, but never more than the cost less grants.

    Returns
    -------
    amount : numpy.ndarray
        min(f C, C - G), at least 0, shape ``(n_cases, 1)``. [cur]

    Examples
    --------
    >>> loan_amount(AnnuityLoan(0.8, 0.1, 5), capex=100.0, grants=30.0)
    array([[70.]])
    """
    capex_col = as_case_column(capex, name="capex")
    wanted = capex_col * as_case_column(loan.capex_fraction, name="capex_fraction")
    cost = capex_col - as_case_column(grants, name="grants")
    return np.maximum(np.minimum(wanted, cost), 0.0)


def _year0_rows(
    amount: FloatArray, loan: Loan, years: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Drawdown, fee, capitalised interest and opening balance B0."""
    rate = as_case_column(loan.interest_rate, name="interest_rate")
    opening = amount * (1.0 + rate) ** loan.construction_interest_years
    fee = amount * as_case_column(loan.upfront_fee_fraction, name="upfront_fee")
    at0 = years == 0
    return (
        np.where(at0, amount, 0.0),
        np.where(at0, -fee, 0.0),
        np.where(at0, opening - amount, 0.0),
        opening,
    )


def _from_balance(
    balance: FloatArray, rate: FloatArray, years: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Interest r B_(t-1) and principal B_t - B_(t-1) (both negative) for t >= 1."""
    previous = np.concatenate([np.zeros_like(balance[:, :1]), balance[:, :-1]], axis=1)
    interest = np.where(years >= 1, -rate * previous, 0.0)
    principal = np.where(years >= 1, balance - previous, 0.0)
    return interest + 0.0, principal + 0.0


def amortising_schedule(
    loan: AnnuityLoan | EqualPrincipalLoan, amount: ArrayLike, *, n_years: int
) -> DebtSchedule:
    """Drawdown, interest, principal and balance of an annuity or equal-principal loan.

    Parameters
    ----------
    loan : AnnuityLoan or EqualPrincipalLoan
        Rate r, grace g, tenor n, fee and construction interest.
    amount : float or numpy.ndarray
        Loan drawn at year 0 D, scalar or one per case. [cur]
    n_years : int
        Operating years N (>= g + n).

    Returns
    -------
    schedule : DebtSchedule
        Rows of shape ``(n_cases, N + 1)``.

    Notes
    -----
    B0 = D (1 + r)^c. Interest only in years 1..g. Annuity: payment P = B0 r / (1 -
    (1 + r)^-n) (B0/n at r = 0) in years g + 1..g + n; the balance after j payments
    is the value of the n - j left, P (1 - (1 + r)^-(n - j)) / r (no cancellation).
    Equal principal: B0/n a year, balance B0 (1 - j/n). Interest_t = r B_(t-1).

    Examples
    --------
    1,000 at 10 %, one interest-only year, then 2 equal principal parts:
    interest 100, 100, 50; principal 0, 500, 500.

    >>> s = amortising_schedule(EqualPrincipalLoan(1.0, 0.10, 2, grace_years=1),
    ...     1000.0, n_years=3)
    >>> s.interest, s.principal
    (array([[   0., -100., -100.,  -50.]]), array([[   0.,    0., -500., -500.]]))

    1,000 at 10 % over 2 years as an annuity: P = 1000 x 0.1 / (1 - 1.1^-2) =
    576.19; year 1 interest 100, principal 476.19, balance 523.81; year 2 interest
    52.38.

    >>> s = amortising_schedule(AnnuityLoan(1.0, 0.10, 2), 1000.0, n_years=3)
    >>> s.interest.round(2)
    array([[   0.  , -100.  ,  -52.38,    0.  ]])
    >>> s.balance.round(2)
    array([[1000.  ,  523.81,    0.  ,    0.  ]])
    """
    life = loan_life(loan, n_years)
    years = year_index(n_years)
    amount_col = as_case_column(amount, name="loan amount")
    drawdown, fees, capitalised, opening = _year0_rows(amount_col, loan, years)
    rate = as_case_column(loan.interest_rate, name="interest_rate")
    tenor, grace = loan.tenor_years, loan.grace_years
    paid = np.clip(years - grace, 0, tenor)  # instalments made by the end of year t
    left = tenor - paid
    if isinstance(loan, EqualPrincipalLoan):
        balance = opening * left / tenor
    else:
        # below 1e-12 a year the r = 0 limits are exact to double precision
        tiny = np.abs(rate) < 1e-12
        safe = np.where(tiny, 1.0, rate)
        log_growth = np.log1p(safe)
        # P = B0 r / (1 - (1 + r)^-n), written with expm1: numpy-financial's pmt
        # computes (1 + r)^n - 1 directly and loses digits at small r (1e-10
        # relative at r = 1e-6, enough to leave part of the loan unpaid)
        payment = np.where(
            tiny, opening / tenor, opening * safe / -np.expm1(-tenor * log_growth)
        )
        annuity = payment * -np.expm1(-left * log_growth) / safe
        balance = np.where(tiny, payment * left, annuity)
    balance = np.where(years <= grace, opening, balance)
    balance = np.where(years >= life, 0.0, balance)
    interest, principal = _from_balance(balance, rate, years)
    return DebtSchedule(drawdown, interest, principal, balance + 0.0, fees, capitalised)


def sculpted_schedule(
    loan: SculptedLoan,
    cfads: FloatArray,
    *,
    capex: ArrayLike,
    grants: ArrayLike = 0.0,
    n_years: int,
) -> tuple[DebtSchedule, FloatArray]:
    """Size a loan on the CFADS and a target DSCR, capped, and give its schedule.

    Parameters
    ----------
    loan : SculptedLoan
        Target DSCR, gearing cap, rate r, grace g, tenor n, fee, construction
        interest c.
    cfads : numpy.ndarray
        Cash flow available for debt service, years 0..N, ``(n_cases, N + 1)``.
        [cur]
    capex, grants : float or numpy.ndarray
        Investment C and grants G at year 0. [cur]
    n_years : int
        Operating years N.

    Returns
    -------
    schedule : DebtSchedule
    sculpted_amount : numpy.ndarray
        The loan the DSCR target alone would support, before the caps,
        ``(n_cases,)``. [cur]

    Notes
    -----
    Service S_t = max(CFADS_t, 0) / DSCR in repayment years g + 1..g + n. The
    balance at the end of the grace years is B = sum_t S_t (1 + r)^-(t - g), so
    the loan that service repays is D* = B / (1 + r)^c. The loan drawn is
    D = min(D*, gearing x C, C - G), never below 0, and the service is scaled by
    D / D*: then every repayment year's DSCR is the target or more, and the loan
    never exceeds the gearing cap or the cost, whatever the revenue. Balance:
    B_t = (1 + r)^(t-g) (B0 - sum_(j<=t) S_j (1 + r)^-(j-g)).

    Examples
    --------
    CFADS 130 in years 1 and 2, DSCR 1.3, 0 % interest: service 100 a year, so
    D* = 200; a 50 % cap on capex 300 gives D = 150 and service 75 (DSCR 1.73).

    >>> s, wanted = sculpted_schedule(SculptedLoan(1.3, 0.5, 0.0, 2),
    ...     np.array([[0.0, 130.0, 130.0]]), capex=300.0, n_years=2)
    >>> wanted, s.drawdown, s.principal
    (array([200.]), array([[150.,   0.,   0.]]), array([[  0., -75., -75.]]))
    """
    life = loan_life(loan, n_years)
    years = year_index(n_years)
    grace = loan.grace_years
    rate = as_case_column(loan.interest_rate, name="interest_rate")
    repaying = (years > grace) & (years <= life)
    dscr = as_case_column(loan.target_dscr, name="target_dscr")
    service = np.where(repaying, np.maximum(cfads, 0.0) / dscr, 0.0)
    discount = (1.0 + rate) ** -(years - grace)
    opening_wanted = np.sum(service * discount, axis=1, keepdims=True)
    wanted = opening_wanted / (1.0 + rate) ** loan.construction_interest_years
    capex_col = as_case_column(capex, name="capex")
    cap = np.minimum(
        capex_col * as_case_column(loan.max_gearing, name="max_gearing"),
        capex_col - as_case_column(grants, name="grants"),
    )
    amount = np.maximum(np.minimum(wanted, cap), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(wanted > 0, amount / wanted, 0.0)
    service = service * scale
    drawdown, fees, capitalised, opening = _year0_rows(amount, loan, years)
    repaid = np.cumsum(service * discount, axis=1)
    balance = (1.0 + rate) ** np.maximum(years - grace, 0.0) * (opening - repaid)
    balance = np.where(years >= life, 0.0, np.maximum(balance, 0.0))
    interest, principal = _from_balance(balance, rate, years)
    # the service is exact; the principal is what is left of it after interest
    principal = np.where(repaying, -(service + interest), principal)
    schedule = DebtSchedule(drawdown, interest, principal, balance, fees, capitalised)
    return schedule, per_case(wanted[:, 0], cfads.shape[0])
