"""The pages of a release: content, numbers, formats, self-containment (no browser needed)."""

from __future__ import annotations

import json
import re

import pytest
from dash_release import REJECTED_SHA, RUN_ID, view

import dashboards
from dashboards.view import ReleaseView


def figure(page: str, div_id: str) -> tuple[list, dict]:
    """(data, layout) of the chart `div_id`, as embedded by plotly's to_html."""
    m = re.search(r'Plotly\.newPlot\(\s*"' + re.escape(div_id) + r'",\s*', page)
    assert m, f"no chart {div_id}"
    dec = json.JSONDecoder()
    data, end = dec.raw_decode(page, m.end())
    layout, _ = dec.raw_decode(page, page.index("{", end))
    return data, layout


def pages(release: ReleaseView) -> dict[str, str]:
    return {rel.rsplit("/", 1)[-1]: text for rel, text in dashboards.render(release).items()}


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    """The pages of the fixture release, rendered once for the read-only tests below."""
    return pages(view())


def test_renders_two_pages_township_pages_and_one_shared_plotly(release: ReleaseView):
    out = dashboards.render(release)
    assert list(out) == [
        "dashboards/overview.html", "dashboards/quality.html", "dashboards/plotly.min.js",
        "dashboards/townships/990102001000.html", "dashboards/townships/990102002000.html"]
    assert "plotly.js v" in out["dashboards/plotly.min.js"][:200]
    for rel, page in out.items():
        if rel.endswith(".js"):
            continue
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page)
        # loaded once, from beside the page (township pages sit one folder down)
        assert scripts == ["../plotly.min.js" if "townships/" in rel else "plotly.min.js"]
        assert "cdn.plot.ly" not in page and "https://cdn" not in page
        assert len(page) < 400_000  # plotly.js is not inlined


def test_every_page_shows_period_and_run_id(built: dict[str, str]):
    for page in built.values():
        if page.startswith("/**"):
            continue  # plotly.min.js
        assert "2025年上半年（2025H1）" in page
        assert "（半年度 · 2025年上半年）</h1>" in page  # the period's kind in every title
        assert f"运行编号：{RUN_ID}" in page
        assert "发布人：王科长" in page
        assert '"Noto Sans CJK SC"' in page
        assert "@page { size: A4" in page


def test_cards_use_chinese_units_and_thousands_separators(built: dict[str, str]):
    page = built["overview.html"]
    assert "12,345 人" in page  # dibao_persons_end total
    assert "城市 4,345 人 · 农村 8,000 人 · 6,789 户" in page
    assert "1,234.50 万元" in page  # dibao_funds
    assert "特困供养金 321.09 万元 · 临时救助 45.60 万元" in page
    assert "2.47%" in page and "城市 1.74% · 农村 3.20%" in page
    assert "3,500 人" in page and "直接经济损失 850.75 万元" in page
    # targets 62.5 % and 41.2 % at H1: not every target reached half
    assert "目标进度（时间进度 50%）" in page and "未实现" in page
    assert "2 项目标中 1 项达到进度" in page


def test_coverage_by_township_comes_from_the_indicator_table(built: dict[str, str]):
    data, layout = figure(built["overview.html"], "chart-coverage")
    urban, rural = data
    assert urban["x"] == ["城关街道", "河西镇"] and urban["y"] == [1.5, 2.25]
    # 城关街道 has no rural population: no row, so no bar (not a zero)
    assert rural["y"] == [None, 3.4]
    district_lines = sorted(s["y0"] for s in layout["shapes"])
    assert district_lines == [1.74, 3.2]


def test_monthly_trends_and_dynamics(built: dict[str, str]):
    page = built["overview.html"]
    data, _ = figure(page, "chart-trend-persons")
    assert data[0]["x"] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert data[0]["y"] == [4300, 4310, 4320, 4330, 4340, 4345]
    assert data[1]["y"] == [7900, 7950, 7960, 7970, 7990, 8000]
    data, _ = figure(page, "chart-dynamics")
    assert [t["name"] for t in data] == ["新增", "退出", "提标", "降标"]
    assert data[1]["y"] == [0, 10, 20, 25, 20, 20]
    assert "本期合计：新增 120 户，退出 95 户，提标 40 户，降标 12 户" in page


def test_without_monthly_rows_trends_say_no_monthly_data():
    page = pages(view(monthly=False))["overview.html"]
    for div in ("chart-trend-persons", "chart-trend-funds", "chart-dynamics",
                "chart-disaster-timeline"):
        assert f'<div class="empty" id="{div}">无月度数据</div>' in page
    figure(page, "chart-coverage")  # the period charts are still there


def test_gap_disasters_veterans_targets(built: dict[str, str]):
    page = built["overview.html"]
    data, layout = figure(page, "chart-gap")
    assert [t["y"] for t in data] == [[1000, 900, 800], [1.74, 3.2], [680.25, 410.5]]
    assert data[0]["x"] == ["城市", "城镇", "农村"]  # the standard's tiers, as the contract names them
    titles = [a["text"] for a in layout["annotations"]]
    assert "低保标准（城乡标准比 1.25 倍）" in titles
    assert "低保率（差距 -1.46 个百分点）" in titles
    data, _ = figure(page, "chart-disaster-losses")
    assert data[0]["y"] == [50.75, 800] and data[0]["customdata"] == [500, 3000]
    data, _ = figure(page, "chart-disaster-rates")
    assert data[0]["x"] == ["全区", "城关街道", "河西镇"]
    assert data[0]["y"] == [66.67, 100, 50] and data[1]["y"] == [100, None, None]
    data, _ = figure(page, "chart-veterans-category")
    assert dict(zip(data[0]["y"], data[0]["x"], strict=True)) == {"残疾军人": 60, "烈士遗属": 90}
    data, _ = figure(page, "chart-veterans-benefit")
    assert dict(zip(data[0]["y"], data[0]["x"], strict=True)) == {
        "残疾抚恤金": 66.6, "定期抚恤金": 22.2}
    data, layout = figure(page, "chart-targets")
    assert data[0]["y"] == ["期末保障人数", "优抚金发放"] and data[0]["x"] == [62.5, 41.2]
    assert data[0]["marker"]["color"] == ["#2e7d32", "#c0392b"]  # on track / behind
    assert layout["shapes"][0]["x0"] == 50  # 时间过半


def test_quality_page(built: dict[str, str]):
    page = built["quality.html"]
    assert ('<div class="label">质量闸门</div><div class="value">经豁免通过</div>'
            '<div class="sub">1 项警告</div>') in page
    # the verdict first, then each failing check in plain words, before any table
    verdict = page.index("结论：经豁免通过")
    assert verdict < page.index("隔离行过多") < page.index("<table")
    assert "经豁免通过：未通过的错误级检查都已由有权发布的人豁免。 另有 1 项警告" in page
    assert "已由 王科长 于 2025-07-05T09:00:00+08:00 豁免：河西镇特困名册合计行有误，已通知重报" in page
    assert "civstat waive" not in page  # the only failed error is waived already
    assert "coverage_rate_range" in page and '<td class="ok">通过</td>' in page
    assert REJECTED_SHA in page and "a" * 64 in page  # full hashes of the input files
    assert "合计行与明细不符（total_mismatch）" in page
    # per-source summary: files, rejected, rows read / loaded / quarantined
    assert ('<td class="">特困人员救助供养名册（tekun_persons）</td><td class="">民政局</td>'
            '<td class="num">1</td><td class="num bad">1</td><td class="num">40</td>'
            '<td class="num">0</td><td class="num">40</td>') in page
    # the rejected file is listed unfolded; the full list (both hashes) is in <details>
    folded = page.index('<details id="all-inputs">')
    assert page.index(REJECTED_SHA) < folded < page.index("a" * 64)
    assert "展开全部 2 个文件" in page
    data, _ = figure(page, "chart-checks")  # outcome counts per severity
    assert {t["name"]: t["x"] for t in data} == {"错误级": [1, 1, 0, 0], "警告级": [0, 0, 1, 0]}
    assert data[0]["y"] == ["通过", "已豁免", "警告", "未通过"]
    data, _ = figure(page, "chart-quarantine")
    by_reason = {t["name"]: t["x"] for t in data}
    assert by_reason == {"重复行": [3, 0], "身份证号无效": [7, 0], "合计行与明细不符": [0, 40]}
    assert data[0]["y"] == ["城乡低保资金发放名册", "特困人员救助供养名册"]
    # the clerk's quarantine list, from published/<P>/dashboards/ up to DIR/quarantine/
    assert '<a href="../../../quarantine/tekun_persons.csv">tekun_persons.csv</a>' in page
    # completeness: sources sorted, tekun_persons second; 河西镇 sent nothing for April
    data, _ = figure(page, "chart-completeness-1")
    assert data[0]["y"] == ["城关街道", "河西镇"]
    assert data[0]["customdata"][1] == [40, 40, 40, 0, 40, 40]
    assert data[0]["z"][1] == [1, 1, 1, 0, 1, 1]


def test_the_quality_page_tells_every_quarantined_row_from_those_of_the_period(
        built: dict[str, str]):
    # 50 rows in the inbox, 10 of them counted for the period (the gate's share): the card
    # said 50 beside a gate detail of 10
    page = built["quality.html"]
    assert '<div class="value">50 行</div><div class="sub">其中计入本期 10 行；' in page
    assert ('<td class="">特困人员救助供养名册（tekun_persons）</td><td class="">'
            in page)
    panel = page[page.index("隔离行（按来源和原因）"):]
    assert '<td class="num">40</td><td class="num">0</td>' in panel
    assert '<td class="num">7</td><td class="num">7</td>' in panel


def test_quality_page_findings_by_township_and_folded_checks(built: dict[str, str]):
    page = built["quality.html"]
    findings = page[page.index("数据比对发现（按乡镇）"):page.index("隔离行（按来源和原因）")]
    assert '<a href="townships/990102002000.html">河西镇</a></td><td class="num bad">3 人</td>' \
        in findings
    assert '<a href="townships/990102001000.html">城关街道</a></td><td class="num">0 人</td>' \
        in findings
    # checks without a gate description are folded per model or source
    page = pages(view(checks=[
        {"name": "not_null_fct_x_a", "asset": "fct_x", "severity": "error", "passed": True},
        {"name": "not_null_fct_x_b", "asset": "fct_x", "severity": "error", "passed": True},
        {"name": "gx_suite", "asset": "raw/tekun_persons", "severity": "error", "passed": False,
         "detail": "2 expectations failed"},
    ]))["quality.html"]
    assert '<summary><span class="ok">2 项全部通过</span> · 模型 fct_x：dbt 测试</summary>' \
        in page
    assert ('<details class="group" open><summary><span class="bad">1 项中 1 项未通过</span> · '
            '来源 特困人员救助供养名册（tekun_persons）：GX 校验套件</summary>') in page


def test_an_unwaived_failing_gate_check_shows_where_and_the_waive_command():
    page = pages(view(checks=[{
        "name": "reporting_completeness", "asset": "fct_indicators", "severity": "error",
        "passed": False, "description": "乡镇逐月报送完整 every township reports",
        "detail": "tekun_persons 990102002000 2025-04"}], waivers=[]))["quality.html"]
    assert "结论：未通过" in page and "1 项错误级检查未通过且未豁免，本期不得发布" in page
    assert "乡镇漏报月份" in page  # the township and the source in words, the month as given
    assert "<li>特困人员救助供养名册（tekun_persons） 河西镇（990102002000） 2025-04</li>" in page
    assert ('civstat waive --warehouse DIR --period 2025H1 --check reporting_completeness '
            '--reason &#34;…&#34; --by 姓名') in page
    # a second failed error, waived: still one that blocks
    page = pages(view(checks=[{
        "name": "reporting_completeness", "asset": "fct_indicators", "severity": "error",
        "passed": False, "description": "乡镇逐月报送完整", "detail": ""}, {
        "name": "files_rejected", "asset": "fct_indicators", "severity": "error",
        "passed": False, "waived": True, "description": "拒收文件", "detail": ""}],
        waivers=[]))["quality.html"]
    assert "结论：未通过" in page and "1 项错误级检查未通过且未豁免" in page


def test_v2_families_and_comparisons_on_the_overview(built: dict[str, str]):
    page = built["overview.html"]
    for title in ("<h2>社会事务</h2>", "<h2>社会福利</h2>", "<h2>医疗救助</h2>", "<h2>数据比对发现</h2>"):
        assert title in page
    # 12,345 persons: 环比 against 12,000, 同比 against 13,000 (comparisons.csv)
    assert '<div class="cmp">环比 +2.88% · 同比 -5.04%</div>' in page
    assert page.count('<div class="cmp">') == 1  # only the card whose row has a comparison
    assert ('<td class="">享受高龄津贴人数<br><small>longevity_persons_end</small></td>'
            '<td class="num">2,100 人</td><td class="">90–99岁 300 人</td>') in page
    assert '<a href="townships/990102002000.html">河西镇</a>' in page
    # the bars of a township chart lead to the township's page
    assert '"\\u57ce\\u5173\\u8857\\u9053": "townships/990102001000.html"' in page  # 城关街道
    old = pages(view(v2=False))["overview.html"]
    assert "<h2>社会事务</h2>" not in old and '<div class="cmp">' not in old


def test_township_page(built: dict[str, str]):
    page = built["990102002000.html"]
    assert "示例区民政统计 · 河西镇（半年度 · 2025年上半年）" in page
    assert '<a href="../overview.html">← 领导驾驶舱</a>' in page
    assert "3.10%" in page and "全区 2.47%" in page  # its 低保率 beside the district's
    assert ('<td class="num">190 人</td><td class="">—</td><td class="num">-5.00%</td>'
            '<td class="num">—</td>') in page  # deaths: 环比 against 200, no 同比
    # completeness row: 河西镇 sent no tekun_persons rows for April
    assert ('<td class="num">40</td><td class="num missing">0</td><td class="num">40</td>') in page
    findings = page[page.index("<h2>数据比对发现</h2>"):]
    assert '<td class="num">3 人</td><td class="">—</td>' in findings
    town1 = built["990102001000.html"]
    data, _ = figure(town1, "chart-town-persons")
    assert data[0]["y"] == [1000, 1001, 1002, 1003, 1004, 1005]  # its own monthly rows
    assert "本期没有数据比对发现" not in town1  # a 0 finding is still a row
    # month labels without values are no chart: 城关街道 has no monthly funds, 河西镇 nothing
    assert '<div class="empty" id="chart-town-funds">无月度数据</div>' in town1
    assert '<div class="empty" id="chart-town-persons">无月度数据</div>' in page


def test_the_header_links_every_township_from_where_the_page_is(built: dict[str, str]):
    # made once per set of links: the overview's lead to townships/, a township page's to ../
    nav = ('<span class="towns">各乡镇（街道）：<a href="{0}townships/990102001000.html">城关街道</a>'
           '<a href="{0}townships/990102002000.html">河西镇</a></span></nav>')
    assert nav.format("") in built["overview.html"] and nav.format("") in built["quality.html"]
    for town in ("990102001000.html", "990102002000.html"):
        assert nav.format("../") in built[town]
        assert '"\\u6cb3\\u897f\\u9547": "../townships/990102002000.html"' in built[town]


def test_a_township_name_is_escaped_once_in_the_header(built: dict[str, str]):
    from dataclasses import replace

    from dash_release import T1

    base = view()
    odd = "宁山&<b>新村</b>"
    rows = [replace(r, region_name=odd) if r.region_code == T1 else r for r in base.rows]
    page = dashboards.render(ReleaseView(base.manifest, rows, base.monthly, base.comparisons))[
        "dashboards/overview.html"]
    assert '.html">宁山&amp;&lt;b&gt;新村&lt;/b&gt;</a>' in page and "&amp;amp;" not in page


def test_a_city_release_renders_its_districts_as_sub_regions():
    """indicators.md §9: a city release has city rows and district rows (no townships)."""
    from dataclasses import replace

    from dash_release import T1, T2, D

    city = {D: ("990100000000", "示例市", "city"), T1: ("990102000000", "甲区", "district"),
            T2: ("990103000000", "乙区", "district")}
    base = view(v2=False, monthly=False)
    rows = [replace(r, region_code=city[r.region_code][0], region_name=city[r.region_code][1],
                    region_level=city[r.region_code][2]) for r in base.rows]
    out = dashboards.render(ReleaseView(base.manifest, rows))
    assert "dashboards/townships/990103000000.html" in out
    page = out["dashboards/overview.html"]
    assert "示例市民政统计 · 领导驾驶舱（半年度 · 2025年上半年）" in page
    data, _ = figure(page, "chart-coverage")
    assert data[0]["x"] == ["甲区", "乙区"] and data[0]["y"] == [1.5, 2.25]
    # a district's page of a city release: the city's figure is 全市, the region 本区（县）
    district = out["dashboards/townships/990103000000.html"]
    assert '<div class="sub">全市 ' in district and "全区" not in district
    assert "本区（县）每月在册低保人数" in district and "<h2>本区县数字</h2>" in district
    assert "乡镇" not in district


def test_the_v2_figures_of_a_v1_family_show_on_the_overview_only_when_released():
    from decimal import Decimal

    import dash_release as dr

    import dashboards
    from dashboards.view import ReleaseView, Row

    base = dr.view()
    assert "补充指标" not in dashboards.render(base)["dashboards/overview.html"]  # a v1 inbox: no panel
    extra = Row("2025H1", dr.D, dr.NAMES[dr.D], "district", "dibao_members_end", "期末保障对象(按类别)",
                "social_assistance", "rural_minor", Decimal(37), "人", "count", None, None)
    grown = ReleaseView(base.manifest, [*base.rows, extra], base.monthly, base.comparisons)
    page = dashboards.render(grown)["dashboards/overview.html"]
    assert "社会救助：补充指标" in page and "期末保障对象(按类别)（农村未成年人）" in page
    assert ">37 人<" in page
