"""Real weather for any site from PVGIS: typical years and multi-year hourly series.

PVGIS (EU Joint Research Centre) serves satellite-derived hourly weather for most of
the world, Iran included (PVGIS-SARAH3 and ERA5, 2005 onwards), free and without
registration. This module asks it for

- a **typical year** (``kind="tmy"``, PVGIS's TMY tool), or
- the **hourly series** of whole years (``kind="hourly"``, the ``seriescalc`` tool) on
  a horizontal plane with the radiation components, so that ghi, dni and dhi can be
  derived (see :func:`solarcase.weather.formats_pvgis.pvgis_hourly_from_pvlib`).

The download goes through ``pvlib.iotools.get_pvgis_tmy`` / ``get_pvgis_hourly`` and the
answer through the same normalisation as a PVGIS file read from disk
(:func:`solarcase.weather.sources.normalise_parsed`), so a fetched frame equals the
frame of the same answer saved as a file.

:func:`pvgis_weather` adds the cache and the offline rules: a cached answer is read
without touching the network; a miss fetches (unless ``SOLARCASE_OFFLINE`` is set),
checks the data, writes a native CSV with the request and the date in its header
(atomically: a failure leaves no file), and reads that file back, so the first run and
every later run see identical numbers. Every failure (no connection, a time-out, an
HTTP error with PVGIS's own message, a cut-off or malformed answer) is a
:class:`~solarcase.errors.WeatherDataError` that says how to get the file by hand and
where to put it. Nothing touches the network at import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import pandas as pd
import pvlib
import requests
from pvlib import iotools

from solarcase import __version__
from solarcase.errors import WeatherDataError
from solarcase.scenario.models import PVGIS_TMY_MIN_YEARS
from solarcase.settings import DEFAULT_PVGIS_URL, Settings
from solarcase.weather.cache import find_cached, pvgis_cache_file, store_weather
from solarcase.weather.checks import check_weather
from solarcase.weather.formats_pvgis import (
    pvgis_hourly_from_pvlib,
    pvgis_tmy_from_pvlib,
)
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.geo import check_place
from solarcase.weather.sources import normalise_parsed, read_weather

logger = logging.getLogger(__name__)

Kind = Literal["tmy", "hourly"]
#: Coordinates are rounded to this many decimals (0.01 deg, about 1 km: finer than
#: the 0.05 deg pixels of PVGIS-SARAH3) before asking and in the cache key.
COORDINATE_DECIMALS = 2
#: The PVGIS web application, for downloads by hand.
WEB_TOOL_URL = "https://re.jrc.ec.europa.eu/pvg_tools/en/"
_ENDPOINTS: dict[str, str] = {"tmy": "tmy", "hourly": "seriescalc"}
_KIND_TEXT = {"tmy": "typical year", "hourly": "hourly series"}
_DATABASE = re.compile(r"^PVGIS-[A-Za-z0-9-]+$")


@dataclass(frozen=True, slots=True)
class PvgisRequest:
    """What to ask PVGIS for. Coordinates are rounded to :data:`COORDINATE_DECIMALS`.

    Raises
    ------
    WeatherDataError
        Coordinates off the globe, an unknown kind, years that run backwards, a
        typical year from fewer than 10 years, or a database for a typical year.
    """

    latitude: float
    """Latitude [degrees north]."""
    longitude: float
    """Longitude [degrees east]."""
    kind: Kind = "tmy"
    """``"tmy"``: PVGIS's typical year; ``"hourly"``: the hourly series."""
    start_year: int | None = None
    """First year (None: PVGIS's first)."""
    end_year: int | None = None
    """Last year (None: PVGIS's last)."""
    database: str | None = None
    """Radiation database of an hourly series, e.g. ``"PVGIS-SARAH3"`` (None:
    PVGIS's default for the location)."""
    use_horizon: bool = True
    """Include shading by the terrain horizon."""

    def __post_init__(self) -> None:
        where = "PVGIS request"
        check_place(self.latitude, self.longitude, where)
        if self.kind not in _ENDPOINTS:
            raise WeatherDataError(
                f"{where}: kind must be 'tmy' or 'hourly', got {self.kind!r}"
            )
        if (self.start_year is None) != (self.end_year is None):
            raise WeatherDataError(
                f"{where}: give both the first and the last year, or neither, got "
                f"{self.start_year!r} and {self.end_year!r}"
            )
        years = self.year_count
        if years is not None and years < 1:
            raise WeatherDataError(
                f"{where}: years must run forward, got {self.start_year}-"
                f"{self.end_year}; write the first year first"
            )
        if self.kind == "tmy" and years is not None and years < PVGIS_TMY_MIN_YEARS:
            raise WeatherDataError(
                f"{where}: a PVGIS typical year is chosen from at least "
                f"{PVGIS_TMY_MIN_YEARS} years, got {self.start_year}-{self.end_year}; "
                "widen the range or ask for the hourly series"
            )
        if self.database is not None and (
            self.kind == "tmy" or not _DATABASE.match(self.database)
        ):
            raise WeatherDataError(
                f"{where}: database {self.database!r} must look like PVGIS-SARAH3 and "
                "goes with the hourly series only (the typical-year tool chooses its "
                "own)"
            )
        for name in ("latitude", "longitude"):
            value = round(float(getattr(self, name)), COORDINATE_DECIMALS) + 0.0
            object.__setattr__(self, name, value)

    @property
    def year_count(self) -> int | None:
        """Number of years asked for, or None for all years PVGIS has."""
        if self.start_year is None or self.end_year is None:
            return None
        return self.end_year - self.start_year + 1

    def query(self) -> dict[str, str]:
        """The query parameters pvlib sends for this request (as PVGIS reads them).

        Recorded in the cache file's provenance and used for the download-by-hand
        URL; the tests check them against what a local server receives.
        """
        params: dict[str, object] = {
            "lat": self.latitude,
            "lon": self.longitude,
            "outputformat": "json",
        }
        if self.kind == "tmy":
            if not self.use_horizon:
                params["usehorizon"] = 0
            if self.start_year is not None:
                params.update(startyear=self.start_year, endyear=self.end_year)
        else:
            params.update(
                angle=0,
                aspect=0,
                pvcalculation=0,
                pvtechchoice="crystSi",
                mountingplace="free",
                trackingtype=0,
                components=1,
                usehorizon=int(self.use_horizon),
                optimalangles=0,
                optimalinclination=0,
                loss=0,
            )
            if self.database is not None:
                params["raddatabase"] = self.database
            if self.start_year is not None:
                params.update(startyear=self.start_year, endyear=self.end_year)
        return {key: str(value) for key, value in params.items()}

    def api_url(self, base_url: str = DEFAULT_PVGIS_URL) -> str:
        """The full GET URL of this request (open it in a browser to download)."""
        return base_url + _ENDPOINTS[self.kind] + "?" + urlencode(self.query())

    def cache_name(self, base_url: str = DEFAULT_PVGIS_URL) -> str:
        """File stem in the cache: kind, coordinates, years, database, horizon, API.

        Examples
        --------
        >>> PvgisRequest(32.8731, 59.2163).cache_name()
        'pvgis_tmy_+32.87_+59.22_all-years_default-db_horizon_v5_3'
        """
        years = (
            "all-years"
            if self.start_year is None
            else (f"{self.start_year}-{self.end_year}")
        )
        version = re.search(r"v\d+_\d+", base_url)
        api = version.group(0) if version else "api-" + _slug(base_url)
        return "_".join(
            (
                "pvgis",
                self.kind,
                f"{self.latitude:+.{COORDINATE_DECIMALS}f}",
                f"{self.longitude:+.{COORDINATE_DECIMALS}f}",
                years,
                self.database or "default-db",
                "horizon" if self.use_horizon else "no-horizon",
                api,
            )
        )

    def describe(self) -> str:
        """One line for messages, e.g. 'PVGIS typical year at 32.87 N, 59.22 E'."""
        years = (
            "" if self.start_year is None else (f" {self.start_year}-{self.end_year}")
        )
        database = f" ({self.database})" if self.database else ""
        north = "N" if self.latitude >= 0 else "S"
        east = "E" if self.longitude >= 0 else "W"
        return (
            f"PVGIS {_KIND_TEXT[self.kind]}{years}{database} at "
            f"{abs(self.latitude):.{COORDINATE_DECIMALS}f} {north}, "
            f"{abs(self.longitude):.{COORDINATE_DECIMALS}f} {east}"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text.split("://", 1)[-1]).strip("-")[:40]


def fetch_pvgis(
    request: PvgisRequest,
    *,
    url: str = DEFAULT_PVGIS_URL,
    timeout_s: float = 60.0,
    utc_offset_h: float | None = None,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """Download one PVGIS answer and normalise it like a PVGIS file; no cache.

    Parameters
    ----------
    request : PvgisRequest
        What to ask for.
    url : str
        Base URL of the PVGIS API, ending in ``/``.
    timeout_s : float
        Seconds to wait for the connection and for each part of the answer [s].
    utc_offset_h : float, optional
        Local standard time of the returned index [h]; default round(longitude / 15),
        as for PVGIS files.

    Returns
    -------
    frame : pandas.DataFrame
        Equal to :func:`~solarcase.weather.sources.read_weather` of the same answer
        saved as a file.
    meta : WeatherMeta
        The answer's metadata, with ``path`` None and the request URL, the date
        fetched (UTC) and the software versions added to ``provenance``.

    Raises
    ------
    WeatherDataError
        No connection, a time-out, an HTTP error (with PVGIS's message), or an answer
        that is cut off, malformed or incomplete.
    """
    where = request.describe()
    start, end = request.start_year, request.end_year
    try:
        if request.kind == "tmy":
            data, raw_meta = iotools.get_pvgis_tmy(
                request.latitude,
                request.longitude,
                outputformat="json",
                usehorizon=request.use_horizon,
                startyear=start,
                endyear=end,
                url=url,
                timeout=timeout_s,
                coerce_year=None,  # keep PVGIS's own stamps, as read_pvgis_tmy does
            )
            parsed = pvgis_tmy_from_pvlib(data, raw_meta, is_json=True, where=where)
        else:
            data, raw_meta = iotools.get_pvgis_hourly(
                request.latitude,
                request.longitude,
                start=start,
                end=end,
                raddatabase=request.database,
                components=True,
                surface_tilt=0,
                surface_azimuth=180,
                outputformat="json",
                usehorizon=request.use_horizon,
                pvcalculation=False,
                url=url,
                timeout=timeout_s,
            )
            parsed = pvgis_hourly_from_pvlib(data, raw_meta, is_json=True, where=where)
    except (requests.RequestException, ValueError, KeyError, TypeError) as err:
        raise _download_error(err, where, url, timeout_s) from err
    fetched_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    frame, meta = normalise_parsed(parsed, where=where, utc_offset_h=utc_offset_h)
    provenance = {
        **meta.provenance,
        "request_url": request.api_url(url),
        "fetched_at": fetched_at.isoformat().replace("+00:00", "Z"),
        "fetched_with": f"solarcase {__version__}, pvlib {pvlib.__version__} "
        f"(iotools.get_pvgis_{'tmy' if request.kind == 'tmy' else 'hourly'})",
    }
    logger.info("fetched %s from %s", where, url)
    return frame, dataclasses.replace(meta, provenance=provenance)


def _download_error(
    err: Exception, where: str, url: str, timeout_s: float
) -> WeatherDataError:
    """A clear message for each way a download can fail."""
    if isinstance(err, requests.Timeout):
        return WeatherDataError(
            f"{where}: PVGIS ({url}) did not answer within {timeout_s:g} s; try "
            "again later (PVGIS is sometimes busy), or allow more time with "
            "SOLARCASE_PVGIS_TIMEOUT_S"
        )
    if isinstance(err, requests.HTTPError):
        # pvlib raises PVGIS's own JSON message without the response; other HTTP
        # errors keep the response and its status
        status = getattr(err.response, "status_code", None)
        if status is not None and (status >= 500 or status == 429):
            reason = getattr(err.response, "reason", "") or ""
            return WeatherDataError(
                f"{where}: PVGIS answered HTTP {status} {reason} from {url}: the "
                "service is down or busy; nothing was saved: try again later"
            )
        code = f" (HTTP {status})" if status else ""
        return WeatherDataError(
            f"{where}: PVGIS refused the request{code}: {str(err)!r}; check that the "
            "coordinates are on land and inside the database's coverage and that "
            "the years exist (PVGIS-SARAH3: 2005-2023), or try again later"
        )
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return WeatherDataError(
            f"{where}: the answer from PVGIS ({url}) was cut off before its end "
            f"({err}); nothing was saved: try again"
        )
    if isinstance(err, ValueError | KeyError | TypeError):  # incl. JSONDecodeError
        document = getattr(err, "doc", None)
        start = f"; it starts {document.lstrip()[:60]!r}" if document else ""
        html = document is not None and document.lstrip()[:15].lower().startswith(
            ("<!doctype", "<html")
        )
        what = (
            "a web page, not PVGIS data (a proxy or login page?)"
            if html
            else f"not a complete PVGIS answer ({type(err).__name__}: {err}{start})"
        )
        return WeatherDataError(
            f"{where}: the answer from {url} is {what}; nothing was saved: try again, "
            "or check SOLARCASE_PVGIS_URL"
        )
    if isinstance(err, requests.ConnectionError):
        return WeatherDataError(
            f"{where}: cannot reach PVGIS at {url} ({_reason(err)}); check the "
            "internet connection and proxy, or set SOLARCASE_PVGIS_URL to a mirror"
        )
    return WeatherDataError(f"{where}: the download from {url} failed ({err})")


def _reason(err: Exception) -> str:
    text = str(err)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text) or re.search(
        r"(Connection refused|Name or service not known|timed out)", text
    )
    return match.group(1).strip() if match else type(err).__name__


def manual_download_hint(request: PvgisRequest, *, url: str, save_as: Path) -> str:
    """How to get the data by hand and where to put it, for error messages."""
    extension = (
        ""
        if save_as.suffix == ".json"
        else " (solarcase reads the JSON whatever the file's extension)"
    )
    tab = (
        "the TMY tab"
        if request.kind == "tmy"
        else "the 'Hourly data' tab with slope 0 and 'Radiation components' ticked"
    )
    return (
        f"To get it by hand, open {request.api_url(url)} in a browser on a machine "
        f"with internet access (or use the PVGIS web tool {WEB_TOOL_URL}, {tab}, "
        f"latitude {request.latitude}, longitude {request.longitude}, JSON), save the "
        f"answer as {save_as}{extension} and run again"
    )


def cached_pvgis_file(
    request: PvgisRequest, *, settings: Settings, file: Path | None = None
) -> Path | None:
    """The file :func:`pvgis_weather` would read without the network, or None.

    ``file`` when given and present; else the native cache file, or a PVGIS answer
    saved by hand next to it as ``.json``.
    """
    if file is not None:
        return file if file.is_file() else None
    name = request.cache_name(settings.pvgis_url)
    return find_cached(pvgis_cache_file(settings.cache_dir, name))


def pvgis_weather(
    request: PvgisRequest,
    *,
    settings: Settings,
    file: Path | None = None,
    utc_offset_h: float | None = None,
    refresh: bool = False,
) -> tuple[pd.DataFrame, WeatherMeta]:
    """PVGIS weather from the cache, or fetched and cached on a miss.

    Parameters
    ----------
    request : PvgisRequest
        What to ask for.
    settings : Settings
        Cache directory, PVGIS URL, time-out and the offline switch.
    file : pathlib.Path, optional
        Keep the data in this file instead of the cache directory (read it when it
        exists; write it after a fetch).
    utc_offset_h : float, optional
        Local standard time of the returned index [h]; default round(longitude / 15).
    refresh : bool, default False
        Fetch again even when the data is cached (not with ``settings.offline``).

    Returns
    -------
    frame : pandas.DataFrame
        Read from the cached file (also right after a fetch, so every run sees the
        same numbers); not yet checked against a site (see
        :func:`solarcase.weather.checks.check_weather`).
    meta : WeatherMeta
        ``path`` is the cached file; ``provenance`` holds the request URL and the
        date fetched.

    Raises
    ------
    WeatherDataError
        A cache miss while offline, a failed download, data that fail the checks,
        or a cached file of the wrong kind; download failures say how to get the
        file by hand and where to save it. Nothing is cached after a failure.
    OutputError
        The cache file cannot be written.
    """
    native = file or pvgis_cache_file(
        settings.cache_dir, request.cache_name(settings.pvgis_url)
    )
    found = cached_pvgis_file(request, settings=settings, file=file)
    save_as = file or native.with_suffix(".json")
    hint = manual_download_hint(request, url=settings.pvgis_url, save_as=save_as)
    if found is not None and not refresh:
        logger.info("%s: read from %s (no download)", request.describe(), found)
        return _read_cached(found, request, utc_offset_h)
    if settings.offline:
        missing = f"not found at {file}" if file else f"not in the cache ({native})"
        raise WeatherDataError(
            f"{request.describe()}: {missing} and SOLARCASE_OFFLINE is set, so it is "
            f"not downloaded. {hint}"
        )
    try:
        frame, meta = fetch_pvgis(
            request, url=settings.pvgis_url, timeout_s=settings.pvgis_timeout_s
        )
    except WeatherDataError as err:
        raise WeatherDataError(f"{err}. {hint}") from err
    check_weather(frame, meta, where=f"{request.describe()} from {settings.pvgis_url}")
    store_weather(frame, meta, native)
    return _read_cached(native, request, utc_offset_h)


def _read_cached(
    path: Path, request: PvgisRequest, utc_offset_h: float | None
) -> tuple[pd.DataFrame, WeatherMeta]:
    frame, meta = read_weather(path, utc_offset_h=utc_offset_h)
    by_pvgis = (
        meta.source.startswith("pvgis") or meta.provenance.get("writer") == "PVGIS"
    )
    if not by_pvgis:
        raise WeatherDataError(
            f"{path}: holds {meta.source} data, not PVGIS data ({meta.description}); "
            "with source: pvgis, site.weather.file is where the PVGIS data is kept: "
            "name another file (or none, for the user cache), or use source: file "
            "to read this one"
        )
    if meta.is_typical_year != (request.kind == "tmy"):
        holds = "a typical year" if meta.is_typical_year else "a multi-year series"
        raise WeatherDataError(
            f"{path}: holds {holds}, but the scenario asks for a "
            f"{_KIND_TEXT[request.kind]} (site.weather.kind: {request.kind}); delete "
            "the file to fetch the right data, or change site.weather.kind"
        )
    if "fetched_at" not in meta.provenance:
        obtained = "saved by hand (no download record)"
        provenance = {**meta.provenance, "obtained": obtained}
        meta = dataclasses.replace(meta, provenance=provenance)
    return frame, meta
