"""Data text inside plotly charts is shown as text, never as plotly's pseudo-HTML.

plotly.js renders a subset of HTML in every label it draws (tick labels, legend names, bar
text, hover text, titles, annotations): ``<a href>`` becomes a link, ``<span style>``
restyles, ``<br>`` breaks lines. It decodes ``&lt; &gt; &amp;`` back to the characters, so
escaping those three shows any string literally. :func:`safe_figure` (applied by
``dashboards.html.chart`` to every chart) escapes the data arrays of every trace; a chart
builder that puts data text into a title, annotation or template calls :func:`plot_text`
itself. Markup a builder means (``<br>`` in a hovertemplate) belongs in the templates, which
are left alone.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go

# Trace properties that carry data (categories, labels, per-point text) rather than markup.
DATA_PROPERTIES = ("x", "y", "z", "text", "hovertext", "customdata", "labels", "name",
                   "legendgrouptitle_text")


def plot_text(value: object) -> object:
    """A string with ``& < >`` as entities (plotly shows them as the characters); anything
    else (numbers, None) unchanged; lists and tuples element by element."""
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, (list, tuple)):
        return [plot_text(v) for v in value]
    return value


def escape_data(value: object) -> object:
    """A data array as `safe_figure` stores it: arrays as lists, strings escaped."""
    if hasattr(value, "tolist"):  # numpy arrays, as plotly stores them
        value = value.tolist()
    return plot_text(value)


def safe_figure(fig: go.Figure) -> go.Figure:
    """`fig` with every string in its traces' data properties (DATA_PROPERTIES) and in the
    axes' ``ticktext`` escaped; changed in place and returned."""
    for trace in fig.data:
        for prop in DATA_PROPERTIES:
            # `in` asks plotly whether the trace type has the property; looking up one it
            # has not raised an error whose message plotly builds with spelling suggestions
            # (a Levenshtein distance to every property: province pages 56.7 → 41.5 s CPU)
            if prop not in trace:
                continue
            value = trace[prop]
            if value is not None:
                trace[prop] = escape_data(value)
    for axis in [k for k in fig.layout if k.startswith(("xaxis", "yaxis"))]:
        ticks = fig.layout[axis].ticktext
        if ticks is not None:
            fig.layout[axis].ticktext = escape_data(ticks)
    return fig
