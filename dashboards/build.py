"""Public API: build the dashboards of a release, and the index of all releases.

    build_pages(release_dir) -> [dashboards/overview.html, dashboards/quality.html,
                                 dashboards/plotly.min.js]
    build_index(published_root) -> published_root/index.html

Pages are built only from the release's own files (indicators.csv, monthly.csv when present,
manifest.json), never from the warehouse. plotly.js is written once beside the pages, so
opening them needs no network.
"""

from __future__ import annotations

import os
from pathlib import Path

from plotly.offline import get_plotlyjs

from dashboards import overview, quality
from dashboards.data import DashboardInputError, load_release
from dashboards.html import PLOTLY_JS
from dashboards.index import build_index

__all__ = ["DashboardInputError", "build_index", "build_pages"]


def _write(path: Path, text: str) -> Path:
    """Write via a temporary file and rename, so a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def build_pages(release_dir: Path) -> list[Path]:
    release_dir = Path(release_dir)
    release = load_release(release_dir)
    out = release_dir / "dashboards"
    out.mkdir(exist_ok=True)
    return [
        _write(out / "overview.html", overview.render(release)),
        _write(out / "quality.html", quality.render(release)),
        _write(out / PLOTLY_JS, get_plotlyjs()),
    ]
