"""Header, data and total rows found over a group of sheets at once (issue 18, stage 1:
``sheet_layout.locate_many``): each sheet gets the layout it gets alone, whatever the other
sheets of its group. Expected rows, headers and faults worked out by hand from the files."""

from pathlib import Path

import polars as pl

from ingest.contract import SOURCES
from ingest.reader import Grid, read_files
from ingest.sheet_layout import HEADER_FIRST, locate, locate_many

SOURCE = SOURCES["tekun_persons"]
HEADER = "发放月份,姓名,身份证号,区划代码,供养方式,月供养金额"
NOTES = "说明{}\n"  # a line of one text: a title, never a header


def _files() -> dict[str, str]:
    return {
        # header on line 1, two data rows, a 合计 row, the end (制表人) and a row after it
        "a": (f"{HEADER}\n2025-07,张三,1,2,集中供养,800\n2025-07,李四,1,2,分散供养,700\n"
              "合计,,,,,1500\n制表人：王\n2025-07,x,y,z,w,1\n"),
        # 15 lines of notes, then a header of two lines (16-17): the first rows looked at end
        # in its first line, which alone holds 5 of the 6 names; the second adds the sixth
        "b": "".join(NOTES.format(i) for i in range(15)) + HEADER.rsplit(",", 1)[0]
             + ",\n,,,,,月供养金额\n2025-07,甲,1,2,集中供养,1\n2025-07,乙,1,2,集中供养,2\n",
        # no header at all: every row is read, the file is missing_column
        "c": "".join(f"2025-07,人{i},1,2,集中供养,{i}\n" for i in range(20)),
        # another width (a 备注 column): lines of 9 and of 3 fields are malformed_row
        "d": (f"{HEADER},备注\n2025-07,a,1,2,集中供养,1,x\n2025-07,b,1,2,集中供养,1,x,y,z\n"
              "2025-07,c,1\n"),
        # 13 lines of notes: the header on line 14, the last row the first search trusts
        "e": "".join(NOTES.format(i) for i in range(13)) + f"{HEADER}\n2025-07,丙,1,2,集中供养,3\n",
    }


def _same(one, other) -> bool:
    return (one.header_row, one.mapping, one.labels, one.fault, one.notes) == (
        other.header_row, other.mapping, other.labels, other.fault, other.notes) and all(
        x.columns == y.columns and x.dtypes == y.dtypes and x.equals(y)
        for x, y in ((one.data, other.data), (one.totals, other.totals)))


def test_sheets_of_a_group_laid_out_as_alone():
    files = _files()
    grids = read_files([(Path(f"{k}.csv"), text.encode()) for k, text in files.items()])
    got = dict(zip(files, locate_many(grids, SOURCE), strict=True))
    assert HEADER_FIRST - 3 == 13  # file e's header row index (0-based): the first search
    rows = {k: (lay.header_row, lay.data["_row"].to_list(), lay.totals["_row"].to_list())
            for k, lay in got.items()}
    assert rows == {
        "a": (1, [2, 3], [4]), "b": (17, [18, 19], []), "c": (None, list(range(1, 21)), []),
        "d": (1, [2, 3, 4], []), "e": (14, [15], []),
    }
    assert got["a"].totals["_kind"].to_list() == ["合计"]
    assert got["b"].mapping["monthly_amount"] == 5
    assert got["c"].fault.reason == "missing_column"
    assert got["c"].labels == {j: f"列{'ABCDEF'[j]}" for j in range(6)}
    assert got["d"].mapping["monthly_amount"] == 5
    assert got["d"].data["_row_fault"].to_list() == [None, "malformed_row", "malformed_row"]
    assert got["d"].data["_row_detail"][1] == (
        "第3行有9列，表头有7列（逗号多了或少了），未计入；请检查该行的逗号和引号 / line 3: 9 "
        "fields, the header has 7")
    assert got["d"].labels[6] == "备注" and got["d"].labels[8] == "列I"
    for k, grid in zip(files, grids, strict=True):
        assert _same(got[k], locate(grid, SOURCE)), k
    # the same header in two files: equal mappings, neither shared with the other
    twice = locate_many(read_files([(Path("x.csv"), files["a"].encode()),
                                    (Path("y.csv"), files["a"].encode())]), SOURCE)
    twice[0].mapping["month"] = 99
    twice[0].labels[0] = "changed"
    assert (twice[1].mapping["month"], twice[1].labels[0]) == (0, "发放月份")


def _counted_grid(rows: list[tuple], fields: list[int]) -> Grid:
    """A grid whose frame has the reader's field counts but no fault columns."""
    data = {f"c{j}": [r[j] for r in rows] for j in range(len(rows[0]))}
    return Grid(pl.DataFrame(data, schema={k: pl.String for k in data}).with_columns(
        _row=pl.int_range(1, len(rows) + 1, dtype=pl.Int32),
        _fields=pl.Series(fields, dtype=pl.Int32)), "csv", "utf-8")


def test_fault_columns_only_where_a_header_was_found():
    header = tuple(HEADER.split(","))
    row = ("2025-07", "甲", "1", "2", "集中供养", "1")
    with_header = _counted_grid([header, row, row], [6, 6, 2])
    without = _counted_grid([row, row], [6, 2])
    first, second = locate_many([with_header, without], SOURCE)
    assert first.data.columns[-3:] == ["_seg", "_row_fault", "_row_detail"]
    assert first.data["_row_fault"].to_list() == [None, "malformed_row"]
    assert second.header_row is None and "_row_fault" not in second.data.columns
    assert second.data["_row"].to_list() == [1, 2]
    for lay, grid in ((first, with_header), (second, without)):
        assert _same(lay, locate(grid, SOURCE))
