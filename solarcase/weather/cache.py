"""Where downloaded weather is kept, and how it is written so no half file remains.

Layout under the cache directory (:attr:`solarcase.settings.Settings.cache_dir`,
by default ``$XDG_CACHE_HOME/solarcase`` or ``~/.cache/solarcase``)::

    <cache_dir>/pvgis/<name>.csv    native solarcase CSV written after a download,
                                    with the request and the date in its header
    <cache_dir>/pvgis/<name>.json   a PVGIS answer saved there by hand (optional)

``<name>`` says what was asked, e.g. ``pvgis_tmy_+32.87_+59.22_all-years_default-db_
horizon_v5_3`` (see :meth:`solarcase.weather.pvgis.PvgisRequest.cache_name`), so a
file is found again from the request alone, and a person can tell files apart.
Cached files are ordinary weather files: ``solarcase weather inspect`` and
``site.weather.file`` read them. Deleting the directory is always safe.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from solarcase.errors import OutputError
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.native import write_native

PVGIS_SUBDIR = "pvgis"
#: Suffixes a cached PVGIS file may have, in the order they are looked for: the
#: native file solarcase writes, then a PVGIS JSON answer saved by hand.
CACHE_SUFFIXES: tuple[str, ...] = (".csv", ".json")


def pvgis_cache_file(cache_dir: Path, name: str) -> Path:
    """The native cache file for a request's ``name`` (it may not exist yet).

    Examples
    --------
    >>> pvgis_cache_file(Path("/c"), "pvgis_tmy_x").as_posix()
    '/c/pvgis/pvgis_tmy_x.csv'
    """
    return cache_dir / PVGIS_SUBDIR / (name + CACHE_SUFFIXES[0])


def find_cached(native_file: Path) -> Path | None:
    """The cached file for ``native_file``: itself, or its hand-saved ``.json`` twin.

    Returns None when neither exists (a cache miss).
    """
    for suffix in CACHE_SUFFIXES:
        candidate = native_file.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def store_weather(frame: pd.DataFrame, meta: WeatherMeta, path: Path) -> Path:
    """Write a frame as a native weather CSV, creating directories; atomic.

    The file appears complete or not at all (:func:`~solarcase.weather.native.
    write_native` writes a temporary file and renames it into place).

    Raises
    ------
    OutputError
        If the directory cannot be created or written; the message names it and
        says how to choose another (``SOLARCASE_CACHE_DIR``).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"{path.parent}: cannot create the weather cache directory "
            f"({err.strerror or err}); set SOLARCASE_CACHE_DIR to a writable directory "
            "or give site.weather.file"
        ) from err
    write_native(frame, meta, path)
    return path
