"""Write a run's results to disk, atomically (through :mod:`solarcase.atomic`)."""

from __future__ import annotations

from pathlib import Path

from solarcase.atomic import (
    figure_png,
    write_files_atomically,
    write_text_atomically,
)
from solarcase.pipeline import ScenarioResult
from solarcase.report.serialise import (
    cashflow_frame,
    hourly_frame,
    json_text,
    monthly_frame,
    result_dict,
)

__all__ = [
    "figure_png",
    "result_json",
    "write_files_atomically",
    "write_run_outputs",
    "write_text_atomically",
]


def result_json(result: ScenarioResult, *, scenario_file: str | None = None) -> str:
    """The result contract as indented JSON text."""
    return json_text(result_dict(result, scenario_file=scenario_file))


def write_run_outputs(
    result: ScenarioResult, out_dir: Path, *, scenario_file: str | None = None
) -> list[Path]:
    """Write result.json, cashflow.csv, monthly.csv and hourly.csv into ``out_dir``.

    Returns
    -------
    paths : list of Path
        The files written.

    Raises
    ------
    OutputError
        If the directory cannot be created or written; nothing is left behind.
    """
    contents = {
        "result.json": result_json(result, scenario_file=scenario_file),
        "cashflow.csv": cashflow_frame(result).to_csv(float_format="%.6g"),
        "monthly.csv": monthly_frame(result).to_csv(float_format="%.6g"),
        "hourly.csv": hourly_frame(result).to_csv(float_format="%.6g"),
    }
    return write_files_atomically(out_dir, contents)
