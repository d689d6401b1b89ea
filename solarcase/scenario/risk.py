"""The scenario's optional ``risk`` section: what is uncertain, and by how much.

``risk.energy`` splits the yield uncertainty into a model/data part (one factor per
Monte Carlo draw, kept for the whole life) and an inter-annual weather part (a new
factor in every operating year). ``risk.variables`` gives any numeric scenario key
(by dotted path) a distribution (normal, lognormal, triangular, uniform, discrete),
applied as the key's value, as a factor on it or as a shift of it, to one key or to
several together; ``risk.correlations`` correlates them (Spearman rank correlations,
imposed by a Gaussian copula). ``risk.sensitivity`` adds or replaces swings of the
tornado chart. Whether each key exists in the scenario is checked when the risk is
run (``solarcase.risk``), where the whole scenario is known.

Every number accepts ``0.12`` or ``"12%"``; a distribution's numbers are in the unit
of the key they apply to (a fraction for a rate), or plain factors for
``apply: factor``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from solarcase.scenario.types import STRICT, Fraction
from solarcase.units import parse_percent

__all__ = [
    "DiscreteDist",
    "EnergyUncertainty",
    "LogNormalDist",
    "NormalDist",
    "Risk",
    "RiskVariable",
    "SensitivitySwing",
    "TriangularDist",
    "UniformDist",
]

#: The pseudo-key of a multiplier on the energy of every year (1 = as simulated).
ENERGY_FACTOR_KEY = "energy_factor"

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")


def _number(value: Any) -> Any:
    """``"12%"`` -> 0.12; numbers and other text pass through to pydantic."""
    if isinstance(value, str):
        percent = parse_percent(value)
        if percent is not None:
            return percent
    return value


Number = Annotated[
    float,
    BeforeValidator(_number),
    Field(json_schema_extra={"examples": [0.4, "40%", 720000]}),
]
"""A number in the unit of the key it applies to; ``"12%"`` means 0.12."""
NonNegativeNumber = Annotated[Number, Field(ge=0.0)]


def _key_syntax(key: Any) -> Any:
    if isinstance(key, str) and not _KEY.match(key):
        raise ValueError(
            f"{key!r} is not a dotted scenario key; write e.g. finance.inflation_rate "
            "or finance.capex.equipment.per_kwp"
        )
    return key


Key = Annotated[str, BeforeValidator(_key_syntax)]


class NormalDist(BaseModel):
    """Normal distribution, optionally truncated to [min, max]."""

    model_config = STRICT

    type: Literal["normal"]
    mean: Number = Field(description="Mean [unit of the key].")
    sd: NonNegativeNumber = Field(description="Standard deviation [unit of the key].")
    min: Number | None = Field(None, description="Truncate below [unit of the key].")
    max: Number | None = Field(None, description="Truncate above [unit of the key].")


class LogNormalDist(BaseModel):
    """Log-normal distribution given by the variable's own mean and sd."""

    model_config = STRICT

    type: Literal["lognormal"]
    mean: Annotated[Number, Field(gt=0.0)] = Field(
        description="Mean, > 0 [unit of the key]."
    )
    sd: NonNegativeNumber = Field(description="Standard deviation [unit of the key].")
    min: Number | None = Field(None, description="Truncate below [unit of the key].")
    max: Number | None = Field(None, description="Truncate above [unit of the key].")


class TriangularDist(BaseModel):
    """Triangular distribution: smallest, most likely and largest value."""

    model_config = STRICT

    type: Literal["triangular"]
    low: Number = Field(description="Smallest value [unit of the key].")
    mode: Number = Field(description="Most likely value [unit of the key].")
    high: Number = Field(description="Largest value [unit of the key].")

    @model_validator(mode="after")
    def _ordered(self) -> TriangularDist:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"need low <= mode <= high, got {self.low:g}, {self.mode:g}, "
                f"{self.high:g}"
            )
        return self


class UniformDist(BaseModel):
    """Every value between low and high equally likely."""

    model_config = STRICT

    type: Literal["uniform"]
    low: Number = Field(description="Smallest value [unit of the key].")
    high: Number = Field(description="Largest value [unit of the key].")

    @model_validator(mode="after")
    def _ordered(self) -> UniformDist:
        if not self.low <= self.high:
            raise ValueError(f"need low <= high, got {self.low:g} and {self.high:g}")
        return self


class DiscreteDist(BaseModel):
    """A few values with their probabilities (equal when omitted)."""

    model_config = STRICT

    type: Literal["discrete"]
    values: list[Number] = Field(
        min_length=1, description="Possible values [unit of the key]."
    )
    probabilities: list[Fraction] | None = Field(
        None,
        description="Probability of each value, adding up to 1; omitted: equal "
        "[fraction].",
    )

    @model_validator(mode="after")
    def _probabilities_add_up(self) -> DiscreteDist:
        chances = self.probabilities
        if chances is None:
            return self
        if len(chances) != len(self.values):
            raise ValueError(
                f"give one probability per value: {len(self.values)} values, "
                f"{len(chances)} probabilities"
            )
        if abs(sum(chances) - 1.0) > 1e-6:
            raise ValueError(
                f"probabilities must add up to 1, got {sum(chances):g}; e.g. "
                "[0.25, 0.5, 0.25]"
            )
        return self


Distribution = Annotated[
    NormalDist | LogNormalDist | TriangularDist | UniformDist | DiscreteDist,
    Field(discriminator="type"),
]


class RiskVariable(BaseModel):
    """An uncertain input: a distribution applied to one or more scenario keys."""

    model_config = STRICT

    keys: list[Key] = Field(
        min_length=1,
        description="Dotted scenario keys the draw applies to (e.g. "
        "finance.inflation_rate), or energy_factor for a multiplier on the energy "
        "of every year.",
    )
    apply: Literal["value", "factor", "shift"] = Field(
        "value",
        description="value: the draw is the key's value; factor: it multiplies the "
        "scenario's value; shift: it is added to the scenario's value.",
    )
    distribution: Distribution = Field(description="The draw's distribution.")
    source: str = Field(
        "", description="Where the distribution comes from, or [estimate]."
    )


class EnergyUncertainty(BaseModel):
    """Uncertainty of the simulated yield, as standard deviations of factors."""

    model_config = STRICT

    model_uncertainty: Fraction = Field(
        0.0,
        description="1-sigma of the model/data factor (weather data, transposition, "
        "losses): one draw per Monte Carlo draw for the whole life [fraction].",
    )
    interannual_variability: Fraction = Field(
        0.0,
        description="1-sigma of the weather factor of each operating year, drawn "
        "independently every year [fraction].",
    )
    weather_years: Literal["auto", "off"] = Field(
        "auto",
        description="auto: when the weather is a multi-year series, also simulate "
        "every year of it and build P-values from those years; off: never.",
    )
    source: str = Field("", description="Where the spreads come from.")


class SensitivitySwing(BaseModel):
    """A bar of the tornado chart: keys moved to a low and a high value."""

    model_config = STRICT

    keys: list[Key] = Field(min_length=1, description="Dotted scenario keys moved.")
    apply: Literal["value", "factor", "shift"] = Field(
        "value",
        description="value: low/high are the keys' values; factor: they multiply "
        "the scenario's values; shift: they are added to them.",
    )
    low: Number = Field(description="Low setting [unit of the keys, or factor].")
    high: Number = Field(description="High setting [unit of the keys, or factor].")
    source: str = Field("", description="Why this range, or [estimate].")


Correlation = tuple[str, str, Annotated[float, Field(ge=-1.0, le=1.0)]]


class Risk(BaseModel):
    """Monte Carlo, sensitivity and P-value settings of the scenario."""

    model_config = STRICT

    draws: int = Field(
        10_000, ge=1, le=1_000_000, description="Monte Carlo draws by default."
    )
    seed: int = Field(1, ge=0, description="Seed of the Monte Carlo by default.")
    px: list[Annotated[float, Field(gt=0.0, lt=100.0)]] = Field(
        default_factory=lambda: [90.0, 50.0, 10.0],
        description="Exceedance probabilities shown, in percent: Px is the value "
        "exceeded with probability x (P90 energy is the low case).",
    )
    dscr_covenant: float | None = Field(
        None,
        gt=0,
        description="DSCR below which a loan covenant is breached; omitted: "
        "finance.targets.min_dscr [-].",
    )
    energy: EnergyUncertainty = Field(
        default_factory=EnergyUncertainty, description="Yield uncertainty."
    )
    variables: dict[str, RiskVariable] = Field(
        default_factory=dict, description="Uncertain inputs by name."
    )
    correlations: list[Correlation] = Field(
        default_factory=list,
        description="Spearman rank correlations between variables, as [name, name, "
        "rho], e.g. [inflation, usd_rate, 0.7].",
    )
    sensitivity: dict[str, SensitivitySwing] = Field(
        default_factory=dict,
        description="Tornado swings by name; a name of a default swing (capex, "
        "price, energy, om, discount_rate, inflation, exchange_rate, degradation, "
        "late_payment) replaces it.",
    )

    @model_validator(mode="after")
    def _correlations_name_variables(self) -> Risk:
        seen: set[frozenset[str]] = set()
        for first, second, _rho in self.correlations:
            for name in (first, second):
                if name not in self.variables:
                    known = ", ".join(self.variables) or "none"
                    raise ValueError(
                        f"correlation names {name!r}, which is not a variable "
                        f"(variables: {known})"
                    )
            pair = frozenset((first, second))
            if len(pair) == 1:
                raise ValueError(
                    f"a variable cannot be correlated with itself: {first}"
                )
            if pair in seen:
                raise ValueError(f"correlation {first} ~ {second} is stated twice")
            seen.add(pair)
        return self
