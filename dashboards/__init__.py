"""The pages of a release, rendered from one in-memory view; dashboards write no file.

    render(view) -> {"dashboards/overview.html": text, "dashboards/quality.html": text,
                     "dashboards/plotly.min.js": text,
                     "dashboards/townships/<region_code>.html": text, …}
                                                            (paths relative to the release)
    render_index(entries) -> text of published/index.html

Every number on a page comes from the view (the release's own rows and manifest), never
from the warehouse. plotly.js is one file beside the pages, so opening them needs no network.
The release package (orchestration/release) builds the view and writes the files.
"""

from __future__ import annotations

from plotly.offline import get_plotlyjs

from dashboards import overview, quality, township_page
from dashboards.html import PLOTLY_JS, chart_template
from dashboards.index import Entry, render_index
from dashboards.view import Manifest, ReleaseView, Row

__all__ = ["Entry", "Manifest", "ReleaseView", "Row", "render", "render_index"]


def render(view: ReleaseView) -> dict[str, str]:
    with chart_template():  # every figure is made and charted inside
        return {
            "dashboards/overview.html": overview.render(view),
            "dashboards/quality.html": quality.render(view),
            f"dashboards/{PLOTLY_JS}": get_plotlyjs(),
            **township_page.render(view),
        }
