"""Solved values: the tariff, capex and debt that meet a target, for every case.

Each is a root of a monotone function of one input, found by :func:`find_root`, a
vectorised regula falsi (Illinois variant) on a bracket that is widened until it
holds the root. Every function evaluation is one pass of the cash flow over all
cases, so 10,000 Monte Carlo draws cost a few dozen passes, not 10,000 searches:

- :func:`breakeven_price_factor`: the factor on the scheme's main price (contract,
  market or avoided-purchase price) that makes the project NPV zero;
- :func:`capex_for_equity_irr`: the year-0 capex at which the equity NPV at the
  target rate is zero, i.e. the equity IRR equals the target;
- :func:`debt_for_dscr`: the largest loan whose lowest DSCR equals the target, with
  the scenario's loan terms (a sculpted loan: the amount the target supports before
  the gearing and cost caps).

No file or network I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.finance.cashflow import CashFlowInputs, CashFlowTable, cash_flow
from solarcase.finance.debt import SculptedLoan, loan_life, sculpted_schedule
from solarcase.finance.rates import as_case_column, npv, per_case

FloatArray = NDArray[np.float64]

__all__ = [
    "SolvedValues",
    "breakeven_price_factor",
    "capex_for_equity_irr",
    "debt_for_dscr",
    "find_root",
    "solve_targets",
]


def find_root(
    function: Callable[[FloatArray], FloatArray],
    low: ArrayLike,
    high: ArrayLike,
    *,
    increasing: bool,
    floor: float = -np.inf,
    ceiling: float = np.inf,
    abs_tol: float = 1e-9,
    max_iter: int = 100,
    f_low: ArrayLike | None = None,
    f_high: ArrayLike | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Roots of a monotone function of one variable per case, all cases at once.

    Parameters
    ----------
    function : callable
        Maps x of shape ``(n_cases,)`` to f(x) of the same shape, monotone in x.
    low, high : float or numpy.ndarray
        Starting bracket; widened (doubling its width, within [floor, ceiling])
        until f changes sign across it.
    increasing : bool
        Whether f rises with x (which end to widen).
    floor, ceiling : float
        Hard limits of x.
    abs_tol : float
        Stop when |f(x)| <= abs_tol. [units of f]
    max_iter : int
        Most bracket widenings, and most regula-falsi steps.
    f_low, f_high : float or numpy.ndarray, optional
        f(low) and f(high) when the caller already knows them (each saves one
        evaluation); None: evaluated here. [units of f]

    Returns
    -------
    x : numpy.ndarray
        The roots; NaN where no sign change lies within [floor, ceiling].
    found : numpy.ndarray of bool
        Where |f(x)| <= abs_tol or the bracket shrank to the float resolution.

    Notes
    -----
    Illinois algorithm: the secant through the bracket ends gives the next point;
    the end that stays twice in a row has its f halved, which keeps superlinear
    convergence where plain regula falsi stalls. A step outside the bracket falls
    back to bisection.

    Examples
    --------
    >>> x, ok = find_root(lambda x: x**3 - 8.0, np.array([0.0, 0.0]),
    ...     np.array([1.0, 1.0]), increasing=True)
    >>> x.round(9), ok
    (array([2., 2.]), array([ True,  True]))
    """
    lo = np.array(low, dtype=float, ndmin=1)
    hi = np.array(high, dtype=float, ndmin=1)
    lo, hi = np.broadcast_arrays(lo, hi)
    lo, hi = lo.copy(), hi.copy()
    f_lo = function(lo) if f_low is None else np.array(f_low, dtype=float, ndmin=1)
    f_hi = function(hi) if f_high is None else np.array(f_high, dtype=float, ndmin=1)
    sign = 1.0 if increasing else -1.0
    for _ in range(max_iter):
        low_too_high = sign * f_lo > 0  # the root lies below lo
        high_too_low = sign * f_hi < 0  # the root lies above hi
        if not (low_too_high | high_too_low).any():
            break
        width = hi - lo
        new_lo = np.where(low_too_high, np.maximum(lo - 2 * width, floor), lo)
        new_hi = np.where(high_too_low, np.minimum(hi + 2 * width, ceiling), hi)
        stuck = (low_too_high & (new_lo == lo)) | (high_too_low & (new_hi == hi))
        moved_lo, moved_hi = new_lo != lo, new_hi != hi
        if moved_lo.any():
            f_lo = np.where(moved_lo, function(new_lo), f_lo)
        if moved_hi.any():
            f_hi = np.where(moved_hi, function(new_hi), f_hi)
        lo, hi = new_lo, new_hi
        if stuck.all():
            break
    bracketed = (f_lo * f_hi <= 0) & np.isfinite(f_lo) & np.isfinite(f_hi)
    a, b, fa, fb = lo, hi, f_lo, f_hi
    done = ~bracketed | (np.abs(fb) <= abs_tol)
    # the end with |f| <= tol may be lo
    at_a = bracketed & (np.abs(fa) <= abs_tol)
    b, fb = np.where(at_a, a, b), np.where(at_a, fa, fb)
    done |= at_a
    for _ in range(max_iter):
        if done.all():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            c = b - fb * (b - a) / (fb - fa)
        inside = np.isfinite(c) & (c > np.minimum(a, b)) & (c < np.maximum(a, b))
        c = np.where(inside, c, 0.5 * (a + b))
        c = np.where(done, b, c)
        fc = function(c)
        crossed = fb * fc < 0
        a, fa = np.where(crossed, b, a), np.where(crossed, fb, fa / 2.0)
        update = ~done
        b, fb = np.where(update, c, b), np.where(update, fc, fb)
        tight = np.abs(b - a) <= 4e-16 * np.maximum(np.abs(a), np.abs(b))
        done |= (np.abs(fb) <= abs_tol) | tight
    found = bracketed & done
    return np.where(found, b, np.nan), found


def _base_table(
    energy_kwh: ArrayLike, inputs: CashFlowInputs, table: CashFlowTable | None
) -> CashFlowTable:
    """The cash flow of the inputs as given: the caller's, or built here."""
    return cash_flow(energy_kwh, inputs) if table is None else table


def breakeven_price_factor(
    energy_kwh: ArrayLike,
    inputs: CashFlowInputs,
    *,
    abs_tol: float = 0.1,
    table: CashFlowTable | None = None,
) -> FloatArray:
    """The factor on the main price that makes the project NPV zero, per case.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        As for :func:`~solarcase.finance.cashflow.cash_flow`. [kWh]
    inputs : CashFlowInputs
        The scenario; its ``price_factor`` is replaced.
    abs_tol : float
        Largest |NPV| accepted at the root. [cur]
    table : CashFlowTable, optional
        ``cash_flow(energy_kwh, inputs)`` if the caller has it (saves passes);
        None: built here.

    Returns
    -------
    factor : numpy.ndarray
        Shape ``(n_cases,)``; NaN where no factor gives NPV = 0. [-]

    Notes
    -----
    The NPV rises with the price: revenue is linear in it and tax takes at most
    the tax rate of each extra unit. The search may go below 0 (a plant whose
    other income covers its costs).

    Examples
    --------
    Capex 100, 100 kWh in year 1, d = 10 %: NPV = 0 at a price of 1.1.

    >>> from solarcase.finance.tariff import EscalatingTariff
    >>> inputs = CashFlowInputs(analysis_years=1, capex=100.0,
    ...     tariff=EscalatingTariff(1.0, 0.0), discount_rate_nominal=0.1,
    ...     inflation_rate=0.0)
    >>> breakeven_price_factor(np.array([[100.0]]), inputs).round(9)
    array([1.1])
    """
    base = _base_table(energy_kwh, inputs, table)
    rate = inputs.discount_rate_nominal

    def project_npv(factor: FloatArray) -> FloatArray:
        trial = cash_flow(energy_kwh, dataclasses.replace(inputs, price_factor=factor))
        return npv(trial.project_fcf, discount_rate=rate)

    # the search's upper end, factor 1, is the table as given when its factor is 1
    as_given = bool(np.all(np.asarray(inputs.price_factor) == 1.0))
    factor, _ = find_root(
        project_npv,
        np.zeros(base.n_cases),
        np.ones(base.n_cases),
        increasing=True,
        abs_tol=abs_tol,
        f_high=npv(base.project_fcf, discount_rate=rate) if as_given else None,
    )
    return factor


def capex_for_equity_irr(
    energy_kwh: ArrayLike,
    inputs: CashFlowInputs,
    *,
    target_equity_irr: ArrayLike,
    abs_tol: float = 0.1,
    table: CashFlowTable | None = None,
) -> FloatArray:
    """The year-0 capex at which the equity IRR equals a target, per case.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        As for :func:`~solarcase.finance.cashflow.cash_flow`. [kWh]
    inputs : CashFlowInputs
        The scenario; its capex is scaled.
    target_equity_irr : float or numpy.ndarray
        Nominal target. [fraction/year]
    abs_tol : float
        Largest |equity NPV at the target| accepted. [cur]
    table : CashFlowTable, optional
        ``cash_flow(energy_kwh, inputs)`` if the caller has it; None: built here.

    Returns
    -------
    capex : numpy.ndarray
        Shape ``(n_cases,)``; NaN where even a plant that cost nothing would miss
        the target. [cur]

    Notes
    -----
    Capex C becomes k C; what is tied to it moves with it (insurance as a share
    of capex, a loan as a share of capex, the depreciation basis). Later costs
    stated as amounts (replacements, decommissioning) stay as given. The root is
    where the equity NPV at the target rate is 0, which for an invest-then-earn
    equity flow is where the equity IRR equals the target.
    """
    given = _base_table(energy_kwh, inputs, table)
    base = per_case(inputs.capex, given.n_cases)

    def equity_npv(scale: FloatArray) -> FloatArray:
        trial = cash_flow(energy_kwh, dataclasses.replace(inputs, capex=base * scale))
        return npv(trial.equity_fcf, discount_rate=target_equity_irr)

    scale, _ = find_root(
        equity_npv,
        np.zeros_like(base),
        np.ones_like(base),
        increasing=False,
        floor=0.0,
        abs_tol=abs_tol,
        # scale 1 is the capex as given
        f_high=npv(given.equity_fcf, discount_rate=target_equity_irr),
    )
    return base * scale


def _coverage_gap(table: CashFlowTable, target: ArrayLike, life: int) -> FloatArray:
    """min over the loan's years 1..life of CFADS - target x service (>= 0: every
    DSCR >= target; at a loan of 0 it is the lowest CFADS of those years)."""
    service = -table.debt_service[:, 1 : life + 1]
    gap = table.cfads[:, 1 : life + 1] - as_case_column(target) * service
    lowest: FloatArray = np.min(gap, axis=1)
    return lowest


def debt_for_dscr(
    energy_kwh: ArrayLike,
    inputs: CashFlowInputs,
    *,
    target_dscr: ArrayLike,
    table: CashFlowTable | None = None,
) -> FloatArray:
    """The largest loan whose lowest DSCR is the target, with the scenario's terms.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        As for :func:`~solarcase.finance.cashflow.cash_flow`. [kWh]
    inputs : CashFlowInputs
        The scenario, with a loan (its rate, tenor, grace and fee are kept).
    target_dscr : float or numpy.ndarray
        Lowest acceptable CFADS / debt service. [-]
    table : CashFlowTable, optional
        ``cash_flow(energy_kwh, inputs)`` if the caller has it; None: built here.

    Returns
    -------
    amount : numpy.ndarray
        Loan drawn at year 0, shape ``(n_cases,)``, between 0 and the cost less
        grants; NaN without a loan in the inputs. [cur]

    Notes
    -----
    Annuity and equal-principal loans: the share of capex f is searched on
    [0, (C - G)/C] so that min_t (CFADS_t - target x service_t) = 0 over the loan
    years (grace and repayment); that gap falls as the loan grows. With a CFADS
    below 0 in a loan year no loan meets the target: 0. A sculpted loan already has this
    size: the amount the target supports before the gearing and cost caps.
    """
    table = _base_table(energy_kwh, inputs, table)
    n_cases = table.n_cases
    loan = inputs.debt
    if loan is None:
        return np.full(n_cases, np.nan)
    capex = per_case(inputs.capex, n_cases)
    grants = per_case(inputs.grants, n_cases)
    if isinstance(loan, SculptedLoan):
        target_loan = dataclasses.replace(loan, target_dscr=target_dscr)
        _, wanted = sculpted_schedule(
            target_loan,
            table.cfads,
            capex=capex,
            grants=grants,
            n_years=inputs.analysis_years,
        )
        return per_case(wanted, n_cases)
    most = np.clip((capex - grants) / np.where(capex > 0, capex, 1.0), 0.0, 1.0)

    life = loan_life(loan, inputs.analysis_years)

    def gap(share: FloatArray) -> FloatArray:
        trial = dataclasses.replace(
            inputs, debt=dataclasses.replace(loan, capex_fraction=share)
        )
        return _coverage_gap(cash_flow(energy_kwh, trial), target_dscr, life)

    at_zero, at_most = gap(np.zeros(n_cases)), gap(most)
    share, _ = find_root(
        gap,
        np.zeros(n_cases),
        most,
        increasing=False,
        floor=0.0,
        ceiling=float(np.max(most)),
        abs_tol=1e-6 * float(np.max(np.abs(capex))),
        f_low=at_zero,
        f_high=at_most,
    )
    share = np.where(at_zero < 0, 0.0, np.where(at_most >= 0, most, share))
    return share * capex


@dataclass(frozen=True, slots=True)
class SolvedValues:
    """Solved inputs per case, arrays of shape ``(n_cases,)``."""

    breakeven_price_factor: FloatArray
    """Factor on the main price that gives project NPV = 0. [-]"""
    breakeven_price_per_kwh: FloatArray
    """The main price in operating year 1 at that factor (every later price moves in
    proportion). [cur/kWh]"""
    capex_for_target_equity_irr: FloatArray
    """Year-0 capex at which the equity IRR equals the target. [cur]"""
    debt_for_target_dscr: FloatArray
    """Loan the DSCR target supports with the scenario's terms; NaN without a
    loan. [cur]"""
    target_equity_irr: FloatArray
    """The equity IRR target used. [fraction/year]"""
    target_dscr: FloatArray
    """The DSCR target used. [-]"""
    notes: tuple[tuple[str, ...], ...]
    """For each case, why a value is missing."""


def solve_targets(
    energy_kwh: ArrayLike,
    inputs: CashFlowInputs,
    *,
    target_equity_irr: ArrayLike,
    target_dscr: ArrayLike,
    table: CashFlowTable | None = None,
) -> SolvedValues:
    """All three solved values, per case.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        As for :func:`~solarcase.finance.cashflow.cash_flow`. [kWh]
    inputs : CashFlowInputs
        The scenario.
    target_equity_irr : float or numpy.ndarray
        Nominal equity IRR target. [fraction/year]
    target_dscr : float or numpy.ndarray
        Lowest acceptable DSCR. [-]
    table : CashFlowTable, optional
        ``cash_flow(energy_kwh, inputs)`` if the caller has it (the pipeline
        does); None: built here. It serves all three searches.

    Returns
    -------
    solved : SolvedValues
    """
    table = _base_table(energy_kwh, inputs, table)
    n_cases = table.n_cases
    notes: list[list[str]] = [[] for _ in range(n_cases)]
    price_year1 = table.price_per_kwh[:, 1]
    factor = breakeven_price_factor(energy_kwh, inputs, table=table)
    factor = np.where(price_year1 != 0, factor, np.nan)
    for case in np.flatnonzero(np.isnan(factor)):
        notes[case].append(
            "breakeven price n/a: no price on the main revenue stream gives NPV = 0"
        )
    capex = capex_for_equity_irr(
        energy_kwh, inputs, target_equity_irr=target_equity_irr, table=table
    )
    for case in np.flatnonzero(np.isnan(capex)):
        notes[case].append(
            "capex for the target equity IRR n/a: even a free plant misses it"
        )
    # without loan terms there is no debt to size: NaN, and no note (not a caveat)
    debt = debt_for_dscr(energy_kwh, inputs, target_dscr=target_dscr, table=table)
    return SolvedValues(
        breakeven_price_factor=factor,
        breakeven_price_per_kwh=factor * price_year1,
        capex_for_target_equity_irr=capex,
        debt_for_target_dscr=debt,
        target_equity_irr=per_case(target_equity_irr, n_cases),
        target_dscr=per_case(target_dscr, n_cases),
        notes=tuple(tuple(case) for case in notes),
    )
