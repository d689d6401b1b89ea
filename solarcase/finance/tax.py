"""Income tax and tax depreciation, year by year, for every case at once.

Issue 2: straight-line depreciation (optionally with the half-year convention) and
tax that is never negative (a loss earns no refund). Declining balance, tax holidays
and loss carry-forward extend :func:`depreciation_schedule` and :func:`tax_paid`
without changing the cash-flow table. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.finance.rates import as_case_column, check_years, year_index

FloatArray = NDArray[np.float64]

__all__ = ["StraightLineDepreciation", "depreciation_schedule", "tax_paid"]


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


def depreciation_schedule(
    rule: StraightLineDepreciation | None, *, capex: ArrayLike, n_years: int
) -> FloatArray:
    """Tax depreciation over years 0..N, negative (a deduction); cut at year N.

    Parameters
    ----------
    rule : StraightLineDepreciation or None
        Life, convention and depreciable share; None: no depreciation.
    capex : float or numpy.ndarray
        Investment at year 0, positive, scalar or one per case. [cur]
    n_years : int
        Operating years N; charges after year N are not taken.

    Returns
    -------
    depreciation : numpy.ndarray
        Shape ``(n_cases, N + 1)``. [cur]

    Notes
    -----
    Basis B = basis_fraction x capex, life L. Without the convention: B/L in years
    1..L. With it: B/(2L) in years 1 and L + 1 and B/L in years 2..L.

    Examples
    --------
    >>> depreciation_schedule(StraightLineDepreciation(2, True), capex=100.0,
    ...     n_years=4)
    array([[  0., -25., -50., -25.,   0.]])
    """
    years = year_index(n_years)
    if rule is None:
        return np.zeros_like(years)
    capex_col = as_case_column(capex, name="capex")
    basis = capex_col * as_case_column(rule.basis_fraction, name="basis_fraction")
    life = rule.life_years
    if rule.half_year_convention:
        share = np.where((years == 1) | (years == life + 1), 0.5, 0.0)
        share = np.where((years >= 2) & (years <= life), 1.0, share)
    else:
        share = ((years >= 1) & (years <= life)).astype(float)
    return -basis * share / life + 0.0


def tax_paid(taxable_income: FloatArray, tax_rate: ArrayLike) -> FloatArray:
    """Tax due each year, as a negative flow; no refund for a loss.

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

    Notes
    -----
    Issue 2 forfeits losses. Loss carry-forward will replace this function with a
    running balance of unused losses; nothing else in the table changes.

    Examples
    --------
    >>> tax_paid(np.array([[0.0, 100.0, -50.0]]), 0.25)
    array([[ -0., -25.,  -0.]])
    """
    return -np.maximum(0.0, as_case_column(tax_rate, name="tax_rate") * taxable_income)
