"""The pages in a real browser (Playwright for Python driving Debian's Chromium).

Opened from disk as a reader would, each page must make no network request (every request
is routed: file: and data: go through, anything else is counted and aborted), log no console
error, draw every chart with data, fit 1366 px without horizontal scrolling (with every
<details> unfolded), and print on A4 within a page budget per section. Screenshots and PDFs
are saved under the session's pytest tmp dir (the path is printed).

One browser for the session (pytest-playwright's `browser`), launched from /usr/bin/chromium
via `executable_path`: no browser download. Without Chromium the tests skip and say so, unless
CIVSTAT_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from dash_release import write_release

from orchestration.release import write_index

WIDTH = 1366
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
LOCAL = ("file:", "data:", "about:", "blob:")
A4_TEXT_WIDTH_PX = 703  # 210 mm − 2 × 12 mm at 96 px per inch
A4_MEDIABOX = re.compile(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]")
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
# A section (an <h2>) may take at most this many A4 pages. Each section of the sample
# release is a chart or two and a table of a few dozen rows; two pages keeps a printed page
# readable for a meeting, a third would mean a table the reader cannot take in on paper.
PAGES_PER_SECTION = 2

OVERVIEW_CHARTS = {
    "chart-trend-persons", "chart-trend-funds", "chart-coverage", "chart-dynamics", "chart-gap",
    "chart-disaster-timeline", "chart-disaster-losses", "chart-disaster-rates",
    "chart-veterans-category", "chart-veterans-benefit", "chart-targets",
}
QUALITY_CHARTS = {"chart-checks", "chart-quarantine", "chart-completeness-0",
                  "chart-completeness-1"}
# 城关街道 has monthly persons but no monthly funds: that chart is the grey 无月度数据 box
TOWNSHIP_CHARTS = {"chart-town-persons"}
PAGES = [("overview", OVERVIEW_CHARTS), ("quality", QUALITY_CHARTS),
         ("townships/990102001000", TOWNSHIP_CHARTS)]

# Every plotly chart: traces and non-empty values it holds, and whether it was drawn.
PLOTS_JS = """() => {
  const count = t => Math.max(0, ...['x', 'y', 'z', 'values'].map(
    k => Array.isArray(t[k]) ? t[k].flat().filter(v => v !== null && v !== undefined).length : 0));
  return [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    id: gd.id, traces: (gd.data || []).length,
    values: (gd.data || []).reduce((n, t) => n + count(t), 0),
    drawn: !!gd._fullLayout && gd.querySelectorAll('.main-svg').length > 0,
  }));
}"""
# Listens after the page's own beforeprint handler: the widths the charts have when printed.
RECORD_PRINT_JS = """() => window.addEventListener('beforeprint', () => {
  window.__printWidths = [...document.querySelectorAll('.js-plotly-plot')]
    .map(gd => gd._fullLayout.width);
})"""


def _chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, with Debian's Chromium and no background traffic."""
    binary = _chromium()
    if binary is None:
        msg = (f"no Chromium found (looked for {', '.join(CANDIDATES)}); install Debian's "
               "chromium and fonts-noto-cjk to run the dashboard browser tests")
        if os.environ.get("CIVSTAT_REQUIRE_BROWSER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return {**browser_type_launch_args, "executable_path": binary, "args": [
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--disable-gpu", "--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 900}}


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dashboards-artifacts")
    print(f"dashboard screenshots and PDFs: {path}")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("published")
    release = write_release(root / ".releases" / "run-1")
    (root / "2025H1").symlink_to(release, target_is_directory=True)
    write_index(root)
    return root


class Watch:
    """Network requests other than file:/data: (aborted) and console errors of one page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: r.url.startswith(LOCAL) and self.errors.append(
            f"failed to load {r.url}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()


def _open(page, path: Path) -> Watch:
    watch = Watch(page)
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return watch


@pytest.mark.parametrize(("name", "charts"), PAGES, ids=[p for p, _ in PAGES])
def test_page_offline_drawn_fits_and_prints(page, site, artifacts, name, charts):
    watch = _open(page, site / "2025H1" / "dashboards" / f"{name}.html")
    plots = page.evaluate(PLOTS_JS)
    drawn = {p["id"] for p in plots if p["drawn"] and p["traces"] > 0 and p["values"] > 0}
    assert drawn == charts, plots
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{name}: {scroll_width} px wide at a {WIDTH} px window"
    shot = artifacts / f"{name.replace('/', '-')}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
    page.evaluate(RECORD_PRINT_JS)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (artifacts / f"{name.replace('/', '-')}.pdf").write_bytes(pdf)
    assert A4_MEDIABOX.search(pdf)
    sections = page.locator("main h2").count()
    pages = len(PDF_PAGE.findall(pdf))
    assert 0 < pages <= PAGES_PER_SECTION * sections, f"{name}: {pages} pages, {sections} sections"
    widths = page.evaluate("window.__printWidths || []")
    assert len(widths) == len(plots) and all(w <= A4_TEXT_WIDTH_PX for w in widths), widths
    assert watch.requests == [], "the page reached for the network"
    assert watch.errors == []


def test_a_township_bar_opens_the_township_page(page, site):
    watch = _open(page, site / "2025H1" / "dashboards" / "overview.html")
    bar = page.locator("#chart-coverage .trace.bars .point path").first  # 城关街道, urban
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()  # plotly takes the click on its drag layer, above the bar
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.url.endswith("/dashboards/townships/990102001000.html")
    assert "城关街道" in page.locator("h1").inner_text()
    assert watch.requests == [] and watch.errors == []


def test_index_lists_the_release(page, site, artifacts):
    watch = _open(page, site / "index.html")
    page.screenshot(path=artifacts / "index.png", full_page=True)
    assert page.locator("a", has_text="领导驾驶舱").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert watch.requests == [] and watch.errors == []


def test_the_harness_sees_network_requests_and_console_errors(page, tmp_path):
    """The checks above could fail: a page using a CDN and logging an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><script src="https://cdn.plot.ly/plotly-4.1.1.min.js">'
                   '</script><script>console.error("boom")</script>'
                   '<div style="width: 2000px">wide</div>', encoding="utf-8")
    watch = _open(page, bad)
    assert watch.requests == ["https://cdn.plot.ly/plotly-4.1.1.min.js"]
    assert "boom" in watch.errors
    assert page.evaluate("document.documentElement.scrollWidth") > WIDTH
