"""Building blocks of the auditable workbook: styles, defined names, sheets.

:class:`Book` wraps an openpyxl workbook with the conventions every sheet shares:
years 0..N in the same columns of every year sheet (column C is year 0), the year in
row 3, input cells filled yellow with blue text and given a workbook-level defined
name, cells that hold values where a formula cannot be written filled orange with a
note, and structural settings (the layout depends on them) filled grey.
:class:`InputSheet` writes label / value / unit / source-key rows; :class:`YearSheet`
writes rows whose cells are formulas of the year. Formulas are written in Excel's
English syntax without the leading ``=`` (added here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

#: Row of the year numbers on every year sheet; data rows start below it.
YEAR_ROW = 3
#: Column of year 0 on every year sheet (C); year t is in column 3 + t.
FIRST_YEAR_COLUMN = 3

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
VALUE_FILL = PatternFill("solid", fgColor="FCE4D6")
FIXED_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FONT = Font(color="0000CC")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
SECTION_FONT = Font(bold=True, color="1F4E78")
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
TOTAL_BORDER = Border(top=Side(style="thin", color="808080"))
UNIT = Alignment(indent=1)
RIGHT = Alignment(horizontal="right")

#: Number formats by kind of quantity.
FORMATS: dict[str, str] = {
    "money": '#,##0;[Red]-#,##0;"-"',
    "money2": '#,##0.00;[Red]-#,##0.00;"-"',
    "energy": '#,##0;-#,##0;"-"',
    "price": "#,##0",
    "price4": "#,##0.0000",
    "percent": "0.00%",
    "factor": "0.00000",
    "ratio": "0.00",
    "years": "0",
    "years1": "0.0",
    "rate": "#,##0.####",
    "fx": "#,##0",
    "fx4": "#,##0.0000",
    "fx_small": "0.000E+00",
    "text": "@",
    "general": "General",
}

Kind = Literal["input", "formula", "value", "fixed"]
NOTE_AUTHOR = "solarcase"


def year_column(year: int) -> str:
    """Column letter of a year on every year sheet (year 0 in C)."""
    return get_column_letter(FIRST_YEAR_COLUMN + year)


def fx_format(rate: float) -> str:
    """Number format key for an exchange rate of this size."""
    if abs(rate) >= 100:
        return "fx"
    return "fx4" if abs(rate) >= 0.01 else "fx_small"


def style_cell(cell: Cell, kind: Kind, fmt: str) -> None:
    """Fill and number format for an input, formula, value or fixed cell."""
    cell.number_format = FORMATS[fmt]
    if kind == "input":
        cell.fill, cell.font = INPUT_FILL, INPUT_FONT
    elif kind == "value":
        cell.fill = VALUE_FILL
    elif kind == "fixed":
        cell.fill = FIXED_FILL


def as_formula(value: str | float | bool | None) -> str | float | bool | None:
    """A formula text gets its ``=``; numbers, booleans and None stay as they are."""
    if isinstance(value, str):
        return "=" + value
    return value


class Book:
    """The workbook, its defined names and where each year row lives."""

    def __init__(self, n_years: int) -> None:
        self.wb = Workbook()
        self.n_years = n_years
        self.names: dict[str, str] = {}
        self.rows: dict[str, tuple[str, int]] = {}
        self.validations: dict[tuple[str, str], DataValidation] = {}

    def sheet(self, title: str) -> Worksheet:
        """A new sheet (the first call renames the default one)."""
        if len(self.wb.worksheets) == 1 and self.wb.active.title == "Sheet":
            ws = self.wb.active
            ws.title = title
            return ws
        return self.wb.create_sheet(title)

    def define(self, name: str, sheet: str, cell: str) -> str:
        """Give ``sheet!cell`` a workbook-level defined name; return the name."""
        key = name.lower()
        if key in {n.lower() for n in self.names}:
            raise ValueError(f"defined name {name!r} used twice")
        column = "".join(ch for ch in cell if ch.isalpha())
        row = "".join(ch for ch in cell if ch.isdigit())
        target = f"{quote_sheetname(sheet)}!${column}${row}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=target)
        self.names[name] = target
        return name

    def ref(self, name: str, year: int, *, on_sheet: str | None = None) -> str:
        """Year ``year`` of year row ``name``, absolute (``'Cash flow'!$C$12``);
        the sheet is left out when it is ``on_sheet`` (where the formula is)."""
        sheet, row = self.rows[name]
        return f"{self._prefix(sheet, on_sheet)}${year_column(year)}${row}"

    def range(
        self, name: str, from_year: int = 0, *, on_sheet: str | None = None
    ) -> str:
        """Years ``from_year``..N of year row ``name``, absolute
        (``'Cash flow'!$D$12:$AB$12``); the sheet is left out when it is
        ``on_sheet``."""
        sheet, row = self.rows[name]
        first, last = year_column(from_year), year_column(self.n_years)
        return f"{self._prefix(sheet, on_sheet)}${first}${row}:${last}${row}"

    @staticmethod
    def _prefix(sheet: str, on_sheet: str | None) -> str:
        return "" if sheet == on_sheet else f"{quote_sheetname(sheet)}!"

    def register(self, name: str, sheet: str, row: int) -> None:
        """Record the row of a year row, for references from other sheets."""
        if name in self.rows:
            raise ValueError(f"year row {name!r} registered twice")
        self.rows[name] = (sheet, row)

    def choice(self, ws: Worksheet, cell: str, options: Sequence[str]) -> None:
        """A drop-down list of allowed words for a text input cell."""
        key = (ws.title, ",".join(options))
        if key not in self.validations:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=False,
                showErrorMessage=True,
                errorTitle="Not allowed",
                error="Choose one of: " + ", ".join(options),
            )
            ws.add_data_validation(rule)
            self.validations[key] = rule
        self.validations[key].add(cell)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading row inside a sheet."""

    title: str


class InputSheet:
    """Rows of label | value | unit | source key | note, with defined names."""

    def __init__(self, book: Book, title: str, heading: str, intro: str) -> None:
        self.book = book
        self.ws = book.sheet(title)
        ws = self.ws
        ws["A1"] = heading
        ws["A1"].font = TITLE_FONT
        ws["A2"] = intro
        ws["A2"].font = NOTE_FONT
        for column, text in zip(
            "ABCDE", ("Input", "Value", "Unit", "Source", "Note"), strict=True
        ):
            cell = ws[f"{column}4"]
            cell.value = text
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        for column, width in zip("ABCDE", (46, 20, 14, 52, 70), strict=True):
            ws.column_dimensions[column].width = width
        ws.freeze_panes = "B5"
        self.row = 5

    def section(self, title: str) -> None:
        """A heading row."""
        self.row += 1 if self.row > 5 else 0
        for column in "ABCDE":
            self.ws[f"{column}{self.row}"].fill = SECTION_FILL
        self.ws[f"A{self.row}"] = title
        self.ws[f"A{self.row}"].font = SECTION_FONT
        self.row += 1

    def add(
        self,
        name: str | None,
        label: str,
        value: str | float | bool,
        unit: str,
        source: str,
        *,
        kind: Kind = "input",
        fmt: str = "rate",
        note: str = "",
        choices: Sequence[str] = (),
    ) -> str:
        """Write one row; a value starting with ``=`` is a formula, other text is
        text; return the defined name."""
        ws, row = self.ws, self.row
        ws[f"A{row}"] = label
        cell = ws[f"B{row}"]
        cell.value = value
        style_cell(cell, kind, fmt)
        if isinstance(value, bool) and kind == "input":
            choices = ("TRUE", "FALSE")
        if choices and kind == "input" and not isinstance(value, bool):
            self.book.choice(ws, f"B{row}", choices)
        ws[f"C{row}"] = unit
        ws[f"C{row}"].alignment = UNIT
        ws[f"D{row}"] = source
        ws[f"E{row}"] = note
        ws[f"E{row}"].font = NOTE_FONT
        if kind in ("value", "fixed") and note:
            cell.comment = Comment(note, NOTE_AUTHOR, width=320, height=110)
        self.row += 1
        if name is not None:
            self.book.define(name, ws.title, f"B{row}")
            return name
        return ""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a year sheet: a formula of the year, or values."""

    name: str
    """Key of the row (the engine's row name where there is one)."""
    label: str
    """What the row is, with its unit."""
    fmt: str
    """Number format key of :data:`FORMATS`."""
    formula: Callable[[Year], str | float] | None = None
    """The cell of year t; returns a formula (without ``=``) or a number."""
    values: Sequence[float] | None = None
    """Values for years 0..N where there is no formula."""
    kind: Kind = "formula"
    """input (values the user may change), formula, value (from the engine)."""
    bold: bool = False
    """A total: bold with a rule above."""
    note: str = ""
    """Shown beside the label (and as a cell note on value rows)."""


class Year:
    """The cell of year t of a row being written: references to other year rows."""

    def __init__(self, book: Book, sheet: str, year: int) -> None:
        self.book, self.sheet, self.year = book, sheet, year
        self.col = year_column(year)
        self.t = f"{self.col}${YEAR_ROW}"
        """The year number of this column (``D$3``)."""

    def _ref(self, name: str, column: str) -> str:
        sheet, row = self.book.rows[name]
        return f"{self.book._prefix(sheet, self.sheet)}{column}{row}"

    def __call__(self, name: str) -> str:
        """The same year in row ``name``."""
        return self._ref(name, self.col)

    def prev(self, name: str) -> str:
        """The year before in row ``name`` (year >= 1 only)."""
        if self.year < 1:
            raise ValueError("year 0 has no previous year")
        return self._ref(name, year_column(self.year - 1))

    def first(self, name: str) -> str:
        """Year 0 of row ``name``, absolute."""
        return self.book.ref(name, 0, on_sheet=self.sheet)

    def down(self, top: str, bottom: str) -> str:
        """This year's cells from row ``top`` down to row ``bottom`` (one sheet)."""
        sheet, first = self.book.rows[top]
        _, last = self.book.rows[bottom]
        prefix = self.book._prefix(sheet, self.sheet)
        return f"{prefix}{self.col}{first}:{self.col}{last}"

    def span(self, name: str) -> str:
        """Years 0..N of row ``name``, absolute (for INDEX and SUMPRODUCT)."""
        return self.book.range(name, on_sheet=self.sheet)


class YearSheet:
    """A sheet with years 0..N as columns C.. and named rows below the year row."""

    def __init__(self, book: Book, title: str, heading: str, intro: str) -> None:
        self.book = book
        self.ws = book.sheet(title)
        self.items: list[Row | Section] = []
        ws = self.ws
        ws["A1"] = heading
        ws["A1"].font = TITLE_FONT
        ws["A2"] = intro
        ws["A2"].font = NOTE_FONT
        ws.column_dimensions["A"].width = 50
        ws.column_dimensions["B"].width = 24
        header: list[tuple[str, str | int]] = [("A", "line item [unit]"), ("B", "key")]
        header += [(year_column(t), t) for t in range(book.n_years + 1)]
        for column, value in header:
            cell = ws[f"{column}{YEAR_ROW}"]
            cell.value = value
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            cell.alignment = Alignment(horizontal="center")
        for t in range(book.n_years + 1):
            ws.column_dimensions[year_column(t)].width = 19
        ws.freeze_panes = f"{year_column(0)}{YEAR_ROW + 1}"

    def plan(self, items: Sequence[Row | Section]) -> None:
        """Give each row its place (so formulas may refer to rows written later)."""
        row = YEAR_ROW + 1 + sum(self._height(item) for item in self.items)
        for item in items:
            if isinstance(item, Row):
                self.book.register(item.name, self.ws.title, row)
            row += self._height(item)
            self.items.append(item)

    @staticmethod
    def _height(item: Row | Section) -> int:
        return 2 if isinstance(item, Section) else 1

    def write(self) -> None:
        """Write every planned row."""
        ws = self.ws
        row = YEAR_ROW + 1
        for item in self.items:
            if isinstance(item, Section):
                row += 1
                ws[f"A{row}"] = item.title
                ws[f"A{row}"].font = SECTION_FONT
                for t in range(-2, self.book.n_years + 1):
                    column = year_column(t) if t >= 0 else "AB"[t + 2]
                    ws[f"{column}{row}"].fill = SECTION_FILL
                row += 1
                continue
            self._write_row(item, row)
            row += 1

    def _write_row(self, item: Row, row: int) -> None:
        ws = self.ws
        label = ws[f"A{row}"]
        label.value = item.label
        ws[f"B{row}"] = item.name
        ws[f"B{row}"].font = NOTE_FONT
        if item.bold:
            label.font = BOLD
        if item.note:
            label.comment = Comment(item.note, NOTE_AUTHOR, width=360, height=120)
        if item.kind == "value":
            label.fill = VALUE_FILL
        for t in range(self.book.n_years + 1):
            cell = ws[f"{year_column(t)}{row}"]
            if item.values is not None:
                cell.value = float(item.values[t])
            elif item.formula is not None:
                cell.value = as_formula(item.formula(Year(self.book, ws.title, t)))
            style_cell(cell, item.kind, item.fmt)
            if item.bold:
                cell.font, cell.border = BOLD, TOTAL_BORDER
