"""Currencies of the scenario's ``finance`` section, and what its models share.

The toman code and the default inflation of foreign currencies, the exchange-rate
path of a foreign currency, the field types ``Currency`` and ``AboveMinusOne``, the
field descriptions of an item's currency and escalation, the "exactly one of" check
behind every cost basis, and the walk that finds every currency stated in a section.
The conventions are described in :mod:`solarcase.scenario.finance`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from solarcase.scenario.types import STRICT, Positive, Rate

__all__ = [
    "CURRENCY_HELP",
    "DEFAULT_INFLATION",
    "ESCALATION_HELP",
    "TOMAN",
    "AboveMinusOne",
    "Currency",
    "ExchangeRatePath",
    "currencies_in",
    "exactly_one",
]


#: Unofficial code of the toman (10 rials); amounts in it become rials on input.
TOMAN = "IRT"
#: Inflation of a foreign currency when its exchange-rate path does not state one:
#: the 2 % longer-run goals of the US Federal Reserve ("Statement on Longer-Run
#: Goals and Monetary Policy Strategy", FOMC, reaffirmed January 2024; measured on
#: PCE prices) and of the ECB (monetary policy strategy, 2021, reaffirmed 2025; HICP).
DEFAULT_INFLATION: dict[str, float] = {"USD": 0.02, "EUR": 0.02}

#: Field description of an item's escalation_rate.
ESCALATION_HELP = (
    'Yearly escalation [fraction/year], e.g. 0.35 or "35%"; omitted: the inflation '
    "of the item's currency."
)
#: Field description of an item's currency.
CURRENCY_HELP = (
    "Currency of the amounts (ISO 4217, IRT for tomans); omitted: finance.currency. "
    "A foreign currency needs finance.exchange_rates.<code>."
)
#: A rate above -100 %, for discounting and inflation (1 + r must stay positive).
AboveMinusOne = Annotated[Rate, Field(gt=-1.0)]
Currency = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", json_schema_extra={"examples": ["USD", "IRT"]})
]


def exactly_one(model: BaseModel, names: tuple[str, ...], what: str) -> None:
    """Raise a ``cost_basis`` error unless exactly one of ``names`` is set."""
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


# --- currencies ----------------------------------------------------------------------


class ExchangeRatePath(BaseModel):
    """Model-currency units per unit of a foreign currency, year by year."""

    model_config = STRICT

    start_rate: Positive | None = Field(
        None,
        description="Rate in year 0 (construction) [model currency per unit]; with "
        "escalation_rate.",
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly rise of the rate [fraction/year]: year t is "
        "start_rate (1 + e)^t. A currency that loses half its value every two "
        "years has e = 41 %. With start_rate.",
    )
    values: list[Positive] | None = Field(
        None,
        min_length=1,
        description="The rate of each year 0..N, instead of start_rate and "
        "escalation_rate; values after year N are not used.",
    )
    inflation_rate: AboveMinusOne | None = Field(
        None,
        description="Inflation of that currency [fraction/year]: the escalation of "
        "prices stated in it, and the deflator of results in it; omitted: 2 % for "
        "USD and EUR (Fed and ECB longer-run goals), required for others.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> ExchangeRatePath:
        by_rate = self.start_rate is not None or self.escalation_rate is not None
        if by_rate == (self.values is not None) or (
            by_rate and (self.start_rate is None or self.escalation_rate is None)
        ):
            raise PydanticCustomError(
                "fx_path_form",
                "give either start_rate and escalation_rate (e.g. 1050000 and "
                '"41%"), or values (one per year 0..N), not both; a variant that '
                "extends a base inherits the base's keys: set the other form's keys "
                "to null",
            )
        return self


def currencies_in(value: Any) -> list[tuple[str, str]]:
    """Every (dotted key, currency) stated in a section, for validation."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, BaseModel):
            code = getattr(node, "currency", None)
            if isinstance(code, str):
                found.append((where, code))
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{where}.{name}")
        elif isinstance(node, dict):
            for key, item in node.items():
                walk(item, f"{where}.{key}")

    walk(value, "")
    return [(where.lstrip("."), code) for where, code in found]
