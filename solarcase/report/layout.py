"""Text and charts laid out on A4 pages, top to bottom, with matplotlib.

A :class:`Page` is a matplotlib Figure the size of an A4 sheet and a cursor that
moves down as headings, paragraphs, tables and chart axes are added. Everything is
drawn in points and inches so that it looks the same on any page; text stays text
(selectable and searchable in the PDF).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure

A4_PORTRAIT_IN = (8.27, 11.69)
A4_LANDSCAPE_IN = (11.69, 8.27)
MARGIN_IN = 0.6
BODY_PT = 9.0
SMALL_PT = 7.5
HEADING_PT = 12.0
TITLE_PT = 17.0
LINE_SPACING = 1.4
#: Average width of a body character as a share of its size (DejaVu Sans).
CHAR_WIDTH_EM = 0.55
ACCENT = "#1f4e79"
MUTED = "0.35"


@dataclass
class Page:
    """One page and a cursor, in inches from the top-left corner of the sheet."""

    size_in: tuple[float, float] = A4_PORTRAIT_IN
    figure: Figure = field(init=False)
    cursor_in: float = field(init=False, default=MARGIN_IN)

    def __post_init__(self) -> None:
        self.figure = Figure(figsize=self.size_in)

    @property
    def width_in(self) -> float:
        """Width between the margins [inch]."""
        return self.size_in[0] - 2 * MARGIN_IN

    @property
    def remaining_in(self) -> float:
        """Height left above the bottom margin [inch]."""
        return self.size_in[1] - MARGIN_IN - self.cursor_in

    def _xy(self, x_in: float, y_in: float) -> tuple[float, float]:
        return x_in / self.size_in[0], 1.0 - y_in / self.size_in[1]

    def space(self, height_in: float) -> None:
        """Move the cursor down."""
        self.cursor_in += height_in

    def text(
        self,
        text: str,
        *,
        size: float = BODY_PT,
        x_in: float = 0.0,
        weight: str = "normal",
        color: str = "black",
        width_in: float | None = None,
        advance: bool = True,
    ) -> None:
        """A paragraph wrapped to the width, starting ``x_in`` from the left margin."""
        width = (width_in or self.width_in - x_in) * 72.0
        chars = max(10, int(width / (size * CHAR_WIDTH_EM)))
        lines = textwrap.wrap(text, chars) or [""]
        line_in = size * LINE_SPACING / 72.0
        for line in lines:
            self.figure.text(
                *self._xy(MARGIN_IN + x_in, self.cursor_in + size / 72.0),
                line,
                fontsize=size,
                weight=weight,
                color=color,
                va="baseline",
            )
            if advance:
                self.cursor_in += line_in

    def title(self, text: str, subtitle: str = "") -> None:
        """The page title with a rule under it."""
        self.text(text, size=TITLE_PT, weight="bold", color=ACCENT)
        if subtitle:
            self.text(subtitle, size=BODY_PT, color=MUTED)
        self.rule()

    def heading(self, text: str) -> None:
        """A section heading."""
        self.space(0.12)
        self.text(text, size=HEADING_PT, weight="bold", color=ACCENT)
        self.space(0.02)

    def rule(self) -> None:
        """A thin horizontal line across the text width."""
        self.space(0.05)
        x0, y = self._xy(MARGIN_IN, self.cursor_in)
        x1, _ = self._xy(MARGIN_IN + self.width_in, self.cursor_in)
        self.figure.add_artist(_line(x0, x1, y))
        self.space(0.12)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        *,
        columns_in: Sequence[float],
        align: Sequence[str] | None = None,
        header: Sequence[str] | None = None,
        size: float = BODY_PT,
        bold_first: bool = False,
        shade: bool = True,
    ) -> None:
        """A table: ``columns_in`` are the column widths [inch] from the left margin;
        text in a column is aligned left ("l") or right ("r")."""
        align = align or ["l"] + ["r"] * (len(columns_in) - 1)
        line_in = size * LINE_SPACING / 72.0
        edges = [0.0]
        for width in columns_in:
            edges.append(edges[-1] + width)
        if header is not None:
            self._row(header, edges, align, size, "bold", line_in)
            self.rule_thin()
        for index, row in enumerate(rows):
            if shade and index % 2 == 1:
                self._shade(edges[-1], line_in)
            weight = "bold" if bold_first and index == 0 else "normal"
            self._row(row, edges, align, size, weight, line_in)

    def rule_thin(self) -> None:
        """A hairline under a table header."""
        x0, y = self._xy(MARGIN_IN, self.cursor_in - 0.03)
        x1, _ = self._xy(MARGIN_IN + self.width_in, self.cursor_in - 0.03)
        self.figure.add_artist(_line(x0, x1, y, width=0.4))

    def _shade(self, width_in: float, line_in: float) -> None:
        from matplotlib.patches import Rectangle

        x, y = self._xy(MARGIN_IN - 0.04, self.cursor_in + line_in - 0.03)
        self.figure.add_artist(
            Rectangle(
                (x, y),
                (width_in + 0.08) / self.size_in[0],
                line_in / self.size_in[1],
                transform=self.figure.transFigure,
                facecolor="0.94",
                edgecolor="none",
                zorder=-1,
            )
        )

    def _row(
        self,
        cells: Sequence[str],
        edges: Sequence[float],
        align: Sequence[str],
        size: float,
        weight: str,
        line_in: float,
    ) -> None:
        """One table row; left-aligned cells wrap to their column width."""
        baseline = self.cursor_in + size / 72.0
        heights = []
        for cell, left, right, how in zip(cells, edges, edges[1:], align, strict=False):
            if how == "l":
                chars = max(
                    8, int((right - left - 0.08) * 72.0 / (size * CHAR_WIDTH_EM))
                )
                lines = textwrap.wrap(cell, chars) or [""]
                x_in, ha = left, "left"
            else:
                lines, x_in, ha = [cell], right - 0.05, "right"
            for number, line in enumerate(lines):
                self.figure.text(
                    *self._xy(MARGIN_IN + x_in, baseline + number * line_in),
                    line,
                    fontsize=size,
                    weight=weight,
                    ha=ha,
                    va="baseline",
                )
            heights.append(len(lines))
        self.cursor_in += line_in * max(heights, default=1)

    def axes(
        self,
        height_in: float,
        *,
        left_in: float = 0.7,
        right_in: float = 0.1,
        bottom_in: float = 0.45,
        top_in: float = 0.3,
    ) -> Axes:
        """Chart axes of the given total height at the cursor (labels included)."""
        x0 = MARGIN_IN + left_in
        width = self.width_in - left_in - right_in
        top = self.cursor_in + top_in
        plot_height = height_in - top_in - bottom_in
        rect = (
            x0 / self.size_in[0],
            1.0 - (top + plot_height) / self.size_in[1],
            width / self.size_in[0],
            plot_height / self.size_in[1],
        )
        self.cursor_in += height_in
        return self.figure.add_axes(rect)

    def footer(self, text: str, page_number: int) -> None:
        """Small print at the bottom of the page."""
        y = self.size_in[1] - MARGIN_IN / 2
        self.figure.text(*self._xy(MARGIN_IN, y), text, fontsize=SMALL_PT, color=MUTED)
        self.figure.text(
            *self._xy(self.size_in[0] - MARGIN_IN, y),
            f"page {page_number}",
            fontsize=SMALL_PT,
            color=MUTED,
            ha="right",
        )


def _line(x0: float, x1: float, y: float, *, width: float = 0.8):  # type: ignore[no-untyped-def]
    from matplotlib.lines import Line2D

    return Line2D([x0, x1], [y, y], color=ACCENT, linewidth=width)
