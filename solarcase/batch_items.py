"""The items of a batch: scenario files and globs, crossed with the rows of a sites CSV.

An item is one appraisal to run, described without running anything: the scenario
file, the ``--set``-style overrides that turn it into this item (the row's site and
any dotted scenario keys, see :mod:`solarcase.batch_sites`), how its weather is
chosen, and a key that identifies the description. Items are plain frozen
dataclasses, cheap to pickle to a worker.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from solarcase.batch_sites import (
    SITE_COLUMNS,
    SiteRow,
    find_weather,
    read_sites_csv,
    slug,
    weather_dir_index,
)
from solarcase.errors import ScenarioError, SolarcaseError, WeatherDataError
from solarcase.weather.normals import MonthlyNormals, read_normals_table

#: How an item's weather was chosen (the ``weather_via`` column of the results).
WEATHER_VIA = ("row", "weather-dir", "normals", "scenario")


class BatchError(SolarcaseError):
    """A batch cannot run as asked (a bad option, an unreachable scheduler)."""


class Executor(StrEnum):
    """Where a batch's items run (``--executor``)."""

    local = "local"
    """A process pool on this machine (or this process, with one worker)."""
    dask = "dask"
    """A Dask distributed scheduler, or a LocalCluster started for the batch."""


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
    import numpy as np  # here: the CLI imports this module at start-up

    digest = hashlib.sha256("\x1f".join(identity).encode("utf-8")).digest()
    words = np.frombuffer(digest[:16], dtype=np.uint32).tolist()
    state = np.random.SeedSequence([int(seed), *words]).generate_state(1)
    return int(state[0])


def normals_towns(path: str | Path) -> tuple[MonthlyNormals, ...]:
    """Every town of a ``--normals`` table, in file order (the file parsed once).

    Raises :class:`WeatherDataError` as
    :func:`~solarcase.weather.normals.read_normals_table` does, and when no town has
    coordinates (the nearest one cannot be found).
    """
    towns = tuple(read_normals_table(path).values())
    if not any(n.latitude is not None and n.longitude is not None for n in towns):
        raise WeatherDataError(
            f"--normals {path}: no town has lat and lon, so the nearest one cannot be "
            "chosen; fill the lat and lon columns"
        )
    return towns


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
    WeatherDataError
        For a ``normals`` table that cannot be used (read before anything runs).
    """
    files = expand_inputs(inputs)
    table = read_sites_csv(sites) if sites is not None else None
    index = weather_dir_index(weather_dir) if weather_dir is not None else None
    shared = _Shared(
        sites_file=str(table.path) if table is not None else None,
        overrides=tuple(overrides),
        weather_index=index,
        normals=str(Path(normals).resolve()) if normals is not None else None,
        seed=seed,
    )
    if shared.normals is not None:
        normals_towns(shared.normals)  # a broken table stops the batch before it runs
    rows: Sequence[SiteRow | None] = table.rows if table is not None else (None,)
    width = max(4, len(str(len(files) * len(rows))))  # digits of the item ids
    pairs = ((file, row) for file in files for row in rows)
    return tuple(
        _describe(file, row, shared, index=index, width=width)
        for index, (file, row) in enumerate(pairs, start=1)
    )


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every item of a batch shares (the options of :func:`collect_items`)."""

    sites_file: str | None
    overrides: tuple[str, ...]
    weather_index: dict[str, Path] | None
    normals: str | None
    seed: int | None


def _digest(description: dict) -> str:
    """SHA-256 of a JSON description (keys sorted): an item's resume key."""
    text = json.dumps(description, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _weather_choice(
    file: Path, row: SiteRow | None, shared: _Shared
) -> tuple[str, str | None]:
    """How the item's weather is chosen, and the override a weather-dir file needs."""
    if row is not None and row.weather_set:
        return "row", None
    if shared.weather_index is not None:
        name = row.name or row.label if row else file.stem
        found = find_weather(shared.weather_index, name)
        if found is not None:
            spec = json.dumps(
                {"source": "file", "file": str(found)}, ensure_ascii=False
            )
            return "weather-dir", f"site.weather={spec}"
    return ("normals" if shared.normals is not None else "scenario"), None


def _describe(
    file: Path, row: SiteRow | None, shared: _Shared, *, index: int, width: int
) -> BatchItem:
    """The item running ``file`` on ``row`` (None: the file alone)."""
    file_text = str(file)
    row_overrides = list(row.overrides) if row is not None else []
    columns = [(text, col) for col, text in row_overrides if col]
    if row is not None:
        label = f"{shared.sites_file}:{row.line} ({row.label})"
        if not any(col == "scenario_name" for col, _ in row_overrides):
            name = f"{file.stem} @ {row.name or row.label}"
            row_overrides.insert(
                0, ("", f"name={json.dumps(name, ensure_ascii=False)}")
            )
    else:
        label = file_text
    via, weather_override = _weather_choice(file, row, shared)
    if weather_override is not None:
        row_overrides.append(("", weather_override))
    site_name = row.name if row is not None else None
    all_overrides = (*shared.overrides, *(text for _, text in row_overrides))
    identity = [
        site_name or (row.label if row else file.stem),
        *(text for col, text in (row.inputs if row else ()) if col in SITE_COLUMNS),
    ]
    seed = shared.seed
    weather_seed = item_seed(seed, identity) if seed is not None else None
    description = {
        "scenario_file": file_text,
        "overrides": list(all_overrides),
        "weather_via": via,
        "normals_table": shared.normals,
        "weather_seed": weather_seed,
    }
    last_weather = next(
        (text for text in all_overrides[::-1] if text.startswith("site.weather=")), ""
    )
    group = last_weather or f"{file}|{row.latitude if row else ''}|" + (
        f"{row.longitude}" if row else ""
    )
    slug_text = f"{file.stem}-{row.label}" if row is not None else file.stem
    return BatchItem(
        index=index,
        item_id=f"{index:0{width}d}-{slug(slug_text)}",
        scenario_file=file_text,
        label=label,
        overrides=all_overrides,
        override_columns=tuple(columns),
        sites_file=shared.sites_file if row is not None else None,
        sites_line=row.line if row is not None else None,
        site_name=site_name,
        latitude=row.latitude if row else None,
        longitude=row.longitude if row else None,
        inputs=row.inputs if row else (),
        weather_via=via,
        normals_table=shared.normals,
        weather_seed=weather_seed,
        key=_digest(description),
        group=group,
    )
