"""Tests of CEC name matching and plant sizing on hand-made names and records, with
the arithmetic in comments."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from solarcase.energy.plant import (
    normalise_name,
    size_plant,
    string_length,
    unknown_name,
)
from solarcase.energy.specs import (
    CecInverter,
    CecModule,
    FixedMount,
    LossBudget,
    PvwattsInverter,
    PvwattsModule,
    SystemSpec,
)
from solarcase.errors import ScenarioError, SolarcaseWarning

MODULE = pd.Series(
    {
        "V_oc_ref": 50.0,
        "beta_oc": -0.15,
        "V_mp_ref": 40.0,
        "STC": 400.0,
        "gamma_r": -0.35,
        "A_c": 2.0,
    },
    name="Module_X",
)
INVERTER = pd.Series(
    {"Vdcmax": 600.0, "Mppt_low": 200.0, "Mppt_high": 480.0, "Paco": 100_000.0},
    name="Inverter_Y",
)


def system(dc_kwp: float, ac_kw: float, *, cec: bool = True) -> SystemSpec:
    return SystemSpec(
        dc_kwp,
        ac_kw,
        FixedMount(30.0),
        CecModule("Module X") if cec else PvwattsModule("premium"),
        CecInverter("Inverter Y") if cec else PvwattsInverter(),
        LossBudget(),
    )


def test_string_length_by_hand():
    # Voc at -10 °C: 50 V + (-0.15 V/K) x (-35 K) = 55.25 V; 600 / 55.25 = 10.86 and
    # 480 V / 40 V = 12, so 10 modules; 10 x 40 V = 400 V >= 200 V.
    assert string_length(MODULE, INVERTER) == 10


@pytest.mark.parametrize(
    "inverter",
    [
        pd.Series({**INVERTER, "Vdcmax": 40.0}, name="Inverter_Y"),  # < one Voc
        pd.Series({**INVERTER, "Mppt_low": 450.0}, name="Inverter_Y"),  # 400 < 450 V
    ],
)
def test_string_outside_the_voltage_window_is_a_scenario_error(inverter):
    with pytest.raises(ScenarioError, match=r"no string of 'Module_X'.*'Inverter_Y'"):
        string_length(MODULE, inverter)


def test_cec_plant_counts_by_hand():
    # Inverters: round(830 kW / 100 kW) = 8 -> 800 kW (3.6 % below: no warning).
    # Strings of 10 x 400 W = 4 kW: round(1001 kWp / 4 kWp) = 250 -> 2,500 modules,
    # 1,000 kWp. gamma = -0.35 %/K; efficiency = 400 W / (2 m² x 1000 W/m²) = 0.2.
    plant = size_plant(system(1001.0, 830.0), module=MODULE, inverter_unit=INVERTER)
    layout = plant.layout
    assert (layout.inverter_count, layout.modules_per_string) == (8, 10)
    assert (layout.string_count, layout.module_count) == (250, 2500)
    assert_allclose([layout.dc_capacity_kwp, layout.ac_capacity_kw], [1000.0, 800.0])
    assert_allclose([plant.stc_power_w, plant.gamma_pdc], [1e6, -0.0035])
    assert_allclose(plant.efficiency, 0.2)
    # Without a CEC inverter, whole modules: round(1001 kWp / 0.4 kWp) = 2,502.
    alone = size_plant(system(1001.0, 830.0), module=MODULE, inverter_unit=None)
    assert alone.layout.module_count == 2502
    assert alone.layout.modules_per_string is None


def test_capacity_far_from_the_request_warns():
    # round(760 / 100) = 8 units = 800 kW: 5.3 % above the request.
    with pytest.warns(SolarcaseWarning, match=r"ac_capacity_kw: .*800, not 760"):
        size_plant(system(1000.0, 760.0), module=MODULE, inverter_unit=INVERTER)


def test_pvwatts_parts_keep_the_requested_capacity():
    plant = size_plant(system(123.4, 100.0, cec=False), module=None, inverter_unit=None)
    layout = plant.layout
    assert (layout.dc_capacity_kwp, layout.ac_capacity_kw) == (123.4, 100.0)
    assert layout.module_count is None and layout.inverter_count is None
    assert plant.gamma_pdc == -0.0035  # PVWatts v8 'premium'
    assert plant.efficiency == 0.21


def test_names_match_whatever_the_punctuation_and_case():
    table_name = "Canadian_Solar_Inc__CS1H_320MS"
    assert (
        normalise_name("Canadian Solar Inc. CS1H-320MS")
        == "canadian_solar_inc_cs1h_320ms"
    )
    assert normalise_name(table_name) == normalise_name(
        " canadian solar inc cs1h/320ms "
    )
    known = {normalise_name(table_name): table_name}
    assert (
        unknown_name("CANADIAN SOLAR INC. CS1H-320MS", known, kind="CECMod", where="k")
        is None
    )


def test_an_unknown_name_gives_the_key_the_value_and_close_names():
    names = ["Module_Alpha_300", "Module_Alpha_310", "Other_Thing"]
    known = {normalise_name(n): n for n in names}
    line = unknown_name(
        "Module Alpha 30", known, kind="CECMod", where="system.module.name"
    )
    assert line is not None
    assert line.startswith(
        "system.module.name: no entry in pvlib's CEC database (CECMod), got "
        "'Module Alpha 30'; did you mean ["
    )
    # The close names (difflib ratio >= 0.6), not the unrelated one.
    assert "'Module_Alpha_300'" in line and "'Module_Alpha_310'" in line
    assert "Other_Thing" not in line
    far = unknown_name("zzz", known, kind="cecinverter", where="system.inverter.name")
    assert far is not None
    assert far.endswith(
        "got 'zzz'; check the spelling against pvlib.pvsystem.retrieve_sam"
    )
