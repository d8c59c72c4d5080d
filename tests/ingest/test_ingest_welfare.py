"""The welfare and medical sources of data-contract v2 on hand-made files: age bands as data,
age on the month's last day, over_age, the standards in force, amount ≤ total cost."""

from ingest_cases import make_id

VILLAGE = "110101001001"
ES_STD = ["执行月份", "补贴类型", "年龄段", "月标准"]
ES = ["发放月份", "姓名", "身份证号", "区划代码", "补贴类型", "月发放金额", "银行账号"]
CW_STD = ["执行月份", "儿童类别", "养育方式", "月标准"]
CW = ["发放月份", "儿童编号", "有无身份信息", "姓名", "区划代码", "儿童类别", "养育方式", "在校就读",
      "月发放金额"]


def born(ymd: str, n: int = 1) -> str:
    return make_id(f"110101{ymd}{n:03d}")


def test_band_labels_and_overlaps(env):
    env.base()
    env.xlsx("elderly_subsidy_standards/s.xlsx", [
        ES_STD,
        ["2026-01", "高龄津贴", "80_89", 100], ["2026-01", "高龄津贴", "90_99", 200],
        ["2026-01", "高龄津贴", "100_plus", 500],
        ["2026-01", "护理补贴", "80-89", 50],  # row 5: not <a>_<b>
        ["2026-01", "护理补贴", "90_80", 50],  # row 6: a > b
        ["2026-04", "高龄津贴", "80_94", 120], ["2026-04", "高龄津贴", "90_99", 220],  # overlap
        ["2026-04", "高龄津贴", "100_plus", 600],  # row 9: no overlap, loads
    ])
    env.run("elderly_subsidy_standards")
    assert [(r, c, why) for _, r, c, why in env.quarantine("elderly_subsidy_standards")] == [
        (5, "age_band", "invalid_code"), (6, "age_band", "invalid_code"),
        (7, "age_band", "conflicting_duplicate"), (8, "age_band", "conflicting_duplicate")]
    assert env.sql("select count(*) from raw.elderly_subsidy_standards")[0][0] == 4


def test_age_on_the_months_last_day_against_the_bands_in_force(env):
    env.base()
    env.xlsx("elderly_subsidy_standards/s.xlsx", [
        ES_STD, ["2026-01", "高龄津贴", "80_89", 100], ["2026-01", "高龄津贴", "90_plus", 200],
        ["2026-06", "高龄津贴", "80_89", 150], ["2026-06", "高龄津贴", "90_plus", 300]])
    env.run("elderly_subsidy_standards")
    env.xlsx("elderly_subsidies/e.xlsx", [
        ES,
        # born 1946-05-31: 80 on 2026-05-31, the last day of May -> in band 80_89
        ["2026-05", "甲", born("19460531", 1), VILLAGE, "高龄津贴", 100, None],
        # born 1946-06-01: 79 years 364 days on 2026-05-31 -> below every band
        ["2026-05", "乙", born("19460601", 2), VILLAGE, "高龄津贴", 100, None],
        # May: the January standard 100 is in force -> 150 is over it
        ["2026-05", "丙", born("19400101", 3), VILLAGE, "高龄津贴", 150, None],
        # June: the June standard 150 is in force -> 150 passes, 150.01 does not
        ["2026-06", "丙", born("19400101", 3), VILLAGE, "高龄津贴", 150, None],
        ["2026-06", "丁", born("19400101", 4), VILLAGE, "高龄津贴", "150.01", None],
        # a subsidy without a standard in force is not checked
        ["2026-06", "戊", born("19700101", 5), VILLAGE, "护理补贴", 9999, None],
        # born 29 Feb 1936: 90 on 1 March 2026 only, so 89 on 28 Feb 2026 (band 80_89, 100)
        ["2026-02", "己", born("19360229", 6), VILLAGE, "高龄津贴", 200, None],
    ])
    env.run("elderly_subsidies")
    assert [(r, c, why) for _, r, c, why in env.quarantine("elderly_subsidies")] == [
        (3, "id_number", "age_below_band"), (4, "amount", "amount_over_standard"),
        (6, "amount", "amount_over_standard"), (8, "amount", "amount_over_standard")]


def test_child_over_age_in_and_out_of_school_and_the_standard(env):
    env.base()
    env.xlsx("child_welfare_standards/s.xlsx", [
        CW_STD, ["2026-01", "孤儿", "集中养育", 2000], ["2026-01", "孤儿", "社会散居", 1500]])
    env.run("child_welfare_standards")
    turns18 = born("20080615", 1)  # 18 on 2026-06-15
    env.xlsx("child_welfare_payments/c.xlsx", [
        CW,
        ["2026-05", turns18, "是", "甲", VILLAGE, "孤儿", "社会散居", None, 1500],  # 17: passes
        ["2026-06", turns18, "是", "甲", VILLAGE, "孤儿", "社会散居", None, 1500],  # over_age
        ["2026-06", born("20080615", 2), "是", "乙", VILLAGE, "孤儿", "社会散居", "是", 1500],
        ["2026-06", "FL-0007", "否", "丙", VILLAGE, "孤儿", "集中养育", None, 2000],  # case no.
        ["2026-06", "FL-0008", "是", "丁", VILLAGE, "孤儿", "集中养育", None, 2000],  # not an ID
        ["2026-06", born("20150101", 3), "是", "戊", VILLAGE, "孤儿", "社会散居", None, 1600],
    ])
    env.run("child_welfare_payments")
    assert [(r, c, why) for _, r, c, why in env.quarantine("child_welfare_payments")] == [
        (3, "child_id", "over_age"), (6, "child_id", "invalid_id_number"),
        (7, "amount", "amount_over_standard")]
    hashes = env.sql("select child_id_hash from raw.child_welfare_payments")
    assert len(hashes) == 3 and all(len(h) == 64 for (h,) in hashes)


def test_medical_amount_at_most_total_cost_and_agency(env):
    from ingest.contract import SOURCES

    env.base()
    env.xlsx("medical_assistance/m.xlsx", [
        ["结算编号", "身份证号", "区划代码", "救助对象类别", "救助类型", "结算日期", "医疗总费用",
         "医疗救助金额"],
        ["S1", born("19500101"), VILLAGE, "低保对象", "住院救助", "2026-06-02", 1000, 1000],
        ["S2", born("19500101"), VILLAGE, "特困人员", "门诊救助", "2026-06-03", 1000, "1000.01"],
        ["S3", born("19500101"), VILLAGE, "其他", "门诊救助", "2026-06-04", None, 5000],
    ])
    env.run("medical_assistance")
    assert [(r, c, why) for _, r, c, why in env.quarantine("medical_assistance")] == [
        (3, "amount", "invalid_amount")]
    assert SOURCES["medical_assistance"].agency == "医疗保障局"
    assert SOURCES["insurance_subsidies"].agency == "医疗保障局"
