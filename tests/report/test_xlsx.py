"""The auditable workbook recalculates to the engine's numbers.

LibreOffice headless (conftest.recalculate) recalculates every workbook; openpyxl
reads the values back. The engine (``solarcase.pipeline`` through the CLI's
``appraise``) is the independent side: every Cash flow row and every Summary metric
of the recalculated workbook must equal it, for each shipped example, for variants
that switch on every other feature of the engine, and for random variants; and
raising the tariff input cell by 10 % must move NPV as the engine moves it when the
scenario's price is raised by 10 % with ``--set``. Without LibreOffice these tests
skip; the structural tests (formulas, names, fills, atomic writes, CLI) always run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from solarcase import __version__
from solarcase.cli import app
from solarcase.cli.run import appraise
from solarcase.errors import OutputError, SolarcaseWarning
from solarcase.finance.table import ROW_ORDER
from solarcase.pipeline import ScenarioResult
from solarcase.report.assumptions import scenario_hash
from solarcase.report.xlsx import SUMMARY_NAMES, workbook_bytes, write_report_xlsx
from solarcase.report.xlsx_book import INPUT_FILL, VALUE_FILL, YEAR_ROW

ROOT = Path(__file__).parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
BIRJAND = ROOT / "scenarios" / "birjand-1mw.yaml"
FIXTURE = ROOT / "tests" / "data" / "scenarios" / "valid.yaml"
TODAY = dt.date(2026, 1, 1)
#: Acceptance of issue 6: the recalculated metrics equal the engine's to 1e-6.
RTOL_METRIC = 1e-6
#: Every cash-flow cell, relative to the largest value of its row.
RTOL_ROW = 1e-9
#: The scenario key of each scheme's main price (the Inputs cell tariff_price).
MAIN_PRICE = {
    "escalating_tariff": "price_per_kwh",
    "guaranteed_purchase": "base_price_per_kwh",
    "market": "price_per_kwh",
    "self_consumption": "purchase_price_per_kwh",
}
TARIFF_FACTOR = 1.1
ROW_NAMES = [name for name, _ in ROW_ORDER]


def _set(key: str, value: object) -> str:
    """A --set override; JSON is YAML's flow syntax."""
    return f"{key}={json.dumps(value)}"


def _path(start: float, growth: float, years: int, bump: float = 0.0) -> list[float]:
    return [start * (1 + growth) ** t + bump * t * t for t in range(years + 1)]


#: Variants of the examples that switch on the engine's other features.
FEATURES: dict[str, tuple[Path, tuple[str, ...]]] = {
    "eur-fixture-no-contract-nominal-rate": (FIXTURE, ()),
    "equal-principal-straight-line-grants-in-kind-modules-salvage-lost": (
        BIRJAND,
        (
            _set(
                "finance.debt",
                {
                    "type": "equal_principal",
                    "capex_fraction": 0.6,
                    "interest_rate": 0.18,
                    "tenor_years": 10,
                    "grace_years": 2,
                    "upfront_fee": 0.015,
                    "construction_interest_years": 0.5,
                },
            ),
            _set(
                "finance.tax",
                {
                    "rate": 0.25,
                    "depreciation": {
                        "method": "straight_line",
                        "life_years": 20,
                        "half_year_convention": True,
                    },
                },
            ),
            _set(
                "finance.grants",
                {
                    "state": {"amount": 50e9},
                    "donor": {"amount": 20_000, "currency": "USD"},
                },
            ),
            _set(
                "finance.in_kind",
                {
                    "land": {"per_year": 300e6},
                    "survey": {"amount": 5000, "currency": "USD"},
                },
            ),
            _set(
                "finance.module_replacement",
                {
                    "capex_item": "equipment",
                    "fraction_per_year": 0.005,
                    "fraction": 0.1,
                    "years": [10, 18],
                },
            ),
            _set(
                "finance.end_of_life",
                {
                    "salvage": {"per_kwp": 20, "currency": "USD"},
                    "decommissioning": {"amount": 5e9, "currency": "IRT"},
                },
            ),
            _set(
                "finance.operating_costs.variable_om",
                {"per_kwh": 0.002, "currency": "USD"},
            ),
            _set(
                "finance.operating_costs.land_lease",
                {"per_year": 20e6, "currency": "IRT", "escalation_rate": 0.3},
            ),
            _set(
                "finance.late_payment",
                {"share": 0.25, "delay_years": 3, "unpaid_at_end": "lost"},
            ),
        ),
    ),
    "expiring-losses-declining-balance-holiday": (
        BIRJAND,
        (
            _set(
                "finance.debt",
                {
                    "type": "annuity",
                    "capex_fraction": 0.7,
                    "interest_rate": 0.3,
                    "tenor_years": 8,
                    "grace_years": 1,
                },
            ),
            _set(
                "finance.tax",
                {
                    "rate": 0.25,
                    "holiday_years": 1,
                    "loss_carry_forward": True,
                    "loss_expiry_years": 3,
                    "depreciation": {
                        "method": "declining_balance",
                        "life_years": 5,
                        "factor": 2.0,
                        "half_year_convention": True,
                    },
                },
            ),
            _set("finance.revenue.base_price_per_kwh", 20_000),
            _set("finance.operating_costs.fixed_om.per_kwp_year", 12e6),
        ),
    ),
    "carried-losses-straight-line": (
        BIRJAND,
        (
            _set(
                "finance.debt",
                {
                    "type": "annuity",
                    "capex_fraction": 0.7,
                    "interest_rate": 0.3,
                    "tenor_years": 8,
                },
            ),
            _set(
                "finance.tax",
                {
                    "rate": 0.25,
                    "holiday_years": 1,
                    "loss_carry_forward": True,
                    "depreciation": {"method": "straight_line", "life_years": 4},
                },
            ),
            _set("finance.revenue.base_price_per_kwh", 20_000),
            _set("finance.operating_costs.fixed_om.per_kwp_year", 12e6),
        ),
    ),
    "cumulative-steps-time-of-day-official-eur-fx-values": (
        BIRJAND,
        (
            _set("finance.revenue.step_down_mode", "cumulative"),
            _set("finance.revenue.contract_years", 15),
            _set("finance.revenue.alpha_weights", "eur"),
            _set("finance.revenue.alpha", 0.3),
            _set("finance.revenue.cpi_inflation_rate", 0.35),
            _set(
                "finance.revenue.time_of_day",
                {
                    "periods": [
                        {"start_hour": 7, "end_hour": 17, "coefficient": 1.0},
                        {"start_hour": 17, "end_hour": 7, "coefficient": 1.3},
                    ]
                },
            ),
            _set(
                "finance.revenue.official_eur_rate",
                {"values": _path(800_000, 0.35, 25)},
            ),
            _set(
                "finance.exchange_rates.USD",
                {"values": _path(720_000, 0.3, 26, bump=1000)},
            ),
            _set(
                "finance.inverter_replacement",
                {
                    "year": 10,
                    "amount": 50_000,
                    "currency": "USD",
                    "escalation_rate": 0.03,
                },
            ),
        ),
    ),
    "market-in-usd-nominal-rate-mirr-sculpted": (
        BIRJAND,
        (
            _set(
                "finance.revenue",
                {
                    "scheme": "market",
                    "price_per_kwh": 0.06,
                    "currency": "USD",
                    "escalation_rate": 0.01,
                },
            ),
            _set("finance.discount_rate_real", None),
            _set("finance.discount_rate_nominal", 0.45),
            _set("finance.mirr", {"finance_rate": 0.3, "reinvestment_rate": 0.35}),
            _set(
                "finance.debt",
                {
                    "type": "sculpted",
                    "target_dscr": 1.4,
                    "max_gearing": 0.8,
                    "interest_rate": 0.23,
                    "tenor_years": 10,
                },
            ),
        ),
    ),
    "sculpted-with-tax-in-the-loan-years": (
        BIRJAND,
        (
            _set(
                "finance.debt",
                {
                    "type": "sculpted",
                    "target_dscr": 1.3,
                    "max_gearing": 0.9,
                    "interest_rate": 0.23,
                    "tenor_years": 10,
                    "grace_years": 1,
                    "upfront_fee": 0.01,
                    "construction_interest_years": 0.25,
                },
            ),
            _set(
                "finance.tax",
                {
                    "rate": 0.25,
                    "depreciation": {"method": "straight_line", "life_years": 10},
                },
            ),
        ),
    ),
    "usd-model-with-toman-items-eur-reference": (
        FIXTURE,
        (
            _set("finance.currency", "USD"),
            _set(
                "finance.exchange_rates",
                {
                    "IRR": {
                        "start_rate": 1.4e-6,
                        "escalation_rate": -0.29,
                        "inflation_rate": 0.4,
                    },
                    "EUR": {"values": _path(1.1, 0.01, 20)},
                },
            ),
            _set("finance.reference_currency", "EUR"),
            _set(
                "finance.capex",
                {
                    "turnkey": {"per_kwp": 800},
                    "grid": {"amount": 500e6, "currency": "IRT"},
                    "land": {"amount": 10_000, "currency": "EUR", "depreciable": False},
                },
            ),
            _set(
                "finance.operating_costs",
                {
                    "fixed_om": {"per_kwp_year": 150_000, "currency": "IRT"},
                    "insurance": {
                        "capex_fraction_per_year": 0.005,
                        "escalation_rate": 0.01,
                    },
                },
            ),
            _set("finance.revenue.contract_years", 12),
            _set("finance.revenue.price_after_contract_per_kwh", 0.05),
            _set(
                "finance.tax",
                {
                    "rate": 0.24,
                    "loss_carry_forward": True,
                    "depreciation": {
                        "method": "declining_balance",
                        "life_years": 7,
                        "factor": 1.5,
                    },
                },
            ),
        ),
    ),
}


def _random_variants(count: int, seed: int) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Birjand with random prices, rates, degradation, loan, tax and late payment."""
    rng = np.random.default_rng(seed)
    out = {}
    for k in range(count):
        u = rng.uniform
        sets = [
            _set("finance.revenue.base_price_per_kwh", u(25_000, 60_000)),
            _set("finance.inflation_rate", u(0.2, 0.45)),
            _set("finance.discount_rate_real", u(0.02, 0.10)),
            _set("finance.revenue.alpha", u(0.15, 0.30)),
            _set("finance.revenue.alpha_weights", str(rng.choice(["cpi", "eur"]))),
            _set(
                "finance.revenue.step_down_mode",
                str(rng.choice(["absolute", "cumulative"])),
            ),
            _set("system.degradation.rate", u(0.003, 0.012)),
            _set("system.degradation.mode", str(rng.choice(["linear", "compound"]))),
            _set("system.losses.availability", u(0.0, 0.05)),
        ]
        terms = {
            "interest_rate": u(0.1, 0.3),
            "tenor_years": int(rng.integers(3, 13)),
            "grace_years": int(rng.integers(0, 3)),
            "upfront_fee": u(0, 0.02),
            "construction_interest_years": u(0, 1),
        }
        loan = str(rng.choice(["none", "annuity", "equal_principal", "sculpted"]))
        if loan == "sculpted":
            terms |= {"target_dscr": u(1.1, 1.6), "max_gearing": u(0.5, 0.9)}
        else:
            terms |= {"capex_fraction": u(0.3, 0.8)}
        if loan != "none":
            sets.append(_set("finance.debt", {"type": loan} | terms))
        if rng.random() < 0.7:
            carry = bool(rng.random() < 0.6)
            tax = {
                "rate": u(0.1, 0.3),
                "holiday_years": int(rng.integers(0, 6)),
                "loss_carry_forward": carry,
                "depreciation": {
                    "method": str(rng.choice(["straight_line", "declining_balance"])),
                    "life_years": int(rng.integers(5, 21)),
                    "half_year_convention": bool(rng.random() < 0.5),
                },
            }
            if carry and rng.random() < 0.5:
                tax["loss_expiry_years"] = int(rng.integers(1, 6))
            sets.append(_set("finance.tax", tax))
        if rng.random() < 0.5:
            sets.append(
                _set(
                    "finance.late_payment",
                    {
                        "share": u(0, 0.5),
                        "delay_years": int(rng.integers(1, 5)),
                        "unpaid_at_end": str(rng.choice(["collected", "lost"])),
                    },
                )
            )
        out[f"random-{k}"] = (BIRJAND, tuple(sets))
    return out


VARIANTS = FEATURES | _random_variants(6, seed=20260101)


def _appraise(path: Path, overrides: Sequence[str] = ()) -> ScenarioResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        return appraise(path, tuple(overrides))


def _named(wb: openpyxl.Workbook, name: str):  # type: ignore[no-untyped-def]
    """The cell a workbook-level defined name points to."""
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def _cashflow_rows(wb: openpyxl.Workbook) -> dict[str, np.ndarray]:
    """The Cash flow sheet's rows of the engine's table, by key."""
    rows = {}
    for row in wb["Cash flow"].iter_rows(min_row=YEAR_ROW + 1):
        key = row[1].value
        if key in ROW_NAMES:
            rows[key] = np.array([cell.value for cell in row[2:]], dtype=float)
    return rows


def _assert_rows_equal(wb: openpyxl.Workbook, result: ScenarioResult) -> None:
    got = _cashflow_rows(wb)
    table = result.cashflow
    for name in ROW_NAMES:
        expected = getattr(table, name)[0]
        if name not in got:
            # rows this scenario cannot fill are left out; a tax-exempt owner's
            # taxable income is the one informative row that is
            exempt = name == "taxable_income" and result.scenario.finance.tax is None
            assert exempt or not expected.any(), f"{name} left out but not zero"
            continue
        scale = max(float(np.abs(expected).max()), 1.0)
        np.testing.assert_allclose(
            got[name], expected, rtol=0, atol=RTOL_ROW * scale, err_msg=name
        )


def _assert_metrics_equal(wb: openpyxl.Workbook, result: ScenarioResult) -> None:
    for metric, name in SUMMARY_NAMES.items():
        if name not in wb.defined_names:
            assert metric in {"min_dscr", "avg_dscr", "llcr"}, metric
            assert result.scenario.finance.debt is None
            continue
        expected = float(getattr(result.metrics, metric)[0])
        got = _named(wb, name).value
        if not math.isfinite(expected):
            assert got in ("n/a", "never"), (metric, got)
        else:
            assert got == pytest.approx(expected, rel=RTOL_METRIC), metric
    ref = result.reference
    if ref is not None:
        for metric in ("npv", "project_irr", "lcoe_real", "lcoe_nominal"):
            field = {
                "lcoe_real": "lcoe_real_per_kwh",
                "lcoe_nominal": "lcoe_nominal_per_kwh",
            }.get(metric, metric)
            expected = float(getattr(ref, field)[0])
            name = {
                "npv": "result_reference_project_npv",
                "project_irr": "result_reference_project_irr",
            }.get(metric, f"result_reference_{metric}")
            assert _named(wb, name).value == pytest.approx(expected, rel=RTOL_METRIC), (
                name
            )


@dataclass(frozen=True)
class Shipped:
    result: ScenarioResult
    """The engine on the example."""
    raised: ScenarioResult
    """The engine with the main price x 1.1 (--set)."""
    workbook: openpyxl.Workbook
    """The example's workbook, recalculated by LibreOffice."""
    raised_workbook: openpyxl.Workbook
    """The same with the tariff_price cell x 1.1, recalculated."""


def _write(result: ScenarioResult, path: Path) -> bytes:
    data = workbook_bytes(result, scenario_file=str(path), today=TODAY)
    return data


@pytest.fixture(scope="module")
def shipped(
    tmp_path_factory: pytest.TempPathFactory, recalculate
) -> dict[str, Shipped]:  # type: ignore[no-untyped-def]
    """Every example and its +10 % tariff copy, recalculated in one soffice call."""
    made = tmp_path_factory.mktemp("workbooks")
    cases, files = {}, []
    for path in SHIPPED:
        result = _appraise(path)
        data = _write(result, path)
        base = made / f"{path.stem}.xlsx"
        base.write_bytes(data)
        book = openpyxl.load_workbook(io.BytesIO(data))
        cell = _named(book, "tariff_price")
        raised_price = float(cell.value) * TARIFF_FACTOR
        cell.value = raised_price
        raised = made / f"{path.stem}-tariff.xlsx"
        book.save(raised)
        key = MAIN_PRICE[result.scenario.finance.revenue.scheme]
        raised_result = _appraise(path, [f"finance.revenue.{key}={raised_price!r}"])
        cases[path.stem] = (result, raised_result, base, raised)
        files += [base, raised]
    done = recalculate(files, tmp_path_factory.mktemp("recalculated"))
    return {
        stem: Shipped(result, raised, _load(done[base]), _load(done[raised_file]))
        for stem, (result, raised, base, raised_file) in cases.items()
    }


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory, recalculate):  # type: ignore[no-untyped-def]
    """Feature and random variants, recalculated in one soffice call."""
    made = tmp_path_factory.mktemp("variant-workbooks")
    results, files = {}, []
    for name, (path, overrides) in VARIANTS.items():
        result = _appraise(path, overrides)
        target = made / f"{name}.xlsx"
        target.write_bytes(_write(result, path))
        results[name] = (result, target)
        files.append(target)
    done = recalculate(files, tmp_path_factory.mktemp("variants-recalculated"))
    return {
        name: (result, _load(done[target]))
        for name, (result, target) in results.items()
    }


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, data_only=True)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_recalculated_npv_irr_lcoe_equal_the_engine(scenario: Path, shipped) -> None:  # type: ignore[no-untyped-def]
    case = shipped[scenario.stem]
    _assert_metrics_equal(case.workbook, case.result)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_every_cashflow_row_equals_the_engine(scenario: Path, shipped) -> None:  # type: ignore[no-untyped-def]
    case = shipped[scenario.stem]
    _assert_rows_equal(case.workbook, case.result)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_tariff_cell_up_10_percent_moves_npv_as_the_engine(
    scenario: Path, shipped
) -> None:  # type: ignore[no-untyped-def]
    case = shipped[scenario.stem]
    before = _named(case.workbook, "result_npv").value
    after = _named(case.raised_workbook, "result_npv").value
    engine_before = float(case.result.metrics.npv[0])
    engine_after = float(case.raised.metrics.npv[0])
    assert after > before  # more revenue, more value
    assert after == pytest.approx(engine_after, rel=RTOL_METRIC)
    assert after - before == pytest.approx(
        engine_after - engine_before, rel=RTOL_METRIC
    )
    for metric in ("project_irr", "equity_irr", "lcoe_real_per_kwh", "equity_npv"):
        got = _named(case.raised_workbook, SUMMARY_NAMES[metric]).value
        assert got == pytest.approx(
            float(getattr(case.raised.metrics, metric)[0]), rel=RTOL_METRIC
        ), metric


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_feature_recalculates_to_the_engine(name: str, variants) -> None:  # type: ignore[no-untyped-def]
    result, workbook = variants[name]
    _assert_rows_equal(workbook, result)
    _assert_metrics_equal(workbook, result)


def _error_cells(wb: openpyxl.Workbook) -> list[str]:
    """Cells whose formula evaluated to an error (#NAME?, #VALUE!, Err:...)."""
    return [
        f"{ws.title}!{cell.coordinate}={cell.value}"
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "e"
        or (isinstance(cell.value, str) and cell.value.startswith(("#", "Err:")))
    ]


def test_no_cell_evaluates_to_an_error(shipped, variants) -> None:  # type: ignore[no-untyped-def]
    books = [case.workbook for case in shipped.values()]
    books += [case.raised_workbook for case in shipped.values()]
    books += [workbook for _, workbook in variants.values()]
    assert [cell for wb in books for cell in _error_cells(wb)] == []


def test_expiring_losses_get_their_own_sheet(variants) -> None:  # type: ignore[no-untyped-def]
    result, workbook = variants["expiring-losses-declining-balance-holiday"]
    assert "Tax losses" in workbook.sheetnames
    carried = _cashflow_rows(workbook)["losses_carried"]
    assert carried.max() > 0  # the case does carry losses, some of which expire
    np.testing.assert_allclose(carried, result.cashflow.losses_carried[0], rtol=1e-12)


# --- structure: no LibreOffice needed --------------------------------------------


@pytest.fixture(scope="module")
def books() -> dict[str, tuple[ScenarioResult, openpyxl.Workbook]]:
    """Every example's workbook as written (formulas, not values)."""
    out = {}
    for path in SHIPPED:
        result = _appraise(path)
        data = workbook_bytes(result, scenario_file=str(path), today=TODAY)
        out[path.stem] = (result, openpyxl.load_workbook(io.BytesIO(data)))
    return out


#: Cash flow cells that hold 0 by construction in year 0 (they need the year before).
YEAR0_ZEROS = {"interest", "principal", "db_charge"}


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_revenue_cost_debt_tax_and_flow_cells_are_formulas(
    scenario: Path, books
) -> None:  # type: ignore[no-untyped-def]
    result, wb = books[scenario.stem]
    ws = wb["Cash flow"]
    checked = set()
    for row in ws.iter_rows(min_row=YEAR_ROW + 1):
        key = row[1].value
        if not isinstance(key, str):
            continue
        checked.add(key)
        for year, cell in enumerate(row[2:]):
            if key == "sizing_tax":  # the sculpted loan's circular tax: values
                assert cell.fill.fgColor.rgb == VALUE_FILL.fgColor.rgb
                continue
            if year == 0 and key in YEAR0_ZEROS:
                assert cell.value == 0
                continue
            assert cell.data_type == "f", (key, year, cell.value)
    money = {"sales_contract", "sales_market", "savings_purchases"} & checked
    assert (
        money
        and {
            "revenue",
            "fixed_om",
            "insurance",
            "opex_total",
            "ebitda",
            "capex",
            "end_of_life",
            "cfads",
            "project_fcf",
            "equity_fcf",
            "lcoe_costs",
        }
        <= checked
    )
    finance = result.scenario.finance
    if finance.debt is not None:
        assert {"interest", "principal", "debt_service", "debt_balance"} <= checked
    if finance.tax is not None:
        assert {"depreciation", "taxable_income", "tax", "project_tax"} <= checked


def test_inputs_carry_defined_names_units_and_the_input_fill(books) -> None:  # type: ignore[no-untyped-def]
    _, wb = books["birjand-1mw"]
    price = _named(wb, "tariff_price")
    assert price.value == 38_500
    assert price.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
    inputs = wb["Inputs"]
    assert inputs[f"C{price.row}"].value == "IRR/kWh"
    assert inputs[f"D{price.row}"].value == "finance.revenue.base_price_per_kwh"
    # the scenario states a real rate: the nominal one is Fisher's formula
    assert _named(wb, "discount_rate_real").value == pytest.approx(0.05)
    assert _named(wb, "discount_rate_nominal").value == (
        "=(1+discount_rate_real)*(1+inflation_rate)-1"
    )
    # tomans become rials through a visible factor, dollars at the year-0 rate
    assert _named(wb, "capex_installation_and_grid").value == (
        "=capex_installation_and_grid_cost*rial_per_toman"
    )
    assert "Indices" in _named(wb, "capex_equipment").value
    for name in (
        "analysis_years",
        "inflation_rate",
        "capex",
        "alpha",
        "step_down_1_year",
        "contract_years",
        "degradation_rate",
    ):
        assert name in wb.defined_names, name


def test_values_stand_only_where_no_formula_is_possible(books) -> None:  # type: ignore[no-untyped-def]
    for stem, (_, wb) in books.items():
        for sheet in ("Energy", "Indices", "Cash flow"):
            for row in wb[sheet].iter_rows(min_row=YEAR_ROW + 1):
                key = row[1].value
                for year, cell in enumerate(row[2:]):
                    if cell.value is None or cell.data_type == "f":
                        continue
                    fill = cell.fill.fgColor.rgb
                    marked = fill in (VALUE_FILL.fgColor.rgb, INPUT_FILL.fgColor.rgb)
                    zero = year == 0 and key in YEAR0_ZEROS
                    assert marked or zero, (stem, sheet, key, year)
        energy = {
            row[1].value
            for row in wb["Energy"].iter_rows(min_row=4)
            if row[0].fill.fgColor.rgb == VALUE_FILL.fgColor.rgb
        }
        assert energy <= {
            "engine_energy_kwh",
            "self_consumed_fraction",
            "consumption_kwh",
        }, stem


def test_summary_says_what_it_is_with_version_and_scenario_hash(books) -> None:  # type: ignore[no-untyped-def]
    result, wb = books["birjand-1mw"]
    text = " ".join(str(c.value) for c in wb["Summary"]["A"] if c.value)
    assert __version__ in text
    assert scenario_hash(result.scenario) in text
    assert "NPV(rate, C1:CN)" in text
    assert wb.sheetnames[:5] == ["Summary", "Inputs", "Energy", "Indices", "Cash flow"]
    npv = _named(wb, "result_npv")
    assert (
        npv.value.startswith("='Cash flow'!$C$")
        and "+NPV(discount_rate_nominal," in npv.value
    )
    assert "#,##0" in npv.number_format
    assert _named(wb, "result_project_irr").number_format == "0.00%"
    assert wb["Cash flow"].freeze_panes == "C4"


def test_report_writes_pdf_and_workbook_by_default(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", str(FIXTURE)])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "reports" / "valid.pdf").read_bytes()[:5] == b"%PDF-"
    workbook = openpyxl.load_workbook(tmp_path / "reports" / "valid.xlsx")
    assert "Cash flow" in workbook.sheetnames


def test_report_xlsx_alone_writes_only_the_workbook(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plant.xlsx"
    result = CliRunner().invoke(app, ["report", str(FIXTURE), "--xlsx", str(target)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["plant.xlsx"]


def test_a_failure_while_building_leaves_no_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import solarcase.report.xlsx as xlsx_module

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("building failed")

    monkeypatch.setattr(xlsx_module, "write_summary", broken)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    with pytest.raises(RuntimeError):
        CliRunner().invoke(
            app,
            ["report", str(FIXTURE), "--pdf", str(pdf), "--xlsx", str(xlsx)],
            catch_exceptions=False,
        )
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_target_is_a_user_error_and_leaves_nothing(
    tmp_path: Path, books
) -> None:  # type: ignore[no-untyped-def]
    result, _ = books["birjand-1mw"]
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="taken"):
        write_report_xlsx(result, blocker / "book.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
