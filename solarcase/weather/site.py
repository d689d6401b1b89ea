"""Get the checked hourly weather for a scenario's site, whatever its source.

The edge between a scenario's ``site.weather`` section and the weather frame: read a
file (any supported format), take PVGIS data for the site (from the cache, or fetched
once; :mod:`solarcase.weather.pvgis`), or generate a synthetic year from climate
normals, then run the quality checks against the site's coordinates. Every message
starts with the scenario file and key, so the user knows which line to change.
"""

from __future__ import annotations

import pandas as pd

from solarcase.errors import WeatherDataError
from solarcase.scenario.models import Site, WeatherFile, WeatherPvgis, WeatherSynthetic
from solarcase.settings import Settings
from solarcase.weather.checks import MAX_DISTANCE_KM, check_weather
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.normals import (
    MAX_NORMALS_DISTANCE_KM,
    MonthlyNormals,
    load_normals,
    nearest_normals,
)
from solarcase.weather.pvgis import PvgisRequest, cached_pvgis_file, pvgis_weather
from solarcase.weather.sources import read_weather
from solarcase.weather.synth import synthesize_year


def load_site_weather(
    site: Site, *, where: str, settings: Settings | None = None
) -> tuple[pd.DataFrame, WeatherMeta]:
    """The checked weather frame and its metadata for a scenario's site.

    Parameters
    ----------
    site : Site
        The validated site section.
    where : str
        Name of the scenario file, to start error messages with.
    settings : Settings, optional
        Cache directory, PVGIS URL and offline switch for ``source: pvgis``; default
        :meth:`Settings.from_env`. The network is used only when PVGIS data is asked
        for and not cached.

    Raises
    ------
    WeatherDataError
        Unreadable, inconsistent or distant weather, or PVGIS data that is neither
        cached nor downloadable; the message names the scenario file, the key and
        the weather file, and for PVGIS how to get the file by hand.
    """
    source = site.weather
    if isinstance(source, WeatherFile):
        return _from_file(site, source, where=where)
    if isinstance(source, WeatherPvgis):
        return _pvgis(site, source, where=where, settings=settings)
    return _synthetic(site, source, where=where)


def _from_file(
    site: Site, source: WeatherFile, *, where: str
) -> tuple[pd.DataFrame, WeatherMeta]:
    frame, meta = _read_file(site, source, where=where)
    return _checked_at_site(
        frame,
        meta,
        site,
        where=weather_file_label(where, source),
        max_distance_km=source.max_distance_km,
    )


def read_weather_file(
    site: Site, source: WeatherFile, *, where: str
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Read a scenario's weather file and run the quality checks, but not the
    file-to-site distance: the caller checks it with
    :func:`~solarcase.weather.checks.check_location`, so that one read can serve
    several nearby sites (batch runs)."""
    frame, meta = _read_file(site, source, where=where)
    return check_weather(frame, meta, where=weather_file_label(where, source))


def weather_file_label(where: str, source: WeatherFile) -> str:
    """Start of the messages about a scenario's weather file."""
    return f"{where}: site.weather.file ({source.file})"


def _read_file(
    site: Site, source: WeatherFile, *, where: str
) -> tuple[pd.DataFrame, WeatherMeta]:
    fmt = None if source.format == "auto" else source.format
    try:
        frame, meta = read_weather(
            source.file,
            format=fmt,
            column_map=source.column_map,
            utc_offset_h=site.utc_offset_h,
            latitude=site.latitude,
            longitude=site.longitude,
            altitude=site.altitude,
        )
    except WeatherDataError as err:
        raise WeatherDataError(f"{where}: site.weather.file: {err}") from err
    return frame, meta


def _checked_at_site(
    frame: pd.DataFrame,
    meta: WeatherMeta,
    site: Site,
    *,
    where: str,
    max_distance_km: float = MAX_DISTANCE_KM,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """The quality checks, with the weather within ``max_distance_km`` of the site."""
    return check_weather(
        frame,
        meta,
        where=where,
        site_latitude=site.latitude,
        site_longitude=site.longitude,
        max_distance_km=max_distance_km,
    )


def _synthetic(
    site: Site, source: WeatherSynthetic, *, where: str
) -> tuple[pd.DataFrame, WeatherMeta]:
    label = f"{where}: site.weather"
    if source.normals is not None:
        normals = load_normals(source.normals)
    else:
        normals, distance_km = nearest_normals(site.latitude, site.longitude)
        if distance_km > MAX_NORMALS_DISTANCE_KM:
            raise WeatherDataError(
                f"{label}: the nearest bundled climate normals ({normals.town}) are "
                f"{distance_km:.0f} km from the site, more than "
                f"{MAX_NORMALS_DISTANCE_KM:.0f} km; name a town with "
                "site.weather.normals or use a weather file (site.weather.file)"
            )
    return synthetic_site_weather(normals, site, seed=source.seed, where=label)


def synthetic_site_weather(
    normals: MonthlyNormals, site: Site, *, seed: int, where: str
) -> tuple[pd.DataFrame, WeatherMeta]:
    """A checked synthetic year from ``normals`` for the site's place and time zone.

    Parameters
    ----------
    normals : MonthlyNormals
        The climate normals to reproduce.
    site : Site
        The validated site: its coordinates [degrees], altitude [m] and UTC offset
        [h] go to :func:`~solarcase.weather.synth.synthesize_year`.
    seed : int
        Seed of the generator.
    where : str
        Start of error messages.

    Returns
    -------
    frame : pandas.DataFrame
    meta : WeatherMeta
        As :func:`~solarcase.weather.checks.check_weather` returns them.
    """
    frame, meta = synthesize_year(
        normals,
        seed=seed,
        latitude=site.latitude,
        longitude=site.longitude,
        altitude=site.altitude,
        utc_offset_h=site.utc_offset_h,
    )
    return _checked_at_site(frame, meta, site, where=where)


def needs_download(site: Site, *, settings: Settings | None = None) -> bool:
    """True when loading the site's weather would reach the network (a PVGIS
    source that is not in the cache yet); ``validate`` uses it to stay offline."""
    source = site.weather
    if not isinstance(source, WeatherPvgis):
        return False
    try:
        request = _pvgis_request(site, source)
    except WeatherDataError:
        return False  # the error shows when the weather is loaded
    settings = settings or Settings.from_env()
    return cached_pvgis_file(request, settings=settings, file=source.file) is None


def _pvgis_request(site: Site, source: WeatherPvgis) -> PvgisRequest:
    span = source.year_range
    return PvgisRequest(
        site.latitude,
        site.longitude,
        kind=source.kind,
        start_year=None if span is None else span[0],
        end_year=None if span is None else span[1],
        database=source.database,
        use_horizon=source.use_horizon,
    )


def _pvgis(
    site: Site, source: WeatherPvgis, *, where: str, settings: Settings | None
) -> tuple[pd.DataFrame, WeatherMeta]:
    try:
        request = _pvgis_request(site, source)
        frame, meta = pvgis_weather(
            request,
            settings=settings or Settings.from_env(),
            file=source.file,
            utc_offset_h=site.utc_offset_h,
        )
    except WeatherDataError as err:
        raise WeatherDataError(f"{where}: site.weather (source: pvgis): {err}") from err
    return _checked_at_site(
        frame, meta, site, where=f"{where}: site.weather ({meta.path})"
    )
