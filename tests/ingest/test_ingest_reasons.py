"""One small hand-made file per row reason: the exact reason, row number and column."""

import pytest
from ingest_cases import HH_HEADER, hh, person


def _households(env, rows, title=True):
    head = [["2026年6月城市低保资金发放名册"]] if title else []
    env.xlsx("dibao_households/h.xlsx", [*head, HH_HEADER, *rows])
    return env.run("dibao_households")


@pytest.mark.parametrize(
    ("over", "column", "reason"),
    [
        ({"head_id_number": person(1)[:-1] + ("0" if person(1)[-1] != "0" else "1")},
         "head_id_number", "invalid_id_number"),  # check digit changed
        ({"head_id_number": "11010119601301001X"}, "head_id_number", "invalid_id_number"),
        ({"region_code": "110101001009"}, "region_code", "unknown_region"),  # not in regions
        ({"region_code": "110101001000"}, "region_code", "unknown_region"),  # township, not village
        ({"region_code": "11010100100"}, "region_code", "unknown_region"),  # 11 digits
        ({"monthly_amount": "12.345"}, "monthly_amount", "invalid_amount"),
        ({"per_capita_income": "-1"}, "per_capita_income", "invalid_amount"),
        ({"per_capita_income": "三百"}, "per_capita_income", "invalid_amount"),
        ({"family_size": "2.5"}, "family_size", "invalid_count"),
        ({"family_size": 0}, "family_size", "invalid_count"),  # min 1
        ({"covered_persons": 4}, "covered_persons", "invalid_count"),  # > family_size 3
        ({"head_name": "  "}, "head_name", "missing_value"),
        ({"month": "2026-13"}, "month", "invalid_date"),
        ({"month": "2026-08"}, "month", "invalid_date"),  # after the arrival month (July)
        ({"month": "1999-12"}, "month", "invalid_date"),
        ({"program": "城市低"}, "program", "invalid_code"),
        ({"monthly_amount": "1,600.01"}, "monthly_amount", "amount_over_standard"),
    ],
)
def test_row_reason(env, over, column, reason):
    env.base()
    report = _households(env, [hh(), hh(household_id="H002", **over)])
    assert env.quarantine("dibao_households") == [("dibao_households/h.xlsx", 4, column, reason)]
    assert report.rows_read == 2 and report.rows_loaded == 1 and report.reasons == {reason: 1}


def test_amount_over_standard_uses_the_tier_of_the_village(env):
    env.base()  # standards from 2026-01: city 800, town 700, rural 600
    _households(env, [
        hh(household_id="A", monthly_amount="1600"),  # urban in a 111 village: 2 x 800 ok
        hh(household_id="B", region_code="110101001002", monthly_amount="1400.01"),  # 12x: town
        hh(household_id="C", region_code="110101001003", monthly_amount="1200.01"),  # 2xx: rural
        hh(household_id="D", program="农村低保", monthly_amount="1200.01"),  # rural program
        hh(household_id="E", month="2025-12", monthly_amount="9999"),  # no standard in force
    ])
    got = env.quarantine("dibao_households")
    # title row 1, header row 2, A is row 3: B, C, D are rows 4-6
    assert [(r[1], r[3]) for r in got] == [(4, "amount_over_standard"),
                                          (5, "amount_over_standard"),
                                          (6, "amount_over_standard")]
    loaded = env.sql("SELECT household_id FROM raw.dibao_households ORDER BY 1")
    assert loaded == [("A",), ("E",)]


def test_excel_numeric_id_is_rejected_not_fixed(env):
    env.base()
    _households(env, [hh(head_id_number=int(person(1)))], title=False)
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "head_id_number", "invalid_id_number")]
    detail = env.sql("SELECT detail FROM raw.quarantine")[0][0]
    assert "Excel" in detail and person(1) not in detail


def test_15_digit_id_upgraded_and_lower_x_upper_cased(env):
    env.base()
    _households(env, [hh(head_id_number="110101900307447"),
                      hh(household_id="H002", head_id_number="11010519491231002x")])
    # 110101900307447 -> 11010119900307447 + check 7 (sum 214, 214 mod 11 = 5, 12-5 = 7)
    got = env.sql("SELECT head_id_number FROM raw.dibao_households ORDER BY household_id")
    assert got == [("110101199003074477",), ("11010519491231002X",)]


def test_first_broken_column_from_the_left_in_file_order(env):
    env.base()
    # columns reversed: 银行账号 ... 发放月份. The row breaks month (last in this file) and
    # monthly_amount (second in this file): monthly_amount wins.
    header = list(reversed(HH_HEADER))
    row = list(reversed(hh(month="2026-13", monthly_amount="1.234")))
    env.xlsx("dibao_households/h.xlsx", [header, row])
    env.run("dibao_households")
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "monthly_amount", "invalid_amount")]
    # ... and a stage-2 error left of a stage-1 error wins too (region_code before month)
    header = ["区划代码", *[h for h in HH_HEADER if h != "区划代码"]]
    row = hh(region_code="110101001009", month="2026-13")
    row = [row[2], *row[:2], *row[3:]]
    env.xlsx("dibao_households/h.xlsx", [header, row])
    env.run("dibao_households")
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "region_code", "unknown_region")]


def test_unknown_household_event_person(env):
    env.base()
    _households(env, [hh()])
    env.xlsx("dibao_members/m.xlsx", [
        ["户编号", "姓名", "身份证号", "与户主关系", "是否保障对象"],
        ["H001", "张三", person(1), "户主", "是"],
        ["H999", "李四", person(2), "配偶", "否"],
    ])
    env.run("dibao_members")
    assert env.quarantine("dibao_members") == [
        ("dibao_members/m.xlsx", 3, "household_id", "unknown_household")]
    assert env.sql("SELECT covered FROM raw.dibao_members") == [(True,)]

    rep = ["灾害编号", "灾种", "区划代码", "报告阶段", "灾害发生时间", "报告时间", "受灾人口",
           "紧急转移安置人口", "农作物受灾面积（公顷）", "农作物绝收面积（公顷）", "倒塌房屋户数",
           "倒塌房屋间数", "损坏房屋户数", "损坏房屋间数", "直接经济损失（万元）"]
    ok = ["E1", "洪涝", "110101001000", "初报", "2026-06-02 14:30", "2026/6/2 16:00", 10, 2,
          "1.5", "0.5", 0, 0, 1, 2, "3.2"]
    late = [*ok[:4], "2026年6月2日14时30分", "2026-06-02 14:00", *ok[6:]]
    env.xlsx("disaster_reports/r.xlsx", [rep, ok, late])
    env.run("disaster_reports")
    assert env.quarantine("disaster_reports") == [
        ("disaster_reports/r.xlsx", 3, "reported_at", "invalid_date")]
    env.xlsx("disaster_relief/f.xlsx", [
        ["发放编号", "灾害编号", "区划代码", "发放时间", "救助人数", "救灾资金（元）"],
        ["F1", "E1", "110101001000", "2026-06-03 08:00", 5, "5000"],
        ["F2", "E2", "110101001000", "2026-06-03 08:00", 5, "5000"],
    ])
    env.run("disaster_relief")
    assert env.quarantine("disaster_relief") == [
        ("disaster_relief/f.xlsx", 3, "event_id", "unknown_event")]

    env.xlsx("veterans/v.xlsx", [
        ["姓名", "身份证号", "区划代码", "优抚类别", "残疾等级", "认定日期", "注销日期"],
        ["甲", person(5), "110101001001", "残疾军人", "三级", "2010-05-01", None],
        ["乙", person(6), "110101001001", "disabled", None, "2010-05-01", None],
        ["丙", person(7), "110101001001", "烈士遗属", 2, "2010-05-01", None],
        ["丁", person(8), "110101001001", "在乡复员军人", None, "1993/7/25", None],  # old: fine
        ["戊", person(9), "110101001001", "在乡复员军人", None, "2026-07-11", None],  # future
    ])
    env.run("veterans")
    assert env.quarantine("veterans") == [
        ("veterans/v.xlsx", 3, "disability_grade", "invalid_code"),
        ("veterans/v.xlsx", 4, "disability_grade", "invalid_code"),
        ("veterans/v.xlsx", 6, "recognised_on", "invalid_date")]
    assert env.sql("SELECT disability_grade FROM raw.veterans ORDER BY 1") == [(3,), (None,)]
    env.xlsx("veteran_payments/p.xlsx", [
        ["发放月份", "身份证号", "待遇类型", "金额"],
        ["2026年6月", person(5), "残疾抚恤金", "1,200元"],
        ["2026年6月", person(6), "残疾抚恤金", "1,200元"],  # quarantined in veterans
    ])
    env.run("veteran_payments")
    assert env.quarantine("veteran_payments") == [
        ("veteran_payments/p.xlsx", 3, "id_number", "unknown_person")]


def test_phone_subsidy_and_targets(env):
    env.base()
    env.xlsx("disaster_officers/o.xlsx", [
        ["姓名", "身份证号", "区划代码", "联系电话", "在岗"],
        ["甲", person(1), "110101001001", "13800138000", "是"],
        ["乙", person(2), "110101001001", "2380013800", "否"],
    ])
    env.run("disaster_officers")
    assert env.quarantine("disaster_officers") == [
        ("disaster_officers/o.xlsx", 3, "phone", "invalid_phone")]
    env.xlsx("soldiers_received/s.xlsx", [
        ["姓名", "身份证号", "区划代码", "退役类别", "接收日期", "安置方式", "一次性补助金"],
        ["甲", person(1), "110101001001", "义务兵", "2026-03-01", "自主就业", "50000"],
        ["乙", person(2), "110101001001", "士官", "2026-03-01", "安排工作", "100"],
        ["丙", person(3), "110101001001", "士官", "2026-03-01", "安排工作", "0"],
    ])
    env.run("soldiers_received")
    env.xlsx("temp_assistance/t.xlsx", [
        ["救助编号", "申请人身份证号", "区划代码", "救助日期", "救助原因", "救助人数", "救助金额"],
        ["L1", person(1), "110101001001", "2026年6月2日", "火灾", "3人", "2,000元"],
        ["L2", person(1), "110101001001", "1999-12-31", "火灾", 3, 2000],  # before 2000
        ["L3", person(1), "110101001001", "2026-02-30", "火灾", 3, 2000],  # no such day
    ])
    env.run("temp_assistance")
    assert [r[1:] for r in env.quarantine("temp_assistance")] == [
        (3, "paid_on", "invalid_date"), (4, "paid_on", "invalid_date")]
    assert env.quarantine("soldiers_received") == [
        ("soldiers_received/s.xlsx", 3, "one_off_subsidy", "invalid_amount")]
    env.xlsx("targets/t.xlsx", [
        ["年度", "指标代码", "口径", "年度目标值"],
        [2026, "dibao_households_end", None, 120],
        [2026, "dibao_persons_end", "rural", 200],
        [2026, "dibao_persons_end", "total", 500],  # key is year + indicator + breakdown
        [2026, "dibao_funds", "city", 50],  # city is not a breakdown of dibao_funds
        [2026, "no_such_indicator", None, 50],
        [2026, "temp_assist_cases", None, 0],  # target must be > 0
    ])
    env.run("targets")
    assert env.quarantine("targets") == [
        ("targets/t.xlsx", 5, "breakdown", "invalid_code"),
        ("targets/t.xlsx", 6, "indicator", "invalid_code"),
        ("targets/t.xlsx", 7, "target_value", "invalid_amount")]
    assert env.sql("SELECT indicator, breakdown FROM raw.targets ORDER BY 1, 2") == [
        ("dibao_households_end", "total"), ("dibao_persons_end", "rural"),
        ("dibao_persons_end", "total")]



def test_a_target_written_in_another_unit_than_its_indicators_is_refused(env):
    """dibao_funds is in 万元, dibao_persons_end in 人, temp_assist_cases in 人次,
    dibao_coverage_rate in %: a unit of another scale or thing is refused (it would load a
    number 10 000 times too large, or households as persons); its own unit, its kin (人 for
    人次) and none at all load."""
    env.base()
    env.xlsx("targets/t.xlsx", [
        ["年度", "指标代码", "口径", "年度目标值"],
        [2026, "dibao_funds", "total", "1,200万元"],       # 2 its unit
        [2026, "dibao_funds", "urban", "12000000元"],      # 3 元 for 万元: refused
        [2026, "dibao_persons_end", "total", "500 人"],    # 4
        [2026, "dibao_persons_end", "rural", "120户"],     # 5 户 for 人: refused
        [2026, "temp_assist_persons", "total", "300人"],   # 6 人 for 人次: kin
        [2026, "dibao_coverage_rate", "total", "２.５％"],  # 7 full-width, NFKC: 2.5 %
        [2026, "dibao_coverage_rate", "rural", "3人"],     # 8 人 for %: refused
        [2026, "dibao_households_end", "total", 480],      # 9 no unit
        [2026, "dibao_person_months", "total", "1200户次"],  # 10 户次 for 人次: refused
        [2026, "marriage_registrations", "total", "350对"],  # 11 its own unit (对)
        [2026, "dibao_standard", "city", "800元/人·月"],     # 12 its own unit
        [2026, "dibao_standard", "rural", "600元"],          # 13 元 for 元/人·月: kin
    ])
    env.run("targets")
    assert env.quarantine("targets") == [
        ("targets/t.xlsx", 3, "target_value", "invalid_amount"),
        ("targets/t.xlsx", 5, "target_value", "invalid_amount"),
        ("targets/t.xlsx", 8, "target_value", "invalid_amount"),
        ("targets/t.xlsx", 10, "target_value", "invalid_amount")]
    detail = env.sql("SELECT detail FROM raw.quarantine WHERE row_number = 3")[0][0]
    assert detail.endswith("元 ≠ 万元")
    assert env.sql("SELECT indicator, breakdown, target_value FROM raw.targets ORDER BY 1, 2") == [
        ("dibao_coverage_rate", "total", 2.5), ("dibao_funds", "total", 1200.0),
        ("dibao_households_end", "total", 480.0), ("dibao_persons_end", "total", 500.0),
        ("dibao_standard", "city", 800.0), ("dibao_standard", "rural", 600.0),
        ("marriage_registrations", "total", 350.0), ("temp_assist_persons", "total", 300.0)]


def test_every_unit_of_the_catalogue_can_be_written_after_a_target():
    import csv

    from ingest.catalogue import catalogue_path
    from ingest.sources.targets import UNITS
    with open(catalogue_path(), encoding="utf-8-sig", newline="") as fh:
        units = {row["unit"] for row in csv.DictReader(fh)}
    assert units <= set(UNITS)


def test_regions_own_rules(env):
    env.xlsx("regions/r.xlsx", [
        ["区划代码", "名称", "层级", "上级代码", "城乡分类代码", "常住人口", "户籍人口"],
        ["110101000000", "区", "区县", None, None, None, None],
        ["110101001000", "街道", "乡镇街道", "110101000000", None, None, None],
        ["110101001001", "村1", "村居", "110101001000", None, 10, 10],  # no urban_rural_code
        ["110101002001", "村2", "村居", "110101002000", "220", 10, 10],  # parent not in file
        ["110101001000", "村3", "村居", "110101001000", "220", 10, 10],  # code of a township
        ["110101001004", "村4", "村居", "110101001000", "220", None, 10],  # no population
    ])
    env.run("regions")
    assert env.quarantine("regions") == [
        ("regions/r.xlsx", 4, "urban_rural_code", "missing_value"),
        ("regions/r.xlsx", 5, "parent_code", "unknown_region"),
        ("regions/r.xlsx", 6, "region_code", "invalid_code"),
        ("regions/r.xlsx", 7, "resident_population", "missing_value")]
