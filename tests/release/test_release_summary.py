"""summary.md: the real summaries' voice, every domain, and every number traced to a row."""

import re

from release_sample import DISTRICT, SAMPLE, WEST, make_frame, make_manifest

from dashboards.view import period_words
from orchestration.release import render_summary

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _published_texts(rows) -> set[str]:
    """The values as fed in, written the way the test data spells them (no code involved)."""
    return {str(row[4]) for row in rows}


def _numbers(summary: str, period_phrase: str) -> list[str]:
    text = summary.replace(period_phrase, "").replace("12小时", "")
    text = re.sub(r"`[^`]*`", "", text)
    return NUMBER.findall(text)


def test_every_number_in_the_summary_is_a_published_value():
    summary = render_summary(make_frame(SAMPLE), make_manifest())
    found = _numbers(summary, "2025年1-6月份")
    assert len(found) > 80
    allowed = _published_texts(SAMPLE)
    assert [n for n in found if n not in allowed] == []


def test_summary_speaks_like_the_real_half_year_summaries():
    summary = render_summary(make_frame(SAMPLE), make_manifest())
    assert summary.startswith("# 鼓楼区2025年1-6月份民政工作主要数据")
    for expected in [
        "2025年1-6月份城市低保累计保障43072户次、79612人次、2221.35万元,月人均补差达279.06元。",
        "农村低保累计保障10536户次、24744人次、352.81万元,月人均补差达142.84元。",
        "期末全区共有低保对象8936户、17393人,其中城市低保7180户、13269人,"
        "农村低保1756户、4124人。",
        "全区低保率为3.21%,城市低保率4.02%,农村低保率1.95%。",
        "现行低保标准为城市780.00元/人·月、城镇700.00元/人·月、农村620.00元/人·月。",
        "新增城市低保对象81户、126人,退出城市低保320户、553人,提高保障标准914户,降低保障标准74户",
        "城乡低保率差距(城市减农村)为2.07个百分点,城市与农村低保标准之比为1.26倍,"
        "城乡月人均补差之比为1.95倍。",
        "全区认定低收入家庭3300户、7451人,其中城市1210户、2650人,农村2090户、4801人。",
        "发现疑似漏保12户、疑似错保3户",
        "期末全区特困供养人员195人,其中集中供养71人、分散供养124人。",
        "累计发放特困供养金17.67万元,其中集中供养6.42万元、分散供养11.25万元。",
        "重复享受人员2人",
        "累计临时救助困难群众1216户次、2054人次,发放临时救助金48.00万元。",
        "共发生自然灾害过程3次,受灾人口8000人,紧急转移安置人口70人,农作物受灾面积600.00公顷,"
        "其中绝收面积150.00公顷,因灾倒塌房屋15户、50间,损坏房屋35户、71间,"
        "直接经济损失1000.00万元。",
        "灾情初报及时率为80.00%,共发放救灾资金69.00万元,救助受灾群众11600人次,人均救助59.48元,"
        "12小时救助到位率为75.00%。",
        "全区灾害信息员覆盖率为96.88%。",
        "期末全区共有优抚对象186人,其中残疾军人120人、烈士遗属6人、在乡复员军人60人。",
        "共发放各类优抚金368.30万元,其中残疾抚恤金228.00万元、参战参试补贴54.50万元、"
        "义务兵家庭优待金85.80万元。",
        "接收退役士兵138人,其中自主就业118人、安排工作5人、待安置15人;自主就业比例为85.51%,"
        "发放自主就业一次性补助金31.00万元。",
        "期末保障人数目标完成率为52.30%;临时救助户次目标完成率为60.80%。",
        "做到了“时间过半、任务过半”",
        "| 东街道 | 5000 | 9000 | 2.50 | 3.10 | 0.98 |",
        "| 西乡 | 3936 | 8393 | 4.62 | 5.27 | — |",
        "低保率最高的是西乡(4.62%),最低的是东街道(2.50%)。",
        "`dual_benefit`",
        "`quarantine_share`",
    ]:
        assert expected in summary, expected
    assert "参战参试退役人员" not in summary  # a zero category is not listed
    assert "应保尽保" not in summary  # not claimed while suspected cases exist


def test_a_lagging_target_is_named_and_no_half_time_claim():
    rows = [r for r in SAMPLE if r[3] != "temp_assist_cases:total"]
    rows.append((DISTRICT, "target_completion_rate", "目标完成率", "temp_assist_cases:total",
                 "49.99", "%", "rate", "1", "2"))
    summary = render_summary(make_frame(rows), make_manifest())
    assert "时间过半" not in summary
    assert "其中临时救助户次完成率尚未过半" in summary


def test_half_time_is_only_said_for_a_first_half_year():
    summary = render_summary(make_frame(SAMPLE, period="2025"), make_manifest(period="2025"))
    assert "时间过半" not in summary
    assert summary.startswith("# 鼓楼区2025年民政工作主要数据")
    assert "2025年累计临时救助困难群众1216户次" in summary


def test_missing_ratios_and_rows_are_left_out_gracefully():
    dropped = {("gap_subsidy_ratio", "total"), ("dibao_avg_subsidy", "rural"),
               ("tekun_funds", "total"), ("tekun_funds", "centralized"),
               ("tekun_funds", "dispersed"), ("soldiers_received", "total")}
    rows = [r for r in SAMPLE if (r[1], r[3]) not in dropped or r[0] != DISTRICT]
    summary = render_summary(make_frame(rows), make_manifest())
    assert "月人均补差之比" not in summary
    assert "农村低保累计保障10536户次、24744人次、352.81万元。" in summary
    assert "特困供养金" not in summary
    assert "接收退役士兵" not in summary
    allowed = _published_texts(rows)
    assert [n for n in _numbers(summary, "2025年1-6月份") if n not in allowed] == []


def test_an_empty_domain_does_not_crash():
    rows = [r for r in SAMPLE if r[0] == WEST]
    summary = render_summary(make_frame(rows), make_manifest())
    assert "本期没有区级指标行" in summary
    assert "本期无目标任务数据。" in summary
    assert "| 西乡 | 3936 | 8393 | 4.62 | 5.27 | — |" in summary


def test_no_disaster_means_no_losses_sentence():
    rows = [r for r in SAMPLE if not r[1].startswith("disaster_")]
    rows.append((DISTRICT, "disaster_events", "灾害过程数", "total", 0, "次", "count"))
    summary = render_summary(make_frame(rows), make_manifest())
    assert "2025年1-6月份我区未发生自然灾害过程。" in summary
    assert "受灾人口" not in summary


def test_period_wording_follows_the_period():
    assert period_words("2025H1") == "2025年1-6月份"
    assert period_words("2025S2") == "2025年7-12月份"
    assert period_words("2025") == "2025年"
    assert period_words("2025-06") == "2025年6月"
