"""Annotated field types shared by the scenario models.

``Fraction`` accepts ``0.12`` or ``"12%"`` and rejects a bare ``12`` with a message
that suggests both fixes; ``Rate`` is the same for rates per year that may be negative
(an escalation of -1 %/year) but still lie in [-1, 1].
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field

from solarcase.units import parse_fraction

#: Model config shared by every scenario section: immutable, unknown keys rejected.
STRICT = ConfigDict(extra="forbid", frozen=True, validate_default=True)

Fraction = Annotated[
    float,
    BeforeValidator(parse_fraction),
    Field(ge=0.0, le=1.0, json_schema_extra={"examples": [0.12, "12%"]}),
]
"""A share in [0, 1]: ``0.12`` or ``"12%"``."""

Rate = Annotated[
    float,
    BeforeValidator(parse_fraction),
    Field(ge=-1.0, le=1.0, json_schema_extra={"examples": [0.35, "35%"]}),
]
"""A rate per year in [-1, 1] (escalation, inflation, discount): ``0.35``, ``"35%"``."""

NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
