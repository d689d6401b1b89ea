"""Fan batch items out to workers and yield their records as they finish.

Three executors share one contract, ``execute(...) -> Iterator[record]``:

- ``local`` with one worker runs the items in this process, one by one;
- ``local`` with N workers uses a :class:`concurrent.futures.ProcessPoolExecutor`
  (``forkserver`` start method where available, with solarcase imported once in the
  server, so workers start in milliseconds and no thread of this process is forked);
- ``dask`` submits to a Dask distributed scheduler (``scheduler`` address), or to a
  :class:`distributed.LocalCluster` it starts and stops itself.

Items are sorted by their weather group and cut into chunks, so one task carries
several items that share a weather file and solar position and the per-task overhead
is paid once per chunk. Which worker runs which chunk never changes a number: every
item is computed from its own description alone (its seed included).

A chunk whose worker dies (out of memory, killed) becomes one ``status="error"``
record per item; the batch goes on with the other chunks.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from solarcase.batch_items import BatchError, BatchItem, Executor
from solarcase.batch_worker import WorkerOptions, blank_record, run_item, run_items

__all__ = ["BatchError", "Executor", "chunked", "default_workers", "execute"]
#: Largest default chunk [items]: small enough for a lively progress bar.
MAX_CHUNK = 16
#: Chunks per worker aimed at by the default chunk size (load balance).
CHUNKS_PER_WORKER = 4


def default_workers() -> int:
    """Worker processes when none is asked for: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunked(
    items: Sequence[BatchItem], *, workers: int, chunk_size: int | None = None
) -> list[list[BatchItem]]:
    """Cut items, sorted by weather group, into chunks.

    The default size gives each worker about :data:`CHUNKS_PER_WORKER` chunks, at
    most :data:`MAX_CHUNK` items each.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from solarcase.batch_items import BatchItem
    >>> base = BatchItem(1, "1-a", "a.yaml", "a", (), (), None, None, None, None,
    ...                  None, (), "scenario", None, None, "k", "g1")
    >>> items = [replace(base, index=i, group=f"g{i % 2}") for i in range(1, 6)]
    >>> [[item.index for item in chunk] for chunk in chunked(items, workers=1,
    ...                                                        chunk_size=2)]
    [[2, 4], [1, 3], [5]]
    """
    if chunk_size is None:
        per_worker = math.ceil(len(items) / max(1, workers * CHUNKS_PER_WORKER))
        chunk_size = max(1, min(MAX_CHUNK, per_worker))
    ordered = sorted(items, key=lambda item: (item.group, item.index))
    return [ordered[i : i + chunk_size] for i in range(0, len(ordered), chunk_size)]


def execute(
    items: Sequence[BatchItem],
    options: WorkerOptions,
    *,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    chunk_size: int | None = None,
) -> Iterator[dict]:
    """Run every item and yield its record as soon as its chunk is done.

    Parameters
    ----------
    items : sequence of BatchItem
        The items to run.
    options : WorkerOptions
        Passed to every worker.
    executor : {"local", "dask"}
        Process pool on this machine, or Dask distributed (:class:`Executor`).
    workers : int
        Worker processes (local), or workers of the LocalCluster (dask without a
        scheduler). Ignored with a scheduler address: the cluster decides.
    scheduler : str, optional
        Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    chunk_size : int, optional
        Items per task; default from :func:`chunked`.

    Raises
    ------
    BatchError
        An unknown executor, workers < 1, Dask missing, or a scheduler that cannot
        be reached.
    """
    if executor not in tuple(Executor):
        raise BatchError(
            f"--executor {executor!r}: unknown; use one of {', '.join(Executor)}"
        )
    if workers < 1:
        raise BatchError(f"--workers {workers}: must be at least 1")
    if scheduler is not None and executor != "dask":
        raise BatchError("--scheduler needs --executor dask")
    if not items:
        return iter(())
    if executor == "dask":
        return _dask(items, options, workers, scheduler, chunk_size)
    if workers == 1:
        return _inline(items, options)
    return _pool(items, options, workers, chunk_size)


def _inline(items: Sequence[BatchItem], options: WorkerOptions) -> Iterator[dict]:
    for chunk in chunked(items, workers=1, chunk_size=len(items)):
        for item in chunk:
            yield run_item(item, options)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["solarcase.batch_worker"])
        return context
    return multiprocessing.get_context("spawn")


def _chunk_records(future: Any, chunk: Sequence[BatchItem]) -> list[dict]:
    """The records of a finished chunk; if its worker died, an error record per item."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - a dead worker fails its chunk
        error = (
            f"{type(err).__name__}: {err}; the worker running this item stopped "
            "(out of memory, killed?); re-run the batch to retry it"
        )
        return [
            {**blank_record(item), "status": "error", "error": error, "seconds": 0.0}
            for item in chunk
        ]


def _pool(
    items: Sequence[BatchItem],
    options: WorkerOptions,
    workers: int,
    chunk_size: int | None,
) -> Iterator[dict]:
    chunks = chunked(items, workers=workers, chunk_size=chunk_size)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)), mp_context=_context()
    )
    futures: dict[Future[list[dict]], list[BatchItem]] = {}
    try:
        for chunk in chunks:
            futures[pool.submit(run_items, chunk, options)] = chunk
        for future in as_completed(futures):
            yield from _chunk_records(future, futures.pop(future))
    finally:
        pool.shutdown(wait=not futures, cancel_futures=True)


def _dask(
    items: Sequence[BatchItem],
    options: WorkerOptions,
    workers: int,
    scheduler: str | None,
    chunk_size: int | None,
) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise BatchError(
            "--executor dask needs Dask distributed: pip install 'dask[distributed]'"
        ) from err
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise BatchError(
            f"--scheduler {scheduler}: cannot connect to the Dask scheduler ({err}); "
            "check the address (tcp://host:8786) and that the scheduler is running"
        ) from err
    return _dask_results(client, cluster, items, options, workers, chunk_size)


def _dask_results(
    client: Any,
    cluster: Any,
    items: Sequence[BatchItem],
    options: WorkerOptions,
    workers: int,
    chunk_size: int | None,
) -> Iterator[dict]:
    from distributed import as_completed as dask_completed

    pending: set[Any] = set()
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        chunks = chunked(items, workers=n_workers, chunk_size=chunk_size)
        futures = {
            client.submit(run_items, chunk, options, pure=False): i
            for i, chunk in enumerate(chunks)
        }
        pending = set(futures)
        for future in dask_completed(list(futures)):
            pending.discard(future)
            yield from _chunk_records(future, chunks[futures[future]])
    finally:
        if pending:
            client.cancel(list(pending))
        client.close()
        if cluster is not None:
            cluster.close()
