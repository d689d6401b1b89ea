"""Revenue by stream, and late payment of invoices (receivables).

:func:`revenue_streams` turns a revenue scheme (:mod:`solarcase.finance.tariff`) and
the energy of each year into named streams: energy sold under a contract, after it,
on a market, exported, and the savings of self-consumption (avoided purchases and
an avoided obligation penalty). Sales are invoiced to a buyer; savings are not.
:func:`collections` spreads each year's invoices over the years they are paid when a
share is paid k years late. Rows have shape ``(n_cases, N + 1)`` over years 0..N.
No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.currency import escalated
from solarcase.finance.rates import as_case_column, check_years, year_index
from solarcase.finance.tariff import (
    EscalatingTariff,
    GuaranteedPurchase,
    MarketSale,
    RenewableObligation,
    RevenueScheme,
    SelfConsumption,
    escalating_tariff_prices,
    guaranteed_purchase_prices,
)

FloatArray = NDArray[np.float64]

__all__ = [
    "LatePayment",
    "Receivables",
    "RevenueStreams",
    "collections",
    "obligation_shares",
    "revenue_streams",
]


@dataclass(frozen=True, slots=True)
class RevenueStreams:
    """Revenue of each stream over years 0..N, each ``(n_cases, N + 1)``."""

    price_per_kwh: FloatArray
    """The scheme's main price: contract (indexed, stepped) or after-contract
    price, market price, or the purchase tariff under self-consumption. [cur/kWh]"""
    self_consumed_kwh: FloatArray
    """Energy used on site (self-consumption). [kWh]"""
    exported_kwh: FloatArray
    """Energy exported (self-consumption surplus). [kWh]"""
    sales_contract: FloatArray
    """Energy sold under a contract (tariff or guaranteed purchase). [cur]"""
    sales_after_contract: FloatArray
    """Energy sold after the contract. [cur]"""
    sales_market: FloatArray
    """Energy sold on a market. [cur]"""
    sales_export: FloatArray
    """Surplus exported under self-consumption. [cur]"""
    savings_purchases: FloatArray
    """Purchases avoided by self-consumption. [cur]"""
    savings_obligation: FloatArray
    """Renewable-obligation penalty avoided. [cur]"""

    @property
    def invoiced(self) -> FloatArray:
        """Sales invoiced to a buyer (subject to late payment). [cur]"""
        return (
            self.sales_contract
            + self.sales_after_contract
            + self.sales_market
            + self.sales_export
        )

    @property
    def total(self) -> FloatArray:
        """Every stream: invoiced sales plus savings. [cur]"""
        return self.invoiced + self.savings_purchases + self.savings_obligation


def _per_year(value: ArrayLike, *, n_years: int, name: str) -> FloatArray:
    """A scalar, ``(N,)`` or ``(n_cases, N)`` yearly input as years 0..N (0 first)."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        row = np.full((1, n_years), float(array))
    elif array.ndim == 1 and array.shape[0] == n_years:
        row = array.reshape(1, -1)
    elif array.ndim == 2 and array.shape[1] == n_years:
        row = array
    else:
        raise FinanceError(
            f"{name}: expected a scalar or one value per operating year "
            f"({n_years}), got shape {array.shape}"
        )
    return np.concatenate([np.zeros((row.shape[0], 1)), row], axis=1)


def obligation_shares(rule: RenewableObligation, *, n_years: int) -> FloatArray:
    """Obligation share of each year 0..N: min(max, first + step (t - 1)); 0 in year 0.

    Examples
    --------
    5 % rising 5 points a year to 20 %:

    >>> obligation_shares(RenewableObligation(1.0, 0.05, 0.05, 0.20, 1.0, 0.0),
    ...     n_years=5).round(2)
    array([[0.  , 0.05, 0.1 , 0.15, 0.2 , 0.2 ]])
    """
    years = year_index(n_years)
    share = as_case_column(rule.first_share, name="first_share") + as_case_column(
        rule.yearly_step, name="yearly_step"
    ) * (years - 1.0)
    share = np.minimum(share, as_case_column(rule.max_share, name="max_share"))
    return np.where(years >= 1, np.maximum(share, 0.0), 0.0)


def revenue_streams(
    scheme: RevenueScheme,
    energy_row: FloatArray,
    *,
    n_years: int,
    price_factor: ArrayLike = 1.0,
) -> RevenueStreams:
    """Revenue of each stream for years 0..N.

    Parameters
    ----------
    scheme : RevenueScheme
        One of the schemes of :mod:`solarcase.finance.tariff`.
    energy_row : numpy.ndarray
        Energy delivered in years 0..N (0 in year 0), ``(n_cases, N + 1)``. [kWh]
    n_years : int
        Operating years N.
    price_factor : float or numpy.ndarray
        Multiplies the scheme's main price (contract price, market price, or the
        purchase tariff), for breakeven searches; 1 as given. [-]

    Returns
    -------
    streams : RevenueStreams

    Notes
    -----
    - Escalating tariff: contract sales E_t p_t within the term, then E_t p_a,t.
    - Guaranteed purchase: contract sales E_t f_tod p_t with p_t = base K_t S_t
      (:func:`~solarcase.finance.tariff.guaranteed_purchase_prices`), then
      E_t p_a,t; the time-of-day factor applies to contract sales only.
    - Market sale: E_t p_t.
    - Self-consumption: with s_t the self-consumed share, savings E_t s_t p_buy,t,
      export E_t (1 - s_t) p_export,t, and, with an obligation of share o_t of
      consumption L_t, an avoided penalty p_pen,t min(o_t L_t, E_t): every kWh the
      plant makes counts toward the obligation, up to the obligation itself.

    Examples
    --------
    >>> streams = revenue_streams(MarketSale(2.0, 0.0), np.array([[0.0, 10.0]]),
    ...     n_years=1)
    >>> streams.sales_market, streams.total
    (array([[ 0., 20.]]), array([[ 0., 20.]]))
    """
    factor = as_case_column(price_factor, name="price_factor")
    zero = np.zeros_like(energy_row)
    rows = {
        "self_consumed_kwh": zero,
        "exported_kwh": zero,
        "sales_contract": zero,
        "sales_after_contract": zero,
        "sales_market": zero,
        "sales_export": zero,
        "savings_purchases": zero,
        "savings_obligation": zero,
    }
    years = year_index(n_years)
    if isinstance(scheme, EscalatingTariff | GuaranteedPurchase):
        if isinstance(scheme, EscalatingTariff):
            contract, later = escalating_tariff_prices(scheme, n_years=n_years)
            sold = energy_row
        else:
            contract, later = guaranteed_purchase_prices(scheme, n_years=n_years)
            # the time-of-day weighting applies to contract sales only
            tod = as_case_column(scheme.time_of_day_factor, name="time_of_day_factor")
            sold = energy_row * tod
        contract = contract * factor
        rows["sales_contract"] = sold * contract
        rows["sales_after_contract"] = energy_row * later
        price = contract + later
    elif isinstance(scheme, MarketSale):
        price = escalated(
            scheme.price_per_kwh,
            scheme.escalation_rate,
            scheme.fx,
            n_years=n_years,
            base_year=1,
            name="price_per_kwh",
        )
        price = np.where(years >= 1, price * factor, 0.0)
        rows["sales_market"] = energy_row * price
    elif isinstance(scheme, SelfConsumption):
        price = _self_consumption(scheme, energy_row, rows, factor, n_years)
    else:
        raise TypeError(f"unknown revenue scheme {type(scheme).__name__}")
    shape = np.broadcast_shapes(*(r.shape for r in rows.values()), price.shape)
    rows = {k: np.broadcast_to(v, shape) + 0.0 for k, v in rows.items()}
    return RevenueStreams(price_per_kwh=np.broadcast_to(price, shape) + 0.0, **rows)


def _self_consumption(
    scheme: SelfConsumption,
    energy_row: FloatArray,
    rows: dict[str, FloatArray],
    factor: FloatArray,
    n_years: int,
) -> FloatArray:
    """Fill the self-consumption rows; return the purchase tariff row."""
    years = year_index(n_years)
    share = _per_year(
        scheme.self_consumed_fraction, n_years=n_years, name="self_consumed_fraction"
    )
    if ((share < 0) | (share > 1)).any():
        raise FinanceError("self_consumed_fraction: every share must lie in [0, 1]")
    used, exported = energy_row * share, energy_row * (1.0 - share)
    buy = escalated(
        scheme.purchase_price_per_kwh,
        scheme.purchase_escalation_rate,
        scheme.purchase_fx,
        n_years=n_years,
        base_year=1,
        name="price_per_kwh",
    )
    buy = np.where(years >= 1, buy * factor, 0.0)
    sell = escalated(
        scheme.export_price_per_kwh,
        scheme.export_escalation_rate,
        scheme.export_fx,
        n_years=n_years,
        base_year=1,
        name="price_per_kwh",
    )
    rows["self_consumed_kwh"], rows["exported_kwh"] = (
        used,
        np.where(years >= 1, exported, 0.0),
    )
    rows["savings_purchases"] = used * buy
    rows["sales_export"] = rows["exported_kwh"] * sell
    rule = scheme.obligation
    if rule is not None:
        consumption = _per_year(
            rule.consumption_kwh, n_years=n_years, name="obligation consumption_kwh"
        )
        penalty = escalated(
            rule.penalty_price_per_kwh,
            rule.penalty_escalation_rate,
            rule.fx,
            n_years=n_years,
            base_year=1,
            name="price_per_kwh",
        )
        covered = np.minimum(
            obligation_shares(rule, n_years=n_years) * consumption, energy_row
        )
        rows["savings_obligation"] = np.where(years >= 1, covered * penalty, 0.0)
    return buy


@dataclass(frozen=True, slots=True)
class LatePayment:
    """A share of each year's invoices paid some years late.

    The state buyer pays within its budget and records the rest as debt, so a share
    of the invoice of year t arrives in year t + k, without interest.
    """

    share: ArrayLike
    """Share of each year's invoiced sales paid late. [fraction]"""
    delay_years: int
    """How many years late that share is paid, k >= 1. [years]"""
    unpaid_at_end: Literal["collected", "lost"] = "collected"
    """What happens to invoices still unpaid at the end of year N: 'collected' in
    year N, or 'lost' (written off in year N as a deductible bad debt)."""

    def __post_init__(self) -> None:
        check_years(self.delay_years, name="late payment delay_years")
        if self.unpaid_at_end not in ("collected", "lost"):
            raise FinanceError(
                "late payment unpaid_at_end: must be 'collected' or 'lost', got "
                f"{self.unpaid_at_end!r}"
            )


@dataclass(frozen=True, slots=True)
class Receivables:
    """Cash effect of late payment, each row ``(n_cases, N + 1)``."""

    change: FloatArray
    """Cash received less invoiced: negative while receivables grow. [cur]"""
    balance: FloatArray
    """Invoices not yet paid at the end of each year. [cur]"""
    bad_debt: FloatArray
    """Receivables written off at the end (negative; a tax deduction, not a cash
    flow: the cash never arrived). [cur]"""


def collections(invoiced: FloatArray, late: LatePayment | None) -> Receivables:
    """Cash received from each year's invoices when a share is paid late.

    Parameters
    ----------
    invoiced : numpy.ndarray
        Invoiced sales for years 0..N, ``(n_cases, N + 1)``. [cur]
    late : LatePayment or None
        The late-payment rule; None: every invoice is paid in its year.

    Returns
    -------
    receivables : Receivables

    Notes
    -----
    With share s and delay k, cash_t = (1 - s) I_t + s I_(t-k); the balance at the
    end of year t is the sum of s I_j for t - k < j <= t. At the end of year N the
    balance is collected (cash_N gains it) or written off (bad debt -B_N in year
    N; revenue was taxed when invoiced, so the write-off is deductible).

    Examples
    --------
    Invoices 100 a year for 3 years, 30 % paid 2 years late, the rest lost:
    cash 70, 70, 100 (70 + 30 from year 1); balance 30, 60, 60 -> written off.

    >>> r = collections(np.array([[0.0, 100, 100, 100]]), LatePayment(0.3, 2, "lost"))
    >>> r.change
    array([[  0., -30., -30.,   0.]])
    >>> r.balance, r.bad_debt
    (array([[ 0., 30., 60.,  0.]]), array([[  0.,   0.,   0., -60.]]))
    """
    zeros = np.zeros_like(invoiced)
    if late is None:
        return Receivables(zeros, zeros, zeros)
    share = as_case_column(late.share, name="late payment share")
    k = late.delay_years
    n_cols = invoiced.shape[1]
    delayed = share * invoiced
    arriving = np.zeros_like(delayed)
    if k < n_cols:
        arriving[:, k:] = delayed[:, : n_cols - k]
    change = arriving - delayed
    balance = np.cumsum(delayed - arriving, axis=1)
    outstanding = balance[:, -1:].copy()
    last = np.arange(n_cols) == n_cols - 1
    bad_debt = np.zeros_like(balance)
    if late.unpaid_at_end == "collected":
        change = change + np.where(last, outstanding, 0.0)
    else:
        bad_debt = np.where(last, -outstanding, 0.0)
    balance = np.where(last, 0.0, balance)
    return Receivables(change + 0.0, balance + 0.0, bad_debt + 0.0)
