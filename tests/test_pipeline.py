"""The whole chain on real weather: formats agree, results are self-consistent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest
from numpy.testing import assert_allclose

from solarcase.pipeline import run_scenario, system_spec
from solarcase.scenario import models
from solarcase.scenario.load import load_scenario
from solarcase.weather.checks import check_weather
from solarcase.weather.site import load_site_weather
from solarcase.weather.sources import read_weather

DATA = Path(__file__).parent / "data"
VALID = DATA / "scenarios" / "valid.yaml"
PVGIS = [
    "tmy_45.000_8.000_2005_2023.csv",
    "tmy_45.000_8.000_2005_2023.json",
    "tmy_45.000_8.000_2005_2023.epw",
]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(VALID)


@pytest.fixture(scope="module")
def result(scenario):
    weather, meta = load_site_weather(scenario.site, where=str(VALID))
    return run_scenario(scenario, weather, meta)


def test_three_pvgis_formats_give_the_same_simulated_energy(scenario) -> None:
    energies = []
    for name in PVGIS:
        frame, meta = read_weather(DATA / "weather" / name)
        frame, meta = check_weather(frame, meta, where=name)
        energies.append(
            run_scenario(scenario, frame, meta).headline()["annual_energy_kwh"]
        )
    # the EPW rounds wind speed to 0.1 m/s, which moves cell temperature a little
    assert_allclose(energies, energies[0], rtol=2e-4)


def test_first_year_energy_is_the_simulated_delivered_energy(result) -> None:
    assert_allclose(
        result.energy_by_year_kwh[0],
        result.energy.annual_delivered_energy_kwh,
        rtol=1e-12,
    )
    assert_allclose(
        result.energy.annual_delivered_energy_kwh,
        result.energy.annual_ac_energy_kwh * (1 - 0.03),  # PVWatts default availability
        rtol=1e-12,
    )


def test_revenue_is_energy_times_the_escalating_price(result) -> None:
    table = result.cashflow
    years = np.arange(1, 21)
    # 0.10 EUR/kWh escalating 1 %/yr: p_t = 0.10 x 1.01^(t-1)
    assert_allclose(table.price_per_kwh[0, 1:], 0.10 * 1.01 ** (years - 1), rtol=1e-12)
    assert_allclose(
        table.revenue[0, 1:], result.energy_by_year_kwh * table.price_per_kwh[0, 1:]
    )


def test_npv_at_the_irr_is_zero_and_matches_numpy_financial(result) -> None:
    flows = result.cashflow.project_fcf[0]
    irr = result.metrics.project_irr[0]
    assert_allclose(npf.irr(flows), irr, rtol=1e-8)
    assert abs(npf.npv(irr, flows)) < 1e-6 * abs(flows[0])
    assert_allclose(npf.npv(0.06, flows), result.metrics.npv[0], rtol=1e-10)


def test_capex_is_per_kwp_times_the_simulated_capacity(result) -> None:
    assert result.capex_items == {"turnkey": pytest.approx(800 * 100)}
    assert result.cashflow.capex[0, 0] == pytest.approx(-80_000)


def test_time_of_day_hours_are_those_of_the_interval_midpoints() -> None:
    """PVGIS labels at UTC+1 fall at HH:41; the hour of an interval is that of its
    midpoint (HH+1:11), where the sun was placed, not of its label."""
    import pandas as pd

    from solarcase.pipeline import revenue_factors
    from solarcase.scenario.load import resolve_scenario

    birjand = Path(__file__).parents[1] / "scenarios" / "birjand-1mw.yaml"
    coefficients = [1.0] * 24
    coefficients[11] = 2.0
    scenario = resolve_scenario(
        birjand,
        overrides=[f"finance.revenue.time_of_day={{coefficients: {coefficients}}}"],
    ).scenario
    index = pd.date_range("1990-06-01 10:41", periods=3, freq="h", tz="UTC")
    # one kWh in the interval 10:41-11:41 (midpoint 11:11, hour 11), none elsewhere
    hourly = pd.DataFrame({"ac_energy_kwh": [1.0, 0.0, 0.0]}, index=index)
    factors = revenue_factors(scenario.finance.revenue, hourly, np.array([1.0]))
    # equivalent energy / energy = (1 kWh x 2.0) / 1 kWh = 2.0
    assert factors.time_of_day_factor == pytest.approx(2.0)


def test_curtailment_scales_every_year_but_not_the_performance_ratio() -> None:
    from solarcase.scenario.load import resolve_scenario

    scenario = resolve_scenario(
        VALID, overrides=["system.losses.curtailment=10%"]
    ).scenario
    weather, meta = load_site_weather(scenario.site, where=str(VALID))
    result = run_scenario(scenario, weather, meta)
    # year t: delivered x (1 - 0.10) x degradation factor (1 - 0.005 (t - 1))
    expected = (
        result.energy.annual_delivered_energy_kwh * 0.9 * (1 - 0.005 * np.arange(20))
    )
    assert_allclose(result.energy_by_year_kwh, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("name", "grows"),
    [
        ("birjand-1mw-cooperative.yaml", True),
        ("birjand-1mw-subsidised-loan.yaml", False),
    ],
)
def test_a_growing_debt_balance_is_noted(name: str, grows: bool) -> None:
    path = Path(__file__).parents[1] / "scenarios" / name
    scenario = load_scenario(path)
    weather, meta = load_site_weather(scenario.site, where=str(path))
    result = run_scenario(scenario, weather, meta)
    balance = result.cashflow.debt_balance[0]
    # the note says what the table shows: some year ends with more debt than it began
    assert bool((np.diff(balance[1:]) > 0).any()) is grows
    assert any("negative amortisation" in n for n in result.notes) is grows


@pytest.mark.parametrize(
    ("latitude", "stated", "expected"),
    [(45.0, None, 180.0), (-30.0, None, 0.0), (-30.0, 135.0, 135.0)],
)
def test_a_mount_built_in_code_without_an_azimuth_faces_the_equator(
    scenario, latitude: float, stated: float | None, expected: float
) -> None:
    # The YAML path fills an omitted azimuth before validation; a Scenario built
    # from model objects skips that step and used to fail with "must lie in
    # [0, 360], got None". The field's documented default: 180 north of the
    # equator, 0 south of it; a stated azimuth is kept.
    mount = models.FixedMount(type="fixed", surface_tilt=30.0, surface_azimuth=stated)
    built = scenario.model_copy(
        update={
            "site": scenario.site.model_copy(update={"latitude": latitude}),
            "system": scenario.system.model_copy(update={"mount": mount}),
        }
    )
    assert built.system.mount.surface_azimuth == stated
    assert system_spec(built).mount.surface_azimuth == expected
