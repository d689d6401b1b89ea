"""The climate-normals table: :class:`MonthlyNormals` and the CSV parser.

The table's columns are described in :mod:`solarcase.weather.normals`, which reads
the files (the bundled table and users' tables) and finds towns.
:func:`parse_table` checks every row and names the line of the first problem. No
file or network I/O.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

from solarcase.errors import WeatherDataError
from solarcase.weather.geo import check_place

__all__ = [
    "MAX_GHI_KWH_PER_M2_DAY",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "MonthlyNormals",
    "parse_table",
]

#: Largest plausible monthly-mean daily GHI at the ground [kWh/m²/day]; the
#: extraterrestrial value never exceeds about 12.
MAX_GHI_KWH_PER_M2_DAY = 12.0

REQUIRED_COLUMNS: tuple[str, ...] = (
    "town",
    "month",
    "temp_mean_c",
    "temp_max_c",
    "temp_min_c",
    "ghi_kwh_m2_day",
    "wind_m_s",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "lat",
    "lon",
    "elevation_m",
    "sunshine_h_per_day",
    "source",
    "utc_offset_h",
)
_MONTHLY_COLUMNS: dict[str, str] = {
    "ghi_kwh_m2_day": "ghi_kwh_per_m2_day",
    "temp_mean_c": "temp_mean",
    "temp_max_c": "temp_max",
    "temp_min_c": "temp_min",
    "wind_m_s": "wind_speed",
    "sunshine_h_per_day": "sunshine_h_per_day",
}
_PLACE_COLUMNS: tuple[str, ...] = ("lat", "lon", "elevation_m", "utc_offset_h")


@dataclass(frozen=True, slots=True)
class MonthlyNormals:
    """Twelve monthly climate normals for one place (January first)."""

    town: str
    """Name of the town or station."""
    latitude: float | None
    """Latitude of the normals' place [degrees north], None if unknown."""
    longitude: float | None
    """Longitude of the normals' place [degrees east], None if unknown."""
    elevation_m: float | None
    """Elevation of the normals' place [m], None if unknown."""
    ghi_kwh_per_m2_day: tuple[float, ...]
    """Monthly mean of daily global horizontal irradiation [kWh/m²/day]."""
    temp_mean: tuple[float, ...]
    """Monthly mean of the daily mean air temperature [°C]."""
    temp_max: tuple[float, ...]
    """Monthly mean of the daily maximum air temperature [°C]."""
    temp_min: tuple[float, ...]
    """Monthly mean of the daily minimum air temperature [°C]."""
    wind_speed: tuple[float, ...]
    """Monthly mean wind speed [m/s]."""
    sources: str = ""
    """Where the numbers come from (the table's ``source`` text)."""
    sunshine_h_per_day: tuple[float, ...] | None = None
    """Monthly mean daily sunshine duration [h], if known."""
    utc_offset_h: float | None = None
    """Standard (not daylight-saving) UTC offset of the place [h], if known."""

    def __post_init__(self) -> None:
        where = f"climate normals for {self.town!r}"
        for name in _MONTHLY_COLUMNS.values():
            values = getattr(self, name)
            if values is None and name == "sunshine_h_per_day":
                continue
            try:
                values = tuple(float(v) for v in values)
            except (TypeError, ValueError):
                values = ()
            if len(values) != 12 or not all(math.isfinite(v) for v in values):
                raise WeatherDataError(
                    f"{where}: {name} must hold 12 finite monthly values "
                    f"(January first), got {getattr(self, name)!r}"
                )
            object.__setattr__(self, name, values)  # store floats
        for month in range(12):
            problem = _month_problem(
                ghi=self.ghi_kwh_per_m2_day[month],
                temp_mean=self.temp_mean[month],
                temp_max=self.temp_max[month],
                temp_min=self.temp_min[month],
                wind=self.wind_speed[month],
            )
            if problem:
                raise WeatherDataError(f"{where}, month {month + 1}: {problem}")
        check_place(self.latitude, self.longitude, where)


def _month_problem(
    *, ghi: float, temp_mean: float, temp_max: float, temp_min: float, wind: float
) -> str:
    """Describe what is wrong with one month's values, or return ''."""
    if not 0.0 < ghi <= MAX_GHI_KWH_PER_M2_DAY:
        hint = (
            f" (it looks like MJ/m²/day: divide by 3.6 to get {ghi / 3.6:.2f})"
            if MAX_GHI_KWH_PER_M2_DAY < ghi <= 3.6 * MAX_GHI_KWH_PER_M2_DAY
            else ""
        )
        return (
            f"ghi_kwh_m2_day must be a daily irradiation in (0, "
            f"{MAX_GHI_KWH_PER_M2_DAY:g}] kWh/m²/day, got {ghi!r}{hint}"
        )
    if not temp_min < temp_mean < temp_max:
        return (
            f"temperatures must satisfy temp_min_c < temp_mean_c < temp_max_c, got "
            f"min {temp_min!r}, mean {temp_mean!r}, max {temp_max!r}; check the "
            "column order"
        )
    if not (-70.0 < temp_min and temp_max < 60.0):
        return (
            f"temperatures must be in °C (between -70 and 60), got min "
            f"{temp_min!r} and max {temp_max!r}; convert °F with (F - 32) / 1.8"
        )
    if wind < 0.0 or wind > 40.0:
        return f"wind_m_s must be a mean speed in [0, 40] m/s, got {wind!r}"
    return ""


def parse_table(text: str, where: str) -> dict[str, MonthlyNormals]:
    """Parse a normals table; keys are town names as written in the file."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise WeatherDataError(
            f"{where}: line 1: missing column(s) {', '.join(missing)}, got header "
            f"{','.join(header)!r}; a normals table needs "
            f"{','.join(REQUIRED_COLUMNS)} and may add {','.join(OPTIONAL_COLUMNS)}"
        )
    unknown = [n for n in header if n not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise WeatherDataError(
            f"{where}: line 1: unknown column(s) {', '.join(unknown)}; allowed "
            f"columns are {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
        )
    reader.fieldnames = header
    rows: dict[str, dict[int, tuple[int, dict[str, str]]]] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            raise WeatherDataError(
                f"{where}: line {line}: expected {len(header)} fields, as in the "
                "header; quote text that contains commas"
            )
        town = row["town"].strip()
        if not town:
            raise WeatherDataError(f"{where}: line {line}: the town is empty")
        month_text = row["month"].strip()
        if month_text not in {str(m) for m in range(1, 13)}:
            raise WeatherDataError(
                f"{where}: line {line}: month must be an integer 1-12, "
                f"got {month_text!r}"
            )
        months = rows.setdefault(town, {})
        if int(month_text) in months:
            first = months[int(month_text)][0]
            raise WeatherDataError(
                f"{where}: line {line}: {town} month {month_text} appears twice "
                f"(first on line {first}); keep one row per town and month"
            )
        months[int(month_text)] = (line, row)
    if not rows:
        raise WeatherDataError(f"{where}: the table has no data rows")
    return {town: _build(town, months, where) for town, months in rows.items()}


def _number(row: Mapping[str, str], column: str, line: int, where: str) -> float | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise WeatherDataError(
            f"{where}: line {line}: {column} must be a number, got {text!r}"
        ) from None
    if not math.isfinite(value):
        raise WeatherDataError(
            f"{where}: line {line}: {column} must be finite, got {text!r}"
        )
    return value


def _build(
    town: str, months: Mapping[int, tuple[int, Mapping[str, str]]], where: str
) -> MonthlyNormals:
    """One town's normals from its twelve rows (line number and cells by month)."""
    absent = [m for m in range(1, 13) if m not in months]
    if absent:
        raise WeatherDataError(
            f"{where}: {town} has no row for month(s) "
            f"{', '.join(map(str, absent))}; give all twelve months"
        )
    monthly: list[dict[str, float]] = []
    place: dict[str, float | None] | None = None
    for month in range(1, 13):  # row by row, so the first bad line is reported
        line, row = months[month]
        monthly.append(_month_values(row, line, town, month, where))
        place = _place_values(row, line, town, place, where)
    assert place is not None

    def column(name: str) -> tuple[float, ...]:
        return tuple(values[name] for values in monthly)

    sunshine = column("sunshine_h_per_day")
    sources = sorted({(row.get("source") or "").strip() for _, row in months.values()})
    return MonthlyNormals(
        town=town,
        latitude=place["lat"],
        longitude=place["lon"],
        elevation_m=place["elevation_m"],
        ghi_kwh_per_m2_day=column("ghi_kwh_m2_day"),
        temp_mean=column("temp_mean_c"),
        temp_max=column("temp_max_c"),
        temp_min=column("temp_min_c"),
        wind_speed=column("wind_m_s"),
        sources=" | ".join(s for s in sources if s),
        sunshine_h_per_day=(
            None if any(math.isnan(hours) for hours in sunshine) else sunshine
        ),
        utc_offset_h=place["utc_offset_h"],
    )


def _month_values(
    row: Mapping[str, str], line: int, town: str, month: int, where: str
) -> dict[str, float]:
    """The monthly columns of one row, checked; a blank sunshine value is NaN."""
    values: dict[str, float] = {}
    for column in _MONTHLY_COLUMNS:
        value = _number(row, column, line, where)
        if value is None and column == "sunshine_h_per_day":
            value = math.nan
        elif value is None:
            raise WeatherDataError(
                f"{where}: line {line}: {column} is empty for {town} month {month}"
            )
        values[column] = value
    problem = _month_problem(
        ghi=values["ghi_kwh_m2_day"],
        temp_mean=values["temp_mean_c"],
        temp_max=values["temp_max_c"],
        temp_min=values["temp_min_c"],
        wind=values["wind_m_s"],
    )
    if problem:
        raise WeatherDataError(f"{where}: line {line}: {town}: {problem}")
    return values


def _place_values(
    row: Mapping[str, str],
    line: int,
    town: str,
    first: Mapping[str, float | None] | None,
    where: str,
) -> dict[str, float | None]:
    """The place columns of one row: checked on the first row (``first`` None), the
    same as the first row's on every later one."""
    place: dict[str, float | None] = {}
    for column in _PLACE_COLUMNS:
        value = _number(row, column, line, where)
        if first is not None and value != first[column]:
            raise WeatherDataError(
                f"{where}: line {line}: {column} of {town} is {value!r} here but "
                f"{first[column]!r} in month 1; give the same value in every month"
            )
        place[column] = value
    if first is None:
        check_place(place["lat"], place["lon"], f"{where}: line {line}: {town}")
    return place
