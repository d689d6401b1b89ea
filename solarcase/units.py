"""Unit constants and the parsing of user-facing quantities.

Conversions live here only. Ratios are fractions in code (0.05 means 5 %); percent
exists only in YAML input, parsed by :func:`parse_fraction` (and :func:`parse_percent`),
and in report formatting.
"""

from __future__ import annotations

import math
import re
from typing import Any

W_PER_KW = 1000.0
KW_PER_MW = 1000.0
WH_PER_KWH = 1000.0
HOURS_PER_YEAR = 8760.0
RIAL_PER_TOMAN = 10.0
#: Days in each month of a non-leap year, January first.
DAYS_IN_MONTH: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PERCENT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*%\s*$")


def parse_percent(text: str) -> float | None:
    """The fraction a percentage stands for (``"12%"`` -> 0.12), or None when the
    text is not a number followed by ``%``.

    Examples
    --------
    >>> parse_percent("12.5 %"), parse_percent("-3%"), parse_percent("12")
    (0.125, -0.03, None)
    """
    match = _PERCENT.match(text)
    return None if match is None else float(match.group(1)) / 100.0


def parse_fraction(value: Any) -> Any:
    """Turn ``0.12`` or ``"12%"`` into the fraction 0.12; reject a bare ``12``.

    Used as a pydantic ``BeforeValidator`` for every fraction field. Values that are
    neither numbers nor percent strings pass through unchanged so that pydantic reports
    its own type error.

    Raises
    ------
    ValueError
        For a number whose magnitude is above 1 (the classic percent slip) or a
        malformed percent string; the message suggests both fixes.

    Examples
    --------
    >>> parse_fraction("12%")
    0.12
    >>> parse_fraction(0.5)
    0.5
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        percent = parse_percent(value)
        if percent is not None:
            return percent
        try:
            number = float(value)
        except ValueError:
            raise ValueError(
                f"expected a fraction such as 0.12 or a percentage such as "
                f'"12%", got {value!r}'
            ) from None
        return parse_fraction(number)
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            raise ValueError("expected a fraction, got NaN")
        if abs(number) > 1.0:
            shown = int(number) if number.is_integer() else number
            raise ValueError(
                f"a fraction must lie between -1 and 1, got {shown!r}; "
                f'write {number / 100:g} or "{shown}%"'
            )
        return number
    return value
