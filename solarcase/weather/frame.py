"""The one hourly weather frame every reader returns, and its metadata.

Conventions (all readers obey them; ``energy.simulate`` relies on them):

- Columns use pvlib's names and units: ``ghi``, ``dni``, ``dhi`` [W/m²],
  ``temp_air`` [°C], ``wind_speed`` [m/s]; optional ``albedo`` [-], ``pressure`` [Pa],
  ``relative_humidity`` [%], ``temp_dew`` [°C].
- The index is a tz-aware ``DatetimeIndex`` in the file's local *standard* time (a
  fixed UTC offset, never daylight-saving time), strictly increasing, hourly.
- Each label is the **start** of a 60-minute interval and the values are the mean over
  that interval. The yield model evaluates solar position at the interval's midpoint
  (label + 30 min). Readers shift each format's own labelling onto this convention.
- Typical-year files (TMY, EPW, PVGIS TMY, synthetic years) have their year coerced to
  :data:`TYPICAL_YEAR` and are sorted from 1 January; multi-year series keep real years.

No file or network I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

REQUIRED_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "albedo",
    "pressure",
    "relative_humidity",
    "temp_dew",
)
INTERVAL = pd.Timedelta(hours=1)
#: Year that typical-year files are coerced to (pvlib's choice for PVGIS TMY).
TYPICAL_YEAR = 1990
#: Largest distance of a multi-year series' first label from 1 January 00:00 local
#: time that still counts as "starting on 1 January" of the data's own clock (a UTC
#: series shown in local time is at most 14 h off) [h].
MAX_YEAR_PHASE = pd.Timedelta(hours=15)


@dataclass(frozen=True, slots=True)
class WeatherMeta:
    """Where a weather frame came from, for provenance in every output and report."""

    source: str
    """Format or generator: 'epw', 'tmy3', 'tmy2', 'pvgis-tmy', 'pvgis-hourly',
    'psm3', 'csv', 'synthetic'."""
    latitude: float
    """Latitude of the data [degrees north]."""
    longitude: float
    """Longitude of the data [degrees east]."""
    altitude: float | None
    """Elevation of the data point [m], when the file gives one."""
    utc_offset_h: float
    """Offset of the index's standard time from UTC [h]."""
    is_synthetic: bool
    """True when the year was generated, not measured or satellite-derived."""
    is_typical_year: bool
    """True for a typical (TMY-like) year, False for a real multi-year series."""
    path: str | None = None
    """File the frame was read from, if any."""
    sha256: str | None = None
    """SHA-256 of the file's bytes, if read from a file."""
    description: str = ""
    """One human line: e.g. 'PVGIS-SARAH3 typical year 2005-2023'."""
    provenance: Mapping[str, str] = field(default_factory=dict)
    """Free key/value provenance (database, generator, seed, sources, date fetched)."""
    years: tuple[int, ...] = ()
    """Calendar years the data cover (source years for a typical year, if known)."""
    repairs: tuple[str, ...] = ()
    """Labelled repairs applied on reading (e.g. 'clipped 3 negative ghi values
    to 0')."""


def time_index(frame: pd.DataFrame) -> pd.DatetimeIndex:
    """The index of a weather frame, as the ``DatetimeIndex`` the conventions promise.

    pandas types ``DataFrame.index`` as any ``Index``; this gives code (and type
    checkers) the index the readers build.

    Raises
    ------
    TypeError
        The index is not a ``DatetimeIndex``: the frame was not built by a reader
        (user frames are checked with a WeatherDataError before they get here).
    """
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            f"hourly frame: expected a DatetimeIndex, got {type(index).__name__}"
        )
    return index


def series_years(index: pd.DatetimeIndex) -> tuple[int, int]:
    """First and last calendar year of a multi-year series, on the data's own clock.

    A series of whole years may start up to :data:`MAX_YEAR_PHASE` before or after
    1 January 00:00 local time (UTC data shown in local standard time), so the first
    label plus, and the last label minus, that slack fall in the first and last year.
    """
    return (index[0] + MAX_YEAR_PHASE).year, (index[-1] - MAX_YEAR_PHASE).year


def wrap_into_year(labels: pd.DatetimeIndex, year: int) -> pd.DatetimeIndex:
    """Labels before or after calendar ``year`` (in their own time zone) moved by
    the year's length back inside it: the hours a time-zone shift pushed past
    31 December come back at 1 January, and the other way round (the idea of pvlib's
    ``roll_utc_offset``, for any offset)."""
    start = pd.Timestamp(year, 1, 1, tz=labels.tz)
    end = pd.Timestamp(year + 1, 1, 1, tz=labels.tz)
    length = end - start
    return labels.where(labels >= start, labels + length).where(
        labels < end, labels - length
    )
