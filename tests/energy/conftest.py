"""Weather frames for the energy tests, read with pvlib's own readers.

These small test-only adapters put two real weather files on the frame convention of
``solarcase.weather.frame`` (label = start of a 60-min interval, values = interval
means, tz-aware), independently of ``solarcase.weather`` so that the yield tests do not
depend on our readers:

- pvlib's bundled TMY3 (Greensboro NC, 723170TYA.CSV): hour-ending local standard
  time, so label h covers [h - 1, h): shift by -1 h. Check: GHI = DNI cos(zenith) + DHI
  closes best (mean |residual| 0.7 W/m² for hours with GHI > 50) with the sun at
  label - 30 min, against 20 W/m² at label.
- PVGIS TMY CSV (45 N 8 E): stamps HH:00 in UTC; the irradiance components are the
  satellite values at stamp + "irradiance time offset" (0.1761 h, in the file's
  metadata). Check: the closure residual is 0.4 W/m² with the sun at stamp + 10.6 min,
  7.3 at the stamp and 13.3 at stamp + 30 min. We centre each interval on that
  instant (label = stamp + offset - 30 min) and keep UTC as the frame's fixed offset,
  so that the midpoints of the year fall inside one calendar year for PySAM.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

import pandas as pd
import pvlib
import pytest

from solarcase.energy.simulate import SiteSpec

COLUMNS = ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
PVGIS_TMY = (
    Path(__file__).parents[1] / "data" / "weather" / "tmy_45.000_8.000_2005_2023.csv"
)


@functools.cache
def _tmy3() -> tuple[pd.DataFrame, SiteSpec]:
    path = importlib.resources.files("pvlib") / "data" / "723170TYA.CSV"
    data, meta = pvlib.iotools.read_tmy3(
        str(path), coerce_year=1990, map_variables=True
    )
    frame = data[COLUMNS].astype(float)
    frame.index = frame.index - pd.Timedelta(hours=1)  # hour-ending -> interval start
    site = SiteSpec(meta["latitude"], meta["longitude"], meta["altitude"])
    return frame, site


@functools.cache
def _pvgis_tmy() -> tuple[pd.DataFrame, SiteSpec]:
    data, meta = pvlib.iotools.read_pvgis_tmy(PVGIS_TMY, map_variables=True)
    offset = pd.Timedelta(hours=meta["inputs"]["irradiance time offset"])
    stamps = pd.date_range("1990-01-01", periods=len(data), freq="h", tz="UTC")
    frame = data[COLUMNS].astype(float)
    frame.index = stamps + offset - pd.Timedelta(minutes=30)
    inputs = meta["inputs"]
    site = SiteSpec(inputs["latitude"], inputs["longitude"], inputs["elevation"])
    return frame, site


@pytest.fixture
def tmy3() -> tuple[pd.DataFrame, SiteSpec]:
    """pvlib's Greensboro TMY3 as a frame (a fresh copy) and its site."""
    frame, site = _tmy3()
    return frame.copy(), site


@pytest.fixture
def pvgis_tmy() -> tuple[pd.DataFrame, SiteSpec]:
    """The PVGIS TMY fixture at 45 N 8 E as a frame (a fresh copy) and its site."""
    frame, site = _pvgis_tmy()
    return frame.copy(), site


@pytest.fixture(params=["tmy3", "pvgis_tmy"])
def typical_year(request: pytest.FixtureRequest) -> tuple[pd.DataFrame, SiteSpec]:
    """Each real typical year in turn."""
    frame, site = _tmy3() if request.param == "tmy3" else _pvgis_tmy()
    return frame.copy(), site
