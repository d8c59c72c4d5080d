"""The city's figures from two hand-worked district releases (rollup_cases.py)."""

import csv
import hashlib
import json
from decimal import Decimal

from orchestration.rollup import rollup
from tests.rollup.rollup_cases import CITY, A, B, P, district_release, regions_file


def _csv(folder):
    with open(folder / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        return {(r["region_code"], r["indicator"], r["breakdown"]): r for r in csv.DictReader(fh)}


def test_city_rates_are_recomputed_from_summed_parts_not_averaged(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    out = rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局张三")
    assert out.refusals == [] and out.published is not None
    rows = _csv(tmp_path / "city" / "published" / P)
    city = {(i, bd): r["value"] for (code, i, bd), r in rows.items() if code == CITY}
    assert city[("dibao_persons_end", "total")] == "350"
    assert city[("dibao_coverage_rate", "total")] == "3.33"  # mean of the rates: 6.50
    assert city[("dibao_coverage_rate", "urban")] == "5.12"  # mean 7.50
    assert city[("dibao_coverage_rate", "rural")] == "2.19"  # mean 5.83
    assert rows[(CITY, "dibao_coverage_rate", "urban")]["numerator"] == "210"
    assert rows[(CITY, "dibao_coverage_rate", "urban")]["denominator"] == "4100"
    assert city[("gap_coverage_pp", "total")] == "2.93"
    assert city[("dibao_avg_subsidy", "urban")] == "504.76"
    assert city[("dibao_avg_subsidy", "rural")] == "300.00"
    assert city[("gap_subsidy_ratio", "total")] == "1.68"  # mean of the ratios: 1.83
    assert city[("dibao_funds", "urban")] == "13.00"
    # a district's own standard, standard ratio and targets: district rows only
    assert not {"dibao_standard", "gap_standard_ratio", "target_completion_rate"} & {
        i for i, _ in city}
    assert rows[(A, "dibao_standard", "city")]["value"] == "780.00"
    assert rows[(B, "dibao_standard", "city")]["value"] == "700.00"
    assert rows[(A, "target_completion_rate", "dibao_persons_end:total")]["value"] == "50.00"
    # rows: the city and each district, no township
    assert {code for code, _, _ in rows} == {CITY, A, B}
    data = json.loads((tmp_path / "city" / "published" / P / "indicators.json").read_text())
    levels = {r["region_code"]: r["region_level"] for r in data["rows"]}
    assert levels == {CITY: "city", A: "district", B: "district"}


def test_manifest_lists_every_input_release(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局张三")
    m = json.loads((tmp_path / "city" / "published" / P / "manifest.json").read_text())
    got = {i["region_code"]: i for i in m["inputs"]}
    assert set(got) == {A, B}
    assert got[A]["run_id"] == "run-a" and got[A]["published_by"] == "run-a 数据科"
    assert got[B]["sha256"] == hashlib.sha256((b / "manifest.json").read_bytes()).hexdigest()
    assert m["published_by"] == "市局张三" and m["rollup"]["level"] == "city"
    assert sorted(m["rollup"]["not_aggregated"]) == ["dibao_standard", "gap_standard_ratio",
                                                   "target_completion_rate"]
    # target_completion_rate and gap_standard_ratio exist in A only: not summed, so not partial
    assert m["rollup"]["partial"] == {}
    complete = next(c for c in m["checks"] if c["name"] == "rollup_inputs_complete")
    assert complete["passed"] is True
    summary = (tmp_path / "city" / "published" / P / "summary.md").read_text()
    assert "# 南京市2025年1-6月份民政工作主要数据(汇总初稿)" in summary
    assert "全市低保率为3.33%,城乡低保率相差2.93个百分点。" in summary
    assert "| 低保率(%) | 城市 | 5.12 | 5.00 | 10.00 |" in summary  # city, then A, B
    # the city's quality page lists each district's release with its gate outcome
    quality = (tmp_path / "city" / "published" / P / "dashboards" / "quality.html").read_text()
    assert "汇总的下级发布" in quality and "run-a 数据科" in quality
    assert quality.count(got[A]["gate"]) >= 1


def test_the_same_command_on_city_releases_gives_the_province(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局")
    prov = tmp_path / "province.csv"
    prov.write_text(f"区划代码,名称,层级,上级代码\n320000000000,江苏省,省,\n{CITY},南京市,市,"
                    "320000000000\n", encoding="utf-8")
    out = rollup([tmp_path / "city" / "published" / P], prov, tmp_path / "prov", P, "省厅")
    assert out.refusals == []
    rows = _csv(tmp_path / "prov" / "published" / P)
    assert {code for code, _, _ in rows} == {"320000000000", CITY}
    assert rows[("320000000000", "dibao_coverage_rate", "urban")]["value"] == "5.12"
    assert rows[("320000000000", "gap_coverage_pp", "total")]["value"] == "2.93"
    # a district listed as a city (县级市 written 市): its district release is refused, not
    # counted beside the city that holds it
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"区划代码,名称,层级,上级代码\n320000000000,江苏省,省,\n{CITY},南京市,市,"
                     f"320000000000\n{A},玄武区,市,320000000000\n", encoding="utf-8")
    out = rollup([tmp_path / "city" / "published" / P, a], wrong, tmp_path / "prov2", P, "省厅")
    assert out.published is None
    assert any("a district release where the regions file has a city" in r
               for r in out.refusals)


def test_a_ratio_published_in_percent_is_recomputed_in_percent():
    """再婚比例 and 女性成员比例 are ratios whose unit is %: A 1 of 4 (25.00 %), B 1 of 2
    (50.00 %) → the city 2 of 6 = 33.33 %, not 0.33; 月人均补差 (元) stays × 1:
    (1 000 + 900) ÷ (2 + 3) = 380.00 元."""
    from orchestration.release.rows import release_rows
    from orchestration.rollup.aggregate import aggregate

    def row(region, ind, unit, value, num, den):
        return {"period": P, "region_code": region, "region_name": region,
                "region_level": "district", "indicator": ind, "indicator_name": ind,
                "domain": "social_affairs", "breakdown": "total", "value": value,
                "unit": unit, "value_kind": "ratio", "numerator": num, "denominator": den}

    children = {
        A: release_rows([row(A, "remarriage_share", "%", "25.00", 1, 4),
                         row(A, "dibao_avg_subsidy", "元", "500.00", 1000, 2)], P),
        B: release_rows([row(B, "remarriage_share", "%", "50.00", 1, 2),
                         row(B, "dibao_avg_subsidy", "元", "300.00", 900, 3)], P),
    }
    rows, _ = aggregate(children, (CITY, "南京市", "city"),
                        {"remarriage_share": "ratio", "dibao_avg_subsidy": "ratio"})
    city = {r["indicator"]: r["value"] for r in rows if r["region_code"] == CITY}
    assert round(city["remarriage_share"], 2) == Decimal("33.33")
    assert city["dibao_avg_subsidy"] == Decimal("380")


def test_a_count_some_child_does_not_publish_gets_no_city_row():
    """Counts are published for every region, 0 when nothing counts: B without cremations
    (a release of the v1 contract) leaves the city no total (A's 30 alone is no city figure;
    it was published as the city's); a rate B has no row for (a zero denominator) is A's."""
    from orchestration.release.rows import release_rows
    from orchestration.rollup.aggregate import aggregate

    def row(region, ind, kind, value, num=None, den=None):
        return {"period": P, "region_code": region, "region_name": region,
                "region_level": "district", "indicator": ind, "indicator_name": ind,
                "domain": "social_affairs", "breakdown": "total", "value": value,
                "unit": "%" if kind == "rate" else "具", "value_kind": kind, "numerator": num,
                "denominator": den}

    children = {
        A: release_rows([row(A, "cremations", "count", 30), row(A, "x_rate", "rate", "50.00",
                                                                   1, 2)], P),
        B: release_rows([row(B, "y", "count", 5)], P),
    }
    rows, notes = aggregate(children, (CITY, "南京市", "city"),
                            {"cremations": "count", "x_rate": "rate", "y": "count"})
    city = {r["indicator"]: r["value"] for r in rows if r["region_code"] == CITY}
    assert "cremations" not in city and "y" not in city
    assert notes["not_summed"] == {"cremations/total": [B], "y/total": [A]}
    assert city["x_rate"] == Decimal("50") and notes["partial"]["x_rate/total"] == [B]
    assert {r["indicator"] for r in rows if r["region_code"] == A} == {"cremations", "x_rate"}


def test_a_city_releases_pages_name_its_districts_not_townships(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局")
    pages = tmp_path / "city" / "published" / P / "dashboards"
    overview = (pages / "overview.html").read_text(encoding="utf-8")
    assert "各区（县）低保率" in overview and "虚线为全市水平" in overview
    assert "乡镇" not in overview and "全区" not in overview
    quality = (pages / "quality.html").read_text(encoding="utf-8")
    assert "数据比对发现（按区县）" in quality and "乡镇" not in quality


def test_the_city_summary_writes_every_text_of_a_release_as_literal_markdown(tmp_path):
    # a district named 甲|区 shifted the table's columns; *乙*区<img src=x> was emphasis and
    # raw HTML; a publisher 张_三_ and a reason with | went out as written
    from dataclasses import replace

    from dashboards.view import ReleaseView
    from orchestration.release import read_view
    from orchestration.rollup.citysummary import summary_text

    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局")
    view = read_view(tmp_path / "city" / "published" / P)
    odd = {A: "甲|区", B: "*乙*区<img src=x>"}
    view = ReleaseView(view.manifest, [replace(r, region_name=odd.get(r.region_code, r.region_name))
                                       for r in view.rows])
    text = summary_text(view, [{"region_name": "甲|区", "region_code": A, "run_id": "run-a",
                                "published_by": "张_三_", "gate": "通过"}],
                        [{"region": B, "region_name": "*乙*区<img src=x>", "reason": "a | b"}])
    header = next(ln for ln in text.splitlines() if ln.startswith("| 指标 | 口径 |"))
    assert header == r"| 指标 | 口径 | 全市 | 甲\|区 | \*乙\*区&lt;img src=x&gt; |"
    assert r"- 甲\|区(" + A + r"):批次 run-a,发布人 张\_三\_,质量检查 通过" in text
    assert r"- **未纳入** \*乙\*区&lt;img src=x&gt;:a \| b" in text
    assert "<img" not in text
