"""Income tax of the scenario's ``finance`` section and its depreciation rule.

Depreciation is a union on ``method`` (straight line, or declining balance switching
to straight line); tax has a rate, holiday years and optional loss carry-forward.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from solarcase.scenario.types import STRICT, Fraction

__all__ = ["DecliningBalance", "Depreciation", "StraightLine", "Tax"]


class StraightLine(BaseModel):
    """Straight-line tax depreciation."""

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


class DecliningBalance(BaseModel):
    """Declining-balance depreciation, switching to straight line when larger."""

    model_config = STRICT

    method: Literal["declining_balance"] = Field(
        description="Depreciation method: 'declining_balance'."
    )
    life_years: int = Field(ge=1, le=100, description="Depreciation life [years].")
    factor: float = Field(
        2.0,
        gt=0.0,
        le=4.0,
        description="Rate = factor / life; 2 is double declining balance [-].",
    )
    half_year_convention: bool = Field(
        False, description="Half a year's charge in year 1, as US MACRS [-]."
    )


Depreciation = Annotated[StraightLine | DecliningBalance, Field(discriminator="method")]


class Tax(BaseModel):
    """Income tax on the plant's profit; losses earn no refund."""

    model_config = STRICT

    rate: Fraction = Field(description='Income-tax rate [fraction], e.g. "25%".')
    depreciation: Depreciation = Field(description="How capex is deducted.")
    holiday_years: int = Field(
        0,
        ge=0,
        le=50,
        description="Operating years 1..H exempt from tax (e.g. 13) [years].",
    )
    loss_carry_forward: bool = Field(
        False, description="Carry losses forward against later profits [-]."
    )
    loss_expiry_years: int | None = Field(
        None,
        ge=1,
        le=50,
        description="Years after which a carried loss expires; omitted: never.",
    )

    @model_validator(mode="after")
    def _expiry_needs_carry(self) -> Tax:
        if self.loss_expiry_years is not None and not self.loss_carry_forward:
            raise PydanticCustomError(
                "expiry_without_carry",
                "loss_expiry_years is set but loss_carry_forward is false; set "
                "loss_carry_forward: true or remove loss_expiry_years",
            )
        return self
