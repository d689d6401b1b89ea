"""``solarcase sensitivity``, ``risk`` and ``breakeven`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from solarcase.cli import app

ROOT = Path(__file__).parents[2]
BIRJAND = ROOT / "scenarios" / "birjand-1mw.yaml"
RISK = ROOT / "scenarios" / "birjand-1mw-risk.yaml"
LOAN_RISK = ROOT / "scenarios" / "birjand-1mw-loan-risk.yaml"


def _invoke(*args: str, code: int = 0):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


def _json(*args: str) -> dict:
    return json.loads(_invoke(*args, "--json").stdout)


def _run_npv(path: Path, *sets: str) -> float:
    args = ["run", str(path), "--json"]
    for item in sets:
        args += ["--set", item]
    return json.loads(_invoke(*args).stdout)["metrics"]["npv"]


def test_tornado_bars_of_a_linear_input_match_finite_differences_of_run() -> None:
    key = "finance.operating_costs.fixed_om.per_kwp_year"
    data = _json("sensitivity", str(BIRJAND), "--vary", f"{key}=2000000:5000000")
    (bar,) = data["tornado"]["npv"]
    low = _run_npv(BIRJAND, f"{key}=2000000")
    high = _run_npv(BIRJAND, f"{key}=5000000")
    base = _run_npv(BIRJAND)
    assert_allclose([bar["low"], bar["high"]], [low, high], rtol=1e-9)
    assert_allclose(data["base"]["npv"], base, rtol=1e-12)
    # linear: the finite difference is the same on both sides of the base
    # (3,500,000 per kWp-year in the scenario)
    assert_allclose(
        (high - base) / (5e6 - 3.5e6), (base - low) / (3.5e6 - 2e6), rtol=1e-9
    )


def test_sensitivity_writes_tables_and_charts(tmp_path: Path) -> None:
    out = tmp_path / "sens"
    result = _invoke("sensitivity", str(RISK), "--out", str(out))
    assert "Sensitivity of NPV" in result.stdout
    names = {p.name for p in out.iterdir()}
    assert {"sensitivity.json", "sensitivity.csv", "tornado.csv"} <= names
    assert {"tornado_npv.png", "tornado_project_irr.png"} <= names
    cases = pd.read_csv(out / "sensitivity.csv")
    assert len(cases) == 1 + 2 * 9
    assert (out / "tornado_npv.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_risk_json_is_reproducible_and_states_the_convention() -> None:
    first = _json("risk", str(LOAN_RISK), "--draws", "400", "--seed", "3", "--px", "95")
    again = _json("risk", str(LOAN_RISK), "--draws", "400", "--seed", "3", "--px", "95")
    assert first["p_values"] == again["p_values"]
    assert first["convention"].startswith("Px is the value exceeded with probability x")
    assert first["px"] == [95.0, 90.0, 75.0, 50.0, 25.0, 10.0]
    npv = first["p_values"]["npv"]
    assert npv["P95"] <= npv["P90"] <= npv["P50"] <= npv["P10"]
    assert first["dscr_covenant"] == 1.2
    assert 0.0 <= first["probability"]["min_dscr_below_covenant"] <= 1.0
    other = _json("risk", str(LOAN_RISK), "--draws", "400", "--seed", "4")
    assert other["p_values"]["npv"]["P50"] != npv["P50"]


def test_risk_out_writes_draws_p_values_and_charts(tmp_path: Path) -> None:
    out = tmp_path / "risk"
    pdf = tmp_path / "report.pdf"
    _invoke(
        "risk", str(RISK), "--draws", "300", "--out", str(out), "--report", str(pdf)
    )
    draws = pd.read_csv(out / "draws.csv", index_col="draw")
    assert len(draws) == 300
    p_values = pd.read_csv(out / "p_values.csv", index_col="metric")
    # the P50 in the file is the median of the draws in the file
    assert_allclose(p_values.loc["npv", "P50"], np.median(draws["npv"]), rtol=1e-8)
    assert (out / "histograms.png").exists() and (out / "s_curves.png").exists()
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Risk: Monte Carlo" in text and "Sensitivity" in text
    assert "exceeded with probability" in text


def test_report_of_a_scenario_with_risk_has_risk_pages(tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    _invoke("report", str(LOAN_RISK), "--set", "risk.draws=200", "--pdf", str(pdf))
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Risk: Monte Carlo" in text and "What moves the NPV" in text


def test_breakeven_json_meets_the_target() -> None:
    key = "finance.revenue.base_price_per_kwh"
    data = _json("breakeven", str(BIRJAND), "--key", key, "--target", "npv=0")
    assert data["target"] == {"metric": "npv", "value": 0.0}
    npv = _run_npv(BIRJAND, f"{key}={data['breakeven_value']!r}")
    assert abs(npv) < 1.0  # rials, on an NPV of about 1.6e11
    text = _invoke("breakeven", str(BIRJAND), "--key", key).stdout
    assert "npv =" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk", str(BIRJAND)], "has no risk section"),
        (
            ["sensitivity", str(BIRJAND), "--vary", "finance.inflation_rate=30:50"],
            "fraction",
        ),
        (["sensitivity", str(BIRJAND), "--vary", "finance.nothing=1:2"], "no key"),
        (
            ["breakeven", str(BIRJAND), "--key", "finance.revenue.scheme"],
            "not a number",
        ),
        (
            [
                "breakeven",
                str(BIRJAND),
                "--key",
                "finance.inflation_rate",
                "--target",
                "irr=1",
            ],
            "--target",
        ),
        (
            [
                "breakeven",
                str(BIRJAND),
                "--key",
                "finance.inflation_rate",
                "--range",
                "5",
            ],
            "--range",
        ),
    ],
)
def test_user_errors_exit_1_with_a_message(args, message) -> None:
    result = _invoke(*args, code=1)
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_yield_key_in_the_monte_carlo_is_simulated_once_per_value(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "soiling.yaml"
    scenario.write_text(
        f"extends: {RISK}\n"
        "risk:\n"
        "  draws: 200\n"
        "  variables:\n"
        "    soiling:\n"
        "      keys: [system.losses.soiling]\n"
        "      distribution: {type: discrete, values: [0.03, 0.08]}\n",
        encoding="utf-8",
    )
    data = _json("risk", str(scenario))
    assert data["computation"]["simulations"] == 2
    assert data["p_values"]["annual_energy_kwh"]["P50"] > 0
    # the report has no weather to simulate with: it says so instead of failing
    pdf = tmp_path / "r.pdf"
    _invoke("report", str(scenario), "--pdf", str(pdf))
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "change the yield simulation" in " ".join(text.split())
