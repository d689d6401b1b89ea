"""Investment metrics from the cash-flow table: NPV, IRR, MIRR, LCOE, payback, DSCR,
LLCR.

Every function works on arrays of shape ``(n_cases, N + 1)`` over years 0..N and
returns one value per case, so 10,000 Monte Carlo draws cost one pass. A metric that
cannot exist is NaN, never an exception, and :class:`FinancialMetrics` says why in
``notes`` (DESIGN.md: no debt, no DSCR; flows that never turn positive, no IRR).

The IRR comes from :mod:`solarcase.finance.irr`, which solves all cases at once
(numpy-financial's ``irr`` is 1-D only), DSCR and LLCR from
:mod:`solarcase.finance.coverage`, and NPV from :mod:`solarcase.finance.rates`
(the coverage ratios discount with it too); all are re-exported here. No file or
network I/O.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import CashFlowInputs, CashFlowTable
from solarcase.finance.coverage import dscr, llcr
from solarcase.finance.debt import loan_life
from solarcase.finance.irr import IrrOutcome, irr, solve_irr_pair
from solarcase.finance.rates import (
    discount_factors,
    npv,
    per_case,
    real_from_nominal,
)

FloatArray = NDArray[np.float64]

__all__ = [
    "FinancialMetrics",
    "dscr",
    "irr",
    "lcoe_costs",
    "lcoe_nominal_per_kwh",
    "lcoe_real_per_kwh",
    "llcr",
    "metrics",
    "mirr",
    "npv",
    "payback_years",
]


@dataclass(frozen=True, slots=True)
class FinancialMetrics:
    """Headline metrics, one value per case: read-only arrays of shape (n_cases,)."""

    npv: FloatArray
    """Project NPV: unlevered after-tax flows at the nominal discount rate, year 0
    undiscounted. [cur]"""
    equity_npv: FloatArray
    """Equity NPV: levered flows at the same nominal discount rate. [cur]"""
    project_irr: FloatArray
    """IRR of the project (unlevered after-tax) flows; NaN if none. [fraction/year]"""
    equity_irr: FloatArray
    """IRR of the equity flows; equals the project IRR without debt. [fraction/year]"""
    lcoe_nominal_per_kwh: FloatArray
    """Discounted pre-tax unlevered costs / discounted energy, both at the nominal
    rate. [cur/kWh]"""
    lcoe_real_per_kwh: FloatArray
    """The same costs / energy discounted at the real rate: a constant price in
    year-0 money. [cur/kWh]"""
    simple_payback_years: FloatArray
    """Years until the cumulative project flow reaches 0, interpolated; NaN: never.
    [years]"""
    discounted_payback_years: FloatArray
    """The same on discounted flows; NaN: never. [years]"""
    min_dscr: FloatArray
    """Lowest CFADS / debt service over the loan years; NaN without debt. [-]"""
    avg_dscr: FloatArray
    """Mean of the yearly DSCRs over the loan years; NaN without debt. [-]"""
    project_irr_real: FloatArray
    """Project IRR in year-0 money: (1 + IRR)/(1 + inflation) - 1. [fraction/year]"""
    equity_irr_real: FloatArray
    """Equity IRR in year-0 money. [fraction/year]"""
    project_mirr: FloatArray
    """Modified IRR of the project flows (finance and reinvestment rates as
    given; NaN without both signs). [fraction/year]"""
    equity_mirr: FloatArray
    """Modified IRR of the equity flows. [fraction/year]"""
    llcr: FloatArray
    """Loan-life coverage ratio: CFADS over the loan life discounted at the loan
    rate, over the debt at the start of operation; NaN without debt. [-]"""
    notes: tuple[tuple[str, ...], ...]
    """For each case, why a metric is missing or needs a caveat."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def lcoe_nominal_per_kwh(
    costs: ArrayLike, energy_kwh: ArrayLike, *, discount_rate_nominal: ArrayLike
) -> FloatArray:
    """Levelised cost of energy in current money (nominal LCOE).

    Parameters
    ----------
    costs : numpy.ndarray
        Costs as positive numbers for years 0..N, shape ``(n_cases, N + 1)``. [cur]
    energy_kwh : numpy.ndarray
        Energy for years 0..N (0 in year 0), same shape. [kWh]
    discount_rate_nominal : float or numpy.ndarray
        Nominal discount rate. [fraction/year]

    Returns
    -------
    lcoe_per_kwh : numpy.ndarray
        sum_t C_t/(1 + d_n)^t / sum_t E_t/(1 + d_n)^t, shape ``(n_cases,)``; NaN
        when the discounted energy is 0. [cur/kWh]

    Notes
    -----
    The constant nominal price that recovers the discounted costs (Short, Packey &
    Holt 1995, NREL/TP-462-5173, section 4.2).

    Examples
    --------
    Cost 100 now and 10 in year 1; 100 kWh in year 1; d = 10 %:
    (100 + 10/1.1) / (100/1.1) = (110 + 10) / 100 = 1.2 per kWh.

    >>> lcoe_nominal_per_kwh(np.array([[100.0, 10.0]]), np.array([[0.0, 100.0]]),
    ...     discount_rate_nominal=0.1).round(10)
    array([1.2])
    """
    return _levelised(costs, energy_kwh, discount_rate_nominal, discount_rate_nominal)


def lcoe_real_per_kwh(
    costs: ArrayLike,
    energy_kwh: ArrayLike,
    *,
    discount_rate_nominal: ArrayLike,
    inflation_rate: ArrayLike,
) -> FloatArray:
    """Levelised cost of energy in constant year-0 money (real LCOE).

    Parameters
    ----------
    costs : numpy.ndarray
        Nominal costs as positive numbers for years 0..N, ``(n_cases, N + 1)``. [cur]
    energy_kwh : numpy.ndarray
        Energy for years 0..N (0 in year 0), same shape. [kWh]
    discount_rate_nominal : float or numpy.ndarray
        Nominal discount rate d_n. [fraction/year]
    inflation_rate : float or numpy.ndarray
        General inflation i. [fraction/year]

    Returns
    -------
    lcoe_per_kwh : numpy.ndarray
        Shape ``(n_cases,)``, in year-0 money; NaN when the discounted energy is
        0. [cur/kWh]

    Notes
    -----
    The real LCOE L_r is the price that, rising with inflation, recovers the same
    discounted costs: sum_t C_t/(1 + d_n)^t = sum_t L_r (1 + i)^t E_t/(1 + d_n)^t.
    Since (1 + d_n) = (1 + d_r)(1 + i) (Fisher), the right side is
    L_r sum_t E_t/(1 + d_r)^t, so L_r = PV_nominal(costs) / PV_real(energy): the
    nominal LCOE's numerator over energy discounted at the real rate (Short, Packey
    & Holt 1995). Never compare a real LCOE with a nominal price.

    Examples
    --------
    d_n = 21 %, i = 10 %, so d_r = 1.21/1.10 - 1 = 10 %. Cost 100 now; 110 kWh in
    year 1: PV costs 100; PV_real energy = 110/1.1 = 100; L_r = 1.0 in year-0 money
    (the nominal LCOE is 100 / (110/1.21) = 1.1, the year-1 price).

    >>> lcoe_real_per_kwh(np.array([[100.0, 0.0]]), np.array([[0.0, 110.0]]),
    ...     discount_rate_nominal=0.21, inflation_rate=0.10).round(10)
    array([1.])
    """
    real = real_from_nominal(discount_rate_nominal, inflation_rate)
    return _levelised(costs, energy_kwh, discount_rate_nominal, real)


def _levelised(
    costs: ArrayLike, energy: ArrayLike, rate_costs: ArrayLike, rate_energy: ArrayLike
) -> FloatArray:
    cost_pv = npv(costs, discount_rate=rate_costs)
    energy_pv = npv(energy, discount_rate=rate_energy)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(energy_pv > 0, cost_pv / energy_pv, np.nan)


def payback_years(cash_flows: ArrayLike) -> FloatArray:
    """Years until the cumulative cash flow first reaches 0, interpolated.

    Parameters
    ----------
    cash_flows : numpy.ndarray
        Shape ``(n_cases, N + 1)``, years 0..N; pass discounted flows for the
        discounted payback. [cur]

    Returns
    -------
    payback_years : numpy.ndarray
        Shape ``(n_cases,)``; NaN ("never") if the cumulative flow stays below 0
        through year N; 0 if it never is below 0. [years]

    Notes
    -----
    If the cumulative flow K first reaches 0 in year t, payback is
    (t - 1) + (-K_(t-1)) / v_t: the year's flow is taken to accrue evenly through
    the year. A later dip below 0 (a replacement, decommissioning) does not undo
    it; :func:`metrics` notes such a dip.

    Examples
    --------
    -100, then 40 a year: cumulative -60, -20, +20, so 2 + 20/40 = 2.5 years.

    >>> payback_years(np.array([[-100.0, 40, 40, 40], [-100.0, 10, 10, 10]]))
    array([2.5, nan])
    """
    values = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    cumulative = np.cumsum(values, axis=1)
    reached = cumulative >= 0
    year = np.argmax(reached, axis=1)
    rows = np.arange(len(values))
    before = cumulative[rows, np.maximum(year - 1, 0)]
    flow = values[rows, year]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(flow > 0, -before / flow, 0.0)
    result = np.where(year == 0, 0.0, year - 1 + fraction)
    return np.where(reached.any(axis=1), result, np.nan)


def mirr(
    cash_flows: ArrayLike, *, finance_rate: ArrayLike, reinvestment_rate: ArrayLike
) -> FloatArray:
    """Modified internal rate of return of each row (numpy-financial's definition).

    Parameters
    ----------
    cash_flows : numpy.ndarray
        Shape ``(n_cases, N + 1)``, years 0..N. [cur]
    finance_rate : float or numpy.ndarray
        Rate at which the outflows are financed (discounted to year 0).
        [fraction/year]
    reinvestment_rate : float or numpy.ndarray
        Rate at which the inflows are reinvested (compounded to year N).
        [fraction/year]

    Returns
    -------
    mirr : numpy.ndarray
        (FV_N(inflows at the reinvestment rate) / PV_0(outflows at the finance
        rate))^(1/N) - 1, shape ``(n_cases,)``; NaN unless the row has both an
        inflow and an outflow. [fraction/year]

    Notes
    -----
    Equal to ``numpy_financial.mirr`` row by row: it writes the same ratio as
    |NPV(reinvestment, inflows)| / |NPV(finance, outflows)| to the power 1/N,
    times (1 + reinvestment rate). MIRR has one value even when the flows change
    sign several times.

    Examples
    --------
    -100, then 60 twice; both rates 10 %: FV of inflows 60 x 1.1 + 60 = 126, so
    MIRR = (126/100)^(1/2) - 1 = 12.25 %.

    >>> mirr(np.array([[-100.0, 60.0, 60.0]]), finance_rate=0.1,
    ...     reinvestment_rate=0.1).round(6)
    array([0.122497])
    """
    values = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    n: int = values.shape[1] - 1
    inflow = npv(np.where(values > 0, values, 0.0), discount_rate=reinvestment_rate)
    outflow = -npv(np.where(values < 0, values, 0.0), discount_rate=finance_rate)
    both = (values > 0).any(axis=1) & (values < 0).any(axis=1)
    reinvest = np.asarray(reinvestment_rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio: FloatArray = np.where(
            both, inflow / np.where(both, outflow, 1.0), np.nan
        )
        return ratio ** (1.0 / n) * (1.0 + reinvest) - 1.0


def lcoe_costs(table: CashFlowTable) -> FloatArray:
    """Costs of the LCOE as positive numbers, years 0..N: capex, operating costs,
    replacements, decommissioning less salvage, and in-kind contributions. [cur]"""
    return -(
        table.capex
        + table.opex_total
        + table.replacement
        + table.module_replacement
        + table.end_of_life
        + table.in_kind
    )


_IRR_NOTES = {
    IrrOutcome.NEVER_POSITIVE: "{what} IRR n/a: cash flows never turn positive",
    IrrOutcome.NEVER_NEGATIVE: (
        "{what} IRR n/a: cash flows are never negative (nothing invested)"
    ),
    IrrOutcome.SEVERAL_ROOTS: (
        "{what} IRR: cash flows change sign more than once, so several IRRs may "
        "exist; reported the one closest to 0 (numpy-financial's rule)"
    ),
    IrrOutcome.NO_ROOT: "{what} IRR n/a: no rate above -100 % makes the NPV zero",
}


def _add_notes(notes: list[list[str]], mask: NDArray[np.bool_], text: str) -> None:
    for case in np.flatnonzero(mask):
        notes[case].append(text)


def _irrs(table: CashFlowTable, notes: list[list[str]]) -> tuple[FloatArray, ...]:
    """Project and equity IRR in one solve; notes and one warning per call."""
    rates, status, same = solve_irr_pair(table.project_fcf, table.equity_fcf)
    # without debt the equity flow is the project flow: one note says it for both
    project, equity = status
    for code, text in _IRR_NOTES.items():
        _add_notes(
            notes, (project == code) & same, text.format(what="project and equity")
        )
        _add_notes(notes, (project == code) & ~same, text.format(what="project"))
        _add_notes(notes, (equity == code) & ~same, text.format(what="equity"))
    several = int(np.sum(status == IrrOutcome.SEVERAL_ROOTS))
    if several:
        warnings.warn(
            f"cash flows change sign more than once in {several} project/equity "
            "rows (a year with a net outflow, such as a replacement); the IRR "
            "closest to 0 is reported (numpy-financial's rule); see the notes",
            SolarcaseWarning,
            stacklevel=3,
        )
    return rates[0], rates[1]


def metrics(
    table: CashFlowTable,
    inputs: CashFlowInputs,
    *,
    mirr_finance_rate: ArrayLike | None = None,
    mirr_reinvestment_rate: ArrayLike | None = None,
) -> FinancialMetrics:
    """All headline metrics of a cash-flow table, per case.

    Parameters
    ----------
    table : CashFlowTable
        From :func:`~solarcase.finance.cashflow.cash_flow`.
    inputs : CashFlowInputs
        The same inputs (for the nominal discount rate, inflation and the loan).
    mirr_finance_rate, mirr_reinvestment_rate : float or numpy.ndarray, optional
        Rates of the MIRR; None: the nominal discount rate. [fraction/year]

    Returns
    -------
    metrics : FinancialMetrics
        Arrays of shape ``(n_cases,)`` and notes per case.

    Warns
    -----
    SolarcaseWarning
        When project or equity flows change sign more than once.

    Notes
    -----
    - NPV and payback use the project (unlevered, after-tax) free cash flow; equity
      NPV and IRR the equity flow, discounted at the same nominal rate (issue 2 has
      no separate cost of equity). Without debt the two flows are equal, so the
      equity IRR equals the project IRR.
    - LCOE costs are pre-tax and unlevered: capex, operating costs, replacements,
      decommissioning less salvage (the "simple" LCOE of Short, Packey & Holt 1995
      and IRENA's method), plus in-kind contributions at their value (an economic
      cost even if no cash changes hands); tax, financing and grants belong to NPV
      and IRR.
    - DSCR = CFADS / debt service in each year with debt service; LLCR discounts
      the CFADS of the loan life at the loan rate.
    - Real IRRs deflate by general inflation: (1 + IRR)/(1 + i) - 1.

    Examples
    --------
    >>> from solarcase.finance.cashflow import cash_flow
    >>> from solarcase.finance.tariff import EscalatingTariff
    >>> inputs = CashFlowInputs(analysis_years=2, capex=100.0,
    ...     tariff=EscalatingTariff(1.0, 0.0), discount_rate_nominal=0.2,
    ...     inflation_rate=0.0)
    >>> result = metrics(cash_flow(np.array([[60.0, 60.0]]), inputs), inputs)
    >>> result.npv.round(4), result.project_irr.round(4), result.simple_payback_years
    (array([-8.3333]), array([0.1307]), array([1.66666667]))
    >>> result.notes
    (('discounted payback: never within the analysis', 'DSCR n/a: no debt'),)
    """
    n = inputs.analysis_years
    d_n = inputs.discount_rate_nominal
    notes: list[list[str]] = [[] for _ in range(table.n_cases)]
    project, equity = table.project_fcf, table.equity_fcf
    project_irr, equity_irr = _irrs(table, notes)
    costs = lcoe_costs(table)
    lcoe_n = lcoe_nominal_per_kwh(costs, table.energy_kwh, discount_rate_nominal=d_n)
    lcoe_r = lcoe_real_per_kwh(
        costs,
        table.energy_kwh,
        discount_rate_nominal=d_n,
        inflation_rate=inputs.inflation_rate,
    )
    _add_notes(notes, np.isnan(lcoe_n), "LCOE n/a: no energy over the analysis")
    simple = payback_years(project)
    discounted = payback_years(project * discount_factors(d_n, n_years=n))
    _add_notes(notes, np.isnan(simple), "simple payback: never within the analysis")
    _add_notes(
        notes, np.isnan(discounted), "discounted payback: never within the analysis"
    )
    cumulative = table.cumulative_project_fcf
    after_payback = np.arange(n + 1) >= np.argmax(cumulative >= 0, axis=1)[:, None]
    dips = np.isfinite(simple) & ((cumulative < 0) & after_payback).any(axis=1)
    _add_notes(notes, dips, "payback: the cumulative cash flow falls below 0 again")
    min_dscr, avg_dscr = dscr(table.cfads, table.debt_service)
    _add_notes(notes, np.isnan(min_dscr), "DSCR n/a: no debt")
    # principal > 0 after year 0: repayments below interest, so the balance grows
    growing: NDArray[np.bool_] = np.any(
        table.principal[:, 1:] > 1e-9 * np.abs(table.capex[:, :1]), axis=1
    )
    _add_notes(
        notes,
        growing,
        "debt: repayments fall below the interest in some years, so the balance "
        "grows (negative amortisation); see the debt rows of the cash-flow table",
    )
    loan = inputs.debt
    coverage = np.full(table.n_cases, np.nan)
    if loan is not None:
        coverage = per_case(
            llcr(
                table.cfads,
                table.debt_balance,
                interest_rate=loan.interest_rate,
                life=loan_life(loan, n),
            ),
            table.n_cases,
        )
        _add_notes(
            notes,
            ~np.isnan(min_dscr) & (min_dscr < 1.0),
            "DSCR below 1: the plant cannot pay its loan from its own cash "
            "in some year",
        )
    finance_rate = d_n if mirr_finance_rate is None else mirr_finance_rate
    reinvest = d_n if mirr_reinvestment_rate is None else mirr_reinvestment_rate
    inflation = inputs.inflation_rate
    return FinancialMetrics(
        npv=npv(project, discount_rate=d_n),
        equity_npv=npv(equity, discount_rate=d_n),
        project_irr=project_irr,
        equity_irr=equity_irr,
        lcoe_nominal_per_kwh=lcoe_n,
        lcoe_real_per_kwh=lcoe_r,
        simple_payback_years=simple,
        discounted_payback_years=discounted,
        min_dscr=min_dscr,
        avg_dscr=avg_dscr,
        project_irr_real=per_case(
            real_from_nominal(project_irr, inflation), table.n_cases
        ),
        equity_irr_real=per_case(
            real_from_nominal(equity_irr, inflation), table.n_cases
        ),
        project_mirr=mirr(
            project, finance_rate=finance_rate, reinvestment_rate=reinvest
        ),
        equity_mirr=mirr(equity, finance_rate=finance_rate, reinvestment_rate=reinvest),
        llcr=coverage,
        notes=tuple(tuple(case) for case in notes),
    )
