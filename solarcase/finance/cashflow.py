"""The yearly cash-flow table, vectorised over cases.

:func:`cash_flow` turns energy per operating year and a :class:`CashFlowInputs` into a
:class:`CashFlowTable`: named rows, each an array of shape ``(n_cases, N + 1)`` over
years 0..N. Conventions (DESIGN.md "Finance conventions", docs/finance.md):

- Year 0 is construction (capex, grants, loan drawdown); years 1..N are operating
  years and every flow falls at the end of its year.
- All amounts are nominal, in the model currency ``[cur]``; amounts stated in a
  foreign currency have been converted at each year's exchange rate.
- Signs follow numpy-financial: outflows negative, inflows positive. Deductions
  (depreciation, interest, bad debt) are negative too, so ``taxable_income`` is a
  plain sum.
- Revenue is accrued when invoiced; cash arrives later when a share is paid late
  (``receivables_change``). Tax is on the accrued income.

Monte Carlo passes arrays: every money or rate input may be a float or an array of
shape ``(n_cases,)``; year-valued inputs (terms, lives, event years) are integers
shared by all cases. The inputs are in :mod:`solarcase.finance.inputs` and the table
in :mod:`solarcase.finance.table`; both are re-exported here. No file or network I/O.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError, SolarcaseWarning
from solarcase.finance.costs import ModuleReplacement, module_replacement_row
from solarcase.finance.currency import escalated
from solarcase.finance.debt import (
    AnnuityLoan,
    DebtSchedule,
    EqualPrincipalLoan,
    SculptedLoan,
    amortising_schedule,
    loan_amount,
    no_debt,
    sculpted_schedule,
)
from solarcase.finance.inputs import CashFlowInputs, is_year_axis_field
from solarcase.finance.rates import (
    as_case_column,
    escalation_rate_or_inflation,
    year_index,
)
from solarcase.finance.revenue import collections, revenue_streams
from solarcase.finance.table import ROW_ORDER, CashFlowTable
from solarcase.finance.tax import (
    DecliningBalanceDepreciation,
    StraightLineDepreciation,
    TaxResult,
    depreciation_schedule,
    income_tax,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

FloatArray = NDArray[np.float64]

__all__ = [
    "ROW_ORDER",
    "AnnuityLoan",
    "CashFlowInputs",
    "CashFlowTable",
    "DecliningBalanceDepreciation",
    "EqualPrincipalLoan",
    "ModuleReplacement",
    "SculptedLoan",
    "StraightLineDepreciation",
    "cash_flow",
]


def _check_energy(energy_kwh: ArrayLike, n_years: int) -> FloatArray:
    energy = np.asarray(energy_kwh, dtype=float)
    if energy.ndim != 2 or energy.shape[1] != n_years:
        raise FinanceError(
            f"energy_kwh: expected shape (n_cases, {n_years}) for {n_years} operating "
            f"years, got {energy.shape}; give one value per case and operating year"
        )
    if not np.isfinite(energy).all() or (energy < 0).any():
        raise FinanceError(
            "energy_kwh: every yearly energy must be a finite number >= 0; check the "
            "energy model's output"
        )
    return energy


def cash_flow(energy_kwh: ArrayLike, inputs: CashFlowInputs) -> CashFlowTable:
    """Build the yearly cash-flow table for every case at once.

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        Energy delivered in operating years 1..N, shape ``(n_cases, N)``; one row is
        broadcast over the cases of array inputs. [kWh]
    inputs : CashFlowInputs
        Costs, prices, rates, debt and tax.

    Returns
    -------
    table : CashFlowTable
        Rows of shape ``(n_cases, N + 1)`` over years 0..N (see :data:`ROW_ORDER`).

    Raises
    ------
    FinanceError
        For energy of the wrong shape or negative, a contract or loan longer than
        the analysis, or array inputs of different lengths.

    Notes
    -----
    In operating year t (costs negative, e escalation of each item, i inflation,
    fx_t the exchange rate of an item's currency, 1 for the model currency):

    - revenue streams from :func:`~solarcase.finance.revenue.revenue_streams`;
      cash from invoiced sales per :func:`~solarcase.finance.revenue.collections`;
    - fixed O&M = -F (1 + e)^(t-1) fx_t; variable O&M = -v E_t (1 + e)^(t-1) fx_t;
      insurance = -s C (1 + e)^(t-1); land lease = -L (1 + e)^(t-1) fx_t;
    - replacement = -R (1 + e)^t fx_t in its year; module replacement per
      :func:`~solarcase.finance.costs.module_replacement_row`; end_of_life =
      S (1 + e_S)^N fx_N - D (1 + e_D)^N fx_N in year N;
    - taxable income = EBITDA + depreciation + interest + replacements +
      end_of_life + bad debt; tax per :func:`~solarcase.finance.tax.income_tax`;
      project_tax the same without interest;
    - CFADS = EBITDA + receivables change + replacements + end_of_life + tax;
      project FCF = capex + grants + EBITDA + receivables change + replacements +
      end_of_life + project_tax; equity FCF = capex + grants + drawdown + fees +
      CFADS + debt service.

    A sculpted loan depends on the CFADS, which depends on the interest deducted
    from tax: the loan is resized on the new CFADS until it changes by less than
    1e-9 of the capex (a fixed point; each pass shrinks the change by about the
    tax rate times the interest rate).

    Examples
    --------
    One year, capex 100, 1,000 kWh at 0.2/kWh, no costs or tax:

    >>> from solarcase.finance.tariff import EscalatingTariff
    >>> inputs = CashFlowInputs(analysis_years=1, capex=100.0,
    ...     tariff=EscalatingTariff(0.2, 0.0), discount_rate_nominal=0.1,
    ...     inflation_rate=0.0)
    >>> cash_flow(np.array([[1000.0]]), inputs).project_fcf
    array([[-100.,  200.]])
    """
    n = inputs.analysis_years
    energy = _check_energy(energy_kwh, n)
    n_cases = _n_cases(energy, inputs)
    years = year_index(n)
    energy_row = np.concatenate([np.zeros((energy.shape[0], 1)), energy], axis=1)
    capex_col = as_case_column(inputs.capex, name="capex")
    grants_col = as_case_column(inputs.grants, name="grants")

    streams = revenue_streams(
        inputs.tariff, energy_row, n_years=n, price_factor=inputs.price_factor
    )
    rows: dict[str, FloatArray] = {
        name.name: getattr(streams, name.name) for name in fields(streams)
    }
    rows["energy_kwh"] = energy_row
    rows["revenue"] = streams.total
    received = collections(streams.invoiced, inputs.late_payment)
    rows["receivables_change"] = received.change
    rows["revenue_received"] = rows["revenue"] + received.change
    rows["receivables_balance"] = received.balance
    rows["bad_debt"] = received.bad_debt
    rows.update(_operating_costs(energy_row, capex_col, inputs))
    rows["ebitda"] = rows["revenue"] + rows["opex_total"]
    rows["capex"] = np.where(years == 0, -capex_col, 0.0)
    rows["grants"] = np.where(years == 0, grants_col, 0.0)
    rows["in_kind"] = _in_kind(inputs)
    rows.update(_capital_events(inputs))
    rows["depreciation"] = depreciation_schedule(
        inputs.depreciation,
        capex=capex_col[:, 0],
        n_years=n,
        basis_reduction=grants_col[:, 0]
        if inputs.grants_reduce_depreciable_basis
        else 0.0,
    )
    rows["taxable_unlevered"] = (
        rows["ebitda"]
        + rows["depreciation"]
        + rows["replacement"]
        + rows["module_replacement"]
        + rows["end_of_life"]
        + rows["bad_debt"]
    )
    rows["cash_unlevered"] = (
        rows["ebitda"]
        + rows["receivables_change"]
        + rows["replacement"]
        + rows["module_replacement"]
        + rows["end_of_life"]
    )
    rows["project_tax"] = _tax(rows["taxable_unlevered"], inputs).tax
    rows["project_fcf"] = (
        rows["capex"] + rows["grants"] + rows["cash_unlevered"] + rows["project_tax"]
    )
    debt = _debt(rows, inputs, capex_col, grants_col, n_cases)
    rows.update(_levered(rows, debt, inputs))
    shape = (n_cases, n + 1)
    # rows shared by every case stay broadcast views (read-only, no copy); negated
    # zero costs may hold -0.0, which to_frame and the serialisers print as 0
    names = [name for name, _ in ROW_ORDER if not name.startswith("cumulative")]
    arrays = {k: np.broadcast_to(rows[k], shape) for k in names}
    arrays["cumulative_project_fcf"] = np.cumsum(arrays["project_fcf"], axis=1)
    arrays["cumulative_equity_fcf"] = np.cumsum(arrays["equity_fcf"], axis=1)
    return CashFlowTable(years=np.arange(n + 1), **arrays)


def _tax(taxable: FloatArray, inputs: CashFlowInputs) -> TaxResult:
    return income_tax(
        taxable,
        inputs.tax_rate,
        holiday_years=inputs.tax_holiday_years,
        carry_forward=inputs.loss_carry_forward,
        carry_forward_years=inputs.loss_carry_forward_years,
    )


#: Most passes of the sculpted-loan fixed point (a few suffice in practice).
_SCULPT_PASSES = 200


def _debt(
    rows: dict[str, FloatArray],
    inputs: CashFlowInputs,
    capex: FloatArray,
    grants: FloatArray,
    n_cases: int,
) -> DebtSchedule:
    """The loan's schedule; a sculpted loan is sized on the levered CFADS."""
    n = inputs.analysis_years
    loan = inputs.debt
    if loan is None:
        return no_debt(1, n)
    if isinstance(loan, AnnuityLoan | EqualPrincipalLoan):
        amount = loan_amount(loan, capex=capex[:, 0], grants=grants[:, 0])
        return amortising_schedule(loan, amount[:, 0], n_years=n)
    cfads = np.broadcast_to(
        rows["cash_unlevered"] + rows["project_tax"], (n_cases, n + 1)
    )
    tolerance = 1e-9 * np.maximum(np.abs(capex), 1.0)
    for _ in range(_SCULPT_PASSES):
        schedule, _wanted = sculpted_schedule(
            loan, cfads, capex=capex[:, 0], grants=grants[:, 0], n_years=n
        )
        levered = _tax(rows["taxable_unlevered"] + schedule.interest, inputs).tax
        updated = np.broadcast_to(rows["cash_unlevered"] + levered, cfads.shape)
        change = np.max(np.abs(updated - cfads), axis=1, keepdims=True)
        cfads = updated
        if (change <= tolerance).all():
            break
    else:
        warnings.warn(
            f"sculpted loan: the loan size did not settle in {_SCULPT_PASSES} passes "
            f"for {int(np.sum(change > tolerance))} case(s) (tax and interest "
            "feeding each other); the last size is used",
            SolarcaseWarning,
            stacklevel=3,
        )
    return sculpted_schedule(
        loan, cfads, capex=capex[:, 0], grants=grants[:, 0], n_years=n
    )[0]


def _levered(
    rows: dict[str, FloatArray], debt: DebtSchedule, inputs: CashFlowInputs
) -> dict[str, FloatArray]:
    """Interest, levered tax, CFADS, debt rows and the equity flow."""
    taxable = rows["taxable_unlevered"] + debt.interest
    taxed = _tax(taxable, inputs)
    cfads = rows["cash_unlevered"] + taxed.tax
    service = debt.interest + debt.principal
    return {
        "interest": debt.interest,
        "taxable_income": taxable,
        "losses_carried": taxed.losses_carried,
        "tax": taxed.tax,
        "cfads": cfads,
        "debt_drawdown": debt.drawdown,
        "debt_fees": debt.fees,
        "capitalised_interest": debt.capitalised_interest,
        "principal": debt.principal,
        "debt_service": service,
        "debt_balance": debt.balance,
        "equity_fcf": rows["capex"]
        + rows["grants"]
        + debt.drawdown
        + debt.fees
        + cfads
        + service,
    }


def _case_sizes(parent: DataclassInstance, named: dict[str, int]) -> None:
    for item in fields(parent):
        value = getattr(parent, item.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            _case_sizes(value, named)
        elif isinstance(value, np.ndarray | list):
            array = np.asarray(value)
            if is_year_axis_field(item.name):
                named[item.name] = array.shape[0] if array.ndim == 2 else 1
            else:
                named[item.name] = int(array.size)


def _n_cases(energy: FloatArray, inputs: CashFlowInputs) -> int:
    """The number of cases: 1 or the common length of every array input."""
    sizes = {"energy_kwh rows": int(energy.shape[0])}
    _case_sizes(inputs, sizes)
    distinct = set(sizes.values()) - {1}
    if len(distinct) > 1:
        raise FinanceError(
            f"cash-flow inputs: array inputs have different numbers of cases {sizes}; "
            "give every array input the same length (n_cases,) or a scalar"
        )
    return distinct.pop() if distinct else 1


def _escalated_item(
    inputs: CashFlowInputs,
    amount: ArrayLike,
    rate: ArrayLike | None,
    fx: ArrayLike | None,
    *,
    base_year: int,
    name: str,
) -> FloatArray:
    """An item stated at ``base_year`` prices in each year 0..N: escalated at its
    rate (None: inflation) and converted from its currency. [cur]"""
    return escalated(
        amount,
        escalation_rate_or_inflation(rate, inputs.inflation_rate),
        fx,
        n_years=inputs.analysis_years,
        base_year=base_year,
        name=name,
    )


def _operating_costs(
    energy_row: FloatArray, capex: FloatArray, inputs: CashFlowInputs
) -> dict[str, FloatArray]:
    """Fixed and variable O&M, insurance and land lease, negative, years 0..N."""
    operating = year_index(inputs.analysis_years) >= 1
    # amount at operating-year-1 prices, its escalation and its exchange rate
    items = {
        "fixed_om": (
            inputs.fixed_om_per_year,
            inputs.fixed_om_escalation_rate,
            inputs.fixed_om_fx,
        ),
        "variable_om": (
            inputs.variable_om_per_kwh,
            inputs.variable_om_escalation_rate,
            inputs.variable_om_fx,
        ),
        "insurance": (inputs.insurance_rate, inputs.insurance_escalation_rate, None),
        "land_lease": (
            inputs.land_lease_per_year,
            inputs.land_lease_escalation_rate,
            inputs.land_lease_fx,
        ),
    }
    rows = {
        name: -_escalated_item(inputs, *item, base_year=1, name=name) * operating
        for name, item in items.items()
    }
    rows["variable_om"] = rows["variable_om"] * energy_row
    rows["insurance"] = rows["insurance"] * capex
    rows["opex_total"] = (
        rows["fixed_om"] + rows["variable_om"] + rows["insurance"] + rows["land_lease"]
    )
    return rows


def _in_kind(inputs: CashFlowInputs) -> FloatArray:
    """In-kind contributions as (negative) costs: a year-0 value and a yearly one."""
    years = year_index(inputs.analysis_years)
    yearly = _escalated_item(
        inputs,
        inputs.in_kind_per_year,
        inputs.in_kind_escalation_rate,
        None,
        base_year=1,
        name="in_kind_per_year",
    )
    value = as_case_column(inputs.in_kind_value, name="in_kind_value")
    return -(np.where(years == 0, value, 0.0) + yearly * (years >= 1))


def _capital_events(inputs: CashFlowInputs) -> dict[str, FloatArray]:
    """Inverter and module replacement and end of life, at year-0 prices."""
    n = inputs.analysis_years
    years = year_index(n)
    replacement = np.zeros_like(years)
    if inputs.replacement_year is not None:
        cost = _escalated_item(
            inputs,
            inputs.replacement_cost,
            inputs.replacement_escalation_rate,
            inputs.replacement_fx,
            base_year=0,
            name="replacement",
        )
        replacement = -cost * (years == inputs.replacement_year)
    salvage = _escalated_item(
        inputs,
        inputs.salvage_value,
        inputs.salvage_escalation_rate,
        inputs.salvage_fx,
        base_year=0,
        name="salvage_value",
    )
    decommissioning = _escalated_item(
        inputs,
        inputs.decommissioning_cost,
        inputs.decommissioning_escalation_rate,
        inputs.decommissioning_fx,
        base_year=0,
        name="decommissioning_cost",
    )
    return {
        "replacement": replacement,
        "module_replacement": module_replacement_row(
            inputs.module_replacement, inflation_rate=inputs.inflation_rate, n_years=n
        ),
        "end_of_life": (salvage - decommissioning) * (years == n),
    }
