"""html.chart_of_series: one laid-out figure for many pages, the same bytes as `chart`."""

import plotly.graph_objects as go

from dashboards.html import chart, chart_of_series, chart_template

X = ["1月", "2月", "3月"]


def _make(x, ys):
    fig = go.Figure()
    for name, y in zip(("城市<b>", "农村"), ys, strict=True):
        fig.add_trace(go.Scatter(x=x, y=y, name=name, hovertemplate="%{y}<extra></extra>"))
    fig.update_yaxes(title_text="人", rangemode="tozero")
    return fig


PAGES = [
    [[1.0, None, 3.0], [4.0, 5.0, 6.0]],
    [[7.0, 8.0, 9.0], [None, None, 2.5]],
    [[None, None, None], [None, None, None]],  # no data: the empty box
    [["<a href=x>", 1.0, 2.0], [0.0, 0.0, 0.0]],  # text among the values is escaped
]


def test_every_page_is_the_bytes_chart_gives():
    with chart_template():
        expected = [chart(_make(X, ys), "chart-t", empty="无") for ys in PAGES]
    with chart_template():
        got = [chart_of_series(_make, X, ys, "chart-t", empty="无") for ys in PAGES]
    assert got == expected
    assert "本期" not in expected[2] and "无" in expected[2] and "plotly" not in expected[2]
    assert "&lt;a href=x&gt;" in got[3] and "<a href=x>" not in got[3]


def test_the_figure_is_made_once_per_block():
    made = []

    def make(x, ys):
        made.append(ys)
        return _make(x, ys)

    with chart_template():
        for ys in PAGES[:2]:
            chart_of_series(make, X, ys, "chart-t")
        chart_of_series(make, ["1月", "2月", "4月"], PAGES[0], "chart-t")  # other x: made again
    with chart_template():
        chart_of_series(make, X, PAGES[1], "chart-t")  # a new block starts afresh
    assert made == [PAGES[0], PAGES[0], PAGES[1]]


def test_a_figure_that_shows_more_than_its_ys_is_charted_each_time():
    """A `make` whose traces are not exactly `ys` (here a third, fixed trace) falls back to
    `chart` for every page, with the same bytes."""
    def make(x, ys):
        fig = _make(x, ys)
        fig.add_trace(go.Scatter(x=x, y=[1, 1, 1], name="标准"))
        return fig

    with chart_template():
        got = [chart_of_series(make, X, ys, "chart-t") for ys in PAGES[:2]]
        expected = [chart(make(X, ys), "chart-t") for ys in PAGES[:2]]
    assert got == expected
