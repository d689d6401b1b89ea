"""The scenario's ``finance`` section: what the plant costs, earns and borrows.

All money is in ``finance.currency`` (ISO 4217). Operating costs and tariffs are
stated at operating-year-1 prices and escalate as p(1 + e)^(t-1); one-off future costs
(inverter replacement, decommissioning, salvage) are stated at today's (year-0) prices
and escalate as c(1 + e)^t. Every escalation rate left out means "with inflation".
Fractions and rates accept ``0.12`` or ``"12%"``; a bare ``12`` is an error.

Built to grow without breaking scenario files: the revenue scheme is named by a
required ``scheme`` key and the loan by a required ``type`` key, so later schemes
(indexed guaranteed purchase, self-consumption, market sale) and loan types become
members of a discriminated union; each cost item is a mapping, so it can later carry
its own ``currency``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from solarcase.scenario.types import STRICT, Fraction, NonNegative, Rate

__all__ = [
    "AnnuityDebt",
    "CapexItem",
    "Depreciation",
    "EndOfLife",
    "EndOfLifeItem",
    "EscalatingTariff",
    "Finance",
    "FixedOm",
    "Insurance",
    "InverterReplacement",
    "LandLease",
    "OperatingCosts",
    "Tax",
    "VariableOm",
]

_ESCALATION = (
    'Yearly escalation [fraction/year], e.g. 0.35 or "35%"; omitted: '
    "finance.inflation_rate."
)
#: A rate above -100 %, for discounting and inflation (1 + r must stay positive).
AboveMinusOne = Annotated[Rate, Field(gt=-1.0)]


def _exactly_one(model: BaseModel, names: tuple[str, ...], what: str) -> None:
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        shown = ", ".join(given) if given else "none"
        raise PydanticCustomError(
            "cost_basis",
            "{what}: give exactly one of {allowed}, got {shown}; e.g. {example}: 1000",
            {
                "what": what,
                "allowed": ", ".join(names),
                "shown": shown,
                "example": names[0],
            },
        )


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
    depreciable: bool = Field(
        True, description="Depreciated for tax; set false for land [-]."
    )

    @model_validator(mode="after")
    def _one_basis(self) -> CapexItem:
        _exactly_one(self, ("amount", "per_kwp", "per_kw_ac"), "a capex item")
        return self


class FixedOm(BaseModel):
    """Fixed operation and maintenance cost, per kWp or as a yearly amount."""

    model_config = STRICT

    per_kwp_year: NonNegative | None = Field(
        None, description="Cost per kWp and year, in operating year 1 [cur/kWp/year]."
    )
    per_year: NonNegative | None = Field(
        None, description="Cost per year, in operating year 1 [cur/year]."
    )
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)

    @model_validator(mode="after")
    def _one_basis(self) -> FixedOm:
        _exactly_one(self, ("per_kwp_year", "per_year"), "fixed_om")
        return self


class VariableOm(BaseModel):
    """Operation and maintenance cost per kWh produced."""

    model_config = STRICT

    per_kwh: NonNegative = Field(
        description="Cost per kWh, in operating year 1 [cur/kWh]."
    )
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class Insurance(BaseModel):
    """Yearly insurance premium as a share of capex."""

    model_config = STRICT

    capex_fraction_per_year: Fraction = Field(
        description="Premium in operating year 1 as a share of total capex "
        '[fraction/year], e.g. "0.5%".'
    )
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class LandLease(BaseModel):
    """Yearly rent for the land."""

    model_config = STRICT

    per_year: NonNegative = Field(description="Rent in operating year 1 [cur/year].")
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class OperatingCosts(BaseModel):
    """Yearly costs of running the plant; an item left out costs nothing."""

    model_config = STRICT

    fixed_om: FixedOm | None = Field(None, description="Fixed O&M.")
    variable_om: VariableOm | None = Field(None, description="Variable O&M.")
    insurance: Insurance | None = Field(None, description="Insurance premium.")
    land_lease: LandLease | None = Field(None, description="Land lease.")


class EscalatingTariff(BaseModel):
    """Energy sold at a contract price that escalates, then at a price after it."""

    model_config = STRICT

    scheme: Literal["escalating_tariff"] = Field(
        description="Revenue scheme; issue 2 knows 'escalating_tariff'."
    )
    price_per_kwh: NonNegative = Field(
        description="Contract price in operating year 1 [cur/kWh]."
    )
    escalation_rate: Rate = Field(
        description="Yearly escalation of the contract price [fraction/year]; "
        "0 for a flat nominal price (required: in a high-inflation economy the "
        "choice matters too much for a default)."
    )
    contract_years: int | None = Field(
        None,
        ge=1,
        description="Contract term from operating year 1 [years]; omitted: the "
        "whole analysis.",
    )
    price_after_contract_per_kwh: NonNegative | None = Field(
        None,
        description="Price after the contract, stated at operating-year-1 prices "
        "(e.g. today's market price) [cur/kWh]; in year t it is "
        "p(1 + e)^(t-1). Required when the contract ends before the analysis.",
    )
    escalation_after_contract_rate: Rate | None = Field(
        None,
        description="Yearly escalation of the price after the contract "
        "[fraction/year]; omitted: finance.inflation_rate.",
    )


class AnnuityDebt(BaseModel):
    """A loan for a share of capex, drawn at year 0, repaid in equal instalments."""

    model_config = STRICT

    type: Literal["annuity"] = Field(description="Repayment type: 'annuity'.")
    capex_fraction: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Share of capex borrowed [fraction], e.g. "80%".'
    )
    interest_rate: Annotated[Rate, Field(ge=0.0)] = Field(
        description='Nominal interest rate [fraction/year], e.g. "14%".'
    )
    tenor_years: int = Field(
        ge=1, le=50, description="Number of yearly instalments from year 1 [years]."
    )


class Depreciation(BaseModel):
    """Tax depreciation of the depreciable capex items."""

    model_config = STRICT

    method: Literal["straight_line"] = Field(
        description="Depreciation method: 'straight_line'."
    )
    life_years: int = Field(
        ge=1,
        le=100,
        description="Depreciation life [years]; charges after the last operating "
        "year are not taken.",
    )
    half_year_convention: bool = Field(
        False,
        description="Half a year's charge in the first year and in year life + 1 "
        "(as US MACRS and NREL SAM do) [-].",
    )


class Tax(BaseModel):
    """Income tax on the plant's profit; losses earn no refund."""

    model_config = STRICT

    rate: Fraction = Field(description='Income-tax rate [fraction], e.g. "25%".')
    depreciation: Depreciation = Field(description="How capex is deducted.")


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
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 [fraction/year]; omitted: "
        "finance.inflation_rate.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> InverterReplacement:
        _exactly_one(self, ("amount", "per_kw_ac"), "inverter_replacement")
        return self


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
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 to the last year "
        "[fraction/year]; omitted: finance.inflation_rate.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> EndOfLifeItem:
        _exactly_one(self, ("amount", "per_kwp", "capex_fraction"), "end_of_life item")
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


class Finance(BaseModel):
    """What the plant costs and earns over its life, and how it is financed."""

    model_config = STRICT

    currency: str = Field(
        pattern=r"^[A-Z]{3}$",
        description="Model currency, ISO 4217 (IRR for rials, USD, EUR); every "
        "amount in this section is in it.",
        json_schema_extra={"examples": ["IRR", "USD"]},
    )
    analysis_years: int = Field(
        ge=1, le=50, description="Operating years N after the construction year 0."
    )
    inflation_rate: AboveMinusOne = Field(
        description="General inflation [fraction/year]; the default escalation of "
        "every cost and the deflator of real results."
    )
    discount_rate_nominal: AboveMinusOne | None = Field(
        None,
        description="Nominal discount rate [fraction/year]; give this or "
        "discount_rate_real, not both.",
    )
    discount_rate_real: AboveMinusOne | None = Field(
        None,
        description="Real discount rate [fraction/year]; the nominal rate is "
        "(1 + real)(1 + inflation) - 1.",
    )
    capex: dict[str, CapexItem] = Field(
        min_length=1,
        description="Investment at year 0, item name -> {amount | per_kwp | "
        "per_kw_ac}, e.g. modules, inverters, balance_of_system, grid_connection, "
        "land, development.",
    )
    operating_costs: OperatingCosts = Field(
        default_factory=OperatingCosts, description="Yearly operating costs."
    )
    revenue: EscalatingTariff = Field(description="How the energy is sold.")
    debt: AnnuityDebt | None = Field(None, description="Loan; omitted: all equity.")
    tax: Tax | None = Field(None, description="Income tax; omitted: tax-exempt.")
    inverter_replacement: InverterReplacement | None = Field(
        None, description="One inverter replacement; omitted: none."
    )
    end_of_life: EndOfLife = Field(
        default_factory=EndOfLife,
        description="Salvage value and decommissioning cost in the last year.",
    )

    @model_validator(mode="after")
    def _one_discount_rate(self) -> Finance:
        if (self.discount_rate_nominal is None) == (self.discount_rate_real is None):
            kind = "both" if self.discount_rate_real is not None else "neither"
            raise PydanticCustomError(
                "discount_rate_choice",
                "give exactly one of discount_rate_nominal or discount_rate_real, got "
                '{kind}; e.g. discount_rate_nominal: "40%"',
                {"kind": kind},
            )
        return self

    @field_validator("revenue")
    @classmethod
    def _contract_within_analysis(
        cls, value: EscalatingTariff, info: ValidationInfo
    ) -> EscalatingTariff:
        years = info.data.get("analysis_years")
        term = value.contract_years
        if years is None or term is None:
            return value
        if term > years:
            raise PydanticCustomError(
                "contract_too_long",
                "revenue.contract_years {term} is longer than analysis_years {years}; "
                "shorten the contract or lengthen the analysis",
                {"term": term, "years": years},
            )
        if term < years and value.price_after_contract_per_kwh is None:
            raise PydanticCustomError(
                "price_after_contract_missing",
                "the contract ends after year {term} but the analysis runs to year "
                "{years}; give revenue.price_after_contract_per_kwh",
                {"term": term, "years": years},
            )
        return value

    @field_validator("debt")
    @classmethod
    def _tenor_within_analysis(
        cls, value: AnnuityDebt | None, info: ValidationInfo
    ) -> AnnuityDebt | None:
        years = info.data.get("analysis_years")
        if value is not None and years is not None and value.tenor_years > years:
            raise PydanticCustomError(
                "tenor_too_long",
                "debt.tenor_years {tenor} is longer than analysis_years {years}; "
                "shorten the loan or lengthen the analysis",
                {"tenor": value.tenor_years, "years": years},
            )
        return value

    @field_validator("inverter_replacement")
    @classmethod
    def _replacement_within_analysis(
        cls, value: InverterReplacement | None, info: ValidationInfo
    ) -> InverterReplacement | None:
        years = info.data.get("analysis_years")
        if value is not None and years is not None and value.year > years:
            raise PydanticCustomError(
                "replacement_year_out_of_range",
                "inverter_replacement.year {year} is outside the operating years "
                "1..{years}; choose a year in that range or remove the replacement",
                {"year": value.year, "years": years},
            )
        return value
