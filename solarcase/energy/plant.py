"""How a requested plant becomes whole modules, strings and inverters.

How a CEC name is matched against the names of pvlib's bundled tables (and the error
line for an unknown one); then, given the CEC records of a module and of an inverter
(rows of those tables, read by :mod:`solarcase.energy.simulate`), size the strings
inside the inverter's voltage window, count modules and inverters, and warn when
whole units move a capacity more than 5 % from the request. Pure arithmetic on names
and records; no pvlib. No file or network I/O.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from solarcase.energy.results import ArrayLayout
from solarcase.energy.specs import PvwattsModule, SystemSpec
from solarcase.errors import ScenarioError, SolarcaseWarning
from solarcase.units import W_PER_KW

__all__ = ["Plant", "normalise_name", "size_plant", "string_length", "unknown_name"]

_COLD_DESIGN_C = -10.0  # [°C] design cell temperature for the string Voc limit
_SIZE_WARN_FRACTION = 0.05


@dataclass(frozen=True, slots=True)
class Plant:
    """The plant as simulated: whole units and the parameters of the DC model."""

    layout: ArrayLayout
    """Capacities simulated and module/string/inverter counts."""
    stc_power_w: float
    """DC nameplate simulated [W]."""
    gamma_pdc: float
    """Temperature coefficient of power [1/°C]."""
    efficiency: float
    """Module STC efficiency, for the cell temperature model [fraction]."""
    module: pd.Series | None
    """CEC parameters of the module; None for the PVWatts module."""
    inverter: pd.Series | None
    """Sandia parameters of one inverter unit; None for the PVWatts inverter."""


def normalise_name(name: str) -> str:
    """A CEC name as it is compared: lower case, each run of other characters one ``_``.

    ``"Canadian Solar Inc. CS1H-320MS"`` and the table's
    ``"Canadian_Solar_Inc__CS1H_320MS"`` both become
    ``"canadian_solar_inc_cs1h_320ms"``.
    """
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def unknown_name(
    name: str, known: Mapping[str, str], *, kind: str, where: str
) -> str | None:
    """The error line for a name that is not in a CEC table, else None.

    Parameters
    ----------
    name : str
        The name the user gave.
    known : mapping of str to str
        :func:`normalise_name` of each table name -> the table name.
    kind : str
        The table, for the message (``"CECMod"``, ``"cecinverter"``).
    where : str
        The scenario key, for the message (``"system.module.name"``).

    Returns
    -------
    line : str or None
        ``<where>: no entry in pvlib's CEC database (<kind>), got <name>;`` and up to
        three close table names (difflib, cutoff 0.6); None when the name is known.
    """
    key = normalise_name(name) if isinstance(name, str) else ""
    if key in known:
        return None
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.6)
    hint = f"did you mean {[known[c] for c in close]}?" if close else ""
    return (
        f"{where}: no entry in pvlib's CEC database ({kind}), got {name!r}; "
        f"{hint or 'check the spelling against pvlib.pvsystem.retrieve_sam'}"
    )


def string_length(module: pd.Series, unit: pd.Series) -> int:
    """Modules per string: the cold open-circuit voltage stays below Vdcmax and the
    reference maximum-power voltage inside the MPPT window.

    Parameters
    ----------
    module : pandas.Series
        A row of pvlib's CEC module table (``V_oc_ref``, ``beta_oc``, ``V_mp_ref``)
        [V, V/°C]; its ``name`` is used in the error message.
    unit : pandas.Series
        A row of pvlib's CEC inverter table (``Vdcmax``, ``Mppt_low``,
        ``Mppt_high``) [V].

    Returns
    -------
    modules_per_string : int
        ``floor(min(Vdcmax / Voc(-10 °C), Mppt_high / V_mp_ref))`` with
        ``Voc(-10 °C) = V_oc_ref + beta_oc x (-35 K)``.

    Raises
    ------
    ScenarioError
        When no whole number of modules (at least one) keeps the string inside the
        voltage limit and the MPPT window.
    """
    voc_cold = module["V_oc_ref"] + module["beta_oc"] * (_COLD_DESIGN_C - 25.0)
    count = int(min(unit["Vdcmax"] / voc_cold, unit["Mppt_high"] / module["V_mp_ref"]))
    if count < 1 or count * module["V_mp_ref"] < unit["Mppt_low"]:
        raise ScenarioError(
            f"system.module/system.inverter: no string of {module.name!r} fits the "
            f"MPPT window {unit['Mppt_low']:g}-{unit['Mppt_high']:g} V and "
            f"{unit['Vdcmax']:g} V limit of {unit.name!r}; choose another pair"
        )
    return count


def size_plant(
    system: SystemSpec,
    *,
    module: pd.Series | None,
    inverter_unit: pd.Series | None,
) -> Plant:
    """Count the modules, strings and inverters that realise a system.

    Parameters
    ----------
    system : SystemSpec
        The plant requested.
    module : pandas.Series or None
        The CEC record of ``system.module`` (``STC`` [W], ``gamma_r`` [%/°C],
        ``A_c`` [m²] and the single-diode parameters); None for a PVWatts module.
    inverter_unit : pandas.Series or None
        The CEC record of ``system.inverter`` (``Paco`` [W] and the Sandia
        parameters); None for the PVWatts inverter.

    Returns
    -------
    plant : Plant
        Inverters: ``max(1, round(ac / Paco))``. Modules: with a CEC inverter,
        strings of :func:`string_length` modules, ``max(1, round(dc / (n x STC)))``
        of them; else ``max(1, round(dc / STC))``. PVWatts parts keep the requested
        capacity.

    Raises
    ------
    ScenarioError
        A CEC module and CEC inverter that cannot form a string.

    Warns
    -----
    SolarcaseWarning
        When the DC or AC capacity simulated differs from the request by more than
        5 % (the warning points at the caller of the function that calls this one:
        ``simulate`` or ``check_system``).
    """
    module_count = per_string = strings = units = None
    dc_w = system.dc_capacity_kwp * W_PER_KW
    ac_w = system.ac_capacity_kw * W_PER_KW
    if inverter_unit is not None:
        units = max(1, round(ac_w / inverter_unit["Paco"]))
        ac_w = units * float(inverter_unit["Paco"])
    if module is not None:
        stc_w = float(module["STC"])
        gamma = float(module["gamma_r"]) / 100.0
        efficiency = stc_w / (float(module["A_c"]) * 1000.0)
        if inverter_unit is not None:
            per_string = string_length(module, inverter_unit)
            strings = max(1, round(dc_w / (per_string * stc_w)))
            module_count = strings * per_string
        else:
            module_count = max(1, round(dc_w / stc_w))
        dc_w = module_count * stc_w
    else:
        assert isinstance(system.module, PvwattsModule)  # no CEC record: PVWatts
        gamma = system.module.temperature_coefficient
        efficiency = system.module.efficiency
    layout = ArrayLayout(
        dc_capacity_kwp=dc_w / W_PER_KW,
        ac_capacity_kw=ac_w / W_PER_KW,
        module_count=module_count,
        modules_per_string=per_string,
        string_count=strings,
        inverter_count=units,
    )
    for what, got, asked in (
        ("dc_capacity_kwp", layout.dc_capacity_kwp, system.dc_capacity_kwp),
        ("ac_capacity_kw", layout.ac_capacity_kw, system.ac_capacity_kw),
    ):
        if abs(got / asked - 1.0) > _SIZE_WARN_FRACTION:
            warnings.warn(
                f"system.{what}: whole modules/inverters give {got:.4g}, not "
                f"{asked:.4g}; the simulation uses {got:.4g}",
                SolarcaseWarning,
                stacklevel=3,
            )
    return Plant(layout, dc_w, gamma, efficiency, module, inverter_unit)
