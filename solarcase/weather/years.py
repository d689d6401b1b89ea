"""Split a multi-year hourly series into calendar years (for weather-year analyses).

A multi-year series (a PVGIS hourly series, several PSM3 years) holds whole years of
data on *the data's own clock*: PVGIS years run from 1 January 00:00 UTC. Shown in
local standard time the series is shifted: at UTC+3:30 PVGIS's year 2010 (samples at
HH:10 UTC) is labelled from 1 January 2010 03:10 to 1 January 2011 02:10.
:func:`split_years` cuts the series at the data's own year boundaries, so each year
holds exactly the data of that year, and then moves the few hours that the time-zone
shift pushed past the local year's end (or before its start) to the other end of the
same year, as pvlib's ``roll_utc_offset`` does for typical years. Each year then
covers its local calendar year hour by hour; the moved hours (at night for any
sensible time zone) are labelled in the year's ``meta.repairs``.

No file or network I/O.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from solarcase.errors import SolarcaseWarning, WeatherDataError
from solarcase.weather.frame import (
    INTERVAL,
    WeatherMeta,
    series_years,
    time_index,
    wrap_into_year,
)


def split_years(
    frame: pd.DataFrame, meta: WeatherMeta
) -> list[tuple[int, pd.DataFrame, WeatherMeta]]:
    """Cut a checked multi-year hourly series into whole calendar years.

    Parameters
    ----------
    frame : pandas.DataFrame
        A multi-year weather frame on a complete hourly grid (as
        :func:`solarcase.weather.checks.check_weather` returns it); not modified.
    meta : WeatherMeta
        Its metadata; ``is_typical_year`` must be False.

    Returns
    -------
    years : list of (int, pandas.DataFrame, WeatherMeta)
        One entry per whole year, in order: the year, its frame (8760 or 8784 hours,
        every label inside that local calendar year, same columns) and its metadata
        (``years=(year,)``, a description naming the year, and a repair line when
        hours were moved). Years that are not complete are left out, with a
        :class:`SolarcaseWarning`.

    Raises
    ------
    WeatherDataError
        A typical year (there is nothing to split), or a frame that is not hourly
        and increasing.

    Notes
    -----
    A year is cut at 1 January of the data's own clock: the series' first label
    minus its distance from local midnight of 1 January (the "phase", at most
    15 h). Hours of the cut that fall after the local year's end move back by the
    year's length, hours before its start move forward; the year's frame is then
    sorted. Leap years keep 29 February (8784 hours); the yield model scales any
    frame to 8760 hours.
    """
    where = meta.path or meta.description or meta.source
    if meta.is_typical_year:
        raise WeatherDataError(
            f"{where}: a typical year cannot be split into calendar years; use a "
            "multi-year series (site.weather: {source: pvgis, kind: hourly, years: "
            "2005-2023})"
        )
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None or len(index) < 2:
        raise WeatherDataError(
            f"{where}: split_years needs a tz-aware hourly index, got "
            f"{type(index).__name__} of {len(index)} rows"
        )
    steps = index[1:] - index[:-1]
    if not (steps == INTERVAL).all():
        raise WeatherDataError(
            f"{where}: split_years needs a gap-free hourly series (run check_weather "
            "first, which fills short gaps)"
        )
    tz = index.tz
    first_year, last_year = series_years(index)
    phase = index[0] - pd.Timestamp(first_year, 1, 1, tz=tz)
    result: list[tuple[int, pd.DataFrame, WeatherMeta]] = []
    incomplete: list[int] = []
    for year in range(first_year, last_year + 1):
        start = pd.Timestamp(year, 1, 1, tz=tz)
        end = pd.Timestamp(year + 1, 1, 1, tz=tz)
        lo, hi = index.searchsorted([start + phase, end + phase])
        if hi - lo != (end - start) / INTERVAL:
            incomplete.append(year)
            continue
        result.append((year, *_one_year(frame.iloc[lo:hi], meta, year)))
    if incomplete:
        warnings.warn(
            f"{where}: left out incomplete year(s) {incomplete}; only whole years "
            "are returned",
            SolarcaseWarning,
            stacklevel=2,
        )
    return result


def _one_year(
    chunk: pd.DataFrame, meta: WeatherMeta, year: int
) -> tuple[pd.DataFrame, WeatherMeta]:
    """The year's chunk with labels moved inside the year, and its metadata."""
    labels = time_index(chunk)
    moved = wrap_into_year(labels, year)
    late = np.asarray(moved < labels)  # moved back from after 31 December
    early = np.asarray(moved > labels)
    year_frame = chunk.set_axis(moved).sort_index()
    repairs = list(meta.repairs)
    if late.any() or early.any():
        count = int(late.sum() + early.sum())
        which = "after 31 December" if late.any() else "before 1 January"
        to = "start" if late.any() else "end"
        repairs.append(
            f"split_years: moved the {count} hour(s) of the data's year {year} that "
            f"local time UTC{meta.utc_offset_h:+g} h puts {which} to the {to} of "
            f"{year}, to complete the calendar year"
        )
    description = f"{meta.description or meta.source}, year {year}"
    provenance = {**meta.provenance, "split_from_years": _span(meta, year)}
    year_meta = dataclasses.replace(
        meta,
        years=(year,),
        description=description,
        repairs=tuple(repairs),
        provenance=provenance,
    )
    return year_frame, year_meta


def _span(meta: WeatherMeta, year: int) -> str:
    if meta.years:
        return f"{min(meta.years)}-{max(meta.years)}"
    return str(year)
