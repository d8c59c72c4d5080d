"""The shortcuts of stage 1 (issue 18) give exactly what the plain way gives.

Each expected value is worked out by hand, or taken from the standard library where the
shortcut re-implements it (HMAC, ``str.isspace``).
"""

import hashlib
import hmac
import io
import zipfile
from datetime import date

import polars as pl
import pytest

from ingest import fields, limits
from ingest.contract import SOURCES
from ingest.reader import PY_SPACE, read_csv
from ingest.stage1 import check_distinct, check_rows, hmac_hex


def test_py_space_is_what_str_strip_removes():
    import re

    cls = re.compile(f"[{PY_SPACE}]")
    wrong = [hex(c) for c in range(0x110000) if chr(c).isspace() != bool(cls.fullmatch(chr(c)))]
    assert wrong == []


@pytest.mark.parametrize("key", [b"k" * 32, bytes(range(100))])  # short key; longer than a block
def test_hmac_hex_is_hmac_sha256(key):
    values = ["110101199003070012", "", "案号（2026）第1号"]
    assert hmac_hex(key, values) == [
        hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest() for v in values]


def test_csv_lines_split_as_columns_and_quoted_lines_alone():
    # line 1 header; 2 CRLF; 3 blank of commas, ideographic space and U+001C (blank for
    # str.strip); 4 a quoted field spanning lines 4-5; 6 a stray quote; 7 ends with lone CR
    text = ('a,b,c\r\n1,2,3\r\n,\u3000,\x1c\r\n"x\ny",5,6\n7,"8,9\r'
            '10,11,12\n')
    grid = read_csv(text.encode("utf-8"))
    f = grid.frame
    assert f["_row"].to_list() == [1, 2, 4, 6, 7]
    assert f.select("c0", "c1", "c2").rows() == [
        ("a", "b", "c"), ("1", "2", "3"), ("x\ny", "5", "6"), ("7", '"8', "9"),
        ("10", "11", "12")]
    assert f["_row_fault"].to_list() == [None, None, None, "malformed_row", None]
    assert f["_fields"].to_list() == [3, 3, 3, 3, 3]
    assert f["_row_detail"][3].startswith("第6行引号不成对")


def _money_column():
    return SOURCES["dibao_households"].column("monthly_amount")


@pytest.mark.parametrize("distinct", [True, False])
def test_a_repeated_column_checked_once_per_distinct_cell_gives_every_row_its_result(distinct):
    col = _money_column()
    cells = ["12.5元", "abc", None, "12.5元", "12.5元", "abc", None, "12.5元", "12.5元"]
    frame = pl.DataFrame({"_t_monthly_amount": cells, "_row": list(range(2, 11))})
    checked = fields.check(col, pl.col("_t_monthly_amount"), pl.lit(False), date(2026, 1, 1))
    out = (check_distinct(frame, col, checked, ["_t_monthly_amount"]) if distinct
           else check_rows(frame, {"monthly_amount": checked}))
    assert out["_row"].to_list() == list(range(2, 11))  # order kept
    assert out["monthly_amount"].to_list() == [12.5, None, None, 12.5, 12.5, None, None,
                                               12.5, 12.5]
    assert out["_r_monthly_amount"].to_list() == [
        None, "invalid_amount", "missing_value", None, None, "invalid_amount",
        "missing_value", None, None]
    assert out["_d_monthly_amount"][1] == "不是有效数字 / not a number 'abc'"
    assert out["_d_monthly_amount"][2] == "必填项为空 / required value is empty"
    assert out["_w_monthly_amount_x"].to_list() == cells  # the cleaned text


def test_full_width_id_in_a_column_is_still_normalised():
    col = SOURCES["dibao_households"].column("head_id_number")
    # 11010519491231002X is valid (check digit worked out by hand in test_ingest_idnumber)
    ascii_id, wide_id = "11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ"
    frame = pl.DataFrame({"_t_id": [ascii_id, wide_id]})
    checked = fields.check(col, pl.col("_t_id"), pl.lit(False), date(2026, 1, 1))
    out = check_rows(frame, {"head_id_number": checked})
    assert out["head_id_number"].to_list() == [ascii_id, ascii_id]
    assert out["_r_head_id_number"].to_list() == [None, None]


def _sheet_package(rows_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml",
                    b'<worksheet xmlns:x="s"><x:sheetData>' + rows_xml + b"</x:sheetData>"
                    b"</worksheet>")
    return out.getvalue()


def test_row_limit_seen_with_a_namespace_prefix_and_without():
    big = b'<x:row r="1048577"><x:c r="A1048577"/></x:row>'
    with pytest.raises(limits.OverLimit, match="1,048,577 行"):
        limits.check_package(_sheet_package(big))
    with pytest.raises(limits.OverLimit, match="1,048,577 行"):
        limits.check_package(_sheet_package(big.replace(b"x:", b"")))
    limits.check_package(_sheet_package(b'<row r="3"><c r="ZZ3"/></row>'))  # 702 columns: ok
    with pytest.raises(limits.OverLimit, match="1,378 列"):  # AZZ = 1·676 + 26·26 + 26
        limits.check_package(_sheet_package(b'<row r="3"><c r="AZZ3"/></row>'))


def test_a_built_check_is_reused_only_for_the_very_same_column_declaration():
    import dataclasses

    from ingest.contract import Kind
    from ingest.stage1 import column_check

    money = _money_column()
    count = dataclasses.replace(money, kind=Kind.COUNT, min_count=0)  # same source and name
    frame = pl.DataFrame({"_t_monthly_amount": ["12.5"]})
    day = date(2026, 1, 1)
    first = check_rows(frame, {"monthly_amount": column_check(
        "dibao_households", money, day, None, True, False)})
    again = column_check("dibao_households", money, day, None, True, False)
    assert again is column_check("dibao_households", money, day, None, True, False)
    other = check_rows(frame, {"monthly_amount": column_check(
        "dibao_households", count, day, None, True, False)})
    assert first["_r_monthly_amount"].to_list() == [None]
    assert other["_r_monthly_amount"].to_list() == ["invalid_count"]  # 12.5 is no whole number
