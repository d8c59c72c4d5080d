"""Issue 11, CSV and cells: lines that cannot be split, invisible characters, export text
markers, headers of two or three rows, and the 合计 row as a second line of defence.

Every file is built here; expected values are worked out by hand beside each case.
"""

import json
from datetime import date

import openpyxl
from ingest_cases import HH_HEADER, _stamp, hh, person

CSV_HEADER = ",".join(HH_HEADER)


def _row(**over) -> str:
    """A dibao_households CSV line: family_size 3, covered_persons 2, monthly_amount 1000."""
    return ",".join("" if v is None else str(v) for v in hh(**over)).replace("1,000.00", "1000")


def _hh(n: int, **over) -> str:
    return _row(household_id=f"H{n:03d}", head_id_number=person(n), **over)


def _loaded(env, source="dibao_households", cols="household_id, _row_number"):
    return env.sql(f"SELECT {cols} FROM raw.{source} ORDER BY _row_number")


# ------------------------------------------------------------------ CSV integrity


def test_stray_quote_in_gb18030_csv_quarantines_only_its_line(env):
    env.base()
    bad = _hh(2).replace("张三", '"张三')  # an opening quote that never closes
    lines = ["2026年6月低保名册", CSV_HEADER, _hh(1), bad, _hh(3), _hh(4), _hh(5), _hh(6),
             "合计,,,,,,18,12,,6000"]  # the clerk's total counts all six rows
    env.raw("dibao_households/gbk.csv", "\r\n".join(lines).encode("gb18030") + b"\r\n")
    report = env.run("dibao_households")
    f = report.files[0]
    # lines 3..8 are data lines, line 9 the total: 6 read = 5 loaded + 1 quarantined
    assert (f.status, f.encoding, f.rows_read, f.rows_loaded, f.rows_quarantined) == (
        "loaded", "gb18030", 6, 5, 1)
    assert _loaded(env) == [("H001", 3), ("H003", 5), ("H004", 6), ("H005", 7), ("H006", 8)]
    assert env.quarantine("dibao_households") == [
        ("dibao_households/gbk.csv", 4, None, "malformed_row")]
    # 18 people over six rows, but one row cannot be read: not a total_mismatch, a note
    assert "合计行未核对" in f.detail and "第4行" in f.detail
    assert any("合计行未核对" in line for line in report.summary_lines())
    detail, original = env.sql("SELECT detail, CAST(original AS VARCHAR) FROM raw.quarantine")[0]
    assert detail.startswith("第4行引号不成对")
    assert json.loads(original)["户主姓名"] == '"张三'  # the line as it stands, split at commas


def test_unclosed_quote_on_the_last_line(env):
    env.base()
    last = _hh(2)[: -len(",1000,")] + ',"1000,'  # monthly_amount opens a quote; no line follows
    env.raw("dibao_households/a.csv", f"{CSV_HEADER}\n{_hh(1)}\n{last}\n".encode())
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)
    assert env.quarantine("dibao_households") == [("dibao_households/a.csv", 3, None,
                                                   "malformed_row")]


def test_too_many_and_too_few_fields(env):
    env.base()
    extra = _hh(2).replace("张三", "张,三")  # one separator too many: 12 fields for 11
    short = _hh(3).rsplit(",", 1)[0].rsplit(",", 1)[0]  # bank_account and amount cut: 9 fields
    env.raw("dibao_households/a.csv",
            "\n".join([CSV_HEADER, _hh(1), extra, short, _hh(4), ""]).encode())
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert _loaded(env) == [("H001", 2), ("H004", 5)]
    rows = env.sql("SELECT row_number, column_name, reason, detail FROM raw.quarantine "
                   "ORDER BY row_number")
    assert [r[:3] for r in rows] == [(3, None, "malformed_row"), (4, None, "malformed_row")]
    assert rows[0][3].startswith("第3行有12列，表头有11列")
    assert rows[1][3].startswith("第4行有9列，表头有11列")


def test_multi_line_quoted_field_still_loads_and_lines_are_counted(env):
    env.base()
    header = CSV_HEADER + ",备注"
    text = "\r\n".join([
        header,                                    # line 1
        _hh(1) + ',"6月起\r\n按新标准发放"',          # lines 2-3: one record
        _hh(2) + ',"说明：""补发""\r\n\r\n见附件"',   # lines 4-6: quotes doubled, an empty line
        _hh(3) + ",",                              # line 7
    ]) + "\r\n"
    env.raw("dibao_households/a.csv", text.encode("utf-8"))
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 3, 0)
    rows = _loaded(env, cols="household_id, _row_number, _extra")
    assert [(h, n) for h, n, _ in rows] == [("H001", 2), ("H002", 4), ("H003", 7)]
    assert json.loads(rows[0][2])["备注"] == "6月起\n按新标准发放"
    assert json.loads(rows[1][2])["备注"] == '说明："补发"\n\n见附件'


# ------------------------------------------------------------------ cells


def test_zero_width_and_odd_spaces_do_not_split_a_household(env):
    env.base()
    env.raw("dibao_households/06.csv",
            f"{CSV_HEADER}\n{_hh(1)}\n{_hh(2, head_name='李四')}\n".encode())
    july = [_hh(1, month="2026-07").replace("H001", "H\u200b001"),  # pasted from a web page
            _hh(2, month="2026-07", head_name="李\u3000四\u00a0").replace("H002", "\ufeffH002\u2060")]
    env.raw("dibao_households/07.csv", ("\n".join([CSV_HEADER, *july]) + "\n").encode())
    report = env.run("dibao_households")
    assert (report.rows_loaded, report.rows_quarantined) == (4, 0)
    rows = env.sql("SELECT month, household_id, head_name FROM raw.dibao_households "
                   "ORDER BY month, household_id")
    assert rows == [(date(2026, 6, 1), "H001", "张三"), (date(2026, 6, 1), "H002", "李四"),
                    (date(2026, 7, 1), "H001", "张三"), (date(2026, 7, 1), "H002", "李 四")]


def test_text_markers_on_ids_and_codes(env):
    env.base()
    header = "序号,救助编号,申请人身份证号,区划代码,救助日期,救助原因,救助人数,救助金额"
    lines = [
        "2026年1-6月临时救助发放台账,,,,,,,",
        "填报单位：东华门街道,,,,,,,",
        header,
        f"1,LS001,'{person(1)},'110101001001,2026-01-02,其他,1人,2700.00",
        f"2,LS002,\t{person(2)},\t110101001002,2026-01-05,火灾,4人,3200.00",
        f'3,="LS003",="{person(3)}",="110101001003",2026-02-01,\'突发重病,2人,1000.00',
        f'4,LS004,"=""{person(4)}""","\'110101001001",2026-03-01,其他,1,500',
        "合计,,,,,,8人,7400.00",  # 1+4+2+1 persons, 2700+3200+1000+500 yuan
    ]
    env.raw("temp_assistance/山岭镇.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    report = env.run("temp_assistance")
    f = report.files[0]
    assert (f.status, f.header_row, f.rows_read, f.rows_loaded) == ("loaded", 3, 4, 4)
    assert env.sql("SELECT case_id, applicant_id_number, region_code, reason, persons, amount "
                   "FROM raw.temp_assistance ORDER BY _row_number") == [
        ("LS001", person(1), "110101001001", "其他", 1, 2700.0),
        ("LS002", person(2), "110101001002", "火灾", 4, 3200.0),
        ("LS003", person(3), "110101001003", "突发重病", 2, 1000.0),
        ("LS004", person(4), "110101001001", "其他", 1, 500.0)]


# ------------------------------------------------------------------ headers

REPORT_TOP = ["序号", "灾害编号", "灾种", "区划代码", "报告阶段", "灾害发生时间", "报告时间", "受灾人口",
              "紧急转移安置人口", "农作物", None, "倒塌房屋", None, "损坏房屋", None, "直接经济损失（万元）"]
REPORT_LOW = [None] * 9 + ["受灾面积（公顷）", "绝收面积（公顷）", "户数", "间数", "户数", "间数", None]
REPORT_ROWS = [
    [1, "ZH001", "低温冷冻", "110101001000", "初报", "2026-01-16 02:30", "2026-01-16 03:55",
     "562人", "0人", 12.5, 0, 1, 2, 38, 40, 318.81],
    [2, "ZH001", "低温冷冻", "110101001000", "核报", "2026-01-16 02:30", "2026-01-20 10:00",
     "600人", "3人", 20, 1.5, 2, 5, 41, 44, 400],
]
# (stage, affected, relocated, crop_affected, crop_failed, collapsed hh/rooms, damaged hh/rooms)
REPORT_VALUES = [("initial", 562, 0, 12.5, 0.0, 1, 2, 38, 40, 318.81),
                 ("final", 600, 3, 20.0, 1.5, 2, 5, 41, 44, 400.0)]
REPORT_COLS = ("stage, affected_persons, relocated_persons, crop_affected_ha, crop_failed_ha, "
               "collapsed_households, collapsed_rooms, damaged_households, damaged_rooms, "
               "direct_loss_10k")


def test_two_row_header_workbook_with_merged_groups(env):
    """The realworld case: title merged over the width, groups merged over their columns,
    single columns merged down over both header rows."""
    env.base()
    path = env.inbox / "disaster_reports" / "ZH001灾情报告.xlsx"
    path.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ZH001低温冷冻自然灾害情况统计表"])
    ws.append(REPORT_TOP)
    ws.append(REPORT_LOW)
    for r in REPORT_ROWS:
        ws.append(r)
    ws.merge_cells("A1:P1")
    for rng in ("J2:K2", "L2:M2", "N2:O2"):
        ws.merge_cells(rng)
    for col in "ABCDEFGHIP":
        ws.merge_cells(f"{col}2:{col}3")
    wb.save(path)
    _stamp(path)
    report = env.run("disaster_reports")
    f = report.files[0]
    assert (f.status, f.header_row, f.rows_read, f.rows_loaded) == ("loaded", 3, 2, 2)
    assert env.sql(f"SELECT {REPORT_COLS} FROM raw.disaster_reports ORDER BY _row_number") == (
        REPORT_VALUES)


def test_two_and_three_row_headers_in_csv(env):
    """A CSV knows no merged ranges: a group cell stands over the first column of its group."""
    env.base()
    body = [",".join(str(v) for v in r) for r in REPORT_ROWS]

    def line(cells):
        return ",".join("" if c is None else c for c in cells)

    two = [line(REPORT_TOP), line(REPORT_LOW), *body]
    top3 = REPORT_TOP[:11] + ["房屋损失", None, None, None, REPORT_TOP[15]]
    mid3 = [None] * 11 + ["倒塌房屋", None, "损坏房屋", None, None]
    low3 = [None] * 9 + REPORT_LOW[9:11] + [None] * 5
    low3[11:15] = ["户数", "间数", "户数", "间数"]
    mid3[9:11] = [None, None]
    three = ["标题：灾情统计表", line(top3), line(mid3), line(low3)]
    three += [b.replace("ZH001", "ZH002") for b in body]
    env.raw("disaster_reports/two.csv", ("\n".join(two) + "\n").encode())
    env.raw("disaster_reports/three.csv", ("\n".join(three) + "\n").encode("gb18030"))
    report = env.run("disaster_reports")
    by = {f.path: f for f in report.files}
    assert by["disaster_reports/two.csv"].header_row == 2
    assert by["disaster_reports/three.csv"].header_row == 4
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 4, 0)
    for event in ("ZH001", "ZH002"):
        assert env.sql(f"SELECT {REPORT_COLS} FROM raw.disaster_reports WHERE event_id = ? "
                       "ORDER BY _row_number", [event]) == REPORT_VALUES


# ------------------------------------------------------------------ 合计 as a second defence


def test_total_row_count_mismatch_is_total_mismatch(env):
    env.base()
    # three households of 3 persons: 家庭人口 sums to 9, the 合计 row says 12 (a lost row)
    lines = [CSV_HEADER, _hh(1), _hh(2), _hh(3), "合计,,,,,,12,6,,3000"]
    env.raw("dibao_households/a.csv", ("\n".join(lines) + "\n").encode())
    f = env.run("dibao_households").files[0]
    assert (f.status, f.reason, f.rows_read, f.rows_quarantined) == (
        "rejected", "total_mismatch", 3, 3)
    assert "家庭人口" in f.detail and "12.00" in f.detail and "9.00" in f.detail


def test_a_sum_of_infinite_cells_is_no_total(env):
    # 401 digits parse as +inf, with a minus as -inf (both rows refused: too large); their sum
    # is no number, which cannot equal the clerk's 1000 (once: no fault, the file loaded)
    env.base()
    big = "1" + "0" * 400
    lines = [CSV_HEADER, _hh(1), _hh(2, monthly_amount=big), _hh(3, monthly_amount="-" + big),
             "合计,,,,,,9,6,,1000"]
    env.raw("dibao_households/a.csv", ("\n".join(lines) + "\n").encode())
    f = env.run("dibao_households").files[0]
    assert (f.status, f.reason, f.rows_read, f.rows_quarantined) == (
        "rejected", "total_mismatch", 3, 3)
    assert "“月保障金额”为1000.00，而数据行合计为超出范围的数" in f.detail
    assert "the data rows sum to a number out of range" in f.detail


# ------------------------------------------------------------------ numbers out of range


def test_numbers_too_large_to_hold_are_refused_with_the_columns_reason(env):
    # a whole part of more than 13 digits: once a crash of stage 2 (money, DECIMAL(18, 2)) or
    # a NULL count loaded silently (Int64 overflow); 13 digits still load
    env.base()
    lines = [CSV_HEADER,
             _hh(1, per_capita_income="9999999999999.99"),      # line 2: 13 digits, loads
             _hh(2, per_capita_income="10000000000000"),        # line 3: 14 digits
             _hh(3, monthly_amount="1" + "0" * 20),             # line 4
             _hh(4, family_size="1" + "0" * 30),                # line 5: a count
             _hh(5, family_size="1" + "0" * 400)]               # line 6: parses as +inf
    env.raw("dibao_households/a.csv", ("\n".join(lines) + "\n").encode())
    f = env.run("dibao_households").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (5, 1, 4)
    assert env.sql("SELECT household_id, per_capita_income::VARCHAR FROM raw.dibao_households"
                   ) == [("H001", "9999999999999.99")]
    assert [q[1:] for q in env.quarantine("dibao_households")] == [
        (3, "per_capita_income", "invalid_amount"), (4, "monthly_amount", "invalid_amount"),
        (5, "family_size", "invalid_count"), (6, "family_size", "invalid_count")]
    details = [d for (d,) in env.sql("SELECT detail FROM raw.quarantine ORDER BY row_number")]
    assert all("number too large (more than 13 digits before the point)" in d
               for d in details), details


def test_superscript_and_circled_digits_are_no_digits_full_width_ones_are(env):
    # NFKC turns 10² into 102 and ③ into 3: once loaded as such; full-width digits stay
    # digits (１２００ = 1200)
    env.base()
    lines = [CSV_HEADER,
             _hh(1, monthly_amount="10²"),                    # line 2
             _hh(2, family_size="③"),                         # line 3
             _hh(3, monthly_amount="１２００")]                # line 4: loads 1200
    env.raw("dibao_households/a.csv", ("\n".join(lines) + "\n").encode())
    env.run("dibao_households")
    assert env.sql("SELECT household_id, monthly_amount::VARCHAR FROM raw.dibao_households"
                   ) == [("H003", "1200.00")]
    assert [q[1:] for q in env.quarantine("dibao_households")] == [
        (2, "monthly_amount", "invalid_amount"), (3, "family_size", "invalid_count")]
    details = [d for (d,) in env.sql("SELECT detail FROM raw.quarantine ORDER BY row_number")]
    assert "a superscript, subscript or circled digit) '10²'" in details[0]
    assert "'③'" in details[1]


def test_a_date_cuts_its_time_and_a_zone_beyond_14_hours_is_refused(env):
    # 23:59:59.5 on 31 January is 31 January (a date once rounded it into February, a month
    # into the next month); +99:99 is no zone (once shifted the date by four days)
    env.base()
    header = "救助编号,申请人身份证号,区划代码,救助日期,救助原因,救助人数,救助金额"
    lines = [header,
             f"LS001,{person(1)},110101001001,2026-01-31 23:59:59.5,其他,1,100",  # line 2
             f"LS002,{person(2)},110101001001,2026-01-02T10:00+99:99,其他,1,100",  # line 3
             f"LS003,{person(3)},110101001001,2026-01-02T23:30-01:00,其他,1,100",  # line 4
             f"LS004,{person(4)},110101001001,2026-01-02T10:00+14:60,其他,1,100"]  # line 5
    env.raw("temp_assistance/a.csv", ("\n".join(lines) + "\n").encode())
    env.run("temp_assistance")
    # 23:30 at UTC-1 is 08:30 on 3 January in Beijing (UTC+8)
    assert env.sql("SELECT case_id, paid_on FROM raw.temp_assistance ORDER BY 1") == [
        ("LS001", date(2026, 1, 31)), ("LS003", date(2026, 1, 3))]
    assert [q[1:] for q in env.quarantine("temp_assistance")] == [
        (3, "paid_on", "invalid_date"), (5, "paid_on", "invalid_date")]
    hh_lines = [CSV_HEADER, _hh(1, month="2026-06-30 23:59:59.5")]
    env.raw("dibao_households/a.csv", ("\n".join(hh_lines) + "\n").encode())
    env.run("dibao_households")
    assert env.sql("SELECT month FROM raw.dibao_households") == [(date(2026, 6, 1),)]


def test_quarantine_csv_names_the_fault_in_chinese(env):
    env.base()
    bad = _hh(2).replace("张三", '张"三')
    env.raw("dibao_households/a.csv", f"{CSV_HEADER}\n{_hh(1)}\n{bad}\n".encode())
    env.run("dibao_households")
    csv = (env.warehouse / "quarantine" / "dibao_households.csv").read_text("utf-8-sig")
    line = csv.splitlines()[1]
    assert line.startswith("dibao_households/a.csv,3,,,malformed_row,该行无法拆分为各列")
    assert "第3行引号不成对" in line


def test_swing_warning_names_the_township_month_and_the_file():
    import duckdb

    from ingest.periods import parse_period
    from orchestration.quality import gate

    con = duckdb.connect()
    con.execute("create table fct_indicators (period varchar, region_code varchar, "
                "region_level varchar, indicator varchar, breakdown varchar, value double)")
    con.executemany("insert into fct_indicators values (?, '110101001000', 'township', "
                    "'dibao_persons_end', 'total', ?)",
                    [("2026-01", 100), ("2026-02", 100), ("2026-03", 60)])
    con.execute("create schema raw")
    con.execute("create table raw.dibao_households (month date, region_code varchar, "
                "_source_file varchar, _file_sha256 varchar)")
    con.executemany("insert into raw.dibao_households values (?, ?, ?, ?)", [
        (date(2026, 2, 1), "110101001001", "dibao_households/2月.xlsx", "a2" * 32),
        (date(2026, 3, 1), "110101001002", "dibao_households/张三110101196001020017.csv",
         "b3" * 32),
        (date(2026, 3, 1), "110101002001", "dibao_households/other.csv", "c4" * 32)])
    out = gate.check_dibao_persons_swing(con, parse_period("2026H1"))
    # 100 → 60 is a 40 % fall in March; January → February does not move. Files are named by
    # their published label (issue 16: a file name may hold a person's name or ID number).
    assert [(i["township"], i["to"], i["files"], i["files_before"]) for i in out.items] == [
        ("110101001000", "2026-03", ["dibao_households/文件-b3b3b3b3.csv"],
         ["dibao_households/文件-a2a2a2a2.xlsx"])]
    assert "2026-03" in out.detail and "dibao_households/文件-b3b3b3b3.csv" in out.detail
    assert "张三" not in out.detail and "110101196001020017" not in out.detail


def test_invisible_characters_and_markers_in_header_and_total_cells(env):
    env.base()
    header = HH_HEADER.copy()
    header[1] = "户编号\u200b"           # 户编号 pasted with a zero-width space
    header[2] = "\u3000区划代码\u00a0"  # ideographic and no-break spaces around
    # the header line ends in two empty fields (Excel's used range): data lines of 11 fields fit
    lines = [",".join(header) + ",,", _hh(1), _hh(2), "\u200b'合计,,,,,,6,4,,2000"]
    env.raw("dibao_households/a.csv", ("\n".join(lines) + "\n").encode())
    report = env.run("dibao_households")
    f = report.files[0]
    assert (f.status, f.header_row, f.rows_read, f.rows_loaded) == ("loaded", 1, 2, 2)
    assert _loaded(env, cols="household_id, region_code") == [
        ("H001", "110101001001"), ("H002", "110101001001")]
