"""published/index.html lists every release, current and replaced, with its gate and pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dash_release import write_release

from orchestration.release import write_index as build_index


def _all_passed(release: Path) -> None:
    path = release / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    for c in m["checks"]:
        c.update(passed=True, waived=False)
    m["waivers"] = []
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """published/2025H1 -> releases/run-b (with history/run-a); published/2024H2 a folder."""
    root = tmp_path / "published"
    current = write_release(root / ".releases" / "run-b", run_id="run-b",
                            created_at="2025-07-05T09:30:00+08:00")
    old = write_release(current / "history" / "run-a", run_id="run-a",
                        created_at="2025-07-01T08:00:00+08:00")
    _all_passed(old)
    (root / "2025H1").symlink_to(current, target_is_directory=True)
    earlier = write_release(root / "2024H2", run_id="run-2024", monthly=False)
    m = json.loads((earlier / "manifest.json").read_text(encoding="utf-8"))
    m["period"] = "2024H2"
    (earlier / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    for page in ("indicators.csv", "dashboards/overview.html", "dashboards/quality.html"):
        (earlier / page).unlink()  # its pages were never built: no links, no failure
    return root


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


def test_index_lists_every_release_newest_first(published: Path):
    path = build_index(published)
    assert path == published / "index.html"
    rows = _rows(path.read_text(encoding="utf-8"))
    assert len(rows) == 3  # run-b, its replaced run-a, 2024H2 — the hidden folder not twice
    b, a, y = rows
    assert "2025年上半年" in b and "现行" in b and "run-b" in b and "王科长" in b
    assert '<td class="">示例区（区级）</td>' in b
    assert "2025-07-05T09:30:00+08:00" in b
    assert '<td class="waived">经豁免通过（1 项警告）</td>' in b
    assert '<a href="2025H1/dashboards/overview.html">领导驾驶舱</a>' in b
    assert '<a href="2025H1/dashboards/quality.html">数据质量</a>' in b
    assert '<a href="2025H1/indicators.csv">指标表 CSV</a>' in b
    assert "已被替换" in a and "run-a" in a and '<td class="ok">通过</td>' in a
    assert '<a href="2025H1/history/run-a/dashboards/overview.html">' in a
    assert "2024年下半年" in y and "run-2024" in y and "<a " not in y
    for href in re.findall(r'href="([^"]+)"', path.read_text(encoding="utf-8")):
        assert (published / href).is_file(), href


def test_unreadable_manifest_is_shown_not_fatal(published: Path):
    (published / "2024H2" / "manifest.json").write_text("{broken", encoding="utf-8")
    rows = _rows(build_index(published).read_text(encoding="utf-8"))
    assert len(rows) == 3
    assert '<td class="bad">manifest.json 无法读取：' in rows[2]


def test_empty_and_missing_root(tmp_path: Path):
    page = build_index(tmp_path).read_text(encoding="utf-8")
    assert "尚无发布" in page
    with pytest.raises(FileNotFoundError, match="no such directory"):
        build_index(tmp_path / "nope")


def test_a_city_release_is_listed_with_its_city(published: Path):
    """A city release (indicators.md §9) has city rows; the index names the city."""
    city = write_release(published / "2025H2", run_id="run-city")
    m = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    m["period"] = "2025H2"
    (city / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    rows = [{"region_code": "990100000000", "region_name": "示例市", "region_level": "city"},
            {"region_code": "990102000000", "region_name": "示例区", "region_level": "district"}]
    (city / "indicators.json").write_text(json.dumps({"rows": rows}), encoding="utf-8")
    first = _rows(build_index(published).read_text(encoding="utf-8"))[0]
    assert "run-city" in first and '<td class="">示例市（市级）</td>' in first
