"""Income tax and tax depreciation, year by year, for every case at once.

Depreciation is straight-line or declining-balance (switching to straight line when
that gives more), either with the half-year convention. Tax is never negative: a
loss earns no refund, but it can be carried forward (optionally for a limited number
of years) against later profits; a tax holiday exempts the first operating years.
No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.rates import as_case_column, check_years, year_index

FloatArray = NDArray[np.float64]

__all__ = [
    "DecliningBalanceDepreciation",
    "Depreciation",
    "StraightLineDepreciation",
    "TaxResult",
    "depreciation_schedule",
    "income_tax",
    "tax_paid",
]


@dataclass(frozen=True, slots=True)
class StraightLineDepreciation:
    """Straight-line tax depreciation of capex, optionally with the half-year rule."""

    life_years: int
    """Depreciation life L. [years]"""
    half_year_convention: bool = False
    """If True, years 1 and L + 1 get half a year's charge (as US MACRS and SAM's
    straight-line schedules do); otherwise years 1..L get a full charge each."""
    basis_fraction: ArrayLike = 1.0
    """Share of capex that is depreciable (land is not). [fraction]"""

    def __post_init__(self) -> None:
        check_years(self.life_years, name="depreciation life_years")


@dataclass(frozen=True, slots=True)
class DecliningBalanceDepreciation:
    """Declining-balance depreciation that switches to straight line (as MACRS)."""

    life_years: int
    """Depreciation life L. [years]"""
    factor: float = 2.0
    """Declining-balance factor: the yearly rate is factor / L (2.0: "200 %" or
    double declining balance; 1.5: "150 %"). [-]"""
    half_year_convention: bool = False
    """If True, year 1 gets half a year's charge and the schedule ends in year
    L + 1 (US MACRS half-year tables)."""
    basis_fraction: ArrayLike = 1.0
    """Share of capex that is depreciable. [fraction]"""

    def __post_init__(self) -> None:
        check_years(self.life_years, name="depreciation life_years")
        if not 0 < self.factor <= 4:
            raise FinanceError(
                f"declining balance factor: must lie in (0, 4], got {self.factor!r}; "
                "2.0 is double declining balance"
            )


#: The depreciation methods :func:`depreciation_schedule` understands.
Depreciation = StraightLineDepreciation | DecliningBalanceDepreciation


def depreciation_schedule(
    rule: Depreciation | None,
    *,
    capex: ArrayLike,
    n_years: int,
    basis_reduction: ArrayLike = 0.0,
) -> FloatArray:
    """Tax depreciation over years 0..N, negative (a deduction); cut at year N.

    Parameters
    ----------
    rule : StraightLineDepreciation, DecliningBalanceDepreciation or None
        Method, life, convention and depreciable share; None: no depreciation.
    capex : float or numpy.ndarray
        Investment at year 0, positive, scalar or one per case. [cur]
    n_years : int
        Operating years N; charges after year N are not taken.
    basis_reduction : float or numpy.ndarray
        Subtracted from the basis (grants that reduce it). [cur]

    Returns
    -------
    depreciation : numpy.ndarray
        Shape ``(n_cases, N + 1)``. [cur]

    Notes
    -----
    Basis B = max(0, basis_fraction x capex - reduction), life L.

    - Straight line: B/L in years 1..L; with the half-year convention B/(2L) in
      years 1 and L + 1 and B/L in between.
    - Declining balance at rate d = factor/L on the remaining value R: in each year
      the larger of d R and the straight-line charge R/l on the remaining life l
      (the switch to straight line happens in the first year where R/l >= d R),
      never more than R. Without the convention l = L - t + 1, so year L takes
      what is left; with it year 1 takes d B/2 and l = L - t + 1.5 from year 2, so
      year L + 1 takes what is left. This reproduces the US MACRS half-year tables
      (IRS Publication 946, table A-1).

    Examples
    --------
    >>> depreciation_schedule(StraightLineDepreciation(2, True), capex=100.0,
    ...     n_years=4)
    array([[  0., -25., -50., -25.,   0.]])
    >>> depreciation_schedule(DecliningBalanceDepreciation(5, 2.0, True),
    ...     capex=100.0, n_years=6).round(2)
    array([[  0.  , -20.  , -32.  , -19.2 , -11.52, -11.52,  -5.76]])
    """
    years = year_index(n_years)
    if rule is None:
        return np.zeros_like(years)
    capex_col = as_case_column(capex, name="capex")
    basis = capex_col * as_case_column(rule.basis_fraction, name="basis_fraction")
    basis = np.maximum(basis - as_case_column(basis_reduction, name="grants"), 0.0)
    life = rule.life_years
    if isinstance(rule, DecliningBalanceDepreciation):
        return -_declining_balance(basis, rule, n_years) + 0.0
    if rule.half_year_convention:
        share = np.where((years == 1) | (years == life + 1), 0.5, 0.0)
        share = np.where((years >= 2) & (years <= life), 1.0, share)
    else:
        share = ((years >= 1) & (years <= life)).astype(float)
    return -basis * share / life + 0.0


def _declining_balance(
    basis: FloatArray, rule: DecliningBalanceDepreciation, n_years: int
) -> FloatArray:
    life = rule.life_years
    rate = rule.factor / life
    charges = np.zeros((basis.shape[0], n_years + 1))
    remaining = basis[:, 0].copy()
    last = life + 1 if rule.half_year_convention else life
    for t in range(1, min(last, n_years) + 1):
        if rule.half_year_convention and t == 1:
            charge = rate * remaining / 2.0
        else:
            left = life - t + (1.5 if rule.half_year_convention else 1.0)
            charge = np.maximum(rate * remaining, remaining / left)
        charge = np.minimum(charge, remaining)
        charges[:, t] = charge
        remaining = remaining - charge
    return charges


def tax_paid(taxable_income: FloatArray, tax_rate: ArrayLike) -> FloatArray:
    """Tax due each year, as a negative flow; no refund for a loss, no carry-forward.

    Parameters
    ----------
    taxable_income : numpy.ndarray
        Shape ``(n_cases, N + 1)``. [cur]
    tax_rate : float or numpy.ndarray
        Scalar or one per case. [fraction]

    Returns
    -------
    tax : numpy.ndarray
        ``-max(0, rate * income)``, same shape. [cur]

    Examples
    --------
    >>> tax_paid(np.array([[0.0, 100.0, -50.0]]), 0.25)
    array([[ -0., -25.,  -0.]])
    """
    return -np.maximum(0.0, as_case_column(tax_rate, name="tax_rate") * taxable_income)


@dataclass(frozen=True, slots=True)
class TaxResult:
    """Tax and unused losses, each ``(n_cases, N + 1)``."""

    tax: FloatArray
    """Tax paid, negative. [cur]"""
    losses_carried: FloatArray
    """Losses available to later years at the end of each year. [cur]"""


def income_tax(
    taxable_income: FloatArray,
    tax_rate: ArrayLike,
    *,
    holiday_years: int = 0,
    carry_forward: bool = False,
    carry_forward_years: int | None = None,
) -> TaxResult:
    """Tax with a holiday and losses carried forward.

    Parameters
    ----------
    taxable_income : numpy.ndarray
        Years 0..N, ``(n_cases, N + 1)``. [cur]
    tax_rate : float or numpy.ndarray
        Scalar or one per case. [fraction]
    holiday_years : int
        Operating years 1..H pay no tax; their losses are not carried forward
        (the income of those years is exempt, not deferred).
    carry_forward : bool
        If True, a loss of year t reduces the taxable income of later years,
        oldest loss first; if False, losses are forfeited.
    carry_forward_years : int or None
        A loss expires after this many years (usable in t + 1..t + E); None:
        never.

    Returns
    -------
    result : TaxResult

    Examples
    --------
    Income -100, +60, +60 at 25 %, losses carried: year 2 uses 60 of the loss (no
    tax), year 3 uses the last 40 and pays 25 % of 20 = 5.

    >>> r = income_tax(np.array([[0.0, -100, 60, 60]]), 0.25, carry_forward=True)
    >>> r.tax, r.losses_carried
    (array([[ 0.,  0.,  0., -5.]]), array([[  0., 100.,  40.,   0.]]))
    """
    check_years(holiday_years, name="tax holiday_years", minimum=0)
    if carry_forward_years is not None:
        check_years(carry_forward_years, name="loss carry_forward_years")
    rate = as_case_column(tax_rate, name="tax_rate")
    income = np.asarray(taxable_income, dtype=float)
    n_cases, n_cols = income.shape
    years = np.arange(n_cols)
    exempt = (years >= 1) & (years <= holiday_years)
    if not carry_forward:
        tax = np.where(exempt, 0.0, tax_paid(income, tax_rate))
        return TaxResult(tax + 0.0, np.zeros_like(income))
    if carry_forward_years is None:
        taxed, carried = _carry_unlimited(income, exempt)
    else:
        taxed, carried = _carry_expiring(income, exempt, carry_forward_years)
    return TaxResult(-rate * taxed + 0.0, carried)


def _carry_unlimited(
    income: FloatArray, exempt: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Taxed income and loss balance with losses that never expire: one running
    balance, since the order in which losses are used does not matter."""
    taxed = np.zeros_like(income)
    carried = np.zeros_like(income)
    balance = np.zeros(income.shape[0])
    for t in np.flatnonzero(~exempt):
        profit = np.maximum(income[:, t], 0.0)
        used = np.minimum(balance, profit)
        taxed[:, t] = profit - used
        balance = balance - used + np.maximum(-income[:, t], 0.0)
        carried[:, t] = balance
    return taxed, carried


def _carry_expiring(
    income: FloatArray, exempt: NDArray[np.bool_], expiry: int
) -> tuple[FloatArray, FloatArray]:
    """Taxed income and loss balance with losses usable for ``expiry`` years,
    oldest first (a matrix of unused loss by year of origin)."""
    n_cases, n_cols = income.shape
    vintages = np.zeros((n_cases, n_cols))  # unused loss of each year
    taxed = np.zeros((n_cases, n_cols))
    carried = np.zeros((n_cases, n_cols))
    for t in np.flatnonzero(~exempt):
        first = max(0, t - expiry)
        vintages[:, :first] = 0.0  # expired
        profit = np.maximum(income[:, t], 0.0)
        available = vintages[:, first:t]
        used_before = np.cumsum(available, axis=1) - available
        used = np.clip(profit[:, None] - used_before, 0.0, available)
        vintages[:, first:t] = available - used
        taxed[:, t] = np.maximum(profit - used.sum(axis=1), 0.0)
        vintages[:, t] = np.maximum(-income[:, t], 0.0)
        carried[:, t] = vintages[:, max(0, t + 1 - expiry) : t + 1].sum(axis=1)
    return taxed, carried
