"""Places on a spherical Earth: coordinates checked, distances, for the weather
checks and lookups.

No file or network I/O.
"""

from __future__ import annotations

import math

from solarcase.errors import WeatherDataError

__all__ = ["EARTH_RADIUS_KM", "check_place", "great_circle_distance_km"]

#: Mean Earth radius used for great-circle distances [km] (IUGG mean radius).
EARTH_RADIUS_KM = 6371.0088


def great_circle_distance_km(
    latitude1: float, longitude1: float, latitude2: float, longitude2: float
) -> float:
    """Haversine distance between two points on a spherical Earth [km].

    Examples
    --------
    >>> round(great_circle_distance_km(0.0, 0.0, 0.0, 1.0), 1)
    111.2
    """
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    dphi = phi2 - phi1
    dlmb = math.radians(longitude2 - longitude1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def check_place(latitude: float | None, longitude: float | None, where: str) -> None:
    """Raise unless the coordinates are on the globe (None: not known, not checked).

    Raises
    ------
    WeatherDataError
        A latitude outside [-90, 90] degrees north or a longitude outside
        [-180, 180] degrees east (NaN included); the message starts with ``where``.
    """
    fix = (
        "check the coordinates (latitude in [-90, 90] degrees north, longitude in "
        "[-180, 180] degrees east, not swapped)"
    )
    if latitude is not None and not -90.0 <= latitude <= 90.0:
        raise WeatherDataError(
            f"{where}: latitude must be in [-90, 90] degrees north, got "
            f"{latitude!r}; {fix}"
        )
    if longitude is not None and not -180.0 <= longitude <= 180.0:
        raise WeatherDataError(
            f"{where}: longitude must be in [-180, 180] degrees east, got "
            f"{longitude!r}; {fix}"
        )
