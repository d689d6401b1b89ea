"""Translate the validated ``finance`` section into the cash-flow engine's inputs.

Per-kWp and per-kW costs become amounts for the plant's size, every escalation rate
left out becomes the inflation rate, and a real discount rate becomes nominal through
:mod:`solarcase.finance.rates` (the only place that converts). The result is a plain
:class:`~solarcase.finance.cashflow.CashFlowInputs`: the core never sees pydantic.
"""

from __future__ import annotations

from typing import Protocol

from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    StraightLineDepreciation,
)
from solarcase.finance.rates import nominal_from_real
from solarcase.finance.tariff import EscalatingTariff as CoreTariff
from solarcase.scenario.finance import CapexItem, EndOfLifeItem, Finance

__all__ = ["capex_breakdown", "cash_flow_inputs", "discount_rate_nominal"]


def _check_size(dc_capacity_kwp: float, ac_capacity_kw: float) -> None:
    if not dc_capacity_kwp > 0 or not ac_capacity_kw > 0:
        raise ValueError(
            "dc_capacity_kwp and ac_capacity_kw must be > 0, got "
            f"{dc_capacity_kwp!r} and {ac_capacity_kw!r}"
        )


def _item_cost(item: CapexItem, dc_capacity_kwp: float, ac_capacity_kw: float) -> float:
    if item.amount is not None:
        return item.amount
    if item.per_kwp is not None:
        return item.per_kwp * dc_capacity_kwp
    assert item.per_kw_ac is not None  # guaranteed by CapexItem's validator
    return item.per_kw_ac * ac_capacity_kw


def capex_breakdown(
    finance: Finance, *, dc_capacity_kwp: float, ac_capacity_kw: float
) -> dict[str, float]:
    """Each capex item as an amount for this plant, in the scenario's order.

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
        Item name -> cost at year 0. [cur]
    """
    _check_size(dc_capacity_kwp, ac_capacity_kw)
    return {
        name: _item_cost(item, dc_capacity_kwp, ac_capacity_kw)
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
    return float(nominal_from_real(finance.discount_rate_real, finance.inflation_rate))


def _end_of_life(item: EndOfLifeItem | None, capex: float, dc_kwp: float) -> float:
    if item is None:
        return 0.0
    if item.amount is not None:
        return item.amount
    if item.per_kwp is not None:
        return item.per_kwp * dc_kwp
    assert item.capex_fraction is not None  # guaranteed by EndOfLifeItem
    return item.capex_fraction * capex


def cash_flow_inputs(
    finance: Finance, *, dc_capacity_kwp: float, ac_capacity_kw: float
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

    Returns
    -------
    inputs : CashFlowInputs
        Amounts in the model currency, every escalation rate explicit, the
        discount rate nominal.

    Raises
    ------
    ValueError
        If a capacity is not positive (the system model guarantees it).
    """
    items = capex_breakdown(
        finance, dc_capacity_kwp=dc_capacity_kwp, ac_capacity_kw=ac_capacity_kw
    )
    capex = sum(items.values())
    depreciable = sum(
        items[name] for name, item in finance.capex.items() if item.depreciable
    )
    revenue = finance.revenue
    tariff = CoreTariff(
        price_per_kwh=revenue.price_per_kwh,
        escalation_rate=revenue.escalation_rate,
        contract_years=revenue.contract_years,
        price_after_contract_per_kwh=revenue.price_after_contract_per_kwh or 0.0,
        escalation_after_contract_rate=_rate(
            finance, revenue.escalation_after_contract_rate
        ),
    )
    debt, tax = finance.debt, finance.tax
    return CashFlowInputs(
        analysis_years=finance.analysis_years,
        capex=capex,
        tariff=tariff,
        discount_rate_nominal=discount_rate_nominal(finance),
        inflation_rate=finance.inflation_rate,
        **_operating_costs(finance, dc_capacity_kwp),
        **_one_off_costs(finance, capex, dc_capacity_kwp, ac_capacity_kw),
        debt=(
            AnnuityLoan(debt.capex_fraction, debt.interest_rate, debt.tenor_years)
            if debt
            else None
        ),
        tax_rate=tax.rate if tax else 0.0,
        depreciation=(
            StraightLineDepreciation(
                life_years=tax.depreciation.life_years,
                half_year_convention=tax.depreciation.half_year_convention,
                basis_fraction=depreciable / capex if capex > 0 else 1.0,
            )
            if tax
            else None
        ),
    )


def _rate(finance: Finance, value: float | None) -> float:
    """An escalation rate, defaulting to inflation."""
    return finance.inflation_rate if value is None else value


class _Escalating(Protocol):
    @property
    def escalation_rate(self) -> float | None: ...


def _escalation(finance: Finance, item: _Escalating | None) -> float:
    """The escalation rate of an optional cost item, defaulting to inflation."""
    return _rate(finance, None if item is None else item.escalation_rate)


def _operating_costs(finance: Finance, dc_capacity_kwp: float) -> dict[str, float]:
    """Year-1 amounts and escalation rates of the four operating costs."""
    costs = finance.operating_costs
    fixed, variable = costs.fixed_om, costs.variable_om
    insurance, lease = costs.insurance, costs.land_lease
    fixed_per_year = 0.0
    if fixed is not None:
        fixed_per_year = (
            fixed.per_year
            if fixed.per_year is not None
            else (fixed.per_kwp_year or 0.0) * dc_capacity_kwp
        )
    return {
        "fixed_om_per_year": fixed_per_year,
        "fixed_om_escalation_rate": _escalation(finance, fixed),
        "variable_om_per_kwh": variable.per_kwh if variable else 0.0,
        "variable_om_escalation_rate": _escalation(finance, variable),
        "insurance_rate": insurance.capex_fraction_per_year if insurance else 0.0,
        "insurance_escalation_rate": _escalation(finance, insurance),
        "land_lease_per_year": lease.per_year if lease else 0.0,
        "land_lease_escalation_rate": _escalation(finance, lease),
    }


def _one_off_costs(
    finance: Finance, capex: float, dc_capacity_kwp: float, ac_capacity_kw: float
) -> dict[str, float | int | None]:
    """Inverter replacement, salvage and decommissioning at year-0 prices."""
    replacement = finance.inverter_replacement
    replacement_cost = 0.0
    if replacement is not None:
        replacement_cost = (
            replacement.amount
            if replacement.amount is not None
            else (replacement.per_kw_ac or 0.0) * ac_capacity_kw
        )
    salvage, decommissioning = (
        finance.end_of_life.salvage,
        finance.end_of_life.decommissioning,
    )
    return {
        "replacement_year": replacement.year if replacement else None,
        "replacement_cost": replacement_cost,
        "replacement_escalation_rate": _escalation(finance, replacement),
        "salvage_value": _end_of_life(salvage, capex, dc_capacity_kwp),
        "salvage_escalation_rate": _escalation(finance, salvage),
        "decommissioning_cost": _end_of_life(decommissioning, capex, dc_capacity_kwp),
        "decommissioning_escalation_rate": _escalation(finance, decommissioning),
    }
