"""The pages in a real headless browser: offline, no console errors, every chart drawn.

Skips (with a message) only when no Chromium/Chrome binary exists; under CI (env CI set) a
missing browser fails instead. Screenshots and PDFs go to build/test-artifacts/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from dash_cdp import BINARIES, Chromium, find_browser
from dash_release import write_release

from orchestration.release import write_index

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"
OVERVIEW_CHARTS = {
    "chart-trend-persons", "chart-trend-funds", "chart-coverage", "chart-dynamics", "chart-gap",
    "chart-disaster-timeline", "chart-disaster-losses", "chart-disaster-rates",
    "chart-veterans-category", "chart-veterans-benefit", "chart-targets",
}
QUALITY_CHARTS = {"chart-checks", "chart-quarantine", "chart-completeness-0",
                  "chart-completeness-1"}
A4_TEXT_WIDTH_PX = 703  # 210 mm − 2 × 12 mm at 96 px per inch
A4_MEDIABOX = re.compile(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = find_browser()
    if binary is None:
        msg = f"no browser binary found (looked for {', '.join(BINARIES)}); " \
              "install Debian's chromium and fonts-noto-cjk to run the dashboard browser test"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    chromium = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("published")
    release = write_release(root / ".releases" / "run-1")
    (root / "2025H1").symlink_to(release, target_is_directory=True)
    write_index(root)
    return root


def _save(name: str, report) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"dashboards-{name}.png").write_bytes(report.png)
    if report.pdf:
        (ARTIFACTS / f"dashboards-{name}.pdf").write_bytes(report.pdf)


@pytest.mark.parametrize(("page", "charts"), [("overview", OVERVIEW_CHARTS),
                                              ("quality", QUALITY_CHARTS)])
def test_page_renders_offline_with_every_chart(browser, site, page, charts):
    report = browser.open(site / "2025H1" / "dashboards" / f"{page}.html", pdf=True)
    _save(page, report)
    assert report.requests == [], "the page reached for the network"
    assert report.errors == []
    assert {p["id"] for p in report.plots} == charts
    for p in report.plots:
        assert p["drawn"] and p["traces"] > 0 and p["values"] > 0, p
    assert report.png.startswith(b"\x89PNG")
    # printing: A4 pages, every chart narrowed to the text width
    assert A4_MEDIABOX.search(report.pdf)
    assert len(report.print_widths) == len(charts)
    assert all(w <= A4_TEXT_WIDTH_PX for w in report.print_widths), report.print_widths


def test_index_page_and_links(browser, site):
    report = browser.open(site / "index.html")
    _save("index", report)
    assert report.requests == [] and report.errors == [] and report.plots == []


def test_harness_sees_network_requests_and_console_errors(browser, tmp_path):
    """The checks above could fail: a page using a CDN and logging an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><script src="https://cdn.plot.ly/plotly-4.1.1.min.js">'
                    '</script><script>console.error("boom")</script>', encoding="utf-8")
    report = browser.open(page)
    assert report.requests == ["https://cdn.plot.ly/plotly-4.1.1.min.js"]
    assert "boom" in report.errors
