"""The yearly cash-flow table, vectorised over cases.

:func:`cash_flow` turns energy per operating year and a :class:`CashFlowInputs` into a
:class:`CashFlowTable`: named rows, each an array of shape ``(n_cases, N + 1)`` over
years 0..N. Conventions (DESIGN.md "Finance conventions"):

- Year 0 is construction (capex, loan drawdown); years 1..N are operating years and
  every flow falls at the end of its year.
- All amounts are nominal, in the model currency ``[cur]``.
- Signs follow numpy-financial: outflows negative, inflows positive. Deductions
  (depreciation, interest) are negative too, so ``taxable_income`` is a plain sum.
- Tax is never negative: a loss earns no refund (issue 2; loss carry-forward is a
  later extension of :func:`tax_paid`).

Monte Carlo passes arrays: every money or rate input may be a float or an array of
shape ``(n_cases,)``; year-valued inputs (terms, lives, the replacement year) are
integers shared by all cases. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.debt import AnnuityLoan, DebtSchedule, annuity_schedule
from solarcase.finance.rates import (
    as_case_column,
    check_years,
    escalation_factors,
    year_index,
)
from solarcase.finance.tariff import Tariff, price_schedule
from solarcase.finance.tax import (
    StraightLineDepreciation,
    depreciation_schedule,
    tax_paid,
)

FloatArray = NDArray[np.float64]

__all__ = [
    "ROW_ORDER",
    "AnnuityLoan",
    "CashFlowInputs",
    "CashFlowTable",
    "StraightLineDepreciation",
    "cash_flow",
]


@dataclass(frozen=True, slots=True)
class CashFlowInputs:
    """Every finance parameter of one scenario, resolved to amounts and rates.

    Money and rate fields may be floats or arrays of shape ``(n_cases,)`` (Monte
    Carlo passes arrays); all arrays must have the same length. Year-valued fields
    are integers shared by all cases. Operating costs are stated at operating-year-1
    prices and escalate as p(1 + e)^(t-1); replacement, salvage and decommissioning
    are stated at year-0 prices and escalate as c(1 + e)^t. An escalation rate left
    at None means "with inflation" (``inflation_rate``).
    """

    analysis_years: int
    """Operating years N. [years]"""
    capex: ArrayLike
    """Total investment at year 0, a positive number. [cur]"""
    tariff: Tariff
    """Revenue scheme giving the price per year."""
    discount_rate_nominal: ArrayLike
    """Nominal discount rate for NPV, LCOE and discounted payback. [fraction/year]"""
    inflation_rate: ArrayLike
    """General inflation, for real LCOE and default escalation. [fraction/year]"""
    fixed_om_per_year: ArrayLike = 0.0
    """Fixed O&M in operating year 1. [cur/year]"""
    fixed_om_escalation_rate: ArrayLike | None = None
    """Escalation of fixed O&M; None: inflation. [fraction/year]"""
    variable_om_per_kwh: ArrayLike = 0.0
    """Variable O&M in operating year 1. [cur/kWh]"""
    variable_om_escalation_rate: ArrayLike | None = None
    """Escalation of variable O&M; None: inflation. [fraction/year]"""
    insurance_rate: ArrayLike = 0.0
    """Yearly premium as a share of capex, in operating year 1. [fraction/year]"""
    insurance_escalation_rate: ArrayLike | None = None
    """Escalation of the premium; None: inflation. [fraction/year]"""
    land_lease_per_year: ArrayLike = 0.0
    """Land lease in operating year 1. [cur/year]"""
    land_lease_escalation_rate: ArrayLike | None = None
    """Escalation of the lease; None: inflation. [fraction/year]"""
    replacement_year: int | None = None
    """Operating year of the inverter replacement (1..N); None: no replacement."""
    replacement_cost: ArrayLike = 0.0
    """Cost of the replacement at year-0 prices. [cur]"""
    replacement_escalation_rate: ArrayLike | None = None
    """Escalation of the replacement cost from year 0; None: inflation.
    [fraction/year]"""
    salvage_value: ArrayLike = 0.0
    """Value recovered at the end of year N, at year-0 prices. [cur]"""
    salvage_escalation_rate: ArrayLike | None = None
    """Escalation of the salvage value from year 0; None: inflation. [fraction/year]"""
    decommissioning_cost: ArrayLike = 0.0
    """Cost of dismantling at the end of year N, at year-0 prices. [cur]"""
    decommissioning_escalation_rate: ArrayLike | None = None
    """Escalation of the decommissioning cost from year 0; None: inflation.
    [fraction/year]"""
    debt: AnnuityLoan | None = None
    """The loan, or None for an all-equity plant."""
    tax_rate: ArrayLike = 0.0
    """Income-tax rate on taxable income. [fraction]"""
    depreciation: StraightLineDepreciation | None = None
    """Tax depreciation of capex; None: capex is not deducted."""

    def __post_init__(self) -> None:
        check_years(self.analysis_years, name="analysis_years")
        n = self.analysis_years
        if self.replacement_year is not None:
            check_years(self.replacement_year, name="replacement_year")
            if self.replacement_year > n:
                raise FinanceError(
                    f"replacement_year: {self.replacement_year} is after the last "
                    f"operating year {n}; choose a year in 1..{n} or no replacement"
                )
        if self.debt is not None and self.debt.tenor_years > n:
            raise FinanceError(
                f"debt tenor_years: {self.debt.tenor_years} is longer than the "
                f"analysis of {n} years; shorten the tenor or lengthen analysis_years"
            )


#: Rows of :class:`CashFlowTable` in display order, with their labels and units.
ROW_ORDER: tuple[tuple[str, str], ...] = (
    ("energy_kwh", "energy [kWh]"),
    ("price_per_kwh", "price [cur/kWh]"),
    ("revenue", "revenue [cur]"),
    ("fixed_om", "fixed O&M [cur]"),
    ("variable_om", "variable O&M [cur]"),
    ("insurance", "insurance [cur]"),
    ("land_lease", "land lease [cur]"),
    ("opex_total", "total operating cost [cur]"),
    ("ebitda", "EBITDA [cur]"),
    ("capex", "capex [cur]"),
    ("replacement", "inverter replacement [cur]"),
    ("end_of_life", "salvage less decommissioning [cur]"),
    ("depreciation", "depreciation [cur]"),
    ("interest", "interest [cur]"),
    ("taxable_income", "taxable income [cur]"),
    ("tax", "tax paid [cur]"),
    ("project_tax", "tax, unlevered [cur]"),
    ("cfads", "cash flow available for debt service [cur]"),
    ("debt_drawdown", "debt drawdown [cur]"),
    ("principal", "principal repaid [cur]"),
    ("debt_service", "debt service [cur]"),
    ("debt_balance", "debt balance, end of year [cur]"),
    ("project_fcf", "project free cash flow [cur]"),
    ("equity_fcf", "equity free cash flow [cur]"),
    ("cumulative_project_fcf", "cumulative project free cash flow [cur]"),
)


@dataclass(frozen=True, slots=True)
class CashFlowTable:
    """The yearly cash-flow table; every row has shape ``(n_cases, N + 1)``.

    Columns are years 0..N. Signs: inflows positive, outflows and deductions negative.
    The arrays are read-only.
    """

    years: NDArray[np.int64]
    """Years 0..N, shape ``(N + 1,)``; 0 is construction."""
    energy_kwh: FloatArray
    """Energy sold (0 in year 0). [kWh]"""
    price_per_kwh: FloatArray
    """Price of the energy (0 in year 0). [cur/kWh]"""
    revenue: FloatArray
    """Energy times price. [cur]"""
    fixed_om: FloatArray
    """Fixed O&M, negative. [cur]"""
    variable_om: FloatArray
    """Variable O&M, negative. [cur]"""
    insurance: FloatArray
    """Insurance premium, negative. [cur]"""
    land_lease: FloatArray
    """Land lease, negative. [cur]"""
    opex_total: FloatArray
    """Sum of the four operating costs, negative. [cur]"""
    ebitda: FloatArray
    """Revenue plus (negative) operating costs. [cur]"""
    capex: FloatArray
    """Investment at year 0, negative. [cur]"""
    replacement: FloatArray
    """Inverter replacement, negative; deductible in its year. [cur]"""
    end_of_life: FloatArray
    """Salvage (positive) less decommissioning (negative) in year N; taxable. [cur]"""
    depreciation: FloatArray
    """Tax depreciation, negative (a deduction, not a cash flow). [cur]"""
    interest: FloatArray
    """Interest paid, negative; deductible. [cur]"""
    taxable_income: FloatArray
    """EBITDA + depreciation + interest + replacement + end_of_life. [cur]"""
    tax: FloatArray
    """Tax paid by the owner, -max(0, rate x taxable income). [cur]"""
    project_tax: FloatArray
    """Tax as if the plant had no debt (no interest deduction), for project flows.
    [cur]"""
    cfads: FloatArray
    """Cash flow available for debt service: EBITDA + replacement + end_of_life +
    tax. [cur]"""
    debt_drawdown: FloatArray
    """Loan drawn at year 0, positive. [cur]"""
    principal: FloatArray
    """Principal repaid, negative. [cur]"""
    debt_service: FloatArray
    """Interest plus principal, negative. [cur]"""
    debt_balance: FloatArray
    """Loan outstanding at the end of the year, positive. [cur]"""
    project_fcf: FloatArray
    """Unlevered after-tax free cash flow: capex + EBITDA + replacement +
    end_of_life + project_tax. [cur]"""
    equity_fcf: FloatArray
    """Levered free cash flow to the owner: capex + drawdown + CFADS + debt service.
    [cur]"""
    cumulative_project_fcf: FloatArray
    """Running sum of the project free cash flow. [cur]"""

    def __post_init__(self) -> None:
        for item in fields(self):
            getattr(self, item.name).flags.writeable = False

    @property
    def n_cases(self) -> int:
        """Number of cases (rows of every array)."""
        return int(self.revenue.shape[0])

    def to_frame(self, case: int = 0, *, currency: str | None = None) -> pd.DataFrame:
        """One case as a DataFrame: rows are line items with units, columns years.

        Parameters
        ----------
        case : int
            Which case (row of the arrays) to show.
        currency : str, optional
            ISO 4217 code that replaces ``cur`` in the row labels, e.g. ``"IRR"``.

        Returns
        -------
        frame : pandas.DataFrame
            Index ``line item`` in :data:`ROW_ORDER`; columns ``year`` 0..N.
        """
        labels = [label for _, label in ROW_ORDER]
        if currency is not None:
            labels = [label.replace("[cur", f"[{currency}") for label in labels]
        data = np.stack([getattr(self, name)[case] for name, _ in ROW_ORDER])
        return pd.DataFrame(
            data,
            index=pd.Index(labels, name="line item"),
            columns=pd.Index(self.years, name="year"),
        )


def _escalated(
    amount: ArrayLike,
    rate: ArrayLike | None,
    inputs: CashFlowInputs,
    *,
    name: str,
    base_year: int,
) -> FloatArray:
    """Amount stated in ``base_year`` money, escalated to each year 0..N."""
    chosen = inputs.inflation_rate if rate is None else rate
    n = inputs.analysis_years
    factors = escalation_factors(chosen, n_years=n, base_year=base_year)
    return as_case_column(amount, name=name) * factors


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
        Energy sold in operating years 1..N, shape ``(n_cases, N)``; one row is
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
    In operating year t (costs negative, e escalation of each item, i inflation):

    - revenue = E_t p_t (p_t from :func:`~solarcase.finance.tariff.price_schedule`);
    - fixed O&M = -F (1 + e)^(t-1); variable O&M = -v E_t (1 + e)^(t-1);
      insurance = -s C (1 + e)^(t-1); land lease = -L (1 + e)^(t-1);
    - replacement = -R (1 + e)^t in its year; end_of_life = S (1 + e_S)^N -
      D (1 + e_D)^N in year N (both stated at year-0 prices);
    - annuity loan D = f C drawn at year 0, payment D r / (1 - (1 + r)^-n) in years
      1..n, interest r B_(t-1), principal payment minus interest;
    - taxable income = EBITDA + depreciation + interest + replacement + end_of_life;
      tax = -max(0, tau x taxable income); project_tax the same without interest;
    - CFADS = EBITDA + replacement + end_of_life + tax;
      project FCF = capex + EBITDA + replacement + end_of_life + project_tax;
      equity FCF = capex + drawdown + CFADS + debt service.

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

    price = price_schedule(inputs.tariff, n_years=n)
    rows = {"energy_kwh": energy_row, "price_per_kwh": price}
    rows["revenue"] = energy_row * price
    rows.update(_operating_costs(energy_row, capex_col, inputs))
    rows["opex_total"] = (
        rows["fixed_om"] + rows["variable_om"] + rows["insurance"] + rows["land_lease"]
    )
    rows["ebitda"] = rows["revenue"] + rows["opex_total"]
    rows["capex"] = np.where(years == 0, -capex_col, 0.0)
    rows.update(_capital_events(inputs))
    rows["depreciation"] = depreciation_schedule(
        inputs.depreciation, capex=capex_col[:, 0], n_years=n
    )
    if inputs.debt is None:
        zeros = np.zeros_like(years)
        debt = DebtSchedule(zeros, zeros, zeros, zeros)
    else:
        debt = annuity_schedule(inputs.debt, capex=capex_col[:, 0], n_years=n)
    rows["interest"] = debt.interest
    rows.update(_taxes_and_flows(rows, inputs.tax_rate))
    rows["debt_drawdown"] = debt.drawdown
    rows["principal"] = debt.principal
    rows["debt_service"] = debt.interest + debt.principal
    rows["debt_balance"] = debt.balance
    rows["equity_fcf"] = (
        rows["capex"] + debt.drawdown + rows["cfads"] + rows["debt_service"]
    )
    shape = (n_cases, n + 1)
    # "+ 0.0" turns the -0.0 of negated zero costs into 0.0 for display
    arrays = {k: np.broadcast_to(v, shape) + 0.0 for k, v in rows.items()}
    arrays["cumulative_project_fcf"] = np.cumsum(arrays["project_fcf"], axis=1)
    return CashFlowTable(years=np.arange(n + 1), **arrays)


def _n_cases(energy: FloatArray, inputs: CashFlowInputs) -> int:
    """The number of cases: 1 or the common length of every array input."""
    named: dict[str, object] = {"energy_kwh rows": np.empty(energy.shape[0])}
    for parent in (inputs, inputs.tariff, inputs.debt, inputs.depreciation):
        if parent is None:
            continue
        for item in fields(parent):
            value = getattr(parent, item.name)
            if isinstance(value, np.ndarray | list | tuple):
                named[item.name] = value
    sizes = {name: int(np.size(value)) for name, value in named.items()}
    distinct = set(sizes.values()) - {1}
    if len(distinct) > 1:
        raise FinanceError(
            f"cash-flow inputs: array inputs have different numbers of cases {sizes}; "
            "give every array input the same length (n_cases,) or a scalar"
        )
    return distinct.pop() if distinct else 1


def _operating_costs(
    energy_row: FloatArray, capex: FloatArray, inputs: CashFlowInputs
) -> dict[str, FloatArray]:
    """Fixed and variable O&M, insurance and land lease, negative, years 0..N."""
    operating = year_index(inputs.analysis_years) >= 1

    def escalated(amount: ArrayLike, rate: ArrayLike | None, name: str) -> FloatArray:
        return _escalated(amount, rate, inputs, name=name, base_year=1)

    return {
        "fixed_om": -escalated(
            inputs.fixed_om_per_year, inputs.fixed_om_escalation_rate, "fixed_om"
        )
        * operating,
        "variable_om": -escalated(
            inputs.variable_om_per_kwh, inputs.variable_om_escalation_rate, "var_om_kwh"
        )
        * energy_row,
        "insurance": -escalated(
            inputs.insurance_rate, inputs.insurance_escalation_rate, "insurance"
        )
        * capex
        * operating,
        "land_lease": -escalated(
            inputs.land_lease_per_year, inputs.land_lease_escalation_rate, "lease"
        )
        * operating,
    }


def _capital_events(inputs: CashFlowInputs) -> dict[str, FloatArray]:
    """Inverter replacement and end of life, stated at year-0 prices, escalated."""
    n = inputs.analysis_years
    years = year_index(n)

    def escalated(amount: ArrayLike, rate: ArrayLike | None, name: str) -> FloatArray:
        return _escalated(amount, rate, inputs, name=name, base_year=0)

    replacement = np.zeros_like(years)
    if inputs.replacement_year is not None:
        cost = escalated(
            inputs.replacement_cost, inputs.replacement_escalation_rate, "replacement"
        )
        replacement = -cost * (years == inputs.replacement_year)
    salvage = escalated(
        inputs.salvage_value, inputs.salvage_escalation_rate, "salvage_value"
    )
    decommissioning = escalated(
        inputs.decommissioning_cost,
        inputs.decommissioning_escalation_rate,
        "decommissioning_cost",
    )
    end_of_life = (salvage - decommissioning) * (years == n)
    return {"replacement": replacement, "end_of_life": end_of_life}


def _taxes_and_flows(
    rows: dict[str, FloatArray], tax_rate: ArrayLike
) -> dict[str, FloatArray]:
    """Taxable income, both taxes, CFADS and the project free cash flow."""
    taxable = (
        rows["ebitda"]
        + rows["depreciation"]
        + rows["interest"]
        + rows["replacement"]
        + rows["end_of_life"]
    )
    tax = tax_paid(taxable, tax_rate)
    project_tax = tax_paid(taxable - rows["interest"], tax_rate)
    unlevered = rows["ebitda"] + rows["replacement"] + rows["end_of_life"]
    return {
        "taxable_income": taxable,
        "tax": tax,
        "project_tax": project_tax,
        "cfads": unlevered + tax,
        "project_fcf": rows["capex"] + unlevered + project_tax,
    }
