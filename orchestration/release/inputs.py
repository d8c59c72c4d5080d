"""What a release is made of, read from the warehouse in one short read-only session."""

from __future__ import annotations

import polars as pl

from ingest.contract import SOURCES
from ingest.periods import Period
from orchestration.quality.gate import MART, ROSTER_SOURCES, months_sql


def _mart_rows(con, periods: list[str]) -> pl.DataFrame:
    """The mart's rows of these periods with the columns of rows.COLUMNS, in that order."""
    marks = ", ".join("?" * len(periods))
    return pl.from_arrow(con.sql(
        f"""
        select m.period, m.region_code, m.region_name, m.region_level, m.indicator,
               m.indicator_name, m.domain, m.breakdown, m.value, m.unit, c.value_kind,
               m.numerator, m.denominator
        from {MART} m left join indicator_catalogue c using (indicator)
        where m.period in ({marks})
        order by m.period, m.region_code, m.indicator, m.breakdown
        """,
        params=periods,
    ).to_arrow_table())


def indicator_frames(con, period: Period) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the period's indicator rows, the same indicators for each month of the period)."""
    return _mart_rows(con, [period.code]), _mart_rows(con, period.month_codes())


def collect_manifest(con, period: Period) -> dict:
    inputs = con.execute(
        """select path, source, sha256, status, reason, rows_read, rows_loaded, rows_quarantined
           from raw.files order by source, path"""
    ).fetchall()
    reasons: dict[str, dict[str, int]] = {}
    for source, reason, n in con.execute(
        "select source, reason, count(*) from raw.quarantine group by 1, 2 order by 1, 2"
    ).fetchall():
        reasons.setdefault(source, {})[reason] = n
    return {
        "period": period.code,
        "inputs": [
            dict(zip(["path", "source", "sha256", "status", "reason", "rows_read",
                      "rows_loaded", "rows_quarantined"], row, strict=True))
            for row in inputs
        ],
        "quarantine_reasons": reasons,
        "source_agencies": {name: src.agency for name, src in SOURCES.items()},
        "completeness": completeness(con, period),
    }


def completeness(con, period: Period) -> dict[str, dict[str, dict[str, int]]]:
    """{source: {township: {month: loaded rows}}} for the monthly roster sources."""
    months = months_sql(period)
    grid: dict[str, dict[str, dict[str, int]]] = {}
    for name in ROSTER_SOURCES:
        rows = con.execute(
            f"""
            select t.region_code, strftime(m.month, '%Y-%m'), count(r.region_code)
            from raw.regions t
            cross join (select unnest([{months}]) as month) m
            left join raw.regions v on v.parent_code = t.region_code
            left join raw.{name} r on r.region_code = v.region_code and r.month = m.month
            where t.level = 'township'
            group by 1, 2 order by 1, 2
            """
        ).fetchall()
        for township, month, n in rows:
            grid.setdefault(name, {}).setdefault(township, {})[month] = n
    return grid
