"""The investor PDF: real text a reader can search, A4 pages, atomic writes."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox
from pypdf import PdfReader
from typer.testing import CliRunner

from solarcase.cli import app
from solarcase.report.assumptions import input_rows
from solarcase.report.layout import MARGIN_IN, Flow, Page, wrap
from solarcase.report.pages import energy_page, finance_page, plant_rows
from solarcase.report.pdf import report_pages
from solarcase.report.tables import format_money, format_percent

ROOT = Path(__file__).parents[2]
VALID = ROOT / "tests" / "data" / "scenarios" / "valid.yaml"
TABAS = ROOT / "scenarios" / "tabas-200kw-rooftop.yaml"
A4_PT = (595.0, 842.0)


def _pdf_and_json(scenario: Path, tmp_path: Path) -> tuple[PdfReader, dict]:
    pdf = tmp_path / "report.pdf"
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(scenario), "--json", "--report", str(pdf)])
    assert result.exit_code == 0, result.stderr
    return PdfReader(io.BytesIO(pdf.read_bytes())), json.loads(result.stdout)


@pytest.mark.parametrize("scenario", [VALID, TABAS], ids=["fixture", "tabas"])
def test_pdf_text_holds_npv_and_irr_exactly_as_run_json(
    scenario: Path, tmp_path: Path
) -> None:
    reader, data = _pdf_and_json(scenario, tmp_path)
    text = " ".join(page.extract_text() for page in reader.pages)
    metrics = data["metrics"]
    assert format_money(metrics["npv"], data["currency"]) in text
    assert format_percent(metrics["project_irr"]) in text
    assert data["scenario"] in text
    for heading in ("Headline results", "Energy", "Cash-flow table", "Assumptions"):
        assert heading in text


def test_pages_are_a4_and_text_is_not_type3(tmp_path: Path) -> None:
    reader, _ = _pdf_and_json(VALID, tmp_path)
    assert len(reader.pages) >= 5
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(width), round(height))) == sorted(
            (round(A4_PT[0]), round(A4_PT[1]))
        )
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            assert font.get_object()["/Subtype"] != "/Type3"


def test_report_command_writes_reports_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", str(VALID)])
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "reports" / "valid.pdf"
    assert written.read_bytes()[:5] == b"%PDF-"


def test_a_failure_while_drawing_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    import solarcase.report.pdf as pdf_module

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(pdf_module, "finance_page", broken)
    target = tmp_path / "out" / "r.pdf"
    with pytest.raises(RuntimeError):
        CliRunner().invoke(
            app, ["report", str(VALID), "--pdf", str(target)], catch_exceptions=False
        )
    assert not target.exists()


def test_run_report_writes_pdf_and_workbook_by_suffix(tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    result = CliRunner().invoke(
        app, ["run", str(VALID), "--report", str(pdf), "--report", str(xlsx)]
    )
    assert result.exit_code == 0, result.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert xlsx.read_bytes()[:2] == b"PK"  # a zip container, as every .xlsx


def test_an_unknown_report_kind_fails_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(VALID), "--out", str(out), "--report", str(tmp_path / "r.doc")]
    )
    assert result.exit_code == 1
    assert "r.doc" in result.stderr and ".pdf" in result.stderr
    assert not out.exists()


def test_batch_report_writes_one_per_item(tmp_path: Path) -> None:
    out = tmp_path / "batch"
    result = CliRunner().invoke(
        app, ["batch", str(VALID), "--out", str(out), "--report", "--no-progress"]
    )
    assert result.exit_code == 0, result.stderr
    (item,) = (out / "items").iterdir()
    reader = PdfReader(io.BytesIO((item / "report.pdf").read_bytes()))
    assert "Fixture plant" in reader.pages[0].extract_text()
    assert (item / "report.xlsx").stat().st_size > 0


# --- layout: every page of every kind of report is readable -----------------------

LOAN_RISK = ROOT / "scenarios" / "birjand-1mw-loan-risk.yaml"
SELF_CONSUMPTION = ROOT / "scenarios" / "birjand-1mw-self-consumption.yaml"
TODAY = dt.date(2026, 1, 1)


def _overlap(a: Bbox, b: Bbox, tolerance_px: float = 1.0) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance_px
        and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance_px
    )


def layout_problems(page: Page) -> list[str]:
    """What a reader would see wrong on a page: page text (tables, paragraphs)
    overlapping other text or a chart, or outside the margins; a chart off the
    sheet; a chart's legend over its annotations; tick labels on top of each other.
    """
    figure = page.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    width, height = figure.bbox.width, figure.bbox.height
    margin = MARGIN_IN * figure.dpi * 0.9
    texts = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in figure.texts
        if t.get_text().strip()
    ]
    charts = [a.get_tightbbox(renderer) for a in figure.axes]
    charts += [legend.get_window_extent(renderer) for legend in figure.legends]
    problems = []
    for text, box in texts:
        if box.x0 < margin or box.x1 > width - margin or box.y0 < 0:
            problems.append(f"outside the margins: {text!r}")
    for box in charts:
        if box.x0 < 0 or box.x1 > width or box.y0 < margin / 2 or box.y1 > height:
            problems.append(f"chart off the page: {box.bounds}")
    for index, (text, box) in enumerate(texts):
        problems += [
            f"{text!r} overlaps {other!r}"
            for other, other_box in texts[index + 1 :]
            if _overlap(box, other_box)
        ]
        problems += [f"{text!r} over a chart" for c in charts if _overlap(box, c)]
    for axes in figure.axes:
        notes = [t.get_window_extent(renderer) for t in axes.texts if t.get_text()]
        legend = axes.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            problems += ["legend over a note" for n in notes if _overlap(box, n)]
        for axis in (axes.xaxis, axes.yaxis):
            ticks = [
                t.get_window_extent(renderer)
                for t in axis.get_ticklabels()
                if t.get_visible() and t.get_text()
            ]
            problems += [
                "tick labels overlap"
                for i, a in enumerate(ticks)
                for b in ticks[i + 1 :]
                if _overlap(a, b)
            ]
    if page.cursor_in > page.size_in[1] - MARGIN_IN + 1e-6:
        problems.append(f"content runs {page.cursor_in:.2f} in down the page")
    return problems


def test_layout_check_sees_overlap_and_overflow() -> None:
    page = Page()
    page.table([("1,000,204,000", "2,000,000,000")], columns_in=(0.4, 0.4))
    page.text("x", x_in=7.5)
    page.space(20.0)
    problems = layout_problems(page)
    assert any("overlaps" in p for p in problems)
    assert any("outside the margins" in p for p in problems)
    assert any("runs" in p for p in problems)
    clean = Page()
    clean.table([("a", "1,000"), ("b", "2,000")], columns_in=(1.0, 1.0))
    assert layout_problems(clean) == []


@pytest.fixture(scope="module")
def loan_risk_pages() -> list[Page]:
    """The report of the example with a loan and a Monte Carlo (the fullest)."""
    from solarcase.cli.run import appraise

    result = appraise(LOAN_RISK, ())
    return report_pages(result, scenario_file="loan-risk.yaml", today=TODAY)


@pytest.mark.parametrize("scenario", [TABAS, SELF_CONSUMPTION], ids=lambda p: p.stem)
def test_report_pages_have_nothing_overlapping_or_cut_off(scenario: Path) -> None:
    from solarcase.cli.run import appraise

    pages = report_pages(appraise(scenario, ()), scenario_file=None, today=TODAY)
    for number, page in enumerate(pages, start=1):
        assert layout_problems(page) == [], f"page {number}"


def test_risk_report_pages_have_nothing_overlapping_or_cut_off(
    loan_risk_pages: list[Page],
) -> None:
    titles = [page.figure.texts[0].get_text() for page in loan_risk_pages]
    assert "Sensitivity" in titles and "Risk: distributions" in titles
    for number, page in enumerate(loan_risk_pages, start=1):
        assert layout_problems(page) == [], f"page {number} ({titles[number - 1]})"


def _page_text(page: Page) -> str:
    return " ".join(t.get_text() for t in page.figure.texts)


def test_summary_states_p50_p90_and_reference_currency_on_one_page(
    loan_risk_pages: list[Page],
) -> None:
    from solarcase.cli.run import appraise
    from solarcase.report.risk_pages import scenario_risk

    result = appraise(LOAN_RISK, ())
    _, risk = scenario_risk(result)  # seeded: the draws the report used
    assert risk is not None
    summary = _page_text(loan_risk_pages[0])
    assert loan_risk_pages[1].figure.texts[0].get_text() == "Energy"
    assert "P50" in summary and "P90" in summary and "USD (reference)" in summary
    draws = risk.main.draws
    # Px is exceeded with probability x: P50 the median, P90 the 10th percentile
    npv_p50, npv_p90 = np.percentile(draws["npv"], [50, 10])
    assert f"{npv_p50 / 1e9:,.1f} bn IRR" in summary
    assert f"{npv_p90 / 1e9:,.1f} bn IRR" in summary
    energy_p90 = np.percentile(draws["annual_energy_kwh"], 10)
    assert f"{energy_p90 / 1000:,.0f} MWh" in summary
    dscr_p50, dscr_p90 = np.percentile(draws["min_dscr"], [50, 10])
    assert f"{dscr_p50:.2f}" in summary and f"{dscr_p90:.2f}" in summary
    # USD NPV: each year's flow at that year's rate, discounted in USD
    ref = result.reference
    assert ref is not None
    years = np.arange(ref.fx.shape[1])
    flows_usd = result.cashflow.project_fcf[0] / ref.fx[0]
    npv_usd = float(
        np.sum(flows_usd / (1 + float(ref.discount_rate_nominal[0])) ** years)
    )
    assert format_money(npv_usd, "USD") in summary


def _finance_page_text(pages: list[Page]) -> str:
    from matplotlib.text import Text

    (page,) = [p for p in pages if p.figure.texts[0].get_text() == "Finance"]
    return " ".join(t.get_text() for t in page.figure.findobj(Text))


def test_debt_chart_shows_the_scenario_covenant(
    loan_risk_pages: list[Page],
) -> None:
    from solarcase.cli.run import appraise

    # finance.targets.min_dscr: 1.3 and no risk section: the lender's minimum
    loan = appraise(ROOT / "scenarios" / "birjand-1mw-subsidised-loan.yaml", ())
    text = _finance_page_text([finance_page(loan)])
    assert "DSCR covenant 1.30" in text and "DSCR covenant 1.20" not in text
    # risk.dscr_covenant: 1.2 beside min_dscr: 1.3: the covenant the risk pages use
    assert "DSCR covenant 1.20" in _finance_page_text(loan_risk_pages)


def test_a_site_south_and_west_of_greenwich_is_shown_so() -> None:
    from dataclasses import replace

    from solarcase.cli.run import appraise
    from solarcase.report.tables import header_lines

    result = appraise(VALID, ())
    # Santiago de Chile: 33.45 degrees south, 70.67 degrees west
    where = {"latitude": -33.45, "longitude": -70.67}
    site = result.scenario.site.model_copy(update=where)
    south = replace(
        result,
        scenario=result.scenario.model_copy(update={"site": site}),
        weather_meta=replace(result.weather_meta, **where),
    )
    plant = dict(plant_rows(south))["Site"]
    weather = _page_text(energy_page(south))
    assert "33.4500° S, 70.6700° W" in plant
    assert "33.4500° S, 70.6700° W" in weather
    assert "° N" not in plant + weather and "° E" not in plant + weather
    assert "33.45° S, 70.67° W" in " ".join(header_lines(south))


def test_cash_flow_table_pages_repeat_the_header(loan_risk_pages: list[Page]) -> None:
    tables = [
        p for p in loan_risk_pages if p.figure.texts[0].get_text() == "Cash-flow table"
    ]
    assert len(tables) == 2  # 26 years, 13 a page
    for page in tables:
        text = _page_text(page)
        assert "Energy [MWh]" in text and "Free cash flow, project" in text


def test_a_long_table_goes_on_over_pages_with_its_header() -> None:
    flow = Flow("Long")
    rows = [(f"row {i}", f"{i:,}") for i in range(150)]
    flow.table(rows, columns_in=(2.0, 1.0), header=("Key", "Value"))
    assert len(flow.pages) >= 3
    seen = []
    for page in flow.pages:
        texts = [t.get_text() for t in page.figure.texts]
        assert "Key" in texts and "Value" in texts
        seen += [t for t in texts if t.startswith("row ")]
        assert layout_problems(page) == []
    assert seen == [row for row, _ in rows]


@given(
    st.lists(
        st.text(alphabet="abc._/, ", min_size=1, max_size=60), min_size=1, max_size=5
    ),
    st.integers(min_value=10, max_value=40),
)
def test_wrap_keeps_every_character_and_the_width(words: list[str], chars: int) -> None:
    text = " ".join(words)
    lines = wrap(text, chars)
    assert all(len(line) <= chars for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_wrap_breaks_a_dotted_key_after_a_dot() -> None:
    lines = wrap("finance.operating_costs.fixed_om.per_kwp_year", 38)
    assert lines == ["finance.operating_costs.fixed_om.", "per_kwp_year"]


def test_assumption_units_follow_each_part_currency() -> None:
    from solarcase.scenario.load import load_scenario

    rows = {
        key: (value, unit) for key, value, unit in input_rows(load_scenario(LOAN_RISK))
    }
    assert rows["finance.exchange_rates.USD.start_rate"][1] == "IRR/USD"
    assert rows["finance.capex.equipment.per_kwp"][1] == "USD/kWp"  # priced in USD
    assert rows["finance.capex.installation_and_grid.per_kwp"][1] == "IRT/kWp"
    assert rows["finance.operating_costs.fixed_om.per_kwp_year"][1] == "IRR/kWp/year"
    assert rows["risk.variables.capex.distribution.low"][1] == "factor"
    assert rows["risk.variables.inflation.distribution.mean"][1] == "unit of the key"
    assert rows["risk.variables.capex.source"][1] == ""  # "[estimate]" is a tag
    assert rows["risk.correlations"] == ("(inflation, exchange_rate, 0.7)", "")
    assert rows["finance.grants"] == ("none", "")
    own = {
        key: (value, unit)
        for key, value, unit in input_rows(load_scenario(SELF_CONSUMPTION))
    }
    assert own["finance.revenue.load.profile"] == ("office", "")
    assert own["finance.revenue.purchase_escalation_rate"] == ("25.0 %", "per year")
