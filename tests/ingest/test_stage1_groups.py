"""Stage 1 over a group of files (issue 18): checking the cells of several files in one pass
gives every file exactly what it gets alone. Expected values worked out by hand from the
contract (child_welfare_standards: 执行月份 month, 儿童类别 / 养育方式 codes, 月标准 money)."""

import hashlib
import json
from datetime import date, datetime

import polars as pl
import pyarrow.parquet as pq
import pytest

import ingest.cache as cache
import ingest.stage1 as stage1
from ingest.cache import load_or_parse_group, parse_file, parse_files
from ingest.stage1 import Context

SOURCE = "child_welfare_standards"
CTX = Context(today=date(2026, 7, 10), key=b"k" * 32, catalogue={})
CARE = "养育方式不在代码表中（可选：集中养育/institutional、社会散居/family）"
CATEGORY = "儿童类别不在代码表中（可选：孤儿/orphan、事实无人抚养儿童/de_facto）"


def _files(tmp_path, texts: dict[str, str]) -> list[tuple]:
    out = []
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        data = path.read_bytes()
        out.append((path, data, hashlib.sha256(data).hexdigest(), None))
    return out


def _errors(frame: pl.DataFrame) -> list[tuple]:
    return frame.select("_row_number", "_err_pos", "_err_col", "_err_reason",
                        "_err_detail").rows()


def test_two_header_orders_and_aliases_in_one_group(tmp_path):
    files = _files(tmp_path, {
        "a.csv": "执行月份,儿童类别,养育方式,月标准\n"
                 "2026-01,孤儿,集中养育,1800\n"
                 "2026-01,孤儿,集中,1800\n",
        # the alias 月保障标准, the columns reversed, one column the contract does not know
        "b.csv": "月保障标准,养育方式,儿童类别,执行月份,备注\n"
                 "-5,社会散居,孤,2026/02,x\n"
                 "1500,社会散居,事实无人抚养儿童,2026-02,\n",
    })
    (a, ia), (b, ib) = parse_files(SOURCE, files, CTX)
    assert (ia.status, ia.rows_read, ib.status, ib.rows_read) == ("loaded", 2, "loaded", 2)
    assert _errors(a) == [
        (2, None, None, None, None),
        (3, 2, "care_type", "invalid_code", f"养育方式(care_type)：{CARE} / not one of the "
                                              "listed codes: '集中'")]
    # b's row 2 breaks 月标准 (its column 0) and 儿童类别 (its column 2): the first from
    # the left in b is 月标准, although in a's order 儿童类别 comes first
    assert _errors(b) == [
        (2, 0, "monthly_standard", "invalid_amount",
         "月标准(monthly_standard)：金额不能为负 / amount is negative '-5'"),
        (3, None, None, None, None)]
    assert b.select("effective_month", "category", "care_type", "monthly_standard").rows() == [
        (date(2026, 2, 1), None, "family", None),
        (date(2026, 2, 1), "de_facto", "family", 1500.0)]
    assert a.select("category", "care_type", "monthly_standard").rows() == [
        ("orphan", "institutional", 1800.0), ("orphan", None, 1800.0)]
    assert b.select("_pos_effective_month", "_pos_category", "_pos_care_type",
                    "_pos_monthly_standard").unique().rows() == [(3, 2, 1, 0)]
    assert a.select("_pos_effective_month", "_pos_category", "_pos_care_type",
                    "_pos_monthly_standard").unique().rows() == [(0, 1, 2, 3)]
    assert [json.loads(x) for x in b["_extra"]] == [{"备注": "x"}, {"备注": None}]
    assert [list(json.loads(x).items()) for x in b["_original"]][1] == [
        ("月保障标准", "1500"), ("养育方式", "社会散居"), ("儿童类别", "事实无人抚养儿童"),
        ("执行月份", "2026-02"), ("备注", None)]
    assert [json.loads(x) for x in a["_extra"]] == [{}, {}]
    # and each file alone gives the very same frame
    assert a.equals(parse_file(SOURCE, *files[0][:3], CTX)[0], null_equal=True)
    assert b.equals(parse_file(SOURCE, *files[1][:3], CTX)[0], null_equal=True)


def test_a_file_of_only_quarantined_rows_beside_a_clean_one(tmp_path):
    files = _files(tmp_path, {
        "bad.csv": "执行月份,儿童类别,养育方式,月标准\n"
                   "2026-01,孤儿,集中养育,1800,1,2\n"  # six fields under a header of four
                   "2026-01,孤,集中养育,1800\n",
        "good.csv": "执行月份,儿童类别,养育方式,月标准\n"
                    "2026-03,孤儿,社会散居,1600\n",
    })
    (bad, ibad), (good, igood) = parse_files(SOURCE, files, CTX)
    assert (ibad.status, ibad.rows_read, igood.status, igood.rows_read) == (
        "loaded", 2, "loaded", 1)
    assert _errors(bad) == [
        (2, -1, None, "malformed_row", "第2行有6列，表头有4列（逗号多了或少了），未计入；请检查该行"
                                      "的逗号和引号 / line 2: 6 fields, the header has 4"),
        (3, 1, "category", "invalid_code", f"儿童类别(category)：{CATEGORY} / not one of the "
                                            "listed codes: '孤'")]
    # a malformed row keeps no parsed value (its month column is not the contract's `month`)
    assert bad.select("effective_month", "care_type", "monthly_standard").row(0) == (
        None, None, None)
    assert list(json.loads(bad["_original"][0]).items()) == [
        ("执行月份", "2026-01"), ("儿童类别", "孤儿"), ("养育方式", "集中养育"), ("月标准", "1800"),
        ("列E", "1"), ("列F", "2")]
    assert _errors(good) == [(2, None, None, None, None)]
    assert good.select("effective_month", "category", "care_type", "monthly_standard").row(0) == (
        date(2026, 3, 1), "orphan", "family", 1600.0)
    assert list(json.loads(good["_original"][0])) == ["执行月份", "儿童类别", "养育方式", "月标准"]


def test_row_numbers_and_totals_stay_per_file(tmp_path):
    files = _files(tmp_path, {
        # a title line, the header on line 2, a blank line between the rows, a 合计 that fits
        "e.csv": "儿童福利保障标准\n"
                 "执行月份,儿童类别,养育方式,月标准\n"
                 "2026-01,孤儿,集中养育,1800\n"
                 ",,,\n"
                 "2026-01,孤儿,社会散居,1200\n"
                 "合计,,,3000\n",
        # its 合计 states 400 for rows adding up to 300 (with e's rows it would be 3300)
        "f.csv": "执行月份,儿童类别,养育方式,月标准\n"
                 "2026-02,孤儿,集中养育,100\n"
                 "2026-02,孤儿,社会散居,200\n"
                 "合计,,,400\n",
    })
    (e, ie), (f, if_) = parse_files(SOURCE, files, CTX)
    assert e["_row_number"].to_list() == [3, 5] and f["_row_number"].to_list() == [2, 3]
    assert (ie.status, ie.header_row, ie.rows_read) == ("loaded", 2, 2)
    assert (if_.status, if_.reason, if_.column, if_.header_row) == (
        "rejected", "total_mismatch", "monthly_standard", 1)
    assert if_.detail == ("第4行合计的“月标准”为400.00，而数据行合计为300.00 / total row 4: column "
                          "monthly_standard is 400.00 but the data rows sum to 300.00")
    assert set(f["_err_reason"]) == {"total_mismatch"} and set(f["_err_pos"]) == {-1}
    assert e["_err_reason"].to_list() == [None, None]


def test_a_cached_file_in_the_group_is_not_parsed_again(tmp_path, monkeypatch):
    files = _files(tmp_path, {
        "old.csv": "执行月份,儿童类别,养育方式,月标准\n2026-01,孤儿,集中养育,1800\n",
        "new.csv": "月标准,执行月份,儿童类别,养育方式\n1700,2026-04,孤儿,集中养育\n"
                   "1750,2026-05,孤儿,集中养育\n",
    })
    store, tag = tmp_path / "cache", "t"
    at = datetime(2026, 7, 10, 12, 0)
    ((old_path, old_info, parsed),) = load_or_parse_group(store, SOURCE, [files[0][::2]], CTX,
                                                          tag, at)
    assert parsed and old_info.rows_read == 1
    before = old_path.read_bytes()
    seen = []
    real = cache.parse_files

    def spy(source, items, ctx):
        seen.append([p.name for p, *_ in items])
        return real(source, items, ctx)

    monkeypatch.setattr(cache, "parse_files", spy)
    got = load_or_parse_group(store, SOURCE, [f[::2] for f in files], CTX, tag,
                              datetime(2026, 7, 11, 8, 0))
    assert seen == [["new.csv"]]  # the cached file is not read again
    assert [(p.name, i.rows_read, now) for p, i, now in got] == [
        (f"{files[0][2]}.t.parquet", 1, False), (f"{files[1][2]}.t.parquet", 2, True)]
    assert got[0][0].read_bytes() == before
    new = pl.read_parquet(got[1][0])
    assert new["_rid"].to_list() == [0, 1] and new["_row_number"].to_list() == [2, 3]
    assert new["monthly_standard"].to_list() == [1700.0, 1750.0]
    assert set(new["_file_sha256"]) == {files[1][2]}
    meta = json.loads(pq.read_schema(got[1][0]).metadata[b"civstat.ingest"])
    assert (meta["rows_read"], meta["tag"], meta["parsed_at"]) == (2, "t", "2026-07-11 08:00:00")


def test_a_file_that_breaks_the_common_pass_rejects_only_itself(tmp_path, monkeypatch):
    files = _files(tmp_path, {
        "ok.csv": "执行月份,儿童类别,养育方式,月标准\n2026-01,孤儿,集中养育,1800\n",
        "boom.csv": "执行月份,儿童类别,养育方式,月标准\n2026-01,孤儿,集中养育,boom\n",
    })
    real = cache.parse_sheets

    def fragile(sheets, src, ctx):
        if any("boom" in str(s.grid.frame.rows()) for s in sheets):
            raise ValueError("polars said no")
        return real(sheets, src, ctx)

    monkeypatch.setattr(cache, "parse_sheets", fragile)
    (ok, iok), (boom, iboom) = parse_files(SOURCE, files, CTX)
    assert (iok.status, iok.rows_read, ok["monthly_standard"].to_list()) == ("loaded", 1, [1800.0])
    assert (iboom.status, iboom.reason, iboom.rows_read) == ("rejected", "unreadable_file", 0)
    assert iboom.detail.endswith("ValueError: polars said no")


@pytest.mark.parametrize(("sizes", "parts", "groups"), [
    ([10, 10, 10], 1, [[0, 1, 2]]),  # small files: one group
    ([5 << 20, 10, 10], 1, [[0], [1, 2]]),  # a file beyond a group's work stands alone
    ([10, 10, 10, 10], 2, [[0, 1], [2, 3]]),  # two workers: two groups
])
def test_groups_of_consecutive_files(sizes, parts, groups):
    from ingest.parallel import groups as cut

    assert cut(sizes, parts) == groups


def test_a_sources_files_are_cut_alike_for_the_pool_and_in_process(monkeypatch):
    from ingest import parallel

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    sizes = {"a": 10, "b": 10, "c": 10, "d": 10}  # 4 × (10 B + 20 KB) of work
    assert parallel.source_groups(sizes) == (False, [["a", "b", "c", "d"]])  # below 8 MB
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    assert parallel.source_groups(sizes) == (True, [["a", "b"], ["c", "d"]])  # one a worker


def test_files_of_one_header_are_checked_as_one_run(tmp_path, monkeypatch):
    head = "执行月份,儿童类别,养育方式,月标准\n"
    files = _files(tmp_path, {
        # a and b: the same header, one after the other (one run); c another order between
        # b and d; d the first header again (a run of its own)
        "a.csv": head + "2026-01,孤儿,集中养育,1800\n" + "2026-01,孤,集中养育,1800\n",
        "b.csv": head + "2026-02,孤儿,社会散居,1200\n" + "合计,,,1200\n",
        "c.csv": "月标准,执行月份,儿童类别,养育方式\n" + "900,2026-03,孤儿,集中养育\n",
        "d.csv": head + "2026-04,孤儿,集中,-1\n" + "合计,,,5\n",
    })
    def no_fallback(*args):
        raise AssertionError("the group's common pass failed: each file was laid out alone")

    monkeypatch.setattr(cache, "_lay_out", no_fallback)
    queries = []  # the rows each query of the group's columns takes
    real = stage1._part_frame

    def spy(m, data, *args):
        queries.append(data.height)
        return real(m, data, *args)

    monkeypatch.setattr(stage1, "_part_frame", spy)
    got = parse_files(SOURCE, files, CTX)
    monkeypatch.undo()
    assert queries == [3, 1, 1]  # a and b (2 + 1 data rows) as one run, then c, then d
    (a, ia), (b, ib), (c, ic), (d, id_) = got
    assert [i.status for i in (ia, ib, ic, id_)] == ["loaded", "loaded", "loaded", "rejected"]
    assert _errors(a) == [
        (2, None, None, None, None),
        (3, 1, "category", "invalid_code", f"儿童类别(category)：{CATEGORY} / not one of the "
                                            "listed codes: '孤'")]
    assert _errors(b) == [(2, None, None, None, None)]
    assert c.select("_row_number", "effective_month", "monthly_standard", "_pos_monthly_standard"
                    ).rows() == [(2, date(2026, 3, 1), 900.0, 0)]
    # d: its 合计 states 5 for a row of -1 (a number, though no valid amount, is summed)
    assert (id_.reason, id_.column) == ("total_mismatch", "monthly_standard")
    assert id_.detail.startswith("第3行合计的“月标准”为5.00，而数据行合计为-1.00")
    assert d["_row_number"].to_list() == [2]
    assert [list(json.loads(x).values()) for x in d["_original"]] == [
        ["2026-04", "孤儿", "集中", "-1"]]
    for f, (frame, info) in zip(files, got, strict=True):
        alone, alone_info = parse_file(SOURCE, *f[:3], CTX)
        assert frame.equals(alone, null_equal=True), f[0].name
        assert (info.status, info.reason, info.detail) == (
            alone_info.status, alone_info.reason, alone_info.detail)
