"""File-level behaviour: encodings, layout, totals, file faults, duplicates, replacement."""

import json
from datetime import datetime

import pytest
from ingest_cases import HH_HEADER, REGIONS, hh, person

from ingest.reader import UnreadableFile

CSV_HEADER = ",".join(HH_HEADER)


def _csv_row(**over) -> str:
    return ",".join("" if v is None else str(v) for v in hh(**over)).replace("1,000.00", "1000")


def test_gb18030_and_utf8_bom_csv(env):
    env.base()
    text = f"2026年6月低保名册\r\n{CSV_HEADER}\r\n{_csv_row()}\r\n"
    env.raw("dibao_households/gbk.csv", text.encode("gb18030"))
    text2 = f"{CSV_HEADER}\n{_csv_row(household_id='H002')}\n"
    env.raw("dibao_households/bom.csv", b"\xef\xbb\xbf" + text2.encode("utf-8"))
    report = env.run("dibao_households")
    by_path = {f.path: f for f in report.files}
    assert by_path["dibao_households/gbk.csv"].encoding == "gb18030"
    assert by_path["dibao_households/gbk.csv"].header_row == 2
    assert by_path["dibao_households/bom.csv"].encoding == "utf-8-sig"
    assert report.rows_loaded == 2 and report.rows_quarantined == 0
    # the Chinese name survived the decoding
    assert env.sql("SELECT DISTINCT head_name FROM raw.dibao_households") == [("张三",)]


def test_a_csv_mixing_utf8_and_gbk_is_unreadable_naming_its_first_gbk_line(env):
    """One GBK row pasted into a UTF-8 file: read as GB18030 (the only encoding that takes
    every byte), its UTF-8 rows were garbled; the file is refused as no one encoding reads it,
    naming the line. A GBK file whose fields happen to hold bytes UTF-8 could read is GBK."""
    env.base()
    utf8 = [CSV_HEADER, _csv_row(), _csv_row(household_id="H002")]
    mixed = ("\n".join(utf8) + "\n").encode("utf-8") + (
        _csv_row(household_id="H003", head_name="李四") + "\n").encode("gbk")
    env.raw("dibao_households/mixed.csv", mixed)
    english = b"household_id,head_name\n" + "H1,王小明\n".encode("gbk") + (
        "H2,欧阳小明\nH3,司马光明\n".encode())  # an English header: read as GB18030, garbled
    env.raw("dibao_households/english.csv", english)
    report = env.run("dibao_households")
    by_path = {f.path: f for f in report.files}
    for path, line in (("dibao_households/mixed.csv", 4), ("dibao_households/english.csv", 2)):
        f = by_path[path]
        assert (f.status, f.reason) == ("rejected", "unreadable_file")
        assert f"第一处在第{line}行" in f.detail and f"the first at line {line}" in f.detail
    from ingest.reader import _utf8_field, decode
    # a field: three or more ideographs in UTF-8 between ASCII bytes or the text's ends, on a
    # line that is UTF-8 throughout
    assert _utf8_field(",城市低,".encode()) and _utf8_field("城市低保".encode())
    assert not _utf8_field(",城市,".encode())  # two: GBK forms those by chance
    assert not _utf8_field(b"\xb0" + "城市低".encode() + b",")  # inside a GBK run
    assert not _utf8_field(b"," + "城市低".encode() + b"\xb0")
    assert not _utf8_field(b"\xb0\xa1," + "城市低".encode() + b",x")  # a GBK line
    # GBK whose line is valid UTF-8 by chance (濮 E5 A7, 峰 B7 E5, 、 A1 A2, 濮, 珺 AB 64):
    # one line of two that hold Chinese is no majority, the file is GBK
    text = "户编号,家庭成员\nH001,濮峰、濮珺\n"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    with pytest.raises(UnreadableFile, match="2 lines are UTF-8 and 1 are not .*first at line 4"):
        decode("a,b\r城市低保,1\r农村低保,3\r".encode() + "李四,2\r".encode("gbk"))  # CR-only


def test_undecodable_csv_and_corrupt_xlsx_are_unreadable(env):
    env.base()
    env.raw("dibao_households/bad.csv", b"\x81\x20\xff\xfe\x80")  # neither UTF-8 nor GB18030
    env.raw("dibao_households/bad.xlsx", b"PK\x03\x04 this is not a zip")
    report = env.run("dibao_households")
    assert {(f.path, f.status, f.reason) for f in report.files} == {
        ("dibao_households/bad.csv", "rejected", "unreadable_file"),
        ("dibao_households/bad.xlsx", "rejected", "unreadable_file")}
    rows = env.sql("SELECT source_file, row_number, reason FROM raw.quarantine ORDER BY 1")
    assert rows == [("dibao_households/bad.csv", None, "unreadable_file"),
                    ("dibao_households/bad.xlsx", None, "unreadable_file")]
    assert env.sql("SELECT rows_read, rows_loaded, rows_quarantined FROM raw.files WHERE "
                   "source = 'dibao_households'") == [(0, 0, 0), (0, 0, 0)]


def test_title_footer_signature_and_empty_rows(env):
    env.base()
    env.xlsx("dibao_households/h.xlsx", [
        ["2026年6月城市低保资金发放名册"],            # 1 title
        ["填报单位：东华门街道", None, "单位：元"],      # 2 title
        [f" {h} " for h in HH_HEADER],               # 3 header (spaces are stripped)
        hh(),                                         # 4
        [],                                           # 5 empty: ignored
        hh(household_id="H002", monthly_amount="1,600元"),  # 6
        ["合计", None, None, None, None, None, 6, 4, None, "2,600.00"],  # 7 total
        ["制表人：李四", None, "审核人：王五"],          # 8 ends the data
        hh(household_id="H003", month="垃圾"),         # 9 after the end: ignored
    ])
    report = env.run("dibao_households")
    assert report.files[0].header_row == 3
    assert report.rows_read == 2 and report.rows_loaded == 2 and report.rows_quarantined == 0
    assert env.sql("SELECT household_id, _row_number FROM raw.dibao_households ORDER BY 2") == [
        ("H001", 4), ("H002", 6)]
    # the row below the footer is not read, and the file's report says so (not the name)
    detail = report.files[0].detail
    assert "第8行以“制表人”开头" in detail and "其下1行非空行（第9行）未读取" in detail
    assert "李四" not in detail


def test_rows_below_a_data_row_that_reads_as_a_footer_are_named(env):
    """A first column of roles (负责人, 信息员): the first 负责人 row ends the data (the
    contract's footer rule, read as written), and the rows below it are named in the file's
    report, with the footer rows below it (审核人) not counted."""
    env.base()
    header = ["职务", "姓名", "身份证号", "区划代码", "联系电话", "在岗"]
    env.xlsx("disaster_officers/o.xlsx", [
        header,
        ["信息员", "甲", person(1), "110101001001", "13800138000", "是"],  # 2
        ["负责人", "乙", person(2), "110101001001", "13800138001", "是"],  # 3 ends the data
        ["信息员", "丙", person(3), "110101001001", "13800138002", "是"],  # 4
        [],                                                               # 5 empty
        ["信息员", "丁", person(4), "110101001002", "13800138003", "否"],  # 6
        ["审核人：王五"],                                                   # 7 a footer row
    ])
    report = env.run("disaster_officers")
    assert (report.rows_read, report.rows_loaded) == (1, 1)
    detail = report.files[0].detail
    assert "第3行以“负责人”开头" in detail and "其下2行非空行（第4–6行）未读取" in detail
    assert "rows 4–6" in detail


def test_total_mismatch_rejects_the_whole_file(env):
    env.base()
    env.xlsx("dibao_households/h.xlsx", [
        HH_HEADER, hh(), hh(household_id="H002", monthly_amount="1,600元"),
        ["合计", None, None, None, None, None, 6, 4, None, "2,600.02"],
    ])
    report = env.run("dibao_households")
    f = report.files[0]
    assert (f.status, f.reason, f.rows_read, f.rows_loaded, f.rows_quarantined) == (
        "rejected", "total_mismatch", 2, 0, 2)
    assert "monthly_amount" in f.detail and "2600.02" in f.detail and "2600.00" in f.detail
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "monthly_amount", "total_mismatch"),
        ("dibao_households/h.xlsx", 3, "monthly_amount", "total_mismatch")]
    # month is parsed where possible
    assert {r[0] for r in env.sql("SELECT month FROM raw.quarantine")} == {
        __import__("datetime").date(2026, 6, 1)}


def test_missing_column(env):
    env.base()
    header = [h for h in HH_HEADER if h != "户主身份证号"]
    row = hh()
    del row[5]
    env.xlsx("dibao_households/h.xlsx", [header, row, row])
    report = env.run("dibao_households")
    assert report.files[0].reason == "missing_column"
    assert env.quarantine("dibao_households") == [
        ("dibao_households/h.xlsx", 2, "head_id_number", "missing_column"),
        ("dibao_households/h.xlsx", 3, "head_id_number", "missing_column")]


def test_duplicate_row_and_conflicting_duplicate(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [
        HH_HEADER,
        hh(),                                                    # 2 kept
        hh(household_id="H002"),                                 # 3 conflicts with b.xlsx
        hh(household_id="H003", program="城市低保", monthly_amount="110.5"),  # 4 kept
        hh(household_id="H003", monthly_amount="一千"),  # 5 its own error, in a key's group
    ])
    env.xlsx("dibao_households/b.xlsx", [
        HH_HEADER,
        hh(month="2026年6月", program="urban", monthly_amount="1000元"),  # 2 same as a.xlsx 2
        hh(household_id="H002", monthly_amount="999"),            # 3 conflicts
        hh(household_id="H003", program="urban", monthly_amount="110.50元"),  # 4 same as a 4
    ])
    env.run("dibao_households")
    assert env.quarantine("dibao_households") == [
        ("dibao_households/a.xlsx", 3, "monthly_amount", "conflicting_duplicate"),
        ("dibao_households/a.xlsx", 5, "monthly_amount", "invalid_amount"),
        ("dibao_households/b.xlsx", 2, "month", "duplicate_row"),
        ("dibao_households/b.xlsx", 3, "monthly_amount", "conflicting_duplicate"),
        ("dibao_households/b.xlsx", 4, "month", "duplicate_row")]
    assert env.sql("SELECT household_id, _source_file, _row_number FROM raw.dibao_households "
                   "ORDER BY 1") == [("H001", "dibao_households/a.xlsx", 2),
                                     ("H003", "dibao_households/a.xlsx", 4)]


def test_same_content_twice_is_loaded_once(env):
    env.base()
    rows = [HH_HEADER, hh(), hh(household_id="H002")]
    env.xlsx("dibao_households/a.xlsx", rows)
    (env.inbox / "dibao_households/copy.xlsx").write_bytes(
        (env.inbox / "dibao_households/a.xlsx").read_bytes())
    report = env.run("dibao_households")
    assert [(f.path, f.status, f.rows_read) for f in report.files] == [
        ("dibao_households/a.xlsx", "loaded", 2), ("dibao_households/copy.xlsx", "duplicate", 0)]
    assert report.rows_loaded == 2 and report.rows_quarantined == 0
    files = env.sql("SELECT path, other_paths FROM raw.files WHERE source = 'dibao_households'")
    assert files == [("dibao_households/a.xlsx", '["dibao_households/copy.xlsx"]')]
    events = env.sql("SELECT path, event FROM raw.file_events WHERE source = 'dibao_households' "
                     "ORDER BY path")
    assert events == [("dibao_households/a.xlsx", "added"),
                      ("dibao_households/copy.xlsx", "duplicate_content")]


def test_changed_file_replaces_the_old_version(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(), hh(household_id="H002")])
    first = env.run("dibao_households").files[0].sha256
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(household_id="H009")])
    report = env.run("dibao_households")
    assert report.rows_loaded == 1
    assert env.sql("SELECT household_id FROM raw.dibao_households") == [("H009",)]
    events = env.sql("SELECT event, previous_sha256 FROM raw.file_events "
                     "WHERE source = 'dibao_households' ORDER BY rowid")
    assert events == [("added", None), ("replaced", first)]
    (env.inbox / "dibao_households/a.xlsx").unlink()
    assert env.run("dibao_households").rows_read == 0
    assert env.sql("SELECT count(*) FROM raw.dibao_households") == [(0,)]
    assert env.sql("SELECT event FROM raw.file_events WHERE source = 'dibao_households' "
                   "ORDER BY rowid")[-1] == ("removed",)


def test_row_count_identity_and_no_pii_in_report(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [
        HH_HEADER, hh(), hh(household_id="H002", head_id_number="123"),
        hh(household_id="H003", region_code="999999999999"), hh()])
    env.raw("dibao_households/b.csv", f"{CSV_HEADER}\n{_csv_row(household_id='H005')}\n"
            .encode())
    report = env.run("dibao_households")
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined
    table = env.sql("SELECT path, rows_read, rows_loaded, rows_quarantined FROM raw.files "
                    "WHERE source = 'dibao_households' ORDER BY path")
    assert table == [("dibao_households/a.xlsx", 4, 1, 3), ("dibao_households/b.csv", 1, 1, 0)]
    counted = env.sql("""
        SELECT f.rows_read, (SELECT count(*) FROM raw.dibao_households d
                             WHERE d._file_sha256 = f.sha256)
                          + (SELECT count(*) FROM raw.quarantine q
                             WHERE q.file_sha256 = f.sha256 AND q.row_number IS NOT NULL)
        FROM raw.files f WHERE f.source = 'dibao_households'""")
    assert all(read == accounted for read, accounted in counted)
    text = "\n".join(report.summary_lines())
    text += json.dumps([f.detail for f in report.files], ensure_ascii=False)
    text += "".join(r[0] for r in env.sql("SELECT detail FROM raw.quarantine"))
    assert person(1) not in text and "张三" not in text and "123" not in text


def test_quarantine_csv_and_ignored_entries(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(program="x")])
    env.raw("_planted.json", b"{}")
    env.raw("dibao_households/.hidden", b"")
    (env.inbox / "dibao_households" / "old").mkdir()
    report = env.run("dibao_households")
    assert report.ignored == [
        "dibao_households/.hidden (隐藏或临时文件 / hidden or Office lock file)",
        "dibao_households/old/ (子文件夹，未读取 / sub-folder, not read)"]
    from ingest.pipeline import ignored_entries

    assert ignored_entries(env.inbox) == ["_planted.json"]
    csv = (env.warehouse / "quarantine" / "dibao_households.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("source_file,row_number,column_name,column_zh,reason")
    assert lines[1].startswith("dibao_households/a.xlsx,2,program,保障类型,invalid_code")


def test_cache_reused_for_unchanged_files(env, monkeypatch):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh()])
    env.run("dibao_households")
    import ingest.cache as cache

    def boom(*a, **k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(cache, "parse_files", boom)  # a group of files (parse_file: of one)
    monkeypatch.setattr(cache, "parse_file", boom)
    assert env.run("dibao_households").rows_loaded == 1  # served from cache/parsed
    env.xlsx("dibao_households/b.xlsx", [HH_HEADER, hh(household_id="H002")])
    monkeypatch.undo()
    assert env.run("dibao_households").rows_loaded == 2


def test_unchanged_source_is_not_reloaded_but_a_changed_dependency_reloads_it(env):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(), hh(household_id="H002",
                                                            region_code="110101001003")])
    first = env.run("dibao_households")
    stamp = env.sql("SELECT loaded_at FROM raw.source_state WHERE source = 'dibao_households'")
    later = datetime(2026, 7, 11, 8, 0)
    again = env.run("dibao_households", now=later)  # nothing changed: tables kept as they are
    assert (again.rows_read, again.rows_loaded, again.rows_quarantined, again.reasons) == (
        first.rows_read, first.rows_loaded, first.rows_quarantined, first.reasons) == (
        2, 2, 0, {})
    assert env.sql("SELECT loaded_at FROM raw.source_state "
                   "WHERE source = 'dibao_households'") == stamp

    # the village of H002 leaves the regions file: households must be checked again
    env.xlsx("regions/regions.xlsx", REGIONS[:-1])
    assert env.run("regions", now=later).rows_loaded == 4
    report = env.run("dibao_households", now=later)
    assert (report.rows_loaded, report.reasons) == (1, {"unknown_region": 1})
    assert env.quarantine("dibao_households") == [
        ("dibao_households/a.xlsx", 3, "region_code", "unknown_region")]


def _three_rosters(env) -> None:
    """Rosters c, a, b written in that order: a copy of b's row 3 in c's row 2, a broken c 4."""
    env.xlsx("dibao_households/c.xlsx", [HH_HEADER, hh(household_id="H003"),  # copy of b 3
                                         hh(household_id="H005"),
                                         hh(household_id="H006", monthly_amount="一千")])
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(household_id="H002"), hh()])
    env.xlsx("dibao_households/b.xlsx", [HH_HEADER, hh(household_id="H004"),
                                         hh(household_id="H003")])


def test_rows_in_path_then_row_order_and_quarantine_from_its_own_files(env):
    """raw.<source> holds its rows in (file path, row number) order, not in the order the
    files were written or their hashes sort; the first copy of a duplicate is the one of the
    first path, even at a later row; the quarantine gets the broken rows, with their
    original text, of the files holding them, and nothing of the clean files."""
    _three_rosters(env.base())
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (7, 5, 2)
    assert env.sql("SELECT _source_file, _row_number, household_id FROM raw.dibao_households "
                   "ORDER BY rowid") == [
        ("dibao_households/a.xlsx", 2, "H002"), ("dibao_households/a.xlsx", 3, "H001"),
        ("dibao_households/b.xlsx", 2, "H004"), ("dibao_households/b.xlsx", 3, "H003"),
        ("dibao_households/c.xlsx", 3, "H005")]
    assert env.sql("SELECT source_file, row_number, reason, detail LIKE '%b.xlsx%', "
                   "original->>'户编号' FROM raw.quarantine WHERE source = 'dibao_households' "
                   "ORDER BY rowid") == [
        ("dibao_households/c.xlsx", 2, "duplicate_row", True, "H003"),
        ("dibao_households/c.xlsx", 4, "invalid_amount", False, "H006")]


def test_a_rebuilt_table_written_in_batches_keeps_path_then_row_order(env, monkeypatch):
    """A rebuild writes its loaded rows in batches of whole files in path order
    (`output.WRITE_BATCH_ROWS` rows, here 2): every batch in its place, the rows set aside
    left out of the batch holding them, a file with no loaded row skipped, a workbook's two
    sheets merged by row number within their file."""
    from ingest import output

    monkeypatch.setattr(output, "WRITE_BATCH_ROWS", 2)
    _three_rosters(env.base())
    env.xlsx("dibao_households/b2.xlsx", [HH_HEADER, hh(household_id="H009", month="垃圾")])
    env.xlsx_sheets("dibao_households/d.xlsx", {
        "一": [HH_HEADER, hh(household_id="H010"), hh(household_id="H012")],
        "二": [HH_HEADER, hh(household_id="H011")]})
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (11, 8, 3)
    assert env.sql("SELECT _source_file, _row_number, household_id FROM raw.dibao_households "
                   "ORDER BY rowid") == [
        ("dibao_households/a.xlsx", 2, "H002"), ("dibao_households/a.xlsx", 3, "H001"),
        ("dibao_households/b.xlsx", 2, "H004"), ("dibao_households/b.xlsx", 3, "H003"),
        ("dibao_households/c.xlsx", 3, "H005"),
        ("dibao_households/d.xlsx", 2, "H010"), ("dibao_households/d.xlsx", 2, "H011"),
        ("dibao_households/d.xlsx", 3, "H012")]
    assert env.sql("SELECT source_file, row_number, reason FROM raw.quarantine "
                   "WHERE source = 'dibao_households' ORDER BY rowid") == [
        ("dibao_households/b2.xlsx", 2, "invalid_date"),
        ("dibao_households/c.xlsx", 2, "duplicate_row"),
        ("dibao_households/c.xlsx", 4, "invalid_amount")]


def test_a_rebuild_whose_stage_2_repeats_a_row_fails_and_loads_nothing(env, monkeypatch):
    """The batched write counts on one verdict per row: a source's `judged_sql` that repeats
    a row makes the load fail, naming the source, and roll back (nothing loaded)."""
    import dataclasses

    import pytest

    from ingest.contract import SOURCES

    repeats = ("CREATE OR REPLACE TEMP VIEW _ing_s AS SELECT s.*, NULL::VARCHAR AS _std_tier, "
               "NULL::DECIMAL(18,2) AS _std FROM _ing_p s UNION ALL SELECT s.*, NULL, NULL "
               "FROM _ing_p s WHERE s.household_id = 'H002'")
    monkeypatch.setitem(SOURCES, "dibao_households",
                        dataclasses.replace(SOURCES["dibao_households"], judged_sql=repeats))
    _three_rosters(env.base())
    with pytest.raises(RuntimeError, match="dibao_households: stage 2 did not judge each row"):
        env.run("dibao_households")
    assert env.sql("SELECT count(*) FROM raw.dibao_households") == [(0,)]
    assert env.sql("SELECT count(*) FROM raw.source_state WHERE source = "
                   "'dibao_households'") == [(0,)]


def test_files_are_numbered_in_path_order_whatever_order_they_come_in():
    """stage2.number_files: `_file_ord` is the place of the file's path in path order (the
    raw tables' sort key), not the order of `_ing_files`."""
    import duckdb
    import pyarrow as pa

    from ingest import stage2

    con = duckdb.connect()
    con.register("_ing_files", pa.table({
        "sha256": ["s1", "s2", "s3", "s4"],
        "path": ["x/b.xlsx", "x/a 2.xlsx", "x/c.csv", "x/a.xlsx"],
        "arrival": [None, None, None, None]}))
    stage2.number_files(con)
    # byte order: " " (0x20) sorts before "." (0x2e)
    assert con.execute("SELECT path, _file_ord FROM _ing_paths ORDER BY sha256").fetchall() == [
        ("x/b.xlsx", 3), ("x/a 2.xlsx", 1), ("x/c.csv", 4), ("x/a.xlsx", 2)]
