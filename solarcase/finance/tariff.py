"""Revenue schemes and the price the plant's energy sells at, year by year.

Four schemes, each a frozen dataclass (:data:`RevenueScheme` is their union):

- :class:`EscalatingTariff`: a contract price escalating at a fixed rate for a term,
  then a price after the term (e.g. the market price);
- :class:`GuaranteedPurchase`: the Iranian SATBA contract: a base rate indexed each
  year to a blend of CPI and the official EUR rate, step-down factors at given
  contract years, a time-of-day weighting of the energy, a term and a price after it;
- :class:`MarketSale`: energy sold on an exchange (the green board) at an escalating
  price;
- :class:`SelfConsumption`: the energy offsets purchases at the owner's tariff, the
  surplus is exported at a price, and optionally the plant avoids the penalty tariff
  of a renewable-energy obligation.

Every money or rate field may be a float or an array of shape ``(n_cases,)``; year
fields are integers shared by all cases. Prices may be stated in a foreign currency:
they then escalate in that currency and convert at the year's rate (``fx`` paths, see
:mod:`solarcase.finance.currency`). :mod:`solarcase.finance.revenue` turns a scheme
into revenue streams. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.currency import as_year_path, escalated, foreign_amounts
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    escalation_factors,
    year_index,
)

FloatArray = NDArray[np.float64]

__all__ = [
    "EscalatingTariff",
    "GuaranteedPurchase",
    "MarketSale",
    "RenewableObligation",
    "RevenueScheme",
    "SelfConsumption",
    "contract_term",
    "escalating_tariff_prices",
    "guaranteed_purchase_prices",
    "indexation_coefficient",
    "step_down_factors",
]


@dataclass(frozen=True, slots=True)
class EscalatingTariff:
    """A contract price with yearly escalation, a term, and a price after the term.

    Every money or rate field may be a float or an array of shape ``(n_cases,)``;
    ``contract_years`` is an integer shared by all cases.
    """

    price_per_kwh: ArrayLike
    """Contract price in operating year 1, in the price's currency. [cur/kWh]"""
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
    fx: ArrayLike | None = None
    """Exchange-rate path of the contract price's currency, years 0..N; None: the
    model currency. [cur/foreign unit]"""
    after_contract_fx: ArrayLike | None = None
    """Exchange-rate path of the price after the contract; None: model currency."""

    def __post_init__(self) -> None:
        if self.contract_years is not None:
            check_years(self.contract_years, name="tariff contract_years")


@dataclass(frozen=True, slots=True)
class GuaranteedPurchase:
    """The SATBA guaranteed-purchase contract: an indexed base rate with step-downs.

    In contract year t the price is base x K_t x S_t, where K_t is the indexation
    coefficient (:func:`indexation_coefficient`) and S_t the step-down factor
    (:func:`step_down_factors`); the invoiced energy is the energy times the
    time-of-day factor. After the term the energy sells at a price that escalates.
    """

    base_price_per_kwh: ArrayLike
    """Base rate at signature (operating year 1 pays it unindexed). [cur/kWh]"""
    alpha: ArrayLike
    """Weight chosen at signature, 0.15-0.30 under the SATBA rules. [fraction]"""
    official_eur_path: ArrayLike
    """Official EUR rate in years 0..N (year k: the average over year k); only its
    ratio to year 0 matters. [cur/EUR]"""
    cpi_inflation_rate: ArrayLike
    """Yearly rise of the consumer-price index. [fraction/year]"""
    alpha_weights: Literal["cpi", "eur"] = "cpi"
    """Which term alpha multiplies: 'cpi' gives K = a CPI + (1 - a) EUR, 'eur' gives
    K = (1 - a) CPI + a EUR (the primary text was not available)."""
    step_down_years: tuple[int, ...] = ()
    """Contract years from which a step-down factor applies, ascending."""
    step_down_factors: tuple[float, ...] = ()
    """The factors, one per step-down year. [-]"""
    step_down_mode: Literal["cumulative", "absolute"] = "absolute"
    """'cumulative': each factor multiplies the earlier ones; 'absolute': the
    factor of the latest step replaces the earlier ones."""
    contract_years: int | None = None
    """Contract term from operating year 1 [years]; None: the whole analysis."""
    price_after_contract_per_kwh: ArrayLike = 0.0
    """Price after the term at operating-year-1 prices. [cur/kWh]"""
    escalation_after_contract_rate: ArrayLike = 0.0
    """Escalation of the price after the term. [fraction/year]"""
    time_of_day_factor: ArrayLike = 1.0
    """Equivalent energy / energy: the hourly coefficients weighted by the hourly
    energy (1 without a time-of-day table); applies to contract sales. [-]"""
    fx: ArrayLike | None = None
    """Exchange-rate path of the base rate's currency; None: model currency."""
    after_contract_fx: ArrayLike | None = None
    """Exchange-rate path of the price after the term; None: model currency."""

    def __post_init__(self) -> None:
        if self.contract_years is not None:
            check_years(self.contract_years, name="guaranteed purchase contract_years")
        if self.alpha_weights not in ("cpi", "eur"):
            raise FinanceError(
                f"alpha_weights: must be 'cpi' or 'eur', got {self.alpha_weights!r}"
            )
        if self.step_down_mode not in ("cumulative", "absolute"):
            raise FinanceError(
                "step_down_mode: must be 'cumulative' or 'absolute', got "
                f"{self.step_down_mode!r}"
            )
        if len(self.step_down_years) != len(self.step_down_factors):
            raise FinanceError(
                "step-down: give one factor per step-down year, got "
                f"{len(self.step_down_years)} years and "
                f"{len(self.step_down_factors)} factors"
            )
        for year in self.step_down_years:
            check_years(year, name="step-down year")
        if list(self.step_down_years) != sorted(set(self.step_down_years)):
            raise FinanceError(
                f"step-down years: must be distinct and ascending, got "
                f"{list(self.step_down_years)}"
            )


@dataclass(frozen=True, slots=True)
class MarketSale:
    """Energy sold on an exchange (e.g. the green board) at an escalating price."""

    price_per_kwh: ArrayLike
    """Price in operating year 1. [cur/kWh]"""
    escalation_rate: ArrayLike
    """Yearly escalation of the price. [fraction/year]"""
    fx: ArrayLike | None = None
    """Exchange-rate path of the price's currency; None: model currency."""


@dataclass(frozen=True, slots=True)
class RenewableObligation:
    """A duty to cover a rising share of consumption from renewables, or pay a penalty.

    In operating year t the share is min(max_share, first_share + step (t - 1)); the
    uncovered part of share x consumption is billed at the penalty tariff.
    """

    consumption_kwh: ArrayLike
    """The owner's consumption per operating year: a scalar, ``(N,)`` or
    ``(n_cases, N)``. [kWh]"""
    first_share: ArrayLike
    """Obligation share in operating year 1. [fraction]"""
    yearly_step: ArrayLike
    """Rise of the share each year. [fraction/year]"""
    max_share: ArrayLike
    """Final share. [fraction]"""
    penalty_price_per_kwh: ArrayLike
    """Penalty ("renewable") tariff in operating year 1. [cur/kWh]"""
    penalty_escalation_rate: ArrayLike
    """Escalation of the penalty tariff. [fraction/year]"""
    fx: ArrayLike | None = None
    """Exchange-rate path of the penalty tariff's currency; None: model currency."""


@dataclass(frozen=True, slots=True)
class SelfConsumption:
    """The owner uses the energy itself; the surplus is exported at a price."""

    self_consumed_fraction: ArrayLike
    """Share of each operating year's energy used on site: a scalar, ``(N,)`` or
    ``(n_cases, N)``, from the hourly load and production. [fraction]"""
    purchase_price_per_kwh: ArrayLike
    """The owner's tariff for grid electricity in operating year 1. [cur/kWh]"""
    purchase_escalation_rate: ArrayLike
    """Escalation of that tariff. [fraction/year]"""
    export_price_per_kwh: ArrayLike = 0.0
    """Price of exported surplus in operating year 1. [cur/kWh]"""
    export_escalation_rate: ArrayLike = 0.0
    """Escalation of the export price. [fraction/year]"""
    obligation: RenewableObligation | None = None
    """The renewable-energy obligation the plant helps meet; None: none."""
    purchase_fx: ArrayLike | None = None
    """Exchange-rate path of the purchase tariff's currency; None: model currency."""
    export_fx: ArrayLike | None = None
    """Exchange-rate path of the export price's currency; None: model currency."""


#: The revenue schemes :func:`~solarcase.finance.revenue.revenue_streams` knows.
RevenueScheme = EscalatingTariff | GuaranteedPurchase | MarketSale | SelfConsumption


def contract_term(contract_years: int | None, *, n_years: int) -> int:
    """The contract term T in operating years; the whole analysis when None.

    Raises
    ------
    FinanceError
        If the contract is longer than the analysis.

    Examples
    --------
    >>> contract_term(None, n_years=25), contract_term(20, n_years=25)
    (25, 20)
    """
    term = n_years if contract_years is None else contract_years
    if term > n_years:
        raise FinanceError(
            f"tariff contract_years: {term} is longer than the analysis of {n_years} "
            "years; shorten the contract or lengthen analysis_years"
        )
    return term


def escalating_tariff_prices(
    tariff: EscalatingTariff, *, n_years: int
) -> tuple[FloatArray, FloatArray]:
    """Contract price and after-contract price of an escalating tariff, years 0..N.

    Parameters
    ----------
    tariff : EscalatingTariff
        The revenue scheme.
    n_years : int
        Operating years N.

    Returns
    -------
    contract_per_kwh, after_contract_per_kwh : numpy.ndarray
        Each ``(n_cases, N + 1)`` and 0 outside its years (year 0, construction,
        is 0 in both); their sum is the price of each year's energy. [cur/kWh]

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
    escalation e is p(1 + e)^(t-1) in operating year t); a price in a foreign
    currency is converted at the year's rate afterwards.

    Examples
    --------
    A 100/kWh contract escalating 10 %/year for 2 years, then 50/kWh (year-1 money)
    escalating 20 %/year: year 3 is 50 * 1.2^2 = 72.

    >>> tariff = EscalatingTariff(100.0, 0.10, 2, 50.0, 0.20)
    >>> [row.round(6) for row in escalating_tariff_prices(tariff, n_years=3)]
    [array([[  0., 100., 110.,   0.]]), array([[ 0.,  0.,  0., 72.]])]
    """
    if not isinstance(tariff, EscalatingTariff):
        raise TypeError(f"not an escalating tariff: {type(tariff).__name__}")
    term = contract_term(tariff.contract_years, n_years=n_years)
    contract = escalated(
        tariff.price_per_kwh,
        tariff.escalation_rate,
        tariff.fx,
        n_years=n_years,
        base_year=1,
        name="price_per_kwh",
    )
    later = escalated(
        tariff.price_after_contract_per_kwh,
        tariff.escalation_after_contract_rate,
        tariff.after_contract_fx,
        n_years=n_years,
        base_year=1,
        name="price_per_kwh",
    )
    return _split_at_term(contract, later, term, n_years)


def _split_at_term(
    contract: FloatArray, later: FloatArray, term: int, n_years: int
) -> tuple[FloatArray, FloatArray]:
    """The contract price in years 1..T and the later price in T + 1..N, each 0
    in the other years."""
    years = year_index(n_years)
    contract, later = np.broadcast_arrays(contract, later)
    return (
        np.where((years >= 1) & (years <= term), contract, 0.0),
        np.where(years > term, later, 0.0),
    )


def indexation_coefficient(
    alpha: ArrayLike,
    *,
    cpi_inflation_rate: ArrayLike,
    official_eur_path: ArrayLike,
    alpha_weights: Literal["cpi", "eur"] = "cpi",
    n_years: int,
) -> FloatArray:
    """The SATBA adjustment coefficient K_t for operating years 1..N (0 in year 0).

    Parameters
    ----------
    alpha : float or numpy.ndarray
        Weight chosen at signature. [fraction]
    cpi_inflation_rate : float or numpy.ndarray
        Yearly CPI rise i. [fraction/year]
    official_eur_path : numpy.ndarray
        Official EUR rate in years 0..N, ``(N + 1,)`` or ``(n_cases, N + 1)``.
        [cur/EUR]
    alpha_weights : {'cpi', 'eur'}
        Which term alpha multiplies.
    n_years : int
        Operating years N.

    Returns
    -------
    coefficient : numpy.ndarray
        Shape ``(n_cases, N + 1)``. [-]

    Notes
    -----
    SATBA's billing guide builds K from the CPI at the start of the payment year
    over the CPI at the start of commercial operation, and the average official EUR
    rate over the year before payment over that of the year before operation:
    K_t = w CPI_(t-1)/CPI_0 + (1 - w) EUR_(t-1)/EUR_0, with CPI_k = (1 + i)^k and
    w = alpha ('cpi') or 1 - alpha ('eur'). Year 1 pays K_1 = 1. SATBA rounds K to
    five decimals; we do not.

    Examples
    --------
    alpha 0.3 on CPI rising 40 %/year; EUR 100, 150, 225 (+50 %/year): K_2 =
    0.3 x 1.4 + 0.7 x 1.5 = 1.47; K_3 = 0.3 x 1.96 + 0.7 x 2.25 = 2.163.

    >>> indexation_coefficient(0.3, cpi_inflation_rate=0.4,
    ...     official_eur_path=[100.0, 150.0, 225.0, 337.5], n_years=3).round(6)
    array([[0.   , 1.   , 1.47 , 2.163]])
    """
    eur = as_year_path(official_eur_path, n_years=n_years, name="official EUR rate")
    years = year_index(n_years)
    previous = np.maximum(years - 1, 0).astype(int)[0]
    eur_ratio = eur[:, previous] / eur[:, :1]
    cpi_ratio = escalation_factors(cpi_inflation_rate, n_years=n_years)  # (1 + i)^(t-1)
    weight = as_case_column(alpha, name="alpha")
    if alpha_weights == "eur":
        weight = 1.0 - weight
    coefficient = weight * cpi_ratio + (1.0 - weight) * eur_ratio
    return np.where(years >= 1, coefficient, 0.0)


def step_down_factors(
    years: tuple[int, ...],
    factors: tuple[float, ...],
    *,
    mode: Literal["cumulative", "absolute"],
    n_years: int,
) -> FloatArray:
    """The step-down factor S_t of each year 0..N, shape ``(1, N + 1)``.

    Notes
    -----
    'cumulative': S_t is the product of the factors whose year is <= t (three steps
    of 0.6 leave 0.216); 'absolute': S_t is the factor of the latest step year <= t
    (three steps of 0.6 leave 0.6). Before the first step S_t = 1. The SATBA decree
    says "a three-step reduction ... at the beginning of the 8th, 12th and 16th
    years ... equal to 60 %" without saying which: both readings are offered.

    Examples
    --------
    >>> step_down_factors((2, 3), (0.5, 0.5), mode="cumulative", n_years=3)
    array([[1.  , 1.  , 0.5 , 0.25]])
    >>> step_down_factors((2, 3), (0.5, 0.8), mode="absolute", n_years=3)
    array([[1. , 1. , 0.5, 0.8]])
    """
    row = year_index(n_years)
    factor = np.ones_like(row)
    for year, value in zip(years, factors, strict=True):
        reached = row >= year
        factor = np.where(
            reached, factor * value if mode == "cumulative" else value, factor
        )
    return factor


def guaranteed_purchase_prices(
    scheme: GuaranteedPurchase, *, n_years: int
) -> tuple[FloatArray, FloatArray]:
    """Contract price and after-term price of each year 0..N, zero outside their
    years; both ``(n_cases, N + 1)``. [cur/kWh]

    Examples
    --------
    Base 100, alpha 0.3 on CPI (+40 %) and EUR (+50 %); a 0.5 step-down from year 3;
    a 2-year contract, then 80 flat: year 2 pays 100 x 1.47 = 147, year 3 80.

    >>> scheme = GuaranteedPurchase(100.0, 0.3, [1.0, 1.5, 2.25, 3.375], 0.4,
    ...     contract_years=2, price_after_contract_per_kwh=80.0)
    >>> [row.round(6) for row in guaranteed_purchase_prices(scheme, n_years=3)]
    [array([[  0., 100., 147.,   0.]]), array([[ 0.,  0.,  0., 80.]])]
    """
    term = contract_term(scheme.contract_years, n_years=n_years)
    coefficient = indexation_coefficient(
        scheme.alpha,
        cpi_inflation_rate=scheme.cpi_inflation_rate,
        official_eur_path=scheme.official_eur_path,
        alpha_weights=scheme.alpha_weights,
        n_years=n_years,
    )
    steps = step_down_factors(
        scheme.step_down_years,
        scheme.step_down_factors,
        mode=scheme.step_down_mode,
        n_years=n_years,
    )
    base = as_case_column(scheme.base_price_per_kwh, name="base_price_per_kwh")
    contract = foreign_amounts(base * coefficient * steps, scheme.fx)
    later = escalated(
        scheme.price_after_contract_per_kwh,
        scheme.escalation_after_contract_rate,
        scheme.after_contract_fx,
        n_years=n_years,
        base_year=1,
        name="price_per_kwh",
    )
    return _split_at_term(contract, later, term, n_years)
