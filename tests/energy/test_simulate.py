"""Tests of the yield model against pvlib called directly, hand geometry and invariants.

The cross-check with NREL PVWatts v8 is in ``test_pvwatts_v8.py``; solar position and
row shading in ``test_shading.py``; the spec checks in ``test_specs.py``, the weather
checks in ``test_inputs.py``; sizing in ``test_plant.py``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.energy import simulate as sim
from solarcase.energy.simulate import (
    HOURLY_COLUMNS,
    LOSS_COLUMNS,
    LOSS_STEPS,
    MONTHLY_COLUMNS,
    PVWATTS_DEFAULT_LOSSES,
    CecInverter,
    CecModule,
    FixedMount,
    LossBudget,
    PvwattsInverter,
    PvwattsModule,
    SingleAxisMount,
    SystemSpec,
    check_system,
    simulate,
    solar_position,
)
from solarcase.errors import ScenarioError, SolarcaseWarning

CS1H = "Canadian Solar Inc. CS1H-320MS"  # the module PVWatts v8 models as 'standard'
GLASS = {"n": 1.526, "K": 4.0, "L": 0.002, "n_ar": 1.3}
AM_DESOTO = {
    "A0": 0.918093,
    "A1": 0.086257,
    "A2": -0.024459,
    "A3": 0.002816,
    "A4": -0.000126,
}


def pvwatts_system(mount=None, *, dc=1000.0, ratio=1.2, losses=PVWATTS_DEFAULT_LOSSES):
    return SystemSpec(
        dc,
        dc / ratio,
        mount or FixedMount(30.0),
        PvwattsModule(),
        PvwattsInverter(),
        losses,
    )


def days(frame: pd.DataFrame, start: str, count: int) -> pd.DataFrame:
    begin = frame.index.get_indexer([pd.Timestamp(start, tz=frame.index.tz)])[0]
    return frame.iloc[begin : begin + 24 * count].copy()


def quiet_simulate(frame, **kwargs):
    """simulate() on a partial year, where it warns that it extrapolates."""
    with pytest.warns(SolarcaseWarning, match="extrapolated"):
        return simulate(frame, **kwargs)


# ---------------------------------------------------- the wrapper equals pvlib itself


def pvlib_by_hand(frame, site, *, tilt, azimuth, losses):
    """POA and DC power with pvlib called directly: no ModelChain, same choices."""
    mid = frame.index + pd.Timedelta(minutes=30)
    pressure = pvlib.atmosphere.alt2pres(site.altitude)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pos = pvlib.solarposition.ephemeris(
            mid, site.latitude, site.longitude, pressure=pressure
        )
        dni_extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    pos.index = frame.index  # evaluated at the midpoints, labelled by interval start
    app, azi = pos["apparent_zenith"], pos["azimuth"]
    # pvlib's own pairing: Kasten-Young air mass from the apparent zenith
    # (Location.get_airmass); the spectral modifier caps that zenith at 86° (SAM).
    location = pvlib.location.Location(
        site.latitude, site.longitude, altitude=site.altitude
    )
    airmass = location.get_airmass(solar_position=pos, model="kastenyoung1989")
    capped = pos.assign(apparent_zenith=np.minimum(app, 86.0))
    airmass_capped = location.get_airmass(solar_position=capped)["airmass_absolute"]
    poa = pvlib.irradiance.get_total_irradiance(
        tilt,
        azimuth,
        app,
        azi,
        frame["dni"],
        frame["ghi"],
        frame["dhi"],
        dni_extra=dni_extra,
        airmass=airmass["airmass_relative"],
        albedo=0.2,
        model="perez",
    )
    beam = poa["poa_direct"].where(app < 90, 0.0).fillna(0.0)
    sky = poa["poa_sky_diffuse"].fillna(0.0)
    ground = poa["poa_ground_diffuse"].fillna(0.0)
    aoi = pvlib.irradiance.aoi(tilt, azimuth, app, azi)
    iam_beam = pvlib.iam.physical(aoi, **GLASS).where(aoi < 90, 0.0)
    iam_sky = pvlib.iam.physical(59.7 - 0.1388 * tilt + 0.001497 * tilt**2, **GLASS)
    iam_ground = pvlib.iam.physical(90 - 0.5788 * tilt + 0.002693 * tilt**2, **GLASS)
    spectral = pvlib.spectrum.spectral_factor_sapm(airmass_capped, AM_DESOTO)
    effective = (beam * iam_beam + sky * iam_sky + ground * iam_ground) * spectral
    effective = effective * (1 - losses.soiling)
    poa_global = beam + sky + ground
    lit = poa_global > 0
    temp_cell = frame["temp_air"].copy()
    temp_cell[lit] = pvlib.temperature.noct_sam(
        poa_global[lit] * (1 - losses.soiling),
        frame["temp_air"][lit],
        frame["wind_speed"][lit],
        45.0,
        0.19,
        effective_irradiance=effective[lit],
    )
    return poa_global, temp_cell, effective


@pytest.mark.parametrize("start", ["1990-06-10", "1990-12-10"])
def test_pvwatts_chain_equals_pvlib_called_directly(tmy3, start):
    frame, site = tmy3
    frame = days(frame, start, 3)
    system = pvwatts_system(FixedMount(30.0, 170.0), ratio=1.5)
    ours = quiet_simulate(frame, site=site, system=system).hourly
    poa, temp_cell, effective = pvlib_by_hand(
        frame, site, tilt=30.0, azimuth=170.0, losses=system.losses
    )
    dc_w = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, 1e6, -0.0037)
    dc_w = dc_w * (1 - PVWATTS_DEFAULT_LOSSES.other_dc_loss_fraction)
    ac_w = pvlib.inverter.pvwatts(dc_w, 1e6 / 1.5 / 0.96, 0.96, 0.9637)
    assert poa.max() > 600  # sunny days are in the window
    assert_allclose(ours["poa_global"], poa, rtol=1e-9, atol=1e-9)
    assert_allclose(ours["temp_cell"], temp_cell, rtol=1e-9, atol=1e-9)
    assert_allclose(ours["dc_power_kw"], dc_w / 1000, rtol=1e-9, atol=1e-9)
    assert_allclose(ours["ac_power_kw"], ac_w / 1000, rtol=1e-9, atol=1e-9)


def test_cec_chain_equals_pvlib_single_diode(tmy3):
    frame, site = tmy3
    frame = days(frame, "1990-07-01", 2)
    system = SystemSpec(
        100.0, 80.0, FixedMount(30.0), CecModule(CS1H), PvwattsInverter(), LossBudget()
    )
    result = quiet_simulate(frame, site=site, system=system)
    module = pvlib.pvsystem.retrieve_sam("CECMod")["Canadian_Solar_Inc__CS1H_320MS"]
    count = round(100e3 / module["STC"])  # whole modules nearest to 100 kWp
    assert result.layout.module_count == count
    assert_allclose(result.layout.dc_capacity_kwp, count * module["STC"] / 1000)
    _, temp_cell, effective = pvlib_by_hand(
        frame, site, tilt=30.0, azimuth=180.0, losses=LossBudget()
    )
    efficiency = module["STC"] / (module["A_c"] * 1000)  # noct_sam needs the module's
    lit = effective > 0
    poa = result.hourly["poa_global"]
    temp_cell[lit] = pvlib.temperature.noct_sam(
        poa[lit],
        frame["temp_air"][lit],
        frame["wind_speed"][lit],
        45.0,
        efficiency,
        effective_irradiance=effective[lit],
    )
    params = pvlib.pvsystem.calcparams_cec(
        effective[lit],
        temp_cell[lit],
        module["alpha_sc"],
        module["a_ref"],
        module["I_L_ref"],
        module["I_o_ref"],
        module["R_sh_ref"],
        module["R_s"],
        module["Adjust"],
    )
    p_mp = pvlib.pvsystem.max_power_point(*params, method="brentq")["p_mp"]
    expected_kw = pd.Series(0.0, index=frame.index)
    expected_kw[lit] = np.asarray(p_mp) * count / 1000
    assert_allclose(result.hourly["dc_power_kw"], expected_kw, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------- a shared solar position


def test_precomputed_solar_position_gives_the_same_result(tmy3):
    frame, site = tmy3
    position = solar_position(frame.index, site)
    system = pvwatts_system(SingleAxisMount())
    shared = simulate(frame, site=site, system=system, solar_position=position)
    alone = simulate(frame, site=site, system=system)
    pd.testing.assert_frame_equal(shared.hourly, alone.hourly)
    with pytest.raises(ValueError, match="solar_position"):
        simulate(frame, site=site, system=system, solar_position=position.iloc[:-1])


# ---------------------------------------------------------------- invariants


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    scale=st.floats(0.01, 1000.0),
    ratio=st.floats(0.9, 1.6),
    tracked=st.booleans(),
)
def test_energy_scales_with_capacity(tmy3, scale, ratio, tracked):
    frame, site = tmy3
    mount = SingleAxisMount() if tracked else FixedMount(30.0, gcr=0.5)
    base = simulate(frame, site=site, system=pvwatts_system(mount, ratio=ratio))
    big = simulate(
        frame, site=site, system=pvwatts_system(mount, dc=1000.0 * scale, ratio=ratio)
    )
    assert_allclose(
        big.annual_delivered_energy_kwh,
        scale * base.annual_delivered_energy_kwh,
        rtol=1e-9,
    )
    assert_allclose(big.specific_yield_kwh_per_kwp, base.specific_yield_kwh_per_kwp)
    assert_allclose(
        big.losses["loss_fraction"], base.losses["loss_fraction"], atol=1e-12
    )


def test_doubling_both_capacities_doubles_energy(pvgis_tmy):
    frame, site = pvgis_tmy
    one = simulate(frame, site=site, system=pvwatts_system(dc=500.0))
    two = simulate(frame, site=site, system=pvwatts_system(dc=1000.0))
    assert_allclose(
        two.annual_delivered_energy_kwh, 2 * one.annual_delivered_energy_kwh
    )
    assert_allclose(two.hourly["ac_energy_kwh"], 2 * one.hourly["ac_energy_kwh"])


fraction = st.floats(0.0, 0.2)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    soiling=fraction,
    shading=fraction,
    mismatch=fraction,
    availability=fraction,
    ratio=st.floats(1.0, 1.8),
)
def test_waterfall_adds_up_and_each_item_takes_its_fraction(
    pvgis_tmy, soiling, shading, mismatch, availability, ratio
):
    frame, site = pvgis_tmy
    losses = LossBudget(
        soiling=soiling, shading=shading, mismatch=mismatch, availability=availability
    )
    result = simulate(
        frame,
        site=site,
        system=pvwatts_system(FixedMount(35.0, gcr=0.45), ratio=ratio, losses=losses),
    )
    table = result.losses.set_index("step")
    energy, loss = table["energy_kwh"], table["loss_kwh"]
    assert list(table.index) == list(LOSS_STEPS)
    # Exact sum: reference energy minus every step's loss is the delivered energy.
    assert_allclose(energy.iloc[0] - loss.sum(), result.annual_delivered_energy_kwh)
    assert_allclose(energy.iloc[-1], result.annual_delivered_energy_kwh, rtol=1e-12)
    assert_allclose(energy.iloc[-2], result.annual_ac_energy_kwh, rtol=1e-12)
    assert_allclose(loss.iloc[1:], -np.diff(energy.to_numpy()), rtol=1e-12)
    fractions = table["loss_fraction"]
    assert_allclose(fractions["soiling"], soiling, atol=1e-12)
    assert_allclose(fractions["availability"], availability, atol=1e-12)
    # 1 - (1 - shading)(1 - mismatch): the other DC items combine as in PVWatts.
    other = 1 - (1 - shading) * (1 - mismatch)
    assert_allclose(fractions["dc_losses"], other, atol=1e-12)
    assert fractions["module_model"] == 0.0  # the linear PVWatts module
    assert_allclose(loss["clipping"], result.clipped_energy_kwh, rtol=1e-9, atol=1e-9)
    assert loss["transposition"] < 0  # tilting gains irradiation
    assert (loss.drop(["transposition", "spectral"]) >= -1e-9).all()


def test_annual_figures_are_consistent(tmy3):
    frame, site = tmy3
    before = frame.copy()
    result = simulate(frame, site=site, system=pvwatts_system(ratio=1.5))
    pd.testing.assert_frame_equal(frame, before)  # the input is not modified
    hourly, monthly = result.hourly, result.monthly
    assert list(hourly.columns) == list(HOURLY_COLUMNS)
    assert list(monthly.columns) == list(MONTHLY_COLUMNS)
    assert list(result.losses.columns) == list(LOSS_COLUMNS)
    assert hourly.index.equals(frame.index)
    assert list(monthly.index) == list(range(1, 13))
    # One typical year of 8,760 h: annual = sum of hours = sum of months.
    assert_allclose(hourly["ac_energy_kwh"].sum(), result.annual_ac_energy_kwh)
    assert_allclose(monthly["ac_energy_kwh"].sum(), result.annual_ac_energy_kwh)
    delivered = result.annual_ac_energy_kwh * (1 - PVWATTS_DEFAULT_LOSSES.availability)
    assert_allclose(result.annual_delivered_energy_kwh, delivered)
    assert_allclose(monthly["delivered_energy_kwh"].sum(), delivered)
    assert_allclose(monthly["ghi_kwh_per_m2"].sum(), frame["ghi"].sum() / 1000)
    assert_allclose(result.annual_ghi_kwh_per_m2, frame["ghi"].sum() / 1000)
    poa_kwh_per_m2 = hourly["poa_global"].sum() / 1000
    assert_allclose(result.performance_ratio, delivered / (poa_kwh_per_m2 * 1000.0))
    assert_allclose(result.specific_yield_kwh_per_kwp, delivered / 1000.0)
    assert_allclose(result.capacity_factor, delivered / (1000.0 * 8760))
    assert_allclose(result.losses["energy_kwh"][0], frame["ghi"].sum())  # x 1 kWp/kW
    ac_capacity_kw = 1000.0 / 1.5
    assert hourly["ac_power_kw"].max() <= ac_capacity_kw * (1 + 1e-12)
    assert result.clipped_energy_kwh > 0
    assert_allclose(result.clipped_energy_kwh, hourly["clipped_power_kw"].sum())
    clipped_hours = hourly["clipped_power_kw"] > 0
    assert_allclose(hourly["ac_power_kw"][clipped_hours], ac_capacity_kw)
    assert 0.7 < result.performance_ratio < 0.9


def test_annual_figures_of_a_two_year_frame_are_per_year(tmy3):
    frame, site = tmy3
    later = frame.copy()
    later.index = frame.index + pd.Timedelta(hours=8760)  # the same year, a year on
    later["ghi"] = frame["ghi"].to_numpy() * 0.5  # ... with half the GHI
    two_years = pd.concat([frame, later])
    system = pvwatts_system(FixedMount(30.0, gcr=0.4))
    one = simulate(frame, site=site, system=system)
    both = simulate(two_years, site=site, system=system)
    # By hand: TMY3 Greensboro sums to 1,566,203 Wh/m² of GHI over its 8,760 h; the
    # second year has half of it. (1,566,203 + 783,101.5) / 1000 / 2 years
    # = 1,174.65 kWh/m² per year.
    assert_allclose(frame["ghi"].sum(), 1_566_203.0)
    assert_allclose(both.annual_ghi_kwh_per_m2, 1174.65225, rtol=1e-12)
    assert_allclose(one.annual_ghi_kwh_per_m2, 1566.203, rtol=1e-12)
    # The horizontal reference of the waterfall is the same per-year GHI x kWp.
    assert_allclose(both.losses["energy_kwh"][0], both.annual_ghi_kwh_per_m2 * 1000.0)
    assert_allclose(both.monthly["ghi_kwh_per_m2"].sum(), both.annual_ghi_kwh_per_m2)


# ----------------------------------------------------------------- components


def test_inverter_curves_before_clipping_equal_pvlib_where_not_clipped():
    dc_w = np.linspace(0.0, 1500.0, 301)
    unclipped = sim._pvwatts_unclipped_w(dc_w, 1000.0, 0.96, 0.9637)
    clipped = pvlib.inverter.pvwatts(dc_w, 1000.0, 0.96, 0.9637)
    assert_allclose(np.minimum(unclipped, 960.0), clipped, atol=1e-9)
    assert unclipped[-1] > 960.0
    unit = pvlib.pvsystem.retrieve_sam("cecinverter")[
        "Yaskawa_Solectria_Solar__XGI_1500_125_125__600V_"
    ]
    power = np.linspace(0.0, 1.4 * unit["Pdco"], 200)
    volts = np.full_like(power, 800.0)
    expected = np.maximum(pvlib.inverter.sandia(volts, power, unit), 0.0)
    assert_allclose(
        np.minimum(sim._sandia_unclipped_w(volts, power, unit), unit["Paco"]),
        expected,
        atol=1e-6,
    )


def test_cec_strings_respect_the_inverter_voltage_window(tmy3):
    frame, site = tmy3
    name = "Yaskawa_Solectria_Solar__XGI_1500_125_125__600V_"
    system = SystemSpec(
        1000.0,
        800.0,
        FixedMount(30.0),
        CecModule(CS1H),
        CecInverter(name),
        PVWATTS_DEFAULT_LOSSES,
    )
    with pytest.warns(SolarcaseWarning, match=r"ac_capacity_kw.*747\.7, not 800") as w:
        result = simulate(frame, site=site, system=system)  # 6 units of 124.6 kW
    assert w[0].filename == __file__  # the warning points at the caller
    module = pvlib.pvsystem.retrieve_sam("CECMod")["Canadian_Solar_Inc__CS1H_320MS"]
    unit = pvlib.pvsystem.retrieve_sam("cecinverter")[name]
    # Voc at -10 °C: 43.3 V + beta_oc * (-35 K); strings: floor(min(Vdcmax / Voc_cold,
    # Mppt_high / Vmp)); strings rounded to the nearest whole number of kWp.
    voc_cold = module["V_oc_ref"] + module["beta_oc"] * (-35.0)
    series = math.floor(
        min(unit["Vdcmax"] / voc_cold, unit["Mppt_high"] / module["V_mp_ref"])
    )
    strings = round(1e6 / (series * module["STC"]))
    layout = result.layout
    assert layout.modules_per_string == series
    assert layout.string_count == strings
    assert layout.inverter_count == round(800e3 / unit["Paco"])
    assert_allclose(layout.ac_capacity_kw, layout.inverter_count * unit["Paco"] / 1000)
    assert_allclose(layout.dc_capacity_kwp, strings * series * module["STC"] / 1000)
    assert series * module["V_mp_ref"] >= unit["Mppt_low"]
    assert 1300 < result.specific_yield_kwh_per_kwp < 1600


def test_weather_albedo_column_wins_over_the_scalar(tmy3):
    frame, site = tmy3
    bright = pvwatts_system()
    bright = SystemSpec(**{**_fields(bright), "albedo": 0.6})
    with_column = frame.assign(albedo=0.6)
    a = simulate(with_column, site=site, system=pvwatts_system())
    b = simulate(frame, site=site, system=bright)
    assert_allclose(a.annual_delivered_energy_kwh, b.annual_delivered_energy_kwh)
    missing = frame.assign(albedo=np.nan)  # invalid values fall back to the scalar
    c = simulate(missing, site=site, system=pvwatts_system())
    d = simulate(frame, site=site, system=pvwatts_system())
    assert_allclose(c.annual_delivered_energy_kwh, d.annual_delivered_energy_kwh)


def _fields(spec: SystemSpec) -> dict:
    return {name: getattr(spec, name) for name in spec.__slots__}


# ---------------------------------------------- CEC names and strings: check_system

ENPHASE_IQ7 = "Enphase_Energy_Inc___IQ7_60_x_ACM_US__208V_"  # a 37 V microinverter
FIRST_SOLAR = "First Solar, Inc. FS-6435A"  # a 220 V thin-film module


def cec_system(module: str, inverter: str | None = None, *, ac_kw: float = 80.0):
    unit = PvwattsInverter() if inverter is None else CecInverter(inverter)
    return SystemSpec(
        100.0, ac_kw, FixedMount(30.0), CecModule(module), unit, LossBudget()
    )


def test_cec_names_are_checked_when_the_plant_is_built_not_when_specified(tmy3):
    frame, site = tmy3
    system = cec_system("Canadian Solar CS1H-320M")  # created: specs need no pvlib
    # The message names the key and the bad value, and suggests the closest names.
    expected = (
        r"system\.module\.name: no entry in pvlib's CEC database \(CECMod\), "
        r"got 'Canadian Solar CS1H-320M'; did you mean \[.*CS1H_320MS.*\]\?"
    )
    with pytest.raises(ScenarioError, match=expected):
        check_system(system)
    with pytest.raises(ScenarioError, match=expected):
        simulate(frame, site=site, system=system)


def test_check_system_names_the_inverter_key_and_lists_every_unknown_name():
    with pytest.raises(ScenarioError, match=r"^system\.inverter\.name: .*got 'Yaskawa"):
        check_system(cec_system(CS1H, "Yaskawa XGI 1500-125/125 (600V)x"))
    with pytest.raises(ScenarioError) as err:
        check_system(cec_system("no such module", "no such inverter"))
    lines = str(err.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "system.module.name",
        "system.inverter.name",
    ]
    assert "got 'no such inverter'" in lines[1]


def test_check_system_rejects_a_module_that_cannot_form_a_string():
    # FS-6435A: V_oc_ref 219.6 V; the IQ7 accepts at most 37 V: not even one module.
    module = pvlib.pvsystem.retrieve_sam("CECMod")["First_Solar__Inc__FS_6435A"]
    unit = pvlib.pvsystem.retrieve_sam("cecinverter")[ENPHASE_IQ7]
    assert module["V_oc_ref"] > unit["Vdcmax"]
    with pytest.raises(ScenarioError, match=r"no string of 'First_Solar.*27-37 V"):
        check_system(cec_system(FIRST_SOLAR, ENPHASE_IQ7, ac_kw=0.24))


def test_check_system_accepts_valid_plants_and_warns_where_the_caller_is():
    assert check_system(pvwatts_system()) is None
    assert check_system(cec_system(CS1H)) is None
    yaskawa = "Yaskawa Solectria Solar XGI 1500-125/125 (600V)"  # normalised name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_system(cec_system(CS1H, yaskawa, ac_kw=100.0))  # 1 unit of 124.6 kW
    assert [str(w.message).split(":")[0] for w in caught] == ["system.ac_capacity_kw"]
    assert caught[0].category is SolarcaseWarning
    assert caught[0].filename == __file__  # stacklevel points at this call
