"""Bar charts as SVG, drawn on the server: no script, no network. Each chart is a `<figure>`
whose picture is followed by its table, the text alternative (the same figures, for screen
readers, for copying, and for a reader who wants the numbers).

Bars run across the page (a label above each group of bars), so long labels stay readable on
a narrow phone screen; the SVG scales to the width it is given. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 360
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GAP = 10
VALUE_ROOM = 64
#: one colour per series, each readable on white (contrast over 4.5:1) and told apart by the legend
COLOURS = ("#1f5f99", "#b34700", "#2e7d32", "#6a1b9a")


@dataclass(frozen=True)
class Series:
    """One set of bars: a value (or None: no figure) per category."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class BarChart:
    """Categories with one bar per series. `unit` follows each value ("%", " cities");
    `maximum` is the value of a full bar (the largest value when None)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    maximum: float | None = None
    #: what the categories are (the heading of the table's first column)
    of: str = ""

    def __post_init__(self) -> None:
        for one in self.series:
            if len(one.values) != len(self.categories):
                raise ValueError(
                    f"series {one.name!r} has {len(one.values)} values for {len(self.categories)} categories"
                )


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    of: str,
    series: str,
    unit: str = "",
    maximum: float | None = None,
) -> BarChart:
    """A chart of one series (`series`, e.g. "cities") from (category, value) rows."""
    return BarChart(
        title,
        tuple(label for label, _ in rows),
        (Series(series, tuple(value for _, value in rows)),),
        unit=unit,
        maximum=maximum,
        of=of,
    )


def shown(value: float | None, unit: str = "") -> str:
    """A value as the chart and its table write it: whole numbers without decimals."""
    if value is None:
        return "–"
    number = f"{value:g}" if value != int(value) else f"{int(value):,}"
    return number + unit


def render(chart: BarChart, *, anchor: str) -> Markup:
    """The chart as a `<figure>`: its title, the SVG, and its table. `anchor` is the figure's
    id (unique on its page), used for the ids of its parts."""
    caption = f'<figcaption id="{escape(anchor)}-title">{escape(chart.title)}</figcaption>'
    if not chart.categories:
        return Markup(
            f'<figure class="chart" id="{escape(anchor)}">{caption}<p>Nothing to show yet.</p></figure>'
        )
    return Markup(
        f'<figure class="chart" id="{escape(anchor)}">{caption}'
        f"{_svg(chart, anchor)}{_legend(chart)}{_table(chart, anchor)}</figure>"
    )


def _svg(chart: BarChart, anchor: str) -> str:
    values = [v for s in chart.series for v in s.values if v is not None]
    top = chart.maximum if chart.maximum is not None else max(values, default=0.0)
    room = WIDTH - VALUE_ROOM
    group = LABEL_HEIGHT + BAR_HEIGHT * len(chart.series) + GAP
    height = group * len(chart.categories)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(anchor)}-title" aria-describedby="{escape(anchor)}-table" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="system-ui, sans-serif">'
    ]
    for i, category in enumerate(chart.categories):
        y = i * group
        parts.append(f'<text x="0" y="{y + 13}" fill="#222">{escape(category)}</text>')
        for j, one in enumerate(chart.series):
            value = one.values[i]
            bar_y = y + LABEL_HEIGHT + j * BAR_HEIGHT
            length = 0.0 if value is None or top <= 0 else max(room * min(value, top) / top, 1.0)
            colour = COLOURS[j % len(COLOURS)]
            if value is not None:
                parts.append(
                    f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{BAR_HEIGHT - 3}" fill="{colour}">'
                    f"<title>{escape(one.name)}: {escape(shown(value, chart.unit))}</title></rect>"
                )
            text = shown(value, chart.unit) if value is not None else "no figure"
            parts.append(
                f'<text x="{length + 4:.1f}" y="{bar_y + BAR_HEIGHT - 5}" fill="#222">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend(chart: BarChart) -> str:
    if len(chart.series) < 2:
        return ""
    keys = "".join(
        f'<li><span class="swatch" aria-hidden="true" style="background:{COLOURS[j % len(COLOURS)]}">'
        f"</span>{escape(one.name)}</li>"
        for j, one in enumerate(chart.series)
    )
    return f'<ul class="legend">{keys}</ul>'


def _table(chart: BarChart, anchor: str) -> str:
    head = "".join(f'<th scope="col">{escape(one.name)}</th>' for one in chart.series)
    body = "".join(
        f'<tr><th scope="row">{escape(category)}</th>'
        + "".join(
            f'<td class="number">{escape(shown(one.values[i], chart.unit))}</td>' for one in chart.series
        )
        + "</tr>"
        for i, category in enumerate(chart.categories)
    )
    return (
        f'<table id="{escape(anchor)}-table" class="figures">'
        f"<caption>{escape(chart.title)}: the figures</caption>"
        f'<thead><tr><th scope="col">{escape(chart.of)}</th>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
