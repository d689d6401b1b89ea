"""The loan of the scenario's ``finance`` section, a union on ``type``.

An annuity or equal-principal loan for a share of capex, or a loan sculpted on the
cash flow to a target DSCR; all share the interest rate, tenor, grace years, upfront
fee and capitalised construction interest.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from solarcase.scenario.types import STRICT, Fraction, Rate

__all__ = ["AnnuityDebt", "Debt", "EqualPrincipalDebt", "SculptedDebt"]


class _LoanTerms(BaseModel):
    model_config = STRICT

    interest_rate: Annotated[Rate, Field(ge=0.0)] = Field(
        description='Nominal interest rate [fraction/year], e.g. "14%".'
    )
    tenor_years: int = Field(
        ge=1, le=50, description="Repayment years after the grace years [years]."
    )
    grace_years: int = Field(
        0, ge=0, le=20, description="Interest-only years before repayment [years]."
    )
    upfront_fee: Fraction = Field(
        0.0, description="Fee paid at year 0 as a share of the loan [fraction]."
    )
    construction_interest_years: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Average time the drawn loan is outstanding before operation; "
        "its interest is capitalised (about half the construction time) [years].",
    )


class AnnuityDebt(_LoanTerms):
    """A loan for a share of capex, repaid in equal yearly instalments."""

    type: Literal["annuity"] = Field(description="Repayment type: 'annuity'.")
    capex_fraction: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Share of capex borrowed [fraction], e.g. "80%".'
    )


class EqualPrincipalDebt(_LoanTerms):
    """A loan for a share of capex, repaid in equal principal parts."""

    type: Literal["equal_principal"] = Field(
        description="Repayment type: 'equal_principal'."
    )
    capex_fraction: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Share of capex borrowed [fraction], e.g. "80%".'
    )


class SculptedDebt(_LoanTerms):
    """A loan sized on the cash flow: each year's service is CFADS / target DSCR."""

    type: Literal["sculpted"] = Field(description="Repayment type: 'sculpted'.")
    target_dscr: float = Field(
        gt=0.0, le=10.0, description="CFADS / debt service in each year, e.g. 1.3."
    )
    max_gearing: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Largest loan as a share of capex [fraction], e.g. "70%".'
    )


Debt = Annotated[
    AnnuityDebt | EqualPrincipalDebt | SculptedDebt, Field(discriminator="type")
]
