"""The social-affairs sources of contract v2 (issue 13) on a tiny hand-made inbox: each new
reason code, the conditional ID rule, optional IDs, and the credit-code check against
python-stdnum. Ages and check characters are worked out by hand in the comments."""

from __future__ import annotations

import random

import polars as pl
from ingest_cases import make_id
from stdnum.cn import uscc

from ingest import idnumber
from ingest.values import CREDIT_ALPHABET, Plan, age_on, credit_code

DISTRICT, TOWNSHIP, VILLAGE = "110101000000", "110101001000", "110101001001"


def _credit(body17: str) -> str:
    """Test data only: a credit code with its GB 32100 check character, by hand."""
    total = sum(CREDIT_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(body17))
    return body17 + CREDIT_ALPHABET[(31 - total % 31) % 31]


def _vector_ok(codes: list[str]) -> list[bool]:
    plan = Plan("_t_")
    frame = pl.DataFrame({"x": codes})
    value, problem = credit_code(plan, pl.col("x"))
    for level in plan.levels:
        frame = frame.with_columns(**level)
    return frame.select(problem.is_null()).to_series().to_list()


def test_credit_code_check_character_worked_by_hand():
    # stdnum's example: 9·1 + 1·3 + 1·9 + 1·27 + 6·20 + 3·8 + 7·24 + 3·10 + 4·30 + 1·28 = 538,
    # 538 mod 31 = 11, check 31 − 11 = 20 → 'L' (alphabet 0-9 A-H J K L …)
    assert _credit("91110000600037341") == "91110000600037341L"
    assert _vector_ok(["91110000600037341L", "91110000600037341l", "91110000600037341C",
                       "9111000060003734I1", "91110000600037341"]) == [
        True, True, False, False, False]


def test_vectorised_credit_code_agrees_with_stdnum_on_generated_and_mutated_codes():
    rng = random.Random(13)
    codes = []
    for _ in range(400):
        body = (rng.choice("159") + rng.choice("123") + "".join(rng.choice("0123456789")
                                                               for _ in range(6))
                + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9)))
        good = _credit(body)
        codes.append(good)
        i = rng.randrange(18)
        codes.append(good[:i] + rng.choice(CREDIT_ALPHABET) + good[i + 1:])  # one char changed
        j = rng.randrange(17)
        codes.append(good[:j] + good[j + 1] + good[j] + good[j + 2:])  # two swapped
    got = _vector_ok(codes)
    want = [idnumber.is_valid_credit_code(c) for c in codes]
    assert got == want
    assert sum(want) > 400 and not all(want)  # both kinds occur
    assert all(uscc.is_valid(c) for c in codes[::3])


def test_age_on_birthday_and_29_february():
    frame = pl.DataFrame({
        "id": [make_id("11010120040602001"), make_id("11010120040602001"),
               make_id("11010120000229001"), make_id("11010120000229001")],
        "day": ["2026-06-01", "2026-06-02", "2021-02-28", "2021-03-01"]},
    ).with_columns(pl.col("day").str.to_date())
    ages = frame.select(age_on(pl.col("id"), pl.col("day"))).to_series().to_list()
    assert ages == [21, 22, 20, 21]


MR_HEADER = ["业务编号", "业务类型", "办理日期", "登记机关区划代码", "当事人类别", "男方身份证号",
             "女方身份证号", "男方婚前状况", "女方婚前状况", "审查结论"]


def test_marriage_registrations_rules(env):
    env.base()
    man21y364d = make_id("11010120040602011")  # born 2004-06-02: on 2026-06-01 aged 21
    man22 = make_id("11010120040601011")  # born 2004-06-01: 22 on 2026-06-01
    woman = make_id("11010120000101002")
    girl19 = make_id("11010120060602002")  # 19 on 2026-06-01
    env.xlsx("marriage_registrations/m.xlsx", [
        MR_HEADER,
        ["M1", "结婚登记", "2026-06-01", DISTRICT, "内地居民", man22, woman, "未婚", "未婚", "合格"],
        ["M2", "结婚登记", "2026-06-01", DISTRICT, "内地居民", man21y364d, woman, None, None, None],
        ["M3", "结婚登记", "2026-06-01", TOWNSHIP, "内地居民", man22, girl19, None, None, None],
        ["M4", "结婚登记", "2026-06-01", DISTRICT, "涉外", "E12345678", woman, None, None, None],
        ["M5", "离婚登记", "2026-06-01", DISTRICT, "内地居民", None, woman, None, None, None],
        ["M6", "补领结婚证", "2026-06-01", DISTRICT, "内地居民", None, None, None, None, "不合格"],
        ["M7", "结婚登记", "2026-06-01", DISTRICT, "内地居民", "E12345678", woman, None, None,
         None],
        ["M8", "结婚登记", "2026-06-01", VILLAGE, "内地居民", man22, woman, None, None, None],
    ])
    report = env.run("marriage_registrations")
    assert report.rows_loaded == 3  # M1, M4 (foreign man: free text), M6 (reissue: no IDs)
    assert env.quarantine("marriage_registrations") == [
        ("marriage_registrations/m.xlsx", 3, "man_id_number", "invalid_age"),
        ("marriage_registrations/m.xlsx", 4, "woman_id_number", "invalid_age"),
        ("marriage_registrations/m.xlsx", 6, "man_id_number", "missing_value"),
        ("marriage_registrations/m.xlsx", 8, "man_id_number", "invalid_id_number"),
        ("marriage_registrations/m.xlsx", 9, "office_code", "unknown_region"),
    ]
    got = env.sql("select record_id, man_id_number, man_id_number_hash is not null "
                  "from raw.marriage_registrations order by 1")
    assert got == [("M1", man22, True), ("M4", "E12345678", True), ("M6", None, False)]


def test_marriage_files_need_the_party_id_columns_and_the_businesss_listed_words(env):
    # the contract does not call 男方/女方身份证号 optional (their cells are needed for
    # marriage and divorce only): a file without them is missing_column, not loaded; 结婚 and
    # 离婚 alone are not the contract's words for a business (离婚 is also a 婚前状况)
    env.base()
    env.xlsx("marriage_registrations/certificates.xlsx", [
        MR_HEADER[:5], ["C1", "婚姻登记记录证明", "2026-03-01", DISTRICT, "内地居民"]])
    woman = make_id("11010120000101002")
    env.xlsx("marriage_registrations/m.xlsx", [
        MR_HEADER,
        ["M1", "离婚", "2026-06-01", DISTRICT, "内地居民", None, woman, None, None, None],
        ["M2", "结婚", "2026-06-01", DISTRICT, "内地居民", None, woman, None, None, None]])
    report = env.run("marriage_registrations")
    by_path = {f.path: f for f in report.files}
    assert by_path["marriage_registrations/certificates.xlsx"].reason == "missing_column"
    assert report.rows_loaded == 0
    assert env.quarantine("marriage_registrations") == [
        ("marriage_registrations/certificates.xlsx", 2, "man_id_number", "missing_column"),
        ("marriage_registrations/m.xlsx", 2, "business", "invalid_code"),
        ("marriage_registrations/m.xlsx", 3, "business", "invalid_code"),
    ]


def test_end_before_start_is_invalid_date_and_optional_ids(env):
    env.base()
    env.xlsx("cremations/c.xlsx", [
        ["火化编号", "逝者身份证号", "户籍区划代码", "死亡日期", "火化日期", "惠民殡葬减免金额"],
        ["C1", None, None, "2026-06-30", "2026-07-01", None],  # 无名遗体 from outside
        ["C2", make_id("11010119400101003"), VILLAGE, "2026-06-05", "2026-06-04", 500],
        ["C3", make_id("11010119400101004"), VILLAGE, "2026-06-05", "2026-06-05", 500],
    ])
    assert env.run("cremations").rows_loaded == 2
    assert env.quarantine("cremations") == [("cremations/c.xlsx", 3, "cremated_on",
                                             "invalid_date")]
    env.xlsx("vagrant_assistance/v.xlsx", [
        ["救助编号", "身份证号", "区划代码", "救助日期", "离站日期", "救助方式", "去向", "人员类别",
         "救助金额"],
        ["V1", None, TOWNSHIP, "2026-06-03", None, "站内救助", "购票返乡", None, None],
        ["V2", None, TOWNSHIP, "2026-06-03", "2026-06-02", "街面救助", "自行离站", None, None],
        ["V3", None, VILLAGE, "2026-06-03", None, "街面救助", "自行离站", None, None],
    ])
    assert env.run("vagrant_assistance").rows_loaded == 1
    assert [q[2:] for q in env.quarantine("vagrant_assistance")] == [
        ("ended_on", "invalid_date"), ("region_code", "unknown_region")]


def test_social_organizations_credit_code_and_unknown_org(env):
    env.base()
    good, other = _credit("52110101MJ0000001"), _credit("51110101MJ0000002")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    env.xlsx("social_organizations/o.xlsx", [
        ["统一社会信用代码", "名称", "类型", "是否慈善组织", "成立登记日期", "注销撤销日期", "区划代码",
         "法定代表人", "联系电话"],
        [good.lower(), "东城区志愿者协会", "社会团体", "否", "1998-12-31", None, DISTRICT, "王五",
         None],
        [bad, "某某服务中心", "社会服务机构", "否", "2020-01-01", None, TOWNSHIP, None, None],
        [other, "某某基金会", "基金会", "是", "2020-01-01", "2019-12-31", TOWNSHIP, None, None],
    ])
    assert env.run("social_organizations").rows_loaded == 1
    assert [q[2:] for q in env.quarantine("social_organizations")] == [
        ("credit_code", "invalid_credit_code"), ("ended_on", "invalid_date")]
    assert env.sql("select credit_code, org_type from raw.social_organizations") == [
        (good, "association")]
    env.xlsx("social_org_inspections/i.xlsx", [
        ["统一社会信用代码", "年检年度", "结论", "结论日期"],
        [good, 2025, "合格", "2026-05-20"],
        [other, 2025, "合格", "2026-05-20"],
    ])
    assert env.run("social_org_inspections").rows_loaded == 1
    assert [q[2:] for q in env.quarantine("social_org_inspections")] == [
        ("credit_code", "unknown_org")]


def test_committees_women_above_members_is_invalid_count(env):
    env.base()
    env.xlsx("community_committees/k.xlsx", [
        ["区划代码", "届次", "本届选举日期", "是否重新选举", "成员数", "其中女性", "村(居)务监督委员会"],
        [VILLAGE, 12, "2026-03-15", "否", 7, 3, "是"],
        ["110101001002", 11, "2026-03-15", "否", 5, 6, "是"],
    ])
    assert env.run("community_committees").rows_loaded == 1
    assert [q[2:] for q in env.quarantine("community_committees")] == [
        ("members_female", "invalid_count")]
