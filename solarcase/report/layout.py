"""Text and charts laid out on A4 pages, top to bottom, with matplotlib.

A :class:`Page` is a matplotlib Figure the size of an A4 sheet and a cursor that
moves down as headings, paragraphs, tables and chart axes are added. Everything is
drawn in points and inches so that it looks the same on any page; text stays text
(selectable and searchable in the PDF).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
#: How much wider bold text is.
BOLD_WIDTH = 1.12
#: Height of a :meth:`Page.heading` [inch].
HEADING_IN = 0.12 + HEADING_PT * LINE_SPACING / 72.0 + 0.02
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
    ) -> None:
        """A paragraph wrapped to the width, starting ``x_in`` from the left margin."""
        width = (self.width_in - x_in) * 72.0
        lines = wrap(text, _chars(width, size, weight))
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
            self.cursor_in += line_in

    def text_height(
        self,
        text: str,
        *,
        size: float = BODY_PT,
        x_in: float = 0.0,
        weight: str = "normal",
    ) -> float:
        """Height [inch] :meth:`text` would take for this paragraph."""
        width = (self.width_in - x_in) * 72.0
        lines = wrap(text, _chars(width, size, weight))
        return len(lines) * size * LINE_SPACING / 72.0

    def title(self, text: str, subtitle: str = "") -> None:
        """The page title with a rule under it."""
        self.text(text, size=TITLE_PT, weight="bold", color=ACCENT)
        if subtitle:
            self.text(subtitle, size=BODY_PT, color=MUTED)
        self.rule()

    def heading(self, text: str) -> None:
        """A section heading (:data:`HEADING_IN` high)."""
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
        shade: bool = True,
        new_page: Callable[[], Page] | None = None,
    ) -> Page:
        """A table: ``columns_in`` are the column widths [inch] from the left margin;
        text in a column is aligned left ("l", wrapped to the column) or right ("r").

        With ``new_page`` (a function returning a fresh page) a table too long for
        the page goes on over further pages, its header repeated on each; the page
        the table ends on is returned (this page without ``new_page``).
        """
        align = align or ["l"] + ["r"] * (len(columns_in) - 1)
        line_in = size * LINE_SPACING / 72.0
        edges = [0.0]
        for width in columns_in:
            edges.append(edges[-1] + width)
        page = self
        header_in = 0.0 if header is None else line_in
        for index, row in enumerate(rows):
            lines = _cell_lines(row, edges, align, size)
            height = line_in * max((len(c) for c in lines), default=1)
            if (
                new_page is not None
                and height + (header_in if index == 0 else 0.0)
                > page.remaining_in + 1e-9
            ):
                page = new_page()
                if index > 0 and header is not None:
                    page._header(header, edges, align, size, line_in)
            if index == 0 and header is not None:
                page._header(header, edges, align, size, line_in)
            if shade and index % 2 == 1:
                page._shade(edges[-1], height)
            page._draw_row(lines, edges, align, size, "normal", line_in)
        if not rows and header is not None:
            page._header(header, edges, align, size, line_in)
        return page

    def _header(
        self,
        header: Sequence[str],
        edges: Sequence[float],
        align: Sequence[str],
        size: float,
        line_in: float,
    ) -> None:
        lines = _cell_lines(header, edges, align, size)
        self._draw_row(lines, edges, align, size, "bold", line_in)
        self.rule_thin()

    def rule_thin(self) -> None:
        """A hairline under a table header."""
        x0, y = self._xy(MARGIN_IN, self.cursor_in - 0.03)
        x1, _ = self._xy(MARGIN_IN + self.width_in, self.cursor_in - 0.03)
        self.figure.add_artist(_line(x0, x1, y, width=0.4))

    def _shade(self, width_in: float, height_in: float) -> None:
        """A grey band behind the next ``height_in`` of a table."""
        from matplotlib.patches import Rectangle

        x, y = self._xy(MARGIN_IN - 0.04, self.cursor_in + height_in - 0.03)
        self.figure.add_artist(
            Rectangle(
                (x, y),
                (width_in + 0.08) / self.size_in[0],
                height_in / self.size_in[1],
                transform=self.figure.transFigure,
                facecolor="0.94",
                edgecolor="none",
                zorder=-1,
            )
        )

    def _draw_row(
        self,
        lines: Sequence[Sequence[str]],
        edges: Sequence[float],
        align: Sequence[str],
        size: float,
        weight: str,
        line_in: float,
    ) -> None:
        """One table row of wrapped cells; the cursor moves below its tallest cell."""
        baseline = self.cursor_in + size / 72.0
        for cell, left, right, how in zip(lines, edges, edges[1:], align, strict=False):
            x_in, ha = (left, "left") if how == "l" else (right - 0.05, "right")
            for number, line in enumerate(cell):
                self.figure.text(
                    *self._xy(MARGIN_IN + x_in, baseline + number * line_in),
                    line,
                    fontsize=size,
                    weight=weight,
                    ha=ha,
                    va="baseline",
                )
        self.cursor_in += line_in * max((len(c) for c in lines), default=1)

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
        (axes,) = self.axes_row(
            height_in,
            1,
            left_in=left_in,
            right_in=right_in,
            bottom_in=bottom_in,
            top_in=top_in,
        )
        return axes

    def axes_row(
        self,
        height_in: float,
        count: int,
        *,
        gap_in: float = 0.7,
        left_in: float = 0.7,
        right_in: float = 0.1,
        bottom_in: float = 0.45,
        top_in: float = 0.3,
    ) -> list[Axes]:
        """``count`` chart axes side by side at the cursor, ``gap_in`` apart, each
        cell of the row keeping the given room for labels [inch]."""
        cell = (self.width_in - gap_in * (count - 1)) / count
        top = self.cursor_in + top_in
        plot_height = height_in - top_in - bottom_in
        axes = []
        for index in range(count):
            x0 = MARGIN_IN + index * (cell + gap_in) + left_in
            rect = (
                x0 / self.size_in[0],
                1.0 - (top + plot_height) / self.size_in[1],
                (cell - left_in - right_in) / self.size_in[0],
                plot_height / self.size_in[1],
            )
            axes.append(self.figure.add_axes(rect))
        self.cursor_in += height_in
        return axes

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


class Flow:
    """Pages of one section filled top to bottom: when the next piece does not fit,
    a new page titled "<title> (continued)" is started; tables go on over pages
    with their header repeated. ``start`` draws what every page of the section
    begins with (after its title)."""

    def __init__(
        self,
        title: str,
        subtitle: str = "",
        *,
        start: Callable[[Page], None] | None = None,
    ) -> None:
        self.title = title
        self.start = start
        self.pages: list[Page] = [Page()]
        self.pages[0].title(title, subtitle)
        if start is not None:
            start(self.pages[0])

    @property
    def page(self) -> Page:
        """The page being filled."""
        return self.pages[-1]

    def new_page(self) -> Page:
        """Start a continuation page and return it."""
        page = Page()
        page.title(f"{self.title} (continued)")
        if self.start is not None:
            self.start(page)
        self.pages.append(page)
        return page

    def need(self, height_in: float) -> Page:
        """The current page if ``height_in`` still fits on it, else a new one."""
        if self.page.remaining_in < height_in:
            self.new_page()
        return self.page

    def text(
        self,
        text: str,
        *,
        size: float = BODY_PT,
        weight: str = "normal",
        color: str = "black",
    ) -> None:
        """A paragraph (see :meth:`Page.text`), on a new page if it does not fit."""
        self.need(self.page.text_height(text, size=size, weight=weight)).text(
            text, size=size, weight=weight, color=color
        )

    def heading(self, text: str, *, keep_in: float = 0.5) -> None:
        """A heading kept together with the next ``keep_in`` of content."""
        self.need(HEADING_IN + keep_in).heading(text)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        *,
        columns_in: Sequence[float],
        align: Sequence[str] | None = None,
        header: Sequence[str] | None = None,
        size: float = BODY_PT,
        shade: bool = True,
    ) -> None:
        """A table (see :meth:`Page.table`) that goes on over pages as needed."""
        self.page.table(
            rows,
            columns_in=columns_in,
            align=align,
            header=header,
            size=size,
            shade=shade,
            new_page=self.new_page,
        )


def _chars(width_pt: float, size: float, weight: str) -> int:
    """How many characters of a paragraph fit in ``width_pt``."""
    em = CHAR_WIDTH_EM * (BOLD_WIDTH if weight == "bold" else 1.0)
    return max(10, int(width_pt / (size * em)))


def wrap(text: str, chars: int) -> list[str]:
    """Lines of at most about ``chars`` characters, broken at spaces; a word longer
    than a line (a dotted key, a path, a hash) breaks after a ",", else a "." or
    "/", else a "_" where it can, else anywhere.

    Examples
    --------
    >>> wrap("finance.exchange_rates.USD.escalation_rate", 20)
    ['finance.', 'exchange_rates.USD.', 'escalation_rate']
    """
    lines: list[str] = []
    for line in textwrap.wrap(text, chars, break_long_words=False) or [""]:
        while len(line) > chars:
            cut = chars
            for marks in (",", "./", "_"):  # the best place to break first
                found = max(line.rfind(mark, 0, chars) for mark in marks) + 1
                if found > chars // 3:
                    cut = found
                    break
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def _cell_lines(
    cells: Sequence[str], edges: Sequence[float], align: Sequence[str], size: float
) -> list[list[str]]:
    """Each cell's lines: left-aligned cells wrapped to their column width."""
    out = []
    for cell, left, right, how in zip(cells, edges, edges[1:], align, strict=False):
        if how == "l":
            chars = max(8, int((right - left - 0.08) * 72.0 / (size * CHAR_WIDTH_EM)))
            out.append(wrap(cell, chars))
        else:
            out.append([cell])
    return out


def _line(x0: float, x1: float, y: float, *, width: float = 0.8) -> Line2D:
    return Line2D([x0, x1], [y, y], color=ACCENT, linewidth=width)
