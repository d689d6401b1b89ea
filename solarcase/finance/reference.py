"""The appraisal seen from a reference currency (e.g. US dollars), nominal and real.

A rial investor and a dollar investor see the same plant differently when the rial
loses value faster than the price gap between the two economies explains. Each
year's nominal flow is converted at that year's exchange rate and discounted at the
reference currency's nominal rate, which carries the same real rate as the model
currency's: d_ref = (1 + d_real)(1 + i_ref) - 1. Under relative purchasing-power
parity (fx_t = fx_0 ((1 + i)/(1 + i_ref))^t) this NPV is exactly the model-currency
NPV at the year-0 rate; any difference is the real gain or loss from the exchange
rate. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.finance.cashflow import CashFlowInputs, CashFlowTable
from solarcase.finance.currency import as_year_path
from solarcase.finance.irr import solve_irr_pair
from solarcase.finance.metrics import (
    lcoe_costs,
    lcoe_nominal_per_kwh,
    lcoe_real_per_kwh,
)
from solarcase.finance.rates import (
    deflation_factors,
    npv,
    per_case,
    real_from_nominal,
    reference_discount_rate,
)

FloatArray = NDArray[np.float64]

__all__ = ["ReferenceCurrency", "ReferenceMetrics", "reference_metrics"]


@dataclass(frozen=True, slots=True)
class ReferenceCurrency:
    """A currency to show results in, with its exchange-rate path and inflation."""

    fx: ArrayLike
    """Model-currency units per reference unit in years 0..N, ``(N + 1,)`` or
    ``(n_cases, N + 1)``. [cur/ref]"""
    inflation_rate: ArrayLike
    """Inflation of the reference currency (e.g. US prices). [fraction/year]"""


@dataclass(frozen=True, slots=True)
class ReferenceMetrics:
    """Metrics in the reference currency, arrays of shape ``(n_cases,)`` unless
    stated; money in reference units ``[ref]``."""

    discount_rate_nominal: FloatArray
    """(1 + d_real)(1 + i_ref) - 1. [fraction/year]"""
    inflation_rate: FloatArray
    """Inflation of the reference currency i_ref. [fraction/year]"""
    npv: FloatArray
    """Project NPV: each year's flow at that year's rate, at the reference
    nominal rate. [ref]"""
    equity_npv: FloatArray
    """Equity NPV in the same way. [ref]"""
    project_irr: FloatArray
    """IRR of the converted project flows. [fraction/year]"""
    project_irr_real: FloatArray
    """The same deflated by the reference inflation. [fraction/year]"""
    equity_irr: FloatArray
    """IRR of the converted equity flows. [fraction/year]"""
    equity_irr_real: FloatArray
    """The same deflated by the reference inflation. [fraction/year]"""
    lcoe_nominal_per_kwh: FloatArray
    """Converted LCOE costs over energy, both at the reference nominal rate.
    [ref/kWh]"""
    lcoe_real_per_kwh: FloatArray
    """The same in year-0 reference money. [ref/kWh]"""
    fx: FloatArray
    """Exchange rate of each year 0..N, ``(n_cases, N + 1)``. [cur/ref]"""
    project_fcf: FloatArray
    """Project free cash flow in reference units, ``(n_cases, N + 1)``. [ref]"""
    equity_fcf: FloatArray
    """Equity free cash flow in reference units, ``(n_cases, N + 1)``. [ref]"""
    project_fcf_real: FloatArray
    """Project free cash flow in year-0 reference money, ``(n_cases, N + 1)``.
    [ref]"""

    def __post_init__(self) -> None:
        for item in fields(self):
            getattr(self, item.name).flags.writeable = False


def reference_metrics(
    table: CashFlowTable, inputs: CashFlowInputs, reference: ReferenceCurrency
) -> ReferenceMetrics:
    """NPV, IRR and LCOE of a cash-flow table in a reference currency.

    Parameters
    ----------
    table : CashFlowTable
        The model-currency table.
    inputs : CashFlowInputs
        Its inputs (nominal discount rate and inflation of the model currency).
    reference : ReferenceCurrency
        Exchange-rate path and inflation of the reference currency.

    Returns
    -------
    metrics : ReferenceMetrics

    Notes
    -----
    F_ref,t = F_t / fx_t. NPV_ref = sum_t F_ref,t / (1 + d_ref)^t with d_ref from
    :func:`~solarcase.finance.rates.reference_discount_rate`. IRR_ref solves
    NPV_ref = 0; real IRR = (1 + IRR_ref)/(1 + i_ref) - 1. LCOE_ref uses the same
    costs as the model-currency LCOE, converted year by year.

    Examples
    --------
    A rial plant whose rial NPV at 21 % is 0; the rial loses value exactly as the
    inflation gap says (10 % against 0 %): the dollar NPV is 0 too.

    >>> from solarcase.finance.cashflow import cash_flow
    >>> from solarcase.finance.tariff import EscalatingTariff
    >>> inputs = CashFlowInputs(analysis_years=1, capex=100.0,
    ...     tariff=EscalatingTariff(1.21, 0.0), discount_rate_nominal=0.21,
    ...     inflation_rate=0.10)
    >>> table = cash_flow(np.array([[100.0]]), inputs)
    >>> usd = ReferenceCurrency(fx=[10.0, 11.0], inflation_rate=0.0)
    >>> m = reference_metrics(table, inputs, usd)
    >>> m.discount_rate_nominal.round(6), m.npv.round(9) + 0.0
    (array([0.1]), array([0.]))
    """
    n = inputs.analysis_years
    fx = as_year_path(reference.fx, n_years=n, name="reference exchange rate")
    d_n = inputs.discount_rate_nominal
    d_ref = reference_discount_rate(
        d_n, inputs.inflation_rate, reference.inflation_rate
    )
    n_cases = table.n_cases
    shape = (n_cases, n + 1)
    project = np.broadcast_to(table.project_fcf / fx, shape) + 0.0
    equity = np.broadcast_to(table.equity_fcf / fx, shape) + 0.0
    (project_irr, equity_irr), _, _ = solve_irr_pair(project, equity)
    i_ref = per_case(reference.inflation_rate, n_cases, name="reference inflation")
    costs = lcoe_costs(table) / fx
    energy = table.energy_kwh
    d_ref_cases = per_case(d_ref, n_cases)
    return ReferenceMetrics(
        discount_rate_nominal=d_ref_cases,
        inflation_rate=i_ref,
        npv=npv(project, discount_rate=d_ref_cases),
        equity_npv=npv(equity, discount_rate=d_ref_cases),
        project_irr=project_irr,
        project_irr_real=per_case(real_from_nominal(project_irr, i_ref), n_cases),
        equity_irr=equity_irr,
        equity_irr_real=per_case(real_from_nominal(equity_irr, i_ref), n_cases),
        lcoe_nominal_per_kwh=per_case(
            lcoe_nominal_per_kwh(costs, energy, discount_rate_nominal=d_ref_cases),
            n_cases,
        ),
        lcoe_real_per_kwh=per_case(
            lcoe_real_per_kwh(
                costs, energy, discount_rate_nominal=d_ref_cases, inflation_rate=i_ref
            ),
            n_cases,
        ),
        fx=np.broadcast_to(fx, shape) + 0.0,
        project_fcf=project,
        equity_fcf=equity,
        project_fcf_real=project * deflation_factors(i_ref, n_years=n),
    )
