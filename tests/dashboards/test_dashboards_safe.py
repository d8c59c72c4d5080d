"""dashboards.safe.safe_figure: data text escaped on every trace type, and only the
properties a trace type has are looked at (none is added)."""

import plotly.graph_objects as go

from dashboards.safe import safe_figure


def test_each_trace_type_gets_its_own_data_properties_escaped():
    fig = go.Figure([
        go.Pie(labels=["<b>甲</b>", "乙"], values=[1, 2], name="a&b"),
        go.Scatter(x=["<a href=x>村</a>"], y=[3], text=["1<2"], name="<i>镇</i>"),
    ])
    safe_figure(fig)
    pie, scatter = fig.data
    assert list(pie.labels) == ["&lt;b&gt;甲&lt;/b&gt;", "乙"]
    assert pie.name == "a&amp;b"
    assert list(pie.values) == [1, 2]  # numbers unchanged
    assert list(scatter.x) == ["&lt;a href=x&gt;村&lt;/a&gt;"]
    assert list(scatter.text) == ["1&lt;2"]
    assert scatter.name == "&lt;i&gt;镇&lt;/i&gt;"
    # a property the trace type lacks is skipped, not added: a scatter has no labels, a pie
    # no x, and no legend group title was set on either
    assert "labels" not in scatter.to_plotly_json()
    assert "x" not in pie.to_plotly_json()
    assert "legendgrouptitle" not in scatter.to_plotly_json()
