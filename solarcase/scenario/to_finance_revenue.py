"""Translate the scenario's ``finance.revenue`` into the engine's revenue scheme.

Guaranteed purchase (SATBA), escalating tariff, market sale and self-consumption:
prices stated in tomans become rials, prices in a foreign currency keep it and get its
exchange-rate path, and an escalation left out becomes the inflation of the price's
currency (:mod:`solarcase.scenario.to_finance_money`). Used by
:func:`solarcase.scenario.to_finance.cash_flow_inputs`.
"""

from __future__ import annotations

from typing import Any

from solarcase.errors import ScenarioError
from solarcase.finance import tariff as core
from solarcase.finance.hourly import RevenueFactors
from solarcase.scenario import finance as model
from solarcase.scenario.finance import Finance
from solarcase.scenario.to_finance_money import Currencies, Money, or_zero, rate_path

__all__ = ["revenue_scheme"]


def revenue_scheme(
    finance: Finance, money: Currencies, factors: RevenueFactors
) -> core.RevenueScheme:
    """The engine's revenue scheme for the scenario's ``finance.revenue``.

    Parameters
    ----------
    finance : Finance
        The validated finance section.
    money : Currencies
        How each currency's amounts enter the engine.
    factors : RevenueFactors
        From the hourly simulation: the time-of-day factor and the self-consumed
        shares (empty outside the self-consumption scheme).

    Returns
    -------
    scheme : solarcase.finance.tariff.RevenueScheme
        Prices in the currency of their FX path (None: model currency) [cur/kWh].

    Raises
    ------
    ScenarioError
        If the self-consumption scheme is used without revenue factors.
    """
    revenue = finance.revenue
    m = money(revenue.currency)
    if isinstance(revenue, model.EscalatingTariff):
        return core.EscalatingTariff(
            price_per_kwh=revenue.price_per_kwh * m.factor,
            escalation_rate=revenue.escalation_rate,
            **_contract_terms(revenue, m),
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


def _contract_terms(
    revenue: model.EscalatingTariff | model.GuaranteedPurchase, m: Money
) -> dict[str, Any]:
    """Contract length and what follows it, alike in both contract schemes: the price
    after the contract [cur/kWh] (0 if left out), its escalation and the FX paths."""
    return {
        "contract_years": revenue.contract_years,
        "price_after_contract_per_kwh": (
            or_zero(revenue.price_after_contract_per_kwh) * m.factor
        ),
        "escalation_after_contract_rate": m.escalation(
            revenue.escalation_after_contract_rate
        ),
        "fx": m.fx,
        "after_contract_fx": m.fx,
    }


def _guaranteed_purchase(
    finance: Finance,
    revenue: model.GuaranteedPurchase,
    m: Money,
    factors: RevenueFactors,
) -> core.GuaranteedPurchase:
    eur = revenue.official_eur_rate or finance.exchange_rates["EUR"]
    steps = sorted(revenue.step_downs.items())
    return core.GuaranteedPurchase(
        base_price_per_kwh=revenue.base_price_per_kwh * m.factor,
        alpha=revenue.alpha,
        official_eur_path=rate_path(eur, finance.analysis_years),
        cpi_inflation_rate=(
            finance.inflation_rate
            if revenue.cpi_inflation_rate is None
            else revenue.cpi_inflation_rate
        ),
        alpha_weights=revenue.alpha_weights,
        step_down_years=tuple(year for year, _ in steps),
        step_down_factors=tuple(factor for _, factor in steps),
        step_down_mode=revenue.step_down_mode or "absolute",
        time_of_day_factor=factors.time_of_day_factor,
        **_contract_terms(revenue, m),
    )


def _self_consumption(
    revenue: model.SelfConsumption, m: Money, factors: RevenueFactors
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
