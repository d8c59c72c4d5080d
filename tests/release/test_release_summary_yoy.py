"""summary.md quotes 同比 where it exists (indicators.md §6), from comparisons.csv's figures."""

from decimal import Decimal

from release_sample import DISTRICT, SAMPLE, make_frame, make_manifest

from dashboards.view import Comparison, Manifest, ReleaseView
from orchestration.release.rows import release_rows
from orchestration.release.summary import summary_from_view


def _view(comparisons):
    return ReleaseView(Manifest.model_validate(make_manifest()),
                       release_rows(make_frame(SAMPLE), "2025H1"), comparisons=comparisons)


def _year_ago(value: str, pct: str | None) -> Comparison:
    return Comparison(previous_period="2024H2", last_year_period="2024H1",
                      last_year_value=Decimal(value), yoy_pct=None if pct is None else Decimal(pct))


def test_totals_with_a_year_earlier_value_are_quoted_with_their_yoy():
    # 17 393 persons now, 16 850 a year ago: 543 / 16 850 = +3.22 %; 195 特困 persons now,
    # 200 then: −2.50 %; 低保金 unchanged: 持平; the urban breakdown and a total without 同比 are not quoted
    summary = summary_from_view(_view({
        (DISTRICT, "dibao_persons_end", "total"): _year_ago("16850", "3.22"),
        (DISTRICT, "tekun_persons_end", "total"): _year_ago("200", "-2.50"),
        (DISTRICT, "dibao_persons_end", "urban"): _year_ago("13000", "2.07"),
        (DISTRICT, "dibao_households_end", "total"): _year_ago("0", None),
        (DISTRICT, "dibao_funds", "total"): _year_ago("2574.16", "0.00"),
    }))
    section = summary[summary.index("、主要指标同比情况"):summary.index("、数据说明")]
    assert "与上年同期(2024H1)相比" in section
    assert "| 期末保障人数 | 17393 人 | 16850 人 | 同比增长3.22% |" in section
    assert "| 特困供养人数 | 195 人 | 200 人 | 同比下降2.50% |" in section
    assert "| 累计支出低保金 | 2574.16 万元 | 2574.16 万元 | 同比持平 |" in section
    assert "2.07" not in section and "期末保障户数" not in section
    assert section.index("期末保障人数") < section.index("特困供养人数")  # release order


def test_without_comparisons_the_section_says_there_is_no_yoy():
    for comparisons in (None, {}):
        summary = summary_from_view(_view(comparisons))
        section = summary[summary.index("、主要指标同比情况"):summary.index("、数据说明")]
        assert "本期没有上年同期的可比数据,不作同比。" in section
        assert "|" not in section


def test_without_a_district_row_no_township_speaks_for_the_district():
    from orchestration.release.paragraphs_comparisons import yoy_table

    towns = [r for r in SAMPLE if r[0] != DISTRICT]
    view = ReleaseView(Manifest.model_validate(make_manifest()),
                       release_rows(make_frame(towns), "2025H1"),
                       comparisons={(r[0], r[1], r[3]): _year_ago("1", "5.00") for r in towns})
    assert yoy_table(view) == "本期没有上年同期的可比数据,不作同比。"


def test_a_release_without_a_district_row_still_renders_its_pages():
    """No traceback: the pages of township rows alone (the summary says the district row is
    missing) are drawn with the townships as they are."""
    import dashboards

    towns = [r for r in SAMPLE if r[0] != DISTRICT]
    view = ReleaseView(Manifest.model_validate(make_manifest()),
                       release_rows(make_frame(towns), "2025H1"))
    pages = dashboards.render(view)
    assert "dashboards/overview.html" in pages and "全区" in pages["dashboards/overview.html"]


def test_a_difference_is_compared_in_points_and_a_direction_follows_the_values():
    # the gap is 2.07 points now. A year ago −1.00: (2.07 + 1.00) · 100 / −1.00 = −307 % in
    # comparisons.csv, yet the gap rose by 3.07 points; a year ago 2.50: down 0.43 points
    from orchestration.release.paragraphs_comparisons import yoy_words

    def line(last, pct):
        summary = summary_from_view(_view({(DISTRICT, "gap_coverage_pp", "total"):
                                           _year_ago(last, pct)}))
        return next(ln for ln in summary.splitlines() if ln.startswith("| 城乡低保率差距"))

    assert line("-1.00", "-307.00") == ("| 城乡低保率差距 | 2.07 百分点 | -1.00 百分点 | "
                                        "同比上升3.07个百分点 |")
    assert line("2.50", "-17.20").endswith("| 同比下降0.43个百分点 |")
    # a share said from the two values' order, its size from yoy_pct
    assert yoy_words(Decimal(5), Decimal(4), Decimal("25.00"), "count") == "同比增长25.00%"
    assert yoy_words(Decimal(3), Decimal(4), Decimal("-25.00"), "count") == "同比下降25.00%"
    assert yoy_words(Decimal(4), Decimal(4), Decimal("0.00"), "rate") == "同比持平"
    # a change that rounds to 0.00 % is 持平, as before (not 同比下降0.00%)
    assert yoy_words(Decimal(99999), Decimal(100000), Decimal("0.00"), "count") == "同比持平"
