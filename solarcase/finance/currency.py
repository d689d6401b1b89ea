"""Exchange-rate paths, and amounts that escalate in one currency and are paid in
another.

An exchange-rate path gives, for each year 0..N, how many units of the model currency
buy one unit of a foreign currency (e.g. rials per US dollar). A price stated in a
foreign currency escalates in that currency and converts at each year's rate, so an
imported inverter priced at USD 50/kW today costs 50 (1 + e_USD)^t x fx_t rials in
year t. Paths are arrays of shape ``(n_cases, N + 1)`` (``n_cases`` is 1 for a path
shared by all cases). No file or network I/O.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.rates import as_case_column, year_index

FloatArray = NDArray[np.float64]

__all__ = ["as_year_path", "exchange_rate_path", "foreign_amounts"]


def exchange_rate_path(
    start_rate: ArrayLike, *, escalation_rate: ArrayLike, n_years: int
) -> FloatArray:
    """Exchange rate in years 0..N from a year-0 rate and a yearly rise.

    Parameters
    ----------
    start_rate : float or numpy.ndarray
        Model-currency units per foreign unit in year 0, > 0; scalar or one per
        case. [cur/foreign unit]
    escalation_rate : float or numpy.ndarray
        Yearly rise g of the rate (the model currency's loss of value is
        1 - 1/(1 + g)). [fraction/year]
    n_years : int
        Operating years N.

    Returns
    -------
    fx : numpy.ndarray
        start (1 + g)^t for t = 0..N, shape ``(n_cases, N + 1)``. [cur/foreign unit]

    Examples
    --------
    A rial that loses half its value every two years: g = sqrt(2) - 1.

    >>> exchange_rate_path(1_000_000.0, escalation_rate=2**0.5 - 1, n_years=2).round()
    array([[1000000., 1414214., 2000000.]])
    """
    start = as_case_column(start_rate, name="start_rate")
    if not (np.isfinite(start).all() and (start > 0).all()):
        raise FinanceError(
            f"exchange rate: the year-0 rate must be a positive number, got "
            f"{start.ravel()[:3].tolist()}; give model-currency units per foreign unit"
        )
    growth = 1.0 + as_case_column(escalation_rate, name="escalation_rate")
    return start * growth ** year_index(n_years)


def as_year_path(path: ArrayLike, *, n_years: int, name: str) -> FloatArray:
    """Check a per-year path (years 0..N) and return it as ``(n_cases, N + 1)``.

    Parameters
    ----------
    path : numpy.ndarray
        Shape ``(N + 1,)`` (shared by all cases) or ``(n_cases, N + 1)``; every
        value positive and finite.
    n_years : int
        Operating years N.
    name : str
        What the path is, for the error message.

    Returns
    -------
    path : numpy.ndarray
        Shape ``(1, N + 1)`` or ``(n_cases, N + 1)``.

    Raises
    ------
    FinanceError
        If the path has the wrong length or a value that is not positive.

    Examples
    --------
    >>> as_year_path([1.0, 2.0, 4.0], n_years=2, name="fx").shape
    (1, 3)
    """
    array = np.asarray(path, dtype=float)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.shape[1] != n_years + 1:
        raise FinanceError(
            f"{name}: expected one value for each year 0..{n_years} "
            f"({n_years + 1} values), got shape {np.shape(path)}"
        )
    if not (np.isfinite(array).all() and (array > 0).all()):
        raise FinanceError(f"{name}: every value must be a positive number")
    return array


def foreign_amounts(amount_row: FloatArray, fx: ArrayLike | None) -> FloatArray:
    """Convert a row of amounts in a foreign currency at each year's rate.

    Parameters
    ----------
    amount_row : numpy.ndarray
        Amounts in the foreign currency for years 0..N, ``(n_cases, N + 1)``.
        [foreign unit]
    fx : numpy.ndarray or None
        Exchange-rate path ``(n_cases or 1, N + 1)``; None: the amounts are already
        in the model currency. [cur/foreign unit]

    Returns
    -------
    amounts : numpy.ndarray
        Amount x fx year by year. [cur]

    Examples
    --------
    >>> foreign_amounts(np.array([[10.0, 10.0]]), np.array([[100.0, 150.0]]))
    array([[1000., 1500.]])
    """
    if fx is None:
        return amount_row
    path = as_year_path(fx, n_years=amount_row.shape[1] - 1, name="exchange rate")
    return amount_row * path
