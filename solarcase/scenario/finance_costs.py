"""What the plant costs, in the scenario's ``finance`` section.

Capex items, grants and contributions in kind at year 0; the yearly operating costs
(fixed and variable O&M, insurance, land lease), stated at operating-year-1 prices;
and the one-off future costs (inverter and module replacement, salvage and
decommissioning), stated at today's (year-0) prices. The conventions are described
in :mod:`solarcase.scenario.finance`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from solarcase.scenario.finance_money import (
    CURRENCY_HELP,
    ESCALATION_HELP,
    Currency,
    exactly_one,
)
from solarcase.scenario.types import STRICT, Fraction, NonNegative, Rate

__all__ = [
    "CapexItem",
    "EndOfLife",
    "EndOfLifeItem",
    "FixedOm",
    "Grant",
    "InKind",
    "Insurance",
    "InverterReplacement",
    "LandLease",
    "ModuleReplacement",
    "OperatingCosts",
    "VariableOm",
]


# --- capex, grants, in-kind -----------------------------------------------------------


class CapexItem(BaseModel):
    """One investment item at year 0: a lump sum, or a cost per kWp or per kW AC."""

    model_config = STRICT

    amount: NonNegative | None = Field(None, description="Lump sum [cur].")
    per_kwp: NonNegative | None = Field(
        None, description="Cost per kWp of DC capacity [cur/kWp]."
    )
    per_kw_ac: NonNegative | None = Field(
        None, description="Cost per kW of inverter AC capacity [cur/kW]."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    depreciable: bool = Field(
        True, description="Depreciated for tax; set false for land [-]."
    )

    @model_validator(mode="after")
    def _one_basis(self) -> CapexItem:
        exactly_one(self, ("amount", "per_kwp", "per_kw_ac"), "a capex item")
        return self


class Grant(BaseModel):
    """A grant received at year 0: cash that reduces what the owner puts in."""

    model_config = STRICT

    amount: NonNegative = Field(description="Amount [cur].")
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    reduces_depreciable_basis: bool = Field(
        True,
        description="Subtract the grant from the depreciable basis (no deduction for "
        "what the owner did not pay) [-].",
    )


class InKind(BaseModel):
    """A contribution in kind (e.g. municipal land): valued, shown, not paid in cash.

    It enters the LCOE (the energy's economic cost) but not NPV, IRR or payback.
    """

    model_config = STRICT

    amount: NonNegative | None = Field(
        None, description="Value at year 0 [cur]; for land, per_year is closer."
    )
    per_year: NonNegative | None = Field(
        None,
        description="Imputed yearly value in operating year 1, e.g. the land's "
        "rent [cur/year].",
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    escalation_rate: Rate | None = Field(None, description=ESCALATION_HELP)

    @model_validator(mode="after")
    def _one_basis(self) -> InKind:
        exactly_one(self, ("amount", "per_year"), "an in-kind item")
        return self


# --- operating costs -----------------------------------------------------------------


class FixedOm(BaseModel):
    """Fixed operation and maintenance cost, per kWp or as a yearly amount."""

    model_config = STRICT

    per_kwp_year: NonNegative | None = Field(
        None, description="Cost per kWp and year, in operating year 1 [cur/kWp/year]."
    )
    per_year: NonNegative | None = Field(
        None, description="Cost per year, in operating year 1 [cur/year]."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    escalation_rate: Rate | None = Field(None, description=ESCALATION_HELP)

    @model_validator(mode="after")
    def _one_basis(self) -> FixedOm:
        exactly_one(self, ("per_kwp_year", "per_year"), "fixed_om")
        return self


class VariableOm(BaseModel):
    """Operation and maintenance cost per kWh produced."""

    model_config = STRICT

    per_kwh: NonNegative = Field(
        description="Cost per kWh, in operating year 1 [cur/kWh]."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    escalation_rate: Rate | None = Field(None, description=ESCALATION_HELP)


class Insurance(BaseModel):
    """Yearly insurance premium as a share of capex."""

    model_config = STRICT

    capex_fraction_per_year: Fraction = Field(
        description="Premium in operating year 1 as a share of total capex "
        '[fraction/year], e.g. "0.5%".'
    )
    escalation_rate: Rate | None = Field(None, description=ESCALATION_HELP)


class LandLease(BaseModel):
    """Yearly rent for the land."""

    model_config = STRICT

    per_year: NonNegative = Field(description="Rent in operating year 1 [cur/year].")
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    escalation_rate: Rate | None = Field(None, description=ESCALATION_HELP)


class OperatingCosts(BaseModel):
    """Yearly costs of running the plant; an item left out costs nothing."""

    model_config = STRICT

    fixed_om: FixedOm | None = Field(None, description="Fixed O&M.")
    variable_om: VariableOm | None = Field(None, description="Variable O&M.")
    insurance: Insurance | None = Field(None, description="Insurance premium.")
    land_lease: LandLease | None = Field(None, description="Land lease.")


# --- one-off costs --------------------------------------------------------------------


class InverterReplacement(BaseModel):
    """A one-off inverter replacement in a given operating year."""

    model_config = STRICT

    year: int = Field(ge=1, description="Operating year of the replacement [-].")
    amount: NonNegative | None = Field(
        None, description="Cost at today's (year-0) prices [cur]."
    )
    per_kw_ac: NonNegative | None = Field(
        None, description="Cost per kW AC at today's (year-0) prices [cur/kW]."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 [fraction/year]; omitted: "
        "inflation of the currency.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> InverterReplacement:
        exactly_one(self, ("amount", "per_kw_ac"), "inverter_replacement")
        return self


class ModuleReplacement(BaseModel):
    """Modules replaced over the life, as a share of a capex item's cost."""

    model_config = STRICT

    capex_item: str = Field(
        description="The capex item the modules are (its cost, currency and "
        "year-0 prices are the basis), e.g. modules."
    )
    fraction_per_year: Fraction = Field(
        0.0, description="Share replaced every operating year [fraction/year]."
    )
    fraction: Fraction = Field(
        0.0, description="Share replaced in each of years [fraction]."
    )
    years: list[int] = Field(
        default_factory=list, description="Operating years of one-off replacements."
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Escalation from year 0 in the item's currency; omitted: its "
        "inflation.",
    )


class EndOfLifeItem(BaseModel):
    """A salvage value or decommissioning cost at the end of the last year."""

    model_config = STRICT

    amount: NonNegative | None = Field(
        None, description="At today's (year-0) prices [cur]."
    )
    per_kwp: NonNegative | None = Field(
        None, description="Per kWp, at today's (year-0) prices [cur/kWp]."
    )
    capex_fraction: Fraction | None = Field(
        None, description="As a share of total capex, at year-0 prices [fraction]."
    )
    currency: Currency | None = Field(
        None, description=CURRENCY_HELP + " Not with capex_fraction."
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 to the last year "
        "[fraction/year]; omitted: inflation of the currency.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> EndOfLifeItem:
        exactly_one(self, ("amount", "per_kwp", "capex_fraction"), "end_of_life item")
        if self.capex_fraction is not None and self.currency is not None:
            raise PydanticCustomError(
                "currency_with_fraction",
                "a capex_fraction is in the model currency; remove currency",
            )
        return self


class EndOfLife(BaseModel):
    """What happens at the end of the last operating year."""

    model_config = STRICT

    salvage: EndOfLifeItem | None = Field(
        None, description="Value recovered (taxable income)."
    )
    decommissioning: EndOfLifeItem | None = Field(
        None, description="Cost of dismantling and restoring the site (deductible)."
    )
