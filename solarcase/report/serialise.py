"""Results as plain data: the JSON result contract and the tidy tables behind the CSVs.

Pure functions from a :class:`~solarcase.pipeline.ScenarioResult` to dicts and
DataFrames; :mod:`solarcase.report.files` writes them. NaN becomes ``null``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from solarcase import __version__
from solarcase.pipeline import ScenarioResult


def result_dict(result: ScenarioResult, *, scenario_file: str | None = None) -> dict:
    """The ``run --json`` object: DESIGN.md's result contract and more.

    Keys: ``solarcase_version``, ``scenario``, ``scenario_file``, ``currency``,
    ``metrics`` (the headline metrics; ratios as fractions, None where n/a),
    ``notes``, ``site``, ``system``, ``weather``, ``energy``, ``capex``, ``cashflow``
    (row name -> list over years 0..N) and ``inputs`` (the resolved scenario).
    """
    energy = result.energy
    meta = result.weather_meta
    table = result.cashflow
    annual_ghi = float(energy.hourly["ghi"].sum()) / 1000.0
    return _clean(
        {
            "solarcase_version": __version__,
            "scenario": result.scenario.name,
            "scenario_file": scenario_file,
            "currency": result.currency,
            "metrics": result.headline(),
            "notes": list(result.notes),
            "site": {
                "name": result.scenario.site.name,
                "latitude": result.site.latitude,
                "longitude": result.site.longitude,
                "altitude": result.site.altitude,
            },
            "system": {
                "dc_capacity_kwp": energy.layout.dc_capacity_kwp,
                "ac_capacity_kw": energy.layout.ac_capacity_kw,
                "mount": result.scenario.system.mount.type,
            },
            "weather": {
                "source": meta.source,
                "description": meta.description,
                "path": meta.path,
                "sha256": meta.sha256,
                "is_synthetic": meta.is_synthetic,
                "is_typical_year": meta.is_typical_year,
                "latitude": meta.latitude,
                "longitude": meta.longitude,
                "utc_offset_h": meta.utc_offset_h,
                "annual_ghi_kwh_per_m2": annual_ghi,
                "repairs": list(meta.repairs),
                "provenance": dict(meta.provenance),
            },
            "energy": {
                "annual_ac_energy_kwh": energy.annual_ac_energy_kwh,
                "annual_delivered_energy_kwh": energy.annual_delivered_energy_kwh,
                "clipped_energy_kwh": energy.clipped_energy_kwh,
                "by_year_kwh": result.energy_by_year_kwh.tolist(),
                "monthly": monthly_frame(result).reset_index().to_dict("records"),
                "losses": energy.losses.to_dict("records"),
            },
            "capex": dict(result.capex_items),
            "cashflow": {
                "years": table.years.tolist(),
                **{name: getattr(table, name)[0].tolist() for name in _cashflow_rows()},
            },
            "inputs": result.scenario.model_dump(mode="json"),
        }
    )


def _cashflow_rows() -> list[str]:
    from solarcase.finance.cashflow import ROW_ORDER

    return [name for name, _ in ROW_ORDER]


def cashflow_frame(result: ScenarioResult) -> pd.DataFrame:
    """The cash-flow table, rows = line items with units, columns = years 0..N."""
    return result.cashflow.to_frame(0, currency=result.currency)


def monthly_frame(result: ScenarioResult) -> pd.DataFrame:
    """Monthly irradiation and energy of the first operating year (index month)."""
    return result.energy.monthly.rename_axis("month")


def hourly_frame(result: ScenarioResult) -> pd.DataFrame:
    """Hourly results with the weather's local time stamps (interval starts)."""
    return result.energy.hourly.rename_axis("time")


def _clean(value: Any) -> Any:
    """Make a structure JSON-safe: NaN/inf -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
