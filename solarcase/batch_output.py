"""Batch state and tables on disk: per-item records, results, ranking, log.

State is one small JSON file per item, ``records/<key>.json``, written atomically
(temporary file, then rename) as soon as the item's record arrives. A batch killed
at any moment leaves only complete records (and perhaps a stray ``.tmp`` file, which
is ignored), so re-running the same command picks up where it stopped.

A record is reused when its item's description is unchanged (the file name is the
description's key: scenario file, overrides, weather choice, seed), it succeeded, it
was made by this solarcase version, and every file it depended on (the scenario file
and its ``extends`` bases, the weather file, the normals table) still has the
SHA-256 recorded then. Failed items are always run again (a weather fetch may work
now).

The tables (``results.csv``, ``results.parquet``, ``ranking.csv``) are rebuilt from
the records at the end of each run, one row per item in input order.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from solarcase import __version__
from solarcase.batch_items import INFO_COLUMNS, BatchError, BatchItem
from solarcase.batch_worker import item_dir
from solarcase.errors import OutputError
from solarcase.pipeline import HEADLINE_METRICS

#: Metrics where lower is better; every other headline metric ranks high first.
ASCENDING_METRICS: frozenset[str] = frozenset(
    {
        "lcoe_real_per_kwh",
        "lcoe_nominal_per_kwh",
        "simple_payback_years",
        "discounted_payback_years",
    }
)
#: Short names accepted by ``--rank-by``.
RANK_ALIASES: dict[str, str] = {
    "irr": "project_irr",
    "lcoe": "lcoe_real_per_kwh",
    "payback": "simple_payback_years",
    "energy": "annual_energy_kwh",
    "yield": "specific_yield_kwh_per_kwp",
    "dscr": "min_dscr",
}
#: Sites-CSV columns not repeated as inputs (the resolved site fields stand for them).
_NOT_INPUTS = frozenset({"id", "name", "latitude", "longitude", "altitude"})
_NOT_INPUTS |= frozenset({"weather_source", *INFO_COLUMNS})
LEADING_COLUMNS: tuple[str, ...] = (
    "index",
    "item_id",
    "status",
    "error",
    "scenario_file",
    "scenario",
    "site_name",
    "latitude",
    "longitude",
    "altitude",
    "dc_capacity_kwp",
    "ac_capacity_kw",
)
TRAILING_COLUMNS: tuple[str, ...] = (
    "currency",
    *HEADLINE_METRICS,
    "rank",
    "weather_via",
    "weather_source",
    "weather_path",
    "weather_note",
    "weather_seed",
    "input_hash",
    "reused",
    "seconds",
    "notes",
    "warnings",
)
_FLOAT_COLUMNS = frozenset(
    {
        "latitude",
        "longitude",
        "altitude",
        "dc_capacity_kwp",
        "ac_capacity_kw",
        *HEADLINE_METRICS,
        "rank",
        "seconds",
    }
)
RANKING_METRICS: tuple[str, ...] = (
    "npv",
    "project_irr",
    "lcoe_real_per_kwh",
    "simple_payback_years",
    "annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
)


def rank_metric(name: str) -> str:
    """The headline metric named by ``--rank-by`` (a name or a short alias).

    Raises :class:`BatchError` for an unknown name, listing the choices.
    """
    metric = RANK_ALIASES.get(name, name)
    if metric not in HEADLINE_METRICS:
        choices = ", ".join([*HEADLINE_METRICS, *RANK_ALIASES])
        raise BatchError(f"--rank-by {name!r}: unknown metric; use one of {choices}")
    return metric


def ranks(values: np.ndarray, *, ascending: bool) -> np.ndarray:
    """Competition ranks (1 = best; ties share the best rank); NaN stays NaN.

    Examples
    --------
    >>> ranks(np.array([3.0, np.nan, 5.0, 3.0]), ascending=False).tolist()
    [2.0, nan, 1.0, 2.0]
    >>> ranks(np.array([3.0, 1.0]), ascending=True).tolist()
    [2.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    series = pd.Series(-values if not ascending else values)
    return series.rank(method="min", ascending=True, na_option="keep").to_numpy()


class RecordStore:
    """The ``records/`` folder of a batch: one JSON file per item, atomically."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.directory = out_dir / "records"
        self._digests: dict[str, str | None] = {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(
                f"{out_dir}: cannot create the batch folder ({err.strerror}); choose "
                "another --out"
            ) from err

    def path(self, key: str) -> Path:
        """The record file of an item key."""
        return self.directory / f"{key}.json"

    def read(self, key: str) -> dict | None:
        """The record of a key, or None if there is none (or it is unreadable)."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def write(self, record: dict) -> None:
        """Write a record atomically: complete or absent, never half-written."""
        text = json.dumps(_json_safe(record), ensure_ascii=False, allow_nan=False)
        handle, tmp = tempfile.mkstemp(
            dir=self.directory, prefix=f".{record['key']}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(tmp, self.path(record["key"]))
        except OSError as err:
            Path(tmp).unlink(missing_ok=True)
            raise OutputError(
                f"{self.directory}: cannot write a record ({err.strerror}); check the "
                "free space and permissions of --out"
            ) from err

    def digest(self, path: str) -> str | None:
        """SHA-256 of a file's bytes now (memoised for this run); None if gone."""
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(
                    Path(path).read_bytes()
                ).hexdigest()
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def reusable(
        self, item: BatchItem, *, outputs: tuple[str, ...] = ()
    ) -> dict | None:
        """The item's earlier record if nothing it depends on has changed.

        ``outputs`` names files that must exist in the item's folder (e.g.
        ``("result.json", "hourly.csv")`` when the run asks for them).
        """
        record = self.read(item.key)
        if record is None or record.get("status") != "ok":
            return None
        if record.get("version") != __version__ or record.get("key") != item.key:
            return None
        dependencies = record.get("dependencies") or {}
        if not dependencies or any(
            self.digest(path) != digest for path, digest in dependencies.items()
        ):
            return None
        folder = item_dir(self.out_dir, item)
        if outputs and not (
            record.get("item_id") == item.item_id
            and all((folder / name).is_file() for name in outputs)
        ):
            return None
        return record


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def input_columns(items: Sequence[BatchItem]) -> list[str]:
    """The sites-CSV columns (the inputs that vary), in first-seen order.

    Site name and coordinates are left out: the resolved ``site_name``,
    ``latitude``, ``longitude`` and ``altitude`` columns hold them.
    """
    seen: dict[str, None] = {}
    for item in items:
        for column, _ in item.inputs:
            if column not in _NOT_INPUTS:
                seen.setdefault(column, None)
    return list(seen)


def results_frame(
    items: Sequence[BatchItem],
    load: Callable[[BatchItem], dict | None],
    *,
    reused: Iterable[str] = (),
    rank_by: str = "npv",
) -> pd.DataFrame:
    """One row per item, in input order, from each item's record.

    Items without a record (the batch was interrupted) have status ``"pending"``.
    """
    inputs = input_columns(items)
    reused_keys = set(reused)
    rows = []
    for item in items:
        record = load(item) or {"status": "pending"}
        row = {name: record.get(name) for name in (*LEADING_COLUMNS, *TRAILING_COLUMNS)}
        row.update(
            index=item.index,
            item_id=item.item_id,
            scenario_file=item.scenario_file,
            reused=item.key in reused_keys,
        )
        if row["site_name"] is None:
            row["site_name"] = item.site_name
        cells = dict(item.inputs)
        row.update({column: cells.get(column) for column in inputs})
        rows.append(row)
    columns = [*LEADING_COLUMNS, *inputs, *TRAILING_COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    for column in _FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in inputs:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        if numbers.notna().sum() == frame[column].notna().sum():
            frame[column] = numbers.astype(float)
    frame["weather_seed"] = frame["weather_seed"].astype("Int64")
    frame["index"] = frame["index"].astype("int64")
    frame["reused"] = frame["reused"].astype(bool)
    metric = rank_metric(rank_by)
    ok = frame["status"].eq("ok").to_numpy()
    values = np.where(ok, frame[metric].to_numpy(dtype=float), np.nan)
    frame["rank"] = ranks(values, ascending=metric in ASCENDING_METRICS)
    return frame


def ranking_frame(frame: pd.DataFrame, rank_by: str) -> pd.DataFrame:
    """The succeeded items, best first by ``rank_by``; unrankable (null) ones last."""
    metric = rank_metric(rank_by)
    ok = frame[frame["status"] == "ok"]
    ordered = ok.sort_values(["rank", "index"], na_position="last", kind="stable")
    columns = [
        "rank",
        "item_id",
        "site_name",
        "scenario",
        "latitude",
        "longitude",
        "dc_capacity_kwp",
        "currency",
        metric,
        *(m for m in RANKING_METRICS if m != metric),
    ]
    result = ordered[columns].copy()
    result["rank"] = result["rank"].astype("Int64")
    return result


def write_tables(frame: pd.DataFrame, out_dir: Path, rank_by: str) -> list[Path]:
    """Write results.csv, results.parquet and ranking.csv atomically."""
    ranking = ranking_frame(frame, rank_by)
    written = [
        _atomic(out_dir / "results.csv", lambda p: frame.to_csv(p, index=False)),
        _atomic(
            out_dir / "results.parquet", lambda p: frame.to_parquet(p, index=False)
        ),
        _atomic(out_dir / "ranking.csv", lambda p: ranking.to_csv(p, index=False)),
    ]
    return written


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except (OSError, ImportError) as err:
        Path(tmp).unlink(missing_ok=True)
        hint = (
            "install pyarrow (pip install pyarrow) for parquet output"
            if isinstance(err, ImportError)
            else "check the free space and permissions of --out"
        )
        raise OutputError(f"{path}: cannot be written ({err}); {hint}") from err
    return path


class BatchLog:
    """``batch.log``: one header per run, failures, errors with their traceback."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, text: str) -> None:
        """Append lines to the log (append-only; each call flushes)."""
        try:
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(text if text.endswith("\n") else text + "\n")
        except OSError as err:
            raise OutputError(
                f"{self.path}: cannot write the batch log ({err.strerror})"
            ) from err

    def start(self, description: str) -> None:
        """Log the start of a run."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.write(f"== {stamp} solarcase {__version__} batch: {description}")

    def record(self, item: BatchItem, record: dict) -> None:
        """Log a failed or errored item (successes are in the tables)."""
        status = record.get("status")
        if status == "failed":
            self.write(f"failed {item.item_id}: {record.get('error')}")
        elif status == "error":
            self.write(f"error {item.item_id}: {record.get('error')}")
            if record.get("traceback"):
                self.write(record["traceback"])
