"""The inputs of the cash-flow engine: every finance parameter, resolved.

:class:`CashFlowInputs` is what :func:`~solarcase.finance.cashflow.cash_flow` takes:
amounts, rates, paths and the revenue, loan and tax rules of one scenario (or of
many cases at once, as arrays). ``scenario/to_finance.py`` builds it from a scenario;
Monte Carlo and sensitivity replace its fields. No file or network I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from numpy.typing import ArrayLike

from solarcase.errors import FinanceError
from solarcase.finance.costs import ModuleReplacement
from solarcase.finance.debt import Loan, loan_life
from solarcase.finance.rates import check_years
from solarcase.finance.revenue import LatePayment
from solarcase.finance.tariff import RevenueScheme
from solarcase.finance.tax import Depreciation

__all__ = ["CashFlowInputs", "is_year_axis_field"]

#: Array fields that run over years besides the exchange-rate paths (``*fx``).
_YEAR_AXIS_FIELDS = frozenset(
    {"self_consumed_fraction", "consumption_kwh", "official_eur_path"}
)


def is_year_axis_field(name: str) -> bool:
    """Whether a field of the cash-flow inputs (or of a scheme, loan or rule in
    them) runs over years rather than over cases.

    Exchange-rate paths (every name ending in ``fx``), the official EUR path,
    self-consumed shares and an obligation's consumption give one value per year;
    as a 2-D array their first axis is the case and their last the year. Every
    other array field has one value per case.

    Examples
    --------
    >>> is_year_axis_field("fixed_om_fx"), is_year_axis_field("capex")
    (True, False)
    """
    return name.endswith("fx") or name in _YEAR_AXIS_FIELDS


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
        if self.debt is not None:
            loan_life(self.debt, n)
        check_years(self.tax_holiday_years, name="tax_holiday_years", minimum=0)
