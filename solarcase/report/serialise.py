"""Results as plain data: the JSON result contract and the tidy tables behind the CSVs.

Pure functions from a :class:`~solarcase.pipeline.ScenarioResult` to dicts and
DataFrames; :mod:`solarcase.report.files` writes them. NaN becomes ``null``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from solarcase import __version__
from solarcase.finance.rates import deflation_factors, real_from_nominal
from solarcase.pipeline import MONEY_METRICS, ScenarioResult
from solarcase.report.tables import scalar_input
from solarcase.units import RIAL_PER_TOMAN


def result_dict(result: ScenarioResult, *, scenario_file: str | None = None) -> dict:
    """The ``run --json`` object: DESIGN.md's result contract and more.

    Keys: ``solarcase_version``, ``scenario``, ``scenario_file``, ``currency``,
    ``metrics`` (the headline metrics; ratios as fractions, None where n/a),
    ``notes``, ``site``, ``system``, ``weather``, ``energy``, ``capex``,
    ``finance`` (rates, targets, exchange rates, hourly revenue factors),
    ``metrics_toman`` (money metrics in tomans for rial scenarios, else None),
    ``reference`` (metrics and flows in the reference currency, or None),
    ``cashflow`` (row name -> list over years 0..N) and ``inputs`` (the resolved
    scenario).
    """
    energy = result.energy
    meta = result.weather_meta
    table = result.cashflow
    annual_ghi = energy.annual_ghi_kwh_per_m2
    return json_clean(
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
            "finance": finance_dict(result),
            "metrics_toman": toman_metrics(result),
            "reference": reference_dict(result),
            "cashflow": {
                "years": table.years.tolist(),
                **{
                    name: (getattr(table, name)[0] + 0.0).tolist()
                    for name in _cashflow_rows()
                },
            },
            "inputs": result.scenario.model_dump(mode="json"),
        }
    )


def finance_dict(result: ScenarioResult) -> dict[str, Any]:
    """Rates, targets, exchange rates and hourly revenue factors behind the metrics."""
    inputs = result.finance_inputs
    factors = result.revenue_factors
    shares = factors.self_consumed_fraction
    settings = result.settings
    return {
        "discount_rate_nominal": scalar_input(inputs.discount_rate_nominal),
        "discount_rate_real": float(
            real_from_nominal(inputs.discount_rate_nominal, inputs.inflation_rate)
        ),
        "inflation_rate": scalar_input(inputs.inflation_rate),
        "revenue_scheme": result.scenario.finance.revenue.scheme,
        "time_of_day_factor": factors.time_of_day_factor,
        "self_consumed_fraction_by_year": None if shares is None else shares.tolist(),
        "targets": {
            "equity_irr": settings.target_equity_irr,
            "min_dscr": settings.target_dscr,
        },
        "mirr_rates": {
            "finance_rate": settings.mirr_finance_rate,
            "reinvestment_rate": settings.mirr_reinvestment_rate,
        },
        "breakeven_price_factor": result.solved.breakeven_price_factor[0],
        "exchange_rates": {
            code: path.tolist() for code, path in result.exchange_rates.items()
        },
    }


def toman_metrics(result: ScenarioResult) -> dict[str, Any] | None:
    """The money metrics in tomans (10 rials), for rial scenarios; else None."""
    if result.currency != "IRR":
        return None
    head = result.headline()
    values: dict[str, float | None] = {}
    for name in MONEY_METRICS:
        value = head[name]
        values[name] = None if value is None else value / RIAL_PER_TOMAN
    values["capex"] = sum(result.capex_items.values()) / RIAL_PER_TOMAN
    return values


def reference_dict(result: ScenarioResult) -> dict[str, Any] | None:
    """Metrics and flows in the reference currency, nominal and real; or None."""
    ref = result.reference
    if ref is None:
        return None
    metrics = {
        name: getattr(ref, name)[0]
        for name in (
            "npv",
            "equity_npv",
            "project_irr",
            "project_irr_real",
            "equity_irr",
            "equity_irr_real",
            "lcoe_nominal_per_kwh",
            "lcoe_real_per_kwh",
        )
    }
    return {
        "currency": result.reference_currency,
        "discount_rate_nominal": ref.discount_rate_nominal[0],
        "inflation_rate": ref.inflation_rate[0],
        "metrics": metrics,
        "cashflow": {
            "fx_rate": ref.fx[0].tolist(),
            "project_fcf": ref.project_fcf[0].tolist(),
            "equity_fcf": ref.equity_fcf[0].tolist(),
            "project_fcf_real": ref.project_fcf_real[0].tolist(),
        },
    }


def _cashflow_rows() -> list[str]:
    from solarcase.finance.cashflow import ROW_ORDER

    return [name for name, _ in ROW_ORDER]


def cashflow_frame(result: ScenarioResult) -> pd.DataFrame:
    """The cash-flow table, rows = line items with units, columns = years 0..N.

    After the table's rows (:data:`~solarcase.finance.cashflow.ROW_ORDER`): the
    project and equity flows in year-0 money of the model currency, and, with a
    reference currency, its exchange rate and the flows in it, nominal and real.
    """
    cur = result.currency
    frame = result.cashflow.to_frame(0, currency=cur)
    table = result.cashflow
    deflator = deflation_factors(
        result.finance_inputs.inflation_rate, n_years=len(table.years) - 1
    )[0]
    extra = {
        f"project free cash flow, real [{cur}, year-0 money]": table.project_fcf[0]
        * deflator,
        f"equity free cash flow, real [{cur}, year-0 money]": table.equity_fcf[0]
        * deflator,
    }
    ref = result.reference
    if ref is not None:
        code = result.reference_currency
        extra |= {
            f"exchange rate [{cur}/{code}]": ref.fx[0],
            f"project free cash flow [{code}]": ref.project_fcf[0],
            f"equity free cash flow [{code}]": ref.equity_fcf[0],
            f"project free cash flow, real [{code}, year-0 money]": (
                ref.project_fcf_real[0]
            ),
        }
    more = pd.DataFrame(
        list(extra.values()),
        index=pd.Index(list(extra), name="line item"),
        columns=frame.columns,
    )
    return pd.concat([frame, more])


def monthly_frame(result: ScenarioResult) -> pd.DataFrame:
    """Monthly irradiation and energy of the first operating year (index month)."""
    return result.energy.monthly.rename_axis("month")


def hourly_frame(result: ScenarioResult) -> pd.DataFrame:
    """Hourly results with the weather's local time stamps (interval starts)."""
    return result.energy.hourly.rename_axis("time")


def json_text(data: Any) -> str:
    """A JSON-ready structure as indented JSON text ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def json_clean(value: Any) -> Any:
    """Make a structure JSON-safe: NaN/inf -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): json_clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
