"""The page shell: Jinja2 templates (autoescaped), the inlined CSS, chart fragments, panels.

Templates live in dashboards/templates/, the style sheet in dashboards/static/page.css; both
ship with the package and the CSS is inlined into every page, so a page opens offline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from html import unescape
from importlib.resources import files
from typing import NamedTuple

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.basevalidators import to_scalar_or_list
from markupsafe import Markup, escape

from dashboards.fmt import scrub
from dashboards.safe import escape_data, safe_figure
from dashboards.view import ReleaseView

FONT = '"Noto Sans CJK SC", sans-serif'
PLOTLY_JS = "plotly.min.js"
CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
URBAN, RURAL, TOTAL, ACCENT = "#c0392b", "#2e7d32", "#34495e", "#1f77b4"
PRINT_WIDTH_PX = 680  # A4 (210 mm) minus 2 × 12 mm margins, with some slack
TEMPLATE = "plotly_white"


@cache
def _validated_template() -> str:
    """TEMPLATE as `update_layout(template=TEMPLATE)` stores it (validated once: its keys in
    plotly's order, not the order of the file plotly read it from), registered under its own
    name, which is returned."""
    name = f"civstat_{TEMPLATE}"
    pio.templates[name] = go.layout.Template(pio.templates[TEMPLATE])
    return name


@contextmanager
def chart_template() -> Iterator[None]:
    """Figures made inside get TEMPLATE as they are made, the way plotly gives every new
    figure its default template (not validated again); `chart` then leaves it. Setting it
    by `update_layout(template=…)` validates the whole template: ≈ 12 ms a chart, ≈ 45 s for
    the 990 township pages of the bench province (docs/benchmarks.md, "Issue 18, fourth
    round"). The pages are the same bytes either way. plotly's default is restored after."""
    before = pio.templates.default
    pio.templates.default = _validated_template()
    _LAID_OUT.clear()
    try:
        yield
    finally:
        pio.templates.default = before
        _LAID_OUT.clear()


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dashboards", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["cell"] = cell_html
    env.globals["table_rows"] = table_rows_html
    return env


def cell_html(c: Cell) -> Markup:
    """One table cell, `<td class="…">text[<br>sub]</td>`, the text in a link when the cell
    has one and the second line in `<small>` when it is small; every value escaped. The one
    home of a cell's markup, called by the templates' tables (`cell(c)`): a macro call per
    cell was most of a large table's rendering (docs/benchmarks.md, "Issue 18, tenth round")."""
    text = escape(c.text)
    if c.href:
        text = f'<a href="{escape(c.href)}">{text}</a>'
    if c.sub:
        sub = escape(c.sub)
        text = f"{text}<br><small>{sub}</small>" if c.small else f"{text}<br>{sub}"
    return Markup(f'<td class="{escape(c.cls)}">{text}</td>')


def table_rows_html(rows: list[list[Cell]]) -> Markup:
    """A table's body rows, `<tr>` + `cell_html` of each cell + `</tr>` and a line break per
    row: one call for the whole body (a large table's rows, ≈ 30 000 at province, cost a
    template loop and a call per cell)."""
    return Markup("".join(["<tr>" + "".join([cell_html(c) for c in r]) + "</tr>\n"
                           for r in rows]))


@cache
def css() -> str:
    return files("dashboards").joinpath("static", "page.css").read_text(encoding="utf-8")


def render_template(name: str, **context) -> str:
    """One page from templates/<name>; the CSS and plotly.js file name are passed in."""
    context.setdefault("base", "")
    return environment().get_template(name).render(
        css=Markup(css()), plotly_js=context["base"] + PLOTLY_JS, print_width=PRINT_WIDTH_PX,
        **{k: v for k, v in context.items() if k != "plotly_js"})


class Cell(NamedTuple):
    """A table cell: text (escaped by the template), an optional second line, a CSS class."""

    text: str
    cls: str = ""
    sub: str = ""
    small: bool = False
    href: str = ""  # a link (relative) around the text


@dataclass
class Panel:
    title: str
    note: str
    body: Markup  # a chart fragment or a rendered table
    wide: bool = False


def _filled(x) -> bool:
    if isinstance(x, list | tuple):
        return any(_filled(y) for y in x)
    return x is not None


def _values(trace):
    """The values a trace shows: z, values or value if it has them, else the value axis
    (x of a horizontal bar, y otherwise); category labels alone are no data."""
    for attr in ("z", "values", "value"):
        v = getattr(trace, attr, None)
        if v is not None:
            return v
    return getattr(trace, "x" if getattr(trace, "orientation", None) == "h" else "y", None)


def has_data(fig: go.Figure) -> bool:
    for t in fig.data:
        v = _values(t)
        if v is None or isinstance(v, str):
            continue
        if not hasattr(v, "__len__") or any(_filled(x) for x in v):
            return True
    return False


def chart(fig: go.Figure, div_id: str, *, height: int = 340, empty: str = "本期无数据",
          legend: dict | None = None) -> Markup:
    """One chart as an HTML fragment (plotly.js is loaded once by the page)."""
    if not has_data(fig):
        return render_fragment("empty", div_id=div_id, text=empty)
    safe_figure(fig)  # data text shows as text, not plotly markup (dashboards/safe.py)
    if pio.templates.default != _validated_template():  # made outside chart_template()
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(
        font={"family": FONT, "size": 12},
        separators=".,",
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50, **fig.layout.margin.to_plotly_json()},
        legend=legend or {"orientation": "h", "y": 1.12, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return Markup(fig.to_html(  # plotly's own markup and JSON, not text from the release
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=CONFIG,
        default_width="100%",
        default_height=f"{height}px",
    ))


# chart_of_series: the dict of each laid-out figure, by what the figure is made from but its y
_LAID_OUT: dict[tuple, dict] = {}


def _y_only(fig: go.Figure, ys: list[list]) -> bool:
    """Whether `fig`'s traces show exactly `ys`, one each, as y (what `has_data` reads)."""
    return len(fig.data) == len(ys) and all(
        all(getattr(t, a, None) is None for a in ("z", "values", "value"))
        and getattr(t, "orientation", None) != "h" and t.y is not None and list(t.y) == list(y)
        for t, y in zip(fig.data, ys, strict=True))


def chart_of_series(make: Callable[[list, list[list]], go.Figure], x: list, ys: list[list],
                    div_id: str, *, height: int = 340, empty: str = "本期无数据") -> Markup:
    """`chart(make(x, ys), div_id, height=height, empty=empty)`, the same bytes, for the
    many pages whose figure differs only in its traces' y values (a township's monthly
    trends: ≈ 1 000 pages at province). `make(x, ys)` must use `ys` as its traces' y values
    (one trace each, in order) and nothing else of them. The first page's figure is made,
    escaped and laid out as `chart` does; every later page with the same `make`, `x` and
    options puts its own y values into a copy of that figure's dict, which plotly writes
    as it writes the figure (`plotly.io.to_html`, not validated again). Making and laying
    out a figure took ≈ 20 ms a page (docs/benchmarks.md, "Issue 18, sixth round"). Kept
    per `chart_template()` block."""
    if not any(_filled(y) for y in ys):  # has_data of traces that show ys
        return render_fragment("empty", div_id=div_id, text=empty)
    key = (make, tuple(x), div_id, height, empty, pio.templates.default)
    laid_out = _LAID_OUT.get(key)
    if laid_out is None:
        fig = make(x, ys)
        if not _y_only(fig, ys):
            return chart(fig, div_id, height=height, empty=empty)
        out = chart(fig, div_id, height=height, empty=empty)
        _LAID_OUT[key] = fig.to_dict()
        return out
    doc = {**laid_out, "data": [{**trace, "y": escape_data(to_scalar_or_list(y))}
                                for trace, y in zip(laid_out["data"], ys, strict=True)]}
    return Markup(pio.to_html(  # plotly's own markup and JSON, not text from the release
        doc, validate=False, include_plotlyjs=False, full_html=False, div_id=div_id,
        config=CONFIG, default_width="100%", default_height=f"{height}px"))


def render_fragment(macro: str, **kw) -> Markup:
    """A macro of templates/parts.html.j2 as markup (tables, empty boxes, cards)."""
    module = environment().get_template("parts.html.j2").module
    return Markup(getattr(module, macro)(**kw))


def table(headers: list[str], rows: list[list[Cell]], *, empty: str = "无",
          cols: list[str] | None = None) -> Markup:
    """A table; `cols` (CSS widths, one per column) fixes the layout so that long ids wrap
    inside their column instead of widening the table."""
    return render_fragment("table", headers=headers, rows=rows, empty=empty, cols=cols or [])


class Card(NamedTuple):
    label: str
    value: str
    sub: str = ""
    cmp: str = ""  # 环比 / 同比 line, when the release has comparisons


KIND_TITLE = {"月": "月度", "季": "季度", "半年": "半年度", "年": "年度"}


def kind_title(view: ReleaseView) -> str:
    """月度 / 季度 / 半年度 / 年度, or '1-9月累计' for a month range."""
    k = view.period_kind
    return KIND_TITLE.get(k, f"{k}累计")


def render_page(view: ReleaseView, title: str, cards: list[Card],
                sections: list[tuple[str, list[Panel]]], *, other: tuple[str, str],
                base: str = "", links: dict[str, str] | None = None) -> str:
    """A page of the release: header (district, period and its kind, run), cards, then titled
    sections. `base` is the way from the page to dashboards/ ('../' for a township page);
    `links` maps a township's name to its page, for the bars and rows that lead there."""
    m = view.manifest
    district = view.district_name
    heading = f"{district}民政统计 · {title}" if district else f"民政统计 · {title}"
    heading += f"（{kind_title(view)} · {view.period_label}）"
    meta = [
        f"数据期：{view.period_label}（{view.period}）",
        f"运行编号：{m.run_id}",
        f"生成时间：{m.created_at or '—'}",
        f"发布人：{m.published_by or '—'}",
    ]
    town_nav, towns_json = _town_links(tuple((links or {}).items()), view.part_word)
    return render_template(
        "page.html.j2", heading=scrub(heading), period=view.period, run_id=scrub(m.run_id),
        meta=[scrub(x) for x in meta], other_href=other[0], other_label=other[1],
        cards=cards, sections=sections, base=base, town_nav=town_nav, towns_json=towns_json,
    )


@lru_cache(maxsize=8)
def _town_links(links: tuple[tuple[str, str], ...], part_word: str) -> tuple[Markup, Markup]:
    """(the header's links to every township, the same as the script's JSON) of a page: the
    same on every township page of a release (≈ 1 000 links on each of ≈ 1 000 pages at
    province: docs/benchmarks.md, "Issue 18, seventeenth round"), so rendered once."""
    as_dict = dict(links)
    # the keys are the names as the charts hold them (`safe.plot_text`: & < > as entities,
    # for the script's lookup); the header's text is the name itself, escaped once by the
    # template ('宁山&<b>新村</b>' was shown as '宁山&amp;&lt;b&gt;…')
    named = {unescape(key): href for key, href in as_dict.items()}
    return (render_fragment("town_nav", links=named, part_word=part_word),
            render_fragment("towns_json", links=as_dict))
