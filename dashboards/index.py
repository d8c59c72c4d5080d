"""published/index.html: every release (current and replaced) with its gate outcome and pages.

The release package finds the releases (orchestration/release/listing.py) and writes the
page; this module only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboards.fmt import scrub
from dashboards.html import Cell, render_template
from dashboards.view import Manifest, period_zh
from ingest.periods import parse_period

HEADERS = ["数据期", "地区", "状态", "发布时间", "发布人", "运行编号", "质量闸门", "页面"]


@dataclass
class Entry:
    """One release folder: where it is (relative to the published root, '/'-separated),
    whether it is the period's current release, its manifest (None when unreadable, with
    `error` saying why), its pages as (relative href, label) and its top region."""

    rel: str
    current: bool
    manifest: Manifest | None
    error: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    region: str = ""  # '云栖区（区级）', '某市（市级）': district and city releases alike

    @property
    def period(self) -> str:
        return self.manifest.period if self.manifest else self.rel.split("/")[0]

    @property
    def sort_key(self):
        """Newest first when sorted in reverse: the period's last month, then its first (a
        month before the quarter, half-year and year that end with it), then its code (2025H1
        and 2025-01/2025-06 each in one block), then the current release before those it
        replaced, then the latest. A period the parser does not know sorts below every known
        one. The code's text did not order them: 2025Q1 came above 2025-12 and 2025H2, and
        the year 2025 last."""
        try:
            p = parse_period(self.period)
            when = (1, p.last_month.isoformat(), p.first_month.isoformat(), p.code)
        except ValueError:
            when = (0, self.period, "", "")
        return (*when, self.current, self.manifest.created_at if self.manifest else "")


def _cells(e: Entry) -> list[Cell]:
    m = e.manifest
    gate = m.gate_words if m else e.error
    cls = "bad" if not m or gate.startswith("未通过") else (
        "waived" if gate.startswith("经豁免") else "ok")
    try:
        label = period_zh(e.period)
    except ValueError:
        label = e.period
    return [
        Cell(scrub(label), sub=scrub(e.period), small=True),
        Cell(scrub(e.region) or "—"),
        Cell("现行" if e.current else "已被替换"),
        Cell(scrub(getattr(m, "published_at", None) or (m.created_at if m else "") or "—")),
        Cell(scrub(m.published_by if m else "—")),
        Cell(scrub(m.run_id if m else "—"), "hash"),
        Cell(scrub(gate), cls),
    ]


def render_index(entries: list[Entry]) -> str:
    """The index page of these releases, newest period first (as given)."""
    return render_template("index.html.j2", headers=HEADERS,
                           rows=[(_cells(e), e.links) for e in entries])
