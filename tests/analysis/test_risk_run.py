"""Monte Carlo of a scenario: statistics, reproducibility, weather years, errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.special import ndtri

from solarcase.cases import HIGHER_IS_BETTER
from solarcase.energy import simulate as sim
from solarcase.errors import ScenarioError
from solarcase.risk import RISK_METRICS, run_risk, weather_years
from solarcase.scenario.risk import Risk

from .conftest import SCENARIOS, appraise


def _with_risk(result, risk: dict):
    scenario = result.scenario.model_copy(update={"risk": Risk.model_validate(risk)})
    return dataclasses.replace(result, scenario=scenario)


def test_zero_uncertainty_gives_the_run_result_at_every_px(birjand_loan) -> None:
    result, _, _ = birjand_loan
    found = run_risk(_with_risk(result, {}), n_draws=64, px=(95, 75))
    run = result.headline()
    expected = {**run, "lifetime_energy_kwh": result.energy_by_year_kwh.sum()}
    for metric in RISK_METRICS:
        for x in found.px:
            assert_allclose(
                found.main.summary.loc[metric, f"P{x:g}"],
                expected[metric],
                rtol=1e-12,
                err_msg=f"{metric} P{x:g}",
            )


def test_normal_yield_uncertainty_p90_over_p50_in_the_full_pipeline(birjand) -> None:
    # sigma = 5 %: P90/P50 of first-year energy is 1 - 1.2816 x 0.05 = 0.93592.
    # Tolerance: 4 sampling sds of the ratio, sigma sqrt(1.709^2 + 1.2533^2)/sqrt(n)
    # (the sds of the 10 % and 50 % sample quantiles of a normal, in sigmas), an
    # upper bound since the two estimates are positively correlated: 0.0030 here.
    result, _, _ = birjand
    sigma, n = 0.05, 20_000
    found = run_risk(
        _with_risk(result, {"energy": {"model_uncertainty": sigma}}), n_draws=n, seed=5
    )
    summary = found.main.summary
    ratio = (
        summary.loc["annual_energy_kwh", "P90"]
        / summary.loc["annual_energy_kwh", "P50"]
    )
    tolerance = 4 * sigma * np.hypot(1.709, 1.2533) / np.sqrt(n)
    assert abs(ratio - (1 + ndtri(0.1) * sigma)) < tolerance
    assert_allclose(
        summary.loc["annual_energy_kwh", "P50"],
        result.headline()["annual_energy_kwh"],
        rtol=4 * 1.2533 * sigma / np.sqrt(n),
    )


def test_px_are_ordered_for_every_metric_of_the_example() -> None:
    result, weather, meta = appraise(SCENARIOS / "birjand-1mw-loan-risk.yaml")
    found = run_risk(result, n_draws=2000, weather=weather, weather_meta=meta)
    summary = found.main.summary
    for metric in RISK_METRICS:
        p90, p50, p10 = summary.loc[metric, ["P90", "P50", "P10"]]
        assert p90 <= p50 <= p10, metric
        assert HIGHER_IS_BETTER[metric] == (not metric.startswith("lcoe"))
    assert 0 < found.main.probability_npv_negative < 1
    assert found.main.probability_dscr_breach == pytest.approx(
        np.mean(found.main.draws["min_dscr"] < 1.2)
    )


def test_seeded_runs_are_identical() -> None:
    result, weather, meta = appraise(SCENARIOS / "birjand-1mw-risk.yaml")
    first = run_risk(result, n_draws=500, seed=9, weather=weather, weather_meta=meta)
    again = run_risk(result, n_draws=500, seed=9, weather=weather, weather_meta=meta)
    other = run_risk(result, n_draws=500, seed=10, weather=weather, weather_meta=meta)
    pd.testing.assert_frame_equal(first.main.draws, again.main.draws, check_exact=True)
    assert not first.main.draws["npv"].equals(other.main.draws["npv"])


def test_the_risk_example_translates_all_draws_in_one_array_pass() -> None:
    # Every key of the example is array-transparent in the translator, so all draws
    # are translated at once; float() on the nominal discount rate or the year-0
    # exchange rate (3695d40) made it fall back to one translation per draw. The
    # per-value translations are the samples the array result is checked against:
    # the first and last draws and each key's smallest and largest.
    result, _, _ = appraise(SCENARIOS / "birjand-1mw-risk.yaml")
    found = run_risk(result, n_draws=500, seed=3)
    keys = [k for v in result.scenario.risk.variables.values() for k in v.keys]
    assert found.translations["array"] == 1
    assert found.translations["per_value"] <= 2 + 2 * len(keys)


def test_correlated_draws_reach_the_keys(birjand) -> None:
    result, _, _ = birjand
    risk = {
        "variables": {
            "inflation": {
                "keys": ["finance.inflation_rate"],
                "distribution": {"type": "normal", "mean": 0.4, "sd": 0.05},
            },
            "fx": {
                "keys": ["finance.exchange_rates.USD.escalation_rate"],
                "apply": "shift",
                "distribution": {"type": "uniform", "low": -0.1, "high": 0.1},
            },
        },
        "correlations": [["inflation", "fx", 0.8]],
    }
    draws = run_risk(_with_risk(result, risk), n_draws=3000).main.draws
    # inflation up -> nominal discount rate up -> NPV down, and the draws keep
    # their rank correlation
    rho = draws[["inflation", "fx"]].corr(method="spearman").iloc[0, 1]
    assert abs(rho - 0.8) < 4 / np.sqrt(3000)
    # one draw recomputed alone must give the same NPV (no mixing of cases)
    one = run_risk(
        _with_risk(
            result,
            {
                "variables": {
                    "inflation": {
                        "keys": ["finance.inflation_rate"],
                        "distribution": {
                            "type": "discrete",
                            "values": [float(draws["inflation"].iloc[7])],
                        },
                    },
                    "fx": {
                        "keys": ["finance.exchange_rates.USD.escalation_rate"],
                        "apply": "shift",
                        "distribution": {
                            "type": "discrete",
                            "values": [float(draws["fx"].iloc[7])],
                        },
                    },
                }
            },
        ),
        n_draws=1,
    )
    assert_allclose(one.main.draws["npv"].iloc[0], draws["npv"].iloc[7], rtol=1e-10)


def test_a_draw_the_key_rejects_names_the_variable(birjand) -> None:
    result, _, _ = birjand
    risk = {
        "variables": {
            "wild": {
                "keys": ["finance.inflation_rate"],
                "distribution": {"type": "normal", "mean": 0.4, "sd": 1.0},
            }
        }
    }
    with pytest.raises(ScenarioError, match="risk.variables.wild draw"):
        run_risk(_with_risk(result, risk), n_draws=1000)


def test_a_shift_of_a_key_the_scenario_does_not_set_names_the_variable(
    birjand,
) -> None:
    result, _, _ = birjand  # no late_payment section
    risk = {
        "variables": {
            "late": {
                "keys": ["finance.late_payment.share"],
                "apply": "shift",
                "distribution": {"type": "uniform", "low": 0.0, "high": 0.2},
            }
        }
    }
    with pytest.raises(
        ScenarioError,
        match="risk.variables.late: finance.late_payment.share: is not set in the "
        "scenario, so apply: shift has nothing to act on",
    ):
        run_risk(_with_risk(result, risk), n_draws=10)


def test_two_variables_cannot_move_one_key(birjand) -> None:
    result, _, _ = birjand
    dist = {"type": "uniform", "low": 0.3, "high": 0.5}
    risk = {
        "variables": {
            "a": {"keys": ["finance.inflation_rate"], "distribution": dist},
            "b": {"keys": ["finance.inflation_rate"], "distribution": dist},
        }
    }
    with pytest.raises(ScenarioError, match="moved by both a and b"):
        run_risk(_with_risk(result, risk), n_draws=10)


def _multi_year(weather: pd.DataFrame, meta, scales=(0.94, 1.0, 1.05)):
    """Three calendar years 2017-2019 from the typical year, irradiance scaled."""
    frames = []
    for year, scale in zip((2017, 2018, 2019), scales, strict=True):
        frame = weather.copy()
        frame[["ghi", "dni", "dhi"]] *= scale
        offset = pd.Timestamp(year, 1, 1) - pd.Timestamp(weather.index[0].year, 1, 1)
        frames.append(frame.set_axis(frame.index + offset))
    series = pd.concat(frames)
    return series, dataclasses.replace(
        meta, is_typical_year=False, years=(2017, 2018, 2019)
    )


def test_weather_years_simulate_each_year_and_give_empirical_px(birjand) -> None:
    result, weather, meta = birjand
    series, series_meta = _multi_year(weather, meta)
    years = weather_years(result, series, series_meta)
    assert years.years == (2017, 2018, 2019)
    availability = result.scenario.system.losses.availability
    for index, year in enumerate(years.years):
        # the year cut out of the series by hand (the sun's position depends a
        # little on the calendar year, so the typical year itself would differ)
        frame = series[series.index.year == year]
        alone = sim.simulate(frame, site=result.site, system=result.system)
        expected = alone.annual_ac_energy_kwh * (1 - availability)
        assert_allclose(years.energy_kwh[index], expected, rtol=1e-9)
    # empirical P90 of three values: the 10th percentile, 20 % of the way from the
    # lowest to the middle one (type 7: position 0.2 of 0..2)
    low, mid = np.sort(years.energy_kwh)[:2]
    assert_allclose(years.summary.loc["empirical", "P90"], low + 0.2 * (mid - low))
    assert_allclose(years.ratios.mean(), 1.0)


def test_weather_years_deliver_the_energy_after_curtailment() -> None:
    result, weather, meta = appraise(
        SCENARIOS / "birjand-1mw.yaml", ["system.losses.curtailment=0.1"]
    )
    series, series_meta = _multi_year(weather, meta)
    years = weather_years(result, series, series_meta)
    availability = result.scenario.system.losses.availability
    frame = series[series.index.year == 2018]
    alone = sim.simulate(frame, site=result.site, system=result.system)
    # year 1 of operation: AC energy x (1 - availability) x (1 - 0.10)
    expected = alone.annual_ac_energy_kwh * (1 - availability) * 0.9
    assert_allclose(years.energy_kwh[1], expected, rtol=1e-9)


def test_weather_year_monte_carlo_draws_operating_years_from_them() -> None:
    result, weather, meta = appraise(SCENARIOS / "birjand-1mw.yaml")
    series, series_meta = _multi_year(weather, meta)
    risk = {"energy": {"model_uncertainty": 0.0, "interannual_variability": 0.05}}
    found = run_risk(
        _with_risk(result, risk), n_draws=300, weather=series, weather_meta=series_meta
    )
    years = found.weather_years
    assert years is not None and years.risk is not None
    # without model uncertainty every year's factor is one of the years' ratios
    factors = years.risk.draws["energy_factor_year1"].unique()
    assert set(np.round(factors, 12)) <= set(np.round(years.ratios, 12))
    assert found.main.draws["energy_factor_year1"].nunique() == 300  # normal factors


def test_a_typical_year_has_no_weather_years(birjand) -> None:
    result, weather, meta = birjand
    assert weather_years(result, weather, meta) is None


def test_an_unknown_key_names_the_variable(birjand) -> None:
    result, _, _ = birjand
    risk = {
        "variables": {
            "infl": {
                "keys": ["finance.inflaton_rate"],
                "distribution": {"type": "uniform", "low": 0.3, "high": 0.5},
            }
        }
    }
    with pytest.raises(
        ScenarioError, match=r"risk.variables.infl.keys: .*did you mean"
    ):
        run_risk(_with_risk(result, risk), n_draws=10)
