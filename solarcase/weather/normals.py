"""Monthly climate normals: the bundled South Khorasan table and user tables.

The synthetic weather generator (:mod:`solarcase.weather.synth`) is calibrated to twelve
monthly values per variable. This module reads them, from the table bundled with
solarcase (``solarcase/data/climate-normals.csv``, sources in
``solarcase/data/README.md``) or from a user's CSV with the same columns, and returns a
frozen :class:`MonthlyNormals`.

A normals table has one row per town and month::

    town,lat,lon,elevation_m,month,temp_mean_c,temp_max_c,temp_min_c,
    sunshine_h_per_day,ghi_kwh_m2_day,wind_m_s,source

Required: ``town``, ``month`` (1-12, each once per town), ``temp_mean_c``,
``temp_max_c``, ``temp_min_c`` [°C], ``ghi_kwh_m2_day`` [kWh/m²/day] and ``wind_m_s``
[m/s]. Optional (may be blank): ``lat``, ``lon`` [degrees], ``elevation_m`` [m],
``sunshine_h_per_day`` [h], ``source`` (free text, kept as provenance) and
``utc_offset_h`` [h], the place's standard UTC offset.

Bundled towns whose row lacks coordinates or elevation take them from
``solarcase/data/south-khorasan-sites.csv``; towns listed only there (e.g. Sarayan) use
the normals row the site table names, labelled as a proxy.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from solarcase.errors import WeatherDataError

#: Standard offset of Iran Standard Time from UTC [h]; every bundled town is in Iran.
IRAN_UTC_OFFSET_H = 3.5
#: Mean Earth radius used for great-circle distances [km] (IUGG mean radius).
EARTH_RADIUS_KM = 6371.0088
#: Largest plausible monthly-mean daily GHI at the ground [kWh/m²/day]; the
#: extraterrestrial value never exceeds about 12.
MAX_GHI_KWH_PER_M2_DAY = 12.0

NORMALS_FILE = "climate-normals.csv"
SITES_FILE = "south-khorasan-sites.csv"

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
        _check_place(self.latitude, self.longitude, where)


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


def _check_place(latitude: float | None, longitude: float | None, where: str) -> None:
    if latitude is not None and not -90.0 <= latitude <= 90.0:
        raise WeatherDataError(
            f"{where}: latitude must be in [-90, 90] degrees north, got {latitude!r}"
        )
    if longitude is not None and not -180.0 <= longitude <= 180.0:
        raise WeatherDataError(
            f"{where}: longitude must be in [-180, 180] degrees east, got {longitude!r}"
        )


def _parse_table(text: str, where: str) -> dict[str, MonthlyNormals]:
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
    absent = [m for m in range(1, 13) if m not in months]
    if absent:
        raise WeatherDataError(
            f"{where}: {town} has no row for month(s) "
            f"{', '.join(map(str, absent))}; give all twelve months"
        )
    monthly: dict[str, list[float]] = {c: [] for c in _MONTHLY_COLUMNS}
    sunshine_known = True
    place: dict[str, float | None] = {}
    for month in range(1, 13):
        line, row = months[month]
        for column, values in monthly.items():
            value = _number(row, column, line, where)
            if value is None and column == "sunshine_h_per_day":
                sunshine_known, value = False, math.nan
            elif value is None:
                raise WeatherDataError(
                    f"{where}: line {line}: {column} is empty for {town} month {month}"
                )
            values.append(value)
        problem = _month_problem(
            ghi=monthly["ghi_kwh_m2_day"][-1],
            temp_mean=monthly["temp_mean_c"][-1],
            temp_max=monthly["temp_max_c"][-1],
            temp_min=monthly["temp_min_c"][-1],
            wind=monthly["wind_m_s"][-1],
        )
        if problem:
            raise WeatherDataError(f"{where}: line {line}: {town}: {problem}")
        for column in _PLACE_COLUMNS:
            value = _number(row, column, line, where)
            if month > 1 and value != place[column]:
                raise WeatherDataError(
                    f"{where}: line {line}: {column} of {town} is {value!r} here but "
                    f"{place[column]!r} in month 1; give the same value in every month"
                )
            place[column] = value
        if month == 1:
            _check_place(place["lat"], place["lon"], f"{where}: line {line}: {town}")
    sources = sorted({(row.get("source") or "").strip() for _, row in months.values()})
    return MonthlyNormals(
        town=town,
        latitude=place["lat"],
        longitude=place["lon"],
        elevation_m=place["elevation_m"],
        ghi_kwh_per_m2_day=tuple(monthly["ghi_kwh_m2_day"]),
        temp_mean=tuple(monthly["temp_mean_c"]),
        temp_max=tuple(monthly["temp_max_c"]),
        temp_min=tuple(monthly["temp_min_c"]),
        wind_speed=tuple(monthly["wind_m_s"]),
        sources=" | ".join(s for s in sources if s),
        sunshine_h_per_day=(
            tuple(monthly["sunshine_h_per_day"]) if sunshine_known else None
        ),
        utc_offset_h=place["utc_offset_h"],
    )


def read_normals_csv(path: str | Path, *, town: str | None = None) -> MonthlyNormals:
    """Read one town's monthly normals from a user-supplied CSV table.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file with the columns described in this module's docstring (UTF-8).
    town : str, optional
        Town to return (case-insensitive). May be omitted when the file holds one town.

    Returns
    -------
    normals : MonthlyNormals
        The town's twelve monthly values.

    Raises
    ------
    WeatherDataError
        If the file cannot be read, a column or month is missing, a value is not a
        number or is implausible (e.g. GHI in MJ/m²/day), or the town is not in the
        file (or the file holds several towns and none was named). The message names
        the file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise WeatherDataError(
            f"{path}: cannot read the normals table ({err}); give a UTF-8 CSV file"
        ) from err
    table = _parse_table(text, str(path))
    if town is None:
        if len(table) == 1:
            return next(iter(table.values()))
        raise WeatherDataError(
            f"{path}: the table holds {len(table)} towns ({', '.join(table)}); "
            "say which one to use"
        )
    return _pick(table, town, str(path))


def _pick(table: Mapping[str, MonthlyNormals], town: str, where: str) -> MonthlyNormals:
    by_key = {name.casefold(): normals for name, normals in table.items()}
    found = by_key.get(town.strip().casefold())
    if found is not None:
        return found
    names = sorted(table)
    close = difflib.get_close_matches(town.strip(), names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise WeatherDataError(
        f"{where}: unknown town {town!r}; {hint}known towns: {', '.join(names)}. "
        "For another place give your own table (read_normals_csv) or use "
        "nearest_normals(latitude, longitude)"
    )


def _read_resource(name: str) -> str:
    return (resources.files("solarcase") / "data" / name).read_text(encoding="utf-8")


@cache
def _bundled() -> dict[str, MonthlyNormals]:
    """The bundled normals, with place data completed from the site table."""
    table = _parse_table(_read_resource(NORMALS_FILE), f"solarcase/data/{NORMALS_FILE}")
    sites = list(csv.DictReader(io.StringIO(_read_resource(SITES_FILE))))
    towns = {
        name: replace(n, utc_offset_h=IRAN_UTC_OFFSET_H) for name, n in table.items()
    }
    for site in sites:
        name, row = site["town"].strip(), site["climate_normals_row"].strip()
        latitude, longitude = float(site["latitude"]), float(site["longitude"])
        elevation = float(site["elevation_m"]) if site["elevation_m"] else None
        base = towns.get(name)
        if base is not None:  # fill the gaps of the town's own row
            towns[name] = replace(
                base,
                latitude=base.latitude if base.latitude is not None else latitude,
                longitude=base.longitude if base.longitude is not None else longitude,
                elevation_m=(
                    base.elevation_m if base.elevation_m is not None else elevation
                ),
            )
            continue
        towns[name] = replace(
            towns[row],
            town=name,
            latitude=latitude,
            longitude=longitude,
            elevation_m=elevation,
            sources=(
                f"ESTIMATE-PROXY: values of the {row} normals row ({name} has no "
                f"row; site table: {site['source'].strip()}). {row} source: "
                f"{towns[row].sources}"
            ),
        )
    return dict(sorted(towns.items()))


def list_towns() -> tuple[str, ...]:
    """Names of the towns with bundled normals, sorted alphabetically.

    Returns
    -------
    towns : tuple of str
        Accepted by :func:`load_normals`.

    Examples
    --------
    >>> "Birjand" in list_towns()
    True
    """
    return tuple(_bundled())


def load_normals(town: str) -> MonthlyNormals:
    """Bundled monthly normals of a town (case-insensitive name).

    Parameters
    ----------
    town : str
        One of :func:`list_towns`, e.g. ``"Birjand"``.

    Returns
    -------
    normals : MonthlyNormals
        Twelve monthly values with the town's coordinates, elevation, standard UTC
        offset (+3.5 h, Iran) and source text.

    Raises
    ------
    WeatherDataError
        If the town is unknown; the message lists the known towns.

    Examples
    --------
    >>> load_normals("birjand").ghi_kwh_per_m2_day[5]
    8.32
    """
    return _pick(_bundled(), town, "bundled climate normals")


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance between two points [km]."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_normals(
    latitude: float,
    longitude: float,
    *,
    candidates: Iterable[MonthlyNormals] | None = None,
) -> tuple[MonthlyNormals, float]:
    """The bundled normals nearest to a point, and how far away they are.

    Parameters
    ----------
    latitude, longitude : float
        The point [degrees north, degrees east].
    candidates : iterable of MonthlyNormals, optional
        Normals to choose from; default all bundled towns. Entries without
        coordinates are skipped.

    Returns
    -------
    normals : MonthlyNormals
        The closest town's normals.
    distance_km : float
        Great-circle distance from the point to that town [km]. The caller decides
        how far is too far.

    Raises
    ------
    WeatherDataError
        If the point is not on the globe or no candidate has coordinates.

    Examples
    --------
    >>> normals, distance_km = nearest_normals(32.87, 59.22)
    >>> normals.town, round(distance_km, 1)
    ('Birjand', 6.4)
    """
    _check_place(latitude, longitude, "nearest_normals")
    pool = _bundled().values() if candidates is None else candidates
    best: tuple[MonthlyNormals, float] | None = None
    for normals in pool:
        if normals.latitude is None or normals.longitude is None:
            continue
        d = _distance_km(latitude, longitude, normals.latitude, normals.longitude)
        if best is None or d < best[1]:
            best = (normals, d)
    if best is None:
        raise WeatherDataError(
            "nearest_normals: none of the candidate normals has coordinates; "
            "add lat and lon columns to the table"
        )
    return best
