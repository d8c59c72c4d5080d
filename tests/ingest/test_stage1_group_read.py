"""Reading, cleaning and hashing over a group of files (issue 18, stage 1): the CSV files of a
group split in one pass, the cells of all sheets cleaned in one pass, the ID hashes of a
column of distinct IDs in row order; each file gets what it gets alone. Expected values
worked out by hand (and HMAC from the standard library)."""

import hashlib
import hmac
from pathlib import Path

import polars as pl

from ingest.contract import SOURCES
from ingest.reader import Grid, UnreadableFile, read_csv, read_files
from ingest.sheet_layout import locate, locate_many
from ingest.stage1 import add_hashes

CELLS = ("c0", "c1", "c2")


def test_csv_files_read_in_one_pass_each_as_alone():
    files = [
        # LF; a quoted field over lines 3-4; a blank line 5
        (Path("a.csv"), b'h1,h2,h3\n1,2,3\n"x\ny",5,6\n\n7,8,9\n'),
        # CRLF; a stray quote on line 2 takes no other line; two fields only (its own width)
        (Path("b.csv"), b'k,v\r\n"bad,1\r\nz,2\r\n'),
        # lone CR line ends, GB18030 text
        (Path("c.txt"), "名称,数\r甲,1\r乙,2".encode("gb18030")),
        (Path("empty.csv"), b""),
        (Path("notes.pdf"), b"a,b\n1,2\n"),  # text under no table's name
    ]
    a, b, c, empty, pdf = read_files(files)
    assert a.frame.select("_row", *CELLS).rows() == [
        (1, "h1", "h2", "h3"), (2, "1", "2", "3"), (3, "x\ny", "5", "6"), (6, "7", "8", "9")]
    assert a.frame["_fields"].to_list() == [3, 3, 3, 3]
    assert b.frame.columns == ["c0", "c1", "_row", "_row_fault", "_row_detail", "_fields"]
    assert b.frame.select("_row", "c0", "c1", "_row_fault").rows() == [
        (1, "k", "v", None), (2, '"bad', "1", "malformed_row"), (3, "z", "2", None)]
    assert b.frame["_row_detail"][1].startswith("第2行引号不成对")
    assert (c.encoding, c.frame.select("_row", "c0", "c1").rows()) == (
        "gb18030", [(1, "名称", "数"), (2, "甲", "1"), (3, "乙", "2")])
    assert empty.frame.columns == ["_row", "_row_fault", "_row_detail", "_fields"]
    assert empty.frame.height == 0
    assert isinstance(pdf, UnreadableFile)
    for (_, data), grid in zip(files[:4], (a, b, c, empty), strict=True):
        alone = read_csv(data).frame
        assert grid.frame.equals(alone) and grid.frame.schema == alone.schema
    # a file of blank lines only, alone and in a group: no record, no cell column
    blank_file = (Path("blank.csv"), b"\r\n\r\n")
    for group in ([blank_file], [blank_file, files[0]]):
        blank = read_files(group)[0].frame
        assert (blank.columns, blank.height) == (["_row", "_row_fault", "_row_detail", "_fields"], 0)


def _grid(rows: list[tuple], fmt: str = "csv") -> Grid:
    width = max(len(r) for r in rows)
    data = {f"c{j}": [r[j] if j < len(r) else None for r in rows] for j in range(width)}
    return Grid(pl.DataFrame(data, schema={k: pl.String for k in data}).with_columns(
        _row=pl.int_range(1, len(rows) + 1, dtype=pl.Int32)), fmt, "utf-8")


def test_cells_of_two_sheets_cleaned_together_as_alone():
    # one schema (three cell columns, _row): the two sheets are cleaned in one pass
    one = _grid([("执行月份", "月标准", "儿童类别"), ("\u200bA1", '="0012"', "甲"),
                 ("合计", " 5 ", None)])
    two = _grid([("执行月份", "月标准", "儿童类别"), ("甲\u00a0乙", "'0012", ""),
                 ("制表人：王", None, None), ("x", "y", "z")])
    source = SOURCES["child_welfare_standards"]
    first, second = locate_many([one, two], source)
    # zero-width space gone, ="…" and ' markers gone, no-break space a space, "" null
    assert first.data.select(*CELLS).rows() == [("A1", "0012", "甲")]
    assert first.totals.select(*CELLS, "_kind").rows() == [("合计", "5", None, "合计")]
    # the data end at 制表人 (NFKC ：-> :), so the row below it is not read
    assert second.data.select(*CELLS).rows() == [("甲 乙", "0012", None)]
    assert second.totals.height == 0
    for grid, got in ((one, first), (two, second)):
        alone = locate(grid, source)
        assert got.header_row == 1
        assert got.data.equals(alone.data) and got.totals.equals(alone.totals)
        assert (got.header_row, got.labels) == (alone.header_row, alone.labels)


def _digest(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def test_id_hashes_in_row_order_and_per_distinct_id():
    key = b"k" * 32
    source = SOURCES["dibao_households"]
    ids = ["11010119900307001X", None, "110101199003070020"]
    distinct = add_hashes(pl.DataFrame({"head_id_number": ids}), source, key)
    assert distinct["head_id_number_hash"].to_list() == [
        _digest(key, ids[0]), None, _digest(key, ids[2])]
    repeated = add_hashes(pl.DataFrame({"head_id_number": ids + ids[:1]}), source, key)
    assert repeated["head_id_number_hash"].to_list() == [
        _digest(key, ids[0]), None, _digest(key, ids[2]), _digest(key, ids[0])]
    # mostly one person listed again and again: each distinct value hashed once, joined back
    many = ids[:1] * 4 + [None] + ids[2:]
    repeats = add_hashes(pl.DataFrame({"head_id_number": many}), source, key)
    assert repeats["head_id_number_hash"].to_list() == [
        _digest(key, ids[0])] * 4 + [None, _digest(key, ids[2])]
    none = add_hashes(pl.DataFrame({"head_id_number": [None, None]},
                                   schema={"head_id_number": pl.String}), source, key)
    assert none["head_id_number_hash"].to_list() == [None, None]
