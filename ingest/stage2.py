"""Stage 2 in DuckDB: date windows, cross-source rules, first error from the left, duplicates.

Input is the view ``_ing_p`` (every cached stage-1 row of the source's current files, with
``_source_file`` and ``_arrival``) and ``_ing_s`` (the same, with the columns the source's
lookups need: ``Source.judged_sql``, e.g. dibao_households' standard in force; it must keep
each row of ``_ing_p`` exactly once). Output is the narrow table ``_ing_f``: (_file_sha256,
_rid, _row_number, _final), ``_final`` being the one error struct {pos, col, reason,
detail} that names the row (null = the row loads). Only narrow
tables are materialised; wide rows are read from parquet. The engine is generic: each
source declares its lookups and date floors in ``ingest/sources/<source>.py``.
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


def _window(source: Source) -> list[tuple[str, str, str]]:
    out = []
    for c in source.columns:
        col = f"s.{q(c.name)}"
        if c.kind is Kind.MONTH:
            cond = f"{col} < DATE '2000-01-01' OR {col} > date_trunc('month', s._arrival)::DATE"
        elif c.kind is Kind.DATE:
            cond = (f"{col} < DATE '{source.date_floor(c.name)}-01-01' OR "
                    f"{col} > s._arrival::DATE")
        elif c.kind is Kind.DATETIME:
            cond = f"{col} < TIMESTAMP '2000-01-01' OR {col} > s._arrival"
        elif c.kind is Kind.YEAR:
            cond = f"{col} > year(s._arrival) + 1"
        else:
            continue
        floor = source.date_floor(c.name)
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
            f"LEFT JOIN (SELECT DISTINCT region_code AS rc FROM raw.regions WHERE level IN ("
            f"{', '.join(_lit(lv) for lv in c.level.split('|'))})) {alias} "
            f"ON s.{q(c.name)} = {alias}.rc")  # a level may be 'township|district' (v2)
        level_zh = "或".join({VILLAGE: "村居", TOWNSHIP: "乡镇街道", DISTRICT: "区县"}[lv]
                            for lv in c.level.split("|"))
        detail = (f"'区划代码 ' || s.{q(c.name)} || ' 不是区划表中的{level_zh}一级代码 / "
                  f"not a {c.level.replace('|', ' or ')} code of the regions table'")
        errs.append(_when(f"s.{q(c.name)} IS NOT NULL AND {alias}.rc IS NULL",
                          _err(c.name, "unknown_region", detail, source)))
    return joins, errs


def _lookups(source: Source) -> tuple[list[str], list[str]]:
    """Joins and errors of the source's lookups (``Source.lookups``, in its own module)."""
    joins = [lk.join for lk in source.lookups if lk.join]
    errs = [_when(lk.broken, _err(lk.column, lk.reason, lk.detail, source))
            for lk in source.lookups]
    return joins, errs


def errors_sql(source: Source) -> str:
    """SQL creating ``_ing_r`` (narrow): each row's id, key, positions and ``_e``, its first
    error over stage 1 and stage 2 (null when the row passed)."""
    joins, errs = _region_joins(source)
    j2, e2 = _lookups(source)
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
            f"s._source_file, s._file_ord, s._row_number, {keep}, {pos},\n  least({least}) AS _minpos,\n"
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
    # a row outside every key group keeps its first error (or none); only the rows of a group
    # (a few) are numbered in their key's partition, not every row of the source
    final = (
        f"CREATE OR REPLACE TEMP TABLE _ing_f AS\n"
        f"SELECT r._file_sha256, r._rid, r._row_number, r._e AS _final\n"
        f"FROM _ing_r r ANTI JOIN _ing_g g ON r._e IS NULL AND {on}\n"
        f"UNION ALL\n"
        f"SELECT r._file_sha256, r._rid, r._row_number, CASE WHEN r._nd > 1 THEN {conflict}\n"
        f"  WHEN r._n > 1 AND row_number() OVER w > 1 THEN {dup}\n"
        f"  END AS _final\n"
        f"FROM (SELECT r.*, g._n, g._nd,\n"
        f"      CASE WHEN g._nd > 1 THEN list_sort([{differ}])[1] END AS _d,\n"
        f"      CASE WHEN g._n > 1 THEN list_sort([{first_key}])[1] END AS _k\n"
        f"      FROM _ing_r r JOIN _ing_g g ON r._e IS NULL AND {on}) r\n"
        f"WINDOW w AS (PARTITION BY {', '.join('r.' + q(k) for k in key)} "
        f"ORDER BY r._file_ord, r._row_number, r._rid)"
    )
    return [groups, final]


def rows_view(con, name: str, parquets: list[str]) -> None:
    """Temp view ``name``: the cached stage-1 rows of ``parquets`` with each row's file path,
    arrival and ``_file_ord`` (from ``_ing_paths``)."""
    files = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in parquets) + "]"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT p.*, f.path AS _source_file, "
                f"f.arrival AS _arrival, f._file_ord FROM read_parquet({files}) p JOIN _ing_paths f "
                f"ON p._file_sha256 = f.sha256")


def number_files(con) -> None:
    """``_ing_paths``: the files of ``_ing_files`` (sha256, path, arrival) with ``_file_ord``,
    their place in path order. Sorting rows by (_file_ord, _row_number, _rid) is sorting them
    by (_source_file, _row_number, _rid), one path per file, on integers instead of a long
    text; ``_rid`` (the row's place in its parsed file) orders rows of two sheets of one
    workbook that share a row number. The raw tables are written in that order."""
    con.execute("CREATE OR REPLACE TEMP TABLE _ing_paths AS SELECT *, row_number() OVER "
                "(ORDER BY path) AS _file_ord FROM _ing_files")


def judge_rows(con, source: Source, parquets: list[str], where: str = "") -> None:
    """``_ing_p`` over ``parquets`` (files registered as ``_ing_files``) and ``_ing_r``, each
    row's first error over both stages (see ``errors_sql``), for the rows of ``_ing_p`` (alias
    ``p``) where ``where`` holds (every row when empty; a source with ``judged_sql`` judges
    every row: ValueError otherwise)."""
    number_files(con)
    rows_view(con, "_ing_p", parquets)
    if source.judged_sql:
        if where:
            raise ValueError(f"{source.name}: judged_sql judges every row of _ing_p")
        con.execute(source.judged_sql)
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW _ing_s AS SELECT * FROM _ing_p p"
                    + (f" WHERE {where}" if where else ""))
    con.execute(errors_sql(source))
