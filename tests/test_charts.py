"""Server-drawn SVG bar charts: bars in proportion to their values, every text escaped, and
the same figures in the table that follows each picture (its text alternative)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from citykg.serve.charts import BarChart, Series, bar_chart, render

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*?</svg>", html, flags=re.S).group(0))  # type: ignore[union-attr]


def test_bars_are_in_proportion_to_their_values_and_the_table_holds_the_same_figures() -> None:
    html = str(
        render(
            bar_chart("Cities by goal", [("a", 4), ("b", 2), ("c", 1)], of="goal", series="cities"),
            anchor="g",
        )
    )
    widths = [float(r.get("width", "0")) for r in _svg(html).iter(f"{SVG}rect")]
    assert widths[0] > 0 and widths == pytest.approx([widths[0], widths[0] / 2, widths[0] / 4])
    table = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="number">([^<]*)</td></tr>', html)
    assert table == [("a", "4"), ("b", "2"), ("c", "1")]
    assert '<th scope="col">goal</th><th scope="col">cities</th>' in html
    assert html.index("</svg>") < html.index('<table id="g-table"')


def test_a_chart_names_its_picture_for_screen_readers_and_escapes_every_text() -> None:
    hostile = '<script>alert("x")</script> & more'
    html = str(render(bar_chart(hostile, [(hostile, 3)], of=hostile, series=hostile), anchor="h"))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 4
    svg = _svg(html)
    assert (
        svg.get("role") == "img"
        and svg.get("aria-labelledby") == "h-title"
        and svg.get("aria-describedby") == "h-table"
    )
    assert next(t.text for t in svg.iter(f"{SVG}text")) == hostile  # the label, read back as it was


def test_two_series_side_by_side_with_a_legend_a_missing_figure_and_a_fixed_maximum() -> None:
    chart = BarChart(
        "Shares",
        ("funding", "strategy"),
        (Series("computed", (50.0, 75.0)), Series("stated", (None, 100.0))),
        unit="%",
        maximum=100,
        of="indicator",
    )
    html = str(render(chart, anchor="s"))
    widths = [float(r.get("width", "0")) for r in _svg(html).iter(f"{SVG}rect")]
    assert len(widths) == 3  # no bar for the missing figure
    assert widths[0] * 2 == pytest.approx(widths[2]) and widths[1] * 2 == pytest.approx(3 * widths[0])
    assert "no figure" in html
    assert '<ul class="legend">' in html and "computed" in html and "stated" in html
    assert re.findall(r'<td class="number">([^<]*)</td>', html) == ["50%", "–", "75%", "100%"]


def test_a_chart_with_nothing_to_show_says_so() -> None:
    html = str(render(bar_chart("Staff", [], of="city", series="staff"), anchor="e"))
    assert "<svg" not in html and "Nothing to show yet." in html


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        BarChart("x", ("a",), (Series("s", (1.0, 2.0)),))
