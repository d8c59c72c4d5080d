"""The optional v2 columns of the v1 sources (data contract v2, issue 12): read when present,
rules applied, and a file without them loads exactly as before."""

from ingest_cases import HH_HEADER, hh, person


def test_household_file_without_temp_subsidy_loads_as_before(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh()])
    assert env.run("dibao_households").rows_loaded == 1
    assert env.sql("SELECT monthly_amount, temp_subsidy FROM raw.dibao_households") == [
        (1000, None)]  # empty = 0 is read downstream (staging)


def test_household_temp_subsidy_read_and_not_held_against_the_standard(env):
    env.base()
    # 2 covered × city standard 800 = 1600: 1600 + a 500 subsidy is not amount_over_standard
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER + ["临时补助金额"],
                                         hh(monthly_amount="1600") + ["500元"],
                                         hh(household_id="H002", head_id_number=person(2))
                                         + ["-3"]])
    assert env.run("dibao_households").rows_loaded == 1
    assert env.sql("SELECT temp_subsidy FROM raw.dibao_households") == [(500,)]
    assert env.quarantine("dibao_households") == [
        ("dibao_households/a.xlsx", 3, "temp_subsidy", "invalid_amount")]


def test_member_disability_grade_one_to_four(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh()])
    env.run("dibao_households")
    header = ["户编号", "姓名", "身份证号", "与户主关系", "是否保障对象", "残疾等级"]
    env.xlsx("dibao_members/m.xlsx", [
        header,
        ["H001", "甲", person(1), "户主", "是", "二级"],
        ["H001", "乙", person(2), "配偶", "是", "4"],
        ["H001", "丙", person(3), "子女", "是", None],
        ["H001", "丁", person(4), "子女", "是", "五级"],
    ])
    assert env.run("dibao_members").rows_loaded == 3
    assert env.sql("SELECT disability_grade FROM raw.dibao_members ORDER BY _row_number") == [
        (2,), (4,), (None,)]
    assert env.quarantine("dibao_members") == [
        ("dibao_members/m.xlsx", 5, "disability_grade", "invalid_code")]


def test_tekun_urban_rural_codes(env):
    env.base()
    header = ["发放月份", "姓名", "身份证号", "区划代码", "供养方式", "月供养金额", "城乡类别"]
    env.xlsx("tekun_persons/t.xlsx", [
        header,
        ["2026-06", "甲", person(1), "110101001003", "分散供养", 900, "城市"],
        ["2026-06", "乙", person(2), "110101001003", "集中供养", 900, "五保"],
        ["2026-06", "丙", person(3), "110101001003", "集中供养", 900, None],
        ["2026-06", "丁", person(4), "110101001003", "集中供养", 900, "郊区"],
    ])
    assert env.run("tekun_persons").rows_loaded == 3
    assert env.sql("SELECT urban_rural FROM raw.tekun_persons ORDER BY _row_number") == [
        ("urban",), ("rural",), (None,)]
    assert [q[2:] for q in env.quarantine("tekun_persons")] == [("urban_rural", "invalid_code")]


def test_soldier_placed_before_received_is_invalid_date(env):
    env.base()
    header = ["姓名", "身份证号", "区划代码", "退役类别", "接收日期", "安置方式", "一次性补助金",
              "安置日期"]
    env.xlsx("soldiers_received/s.xlsx", [
        header,
        ["甲", person(1), "110101001003", "义务兵", "2026-03-01", "自主就业", 1000, "2026-03-01"],
        ["乙", person(2), "110101001003", "士官", "2026-03-01", "安排工作", 0, "2026-02-28"],
        ["丙", person(3), "110101001003", "士官", "2026-03-01", "待安置", 0, None],
    ])
    assert env.run("soldiers_received").rows_loaded == 2
    assert env.quarantine("soldiers_received") == [
        ("soldiers_received/s.xlsx", 3, "placed_on", "invalid_date")]


def test_martyr_children_category_and_benefit(env):
    env.base()
    env.xlsx("veterans/v.xlsx", [
        ["姓名", "身份证号", "区划代码", "优抚类别", "残疾等级", "认定日期", "注销日期"],
        ["甲", person(1), "110101001003", "部分烈士子女", None, "2020-01-01", None],
        ["乙", person(2), "110101001003", "部分烈士（错杀被平反）人员子女", None, "2020-01-01",
         None],
    ])
    assert env.run("veterans").rows_loaded == 2
    assert env.sql("SELECT DISTINCT category FROM raw.veterans") == [("martyr_children",)]
    env.xlsx("veteran_payments/p.xlsx", [["发放月份", "身份证号", "待遇类型", "金额"],
                                         ["2026-06", person(1), "部分烈士子女生活补助", 300]])
    assert env.run("veteran_payments").rows_loaded == 1
    assert env.sql("SELECT benefit FROM raw.veteran_payments") == [("martyr_children_allowance",)]


def test_regions_burial_zone_and_committee_type_optional(env):
    rows = [["区划代码", "名称", "层级", "上级代码", "城乡分类代码", "常住人口", "户籍人口",
             "殡葬改革区域", "委员会类型"],
            ["110101000000", "东城区", "区县", None, None, None, None, None, None],
            ["110101001000", "街道", "街道", "110101000000", None, None, None, None, None],
            ["110101001001", "社区", "社区", "110101001000", "111", 10, 9, None, None],
            ["110101001003", "村", "村", "110101001000", "220", 5, 4, "土葬改革区", "居委会"]]
    env.xlsx("regions/r.xlsx", rows)
    assert env.run("regions").rows_loaded == 4
    assert env.sql("SELECT burial_zone, committee_type FROM raw.regions WHERE region_code = "
                   "'110101001003'") == [("burial_reform_zone", "residents_committee")]


def test_relief_type_empty_is_emergency_and_households_read(env):
    env.base()
    env.xlsx("disaster_reports/r.xlsx", [
        ["灾害编号", "灾种", "区划代码", "报告阶段", "灾害发生时间", "报告时间", "受灾人口",
         "紧急转移安置人口", "农作物受灾面积（公顷）", "农作物绝收面积（公顷）", "倒塌房屋户数",
         "倒塌房屋间数", "损坏房屋户数", "损坏房屋间数", "直接经济损失（万元）"],
        ["E1", "洪涝", "110101001000", "初报", "2026-06-01 08:00", "2026-06-01 09:00", 10, 0, 0,
         0, 0, 0, 0, 0, 0]])
    env.run("disaster_reports")
    header = ["发放编号", "灾害编号", "区划代码", "发放时间", "救助人数", "救灾资金（元）"]
    env.xlsx("disaster_relief/old.xlsx", [header, ["R1", "E1", "110101001000",
                                                   "2026-06-02 08:00", 3, 300]])
    env.xlsx("disaster_relief/new.xlsx", [header + ["救助类型", "救助户数"],
                                          ["R2", "E1", "110101001000", "2026-06-03 08:00", 4, 400,
                                           "冬春生活救助", 2]])
    assert env.run("disaster_relief").rows_loaded == 2
    assert env.sql("SELECT relief_id, relief_type, households FROM raw.disaster_relief "
                   "ORDER BY 1") == [("R1", "emergency", None), ("R2", "winter_spring", 2)]

