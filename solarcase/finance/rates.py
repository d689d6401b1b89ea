"""Rates over time: nominal <-> real (Fisher), escalation, discounting (NPV), deflation.

This is the only module that converts between nominal and real rates: with 30-45 %
inflation, mixing the two is the costliest mistake a model can make, so every other
module asks this one. Year 0 is construction; years 1..N are operating years and cash
flows fall at the end of each year.

Every rate may be a float or an array of shape ``(n_cases,)``; the factor functions
always return 2-D arrays of shape ``(n_cases, n_years + 1)`` (``n_cases`` is 1 for
scalar rates), indexed by year 0..N. No file or network I/O.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError

FloatArray = NDArray[np.float64]

__all__ = [
    "as_case_column",
    "check_years",
    "deflation_factors",
    "discount_factors",
    "escalation_factors",
    "escalation_rate_or_inflation",
    "nominal_from_real",
    "npv",
    "per_case",
    "real_from_nominal",
    "reference_discount_rate",
    "year_index",
]


def nominal_from_real(
    rate_real: ArrayLike, inflation_rate: ArrayLike
) -> float | FloatArray:
    """Nominal rate from a real rate and inflation (Fisher): (1 + r)(1 + i) - 1.

    Parameters
    ----------
    rate_real : float or numpy.ndarray
        Real rate, e.g. a real discount rate. [fraction/year]
    inflation_rate : float or numpy.ndarray
        General inflation. [fraction/year]

    Returns
    -------
    rate_nominal : float or numpy.ndarray
        Nominal rate, broadcast over the inputs (a float for float inputs).
        [fraction/year]

    Notes
    -----
    The exact Fisher relation, not the approximation r + i: at 8 % real and 40 %
    inflation the approximation is 48 % but the nominal rate is 51.2 %.

    Examples
    --------
    >>> round(nominal_from_real(0.08, 0.40), 10)
    0.512
    """
    value = (1.0 + np.asarray(rate_real, dtype=float)) * (
        1.0 + np.asarray(inflation_rate, dtype=float)
    ) - 1.0
    return float(value) if value.ndim == 0 else value


def real_from_nominal(
    rate_nominal: ArrayLike, inflation_rate: ArrayLike
) -> float | FloatArray:
    """Real rate from a nominal rate and inflation (Fisher): (1 + n)/(1 + i) - 1.

    Parameters
    ----------
    rate_nominal : float or numpy.ndarray
        Nominal rate. [fraction/year]
    inflation_rate : float or numpy.ndarray
        General inflation, above -100 %. [fraction/year]

    Returns
    -------
    rate_real : float or numpy.ndarray
        Real rate; negative when inflation exceeds the nominal rate (as with Iranian
        bank rates of about 23 % against 35-45 % inflation). [fraction/year]

    Examples
    --------
    >>> round(real_from_nominal(0.512, 0.40), 10)
    0.08
    >>> round(real_from_nominal(0.23, 0.40), 4)
    -0.1214
    """
    value = (1.0 + np.asarray(rate_nominal, dtype=float)) / (
        1.0 + np.asarray(inflation_rate, dtype=float)
    ) - 1.0
    return float(value) if value.ndim == 0 else value


def reference_discount_rate(
    discount_rate_nominal: ArrayLike,
    inflation_rate: ArrayLike,
    reference_inflation_rate: ArrayLike,
) -> float | FloatArray:
    """The nominal discount rate in a reference currency with the same real rate.

    Parameters
    ----------
    discount_rate_nominal : float or numpy.ndarray
        Nominal discount rate in the model currency d_n. [fraction/year]
    inflation_rate : float or numpy.ndarray
        Inflation of the model currency i. [fraction/year]
    reference_inflation_rate : float or numpy.ndarray
        Inflation of the reference currency i_ref (e.g. US prices). [fraction/year]

    Returns
    -------
    rate_nominal : float or numpy.ndarray
        (1 + d_r)(1 + i_ref) - 1 with d_r = (1 + d_n)/(1 + i) - 1: the investor asks
        the same real return in either currency. [fraction/year]

    Examples
    --------
    47 % nominal with 40 % rial inflation is 5 % real; with 2 % US inflation the
    dollar rate is 1.05 x 1.02 - 1 = 7.1 %:

    >>> round(reference_discount_rate(0.47, 0.40, 0.02), 10)
    0.071
    """
    real = real_from_nominal(discount_rate_nominal, inflation_rate)
    return nominal_from_real(real, reference_inflation_rate)


def as_case_column(value: ArrayLike, *, name: str = "value") -> FloatArray:
    """A scalar or ``(n_cases,)`` parameter as a float column of shape ``(n, 1)``.

    Parameters
    ----------
    value : float or numpy.ndarray
        A scalar (one case) or a 1-D array with one value per case.
    name : str
        Parameter name, for the error message.

    Returns
    -------
    column : numpy.ndarray
        Shape ``(1, 1)`` for a scalar, ``(n_cases, 1)`` for an array.

    Raises
    ------
    ValueError
        If ``value`` has more than one dimension.

    Examples
    --------
    >>> as_case_column(0.1).shape
    (1, 1)
    >>> as_case_column([0.1, 0.2]).shape
    (2, 1)
    """
    array = np.asarray(value, dtype=float)
    if array.ndim > 1:
        raise ValueError(
            f"{name}: expected a scalar or an array of shape (n_cases,), got shape "
            f"{array.shape}"
        )
    return array.reshape(-1, 1)


def per_case(value: ArrayLike, n_cases: int, *, name: str = "value") -> FloatArray:
    """A scalar or per-case value as a new float array of shape ``(n_cases,)``.

    Parameters
    ----------
    value : float or numpy.ndarray
        A scalar (shared by every case) or one value per case.
    n_cases : int
        Number of cases.
    name : str
        Parameter name, for the error message.

    Returns
    -------
    values : numpy.ndarray
        A writable copy, shape ``(n_cases,)`` (a -0.0 becomes 0.0).

    Examples
    --------
    >>> per_case(0.1, 3), per_case([0.1, 0.2], 2)
    (array([0.1, 0.1, 0.1]), array([0.1, 0.2]))
    """
    column = as_case_column(value, name=name)
    values: FloatArray = np.broadcast_to(column[:, 0], (n_cases,)) + 0.0
    return values


def year_index(n_years: int) -> FloatArray:
    """Years 0..N as a float row of shape ``(1, N + 1)``.

    Examples
    --------
    >>> year_index(3)
    array([[0., 1., 2., 3.]])
    """
    if n_years < 0:
        raise ValueError(f"n_years must be >= 0, got {n_years}")
    return np.arange(n_years + 1, dtype=float).reshape(1, -1)


def escalation_factors(
    escalation_rate: ArrayLike, *, n_years: int, base_year: int = 1
) -> FloatArray:
    """Factors that take a price stated in ``base_year`` money to each year 0..N.

    Parameters
    ----------
    escalation_rate : float or numpy.ndarray
        Yearly escalation e of the price, scalar or one per case. [fraction/year]
    n_years : int
        Operating years N.
    base_year : int
        Year whose prices the price is stated in: 1 for operating prices (tariffs,
        O&M: the price applies as given in the first operating year), 0 for prices
        quoted at construction (inverter replacement, decommissioning, salvage).

    Returns
    -------
    factors : numpy.ndarray
        ``(1 + e) ** (t - base_year)`` for t = 0..N, shape ``(n_cases, N + 1)``. [-]

    Notes
    -----
    DESIGN.md: a price p with escalation e is p(1 + e)^(t-1) in operating year t
    (``base_year=1``). A cost quoted at year-0 prices is c(1 + e)^t in year t.

    Examples
    --------
    >>> escalation_factors(0.10, n_years=3)
    array([[0.90909091, 1.        , 1.1       , 1.21      ]])
    >>> escalation_factors(0.10, n_years=2, base_year=0)
    array([[1.  , 1.1 , 1.21]])
    """
    rate = as_case_column(escalation_rate, name="escalation_rate")
    return (1.0 + rate) ** (year_index(n_years) - base_year)


def escalation_rate_or_inflation(
    escalation_rate: ArrayLike | None, inflation_rate: ArrayLike
) -> ArrayLike:
    """An item's escalation; None means it escalates with general inflation.

    Examples
    --------
    >>> escalation_rate_or_inflation(None, 0.4), escalation_rate_or_inflation(0.02, 0.4)
    (0.4, 0.02)
    """
    return inflation_rate if escalation_rate is None else escalation_rate


def discount_factors(discount_rate: ArrayLike, *, n_years: int) -> FloatArray:
    """End-of-year discount factors 1/(1 + d)^t for years 0..N (year 0 undiscounted).

    Parameters
    ----------
    discount_rate : float or numpy.ndarray
        Discount rate d above -100 %, scalar or one per case. Nominal for nominal
        flows, real for real flows. [fraction/year]
    n_years : int
        Operating years N.

    Returns
    -------
    factors : numpy.ndarray
        Shape ``(n_cases, N + 1)``; column 0 is 1 (numpy-financial convention: the
        year-0 value is not discounted, unlike Excel's NPV). [-]

    Examples
    --------
    >>> discount_factors(0.25, n_years=2)
    array([[1.  , 0.8 , 0.64]])
    """
    rate = as_case_column(discount_rate, name="discount_rate")
    return (1.0 + rate) ** -year_index(n_years)


def npv(cash_flows: ArrayLike, *, discount_rate: ArrayLike) -> FloatArray:
    """Net present value of yearly flows, year 0 undiscounted (numpy-financial).

    Parameters
    ----------
    cash_flows : numpy.ndarray
        Shape ``(n_cases, N + 1)``, years 0..N. [cur]
    discount_rate : float or numpy.ndarray
        Scalar or one per case. [fraction/year]

    Returns
    -------
    npv : numpy.ndarray
        sum_t v_t / (1 + d)^t, shape ``(n_cases,)``. [cur]

    Examples
    --------
    >>> npv(np.array([[-100.0, 60.0, 60.0]]), discount_rate=0.2)
    array([-8.33333333])
    """
    values = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    factors = discount_factors(discount_rate, n_years=values.shape[1] - 1)
    present: FloatArray = np.sum(values * factors, axis=1)
    return present


def deflation_factors(inflation_rate: ArrayLike, *, n_years: int) -> FloatArray:
    """Factors 1/(1 + i)^t that turn nominal amounts of year t into year-0 money.

    Parameters
    ----------
    inflation_rate : float or numpy.ndarray
        General inflation i, scalar or one per case. [fraction/year]
    n_years : int
        Operating years N.

    Returns
    -------
    factors : numpy.ndarray
        Shape ``(n_cases, N + 1)``; multiply a nominal row by it to get constant
        year-0 prices ("real"). [-]

    Notes
    -----
    Discounting a nominal flow at the nominal rate equals deflating it and
    discounting at the real rate, because (1 + d_n) = (1 + d_r)(1 + i).

    Examples
    --------
    >>> deflation_factors(0.25, n_years=2)
    array([[1.  , 0.8 , 0.64]])
    """
    return discount_factors(inflation_rate, n_years=n_years)


def check_years(value: object, *, name: str, minimum: int = 1) -> None:
    """Raise :class:`~solarcase.errors.FinanceError` unless ``value`` is a whole
    number of years >= ``minimum`` (terms, lives, tenors, event years).

    Examples
    --------
    >>> check_years(20, name="tenor_years")
    >>> check_years(2.5, name="tenor")
    Traceback (most recent call last):
    ...
    solarcase.errors.FinanceError: tenor: must be a whole number of years >= 1, got 2.5
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or value < minimum
    ):
        raise FinanceError(
            f"{name}: must be a whole number of years >= {minimum}, got {value!r}"
        )
