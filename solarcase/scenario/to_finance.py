"""Translate the validated ``finance`` section into the cash-flow engine's inputs.

Per-kWp and per-kW costs become amounts for the plant's size; tomans become rials;
a year-0 amount in a foreign currency converts at the year-0 rate, and a later one
keeps its currency and gets the exchange-rate path (the engine escalates it in its
own currency and converts year by year); every escalation rate left out becomes the
inflation of the item's currency; a real discount rate becomes nominal through
:mod:`solarcase.finance.rates` (the only place that converts). The result is a plain
:class:`~solarcase.finance.cashflow.CashFlowInputs`: the core never sees pydantic.
How an amount in each currency enters the engine is in
:mod:`~solarcase.scenario.to_finance_money`; the revenue schemes are translated in
:mod:`~solarcase.scenario.to_finance_revenue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solarcase.errors import ScenarioError
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    DecliningBalanceDepreciation,
    EqualPrincipalLoan,
    ModuleReplacement,
    SculptedLoan,
    StraightLineDepreciation,
)
from solarcase.finance.hourly import RevenueFactors
from solarcase.finance.rates import FloatArray, nominal_from_real
from solarcase.finance.reference import ReferenceCurrency
from solarcase.finance.revenue import LatePayment
from solarcase.scenario import finance as model
from solarcase.scenario.finance import Finance
from solarcase.scenario.to_finance_money import (
    Currencies,
    Money,
    cost_keys,
    exchange_rate_paths,
    item_cost,
    or_zero,
    stated_or_scaled,
)
from solarcase.scenario.to_finance_revenue import revenue_scheme

__all__ = [
    "MetricSettings",
    "capex_breakdown",
    "cash_flow_inputs",
    "discount_rate_nominal",
    "exchange_rate_paths",
    "metric_settings",
    "reference_currency",
]


def _check_size(dc_capacity_kwp: float, ac_capacity_kw: float) -> None:
    if not dc_capacity_kwp > 0 or not ac_capacity_kw > 0:
        raise ValueError(
            "dc_capacity_kwp and ac_capacity_kw must be > 0, got "
            f"{dc_capacity_kwp!r} and {ac_capacity_kw!r}"
        )


def capex_breakdown(
    finance: Finance, *, dc_capacity_kwp: float, ac_capacity_kw: float
) -> dict[str, float | FloatArray]:
    """Each capex item as an amount for this plant in the model currency.

    Parameters
    ----------
    finance : Finance
        The validated finance section.
    dc_capacity_kwp : float
        DC nameplate. [kWp]
    ac_capacity_kw : float
        Inverter AC rating. [kW]

    Returns
    -------
    capex : dict of str to float or numpy.ndarray
        Item name -> cost at year 0, converted at the year-0 rate, in the
        scenario's order: floats for a scenario, one cost per case when a Monte
        Carlo passes arrays. [cur]
    """
    _check_size(dc_capacity_kwp, ac_capacity_kw)
    money = Currencies(finance)
    return {
        name: money(item.currency).year0(
            item_cost(item, dc_capacity_kwp, ac_capacity_kw)
        )
        for name, item in finance.capex.items()
    }


def discount_rate_nominal(finance: Finance) -> float | FloatArray:
    """The nominal discount rate, from whichever rate the scenario states.

    Returns
    -------
    discount_rate_nominal : float or numpy.ndarray
        As given, or (1 + real)(1 + inflation) - 1: a float for a scenario, one
        rate per case, shape (n_cases,), when a Monte Carlo passes the real rate
        or the inflation as arrays. [fraction/year]
    """
    if finance.discount_rate_nominal is not None:
        return finance.discount_rate_nominal
    assert finance.discount_rate_real is not None  # guaranteed by Finance
    return nominal_from_real(finance.discount_rate_real, finance.inflation_rate)


def cash_flow_inputs(
    finance: Finance,
    *,
    dc_capacity_kwp: float,
    ac_capacity_kw: float,
    revenue_factors: RevenueFactors | None = None,
) -> CashFlowInputs:
    """The cash-flow engine's inputs for one scenario.

    Parameters
    ----------
    finance : Finance
        The validated finance section.
    dc_capacity_kwp : float
        DC nameplate. [kWp]
    ac_capacity_kw : float
        Inverter AC rating. [kW]
    revenue_factors : RevenueFactors, optional
        From the hourly simulation: the time-of-day factor and the self-consumed
        shares; required by the self-consumption scheme.

    Returns
    -------
    inputs : CashFlowInputs
        Amounts in the model currency (or in their own currency with a path),
        every escalation rate explicit, the discount rate nominal.

    Raises
    ------
    ScenarioError
        If the self-consumption scheme is used without revenue factors.
    ValueError
        If a capacity is not positive (the system model guarantees it).
    """
    money = Currencies(finance)
    items = capex_breakdown(
        finance, dc_capacity_kwp=dc_capacity_kwp, ac_capacity_kw=ac_capacity_kw
    )
    capex = sum(items.values())
    depreciable = sum(
        items[name] for name, item in finance.capex.items() if item.depreciable
    )
    factors = revenue_factors or RevenueFactors()
    return CashFlowInputs(
        analysis_years=finance.analysis_years,
        capex=capex,
        tariff=revenue_scheme(finance, money, factors),
        discount_rate_nominal=discount_rate_nominal(finance),
        inflation_rate=finance.inflation_rate,
        **_operating_costs(finance, money, dc_capacity_kwp),
        **_one_off_costs(finance, money, capex, dc_capacity_kwp, ac_capacity_kw),
        **_grants_and_in_kind(finance, money),
        module_replacement=_module_replacement(
            finance, money, dc_capacity_kwp, ac_capacity_kw
        ),
        late_payment=_late_payment(finance.late_payment),
        debt=_loan(finance.debt),
        **_tax(finance, depreciable, capex),
    )


def _operating_costs(
    finance: Finance, money: Currencies, dc_kwp: float
) -> dict[str, Any]:
    """Year-1 amounts, escalation rates and FX paths of the operating costs."""
    costs = finance.operating_costs
    out: dict[str, Any] = {}
    fixed = costs.fixed_om
    if fixed is not None:
        amount = stated_or_scaled(fixed.per_year, fixed.per_kwp_year, dc_kwp)
        out |= cost_keys(
            "fixed_om_per_year",
            "fixed_om",
            money(fixed.currency),
            amount,
            fixed.escalation_rate,
        )
    variable = costs.variable_om
    if variable is not None:
        out |= cost_keys(
            "variable_om_per_kwh",
            "variable_om",
            money(variable.currency),
            variable.per_kwh,
            variable.escalation_rate,
        )
    insurance = costs.insurance
    if insurance is not None:
        out |= {
            "insurance_rate": insurance.capex_fraction_per_year,
            "insurance_escalation_rate": money(None).escalation(
                insurance.escalation_rate
            ),
        }
    lease = costs.land_lease
    if lease is not None:
        out |= cost_keys(
            "land_lease_per_year",
            "land_lease",
            money(lease.currency),
            lease.per_year,
            lease.escalation_rate,
        )
    return out


def _end_of_life(
    name: str,
    key: str,
    item: model.EndOfLifeItem,
    money: Currencies,
    capex: float | FloatArray,
    dc_kwp: float,
) -> dict[str, Any]:
    """Amount at year-0 prices in its currency, escalation and FX path."""
    m = money(item.currency)
    if item.capex_fraction is not None:
        # a share of capex is in the model currency; it escalates as the item's
        # currency says
        m = Money(1.0, None, m.inflation_rate)
        amount = item.capex_fraction * capex
    else:
        amount = stated_or_scaled(item.amount, item.per_kwp, dc_kwp)
    return cost_keys(key, name, m, amount, item.escalation_rate)


def _one_off_costs(
    finance: Finance,
    money: Currencies,
    capex: float | FloatArray,
    dc_kwp: float,
    ac_kw: float,
) -> dict[str, Any]:
    """Inverter replacement, salvage and decommissioning at year-0 prices."""
    out: dict[str, Any] = {}
    replacement = finance.inverter_replacement
    if replacement is not None:
        amount = stated_or_scaled(replacement.amount, replacement.per_kw_ac, ac_kw)
        out |= {"replacement_year": replacement.year} | cost_keys(
            "replacement_cost",
            "replacement",
            money(replacement.currency),
            amount,
            replacement.escalation_rate,
        )
    for name, key in (
        ("salvage", "salvage_value"),
        ("decommissioning", "decommissioning_cost"),
    ):
        item = getattr(finance.end_of_life, name)
        if item is not None:
            out |= _end_of_life(name, key, item, money, capex, dc_kwp)
    return out


def _grants_and_in_kind(finance: Finance, money: Currencies) -> dict[str, Any]:
    grants = [(money(g.currency).year0(g.amount), g) for g in finance.grants.values()]
    reduce = {g.reduces_depreciable_basis for _, g in grants}
    if len(reduce) > 1:
        raise ScenarioError(
            "finance.grants: some grants reduce the depreciable basis and some do "
            "not; solarcase applies one rule to all grants, so set "
            "reduces_depreciable_basis the same on every grant"
        )
    value: float | FloatArray = 0.0
    per_year = 0.0
    escalation: float | None = None
    for name, item in finance.in_kind.items():
        m = money(item.currency)
        if item.amount is not None:
            value += m.year0(item.amount)
            continue
        if m.fx is not None:
            raise ScenarioError(
                f"finance.in_kind.{name}: a yearly in-kind value must be in the model "
                f"currency {finance.currency}; convert it or give a year-0 amount"
            )
        rate = m.escalation(item.escalation_rate)
        if escalation is not None and rate != escalation:
            raise ScenarioError(
                f"finance.in_kind.{name}: yearly in-kind values must share one "
                "escalation rate; give them the same escalation_rate"
            )
        escalation = rate
        per_year += or_zero(item.per_year) * m.factor
    return {
        "grants": sum(amount for amount, _ in grants),
        "grants_reduce_depreciable_basis": reduce != {False},
        "in_kind_value": value,
        "in_kind_per_year": per_year,
        "in_kind_escalation_rate": escalation,
    }


def _module_replacement(
    finance: Finance, money: Currencies, dc_kwp: float, ac_kw: float
) -> ModuleReplacement | None:
    rule = finance.module_replacement
    if rule is None:
        return None
    item = finance.capex[rule.capex_item]
    m = money(item.currency)
    return ModuleReplacement(
        cost=item_cost(item, dc_kwp, ac_kw) * m.factor,
        fraction_per_year=rule.fraction_per_year,
        fraction=rule.fraction,
        years=tuple(rule.years),
        escalation_rate=m.escalation(rule.escalation_rate),
        fx=m.fx,
    )


def _late_payment(rule: model.LatePayment | None) -> LatePayment | None:
    if rule is None:
        return None
    return LatePayment(rule.share, rule.delay_years, rule.unpaid_at_end)


def _loan(debt: Any) -> AnnuityLoan | EqualPrincipalLoan | SculptedLoan | None:
    if debt is None:
        return None
    terms = {
        "interest_rate": debt.interest_rate,
        "tenor_years": debt.tenor_years,
        "grace_years": debt.grace_years,
        "upfront_fee_fraction": debt.upfront_fee,
        "construction_interest_years": debt.construction_interest_years,
    }
    if isinstance(debt, model.SculptedDebt):
        return SculptedLoan(
            target_dscr=debt.target_dscr, max_gearing=debt.max_gearing, **terms
        )
    kind = AnnuityLoan if isinstance(debt, model.AnnuityDebt) else EqualPrincipalLoan
    return kind(capex_fraction=debt.capex_fraction, **terms)


def _tax(
    finance: Finance, depreciable: float | FloatArray, capex: float | FloatArray
) -> dict[str, Any]:
    tax = finance.tax
    if tax is None:
        return {}
    rule = tax.depreciation
    # element-wise, so that Monte Carlo draws can pass arrays through
    fractions = np.where(
        np.asarray(capex) > 0,
        depreciable / np.where(np.asarray(capex) > 0, capex, 1.0),
        1.0,
    )
    fraction = float(fractions) if fractions.ndim == 0 else fractions
    depreciation: StraightLineDepreciation | DecliningBalanceDepreciation
    if isinstance(rule, model.DecliningBalance):
        depreciation = DecliningBalanceDepreciation(
            life_years=rule.life_years,
            factor=rule.factor,
            half_year_convention=rule.half_year_convention,
            basis_fraction=fraction,
        )
    else:
        depreciation = StraightLineDepreciation(
            life_years=rule.life_years,
            half_year_convention=rule.half_year_convention,
            basis_fraction=fraction,
        )
    return {
        "tax_rate": tax.rate,
        "depreciation": depreciation,
        "tax_holiday_years": tax.holiday_years,
        "loss_carry_forward": tax.loss_carry_forward,
        "loss_carry_forward_years": tax.loss_expiry_years,
    }


def reference_currency(finance: Finance) -> ReferenceCurrency | None:
    """The reference currency's path and inflation, if the scenario names one."""
    code = finance.reference_currency
    if code is None:
        return None
    money = Currencies(finance)
    return ReferenceCurrency(fx=money.paths[code], inflation_rate=money.inflation(code))


@dataclass(frozen=True, slots=True)
class MetricSettings:
    """Targets and rates of the metrics, resolved."""

    target_equity_irr: float
    """Nominal equity IRR target of the solved capex. [fraction/year]"""
    target_dscr: float
    """DSCR target of the solved debt. [-]"""
    mirr_finance_rate: float
    """Finance rate of the MIRR. [fraction/year]"""
    mirr_reinvestment_rate: float
    """Reinvestment rate of the MIRR. [fraction/year]"""


def metric_settings(finance: Finance) -> MetricSettings:
    """Targets and MIRR rates of one scenario, defaults filled in with the nominal
    discount rate."""
    rate = float(discount_rate_nominal(finance))  # a scenario's rate is one number
    targets, mirr = finance.targets, finance.mirr
    return MetricSettings(
        target_equity_irr=rate if targets.equity_irr is None else targets.equity_irr,
        target_dscr=targets.min_dscr,
        mirr_finance_rate=rate if mirr.finance_rate is None else mirr.finance_rate,
        mirr_reinvestment_rate=(
            rate if mirr.reinvestment_rate is None else mirr.reinvestment_rate
        ),
    )
