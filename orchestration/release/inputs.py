"""What a release is made of, read from the warehouse in one short read-only session."""

from __future__ import annotations

import duckdb
import polars as pl

from ingest.contract import SOURCES
from ingest.periods import Period
from ingest.redact import file_label
from orchestration.quality.gate import MART, completeness_grid, quarantine_of_period


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
    """(the period's indicator rows, the same indicators for each month of the period); for a
    month, one frame twice (its one month is the period)."""
    rows = _mart_rows(con, [period.code])
    months = period.month_codes()
    return rows, rows if months == [period.code] else _mart_rows(con, months)


def collect_manifest(con, period: Period) -> dict:
    inputs = con.execute(
        """select path, source, sha256, status, reason, rows_read, rows_loaded, rows_quarantined
           from raw.files order by source, path"""
    ).fetchall()
    reasons: dict[str, dict[str, int]] = {}
    of_period: dict[str, dict[str, int]] = {}
    for source, reason, n, counted in con.execute(
        f"select source, reason, count(*), count(*) filter ({quarantine_of_period(period)}) "
        "from raw.quarantine group by 1, 2 order by 1, 2"
    ).fetchall():
        reasons.setdefault(source, {})[reason] = n
        if counted:
            of_period.setdefault(source, {})[reason] = counted
    return {
        "period": period.code,
        "inputs": [
            dict(zip(["path", "source", "sha256", "status", "reason", "rows_read",
                      "rows_loaded", "rows_quarantined"], row, strict=True))
            for row in inputs
        ],
        "quarantine_reasons": reasons,  # every quarantined row of the warehouse
        "quarantine_reasons_period": of_period,  # those that count for the period (gate §7)
        "source_agencies": {name: src.agency for name, src in SOURCES.items()},
        "completeness": completeness(con, period),
        "completeness_expected": completeness_expected(con, period),
        "ignored": ignored_entries(con),
    }


def ignored_entries(con) -> list[dict]:
    """Inbox entries that were not read (issue 16: a symlink with its target, a sub-folder, a
    missing source folder, a file where a folder should be): [{source, entry, why}], the entry
    as a file label (ingest/redact.py) since a file name may hold a person's name."""
    try:
        rows = con.execute("select source, entry, why from raw.inbox_ignored order by 1, 2"
                           ).fetchall()
    except duckdb.Error:  # a warehouse from before the table existed
        return []
    return [{"source": s, "entry": file_label(e), "why": w} for s, e, w in rows]


def completeness(con, period: Period) -> dict[str, dict[str, dict[str, int]]]:
    """{source: {township: {month: loaded rows}}} for the roster sources, from the gate's
    grid (quality/gate.py ``completeness_grid``, the one home of the rule)."""
    grid: dict[str, dict[str, dict[str, int]]] = {}
    for c in completeness_grid(con, period):
        grid.setdefault(c["source"], {}).setdefault(c["township"], {})[c["month"]] = c["rows"]
    return grid


def completeness_expected(con, period: Period) -> dict[str, list[str]]:
    """{source: [townships expected to report every month of the period]} (same grid)."""
    out: dict[str, list[str]] = {}
    for c in completeness_grid(con, period):
        if c["expected"] and c["township"] not in out.setdefault(c["source"], []):
            out[c["source"]].append(c["township"])
    return out
