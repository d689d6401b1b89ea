"""The batch's tables, built from the per-item records in blocks: results and ranking.

``results.csv`` and ``results.parquet`` hold one row per item in input order;
``ranking.csv`` the succeeded items, best first by the ranking metric. Both are
written block by block (:data:`BLOCK_ROWS` rows at a time, each block read from the
records on disk), so the command never holds the whole table: what it keeps per item
is the ranking value and the few columns the site chart needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from solarcase.atomic import atomic_path
from solarcase.batch_items import BatchError, BatchItem
from solarcase.batch_sites import INFO_COLUMNS
from solarcase.cases import HIGHER_IS_BETTER
from solarcase.errors import OutputError
from solarcase.pipeline import HEADLINE_METRICS, MORE_METRICS

if TYPE_CHECKING:
    import pyarrow as pa

#: Every metric of ``ScenarioResult.headline()``: one column each.
METRICS: tuple[str, ...] = (*HEADLINE_METRICS, *MORE_METRICS)

#: Metrics where lower is better (the LCOEs and paybacks, as ``cases`` ranks them,
#: and the break-even price); every other headline metric ranks high first.
ASCENDING_METRICS: frozenset[str] = frozenset(
    {name for name, higher in HIGHER_IS_BETTER.items() if not higher}
    | {"breakeven_price_per_kwh"}
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
#: Rows per block written at a time.
BLOCK_ROWS = 500
_FIX = "check the free space and permissions of --out"
#: Sites-CSV columns not repeated as inputs (the resolved site fields stand for them).
_NOT_INPUTS = frozenset(
    {"id", "name", "latitude", "longitude", "altitude", "weather_source", *INFO_COLUMNS}
)
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
    *METRICS,
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
FLOAT_COLUMNS: frozenset[str] = frozenset(
    {
        "latitude",
        "longitude",
        "altitude",
        "dc_capacity_kwp",
        "ac_capacity_kw",
        *METRICS,
        "rank",
        "seconds",
    }
)
#: Columns of ranking.csv besides the ranking metric.
RANKING_COLUMNS: tuple[str, ...] = (
    "rank",
    "item_id",
    "site_name",
    "scenario",
    "latitude",
    "longitude",
    "dc_capacity_kwp",
    "currency",
)
RANKING_METRICS: tuple[str, ...] = (
    "npv",
    "project_irr",
    "lcoe_real_per_kwh",
    "simple_payback_years",
    "annual_energy_kwh",
    "specific_yield_kwh_per_kwp",
)
#: Columns kept for the chart and the summary (small: a few values per item).
CHART_COLUMNS: tuple[str, ...] = (
    "index",
    "item_id",
    "status",
    "site_name",
    "latitude",
    "longitude",
    "dc_capacity_kwp",
    "currency",
    "rank",
)

Loader = Callable[[BatchItem], dict | None]


def rank_metric(name: str) -> str:
    """The metric named by ``--rank-by`` (a name of :data:`METRICS` or an alias).

    Raises :class:`BatchError` for an unknown name, listing the choices.
    """
    metric = RANK_ALIASES.get(name, name)
    if metric not in METRICS:
        choices = ", ".join([*METRICS, *RANK_ALIASES])
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


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The columns of the results table of a batch."""

    inputs: tuple[str, ...]
    """Sites-CSV columns that set inputs, as written in the CSV."""
    numeric_inputs: frozenset[str]
    """Those whose every non-empty cell is a number (typed float)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in order."""
        return (*LEADING_COLUMNS, *self.inputs, *TRAILING_COLUMNS)


def table_layout(items: Sequence[BatchItem]) -> TableLayout:
    """The columns for these items: the fixed ones and the sites-CSV inputs.

    Site name and coordinates are not repeated as inputs: the resolved
    ``site_name``, ``latitude``, ``longitude`` and ``altitude`` hold them.
    """
    seen: dict[str, bool] = {}
    for item in items:
        for column, text in item.inputs:
            if column in _NOT_INPUTS:
                continue
            numeric = seen.get(column, True)
            if text.strip():
                try:
                    float(text)
                except ValueError:
                    numeric = False
            seen[column] = numeric
    numeric_inputs = frozenset(column for column, numeric in seen.items() if numeric)
    return TableLayout(inputs=tuple(seen), numeric_inputs=numeric_inputs)


def item_ranks(items: Sequence[BatchItem], load: Loader, rank_by: str) -> np.ndarray:
    """Rank of each item by ``rank_by`` among the succeeded ones (NaN: unranked)."""
    metric = rank_metric(rank_by)
    values = np.full(len(items), np.nan)
    for position, item in enumerate(items):
        record = load(item)
        if record is not None and record.get("status") == "ok":
            value = record.get(metric)
            values[position] = np.nan if value is None else float(value)
    return ranks(values, ascending=metric in ASCENDING_METRICS)


def _row(
    item: BatchItem, record: dict[str, Any] | None, layout: TableLayout, reused: bool
) -> dict[str, Any]:
    record = record or {"status": "pending"}
    row = {name: record.get(name) for name in (*LEADING_COLUMNS, *TRAILING_COLUMNS)}
    row.update(
        index=item.index,
        item_id=item.item_id,
        scenario_file=item.scenario_file,
        reused=reused,
    )
    if row["site_name"] is None:
        row["site_name"] = item.site_name
    cells = dict(item.inputs)
    row.update({column: cells.get(column) or None for column in layout.inputs})
    return row


def _typed(rows: list[dict], layout: TableLayout) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(layout.columns))
    for column in (*FLOAT_COLUMNS, *layout.numeric_inputs):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in frame.columns.difference([*FLOAT_COLUMNS, *layout.numeric_inputs]):
        frame[column] = frame[column].astype(object)
    frame["weather_seed"] = frame["weather_seed"].astype("Int64")
    frame["index"] = frame["index"].astype("int64")
    frame["reused"] = frame["reused"].astype(bool)
    return frame


def result_blocks(
    items: Sequence[BatchItem],
    load: Loader,
    *,
    reused: Iterable[str] = (),
    rank_by: str = "npv",
    block_rows: int = BLOCK_ROWS,
) -> Iterator[pd.DataFrame]:
    """The results table in blocks of ``block_rows`` items, in input order.

    Items without a record (the batch was interrupted) have status ``"pending"``.
    """
    layout = table_layout(items)
    reused_keys = set(reused)
    item_rank = item_ranks(items, load, rank_by)
    for start in range(0, len(items), block_rows):
        block = items[start : start + block_rows]
        rows = [_row(i, load(i), layout, i.key in reused_keys) for i in block]
        frame = _typed(rows, layout)
        frame["rank"] = item_rank[start : start + len(block)]
        yield frame


def results_frame(
    items: Sequence[BatchItem],
    load: Loader,
    *,
    reused: Iterable[str] = (),
    rank_by: str = "npv",
) -> pd.DataFrame:
    """The whole results table at once (for small batches and tests)."""
    blocks = list(result_blocks(items, load, reused=reused, rank_by=rank_by))
    return pd.concat(blocks, ignore_index=True)


def _arrow_schema(layout: TableLayout) -> pa.Schema:
    import pyarrow as pa

    fields = []
    for column in layout.columns:
        if column in FLOAT_COLUMNS or column in layout.numeric_inputs:
            kind = pa.float64()
        elif column in ("index", "weather_seed"):
            kind = pa.int64()
        elif column == "reused":
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.schema(fields)


@dataclass(frozen=True, slots=True)
class Tables:
    """What :func:`write_tables` wrote and kept."""

    files: tuple[Path, ...]
    """results.csv, results.parquet, ranking.csv."""
    sites: pd.DataFrame
    """Per item: :data:`CHART_COLUMNS` and the ranking metric (chart, summary)."""
    ranking: pd.DataFrame
    """What ranking.csv holds: the succeeded items, best first."""


def write_tables(
    items: Sequence[BatchItem],
    load: Loader,
    out_dir: Path,
    *,
    reused: Iterable[str] = (),
    rank_by: str = "npv",
    block_rows: int = BLOCK_ROWS,
) -> Tables:
    """Write results.csv, results.parquet and ranking.csv, block by block.

    Each file is written to a temporary file and renamed into place when complete.

    Raises
    ------
    OutputError
        If a file cannot be written, or pyarrow is missing (parquet).
    """
    metric = rank_metric(rank_by)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise OutputError(
            f"{out_dir / 'results.parquet'}: cannot be written without pyarrow; "
            "pip install pyarrow"
        ) from err
    layout = table_layout(items)
    schema = _arrow_schema(layout)
    keep = [*CHART_COLUMNS, "scenario", metric, *RANKING_METRICS]
    kept = []
    with (
        atomic_path(out_dir / "results.csv", fix=_FIX) as csv_path,
        atomic_path(out_dir / "results.parquet", fix=_FIX) as parquet_path,
    ):
        with csv_path.open("w", encoding="utf-8", newline="") as stream:
            writer = pq.ParquetWriter(parquet_path, schema)
            try:
                for number, block in enumerate(
                    result_blocks(
                        items,
                        load,
                        reused=reused,
                        rank_by=metric,
                        block_rows=block_rows,
                    )
                ):
                    block.to_csv(stream, header=number == 0, index=False)
                    writer.write_table(
                        pa.Table.from_pandas(block, schema=schema, preserve_index=False)
                    )
                    kept.append(block[list(dict.fromkeys(keep))])
            finally:
                writer.close()
    sites = pd.concat(kept, ignore_index=True)
    ranking = ranking_frame(sites, metric)
    with atomic_path(out_dir / "ranking.csv", fix=_FIX) as ranking_path:
        ranking.to_csv(ranking_path, index=False)
    files = tuple(out_dir / name for name in ("results.csv", "results.parquet"))
    return Tables(files=(*files, out_dir / "ranking.csv"), sites=sites, ranking=ranking)


def ranking_frame(frame: pd.DataFrame, rank_by: str) -> pd.DataFrame:
    """The succeeded items, best first by ``rank_by``; unrankable (null) ones last."""
    metric = rank_metric(rank_by)
    ok = frame[frame["status"] == "ok"]
    ordered = ok.sort_values(["rank", "index"], na_position="last", kind="stable")
    columns = [*RANKING_COLUMNS, metric, *(m for m in RANKING_METRICS if m != metric)]
    result = ordered[columns].copy()
    result["rank"] = result["rank"].astype("Int64")
    return result
