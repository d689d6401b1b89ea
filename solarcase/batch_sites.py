"""The sites CSV of a batch: one row per candidate site, turned into overrides.

Recognised columns (all optional, empty cells keep the scenario's value):

- ``name``, ``latitude``, ``longitude``, ``altitude``, ``timezone``, ``albedo``: the
  ``site`` fields of the scenario;
- ``weather_file``: a weather file (relative to the CSV), or ``weather_source``:
  ``synthetic`` (or any other source the scenario model accepts, e.g. ``pvgis``);
- ``scenario_name``: the scenario's ``name`` (default ``"<file stem> @ <site name>"``);
- ``id``: a label for the item folder name;
- any dotted key, e.g. ``system.dc_capacity_kwp`` or ``finance.discount_rate_real``,
  whose value is parsed exactly like ``--set key=value``;
- ``source`` and ``notes``: free text about the row (where its numbers come from),
  ignored by the model.

Lines starting with ``#`` are comments. Unknown columns are errors (a typo must not
silently leave a value at its default). Also here: the ``--weather-dir`` lookup of a
site's weather file by name.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from solarcase.errors import ScenarioError

#: Columns of a sites CSV that set a field of the scenario's ``site``.
SITE_COLUMNS: tuple[str, ...] = (
    "name",
    "latitude",
    "longitude",
    "altitude",
    "timezone",
    "albedo",
)
#: Columns that choose the weather of a row.
WEATHER_COLUMNS: tuple[str, ...] = ("weather_file", "weather_source")
#: Other recognised columns: an item label, the scenario name, free text.
OTHER_COLUMNS: tuple[str, ...] = ("id", "scenario_name", "source", "notes")
#: Free-text columns that the model ignores.
INFO_COLUMNS: tuple[str, ...] = ("source", "notes")
#: File name endings taken as weather files in a ``--weather-dir``.
WEATHER_SUFFIXES: tuple[str, ...] = (".csv", ".epw", ".json", ".tm2", ".tm3", ".txt")

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class SiteRow:
    """One row of a sites CSV, turned into scenario overrides."""

    line: int
    """Line of the row in the CSV file (1 = header)."""
    label: str
    """The row's ``id``, else its ``name``, else ``row <line>``."""
    name: str | None
    """The site name, if the row gives one."""
    latitude: float | None
    """Latitude if the cell is a number [degrees north], for grouping and seeds."""
    longitude: float | None
    """Longitude if the cell is a number [degrees east]."""
    overrides: tuple[tuple[str, str], ...]
    """(column, ``key.path=value`` override) pairs, in column order."""
    weather_set: bool
    """True when the row chooses its own weather (``weather_file``/``_source``)."""
    inputs: tuple[tuple[str, str], ...]
    """(column, cell text) of the model columns, as written: the inputs that vary."""


@dataclass(frozen=True, slots=True)
class SitesTable:
    """A parsed sites CSV."""

    path: Path
    """The CSV file."""
    columns: tuple[str, ...]
    """Model columns in file order (without the free-text ones)."""
    rows: tuple[SiteRow, ...]
    """The data rows, in file order."""


def slug(text: str, *, limit: int = 48) -> str:
    """A lower-case, file-system safe version of ``text``.

    Examples
    --------
    >>> slug("Birjand 1 MW: fixed tilt")
    'birjand-1-mw-fixed-tilt'
    """
    return _SLUG.sub("-", text.casefold()).strip("-")[:limit].strip("-") or "item"


def read_sites_csv(path: str | Path) -> SitesTable:
    """Parse a sites CSV (see the module docstring) into overrides per row.

    Raises
    ------
    ScenarioError
        If the file cannot be read, the header is empty, repeats a column or names
        an unknown one, or there are no data rows. Problems within a cell (a
        latitude of 123, say) are not raised here: they fail that row alone when it
        is validated, like a ``--set`` value.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: sites file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            f"{path}: cannot read the sites CSV ({err}); give a UTF-8 CSV file"
        ) from err
    # comment lines become blank lines, which csv skips, so line numbers stay right
    lines = ["" if line.lstrip().startswith("#") else line for line in text.split("\n")]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header: list[str] | None = None
    rows: list[SiteRow] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _check_header(cells, path, reader.line_num)
            continue
        if len(cells) != len(header):
            raise ScenarioError(
                f"{path}:{reader.line_num}: expected {len(header)} fields as in the "
                f"header, got {len(cells)}; quote values that contain commas"
            )
        rows.append(_row(dict(zip(header, cells, strict=True)), path, reader.line_num))
    if header is None or not rows:
        raise ScenarioError(
            f"{path}: the sites CSV has no data rows; write a header such as "
            "name,latitude,longitude,altitude and one row per site"
        )
    columns = tuple(c for c in header if c not in INFO_COLUMNS)
    return SitesTable(path=path, columns=columns, rows=tuple(rows))


def _check_header(cells: list[str], path: Path, line: int) -> list[str]:
    header = [cell.strip() for cell in cells]
    known = (*SITE_COLUMNS, *WEATHER_COLUMNS, *OTHER_COLUMNS)
    for position, name in enumerate(header):
        if not name:
            raise ScenarioError(
                f"{path}:{line}: column {position + 1} has no name; every column "
                "needs a header"
            )
        if header.count(name) > 1:
            raise ScenarioError(f"{path}:{line}: column {name!r} appears twice")
        if name not in known and ("." not in name or "" in name.split(".")):
            raise ScenarioError(
                f"{path}:{line}: unknown column {name!r}; use {', '.join(known)}, or "
                "a dotted scenario key such as system.dc_capacity_kwp"
            )
    return header


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _row(cells: dict[str, str], path: Path, line: int) -> SiteRow:
    values = {k: v.strip() for k, v in cells.items() if v.strip()}
    overrides: list[tuple[str, str]] = []
    for column, text in values.items():
        if column in ("name", "timezone") or (column == "scenario_name"):
            quoted = json.dumps(text, ensure_ascii=False)
            if column == "timezone" and _number(text) is not None:
                quoted = text  # a number of hours, not a zone name
            key = "name" if column == "scenario_name" else f"site.{column}"
            overrides.append((column, f"{key}={quoted}"))
        elif column in SITE_COLUMNS:
            overrides.append((column, f"site.{column}={text}"))
        elif "." in column:
            overrides.append((column, f"{column}={text}"))
    weather_set = False
    if "weather_file" in values and "weather_source" in values:
        raise ScenarioError(
            f"{path}:{line}: give weather_file or weather_source, not both "
            f"(got {values['weather_file']!r} and {values['weather_source']!r})"
        )
    if "weather_file" in values:
        weather = (path.parent / values["weather_file"]).resolve()
        spec = json.dumps({"source": "file", "file": str(weather)}, ensure_ascii=False)
        overrides.append(("weather_file", f"site.weather={spec}"))
        weather_set = True
    elif "weather_source" in values:
        spec = json.dumps({"source": values["weather_source"]}, ensure_ascii=False)
        overrides.append(("weather_source", f"site.weather={spec}"))
        weather_set = True
    name = values.get("name")
    inputs = tuple(
        (column, text) for column, text in cells.items() if column not in INFO_COLUMNS
    )
    return SiteRow(
        line=line,
        label=values.get("id") or name or f"row {line}",
        name=name,
        latitude=_number(values.get("latitude", "")),
        longitude=_number(values.get("longitude", "")),
        overrides=tuple(overrides),
        weather_set=weather_set,
        inputs=inputs,
    )


def weather_dir_index(directory: str | Path) -> dict[str, Path]:
    """Weather files in a directory, keyed by the slug of their file stem.

    Raises :class:`ScenarioError` if ``directory`` is not a directory.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ScenarioError(
            f"--weather-dir {directory}: not a directory; give the folder that holds "
            "one weather file per site, named after the site (birjand.epw, ...)"
        )
    files = sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in WEATHER_SUFFIXES
    )
    return {slug(p.stem, limit=200): p.resolve() for p in files}


def find_weather(index: dict[str, Path], site_name: str | None) -> Path | None:
    """The file of ``index`` named after the site: ``<slug>.*`` or ``<slug>-*.*``.

    Examples
    --------
    >>> index = {"birjand-synthetic": Path("/w/birjand-synthetic.csv")}
    >>> find_weather(index, "Birjand")
    PosixPath('/w/birjand-synthetic.csv')
    >>> find_weather(index, "Qaen") is None
    True
    """
    if not site_name:
        return None
    wanted = slug(site_name, limit=200)
    if wanted in index:
        return index[wanted]
    prefixed = sorted(stem for stem in index if stem.startswith(wanted + "-"))
    return index[prefixed[0]] if prefixed else None
