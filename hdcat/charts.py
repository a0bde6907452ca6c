"""Small server-side charts: accessible SVG bar charts with their numbers as a table.

Everything is plain HTML/SVG text with every label escaped; no JavaScript, no fonts, no
outside files. A chart is a `<figure>`: the SVG (role="img", an aria-label that reads out
every value, a `<title>` per bar or point), a table of the same numbers and, when given, a
link to them as CSV (`to_csv` writes it).
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

_ids = itertools.count(1)

FONT = 13  # px, in SVG user units
ROW = 26  # height of one horizontal bar row
GAP = 6


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and (optionally) where its table row links to."""

    label: str
    value: int
    href: str | None = None


def text_width(text: str, size: float = FONT) -> float:
    """Approximate rendered width of `text`: wide (CJK) characters 1 em, others ~0.6 em."""
    width = 0.0
    for ch in text:
        width += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6
    return width * size


def _clip(text: str, max_width: float, size: float = FONT) -> str:
    """`text` shortened with an ellipsis to fit `max_width`."""
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_width:
            break
        out += ch
    return out + "…"


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(n: int) -> str:
    return f"{n:,}"


def _table(bars: Sequence[Bar], caption: str, label_header: str, value_header: str,
           table_class: str) -> str:
    rows = []
    for bar in bars:
        label = _a(bar.label)
        if bar.href:
            label = f'<a href="{_a(bar.href)}">{label}</a>'
        rows.append(f'<tr><th scope="row">{label}</th><td class="num">{_fmt(bar.value)}</td></tr>')
    return (
        f'<table class="{_a(table_class)}"><caption>{_a(caption)}</caption>'
        f'<thead><tr><th scope="col">{_a(label_header)}</th>'
        f'<th scope="col" class="num">{_a(value_header)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _summary(title: str, bars: Sequence[Bar]) -> str:
    parts = ", ".join(f"{b.label} {_fmt(b.value)}" for b in bars)
    return f"{title}: {parts}" if parts else title


@dataclass(frozen=True)
class Figure:
    """How a chart's `<figure>` presents its numbers (shared by every kind of chart).

    `table` "visible" shows the numbers table under the chart, "hidden" keeps it for screen
    readers only (class visually-hidden), "details" folds it into `<details>` whose summary
    is `table_summary`. `csv_href` adds a link to the numbers as CSV; `beside` marks the
    figure (class chart-beside) for a layout with the table beside the chart."""

    title: str
    label_header: str = ""
    value_header: str = ""
    table: str = "visible"
    empty_text: str = "—"
    chart_id: str | None = None
    table_summary: str | None = None
    csv_href: str | None = None
    csv_label: str = "CSV"
    beside: bool = False


def _figure(kind: str, values: Sequence[Bar | tuple[str, int]], fig: Figure,
            draw: Callable[[Sequence[Bar]], str]) -> str:
    """The `<figure>` of a chart of `kind` whose SVG `draw(bars)` makes: caption, SVG,
    numbers table and CSV link (an empty-chart note instead when there are no values)."""
    items = [b if isinstance(b, Bar) else Bar(str(b[0]), int(b[1])) for b in values]
    chart_id = _a(fig.chart_id or f"chart-{next(_ids)}")
    caption = f'<figcaption id="{chart_id}-cap">{_a(fig.title)}</figcaption>'
    csv_link = _csv_link(fig.csv_href, fig.csv_label, fig.title)
    if not items:
        return (
            f'<figure class="chart chart-empty" aria-labelledby="{chart_id}-cap">{caption}'
            f'<p class="chart-empty-text">{_a(fig.empty_text)}</p>{csv_link}</figure>'
        )
    svg = draw(items)
    numbers = _table(items, fig.title, fig.label_header, fig.value_header,
                     "chart-data visually-hidden" if fig.table == "hidden" else "chart-data")
    if fig.table == "details":
        summary = fig.table_summary or f"{fig.label_header or fig.title} / {fig.value_header}"
        numbers = (f'<details class="chart-details"><summary>{_a(summary)}</summary>'
                   f"{numbers}</details>")
    classes = f"chart chart-{kind}" + (" chart-beside" if fig.beside else "")
    return (f'<figure class="{classes}" aria-labelledby="{chart_id}-cap">'
            f"{caption}{svg}{numbers}{csv_link}</figure>")


def bar_chart(
    bars: Sequence[Bar | tuple[str, int]],
    *,
    title: str,
    label_header: str = "",
    value_header: str = "",
    orientation: str = "horizontal",
    width: int = 420,
    table: str = "visible",
    empty_text: str = "—",
    chart_id: str | None = None,
    table_summary: str | None = None,
    csv_href: str | None = None,
    csv_label: str = "CSV",
    beside: bool = False,
) -> str:
    """An accessible bar chart as an HTML `<figure>` (SVG + table of the same numbers).

    `orientation` "horizontal" (labels left, good for names) or "vertical" (columns, good
    for years); the other options are those of `Figure`.
    """
    draw = _vertical if orientation == "vertical" else _horizontal
    fig = Figure(title, label_header, value_header, table, empty_text, chart_id,
                 table_summary, csv_href, csv_label, beside)
    return _figure(orientation, bars, fig, lambda items: draw(items, title, width))


def _csv_link(href: str | None, label: str, title: str) -> str:
    if not href:
        return ""
    return (f'<p class="chart-csv"><a href="{_a(href)}" type="text/csv" download '
            f'aria-label="{_a(title)}: {_a(label)}">{_a(label)}</a></p>')


def line_chart(
    points: Sequence[Bar | tuple[str, int]],
    *,
    title: str,
    label_header: str = "",
    value_header: str = "",
    width: int = 420,
    table: str = "visible",
    empty_text: str = "—",
    chart_id: str | None = None,
    table_summary: str | None = None,
    csv_href: str | None = None,
    csv_label: str = "CSV",
    beside: bool = False,
) -> str:
    """An accessible line chart (growth over time) as an HTML `<figure>`: a polyline with a
    marked, titled point per value, and the table of the same numbers."""
    fig = Figure(title, label_header, value_header, table, empty_text, chart_id,
                 table_summary, csv_href, csv_label, beside)
    return _figure("line", points, fig, lambda items: _line(items, title, width))


def _line(items: Sequence[Bar], title: str, width: int) -> str:
    top = max(b.value for b in items) or 1
    plot_h, pad, label_h, value_h = 140, 10, FONT + 8, FONT + 6
    slot = max(width / len(items), 6)
    width = max(width, int(slot * len(items)))
    widest = max(text_width(b.label) for b in items)
    every = max(1, int((widest + 6) // slot) + 1) if widest + 6 > slot else 1
    height = value_h + plot_h + label_h
    xy = [(i * slot + slot / 2, value_h + plot_h - b.value / top * (plot_h - pad))
          for i, b in enumerate(items)]
    out = [_svg_open(width, height, _summary(title, items))]
    out.append('<polyline class="line" fill="none" stroke="currentColor" stroke-width="2" '
               f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}"></polyline>')
    last = len(items) - 1
    for i, (bar, (x, y)) in enumerate(zip(items, xy, strict=True)):
        out.append(f'<g class="point"><title>{_a(bar.label)}: {_fmt(bar.value)}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5"></circle>')
        if i % every == 0 or i == last:
            out.append(f'<text class="bar-label" x="{x:.1f}" y="{height - 5:.1f}" '
                       f'text-anchor="middle">{_a(bar.label)}</text>')
        if i == last or i % every == 0:
            out.append(f'<text class="bar-value" x="{x:.1f}" y="{y - 6:.1f}" '
                       f'text-anchor="middle">{_fmt(bar.value)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with '."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The numbers of a chart or table as CSV text (RFC 4180, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def _svg_open(width: float, height: float, label: str) -> str:
    return (
        f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{_a(label)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{FONT}">'
    )


def _horizontal(items: Sequence[Bar], title: str, width: int) -> str:
    top = max((b.value for b in items), default=0) or 1
    label_w = min(max(text_width(b.label) for b in items) + 8, width * 0.45)
    value_w = max(text_width(_fmt(b.value)) for b in items) + 10
    bar_area = max(width - label_w - value_w, 40)
    height = len(items) * ROW + GAP
    out = [_svg_open(width, height, _summary(title, items))]
    for i, bar in enumerate(items):
        y = GAP + i * ROW
        length = bar.value / top * bar_area
        mid = y + (ROW - GAP) / 2
        out.append(
            f'<g class="bar"><title>{_a(bar.label)}: {_fmt(bar.value)}</title>'
            f'<text class="bar-label" x="{label_w - 8:.1f}" y="{mid:.1f}" '
            f'text-anchor="end" dominant-baseline="central">{_a(_clip(bar.label, label_w - 8))}'
            f"</text>"
            f'<rect x="{label_w:.1f}" y="{y:.1f}" width="{max(length, 1):.1f}" '
            f'height="{ROW - GAP}" rx="2"></rect>'
            f'<text class="bar-value" x="{label_w + length + 4:.1f}" y="{mid:.1f}" '
            f'dominant-baseline="central">{_fmt(bar.value)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _vertical(items: Sequence[Bar], title: str, width: int) -> str:
    top = max((b.value for b in items), default=0) or 1
    plot_h = 140
    label_h = FONT + 8
    value_h = FONT + 6
    slot = max(width / len(items), 6)
    width = max(width, int(slot * len(items)))
    widest = max(text_width(b.label) for b in items)
    # Label every k-th column when the labels would overlap.
    every = max(1, int((widest + 6) // slot) + 1) if widest + 6 > slot else 1
    height = value_h + plot_h + label_h
    out = [_svg_open(width, height, _summary(title, items))]
    for i, bar in enumerate(items):
        x = i * slot
        h = bar.value / top * plot_h
        y = value_h + plot_h - h
        cx = x + slot / 2
        out.append(f'<g class="bar"><title>{_a(bar.label)}: {_fmt(bar.value)}</title>'
                   f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                   f'height="{max(h, 1):.1f}" rx="2"></rect>')
        if text_width(_fmt(bar.value)) <= slot + 2:
            out.append(f'<text class="bar-value" x="{cx:.1f}" y="{y - 4:.1f}" '
                       f'text-anchor="middle">{_fmt(bar.value)}</text>')
        if i % every == 0:
            out.append(f'<text class="bar-label" x="{cx:.1f}" y="{height - 5:.1f}" '
                       f'text-anchor="middle">{_a(bar.label)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
