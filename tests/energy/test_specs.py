"""Tests of the input dataclasses: validation messages, loss arithmetic, no pvlib."""

from __future__ import annotations

import subprocess
import sys

import pytest
from numpy.testing import assert_allclose

from solarcase.energy.specs import (
    PVWATTS_DEFAULT_LOSSES,
    CecInverter,
    CecModule,
    FixedMount,
    LossBudget,
    PvwattsInverter,
    PvwattsModule,
    SingleAxisMount,
    SiteSpec,
    SystemSpec,
)
from solarcase.errors import ScenarioError


def test_spec_problems_name_the_key_and_the_fix():
    with pytest.raises(ScenarioError, match=r"system\.losses\.soiling.*got 2.*0\.02"):
        LossBudget(soiling=2)
    with pytest.raises(ScenarioError, match=r"system\.mount\.surface_tilt.*got 120"):
        FixedMount(120.0)
    with pytest.raises(ScenarioError, match=r"system\.module\.module_type"):
        PvwattsModule("bifacial")
    with pytest.raises(ScenarioError, match=r"site\.latitude"):
        SiteSpec(95.0, 0.0)


def test_loss_budget_combines_like_pvwatts():
    budget = PVWATTS_DEFAULT_LOSSES
    # 1 - 0.98 * 0.97 * 1 * 0.98 * 0.98 * 0.995 * 0.985 * 0.99 * 0.97
    #   = 1 - 0.8592434 = 0.1407566 (PVWatts prints 14.08 %, PySAM's default 14.0757)
    assert_allclose(budget.total_loss_fraction, 0.1407566, atol=1e-7)
    # without availability: 1 - 0.8592434 / 0.97 = 1 - 0.8858179 = 0.1141821
    assert_allclose(budget.dc_loss_fraction, 0.1141821, atol=1e-7)
    # without soiling either: 1 - 0.8858179 / 0.98 = 1 - 0.9038958 = 0.0961042
    assert_allclose(budget.other_dc_loss_fraction, 0.0961042, atol=1e-7)


def test_cec_parts_keep_their_name_and_are_checked_only_against_pvlib_later():
    # The database lookup needs pvlib: simulate.check_system and simulate do it.
    module, unit = CecModule("no such module"), CecInverter("no such inverter")
    assert (module.name, unit.name) == ("no such module", "no such inverter")
    system = SystemSpec(
        100.0, 80.0, FixedMount(30.0), module, unit, PVWATTS_DEFAULT_LOSSES
    )
    assert system.module is module


def test_cell_temperature_racking_follows_pvwatts_v8():
    # PVWatts v8 (SSC cmod_pvwattsv8): NOCT 45 °C open rack, 49 °C roof mount;
    # trackers are open racks.
    assert FixedMount(30.0).noct_c == 45.0
    assert FixedMount(10.0, racking="roof_mount").noct_c == 49.0
    assert SingleAxisMount().noct_c == 45.0


def test_specs_results_and_plant_import_without_pvlib():
    code = (
        "import sys; import solarcase.energy.specs, solarcase.energy.results, "
        "solarcase.energy.plant; print('pvlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def _system(**changes):
    fields = {
        "dc_capacity_kwp": 100.0,
        "ac_capacity_kw": 80.0,
        "mount": FixedMount(30.0),
        "module": PvwattsModule(),
        "inverter": PvwattsInverter(),
        "losses": LossBudget(),
    }
    return SystemSpec(**{**fields, **changes})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SiteSpec(30.0, 200.0), r"site\.longitude: .*got 200\.0"),
        (lambda: SiteSpec(30.0, 60.0, 12000.0), r"site\.altitude: .*got 12000\.0"),
        (lambda: PvwattsModule(gamma_pdc=0.4), r"module\.gamma_pdc: .*got 0\.4"),
        (lambda: PvwattsInverter(eta_inv_nom=96), r"eta_inv_nom: .*got 96"),
        (lambda: FixedMount(30.0, 400.0), r"mount\.surface_azimuth: .*got 400\.0"),
        (lambda: FixedMount(30.0, racking="pole"), r"mount\.racking: .*'pole'"),
        (lambda: FixedMount(30.0, gcr=1.2), r"mount\.gcr: .*got 1\.2"),
        (lambda: SingleAxisMount(max_angle=0.0), r"mount\.max_angle: .*got 0\.0"),
        (lambda: SingleAxisMount(axis_tilt=70.0), r"mount\.axis_tilt: .*got 70\.0"),
        (lambda: LossBudget(availability=1.0), r"losses\.availability: .*got 1\.0"),
        (lambda: _system(dc_capacity_kwp=0.0), r"system\.dc_capacity_kwp: .*got 0"),
        (lambda: _system(albedo=1.5), r"system\.albedo: .*got 1\.5"),
        (lambda: _system(transposition_model="klucher"), r"transposition_model"),
    ],
)
def test_each_range_rule_names_its_key_and_the_value(make, message):
    with pytest.raises(ScenarioError, match=message):
        make()
