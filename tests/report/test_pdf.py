"""The investor PDF: real text a reader can search, A4 pages, atomic writes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from solarcase.cli import app
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
