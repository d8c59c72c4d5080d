"""comparisons.csv: rows read from the mart, validated, sorted and written like indicators.csv."""

import csv
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from ingest.periods import parse_period
from orchestration.release.comparisons import (
    FRAME_COLUMNS,
    comparison_map,
    comparison_rows,
    comparisons_csv_bytes,
    page_map,
    read_comparisons,
)
from orchestration.release.rows import ReleaseError

D, E = "320102", "320102001"
HEADER = ("\ufeffperiod,region_code,indicator,breakdown,value,previous_period,previous_value,"
          "change_pct,last_year_period,last_year_value,yoy_pct\n")

# (region, indicator, breakdown, value, previous, change, last_year_value, yoy, kind)
ROWS = [
    (E, "dibao_households_end", "total", 150, 200, "-25.00", 120, "25.00", "count"),
    (D, "dibao_funds", "total", "410.70", "400.00", "2.68", "0.00", None, "sum"),
    (D, "dibao_coverage_rate", "total", "3.20", None, None, "3.00", "6.67", "rate"),
    (D, "gap_coverage_pp", "total", "-1.50", "-2.00", "-25.00", None, None, "difference"),
]


def frame(rows=ROWS, period="2026-01/2026-09", previous="2025-04/2025-12",
          last_year="2025-01/2025-09") -> pl.DataFrame:
    records = [
        dict(period=period, region_code=r, indicator=ind, breakdown=b, value=v,
             previous_period=previous, previous_value=p, change_pct=c,
             last_year_period=last_year, last_year_value=ly, yoy_pct=y, value_kind=k)
        for r, ind, b, v, p, c, ly, y, k in rows
    ]
    return pl.DataFrame(records, schema={c: pl.String for c in FRAME_COLUMNS})


def test_csv_bytes_exactly_sorted_like_indicators_csv():
    rows = comparison_rows(frame(), "2026-01/2026-09")
    expected = HEADER + (
        "2026-01/2026-09,320102,dibao_coverage_rate,total,3.20,2025-04/2025-12,,,"
        "2025-01/2025-09,3.00,6.67\n"
        "2026-01/2026-09,320102,dibao_funds,total,410.70,2025-04/2025-12,400.00,2.68,"
        "2025-01/2025-09,0.00,\n"
        # a value starting with '-' is a number, not text: only text cells are quoted
        "2026-01/2026-09,320102,gap_coverage_pp,total,-1.50,2025-04/2025-12,-2.00,-25.00,"
        "2025-01/2025-09,,\n"
        "2026-01/2026-09,320102001,dibao_households_end,total,150,2025-04/2025-12,200,-25.00,"
        "2025-01/2025-09,120,25.00\n"
    )
    assert comparisons_csv_bytes(rows) == expected.encode("utf-8")


def test_counts_stay_whole_and_sums_get_two_decimals_from_floats():
    rows = [(D, "dibao_funds", "total", 2.5, 2.0, 25.0, None, None, "sum"),
            (D, "soldiers_received", "total", 3.0, 0.0, None, None, None, "count")]
    f = frame(rows, "2026Q3", "2026Q2", "2025Q3").cast({"value": pl.Float64,
                                                        "previous_value": pl.Float64,
                                                        "change_pct": pl.Float64})
    text = comparisons_csv_bytes(comparison_rows(f, "2026q3")).decode("utf-8")
    assert text.splitlines()[1:] == [
        "2026Q3,320102,dibao_funds,total,2.50,2026Q2,2.00,25.00,2025Q3,,",
        "2026Q3,320102,soldiers_received,total,3,2026Q2,0,,2025Q3,,",
    ]


def test_text_that_excel_would_read_as_a_formula_is_quoted():
    rows = [("=1+1", "dibao_funds", "@total", "1.00", None, None, None, None, "sum")]
    text = comparisons_csv_bytes(comparison_rows(frame(rows), "2026-01/2026-09")).decode()
    assert text.splitlines()[1].startswith("2026-01/2026-09,'=1+1,dibao_funds,'@total,1.00,")


def test_one_comparison_per_indicator_row():
    keys = {(r[0], r[1], r[2]) for r in ROWS}
    assert len(comparison_rows(frame(), "2026-01/2026-09", indicator_keys=keys)) == 4
    with pytest.raises(ReleaseError, match=r"without comparison \[\('320102', 'x', 'total'\)\]"):
        comparison_rows(frame(), "2026-01/2026-09",
                        indicator_keys=keys | {(D, "x", "total")})


@pytest.mark.parametrize(
    ("rows", "period", "match"),
    [
        (ROWS, "2026Q3", r"row 1 \(320102001/dibao_households_end/total\) 列 column period"),
        (ROWS[:1] + ROWS[:1], "2026-01/2026-09", "row 2 .* duplicate row"),
        ([(D, "dibao_funds", "total", "abc", None, None, None, None, "sum")],
         "2026-01/2026-09", "row 1 .* column value: 不是数字 not a number"),
        ([(D, "soldiers_received", "total", "2.5", None, None, None, None, "count")],
         "2026-01/2026-09", "column value: 计数不是整数 count 2.5 is not whole"),
        ([(D, "dibao_funds", "total", "1.00", "0.00", "5.00", None, None, "sum")],
         "2026-01/2026-09", "column change_pct: previous_value 为空或0时须为空"),
        ([(D, "dibao_funds", "total", "1.00", None, None, None, "5.00", "sum")],
         "2026-01/2026-09", "column yoy_pct: last_year_value 为空或0时须为空"),
        ([(D, "dibao_funds", "total", None, None, None, None, None, "sum")],
         "2026-01/2026-09", "column value: 为空 empty"),
        ([(D, "dibao_funds", "total", "1.00", None, None, None, None, None)],
         "2026-01/2026-09", "column value_kind"),
    ],
)
def test_bad_rows_name_row_and_column(rows, period, match):
    with pytest.raises(ReleaseError, match=match):
        comparison_rows(frame(rows), period)


def test_missing_columns_are_named():
    with pytest.raises(ReleaseError, match="missing columns: yoy_pct"):
        comparison_rows(frame().drop("yoy_pct"), "2026-01/2026-09")


def test_read_comparisons_takes_the_period_and_the_value_kind_from_the_warehouse():
    con = duckdb.connect()
    con.execute("""create table indicator_catalogue as
                   select * from (values ('dibao_funds', 'sum'), ('soldiers_received', 'count'))
                   t(indicator, value_kind)""")
    con.execute("""create table fct_indicator_comparisons as select * from (values
        ('2026-01/2026-09', 'B', 'dibao_funds', 'total', 12.34::decimal(38,2),
         '2025-04/2025-12', 10.00::decimal(38,2), 23.40::decimal(38,2),
         '2025-01/2025-09', null::decimal(38,2), null::decimal(38,2)),
        ('2026-01/2026-09', 'A', 'soldiers_received', 'total', 2.00, '2025-04/2025-12',
         null, null, '2025-01/2025-09', 4.00, -50.00),
        ('2026Q3', 'A', 'soldiers_received', 'total', 1.00, '2026Q2', null, null, '2025Q3',
         null, null)
        ) t(period, region_code, indicator, breakdown, value, previous_period,
            previous_value, change_pct, last_year_period, last_year_value, yoy_pct)""")
    f = read_comparisons(con, parse_period("2026-01/2026-09"))
    rows = comparison_rows(f, "2026-01/2026-09")
    assert [(r.region_code, r.value_kind, r.value, r.change_pct, r.yoy_pct) for r in rows] == [
        ("A", "count", Decimal(2), None, Decimal("-50.00")),
        ("B", "sum", Decimal("12.34"), Decimal("23.40"), None),
    ]


def test_the_pages_see_what_comparisons_csv_says():
    # counts (one "-0"), sums, rates, missing figures, a code Excel would run
    rows = [(E, "dibao_households_end", "total", "150", "-0", None, "-0", None, "count"),
            ("=1+1", "dibao_funds", "-urban", "410.705", "-0.00", None, "0", None, "sum"),
            (D, "dibao_coverage_rate", "total", "3.2", "0.004", None, "3.00", "6.67", "rate")]
    compared = comparison_rows(frame(rows), "2026-01/2026-09")
    text = comparisons_csv_bytes(compared).decode("utf-8-sig")
    read_back = comparison_map(csv.DictReader(text.splitlines()))
    pages = page_map(compared)
    # == of Decimals ignores a zero's sign and the exponent: compare how each prints
    assert {k: repr(c) for k, c in pages.items()} == {k: repr(c) for k, c in read_back.items()}
    assert [str(pages[k].previous_value) for k in sorted(pages)] == ["-0.00", "0.00", "0"]
    assert ("'=1+1", "dibao_funds", "'-urban") in pages
