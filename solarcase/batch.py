"""Batch runs: many appraisals (scenario files x candidate sites), one results table.

The edge that runs a batch (STYLE.md section 8): :func:`collect_items` turns scenario
files, globs and a sites CSV into items; :func:`run_batch` skips the items already
done in ``out_dir`` (same inputs, same file contents), runs the rest on a local
process pool or a Dask cluster, writes each item's record as it arrives, and finally
writes the tables and the site chart. Every item is computed from its own inputs
alone (random streams included), so the numbers do not depend on the executor, the
number of workers or the order.

Output folder::

    out_dir/
      results.csv, results.parquet   one row per item: inputs, metrics, status, ...
      ranking.csv                    succeeded items, best first by --rank-by
      sites.png                      the sites, coloured by the ranking metric
      batch.log                      one header per run, failures, error tracebacks
      records/<key>.json             per-item state for resuming (one small file each)
      items/<item_id>/               result.json, cashflow.csv, monthly.csv
                                     (with item_outputs; hourly.csv with keep_hourly)

Memory does not grow with the batch: workers return one small record per item
(hourly series stay in the worker and are dropped), records go straight to disk, and
the parent keeps only counters until the tables are built at the end.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from solarcase.batch_chart import write_sites_png
from solarcase.batch_exec import default_workers, execute
from solarcase.batch_items import (
    BatchError,
    BatchItem,
    Executor,
    collect_items,
    item_seed,
)
from solarcase.batch_output import BatchLog, RecordStore
from solarcase.batch_tables import rank_metric, write_tables
from solarcase.batch_worker import WorkerOptions
from solarcase.errors import OutputError

__all__ = [
    "BatchError",
    "BatchItem",
    "BatchSummary",
    "Executor",
    "collect_items",
    "default_workers",
    "item_seed",
    "run_batch",
]

#: Slowest items listed in the summary.
SLOWEST = 5
#: Failures kept in the summary (all of them are in batch.log and the tables).
FAILURES_SHOWN = 20
#: Ranked items kept in the summary.
TOP = 10

#: ``progress(done, total, record)``: called with (0, total, None) first, then once
#: per finished item; ``total`` counts the items to run (reused ones excluded).
ProgressCallback = Callable[[int, int, dict | None], None]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch did, for the terminal summary and the exit code."""

    out_dir: Path
    """Output folder."""
    total: int
    """Items in the batch."""
    computed: int
    """Items run in this call that succeeded."""
    reused: int
    """Items skipped: an earlier run did them with the same inputs."""
    failed: int
    """Items that failed with a user-fixable error (message in ``error``)."""
    errors: int
    """Items that hit an unexpected error (traceback in batch.log)."""
    pending: int
    """Items not run because the batch was interrupted."""
    seconds: float
    """Wall-clock time of this call. [s]"""
    rank_by: str
    """The ranking metric (a headline metric name)."""
    slowest: tuple[tuple[str, float], ...]
    """(item_id, seconds) of the slowest items run in this call."""
    failures: tuple[tuple[str, str, str], ...]
    """(item_id, status, error) of the first failed or errored items."""
    top: tuple[dict, ...]
    """The best items by ``rank_by``: rank, item_id, site_name, value, currency."""
    files: tuple[Path, ...]
    """Tables, chart and log written."""
    interrupted: bool = False
    """True when the batch was stopped (Ctrl-C) before every item ran."""

    @property
    def succeeded(self) -> bool:
        """True when every item has a successful result."""
        return self.failed == self.errors == self.pending == 0

    @property
    def items_per_second(self) -> float:
        """Items run per second of wall-clock time in this call. [1/s]"""
        ran = self.computed + self.failed + self.errors
        return ran / self.seconds if self.seconds > 0 else 0.0


def run_batch(
    items: Sequence[BatchItem],
    out_dir: str | Path,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    chunk_size: int | None = None,
    rank_by: str = "npv",
    item_outputs: bool = False,
    keep_hourly: bool = False,
    report: bool = False,
    chart: bool = True,
    progress: ProgressCallback | None = None,
) -> BatchSummary:
    """Run the items not yet done in ``out_dir`` and write the batch's outputs.

    Parameters
    ----------
    items : sequence of BatchItem
        From :func:`collect_items`.
    out_dir : str or Path
        Output folder; re-using it resumes (see the module docstring).
    workers : int
        Worker processes; 1 runs in this process.
    executor : {"local", "dask"}
        Local process pool, or Dask distributed.
    scheduler : str, optional
        Dask scheduler address; omitted with ``executor="dask"``: a LocalCluster of
        ``workers`` processes.
    chunk_size : int, optional
        Items per task (default: about four chunks per worker, at most 16 items).
    rank_by : str
        Headline metric (or alias ``irr``, ``lcoe``, ``payback``, ...) to rank by;
        LCOE and payback rank low first, the rest high first.
    item_outputs : bool
        Write result.json, cashflow.csv and monthly.csv per item.
    keep_hourly : bool
        Also write each item's hourly.csv (implies ``item_outputs``).
    report : bool
        Also write each item's report.pdf and report.xlsx (implies
        ``item_outputs``).
    chart : bool
        Write sites.png.
    progress : callable, optional
        See :data:`ProgressCallback`.

    Returns
    -------
    summary : BatchSummary

    Raises
    ------
    SolarcaseError
        Before anything runs, for a bad option or an unusable ``out_dir``; an
        item's own problem never raises (it becomes a failed row).
    """
    start = time.perf_counter()
    rank_by = rank_metric(rank_by)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory; choose another --out")
    store = RecordStore(out)
    options = WorkerOptions(
        str(out), item_outputs=item_outputs, keep_hourly=keep_hourly, report=report
    )
    outputs = (
        ("result.json",) * options.writes_items
        + ("hourly.csv",) * keep_hourly
        + ("report.pdf", "report.xlsx") * report
    )
    reused = {
        item.key for item in items if store.reusable(item, outputs=outputs) is not None
    }
    todo = [item for item in items if item.key not in reused]
    records = execute(
        todo,
        options,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
    )
    log = BatchLog(out / "batch.log")
    log.start(
        f"{len(items)} items, {len(reused)} reused, {len(todo)} to run on "
        f"{executor} x {workers}" + (f" ({scheduler})" if scheduler else "")
    )
    tally = _consume(records, todo, store, log, progress)
    tables = write_tables(items, store.read_item, out, reused=reused, rank_by=rank_by)
    sites = tables.sites
    files = list(tables.files)
    if chart and sites["latitude"].notna().any():
        files.append(write_sites_png(sites, out / "sites.png", rank_by=rank_by))
    files.append(log.path)
    status = sites["status"].value_counts()
    log.write(
        f"-- done: {tally.computed} ok, {tally.failed} failed, {tally.errors} errors, "
        f"{len(reused)} reused, {status.get('pending', 0)} pending"
    )
    return BatchSummary(
        out_dir=out,
        total=len(items),
        computed=tally.computed,
        reused=len(reused),
        failed=int(status.get("failed", 0)),
        errors=int(status.get("error", 0)),
        pending=int(status.get("pending", 0)),
        seconds=time.perf_counter() - start,
        rank_by=rank_by,
        slowest=tuple(sorted(tally.slowest, key=lambda p: -p[1])),
        failures=tuple(tally.failures),
        top=_top(tables.ranking, rank_by),
        files=tuple(files),
        interrupted=tally.interrupted,
    )


def _consume(
    records: Iterator[dict],
    todo: Sequence[BatchItem],
    store: RecordStore,
    log: BatchLog,
    progress: ProgressCallback | None,
) -> _Tally:
    """Write each record as it arrives; stop cleanly on Ctrl-C."""
    tally = _Tally()
    by_key = {item.key: item for item in todo}
    if progress is not None:
        progress(0, len(todo), None)
    try:
        for done, record in enumerate(records, start=1):
            store.write(record)
            log.record(by_key[record["key"]], record)
            tally.add(record)
            if progress is not None:
                progress(done, len(todo), record)
    except KeyboardInterrupt:
        tally.interrupted = True
        close = getattr(records, "close", None)
        if close is not None:
            close()  # cancels the chunks not started and stops the pool
    return tally


class _Tally:
    """Counters and bounded lists of the records seen; nothing grows with n."""

    def __init__(self) -> None:
        self.computed = self.failed = self.errors = 0
        self.interrupted = False
        self.slowest: list[tuple[str, float]] = []
        self._heap: list[tuple[float, str]] = []
        self.failures: list[tuple[str, str, str]] = []

    def add(self, record: dict) -> None:
        status = record.get("status")
        if status == "ok":
            self.computed += 1
        elif status == "failed":
            self.failed += 1
        else:
            self.errors += 1
        if status != "ok" and len(self.failures) < FAILURES_SHOWN:
            error = str(record.get("error"))
            self.failures.append((record["item_id"], str(status), error))
        entry = (float(record.get("seconds") or 0.0), record["item_id"])
        if len(self._heap) < SLOWEST:
            heapq.heappush(self._heap, entry)
        else:
            heapq.heappushpop(self._heap, entry)
        self.slowest = [(item_id, seconds) for seconds, item_id in self._heap]


def _top(ranking: pd.DataFrame, rank_by: str) -> tuple[dict, ...]:
    """The first :data:`TOP` rows of the ranking (ranking.csv's frame)."""
    return tuple(
        {
            "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
            "item_id": row["item_id"],
            "site_name": row["site_name"],
            "value": row[rank_by],
            "currency": row["currency"],
        }
        for row in ranking.head(TOP).to_dict("records")
    )
