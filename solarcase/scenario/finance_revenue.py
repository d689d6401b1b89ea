"""How the plant earns money, in the scenario's ``finance`` section.

The revenue schemes, a union on ``scheme``: an escalating tariff, the SATBA
guaranteed purchase (indexed, with step-downs and time-of-day coefficients), a
market sale and self-consumption (in
:mod:`solarcase.scenario.finance_self_consumption`); and late payment of invoices.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from solarcase.scenario.finance_money import (
    CURRENCY_HELP,
    AboveMinusOne,
    Currency,
    ExchangeRatePath,
    exactly_one,
)
from solarcase.scenario.finance_self_consumption import SelfConsumption
from solarcase.scenario.types import STRICT, Fraction, NonNegative, Rate

__all__ = [
    "EscalatingTariff",
    "GuaranteedPurchase",
    "LatePayment",
    "MarketSale",
    "Revenue",
    "TimeOfDay",
    "TimeOfDayPeriod",
]


class EscalatingTariff(BaseModel):
    """Energy sold at a contract price that escalates, then at a price after it."""

    model_config = STRICT

    scheme: Literal["escalating_tariff"] = Field(
        description="Revenue scheme: a price with a fixed escalation."
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
        "[fraction/year]; omitted: inflation of the currency.",
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)


class TimeOfDayPeriod(BaseModel):
    """Hours [start_hour, end_hour) of the day that share a coefficient."""

    model_config = STRICT

    start_hour: int = Field(ge=0, le=23, description="First hour (local standard).")
    end_hour: int = Field(
        ge=1, le=24, description="Hour after the last; may wrap past midnight."
    )
    coefficient: NonNegative = Field(description="Coefficient of these hours [-].")


class TimeOfDay(BaseModel):
    """Hourly coefficients of the invoiced energy (equivalent energy)."""

    model_config = STRICT

    coefficients: list[NonNegative] | None = Field(
        None,
        min_length=24,
        max_length=24,
        description="24 coefficients, hour 0 (00:00-01:00 local standard time) "
        "first [-].",
    )
    periods: list[TimeOfDayPeriod] | None = Field(
        None,
        min_length=1,
        description="Periods covering the 24 hours once each, instead of coefficients.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> TimeOfDay:
        exactly_one(self, ("coefficients", "periods"), "time_of_day")
        if self.periods is not None:
            counts = [0] * 24
            for period in self.periods:
                for hour in _period_hours(period):
                    counts[hour] += 1
            bad = [h for h, c in enumerate(counts) if c != 1]
            if bad:
                raise PydanticCustomError(
                    "periods_cover",
                    "time_of_day.periods must cover each hour 0..23 exactly once; "
                    "hours covered 0 or several times: {bad}",
                    {"bad": bad},
                )
        return self

    def by_hour(self) -> list[float]:
        """The 24 hourly coefficients [-]."""
        if self.coefficients is not None:
            return list(self.coefficients)
        table = [0.0] * 24
        for period in self.periods or ():
            for hour in _period_hours(period):
                table[hour] = period.coefficient
        return table


def _period_hours(period: TimeOfDayPeriod) -> list[int]:
    start, end = period.start_hour, period.end_hour
    return list(range(start, end)) if end > start else [*range(start, 24), *range(end)]


class GuaranteedPurchase(BaseModel):
    """The SATBA guaranteed-purchase contract: an indexed base rate with step-downs.

    Price in contract year t: base x K_t x S_t, with K_t = w CPI_(t-1)/CPI_0 +
    (1 - w) EUR_(t-1)/EUR_0 (w = alpha or 1 - alpha, see alpha_weights) and S_t the
    step-down factor; the invoiced energy is the energy times the time-of-day factor.
    """

    model_config = STRICT

    scheme: Literal["guaranteed_purchase"] = Field(
        description="Revenue scheme: SATBA-style indexed guaranteed purchase."
    )
    base_price_per_kwh: NonNegative = Field(
        description="Base rate at signature, paid unindexed in operating year 1 "
        "[cur/kWh]."
    )
    alpha: Annotated[Fraction, Field(ge=0.15, le=0.30)] = Field(
        description="Indexation weight chosen at signature, 0.15-0.30 [fraction]."
    )
    alpha_weights: Literal["cpi", "eur"] = Field(
        "cpi",
        description="Which index alpha weights: 'cpi' gives K = a CPI + (1 - a) EUR "
        "(the reading of renews.pro; the primary text was not available), 'eur' "
        "gives K = (1 - a) CPI + a EUR.",
    )
    cpi_inflation_rate: AboveMinusOne | None = Field(
        None,
        description="Yearly rise of the CPI in the coefficient [fraction/year]; "
        "omitted: finance.inflation_rate.",
    )
    official_eur_rate: ExchangeRatePath | None = Field(
        None,
        description="Official EUR rate path used by the coefficient; omitted: "
        "finance.exchange_rates.EUR (the official rate may differ from the market "
        "rate that converts EUR prices).",
    )
    step_downs: dict[int, Annotated[Fraction, Field(gt=0.0)]] = Field(
        default_factory=dict,
        description="Contract year -> factor from that year, e.g. {8: 0.6, 12: 0.6, "
        "16: 0.6} [-].",
    )
    step_down_mode: Literal["cumulative", "absolute"] | None = Field(
        None,
        description="'cumulative': each factor multiplies the earlier ones; "
        "'absolute': the latest factor replaces them. Required with step_downs "
        "(the decree's '60 %' says neither).",
    )
    contract_years: int | None = Field(
        None, ge=1, description="Contract term [years]; omitted: the whole analysis."
    )
    price_after_contract_per_kwh: NonNegative | None = Field(
        None,
        description="Price after the contract at operating-year-1 prices "
        "[cur/kWh]; required when the contract ends before the analysis.",
    )
    escalation_after_contract_rate: Rate | None = Field(
        None,
        description="Escalation of the price after the contract [fraction/year]; "
        "omitted: inflation of the currency.",
    )
    time_of_day: TimeOfDay | None = Field(
        None,
        description="Hourly coefficients of the invoiced energy; omitted: 1 every "
        "hour.",
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)

    @model_validator(mode="after")
    def _steps_have_a_mode(self) -> GuaranteedPurchase:
        if self.step_downs and self.step_down_mode is None:
            raise PydanticCustomError(
                "step_down_mode_missing",
                "step_downs given without step_down_mode; say 'absolute' (the "
                "latest factor applies) or 'cumulative' (factors multiply)",
            )
        if any(year < 1 for year in self.step_downs):
            raise PydanticCustomError(
                "step_down_year", "step_downs: contract years start at 1"
            )
        return self


class MarketSale(BaseModel):
    """Energy sold on an exchange (the green board) at an escalating price."""

    model_config = STRICT

    scheme: Literal["market"] = Field(description="Revenue scheme: market sale.")
    price_per_kwh: NonNegative = Field(
        description="Average sale price in operating year 1 [cur/kWh]."
    )
    escalation_rate: Rate | None = Field(
        None, description="Yearly escalation; omitted: inflation of the currency."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)


Revenue = Annotated[
    EscalatingTariff | GuaranteedPurchase | MarketSale | SelfConsumption,
    Field(discriminator="scheme"),
]


class LatePayment(BaseModel):
    """A share of each year's invoices paid some years late (no interest)."""

    model_config = STRICT

    share: Fraction = Field(
        description='Share of each invoice paid late [fraction], e.g. "30%".'
    )
    delay_years: int = Field(ge=1, le=20, description="Years late [years].")
    unpaid_at_end: Literal["collected", "lost"] = Field(
        "collected",
        description="Invoices still unpaid after the last year: 'collected' in "
        "year N, or 'lost' (written off).",
    )
