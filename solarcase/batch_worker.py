"""Run batch items inside a worker process: resolve, get weather, appraise, record.

:func:`run_items` is what a process pool or a Dask worker executes for a chunk of
items. Each item becomes one flat record (a dict of JSON-safe values): its inputs,
headline metrics, status, error and provenance. Nothing is shared between items but
read-only caches that live as long as the worker process: the weather read from a
file (checked once per file, the distance to each site checked per item), solar
position per site and weather index, and the yield of a (weather, site, system)
triple, so finance-only variants do not simulate again. Caches hold a few entries
each (least recently used first out), so memory does not grow with the batch; files
are cached by path, size and modification time, so an edited file is read again.

Failure isolation: a :class:`~solarcase.errors.SolarcaseError` makes the record
``status="failed"`` with the error's text; any other exception ``status="error"``
with the traceback. Warnings are recorded per item, never printed.
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from solarcase import __version__
from solarcase.batch_items import BatchItem, normals_towns
from solarcase.energy.simulate import simulate, solar_position
from solarcase.errors import ScenarioError, SolarcaseError, WeatherDataError
from solarcase.pipeline import (
    HEADLINE_METRICS,
    MORE_METRICS,
    ScenarioResult,
    run_scenario,
    site_spec,
    system_spec,
)
from solarcase.report.files import result_json, write_files_atomically
from solarcase.report.serialise import cashflow_frame, hourly_frame, monthly_frame
from solarcase.scenario.load import ResolvedScenario, locate_message, resolve_scenario
from solarcase.scenario.models import Scenario, WeatherFile, WeatherSynthetic
from solarcase.weather.checks import check_location
from solarcase.weather.frame import WeatherMeta, time_index
from solarcase.weather.normals import (
    MAX_NORMALS_DISTANCE_KM,
    MonthlyNormals,
    nearest_normals,
)
from solarcase.weather.site import (
    load_site_weather,
    read_weather_file,
    synthetic_site_weather,
    weather_file_label,
)

#: Fields of every record, besides the headline metrics.
RECORD_FIELDS: tuple[str, ...] = (
    "key",
    "item_id",
    "status",
    "error",
    "scenario",
    "site_name",
    "latitude",
    "longitude",
    "altitude",
    "dc_capacity_kwp",
    "ac_capacity_kw",
    "currency",
    "weather_via",
    "weather_source",
    "weather_path",
    "weather_note",
    "weather_seed",
    "input_hash",
    "seconds",
    "notes",
    "warnings",
)
#: Entries kept by each per-worker cache.
CACHE_SIZE = 8
#: A weather file too far from a row's site (see ``checks.check_location``).
DISTANCE_MESSAGE = (
    "{where}: the file's coordinates ({file_latitude:.4f}, {file_longitude:.4f}) are "
    "{distance_km:.0f} km from the site ({site_latitude:.4f}, {site_longitude:.4f}), "
    "more than max_distance_km = {max_distance_km:g}; use weather for this site "
    "(weather_file column, --weather-dir or --normals)"
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """What a worker needs besides the items."""

    out_dir: str
    """The batch's output directory (item folders go in ``<out_dir>/items``)."""
    item_outputs: bool = False
    """Write result.json, cashflow.csv and monthly.csv per item."""
    keep_hourly: bool = False
    """Also write hourly.csv per item (implies ``item_outputs``)."""
    report: bool = False
    """Also write report.pdf and report.xlsx per item (implies ``item_outputs``)."""

    @property
    def writes_items(self) -> bool:
        """True when each item's folder is written (any of the three options)."""
        return self.item_outputs or self.keep_hourly or self.report


class _Lru:
    """A small least-recently-used cache (per worker process, not thread-safe).

    The warnings raised while making a value are stored with it and raised again on
    every hit, so an item's record does not depend on what its worker ran before.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Hashable, tuple[Any, list[Any]]] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self.data:
            self.data.move_to_end(key)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = make()
            self.data[key] = (value, [(w.message, w.category) for w in caught])
            if len(self.data) > self.size:
                self.data.popitem(last=False)
        value, raised = self.data[key]
        for message, category in raised:
            warnings.warn(message, category, stacklevel=2)
        return value

    def clear(self) -> None:
        self.data.clear()


_FILES = _Lru(CACHE_SIZE)  # checked weather frames, by file identity and reading
_SITES = _Lru(CACHE_SIZE)  # site-specific weather (synthetic, fetched)
_POSITIONS = _Lru(CACHE_SIZE)  # solar position per (site, weather)
_ENERGY = _Lru(4)  # yield per (weather, site, system): finance-only variants
_NORMALS = _Lru(4)  # normals tables and their SHA-256, by file identity


def clear_caches() -> None:
    """Empty the per-process caches (tests and benchmarks use it)."""
    for cache in (_FILES, _SITES, _POSITIONS, _ENERGY, _NORMALS):
        cache.clear()


def run_items(items: Iterable[BatchItem], options: WorkerOptions) -> list[dict]:
    """Appraise each item and return one record per item, in order.

    This is the function a process pool or a Dask worker runs on a chunk.
    """
    return [run_item(item, options) for item in items]


def blank_record(item: BatchItem) -> dict[str, Any]:
    """An item's record before it runs: what the item itself says, None elsewhere."""
    record: dict[str, Any] = {name: None for name in RECORD_FIELDS}
    record.update({name: None for name in (*HEADLINE_METRICS, *MORE_METRICS)})
    record.update(
        key=item.key,
        item_id=item.item_id,
        site_name=item.site_name,
        latitude=item.latitude,
        longitude=item.longitude,
        weather_via=item.weather_via,
        version=__version__,
        dependencies={},
    )
    return record


def run_item(item: BatchItem, options: WorkerOptions) -> dict:
    """Appraise one item; never raises for a problem of the item itself."""
    start = time.perf_counter()
    record = blank_record(item)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _appraise(item, options, record)
            record["status"] = "ok"
        except SolarcaseError as err:
            record["status"] = "failed"
            record["error"] = _rewrite(str(err), item)
        except Exception as err:  # noqa: BLE001 - isolate any failure to its item
            record["status"] = "error"
            record["error"] = f"{type(err).__name__}: {err}"
            record["traceback"] = traceback.format_exc()
    messages = dict.fromkeys(str(w.message) for w in caught)
    record["warnings"] = " | ".join(messages) or None
    record["seconds"] = time.perf_counter() - start
    return record


def _rewrite(message: str, item: BatchItem) -> str:
    """Name the sites-CSV cell instead of the ``--set`` it became."""
    for text, column in item.override_columns:
        where = f"{item.sites_file}:{item.sites_line}: column {column}"
        for shown in (f"--set {text}", f"--set {text!r}"):
            message = message.replace(shown, where)
    if not message.startswith(item.label.split(" (")[0]):
        message = f"{item.label}: {message}"
    return message


def _appraise(item: BatchItem, options: WorkerOptions, record: dict) -> None:
    resolved = resolve_scenario(item.scenario_file, overrides=item.overrides)
    record["dependencies"] = {
        str(path.resolve()): _file_sha256(path) for path in resolved.chain
    }
    scenario = _with_seed(resolved.scenario, item.weather_seed)
    record.update(
        scenario=scenario.name,
        site_name=scenario.site.name,
        latitude=scenario.site.latitude,
        longitude=scenario.site.longitude,
        altitude=scenario.site.altitude,
    )
    weather_key, frame, meta, note = _weather(item, scenario, record)
    site, system = site_spec(scenario), system_spec(scenario)
    try:
        position = _POSITIONS.get(
            (weather_key, site), lambda: solar_position(time_index(frame), site)
        )
        energy = _ENERGY.get(
            (weather_key, site, system),
            lambda: simulate(frame, site=site, system=system, solar_position=position),
        )
        result = run_scenario(scenario, frame, meta, energy=energy)
    except ScenarioError as err:
        raise ScenarioError(locate_message(str(err), resolved)) from err
    _fill(record, result, resolved, meta, note)
    if options.writes_items:
        _write_item(result, item, options)


def _with_seed(scenario: Scenario, seed: int | None) -> Scenario:
    """The scenario with its synthetic weather's seed replaced by the item's."""
    weather = scenario.site.weather
    if seed is None or not isinstance(weather, WeatherSynthetic):
        return scenario
    site = scenario.site.model_copy(
        update={"weather": weather.model_copy(update={"seed": seed})}
    )
    return scenario.model_copy(update={"site": site})


def _weather(
    item: BatchItem, scenario: Scenario, record: dict
) -> tuple[Hashable, pd.DataFrame, WeatherMeta, str]:
    """The checked weather of an item, a key naming it, and a note on its choice."""
    site = scenario.site
    where = item.label
    source = site.weather
    fetched = getattr(source, "source", None) == "pvgis"
    if item.normals_table is not None and fetched:
        try:  # PVGIS (cache, or fetched when online) first, the normals if it fails
            return _weather(replace(item, normals_table=None), scenario, record)
        except WeatherDataError as err:
            key, frame, meta, note = _from_normals(item, scenario, record)
            record["weather_via"] = "normals"
            reason = str(err).splitlines()[0]
            return key, frame, meta, f"{note}; PVGIS unavailable: {reason}"
    if item.weather_via == "normals" and item.normals_table is not None:
        return _from_normals(item, scenario, record)
    if isinstance(source, WeatherFile):
        key = (
            "file",
            file_identity(source.file) or str(source.file),
            source.format,
            json.dumps(source.column_map, sort_keys=True),
            site.utc_offset_h,
            (site.latitude, site.longitude, site.altitude)
            if source.format == "csv" or source.column_map
            else None,
        )
        frame, meta = _FILES.get(
            key, lambda: read_weather_file(site, source, where=where)
        )
        check_location(
            meta,
            site.latitude,
            site.longitude,
            max_distance_km=source.max_distance_km,
            where=weather_file_label(where, source),
            message=DISTANCE_MESSAGE,
        )
        note = f"{meta.source} file {Path(meta.path or source.file).name}"
    else:
        key = ("site", site.model_dump_json())
        frame, meta = _SITES.get(key, lambda: load_site_weather(site, where=where))
        note = meta.description or meta.source
    if meta.path and meta.sha256:
        record["dependencies"][str(Path(meta.path).resolve())] = meta.sha256
    if isinstance(source, WeatherSynthetic):
        record["weather_seed"] = source.seed
    return key, frame, meta, note


def _from_normals(
    item: BatchItem, scenario: Scenario, record: dict
) -> tuple[Hashable, pd.DataFrame, WeatherMeta, str]:
    """A synthetic year from the nearest town of the batch's normals table."""
    site = scenario.site
    table_path = str(item.normals_table)
    table_key = file_identity(table_path) or table_path

    def read_table() -> tuple[tuple[MonthlyNormals, ...], str]:
        return normals_towns(table_path), _file_sha256(Path(table_path))

    towns, table_sha256 = _NORMALS.get(table_key, read_table)
    normals, distance_km = nearest_normals(
        site.latitude, site.longitude, candidates=towns
    )
    if distance_km > MAX_NORMALS_DISTANCE_KM:
        raise WeatherDataError(
            f"{item.label}: the nearest town of --normals {table_path} "
            f"({normals.town}) is {distance_km:.0f} km from the site, more than "
            f"{MAX_NORMALS_DISTANCE_KM:.0f} km; add a closer town to the table or "
            "give this site a weather file"
        )
    seed = item.weather_seed
    if seed is None:
        own = site.weather
        seed = (
            own.seed
            if isinstance(own, WeatherSynthetic)
            else WeatherSynthetic.model_fields["seed"].default  # the scenario default
        )
    key = (
        "normals",
        table_key,
        normals.town,
        seed,
        site_spec(scenario),
        site.timezone,
    )

    def make() -> tuple[pd.DataFrame, WeatherMeta]:
        return synthetic_site_weather(
            normals, site, seed=seed, where=f"{item.label}: --normals {table_path}"
        )

    frame, meta = _SITES.get(key, make)
    record["weather_seed"] = seed
    record["dependencies"][str(Path(table_path).resolve())] = table_sha256
    note = f"synthetic from the normals of {normals.town} ({distance_km:.0f} km)"
    return key, frame, meta, note


def _fill(
    record: dict,
    result: ScenarioResult,
    resolved: ResolvedScenario,
    meta: WeatherMeta,
    note: str,
) -> None:
    layout = result.energy.layout
    record.update(result.headline())
    record.update(
        dc_capacity_kwp=layout.dc_capacity_kwp,
        ac_capacity_kw=layout.ac_capacity_kw,
        currency=result.currency,
        weather_source=meta.source,
        weather_path=meta.path,
        weather_note=note,
        notes=" | ".join(result.notes) or None,
        input_hash=input_hash(resolved.data, meta, record.get("weather_seed")),
    )


def input_hash(data: Any, meta: WeatherMeta, seed: int | None) -> str:
    """SHA-256 of the resolved scenario, its weather's identity and the version.

    The weather's identity is the file's SHA-256 when it was read from a file, else
    its provenance (generator, normals, seed), which determines a synthetic year.
    """
    weather = meta.sha256 or json.dumps(dict(meta.provenance), sort_keys=True)
    text = json.dumps(
        {"scenario": data, "weather": weather, "seed": seed, "version": __version__},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_identity(path: str | Path) -> tuple[str, int, int] | None:
    """(resolved path, size [bytes], modification time [ns]) of a file; None if it
    cannot be stat'ed. The worker caches key files by it (as the scenario loader
    does), so a file edited between runs of a long-lived worker is read again."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def item_dir(out_dir: str | Path, item: BatchItem) -> Path:
    """The folder of an item's own outputs: ``<out_dir>/items/<item_id>``."""
    return Path(out_dir) / "items" / item.item_id


def _write_item(
    result: ScenarioResult, item: BatchItem, options: WorkerOptions
) -> None:
    contents: dict[str, str | bytes] = {
        "result.json": result_json(result, scenario_file=item.scenario_file),
        "cashflow.csv": cashflow_frame(result).to_csv(float_format="%.6g"),
        "monthly.csv": monthly_frame(result).to_csv(float_format="%.6g"),
    }
    if options.keep_hourly:
        contents["hourly.csv"] = hourly_frame(result).to_csv(float_format="%.6g")
    if options.report:
        from solarcase.report.pdf import report_pdf_bytes
        from solarcase.report.xlsx import workbook_bytes

        source = item.scenario_file
        contents["report.pdf"] = report_pdf_bytes(result, scenario_file=source)
        contents["report.xlsx"] = workbook_bytes(result, scenario_file=source)
    write_files_atomically(item_dir(options.out_dir, item), contents)
