"""Batch outputs: ranking rules, the record store's reuse rules, the site chart."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import Colormap

from solarcase import __version__
from solarcase.batch_chart import METRIC_LABELS, plot_sites
from solarcase.batch_items import BatchError, BatchItem
from solarcase.batch_output import RecordStore
from solarcase.batch_tables import (
    ASCENDING_METRICS,
    METRICS,
    rank_metric,
    ranking_frame,
    ranks,
    results_frame,
    write_tables,
)

ITEM = BatchItem(
    index=1,
    item_id="0001-a",
    scenario_file="/x/a.yaml",
    label="a",
    overrides=(),
    override_columns=(),
    sites_file=None,
    sites_line=None,
    site_name="A",
    latitude=None,
    longitude=None,
    inputs=(),
    weather_via="scenario",
    normals_table=None,
    weather_seed=None,
    key="k" * 64,
    group="g",
)


def test_rank_directions_follow_what_better_means() -> None:
    assert rank_metric("npv") == "npv"
    assert rank_metric("lcoe") == "lcoe_real_per_kwh"
    assert rank_metric("payback") == "simple_payback_years"
    assert rank_metric("irr") == "project_irr"
    assert ASCENDING_METRICS == {
        "lcoe_real_per_kwh",
        "lcoe_nominal_per_kwh",
        "simple_payback_years",
        "discounted_payback_years",
        "breakeven_price_per_kwh",
    }
    assert set(METRIC_LABELS) == set(METRICS)  # every rankable metric has a label
    with pytest.raises(BatchError, match="--rank-by 'nvp': unknown metric"):
        rank_metric("nvp")


def test_ranks_by_hand() -> None:
    values = np.array([10.0, np.nan, 30.0, 10.0, 20.0])
    # high first: 30 -> 1, 20 -> 2, the two 10s share 3; NaN is not ranked
    assert ranks(values, ascending=False).tolist()[:1] == [3.0]
    assert np.array_equal(
        ranks(values, ascending=False), [3.0, np.nan, 1.0, 3.0, 2.0], equal_nan=True
    )
    assert np.array_equal(
        ranks(values, ascending=True), [1.0, np.nan, 4.0, 1.0, 3.0], equal_nan=True
    )


@given(
    st.lists(
        st.one_of(st.floats(-1e12, 1e12), st.just(float("nan"))),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
def test_ranks_are_ordered_like_the_values(
    values: list[float], ascending: bool
) -> None:
    x = np.array(values)
    r = ranks(x, ascending=ascending)
    finite = ~np.isnan(x)
    assert np.array_equal(np.isnan(r), ~finite)
    if finite.any():
        assert r[finite].min() == 1 and r[finite].max() <= finite.sum()
    for i in np.flatnonzero(finite):
        for j in np.flatnonzero(finite):
            better = x[i] < x[j] if ascending else x[i] > x[j]
            if better:
                assert r[i] < r[j]
            if x[i] == x[j]:
                assert r[i] == r[j]


def _record(**fields: object) -> dict:
    record = {
        "key": ITEM.key,
        "item_id": ITEM.item_id,
        "status": "ok",
        "version": __version__,
        "dependencies": {},
    }
    record.update(fields)
    return record


def test_records_are_reused_only_when_nothing_changed(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    scenario = tmp_path / "a.yaml"
    scenario.write_text("x: 1\n", encoding="utf-8")
    digest = store.digest(str(scenario))
    store.write(_record(dependencies={str(scenario): digest}, npv=float("nan")))
    assert not list(store.directory.glob(".*.tmp"))  # no temporary file left
    assert json.loads(store.path(ITEM.key).read_text())["npv"] is None
    assert store.reusable(ITEM) is not None
    # the item folder is missing, so a run that wants it must recompute
    assert store.reusable(ITEM, outputs=("result.json",)) is None
    for changed in (
        _record(status="failed", dependencies={str(scenario): digest}),
        _record(version="0.0.0", dependencies={str(scenario): digest}),
        _record(dependencies={str(scenario): "0" * 64}),
        _record(dependencies={}),
    ):
        store.write(changed)
        assert RecordStore(tmp_path).reusable(ITEM) is None
    store.write(_record(dependencies={str(scenario): digest}))
    scenario.write_text("x: 2\n", encoding="utf-8")  # the file's bytes change
    assert RecordStore(tmp_path).reusable(ITEM) is None


def test_items_without_a_record_are_pending(tmp_path: Path) -> None:
    other = replace(ITEM, index=2, item_id="0002-b", key="b" * 64, site_name="B")
    records = {ITEM.key: _record(npv=5.0, currency="EUR")}
    frame = results_frame([ITEM, other], lambda item: records.get(item.key))
    assert frame["status"].tolist() == ["ok", "pending"]
    assert frame["rank"].tolist()[0] == 1 and np.isnan(frame["rank"].iloc[1])
    assert frame["site_name"].tolist() == ["A", "B"]


NPVS = {0: 0.0, 1: 4.0, 2: 8.0, 3: 1.0, 4: None, 5: 0.0, 6: 1.0}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python objects with None for every missing value, whatever the dtype."""
    return frame.astype(object).where(frame.notna(), None)


def test_tables_written_in_blocks_equal_the_whole_table(tmp_path: Path) -> None:
    items, records = [], {}
    for k in range(7):
        item = replace(
            ITEM,
            index=k + 1,
            item_id=f"{k + 1:04d}-s",
            key=f"{k:064d}",
            site_name=f"S{k}",
            inputs=(("system.dc_capacity_kwp", str(100 * k)), ("note_col.x", "a")),
        )
        items.append(item)
        if k != 5:  # item 6 never ran: pending
            records[item.key] = _record(
                key=item.key,
                item_id=item.item_id,
                status="failed" if k == 2 else "ok",
                npv=NPVS[k],
                currency="EUR",
                weather_seed=k,
                notes="a | b",
            )
    tables = write_tables(
        items, lambda item: records.get(item.key), tmp_path, rank_by="npv",
        block_rows=2,
    )  # fmt: skip
    whole = results_frame(items, lambda item: records.get(item.key), rank_by="npv")
    parquet = pd.read_parquet(tmp_path / "results.parquet")
    pd.testing.assert_frame_equal(_plain(parquet), _plain(whole))
    csv = pd.read_csv(tmp_path / "results.csv")
    assert csv["status"].tolist() == ["ok", "ok", "failed", "ok", "ok", "pending", "ok"]
    assert csv["system.dc_capacity_kwp"].tolist() == [100.0 * k for k in range(7)]
    ranking = pd.read_csv(tmp_path / "ranking.csv")
    # NPV high first: 4 (item 2), the two 1s tie at rank 2 (items 4 and 7, in
    # input order), 0 (item 1) is 4th; item 3 failed, item 6 is pending
    assert ranking["item_id"].tolist() == [
        "0002-s", "0004-s", "0007-s", "0001-s", "0005-s",
    ]  # fmt: skip
    assert ranking["rank"].tolist()[:4] == [1, 2, 2, 4]
    assert np.isnan(ranking["rank"].iloc[4])  # no NPV: listed last, unranked
    assert len(tables.sites) == 7 and tables.files[0].name == "results.csv"
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for k in range(n):
        row = {name: rng.uniform(1, 2) for name in METRICS}
        row.update(
            index=k + 1,
            item_id=f"{k + 1:04d}-s{k}",
            status="failed" if k == 3 else "ok",
            site_name=f"Site {k}",
            scenario="p",
            latitude=32 + rng.uniform(0, 2),
            longitude=57 + rng.uniform(0, 3),
            dc_capacity_kwp=100.0 * (k + 1),
            currency="IRR",
        )
        row["npv"] = rng.uniform(1e9, 5e10)
        rows.append(row)
    frame = pd.DataFrame(rows)
    ok = frame["status"] == "ok"
    for metric in ("npv", "lcoe_real_per_kwh"):
        values = np.where(ok, frame[metric], np.nan)
        frame[f"rank_{metric}"] = ranks(values, ascending=metric in ASCENDING_METRICS)
    frame["rank"] = frame["rank_npv"]
    return frame


def test_ranking_lists_succeeded_items_best_first() -> None:
    frame = _frame(6)
    ranking = ranking_frame(frame, "npv")
    assert len(ranking) == 5 and "Site 3" not in set(ranking["site_name"])
    assert ranking["rank"].tolist() == [1, 2, 3, 4, 5]
    assert np.all(np.diff(ranking["npv"].to_numpy()) < 0)


def test_the_chart_labels_units_and_marks_failures() -> None:
    frame = _frame(8)
    figure = plot_sites(frame, rank_by="npv")
    ax, bar = figure.axes
    assert ax.get_xlabel() == "Longitude [°E]" and ax.get_ylabel() == "Latitude [°N]"
    assert bar.get_ylabel() == "NPV [billion IRR] (higher is better)"
    points, failed = ax.collections[:2]
    assert len(points.get_offsets()) == 7 and len(failed.get_offsets()) == 1
    sizes = points.get_sizes()  # area proportional to capacity
    capacity = frame.loc[frame["status"] == "ok", "dc_capacity_kwp"].to_numpy()
    assert np.allclose(sizes / sizes.max(), capacity / capacity.max())
    assert "1. " in " ".join(t.get_text() for t in ax.texts)  # ranks in the labels
    frame["rank"] = frame["rank_lcoe_real_per_kwh"]
    lcoe = plot_sites(frame, rank_by="lcoe")
    cmap = lcoe.axes[0].collections[0].get_cmap()
    assert isinstance(cmap, Colormap) and cmap.name == "viridis_r"  # low is best
    assert "lower is better" in lcoe.axes[1].get_ylabel()


def test_a_crowded_chart_rings_and_lists_the_best_ten() -> None:
    frame = _frame(60)
    figure = plot_sites(frame, rank_by="npv")
    ax, panel, bar = figure.axes
    listing = panel.texts[0].get_text()
    best = frame[frame["status"] == "ok"].sort_values("rank").head(10)
    assert listing.startswith("Best 10 (ringed)\n[billion IRR]")
    assert f" 1. {best['site_name'].iloc[0]}\n" in listing
    assert f"10. {best['site_name'].iloc[9]}\n" in listing
    rings = ax.collections[2]  # after the points and the failed crosses
    assert len(rings.get_offsets()) == 10
    assert sorted(t.get_text() for t in ax.texts) == sorted(map(str, range(1, 11)))
