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
from solarcase.finance.rates import as_case_column, escalation_factors

FloatArray = NDArray[np.float64]

__all__ = ["as_year_path", "escalated", "exchange_rate_path", "foreign_amounts"]


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
    return start * escalation_factors(escalation_rate, n_years=n_years, base_year=0)


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
        Amount in its currency at ``base_year`` prices (a price, a cost). [foreign
        unit or cur]
    rate : float or numpy.ndarray
        Escalation in that currency. [fraction/year]
    fx : numpy.ndarray or None
        Exchange-rate path; None: the amount is in the model currency.
    n_years : int
        Operating years N.
    base_year : int
        1 for operating prices (tariffs, O&M), 0 for prices quoted at construction
        (see :func:`~solarcase.finance.rates.escalation_factors`).
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

    A price of 2 in operating year 1, +50 %/year, model currency:

    >>> escalated(2.0, 0.5, None, n_years=2, base_year=1, name="price_per_kwh")
    array([[1.33333333, 2.        , 3.        ]])
    """
    factors = escalation_factors(rate, n_years=n_years, base_year=base_year)
    return foreign_amounts(as_case_column(amount, name=name) * factors, fx)
