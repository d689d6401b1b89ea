"""The yearly cash-flow table: named rows over years 0..N for every case.

:class:`CashFlowTable` holds what :func:`~solarcase.finance.cashflow.cash_flow`
computes, one read-only array of shape ``(n_cases, N + 1)`` per row;
:data:`ROW_ORDER` lists the rows in display order with their labels and units. No file
or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = ["ROW_ORDER", "CashFlowTable"]


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
    ("revenue_received", "revenue received in cash [cur]"),
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
    revenue_received: FloatArray
    """Revenue in cash: revenue plus receivables change (what was invoiced and
    saved, less what is paid later, plus late payments arriving). [cur]"""
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
