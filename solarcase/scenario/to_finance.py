"""Translate the validated ``finance`` section into the cash-flow engine's inputs.

Per-kWp and per-kW costs become amounts for the plant's size; tomans become rials;
a year-0 amount in a foreign currency converts at the year-0 rate, and a later one
keeps its currency and gets the exchange-rate path (the engine escalates it in its
own currency and converts year by year); every escalation rate left out becomes the
inflation of the item's currency; a real discount rate becomes nominal through
:mod:`solarcase.finance.rates` (the only place that converts). The result is a plain
:class:`~solarcase.finance.cashflow.CashFlowInputs`: the core never sees pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solarcase.errors import ScenarioError
from solarcase.finance import tariff as core
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    DecliningBalanceDepreciation,
    EqualPrincipalLoan,
    ModuleReplacement,
    SculptedLoan,
    StraightLineDepreciation,
)
from solarcase.finance.currency import exchange_rate_path
from solarcase.finance.hourly import RevenueFactors
from solarcase.finance.rates import nominal_from_real
from solarcase.finance.reference import ReferenceCurrency
from solarcase.finance.revenue import LatePayment
from solarcase.scenario import finance as model
from solarcase.scenario.finance import DEFAULT_INFLATION, TOMAN, Finance
from solarcase.units import RIAL_PER_TOMAN

__all__ = [
    "MetricSettings",
    "capex_breakdown",
    "cash_flow_inputs",
    "discount_rate_nominal",
    "exchange_rate_paths",
    "metric_settings",
    "reference_currency",
]


def _or_zero(value: Any) -> Any:
    """0 for an amount left out (None); the amount itself otherwise, scalar or the
    array a Monte Carlo passes through ``model_copy``."""
    return 0.0 if value is None else value


def _check_size(dc_capacity_kwp: float, ac_capacity_kw: float) -> None:
    if not dc_capacity_kwp > 0 or not ac_capacity_kw > 0:
        raise ValueError(
            "dc_capacity_kwp and ac_capacity_kw must be > 0, got "
            f"{dc_capacity_kwp!r} and {ac_capacity_kw!r}"
        )


def exchange_rate_paths(finance: Finance) -> dict[str, np.ndarray]:
    """Every foreign currency's rate for years 0..N.

    Returns
    -------
    paths : dict of str to numpy.ndarray
        Code -> shape ``(N + 1,)``, model-currency units per unit. [cur/unit]
    """
    return {
        code: _path(path, finance.analysis_years)
        for code, path in finance.exchange_rates.items()
    }


def _path(path: model.ExchangeRatePath, n_years: int) -> np.ndarray:
    if path.values is not None:
        return np.asarray(path.values[: n_years + 1], dtype=float)
    assert path.start_rate is not None and path.escalation_rate is not None
    paths = exchange_rate_path(
        path.start_rate, escalation_rate=path.escalation_rate, n_years=n_years
    )
    # one path for a scenario; one per case when Monte Carlo passes arrays
    return paths[0] if paths.shape[0] == 1 else paths


@dataclass(frozen=True, slots=True)
class _Money:
    """How amounts in one currency enter the engine."""

    factor: float
    """Multiplier into the currency of ``fx`` (10 for tomans, else 1)."""
    fx: np.ndarray | None
    """Exchange-rate path; None: the model currency."""
    inflation_rate: float
    """The currency's inflation, its default escalation. [fraction/year]"""

    def year0(self, amount: float) -> float:
        """A year-0 amount in the model currency. [cur]"""
        return amount * self.factor * (1.0 if self.fx is None else self.fx[..., 0])

    def escalation(self, rate: float | None) -> float:
        return self.inflation_rate if rate is None else rate


class _Currencies:
    def __init__(self, finance: Finance) -> None:
        self.finance = finance
        self.paths = exchange_rate_paths(finance)

    def inflation(self, code: str) -> float:
        stated = self.finance.exchange_rates[code].inflation_rate
        return DEFAULT_INFLATION[code] if stated is None else stated

    def __call__(self, code: str | None) -> _Money:
        model_code = self.finance.currency
        if code is None or code == model_code:
            return _Money(1.0, None, self.finance.inflation_rate)
        if code == TOMAN:
            if model_code == "IRR":
                return _Money(RIAL_PER_TOMAN, None, self.finance.inflation_rate)
            return _Money(RIAL_PER_TOMAN, self.paths["IRR"], self.inflation("IRR"))
        return _Money(1.0, self.paths[code], self.inflation(code))


def _item_cost(item: model.CapexItem, dc_kwp: float, ac_kw: float) -> float:
    """The item's cost in its own currency. [unit]"""
    if item.amount is not None:
        return item.amount
    if item.per_kwp is not None:
        return item.per_kwp * dc_kwp
    assert item.per_kw_ac is not None  # guaranteed by CapexItem's validator
    return item.per_kw_ac * ac_kw


def capex_breakdown(
    finance: Finance, *, dc_capacity_kwp: float, ac_capacity_kw: float
) -> dict[str, float]:
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
    capex : dict of str to float
        Item name -> cost at year 0, converted at the year-0 rate, in the
        scenario's order. [cur]
    """
    _check_size(dc_capacity_kwp, ac_capacity_kw)
    money = _Currencies(finance)
    return {
        name: money(item.currency).year0(
            _item_cost(item, dc_capacity_kwp, ac_capacity_kw)
        )
        for name, item in finance.capex.items()
    }


def discount_rate_nominal(finance: Finance) -> float:
    """The nominal discount rate, from whichever rate the scenario states.

    Returns
    -------
    discount_rate_nominal : float
        As given, or (1 + real)(1 + inflation) - 1. [fraction/year]
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
    money = _Currencies(finance)
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
        tariff=_revenue(finance, money, factors),
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
    finance: Finance, money: _Currencies, dc_kwp: float
) -> dict[str, Any]:
    """Year-1 amounts, escalation rates and FX paths of the operating costs."""
    costs = finance.operating_costs
    out: dict[str, Any] = {}
    fixed = costs.fixed_om
    if fixed is not None:
        m = money(fixed.currency)
        amount = (
            fixed.per_year
            if fixed.per_year is not None
            else _or_zero(fixed.per_kwp_year) * dc_kwp
        )
        out |= {
            "fixed_om_per_year": amount * m.factor,
            "fixed_om_escalation_rate": m.escalation(fixed.escalation_rate),
            "fixed_om_fx": m.fx,
        }
    variable = costs.variable_om
    if variable is not None:
        m = money(variable.currency)
        out |= {
            "variable_om_per_kwh": variable.per_kwh * m.factor,
            "variable_om_escalation_rate": m.escalation(variable.escalation_rate),
            "variable_om_fx": m.fx,
        }
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
        m = money(lease.currency)
        out |= {
            "land_lease_per_year": lease.per_year * m.factor,
            "land_lease_escalation_rate": m.escalation(lease.escalation_rate),
            "land_lease_fx": m.fx,
        }
    return out


def _end_of_life(
    item: model.EndOfLifeItem, money: _Currencies, capex: float, dc_kwp: float
) -> tuple[float, float, np.ndarray | None]:
    """Amount at year-0 prices in its currency, escalation and FX path."""
    m = money(item.currency)
    if item.capex_fraction is not None:
        return item.capex_fraction * capex, m.escalation(item.escalation_rate), None
    amount = item.amount if item.amount is not None else _or_zero(item.per_kwp) * dc_kwp
    return amount * m.factor, m.escalation(item.escalation_rate), m.fx


def _one_off_costs(
    finance: Finance,
    money: _Currencies,
    capex: float,
    dc_kwp: float,
    ac_kw: float,
) -> dict[str, Any]:
    """Inverter replacement, salvage and decommissioning at year-0 prices."""
    out: dict[str, Any] = {}
    replacement = finance.inverter_replacement
    if replacement is not None:
        m = money(replacement.currency)
        amount = (
            replacement.amount
            if replacement.amount is not None
            else _or_zero(replacement.per_kw_ac) * ac_kw
        )
        out |= {
            "replacement_year": replacement.year,
            "replacement_cost": amount * m.factor,
            "replacement_escalation_rate": m.escalation(replacement.escalation_rate),
            "replacement_fx": m.fx,
        }
    for name, key in (
        ("salvage", "salvage_value"),
        ("decommissioning", "decommissioning_cost"),
    ):
        item = getattr(finance.end_of_life, name)
        if item is not None:
            amount, rate, fx = _end_of_life(item, money, capex, dc_kwp)
            out |= {key: amount, f"{name}_escalation_rate": rate, f"{name}_fx": fx}
    return out


def _grants_and_in_kind(finance: Finance, money: _Currencies) -> dict[str, Any]:
    grants = [(money(g.currency).year0(g.amount), g) for g in finance.grants.values()]
    reduce = {g.reduces_depreciable_basis for _, g in grants}
    if len(reduce) > 1:
        raise ScenarioError(
            "finance.grants: some grants reduce the depreciable basis and some do "
            "not; solarcase applies one rule to all grants, so set "
            "reduces_depreciable_basis the same on every grant"
        )
    value, per_year = 0.0, 0.0
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
        per_year += _or_zero(item.per_year) * m.factor
    return {
        "grants": sum(amount for amount, _ in grants),
        "grants_reduce_depreciable_basis": reduce != {False},
        "in_kind_value": value,
        "in_kind_per_year": per_year,
        "in_kind_escalation_rate": escalation,
    }


def _module_replacement(
    finance: Finance, money: _Currencies, dc_kwp: float, ac_kw: float
) -> ModuleReplacement | None:
    rule = finance.module_replacement
    if rule is None:
        return None
    item = finance.capex[rule.capex_item]
    m = money(item.currency)
    return ModuleReplacement(
        cost=_item_cost(item, dc_kwp, ac_kw) * m.factor,
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


def _tax(finance: Finance, depreciable: float, capex: float) -> dict[str, Any]:
    tax = finance.tax
    if tax is None:
        return {}
    rule = tax.depreciation
    # element-wise, so that Monte Carlo draws can pass arrays through
    fraction = np.where(
        np.asarray(capex) > 0,
        depreciable / np.where(np.asarray(capex) > 0, capex, 1.0),
        1.0,
    )
    fraction = float(fraction) if fraction.ndim == 0 else fraction
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


def _revenue(
    finance: Finance, money: _Currencies, factors: RevenueFactors
) -> core.RevenueScheme:
    revenue = finance.revenue
    m = money(revenue.currency)
    if isinstance(revenue, model.EscalatingTariff):
        return core.EscalatingTariff(
            price_per_kwh=revenue.price_per_kwh * m.factor,
            escalation_rate=revenue.escalation_rate,
            contract_years=revenue.contract_years,
            price_after_contract_per_kwh=_or_zero(revenue.price_after_contract_per_kwh)
            * m.factor,
            escalation_after_contract_rate=m.escalation(
                revenue.escalation_after_contract_rate
            ),
            fx=m.fx,
            after_contract_fx=m.fx,
        )
    if isinstance(revenue, model.GuaranteedPurchase):
        return _guaranteed_purchase(finance, revenue, m, factors)
    if isinstance(revenue, model.MarketSale):
        return core.MarketSale(
            price_per_kwh=revenue.price_per_kwh * m.factor,
            escalation_rate=m.escalation(revenue.escalation_rate),
            fx=m.fx,
        )
    return _self_consumption(revenue, m, factors)


def _guaranteed_purchase(
    finance: Finance,
    revenue: model.GuaranteedPurchase,
    m: _Money,
    factors: RevenueFactors,
) -> core.GuaranteedPurchase:
    eur = revenue.official_eur_rate or finance.exchange_rates["EUR"]
    steps = sorted(revenue.step_downs.items())
    return core.GuaranteedPurchase(
        base_price_per_kwh=revenue.base_price_per_kwh * m.factor,
        alpha=revenue.alpha,
        official_eur_path=_path(eur, finance.analysis_years),
        cpi_inflation_rate=(
            finance.inflation_rate
            if revenue.cpi_inflation_rate is None
            else revenue.cpi_inflation_rate
        ),
        alpha_weights=revenue.alpha_weights,
        step_down_years=tuple(year for year, _ in steps),
        step_down_factors=tuple(factor for _, factor in steps),
        step_down_mode=revenue.step_down_mode or "absolute",
        contract_years=revenue.contract_years,
        price_after_contract_per_kwh=_or_zero(revenue.price_after_contract_per_kwh)
        * m.factor,
        escalation_after_contract_rate=m.escalation(
            revenue.escalation_after_contract_rate
        ),
        time_of_day_factor=factors.time_of_day_factor,
        fx=m.fx,
        after_contract_fx=m.fx,
    )


def _self_consumption(
    revenue: model.SelfConsumption, m: _Money, factors: RevenueFactors
) -> core.SelfConsumption:
    if factors.self_consumed_fraction is None or factors.consumption_kwh is None:
        raise ScenarioError(
            "finance.revenue: the self_consumption scheme needs the hourly "
            "production and load (run it through solarcase.pipeline.run_scenario)"
        )
    obligation = None
    rule = revenue.obligation
    if rule is not None:
        obligation = core.RenewableObligation(
            consumption_kwh=factors.consumption_kwh,
            first_share=rule.first_share,
            yearly_step=rule.yearly_step,
            max_share=rule.max_share,
            penalty_price_per_kwh=rule.penalty_price_per_kwh * m.factor,
            penalty_escalation_rate=m.escalation(rule.penalty_escalation_rate),
            fx=m.fx,
        )
    return core.SelfConsumption(
        self_consumed_fraction=factors.self_consumed_fraction,
        purchase_price_per_kwh=revenue.purchase_price_per_kwh * m.factor,
        purchase_escalation_rate=m.escalation(revenue.purchase_escalation_rate),
        export_price_per_kwh=revenue.export_price_per_kwh * m.factor,
        export_escalation_rate=m.escalation(revenue.export_escalation_rate),
        obligation=obligation,
        purchase_fx=m.fx,
        export_fx=m.fx,
    )


def reference_currency(finance: Finance) -> ReferenceCurrency | None:
    """The reference currency's path and inflation, if the scenario names one."""
    code = finance.reference_currency
    if code is None:
        return None
    money = _Currencies(finance)
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
    """Targets and MIRR rates, defaults filled in with the nominal discount rate."""
    rate = discount_rate_nominal(finance)
    targets, mirr = finance.targets, finance.mirr
    return MetricSettings(
        target_equity_irr=rate if targets.equity_irr is None else targets.equity_irr,
        target_dscr=targets.min_dscr,
        mirr_finance_rate=rate if mirr.finance_rate is None else mirr.finance_rate,
        mirr_reinvestment_rate=(
            rate if mirr.reinvestment_rate is None else mirr.reinvestment_rate
        ),
    )
