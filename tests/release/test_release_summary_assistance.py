"""summary.md sentences of issue 12's v2 figures, on hand-made rows in 第6篇's magnitudes."""

from release_sample import DISTRICT, SAMPLE, make_frame, make_manifest

from orchestration.release import render_summary

V2 = [
    (DISTRICT, "dibao_members_end", "期末保障对象(按类别)", "elderly", 5210, "人", "count"),
    (DISTRICT, "dibao_members_end", "期末保障对象(按类别)", "minor", 2104, "人", "count"),
    (DISTRICT, "dibao_members_end", "期末保障对象(按类别)", "disabled", 1630, "人", "count"),
    (DISTRICT, "dibao_members_end", "期末保障对象(按类别)", "severely_disabled", 512, "人",
     "count"),
    (DISTRICT, "dibao_members_end", "期末保障对象(按类别)", "female", 8120, "人", "count"),
    (DISTRICT, "dibao_temp_subsidy_funds", "低保临时补助", "total", "86.97", "万元", "sum"),
    (DISTRICT, "dibao_new_amount", "新增对象增加保障金", "urban", "3.80", "万元", "sum"),
    (DISTRICT, "dibao_raised_persons", "提标人数", "urban", 1327, "人", "count"),
    (DISTRICT, "dibao_raised_amount", "提标增加保障金", "urban", "5.38", "万元", "sum"),
    (DISTRICT, "dibao_lowered_persons", "降标人数", "urban", 68, "人", "count"),
    (DISTRICT, "dibao_lowered_amount", "降标减少保障金", "urban", "0.74", "万元", "sum"),
    (DISTRICT, "dibao_exited_amount", "退出对象减少保障金", "urban", "14.15", "万元", "sum"),
    (DISTRICT, "tekun_persons_end", "特困供养人数", "rural", 124, "人", "count"),
    (DISTRICT, "tekun_persons_end", "特困供养人数", "urban", 71, "人", "count"),
    (DISTRICT, "tekun_funds", "特困供养金", "rural", "11.25", "万元", "sum"),
    (DISTRICT, "tekun_funds", "特困供养金", "urban", "6.42", "万元", "sum"),
    (DISTRICT, "tekun_to_dibao_persons", "特困转入低保人数", "total", 53, "人", "count"),
    (DISTRICT, "disaster_relief_households", "救灾救助户数", "total", 2456, "户", "count"),
    (DISTRICT, "disaster_relief_quilts", "发放棉被", "total", 80, "床", "count"),
    (DISTRICT, "disaster_relief_clothes", "发放衣物", "total", 10, "件", "count"),
    (DISTRICT, "disaster_relief_grain", "发放粮食", "total", "3000.00", "公斤", "sum"),
    (DISTRICT, "disaster_officers_active", "灾害信息员人数", "total", 96, "人", "count"),
    (DISTRICT, "soldiers_received", "接收退役士兵", "conscript", 30, "人", "count"),
    (DISTRICT, "soldiers_received", "接收退役士兵", "nco", 12, "人", "count"),
    (DISTRICT, "soldiers_placed", "完成安置退役士兵", "total", 35, "人", "count"),
]


def test_v2_sentences_as_the_seeds_write_them():
    summary = render_summary(make_frame(SAMPLE + V2), make_manifest())
    for text in (
        "期末低保对象中老年人5210人、未成年人2104人、残疾人1630人(其中重度残疾512人)、女性8120人。",
        "2025年1-6月份随低保金发放临时补助86.97万元。",
        "新增城市低保对象81户、126人、增加保障金额3.80万元,退出城市低保320户、553人、"
        "减少保障金额14.15万元,提高保障标准914户、1327人、增加保障金额5.38万元,"
        "降低保障标准74户、68人、减少保障金额0.74万元",
        "期末特困供养人员中农村特困(五保)124人、城市特困(三无)71人。",
        "累计发放农村特困(五保)供养金11.25万元、城市特困(三无)供养金6.42万元。",
        "不再符合特困条件转入低保53人。",
        "共救助受灾群众2456户,发放棉被80床、衣物10件、粮食3000.00公斤。",
        "全区共有在岗灾害信息员96人。",
        "接收的退役士兵中义务兵30人、士官12人。",
        "完成退役士兵安置35人。",
    ):
        assert text in summary, text


def test_without_v2_rows_no_v2_sentence():
    summary = render_summary(make_frame(SAMPLE), make_manifest())
    for word in ("低保对象中", "五保", "棉被", "在岗灾害信息员", "中义务兵", "完成退役士兵安置",
                 "增加保障金额"):
        assert word not in summary
