"""The scenario: a typed, frozen description of one plant as an investment.

A scenario has four parts: ``site`` (where, and which weather), ``system`` (what is
built), ``finance`` (what it costs and earns, see :mod:`solarcase.scenario.finance`)
and the top-level ``schema_version``/``name``. Unknown keys are rejected so that a typo
fails instead of silently taking a default. Quantities that pvlib names keep pvlib's
name (``surface_tilt``, ``albedo``); our own quantities carry a unit suffix.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from solarcase.scenario.finance import Finance
from solarcase.scenario.risk import Risk
from solarcase.scenario.types import STRICT, Fraction

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


def parse_utc_offset_h(value: str | float) -> float:
    """Return the standard-time UTC offset [h] of ``"+03:30"``, ``3.5`` or an IANA name.

    For an IANA zone the offset in January and July are compared and the smaller one
    (standard time; zones south of the equator aside) is returned, since weather
    frames use local standard time, never daylight-saving time.

    Examples
    --------
    >>> parse_utc_offset_h("+03:30")
    3.5
    >>> parse_utc_offset_h("Asia/Tehran")
    3.5
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        hours = float(value)
    else:
        text = str(value).strip()
        match = _OFFSET.match(text)
        if match:
            sign = -1.0 if match.group(1) == "-" else 1.0
            hours = sign * (int(match.group(2)) + int(match.group(3) or 0) / 60.0)
        else:
            try:
                zone = ZoneInfo(text)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {text!r}; write a UTC offset of local standard "
                    'time such as "+03:30" or an IANA name such as "Asia/Tehran"'
                ) from None
            offsets = [zone.utcoffset(datetime(2025, month, 1)) for month in (1, 7)]
            hours = min(o.total_seconds() for o in offsets if o is not None) / 3600.0
    if not -12.0 <= hours <= 14.0:
        raise ValueError(f"a UTC offset must lie in [-12, +14] h, got {hours:g}")
    return hours


class WeatherFile(BaseModel):
    """Weather read from a file (EPW, TMY3, PVGIS, PSM3, native or plain CSV)."""

    model_config = STRICT

    source: Literal["file"] = "file"
    file: Path = Field(
        description="Weather file; a relative path resolves against the scenario file "
        "that states it."
    )
    format: Literal["auto", "epw", "tmy3", "tmy2", "pvgis", "psm3", "native", "csv"] = (
        Field("auto", description="File format; 'auto' detects it from the content.")
    )
    column_map: dict[str, str] | None = Field(
        None,
        description="For a plain CSV: file column -> pvlib name (ghi, dni, dhi, "
        "temp_air, wind_speed) and 'time'.",
    )
    max_distance_km: float = Field(
        100.0,
        gt=0,
        description="Largest allowed distance between the file's coordinates and the "
        "site [km].",
    )


class WeatherSynthetic(BaseModel):
    """A synthetic typical year generated from monthly climate normals at run time."""

    model_config = STRICT

    source: Literal["synthetic"]
    normals: str | None = Field(
        None,
        description="Town whose bundled normals to use; omitted: the nearest town in "
        "the bundled table.",
    )
    seed: int = Field(1, ge=0, description="Seed of the cloudiness generator.")


_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*(?:(?:-|\.\.|to)\s*(\d{4}))?\s*$")
#: A PVGIS typical year is chosen from at least this many years (PVGIS's rule).
PVGIS_TMY_MIN_YEARS = 10


def parse_year_range(value: str | int) -> tuple[int, int]:
    """Return (first, last) of ``"2005-2023"``, ``"2020"`` or ``2020``.

    Examples
    --------
    >>> parse_year_range("2005-2023")
    (2005, 2023)
    >>> parse_year_range(2020)
    (2020, 2020)
    """
    match = _YEAR_RANGE.match(str(value)) if not isinstance(value, bool) else None
    if match is None:
        raise ValueError(
            f"years must be a year or a range of years such as 2005-2023, got {value!r}"
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not 1900 <= first <= last <= 2100:
        raise ValueError(
            f"years must run forward between 1900 and 2100, got {value!r}; write the "
            "first year first, e.g. 2005-2023"
        )
    return first, last


class WeatherPvgis(BaseModel):
    """Weather from PVGIS (EU JRC) for the site's coordinates, fetched once and cached.

    The first run fetches it (through ``pvlib.iotools.get_pvgis_tmy`` or
    ``get_pvgis_hourly``) and keeps it in ``file`` or the user's cache directory;
    later runs read it from there without the network.
    """

    model_config = STRICT

    source: Literal["pvgis"]
    kind: Literal["tmy", "hourly"] = Field(
        "tmy",
        description="tmy: PVGIS's typical year; hourly: the multi-year hourly series "
        "(horizontal plane with radiation components); annual results are then the "
        "average year.",
    )
    years: str | int | None = Field(
        None,
        description="Years to use, e.g. '2005-2023' or 2020; omitted: all years PVGIS "
        f"has. A typical year needs at least {PVGIS_TMY_MIN_YEARS} years.",
        json_schema_extra={"examples": ["2005-2023", 2020]},
    )
    database: str | None = Field(
        None,
        pattern=r"^PVGIS-[A-Za-z0-9-]+$",
        description="Radiation database of an hourly series (e.g. PVGIS-SARAH3, "
        "PVGIS-ERA5); omitted: PVGIS's default for the location. The typical-year "
        "tool chooses its own.",
    )
    use_horizon: bool = Field(
        True, description="Include shading by the terrain horizon (PVGIS's DEM)."
    )
    file: Path | None = Field(
        None,
        description="Keep the fetched data in this file (relative to the scenario "
        "file) instead of the user cache, and read it from there when it exists.",
    )

    @field_validator("years")
    @classmethod
    def _years_parse(cls, value: str | int | None) -> str | int | None:
        if value is not None:
            parse_year_range(value)
        return value

    @model_validator(mode="after")
    def _fits_the_tool(self) -> WeatherPvgis:
        if self.kind == "tmy" and self.database is not None:
            raise ValueError(
                "PVGIS's typical-year tool chooses its radiation database itself; "
                "remove database, or use kind: hourly"
            )
        span = self.year_range
        if self.kind == "tmy" and span and span[1] - span[0] + 1 < PVGIS_TMY_MIN_YEARS:
            raise ValueError(
                f"a PVGIS typical year is chosen from at least {PVGIS_TMY_MIN_YEARS} "
                f"years, got years {self.years!r}; widen the range (e.g. 2005-2023) or "
                "use kind: hourly for single years"
            )
        return self

    @property
    def year_range(self) -> tuple[int, int] | None:
        """(first, last) year asked for, or None for all years PVGIS has."""
        return None if self.years is None else parse_year_range(self.years)


def _weather_tag(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("source", "file"))
    return str(getattr(value, "source", "file"))


WeatherSource = Annotated[
    Annotated[WeatherFile, Tag("file")]
    | Annotated[WeatherSynthetic, Tag("synthetic")]
    | Annotated[WeatherPvgis, Tag("pvgis")],
    Discriminator(
        _weather_tag,
        custom_error_type="invalid_weather_source",
        custom_error_message="site.weather.source must be 'file', 'synthetic' or "
        "'pvgis'",
    ),
]


class Site(BaseModel):
    """Where the plant stands and which weather drives it."""

    model_config = STRICT

    name: str = Field(min_length=1, description="Site name shown in every output.")
    latitude: float = Field(ge=-90, le=90, description="Latitude [degrees north].")
    longitude: float = Field(ge=-180, le=180, description="Longitude [degrees east].")
    altitude: float = Field(
        0.0, ge=-450, le=8850, description="Elevation above sea level [m]."
    )
    timezone: str | float | None = Field(
        None,
        description='Local standard time: a UTC offset such as "+03:30" or an IANA '
        "name; omitted: the weather file's own.",
    )
    albedo: Fraction = Field(
        0.2, description="Ground reflectance [fraction]; a weather albedo column wins."
    )
    weather: WeatherSource = Field(description="Where the hourly weather comes from.")

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone_parses(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(
                'a time zone cannot be true/false; write "+03:30" or "Asia/Tehran"'
            )
        if isinstance(value, int) and abs(value) > 14 and abs(value) <= 14 * 60:
            hours, minutes = divmod(abs(value), 60)
            sign = "-" if value < 0 else "+"
            raise ValueError(
                f"YAML read an unquoted {sign}{hours}:{minutes:02d} as the number "
                f'{value}; quote it: "{sign}{hours:02d}:{minutes:02d}"'
            )
        if value is not None:
            parse_utc_offset_h(value)
        return value

    @property
    def utc_offset_h(self) -> float | None:
        """Offset of local standard time from UTC [h], if the scenario states it."""
        return None if self.timezone is None else parse_utc_offset_h(self.timezone)


class FixedMount(BaseModel):
    """Fixed-tilt rows or a rooftop array."""

    model_config = STRICT

    type: Literal["fixed"]
    surface_tilt: float = Field(ge=0, le=90, description="Tilt from horizontal [deg].")
    surface_azimuth: float | None = Field(
        None,  # a Scenario fills it in: facing the equator
        ge=0,
        lt=360,
        description="Azimuth from north [deg]; 180 = south; omitted: facing the "
        "equator (180 north of it, 0 south of it).",
    )
    racking: Literal["open_rack", "roof_mount"] = Field(
        "open_rack",
        description="Open rack or close roof mount (hotter cells).",
    )
    gcr: float | None = Field(
        None,
        gt=0,
        lt=1,
        description="Ground-coverage ratio of rows that shade each other; omitted: no "
        "row-to-row shading (single row, or a spaced rooftop).",
    )


class SingleAxisMount(BaseModel):
    """Horizontal single-axis trackers, with or without backtracking."""

    model_config = STRICT

    type: Literal["single_axis"]
    axis_tilt: float = Field(0.0, ge=0, le=45, description="Axis tilt [deg].")
    axis_azimuth: float = Field(
        180.0, ge=0, lt=360, description="Axis azimuth [deg]; 180 = north-south axis."
    )
    max_angle: float = Field(60.0, gt=0, le=90, description="Rotation limit [deg].")
    backtrack: bool = Field(True, description="Backtrack to avoid row shading.")
    gcr: float = Field(0.35, gt=0, lt=1, description="Ground-coverage ratio [-].")


Mount = Annotated[FixedMount | SingleAxisMount, Field(discriminator="type")]


class PvwattsModule(BaseModel):
    """A generic module as in NREL PVWatts v8: a type and a temperature coefficient."""

    model_config = STRICT

    model: Literal["pvwatts"]
    module_type: Literal["standard", "premium", "thin_film"] = Field(
        "standard",
        description="PVWatts module type (sets gamma and glass).",
    )
    gamma_pdc: float | None = Field(
        None,
        ge=-0.01,
        le=0,
        description="Power temperature coefficient [1/°C], e.g. -0.0037; omitted: the "
        "PVWatts default of the module type.",
    )


class CecModule(BaseModel):
    """A module named in pvlib's bundled CEC database, with the single-diode model."""

    model_config = STRICT

    model: Literal["cec"]
    name: str = Field(description="Name as in pvlib.pvsystem.retrieve_sam('CECMod').")


Module = Annotated[PvwattsModule | CecModule, Field(discriminator="model")]


class PvwattsInverter(BaseModel):
    """A generic inverter with the PVWatts efficiency curve."""

    model_config = STRICT

    model: Literal["pvwatts"]
    eta_inv_nom: Fraction = Field(0.96, description="Nominal efficiency [fraction].")


class CecInverter(BaseModel):
    """An inverter named in pvlib's bundled CEC database (Sandia model)."""

    model_config = STRICT

    model: Literal["cec"]
    name: str = Field(
        description="Name as in pvlib.pvsystem.retrieve_sam('cecinverter')."
    )


Inverter = Annotated[PvwattsInverter | CecInverter, Field(discriminator="model")]


#: A loss that leaves something: a share in [0, 1).
LossFraction = Annotated[Fraction, Field(lt=1.0)]


class Losses(BaseModel):
    """Itemised loss budget; defaults are NREL PVWatts v8's (14.08 % in total).

    Source of the defaults: NREL PVWatts v8 / SAM default system losses (soiling 2 %,
    shading 3 %, snow 0 %, mismatch 2 %, wiring 2 %, connections 0.5 %, light-induced
    degradation 1.5 %, nameplate 1 %, availability 3 %).
    """

    model_config = STRICT

    soiling: LossFraction = Field(0.02, description="Dust on the modules [fraction].")
    shading: LossFraction = Field(
        0.03, description="Near shading by objects [fraction]."
    )
    snow: LossFraction = Field(0.0, description="Snow cover [fraction].")
    mismatch: LossFraction = Field(0.02, description="Module mismatch [fraction].")
    wiring: LossFraction = Field(0.02, description="DC and AC wiring [fraction].")
    connections: LossFraction = Field(0.005, description="Connectors [fraction].")
    light_induced_degradation: LossFraction = Field(
        0.015, description="First-hours LID [fraction]."
    )
    nameplate: LossFraction = Field(0.01, description="Nameplate tolerance [fraction].")
    availability: LossFraction = Field(
        0.03,
        description="Availability LOSS: the share of the time the plant is down "
        "(PVWatts' convention), e.g. 2% [fraction].",
    )

    curtailment: LossFraction = Field(
        0.0,
        description="Share of the energy the grid refuses (curtailment); not a loss "
        "of the plant's performance, so not in its performance ratio [fraction].",
    )

    @field_validator("availability")
    @classmethod
    def _availability_is_downtime(cls, value: float) -> float:
        if value > 0.5:
            raise ValueError(
                f"availability is the share of the time the plant is DOWN, got "
                f"{value:.0%}; for a plant available {value:.0%} of the time write "
                f'"{1 - value:.0%}"'
            )
        return value


class Degradation(BaseModel):
    """Yearly loss of output; the mode must be stated, since the two differ."""

    model_config = STRICT

    rate: LossFraction = Field(description="Loss per year, e.g. 0.005 [fraction/year].")
    mode: Literal["linear", "compound"] = Field(
        description="linear: factor 1 - d(t-1); compound: (1 - d)^(t-1)."
    )


class PvSystem(BaseModel):
    """What is built: capacity, mounting, module, inverter, losses, ageing."""

    model_config = STRICT

    dc_capacity_kwp: float = Field(gt=0, description="DC nameplate [kWp].")
    ac_capacity_kw: float | None = Field(
        None, gt=0, description="Inverter AC rating [kW]; or give dc_ac_ratio."
    )
    dc_ac_ratio: float | None = Field(
        None, gt=0.5, le=3, description="DC/AC ratio [-]; or give ac_capacity_kw."
    )
    mount: Mount
    module: Module = Field(
        default_factory=lambda: PvwattsModule(model="pvwatts"),
        description="PVWatts-style module or a CEC database module.",
    )
    inverter: Inverter = Field(
        default_factory=lambda: PvwattsInverter(model="pvwatts"),
        description="PVWatts-style inverter or a CEC database inverter.",
    )
    losses: Losses = Field(default_factory=Losses)
    degradation: Degradation
    transposition_model: Literal["perez", "haydavies", "isotropic"] = Field(
        "perez", description="Sky-diffuse transposition model."
    )

    @model_validator(mode="after")
    def _one_ac_size(self) -> PvSystem:
        if (self.ac_capacity_kw is None) == (self.dc_ac_ratio is None):
            raise ValueError(
                "give exactly one of ac_capacity_kw or dc_ac_ratio (for example "
                "dc_ac_ratio: 1.2)"
            )
        return self

    @property
    def ac_kw(self) -> float:
        """Inverter AC rating [kW], from ac_capacity_kw or the DC/AC ratio."""
        if self.ac_capacity_kw is not None:
            return self.ac_capacity_kw
        assert self.dc_ac_ratio is not None
        return self.dc_capacity_kwp / self.dc_ac_ratio


def equator_facing_azimuth(latitude: float) -> float:
    """The azimuth of a fixed array facing the equator: 180 (south) at or north of
    it, 0 (north) south of it. [degrees]"""
    return 180.0 if latitude >= 0 else 0.0


class Scenario(BaseModel):
    """One plant as an investment: the root of a scenario file."""

    model_config = STRICT

    schema_version: Literal[1] = Field(
        description="Version of the scenario schema; this solarcase reads 1."
    )
    name: str = Field(min_length=1, description="Scenario name shown in outputs.")
    description: str = Field("", description="Free text for reports.")
    site: Site
    system: PvSystem
    finance: Finance
    risk: Risk | None = Field(None, description="Uncertainty: Monte Carlo, tornado.")

    @property
    def dscr_covenant(self) -> float:
        """DSCR below which a loan covenant is breached: ``risk.dscr_covenant``,
        else ``finance.targets.min_dscr``. [-]"""
        if self.risk is not None and self.risk.dscr_covenant is not None:
            return self.risk.dscr_covenant
        return self.finance.targets.min_dscr

    @model_validator(mode="before")
    @classmethod
    def _face_the_equator(cls, data: Any) -> Any:
        """A fixed array without an azimuth faces the equator: 180 in the north,
        0 in the south (a south-facing default would face the pole there)."""
        try:
            mount = data["system"]["mount"]
            latitude = float(data["site"]["latitude"])
        except (KeyError, TypeError, ValueError):
            return data
        if (
            isinstance(mount, dict)
            and mount.get("type") == "fixed"
            and mount.get("surface_azimuth") is None
        ):
            system = {**data["system"], "mount": {**mount}}
            system["mount"]["surface_azimuth"] = equator_facing_azimuth(latitude)
            data = {**data, "system": system}
        return data
