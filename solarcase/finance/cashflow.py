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
shared by all cases. No file or network I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from solarcase.errors import FinanceError
from solarcase.finance.costs import ModuleReplacement, escalated, module_replacement_row
from solarcase.finance.debt import (
    AnnuityLoan,
    DebtSchedule,
    EqualPrincipalLoan,
    Loan,
    SculptedLoan,
    amortising_schedule,
    loan_amount,
    loan_life,
    no_debt,
    sculpted_schedule,
)
from solarcase.finance.rates import as_case_column, check_years, year_index
from solarcase.finance.revenue import LatePayment, collections, revenue_streams
from solarcase.finance.tariff import RevenueScheme
from solarcase.finance.tax import (
    DecliningBalanceDepreciation,
    Depreciation,
    StraightLineDepreciation,
    depreciation_schedule,
    income_tax,
)

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


@dataclass(frozen=True, slots=True)
class CashFlowInputs:
    """Every finance parameter of one scenario, resolved to amounts and rates.

    Money and rate fields may be floats or arrays of shape ``(n_cases,)`` (Monte
    Carlo passes arrays); all arrays must have the same length. Year-valued fields
    are integers shared by all cases. Operating costs are stated at operating-year-1
    prices and escalate as p(1 + e)^(t-1); replacement, salvage and decommissioning
    are stated at year-0 prices and escalate as c(1 + e)^t. An escalation rate left
    at None means "with inflation" (``inflation_rate``). A ``*_fx`` field is the
    exchange-rate path (model-currency units per unit, years 0..N, shape ``(N + 1,)``
    or ``(n_cases, N + 1)``) of an amount stated in a foreign currency, which then
    escalates in that currency (give its escalation explicitly); None: the amount is
    in the model currency.
    """

    analysis_years: int
    """Operating years N. [years]"""
    capex: ArrayLike
    """Total investment at year 0, a positive number. [cur]"""
    tariff: RevenueScheme
    """Revenue scheme (:mod:`solarcase.finance.tariff`)."""
    discount_rate_nominal: ArrayLike
    """Nominal discount rate for NPV, LCOE and discounted payback. [fraction/year]"""
    inflation_rate: ArrayLike
    """General inflation, for real results and default escalation. [fraction/year]"""
    fixed_om_per_year: ArrayLike = 0.0
    """Fixed O&M in operating year 1. [cur/year]"""
    fixed_om_escalation_rate: ArrayLike | None = None
    """Escalation of fixed O&M; None: inflation. [fraction/year]"""
    fixed_om_fx: ArrayLike | None = None
    """Exchange-rate path of fixed O&M's currency; None: model currency."""
    variable_om_per_kwh: ArrayLike = 0.0
    """Variable O&M in operating year 1. [cur/kWh]"""
    variable_om_escalation_rate: ArrayLike | None = None
    """Escalation of variable O&M; None: inflation. [fraction/year]"""
    variable_om_fx: ArrayLike | None = None
    """Exchange-rate path of variable O&M's currency; None: model currency."""
    insurance_rate: ArrayLike = 0.0
    """Yearly premium as a share of capex, in operating year 1. [fraction/year]"""
    insurance_escalation_rate: ArrayLike | None = None
    """Escalation of the premium; None: inflation. [fraction/year]"""
    land_lease_per_year: ArrayLike = 0.0
    """Land lease in operating year 1. [cur/year]"""
    land_lease_escalation_rate: ArrayLike | None = None
    """Escalation of the lease; None: inflation. [fraction/year]"""
    land_lease_fx: ArrayLike | None = None
    """Exchange-rate path of the lease's currency; None: model currency."""
    replacement_year: int | None = None
    """Operating year of the inverter replacement (1..N); None: no replacement."""
    replacement_cost: ArrayLike = 0.0
    """Cost of the replacement at year-0 prices. [cur]"""
    replacement_escalation_rate: ArrayLike | None = None
    """Escalation of the replacement cost from year 0; None: inflation.
    [fraction/year]"""
    replacement_fx: ArrayLike | None = None
    """Exchange-rate path of the replacement's currency; None: model currency."""
    module_replacement: ModuleReplacement | None = None
    """Modules replaced over the life; None: none."""
    salvage_value: ArrayLike = 0.0
    """Value recovered at the end of year N, at year-0 prices. [cur]"""
    salvage_escalation_rate: ArrayLike | None = None
    """Escalation of the salvage value from year 0; None: inflation. [fraction/year]"""
    salvage_fx: ArrayLike | None = None
    """Exchange-rate path of the salvage value's currency; None: model currency."""
    decommissioning_cost: ArrayLike = 0.0
    """Cost of dismantling at the end of year N, at year-0 prices. [cur]"""
    decommissioning_escalation_rate: ArrayLike | None = None
    """Escalation of the decommissioning cost from year 0; None: inflation.
    [fraction/year]"""
    decommissioning_fx: ArrayLike | None = None
    """Exchange-rate path of the decommissioning cost's currency; None: model
    currency."""
    grants: ArrayLike = 0.0
    """Grants received at year 0 (not taxed), reducing the owner's outlay. [cur]"""
    grants_reduce_depreciable_basis: bool = True
    """If True, grants are subtracted from the depreciable basis."""
    in_kind_value: ArrayLike = 0.0
    """Value of in-kind contributions at year 0 (e.g. land), not a cash flow; enters
    the LCOE only. [cur]"""
    in_kind_per_year: ArrayLike = 0.0
    """Imputed yearly value of in-kind contributions in operating year 1 (e.g. the
    land's rent), not a cash flow; enters the LCOE only. [cur/year]"""
    in_kind_escalation_rate: ArrayLike | None = None
    """Escalation of the yearly in-kind value; None: inflation. [fraction/year]"""
    late_payment: LatePayment | None = None
    """Share of invoices paid late; None: every invoice is paid in its year."""
    debt: Loan | None = None
    """The loan, or None for an all-equity plant."""
    tax_rate: ArrayLike = 0.0
    """Income-tax rate on taxable income. [fraction]"""
    depreciation: Depreciation | None = None
    """Tax depreciation of capex; None: capex is not deducted."""
    tax_holiday_years: int = 0
    """Operating years 1..H exempt from income tax. [years]"""
    loss_carry_forward: bool = False
    """If True, tax losses are carried forward; if False, forfeited."""
    loss_carry_forward_years: int | None = None
    """Years after which a carried loss expires; None: never. [years]"""
    price_factor: ArrayLike = 1.0
    """Multiplies the scheme's main price (breakeven searches); 1 as given. [-]"""

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
        if self.debt is not None and (
            self.debt.tenor_years + self.debt.grace_years > n
        ):
            raise FinanceError(
                f"debt tenor_years: {self.debt.tenor_years} (+ {self.debt.grace_years} "
                f"grace years) is longer than the analysis of {n} years; shorten the "
                "tenor or lengthen analysis_years"
            )
        check_years(self.tax_holiday_years, name="tax_holiday_years", minimum=0)


#: Rows of :class:`CashFlowTable` in display order, with their labels and units.
ROW_ORDER: tuple[tuple[str, str], ...] = (
    ("energy_kwh", "energy [kWh]"),
    ("self_consumed_kwh", "energy used on site [kWh]"),
    ("exported_kwh", "energy exported [kWh]"),
    ("price_per_kwh", "price [cur/kWh]"),
    ("sales_contract", "sales under contract [cur]"),
    ("sales_after_contract", "sales after the contract [cur]"),
    ("sales_market", "sales on the market [cur]"),
    ("sales_export", "sales of exported energy [cur]"),
    ("savings_purchases", "purchases avoided [cur]"),
    ("savings_obligation", "obligation penalty avoided [cur]"),
    ("revenue", "revenue [cur]"),
    ("fixed_om", "fixed O&M [cur]"),
    ("variable_om", "variable O&M [cur]"),
    ("insurance", "insurance [cur]"),
    ("land_lease", "land lease [cur]"),
    ("opex_total", "total operating cost [cur]"),
    ("ebitda", "EBITDA [cur]"),
    ("receivables_change", "cash received less invoiced [cur]"),
    ("receivables_balance", "receivables, end of year [cur]"),
    ("bad_debt", "receivables written off [cur]"),
    ("capex", "capex [cur]"),
    ("grants", "grants [cur]"),
    ("in_kind", "in-kind contributions, not cash [cur]"),
    ("replacement", "inverter replacement [cur]"),
    ("module_replacement", "module replacement [cur]"),
    ("end_of_life", "salvage less decommissioning [cur]"),
    ("depreciation", "depreciation [cur]"),
    ("interest", "interest [cur]"),
    ("taxable_income", "taxable income [cur]"),
    ("losses_carried", "tax losses carried forward [cur]"),
    ("tax", "tax paid [cur]"),
    ("project_tax", "tax, unlevered [cur]"),
    ("cfads", "cash flow available for debt service [cur]"),
    ("debt_drawdown", "debt drawdown [cur]"),
    ("debt_fees", "debt fees [cur]"),
    ("capitalised_interest", "interest during construction, capitalised [cur]"),
    ("principal", "principal repaid [cur]"),
    ("debt_service", "debt service [cur]"),
    ("debt_balance", "debt balance, end of year [cur]"),
    ("project_fcf", "project free cash flow [cur]"),
    ("equity_fcf", "equity free cash flow [cur]"),
    ("cumulative_project_fcf", "cumulative project free cash flow [cur]"),
    ("cumulative_equity_fcf", "cumulative equity free cash flow [cur]"),
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
    """Energy delivered (0 in year 0). [kWh]"""
    self_consumed_kwh: FloatArray
    """Energy used on site (self-consumption only). [kWh]"""
    exported_kwh: FloatArray
    """Energy exported (self-consumption only). [kWh]"""
    price_per_kwh: FloatArray
    """The scheme's main price (0 in year 0). [cur/kWh]"""
    sales_contract: FloatArray
    """Energy sold under a tariff or guaranteed-purchase contract. [cur]"""
    sales_after_contract: FloatArray
    """Energy sold after the contract. [cur]"""
    sales_market: FloatArray
    """Energy sold on a market. [cur]"""
    sales_export: FloatArray
    """Surplus exported under self-consumption. [cur]"""
    savings_purchases: FloatArray
    """Grid purchases avoided by self-consumption. [cur]"""
    savings_obligation: FloatArray
    """Renewable-obligation penalty avoided. [cur]"""
    revenue: FloatArray
    """Sum of the streams, accrued (invoiced sales plus savings). [cur]"""
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
    """Revenue plus (negative) operating costs, accrued. [cur]"""
    receivables_change: FloatArray
    """Cash received less invoiced sales: negative while receivables grow. [cur]"""
    receivables_balance: FloatArray
    """Invoices unpaid at the end of the year. [cur]"""
    bad_debt: FloatArray
    """Receivables written off in year N (negative; deductible, not cash). [cur]"""
    capex: FloatArray
    """Investment at year 0, negative. [cur]"""
    grants: FloatArray
    """Grants at year 0, positive. [cur]"""
    in_kind: FloatArray
    """In-kind contributions valued as costs, negative; not a cash flow (LCOE
    only). [cur]"""
    replacement: FloatArray
    """Inverter replacement, negative; deductible in its year. [cur]"""
    module_replacement: FloatArray
    """Module replacement, negative; deductible in its year. [cur]"""
    end_of_life: FloatArray
    """Salvage (positive) less decommissioning (negative) in year N; taxable. [cur]"""
    depreciation: FloatArray
    """Tax depreciation, negative (a deduction, not a cash flow). [cur]"""
    interest: FloatArray
    """Interest paid, negative; deductible. [cur]"""
    taxable_income: FloatArray
    """EBITDA + depreciation + interest + replacements + end_of_life + bad debt.
    [cur]"""
    losses_carried: FloatArray
    """Tax losses available to later years at the end of the year (levered). [cur]"""
    tax: FloatArray
    """Tax paid by the owner (negative), after holiday and loss carry-forward.
    [cur]"""
    project_tax: FloatArray
    """Tax as if the plant had no debt (no interest deduction), for project flows.
    [cur]"""
    cfads: FloatArray
    """Cash flow available for debt service: EBITDA + receivables change +
    replacements + end_of_life + tax. [cur]"""
    debt_drawdown: FloatArray
    """Loan drawn at year 0, positive. [cur]"""
    debt_fees: FloatArray
    """Up-front loan fee at year 0, negative; not deducted for tax. [cur]"""
    capitalised_interest: FloatArray
    """Interest during construction added to the loan at year 0, positive; not a
    cash flow and not deducted. [cur]"""
    principal: FloatArray
    """Principal repaid, negative. [cur]"""
    debt_service: FloatArray
    """Interest plus principal, negative. [cur]"""
    debt_balance: FloatArray
    """Loan outstanding at the end of the year, positive. [cur]"""
    project_fcf: FloatArray
    """Unlevered after-tax free cash flow: capex + grants + EBITDA + receivables
    change + replacements + end_of_life + project_tax. [cur]"""
    equity_fcf: FloatArray
    """Levered free cash flow to the owner: capex + grants + drawdown + fees +
    CFADS + debt service. [cur]"""
    cumulative_project_fcf: FloatArray
    """Running sum of the project free cash flow. [cur]"""
    cumulative_equity_fcf: FloatArray
    """Running sum of the equity free cash flow. [cur]"""

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
        # "+ 0.0" turns the -0.0 of negated zero costs into 0.0 for display
        data = np.stack([getattr(self, name)[case] for name, _ in ROW_ORDER]) + 0.0
        return pd.DataFrame(
            data,
            index=pd.Index(labels, name="line item"),
            columns=pd.Index(self.years, name="year"),
        )


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


def _tax(taxable: FloatArray, inputs: CashFlowInputs):  # -> TaxResult
    return income_tax(
        taxable,
        inputs.tax_rate,
        holiday_years=inputs.tax_holiday_years,
        carry_forward=inputs.loss_carry_forward,
        carry_forward_years=inputs.loss_carry_forward_years,
    )


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
    loan_life(loan, n)
    cfads = np.broadcast_to(
        rows["cash_unlevered"] + rows["project_tax"], (n_cases, n + 1)
    )
    tolerance = 1e-9 * np.maximum(np.abs(capex), 1.0)
    for _ in range(200):
        schedule, _wanted = sculpted_schedule(
            loan, cfads, capex=capex[:, 0], grants=grants[:, 0], n_years=n
        )
        levered = _tax(rows["taxable_unlevered"] + schedule.interest, inputs).tax
        updated = np.broadcast_to(rows["cash_unlevered"] + levered, cfads.shape)
        change = np.max(np.abs(updated - cfads), axis=1, keepdims=True)
        cfads = updated
        if (change <= tolerance).all():
            break
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


#: Fields whose arrays run over years (their first axis, if 2-D, is the case axis).
_YEAR_AXIS_FIELDS = frozenset(
    {"self_consumed_fraction", "consumption_kwh", "official_eur_path"}
)


def _case_sizes(parent: object, named: dict[str, int]) -> None:
    for item in fields(parent):  # type: ignore[arg-type]
        value = getattr(parent, item.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            _case_sizes(value, named)
        elif isinstance(value, np.ndarray | list):
            array = np.asarray(value)
            if item.name.endswith("fx") or item.name in _YEAR_AXIS_FIELDS:
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


def _rate(rate: ArrayLike | None, inputs: CashFlowInputs) -> ArrayLike:
    return inputs.inflation_rate if rate is None else rate


def _operating_costs(
    energy_row: FloatArray, capex: FloatArray, inputs: CashFlowInputs
) -> dict[str, FloatArray]:
    """Fixed and variable O&M, insurance and land lease, negative, years 0..N."""
    n = inputs.analysis_years
    operating = year_index(n) >= 1

    def cost(amount: ArrayLike, rate: ArrayLike | None, fx: object, name: str):
        return (
            -escalated(
                amount, _rate(rate, inputs), fx, n_years=n, base_year=1, name=name
            )
            * operating
        )

    rows = {
        "fixed_om": cost(
            inputs.fixed_om_per_year,
            inputs.fixed_om_escalation_rate,
            inputs.fixed_om_fx,
            "fixed_om",
        ),
        "variable_om": cost(
            inputs.variable_om_per_kwh,
            inputs.variable_om_escalation_rate,
            inputs.variable_om_fx,
            "variable_om",
        )
        * energy_row,
        "insurance": cost(
            inputs.insurance_rate, inputs.insurance_escalation_rate, None, "insurance"
        )
        * capex,
        "land_lease": cost(
            inputs.land_lease_per_year,
            inputs.land_lease_escalation_rate,
            inputs.land_lease_fx,
            "land_lease",
        ),
    }
    rows["opex_total"] = (
        rows["fixed_om"] + rows["variable_om"] + rows["insurance"] + rows["land_lease"]
    )
    return rows


def _in_kind(inputs: CashFlowInputs) -> FloatArray:
    """In-kind contributions as (negative) costs: a year-0 value and a yearly one."""
    n = inputs.analysis_years
    years = year_index(n)
    yearly = escalated(
        inputs.in_kind_per_year,
        _rate(inputs.in_kind_escalation_rate, inputs),
        None,
        n_years=n,
        base_year=1,
        name="in_kind_per_year",
    )
    value = as_case_column(inputs.in_kind_value, name="in_kind_value")
    return -(np.where(years == 0, value, 0.0) + yearly * (years >= 1))


def _capital_events(inputs: CashFlowInputs) -> dict[str, FloatArray]:
    """Inverter and module replacement and end of life, at year-0 prices."""
    n = inputs.analysis_years
    years = year_index(n)

    def at_year0_prices(amount: ArrayLike, rate: ArrayLike | None, fx: object, name):
        return escalated(
            amount, _rate(rate, inputs), fx, n_years=n, base_year=0, name=name
        )

    replacement = np.zeros_like(years)
    if inputs.replacement_year is not None:
        cost = at_year0_prices(
            inputs.replacement_cost,
            inputs.replacement_escalation_rate,
            inputs.replacement_fx,
            "replacement",
        )
        replacement = -cost * (years == inputs.replacement_year)
    salvage = at_year0_prices(
        inputs.salvage_value,
        inputs.salvage_escalation_rate,
        inputs.salvage_fx,
        "salvage_value",
    )
    decommissioning = at_year0_prices(
        inputs.decommissioning_cost,
        inputs.decommissioning_escalation_rate,
        inputs.decommissioning_fx,
        "decommissioning_cost",
    )
    return {
        "replacement": replacement,
        "module_replacement": module_replacement_row(
            inputs.module_replacement, inflation_rate=inputs.inflation_rate, n_years=n
        ),
        "end_of_life": (salvage - decommissioning) * (years == n),
    }
