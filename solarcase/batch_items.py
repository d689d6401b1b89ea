"""The items of a batch: scenario files and globs, crossed with the rows of a sites CSV.

An item is one appraisal to run, described without running anything: the scenario
file, the ``--set``-style overrides that turn it into this item (the row's site and
any dotted scenario keys), how its weather is chosen, and a key that identifies the
description. Items are plain frozen dataclasses, cheap to pickle to a worker.

A sites CSV has one row per candidate site. Recognised columns (all optional, empty
cells keep the scenario's value):

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
silently leave a value at its default).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from solarcase.errors import ScenarioError, SolarcaseError

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
#: How an item's weather was chosen (the ``weather_via`` column of the results).
WEATHER_VIA = ("row", "weather-dir", "normals", "scenario")

_SLUG = re.compile(r"[^a-z0-9]+")


class BatchError(SolarcaseError):
    """A batch cannot run as asked (a bad option, an unreachable scheduler)."""


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


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One appraisal of a batch, described but not yet run."""

    index: int
    """Position in the batch, from 1."""
    item_id: str
    """Unique, file-system safe name: ``<index>-<slug>``."""
    scenario_file: str
    """Absolute path of the scenario YAML file."""
    label: str
    """Where the item comes from, to start messages: a file, or ``sites.csv:5``."""
    overrides: tuple[str, ...]
    """``key.path=value`` overrides applied after the file's ``extends``."""
    override_columns: tuple[tuple[str, str], ...]
    """(override, sites-CSV column) of the row's overrides, for messages."""
    sites_file: str | None
    """The sites CSV the item's row comes from, if any."""
    sites_line: int | None
    """The row's line in the sites CSV (1 = header), if any."""
    site_name: str | None
    """Site name from the row, if any (the resolved scenario's otherwise)."""
    latitude: float | None
    """Latitude from the row, if any [degrees north]."""
    longitude: float | None
    """Longitude from the row, if any [degrees east]."""
    inputs: tuple[tuple[str, str], ...]
    """(column, text) of the sites CSV cells that vary between rows."""
    weather_via: str
    """How the weather is chosen: one of :data:`WEATHER_VIA`."""
    normals_table: str | None
    """Normals CSV to synthesise from (nearest town), when ``weather_via='normals'``."""
    weather_seed: int | None
    """Seed of a synthetic year, derived per item from ``--seed``; None: the
    scenario's own ``site.weather.seed`` (or 1)."""
    key: str
    """SHA-256 of the description above (without index and id): the resume key."""
    group: str
    """Items with the same group share weather; chunks keep them together."""


def slug(text: str, *, limit: int = 48) -> str:
    """A lower-case, file-system safe version of ``text``.

    Examples
    --------
    >>> slug("Birjand 1 MW: fixed tilt")
    'birjand-1-mw-fixed-tilt'
    """
    return _SLUG.sub("-", text.casefold()).strip("-")[:limit].strip("-") or "item"


def expand_inputs(patterns: Sequence[str | Path]) -> tuple[Path, ...]:
    """Scenario files named by paths, globs and directories, in order, each once.

    A directory stands for its ``*.yaml`` and ``*.yml`` files; a glob's matches are
    sorted. Raises :class:`ScenarioError` for a path that does not exist and a glob
    that matches nothing.
    """
    found: dict[Path, None] = {}
    for pattern in patterns:
        text = str(pattern)
        path = Path(text)
        if path.is_dir():
            matches = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not matches:
                raise ScenarioError(f"{path}: the directory holds no *.yaml file")
        elif path.is_file():
            matches = [path]
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not matches:
                raise ScenarioError(
                    f"{text}: no scenario file matches this pattern; check the "
                    "directory and quote the pattern so the shell does not expand it"
                )
        else:
            raise ScenarioError(f"{text}: scenario file not found")
        for match in matches:
            found.setdefault(match.resolve(), None)
    return tuple(found)


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


def item_seed(seed: int, identity: Iterable[str]) -> int:
    """A per-item seed from the batch seed and what identifies the item's site.

    ``np.random.SeedSequence`` mixes the batch seed with a hash of the identity, so
    an item's random stream depends on neither its position nor the worker.

    Examples
    --------
    >>> item_seed(7, ["Birjand", "32.89", "59.28"]) == item_seed(
    ...     7, ["Birjand", "32.89", "59.28"])
    True
    """
    digest = hashlib.sha256("\x1f".join(identity).encode("utf-8")).digest()
    words = np.frombuffer(digest[:16], dtype=np.uint32).tolist()
    state = np.random.SeedSequence([int(seed), *words]).generate_state(1)
    return int(state[0])


def collect_items(
    inputs: Sequence[str | Path],
    *,
    sites: str | Path | None = None,
    overrides: Sequence[str] = (),
    weather_dir: str | Path | None = None,
    normals: str | Path | None = None,
    seed: int | None = None,
) -> tuple[BatchItem, ...]:
    """The items of a batch: every input file, times every row of ``sites`` if given.

    Parameters
    ----------
    inputs : sequence of str or Path
        Scenario files, directories and glob patterns (see :func:`expand_inputs`).
    sites : str or Path, optional
        A sites CSV; each input file is run once per row.
    overrides : sequence of str
        ``key.path=value`` overrides for every item (``--set``), applied before a
        row's own.
    weather_dir : str or Path, optional
        Folder of weather files named after sites; a row without its own weather
        uses the file named after its site, if there is one.
    normals : str or Path, optional
        Monthly normals table: items without a weather file (from the row or
        ``weather_dir``) get a synthetic year from the nearest town in it.
    seed : int, optional
        Batch seed: each synthetic year gets a seed derived from it and the site
        (:func:`item_seed`); omitted, the scenario's ``site.weather.seed``.

    Raises
    ------
    ScenarioError
        For inputs that do not exist and malformed sites CSVs.
    """
    files = expand_inputs(inputs)
    table = read_sites_csv(sites) if sites is not None else None
    index = weather_dir_index(weather_dir) if weather_dir is not None else None
    normals_path = str(Path(normals).resolve()) if normals is not None else None
    rows: Sequence[SiteRow | None] = table.rows if table is not None else (None,)
    described = []
    table_text = str(table.path) if table is not None else None  # shared by items
    for file in files:
        file_text = str(file)
        for row in rows:
            described.append(
                _describe(
                    file,
                    file_text,
                    row,
                    table,
                    table_text,
                    list(overrides),
                    index,
                    normals_path,
                    seed,
                )
            )
    width = max(4, len(str(len(described))))
    items = []
    for position, fields in enumerate(described, start=1):
        item_id = f"{position:0{width}d}-{fields.pop('slug')}"
        items.append(BatchItem(index=position, item_id=item_id, **fields))
    return tuple(items)


def _describe(
    file: Path,
    file_text: str,
    row: SiteRow | None,
    table: SitesTable | None,
    table_text: str | None,
    overrides: list[str],
    index: dict[str, Path] | None,
    normals: str | None,
    seed: int | None,
) -> dict:
    row_overrides = list(row.overrides) if row is not None else []
    columns = [(text, col) for col, text in row_overrides if col]
    sites_file = table_text if row is not None else None
    if row is not None and table is not None:
        label = f"{sites_file}:{row.line} ({row.label})"
        if not any(col == "scenario_name" for col, _ in row_overrides):
            name = f"{file.stem} @ {row.name or row.label}"
            row_overrides.insert(
                0, ("", f"name={json.dumps(name, ensure_ascii=False)}")
            )
    else:
        label = file_text
    via = "row" if row is not None and row.weather_set else "scenario"
    site_name = row.name if row is not None else None
    if via == "scenario" and index is not None:
        found = find_weather(index, site_name or (row.label if row else file.stem))
        if found is not None:
            spec = json.dumps(
                {"source": "file", "file": str(found)}, ensure_ascii=False
            )
            row_overrides.append(("", f"site.weather={spec}"))
            via = "weather-dir"
    if via == "scenario" and normals is not None:
        via = "normals"
    all_overrides = (*overrides, *(text for _, text in row_overrides))
    identity = [
        site_name or (row.label if row else file.stem),
        *(text for col, text in (row.inputs if row else ()) if col in SITE_COLUMNS),
    ]
    weather_seed = item_seed(seed, identity) if seed is not None else None
    description = {
        "scenario_file": file_text,
        "overrides": list(all_overrides),
        "weather_via": via,
        "normals_table": normals,
        "weather_seed": weather_seed,
    }
    key = hashlib.sha256(
        json.dumps(description, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    weather_override = next(
        (text for text in all_overrides[::-1] if text.startswith("site.weather=")), ""
    )
    group = weather_override or f"{file}|{row.latitude if row else ''}|" + (
        f"{row.longitude}" if row else ""
    )
    slug_text = f"{file.stem}-{row.label}" if row is not None else file.stem
    return {
        "slug": slug(slug_text),
        "scenario_file": file_text,
        "label": label,
        "overrides": tuple(all_overrides),
        "override_columns": tuple(columns),
        "sites_file": sites_file,
        "sites_line": row.line if row is not None else None,
        "site_name": site_name,
        "latitude": row.latitude if row else None,
        "longitude": row.longitude if row else None,
        "inputs": row.inputs if row else (),
        "weather_via": via,
        "normals_table": normals,
        "weather_seed": weather_seed,
        "key": key,
        "group": group,
    }
