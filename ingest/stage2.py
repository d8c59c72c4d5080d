"""Stage 2 in DuckDB: date windows, cross-source rules, first error from the left, duplicates.

Input is the view ``_ing_p`` (every cached stage-1 row of the source's current files, with
``_source_file`` and ``_arrival``) and ``_ing_s`` (the same, for dibao_households with the
standard in force). Output is the narrow table ``_ing_f``: (_file_sha256, _rid, _final),
``_final`` being the one error struct {pos, col, reason, detail} that names the row (null =
the row loads). Only narrow tables are materialised; wide rows are read from parquet.
"""

from __future__ import annotations

from ingest.contract import DISTRICT, TOWNSHIP, VILLAGE, Kind, Source
from ingest.warehouse import q


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _err(col: str, reason: str, detail_sql: str, source: Source) -> tuple[str, str]:
    """(position, error struct) of an error charged to ``col``."""
    zh = source.column(col).zh
    pos = f"s.{q('_pos_' + col)}"
    return pos, (f"{{'pos': {pos}, 'col': {_lit(col)}, 'reason': {_lit(reason)}, "
                 f"'detail': {_lit(f'{zh}({col})：')} || {detail_sql}}}")


def _when(cond: str, err: tuple[str, str]) -> tuple[str, str, str]:
    """A candidate error: (condition, position, struct)."""
    return f"({cond})", err[0], err[1]


# Status dates that reach back decades (a veteran recognised in 1993 is still on the roster):
# the 2000 floor, meant to catch typos in reporting dates, would drop real people. They only
# need to be on or after 1900 (and not after the file arrived).
HISTORIC_DATES = {("veterans", "recognised_on"), ("veterans", "ended_on")}


def _floor(source: Source, column: str) -> str:
    return "1900" if (source.name, column) in HISTORIC_DATES else "2000"


def _window(source: Source) -> list[tuple[str, str, str]]:
    out = []
    for c in source.columns:
        col = f"s.{q(c.name)}"
        if c.kind is Kind.MONTH:
            cond = f"{col} < DATE '2000-01-01' OR {col} > date_trunc('month', s._arrival)::DATE"
        elif c.kind is Kind.DATE:
            cond = (f"{col} < DATE '{_floor(source, c.name)}-01-01' OR "
                    f"{col} > s._arrival::DATE")
        elif c.kind is Kind.DATETIME:
            cond = f"{col} < TIMESTAMP '2000-01-01' OR {col} > s._arrival"
        elif c.kind is Kind.YEAR:
            cond = f"{col} > year(s._arrival) + 1"
        else:
            continue
        floor = _floor(source, c.name)
        detail = (f"'早于{floor}年或晚于文件送达时间（' || strftime(s._arrival, '%Y-%m-%d %H:%M') || "
                  f"'） / outside the sane window: before {floor} or after the file arrived'")
        out.append(_when(f"({cond})", _err(c.name, "invalid_date", detail, source)))
    return out


def _region_joins(source: Source) -> tuple[list[str], list[str]]:
    joins, errs = [], []
    for c in source.columns:
        if c.kind is not Kind.REGION:
            continue
        alias = f"r_{c.name}"
        joins.append(
            f"LEFT JOIN (SELECT DISTINCT region_code AS rc FROM raw.regions WHERE level = "
            f"{_lit(c.level)}) {alias} ON s.{q(c.name)} = {alias}.rc")
        level_zh = {VILLAGE: "村居", TOWNSHIP: "乡镇街道", DISTRICT: "区县"}[c.level]
        detail = (f"'区划代码 ' || s.{q(c.name)} || ' 不是区划表中的{level_zh}一级代码 / "
                  f"not a {c.level} code of the regions table'")
        errs.append(_when(f"s.{q(c.name)} IS NOT NULL AND {alias}.rc IS NULL",
                          _err(c.name, "unknown_region", detail, source)))
    return joins, errs


def _specific(source: Source) -> tuple[list[str], list[str]]:
    """Joins and errors of the rules that belong to one source."""
    n = source.name
    if n == "regions":
        join = ("LEFT JOIN (SELECT region_code AS rc, bool_or(level = 'district') AS d, "
                "bool_or(level = 'township') AS t FROM _ing_p WHERE _err_reason IS NULL "
                "GROUP BY 1) par ON s.parent_code = par.rc")
        ok = "coalesce(CASE s.level WHEN 'township' THEN par.d WHEN 'village' THEN par.t END, false)"
        detail = ("'上级代码 ' || s.parent_code || ' 不是区划表中上一级的区划 / parent code is not "
                  "a region of the level above in the regions file'")
        return [join], [_when(f"s.parent_code IS NOT NULL AND s.level IN ('township', 'village')"
                              f" AND NOT {ok}", _err("parent_code", "unknown_region", detail,
                                                     source))]
    if n == "dibao_households":
        tier_zh = "CASE s._std_tier WHEN 'city' THEN '城市' WHEN 'town' THEN '城镇' ELSE '农村' END"
        detail = ("'月保障金额 ' || s.monthly_amount::DECIMAL(18,2) || ' 超过 保障人数 ' || "
                  f"s.covered_persons || ' × ' || {tier_zh} || '标准 ' || s._std || ' / exceeds "
                  "covered_persons × the ' || s._std_tier || ' standard in force'")
        cond = ("s._std IS NOT NULL AND s.monthly_amount IS NOT NULL AND s.covered_persons IS NOT "
                "NULL AND s.monthly_amount::DECIMAL(18,2) > s.covered_persons * s._std")
        return [], [_when(cond, _err("monthly_amount", "amount_over_standard", detail, source))]
    if n == "dibao_members":
        join = ("LEFT JOIN (SELECT DISTINCT household_id AS hid FROM raw.dibao_households) hh "
                "ON s.household_id = hh.hid")
        detail = "'户编号 ' || s.household_id || ' 不在低保发放名册中 / not in dibao_households'"
        return [join], [_when("s.household_id IS NOT NULL AND hh.hid IS NULL",
                              _err("household_id", "unknown_household", detail, source))]
    if n == "disaster_relief":
        join = ("LEFT JOIN (SELECT DISTINCT event_id AS e, region_code AS r FROM "
                "raw.disaster_reports) ev ON s.event_id = ev.e AND s.region_code = ev.r")
        detail = ("'灾害编号 ' || s.event_id || ' 在乡镇 ' || s.region_code || ' 没有灾情报告 / no "
                  "disaster report for this (event_id, region_code)'")
        return [join], [_when("s.event_id IS NOT NULL AND s.region_code IS NOT NULL AND ev.e IS "
                              "NULL", _err("event_id", "unknown_event", detail, source))]
    if n == "veteran_payments":
        join = ("LEFT JOIN (SELECT DISTINCT id_number AS pid FROM raw.veterans) vv "
                "ON s.id_number = vv.pid")
        detail = "'身份证号不在优抚对象名册中 / person not in the veterans roster'"
        return [join], [_when("s.id_number IS NOT NULL AND vv.pid IS NULL",
                              _err("id_number", "unknown_person", detail, source))]
    return [], []


STANDARD_SQL = """
CREATE OR REPLACE TEMP VIEW _ing_s AS
WITH tiered AS (
  SELECT s.*, CASE
      WHEN s.program = 'rural' THEN 'rural'
      WHEN s.program = 'urban' AND rr.urc LIKE '11%' THEN 'city'
      WHEN s.program = 'urban' AND rr.urc LIKE '12%' THEN 'town'
      WHEN s.program = 'urban' AND rr.urc LIKE '2%' THEN 'rural'
    END AS _std_tier
  FROM _ing_p s
  LEFT JOIN (SELECT region_code AS rc, any_value(urban_rural_code) AS urc FROM raw.regions
             WHERE level = 'village' GROUP BY 1) rr ON s.region_code = rr.rc
)
SELECT t.*, st.monthly_standard AS _std
FROM tiered t ASOF LEFT JOIN raw.dibao_standards st
  ON t._std_tier = st.tier AND t.month >= st.effective_month
"""


def errors_sql(source: Source) -> str:
    """SQL creating ``_ing_r`` (narrow): each row's id, key, positions and ``_e``, its first
    error over stage 1 and stage 2 (null when the row passed)."""
    joins, errs = _region_joins(source)
    j2, e2 = _specific(source)
    joins += j2
    errs += e2 + _window(source)
    stage1 = ("s._err_reason IS NOT NULL", "s._err_pos", "{'pos': s._err_pos, 'col': s._err_col, "
              "'reason': s._err_reason, 'detail': s._err_detail}")
    cands = [stage1, *errs]
    least = ", ".join(f"CASE WHEN {c} THEN {p} END" for c, p, _ in cands)
    pick = "\n    ".join(f"WHEN {c} AND {p} = _minpos THEN {e}" for c, p, e in cands)
    keep = ", ".join(f"s.{q(k)}" for k in _key(source))
    pos = ", ".join(f"s.{q('_pos_' + c.name)}" for c in source.columns)
    return (f"CREATE OR REPLACE TEMP TABLE _ing_r AS\nSELECT s._file_sha256, s._rid, "
            f"s._source_file, s._row_number, {keep}, {pos},\n  least({least}) AS _minpos,\n"
            f"  CASE {pick}\n  END AS _e\nFROM _ing_s s\n" + "\n".join(joins))


def _key(source: Source) -> list[str]:
    return list(source.key) or [c.name for c in source.columns]


def dedupe_sql(source: Source) -> list[str]:
    """SQL creating ``_ing_g`` (key groups of passing rows with more than one row) and
    ``_ing_f`` (narrow: row id and ``_final``, the one error that names the row)."""
    key = _key(source)
    cols = [c.name for c in source.columns]
    row = ", ".join(f"p.{q(c)}" for c in cols)
    flags = ", ".join(
        f"(count(DISTINCT p.{q(c)}) + max((p.{q(c)} IS NULL)::INT)) > 1 AS {q('_x_' + c)}"
        for c in cols)
    keys = ", ".join(f"p.{q(k)}" for k in key)
    rkeys = ", ".join(f"r.{q(k)}" for k in key)
    on_m = " AND ".join(f"p.{q(k)} IS NOT DISTINCT FROM m.{q(k)}" for k in key)
    groups = (f"CREATE OR REPLACE TEMP TABLE _ing_g AS WITH m AS (SELECT {rkeys}, count(*) AS "
              f"_n FROM _ing_r r WHERE r._e IS NULL GROUP BY {rkeys} HAVING count(*) > 1)\n"
              f"SELECT {keys}, any_value(m._n) AS _n, count(DISTINCT ({row})) AS _nd, {flags} "
              f"FROM _ing_p p JOIN _ing_r r ON p._file_sha256 = r._file_sha256 AND "
              f"p._rid = r._rid JOIN m ON {on_m} WHERE r._e IS NULL GROUP BY {keys}")
    on = " AND ".join(f"r.{q(k)} IS NOT DISTINCT FROM g.{q(k)}" for k in key)
    zh = {c.name: c.zh for c in source.columns}
    differ = ", ".join(
        f"CASE WHEN g.{q('_x_' + c)} THEN {{'pos': r.{q('_pos_' + c)}, 'col': {_lit(c)}, "
        f"'zh': {_lit(zh[c])}}} END" for c in cols)
    first_key = ", ".join(
        f"{{'pos': r.{q('_pos_' + k)}, 'col': {_lit(k)}}}" for k in key)
    key_zh = "、".join(zh[k] for k in key)
    conflict = (
        f"{{'pos': r._d.pos, 'col': r._d.col, 'reason': 'conflicting_duplicate', 'detail': "
        f"'关键字段（{key_zh}）相同的' || r._n || '行取值不同，首个不同列：' || r._d.zh || "
        f"' / ' || r._n || ' rows share the key but differ, first in column ' || r._d.col}}")
    dup = (
        "{'pos': r._k.pos, 'col': r._k.col, 'reason': 'duplicate_row', 'detail': "
        "'与 ' || first_value(r._source_file) OVER w || ' 第' || first_value(r._row_number) "
        "OVER w || '行完全相同 / identical to row ' || first_value(r._row_number) OVER w || "
        "' of ' || first_value(r._source_file) OVER w}")
    final = (
        f"CREATE OR REPLACE TEMP TABLE _ing_f AS\n"
        f"SELECT r._file_sha256, r._rid, r._row_number, CASE WHEN r._e IS NOT NULL THEN r._e\n"
        f"  WHEN r._nd > 1 THEN {conflict}\n"
        f"  WHEN r._n > 1 AND row_number() OVER w > 1 THEN {dup}\n"
        f"  END AS _final\n"
        f"FROM (SELECT r.*, g._n, g._nd, list_sort([{differ}])[1] AS _d,\n"
        f"      list_sort([{first_key}])[1] AS _k\n"
        f"      FROM _ing_r r LEFT JOIN _ing_g g ON r._e IS NULL AND {on}) r\n"
        f"WINDOW w AS (PARTITION BY r._e IS NULL, {', '.join('r.' + q(k) for k in key)} "
        f"ORDER BY r._source_file, r._row_number)"
    )
    return [groups, final]


def rows_view(con, name: str, parquets: list[str]) -> None:
    """Temp view ``name``: the cached stage-1 rows of ``parquets`` with each row's file path
    and arrival (from ``_ing_paths``)."""
    files = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in parquets) + "]"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT p.*, f.path AS _source_file, "
                f"f.arrival AS _arrival FROM read_parquet({files}) p JOIN _ing_paths f "
                f"ON p._file_sha256 = f.sha256")


def judge_rows(con, source: Source, parquets: list[str]) -> None:
    """``_ing_p`` over ``parquets`` (files registered as ``_ing_files``) and ``_ing_r``, each
    row's first error over both stages (see ``errors_sql``)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _ing_paths AS SELECT * FROM _ing_files")
    rows_view(con, "_ing_p", parquets)
    if source.name == "dibao_households":
        con.execute(STANDARD_SQL)
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW _ing_s AS SELECT * FROM _ing_p")
    con.execute(errors_sql(source))
