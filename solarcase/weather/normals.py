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

:class:`MonthlyNormals` and the table parser are in
:mod:`solarcase.weather.normals_table`.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

from solarcase.errors import WeatherDataError
from solarcase.weather.geo import check_place, great_circle_distance_km
from solarcase.weather.normals_table import MonthlyNormals, parse_table

__all__ = [
    "IRAN_UTC_OFFSET_H",
    "MAX_NORMALS_DISTANCE_KM",
    "NORMALS_FILE",
    "SITES_FILE",
    "MonthlyNormals",
    "list_towns",
    "load_normals",
    "nearest_normals",
    "read_normals_csv",
    "read_normals_table",
]

#: Standard offset of Iran Standard Time from UTC [h]; every bundled town is in Iran.
IRAN_UTC_OFFSET_H = 3.5
#: Farthest town whose normals stand for a place [km]: the nearest bundled (or
#: --normals) town of a synthetic year, the normals shown beside a weather file.
MAX_NORMALS_DISTANCE_KM = 150.0
NORMALS_FILE = "climate-normals.csv"
SITES_FILE = "south-khorasan-sites.csv"


def read_normals_table(path: str | Path) -> dict[str, MonthlyNormals]:
    """Read every town of a user-supplied normals CSV, parsing the file once.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file with the columns described in this module's docstring (UTF-8).

    Returns
    -------
    towns : dict of str to MonthlyNormals
        Each town's twelve monthly values, keyed by its name as written, in the
        order the towns first appear in the file.

    Raises
    ------
    WeatherDataError
        As :func:`read_normals_csv`, for an unreadable file or a bad row.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise WeatherDataError(
            f"{path}: cannot read the normals table ({err}); give a UTF-8 CSV file"
        ) from err
    return parse_table(text, str(path))


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
    table = read_normals_table(path)
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
    table = parse_table(_read_resource(NORMALS_FILE), f"solarcase/data/{NORMALS_FILE}")
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
    check_place(latitude, longitude, "nearest_normals")
    pool = _bundled().values() if candidates is None else candidates
    best: tuple[MonthlyNormals, float] | None = None
    for normals in pool:
        if normals.latitude is None or normals.longitude is None:
            continue
        d = great_circle_distance_km(
            latitude, longitude, normals.latitude, normals.longitude
        )
        if best is None or d < best[1]:
            best = (normals, d)
    if best is None:
        raise WeatherDataError(
            "nearest_normals: none of the candidate normals has coordinates; "
            "add lat and lon columns to the table"
        )
    return best
