"""The self-consumption revenue scheme of the scenario's ``finance`` section.

The owner's hourly load (flat, office hours, or a CSV of 8,760 hourly values read
when the scenario is validated), the renewable-energy obligation of public bodies,
and the scheme itself: purchases avoided, surplus exported. The other revenue
schemes are in :mod:`solarcase.scenario.finance_revenue`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from solarcase.scenario.finance_money import CURRENCY_HELP, Currency
from solarcase.scenario.types import STRICT, Fraction, NonNegative, Rate

__all__ = ["LoadProfile", "Obligation", "SelfConsumption"]


class LoadProfile(BaseModel):
    """The owner's electricity use, hour by hour over a year."""

    model_config = STRICT

    annual_consumption_kwh: NonNegative | None = Field(
        None,
        description="Consumption in operating year 1 [kWh]; with profile 'file' it "
        "rescales the file (omitted: the file's own total).",
    )
    profile: Literal["flat", "office", "file"] = Field(
        description="'flat': the same every hour; 'office': full load Saturday to "
        "Wednesday 07:00-15:00 and 25 % of it otherwise [estimate]; 'file': a CSV "
        "of one value in kWh per hour of the year."
    )
    file: Path | None = Field(
        None,
        description="CSV with one column of hourly kWh (8,760 rows from 1 January "
        "00:00 local standard time; a header line is allowed), for profile 'file'.",
    )
    growth_rate: Rate = Field(
        0.0, description="Yearly growth of the consumption [fraction/year]."
    )
    _hourly_kwh: tuple[float, ...] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _read_file(self) -> LoadProfile:
        if (self.profile == "file") != (self.file is not None):
            raise PydanticCustomError(
                "load_file",
                "give file with profile: file (and only then), e.g. profile: file "
                "and file: load.csv",
            )
        if self.profile != "file" and self.annual_consumption_kwh is None:
            raise PydanticCustomError(
                "load_total_missing",
                "profile {profile} needs annual_consumption_kwh",
                {"profile": self.profile},
            )
        if self.file is not None:
            self._hourly_kwh = _read_load_csv(self.file)
        return self

    @property
    def hourly_kwh(self) -> tuple[float, ...] | None:
        """The hourly values read from ``file`` (None for other profiles). [kWh]"""
        return self._hourly_kwh


#: Load files read, by (resolved path, size, modification time): a scenario is
#: validated again for every batch item and sensitivity case. Values are tuples.
_READ: dict[tuple[str, int, int], tuple[float, ...]] = {}
_READ_MAX = 64


def _read_load_csv(path: Path) -> tuple[float, ...]:
    """Read one column of 8,760 non-negative numbers (an optional header), once
    per version of the file."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError as err:
        raise _unreadable(path, err) from None
    if key not in _READ:
        if len(_READ) >= _READ_MAX:
            _READ.clear()
        _READ[key] = _parse_load_csv(path)
    return _READ[key]


def _unreadable(path: Path, err: OSError) -> PydanticCustomError:
    return PydanticCustomError(
        "load_file_unreadable",
        "cannot read the load file {path} ({why}); check the path (a relative "
        "path is taken from the folder of the scenario file that states it)",
        {"path": str(path), "why": err.strerror or str(err)},
    )


def _parse_load_csv(path: Path) -> tuple[float, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise _unreadable(path, err) from None
    rows = [row for row in csv.reader(text.splitlines()) if row and row[0].strip()]
    values: list[float] = []
    for number, row in enumerate(rows, start=1):
        try:
            value = float(row[-1])
        except ValueError:
            if number == 1 and not values:
                continue  # a header
            raise PydanticCustomError(
                "load_file_value",
                "{path} line {line}: not a number: {cell}; one kWh value per line",
                {"path": str(path), "line": number, "cell": repr(row[-1])},
            ) from None
        if not math.isfinite(value) or value < 0:
            raise PydanticCustomError(
                "load_file_value",
                "{path} line {line}: hourly load must be a number >= 0, got {cell}",
                {"path": str(path), "line": number, "cell": repr(row[-1])},
            )
        values.append(value)
    if len(values) != 8760:
        raise PydanticCustomError(
            "load_file_length",
            "{path}: {count} hourly values, expected 8760 (one per hour of a "
            "365-day year)",
            {"path": str(path), "count": len(values)},
        )
    return tuple(values)


class Obligation(BaseModel):
    """A public body's duty to cover a rising share of its use from renewables.

    The uncovered share is billed at the "renewable tariff"; the plant's energy
    counts toward the share, so it avoids that bill up to the share itself.
    """

    model_config = STRICT

    first_share: Fraction = Field(
        description='Obligation share in operating year 1 [fraction], e.g. "10%".'
    )
    yearly_step: Fraction = Field(
        description='Rise of the share each year [fraction/year], e.g. "5%".'
    )
    max_share: Fraction = Field(description='Final share [fraction], e.g. "20%".')
    penalty_price_per_kwh: NonNegative = Field(
        description="Renewable tariff billed on the uncovered share, operating "
        "year 1 [cur/kWh]."
    )
    penalty_escalation_rate: Rate | None = Field(
        None,
        description="Escalation of that tariff [fraction/year]; omitted: inflation.",
    )


class SelfConsumption(BaseModel):
    """The owner uses the energy: purchases avoided, surplus exported."""

    model_config = STRICT

    scheme: Literal["self_consumption"] = Field(
        description="Revenue scheme: self-consumption with export of the surplus."
    )
    load: LoadProfile = Field(description="The owner's hourly consumption.")
    purchase_price_per_kwh: NonNegative = Field(
        description="The owner's grid tariff in operating year 1 [cur/kWh]."
    )
    purchase_escalation_rate: Rate | None = Field(
        None,
        description="Escalation of that tariff [fraction/year]; omitted: inflation.",
    )
    export_price_per_kwh: NonNegative = Field(
        description="Price of exported surplus in operating year 1 [cur/kWh]."
    )
    export_escalation_rate: Rate | None = Field(
        None,
        description="Escalation of the export price [fraction/year]; omitted: "
        "inflation.",
    )
    obligation: Obligation | None = Field(
        None, description="Renewable-energy obligation; omitted: none."
    )
    currency: Currency | None = Field(None, description=CURRENCY_HELP)
