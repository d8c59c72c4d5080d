"""The pages of a release, rendered from one in-memory view; dashboards write no file.

    render(view) -> {"dashboards/overview.html": text, "dashboards/quality.html": text,
                     "dashboards/plotly.min.js": text,
                     "dashboards/townships/<region_code>.html": text, …}
                                                            (paths relative to the release)
    pages(view)  -> the same (path, text) pairs one at a time, in that order
    render_index(entries) -> text of published/index.html

Every number on a page comes from the view (the release's own rows and manifest), never
from the warehouse. plotly.js is one file beside the pages, so opening them needs no network.
The release package (orchestration/release) builds the view and writes the files.
"""

from __future__ import annotations

from collections.abc import Iterator

from plotly.offline import get_plotlyjs

from dashboards import overview, quality, township_page
from dashboards.html import PLOTLY_JS, chart_template
from dashboards.index import Entry, render_index
from dashboards.view import Manifest, ReleaseView, Row

__all__ = ["Entry", "Manifest", "ReleaseView", "Row", "pages", "render", "render_index"]


def pages(view: ReleaseView) -> Iterator[tuple[str, str]]:
    """Every page of the release as (path relative to the release, text), one at a time:
    a province's ≈ 1 000 pages are ≈ 170 MB of text, which the writer need not hold at once
    (docs/benchmarks.md, "Issue 18, sixth round")."""
    with chart_template():  # every figure is made and charted inside
        yield "dashboards/overview.html", overview.render(view)
        yield "dashboards/quality.html", quality.render(view)
        yield f"dashboards/{PLOTLY_JS}", get_plotlyjs()
        yield from township_page.pages(view)


def render(view: ReleaseView) -> dict[str, str]:
    """{path relative to the release: text} of every page (`pages`, held at once)."""
    return dict(pages(view))
