"""Charts made inside `chart_template()` (as `dashboards.render` makes them) are the same
bytes as charts given their template by `update_layout`, the slow way (issue 18)."""

import plotly.graph_objects as go
import plotly.io as pio

from dashboards.html import TEMPLATE, chart, chart_template


def _figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=["1月", "2月"], y=[1.5, 2.25], name="城市低保"))
    fig.update_yaxes(title_text="万元", tickformat=",.2f")
    return fig


def test_the_template_given_at_creation_is_the_same_bytes():
    slow = str(chart(_figure(), "c"))  # made outside: chart sets the template itself
    with chart_template():
        fast = str(chart(_figure(), "c"))
    assert fast == slow
    assert '"template":{"data":' in fast and '"paper_bgcolor":"white"' in fast  # plotly_white


def test_plotlys_default_is_restored():
    before = pio.templates.default
    with chart_template():
        assert pio.templates.default != before
    assert pio.templates.default == before and before != TEMPLATE
