"""The quality gate of indicators.md §7 as plain functions over the warehouse.

Each check returns an `Outcome`; the Dagster asset checks (orchestration/defs/checks_gate.py)
wrap them, and the release asset refuses to publish while an unwaived error fails
(quality/decision.py).
Only counts, codes and file labels (`ingest.redact.file_label`: source folder and content
hash, never a file's own name) appear in details — never a row's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ingest.contract import SOURCES
from ingest.periods import Period
from ingest.redact import file_label, scrub

ERROR, WARNING = "error", "warning"
QUARANTINE_LIMIT = 0.01  # 1 % of a source's rows in the period
QUARANTINE_MIN_ROWS = 3  # v2: and at least 3 rows (a lone bad row in a small list only warns)
SWING_LIMIT = 0.30  # month-over-month change of a township's dibao persons
COVERAGE_RANGE = (0.0, 30.0)
MART = "fct_indicators"
SLOTS = "intermediate.int_indicator_slots_enumerated"  # dbt: the count/sum rows owed


def roster_sources() -> tuple[str, ...]:
    """Monthly rosters whose reporting completeness is checked per township: the sources
    declared with ``completeness=True`` (ingest/sources/)."""
    return tuple(name for name, src in SOURCES.items() if src.completeness and src.monthly)


@dataclass
class Outcome:
    name: str
    severity: str  # the severity when it fails
    passed: bool
    description: str
    detail: str = ""
    items: list = field(default_factory=list)  # what failed, for metadata and the manifest


DESCRIPTIONS = {
    "files_rejected": "没有整份退回的文件 no file rejected (missing column, unreadable, total_mismatch)",
    "quarantine_share": "各来源隔离行不超过本期行数的1% quarantined rows ≤ 1 % of a source's rows",
    "reporting_completeness": "乡镇逐月报送完整 every township that reports in the period or the "
                              "month before it reports every month of the period",
    "coverage_rate_range": "乡镇低保率在0–30%之间 township dibao coverage within 0–30 %",
    "dibao_persons_swing": "乡镇低保人数环比变化不超过30% township dibao persons change ≤ 30 %/month",
    "dual_benefits": "无重复享受低保和特困 no person in both tekun and dibao in a month",
    "suspected_ineligible": "无疑似错保户 no household above its standard in the last month",
    "indicator_rows_complete": "每个区划、指标、口径都有发布行 every expected indicator row present",
    "cremated_without_death_record": "无火化未注销户籍人员 no local cremation without a death record",
    "paid_after_death": "无死亡后仍发放 no payment for a month after the person's death",
    "medical_beneficiary_unmatched": "医疗救助对象身份相符 medical assistance beneficiaries on their roster",
    "members_mismatch": "低保家庭成员与保障人数一致 covered members match covered_persons",
}
SEVERITY = {
    "files_rejected": ERROR,
    "quarantine_share": ERROR,
    "reporting_completeness": ERROR,
    "coverage_rate_range": ERROR,
    "dibao_persons_swing": WARNING,
    "dual_benefits": WARNING,
    "suspected_ineligible": WARNING,
    "indicator_rows_complete": ERROR,
    "cremated_without_death_record": WARNING,
    "paid_after_death": WARNING,
    "medical_beneficiary_unmatched": WARNING,
    "members_mismatch": WARNING,
}
GATE_CHECKS = tuple(DESCRIPTIONS)


def _outcome(name: str, passed: bool, detail: str, items: list, severity: str | None = None):
    return Outcome(name, severity or SEVERITY[name], passed, DESCRIPTIONS[name], detail, items)


def months_sql(period: Period) -> str:
    """The period's months as a DuckDB list of DATE literals (for `in (...)`)."""
    return ", ".join(f"DATE '{m.isoformat()}'" for m in period.months)


def month_before_sql(period: Period) -> str:
    """The month just before the period as a DuckDB DATE expression: its first month's new
    and exited households are counted against it, and a township that reported then is
    expected to report (reporting completeness)."""
    return f"(DATE '{period.months[0].isoformat()}' - INTERVAL 1 MONTH)"


def check_files_rejected(con, period: Period) -> Outcome:
    """Rejected files whose rows (as far as they could be read) touch the period.

    A rejected file whose months are known blocks the periods holding those months, and
    the month just before the period: the first month's new, exited, raised and lowered
    households (and 高龄津贴's new and ended persons) are counted against it. A file whose
    months cannot be known (unreadable) blocks every period — except in a monthly roster
    source, where it is a warning: there the reporting-completeness check already blocks a
    period that lacks any township-month the file might have held.
    """
    monthly = [name for name, src in SOURCES.items() if src.monthly]
    rows = con.execute(
        f"""
        select path, sha256, reason, coalesce(detail, ''), source,
               months is null or json_array_length(months) = 0 as unknown
        from raw.files
        where status = 'rejected' and (
            months is null or json_array_length(months) = 0
            or exists (
                select 1 from (select unnest(cast(months as varchar[])) as m)
                where try_cast(m || '-01' as date) in ({months_sql(period)},
                                                       {month_before_sql(period)})
            )
        )
        order by path
        """
    ).fetchall()
    # a file by its label, never its own name (a clerk names files after people; release.md
    # "Privacy"): the detail goes into Dagster's metadata, the manifest and the pages
    items = [{"path": (label := file_label(p, sha)), "reason": r,
              "detail": scrub(d.replace(p, label).replace(p.rsplit("/", 1)[-1], label)),
              "severity": WARNING if unknown and source in monthly else ERROR}
             for p, sha, r, d, source, unknown in rows]
    detail = "; ".join(f"{i['path']}: {i['reason']}" for i in items)
    if any(i["severity"] == ERROR for i in items):
        return _outcome("files_rejected", False, detail, items)
    return _outcome("files_rejected", not items, detail, items,
                    severity=WARNING if items else ERROR)


def quarantine_of_period(period: Period) -> str:
    """SQL condition on `raw.quarantine`: the rows that count for `period` (indicators.md §7's
    share; the manifest's `quarantine_reasons_period` and the quality page): a monthly
    source's rows of the period's months or of no known month, every row of another source."""
    monthly = ", ".join(f"'{name}'" for name, src in SOURCES.items() if src.monthly)
    return (f"(source not in ({monthly}) or month is null "
            f"or month in ({months_sql(period)}))")


def check_quarantine_share(con, period: Period) -> Outcome:
    items = []
    counted = quarantine_of_period(period)
    for name, src in SOURCES.items():
        quarantined = con.execute(
            f"select count(*) from raw.quarantine where source = ? and {counted}", [name]
        ).fetchone()[0]
        if src.monthly:
            in_period = f"month in ({months_sql(period)})"
            loaded = con.execute(f"select count(*) from raw.{name} where {in_period}").fetchone()[0]
        else:
            loaded = con.execute(f"select count(*) from raw.{name}").fetchone()[0]
        total = loaded + quarantined
        if quarantined:
            share = quarantined / total
            items.append({"source": name, "quarantined": quarantined, "rows": total,
                          "share_pct": round(share * 100, 2),
                          "severity": ERROR if share > QUARANTINE_LIMIT
                          and quarantined >= QUARANTINE_MIN_ROWS else WARNING})
    errors = [i for i in items if i["severity"] == ERROR]
    # the sources over the limit marked: a detail lists every source with a quarantined row
    detail = "; ".join(f"{i['source']}: {i['quarantined']}/{i['rows']} = {i['share_pct']}%"
                       + (" (超过 over 1 %)" if i["severity"] == ERROR else "") for i in items)
    if errors:
        return _outcome("quarantine_share", False, detail, items)
    # Only warnings: the check fails at warning severity (reported, not blocking).
    return _outcome("quarantine_share", not items, detail, items,
                    severity=WARNING if items else ERROR)


def completeness_grid(con, period: Period) -> list[dict]:
    """The one reporting-completeness grid (indicators.md §7), used by the gate and the
    release (manifest, quality page): per roster source (``roster_sources()``), township of
    the regions file and month of the period, ``{"source", "township", "month" ('YYYY-MM'),
    "rows" (loaded rows), "expected"}``. A township is expected to report every month of
    the period when it has rows in some month of the period or in the month before it (v2).
    """
    months = months_sql(period)
    before = month_before_sql(period)
    out = []
    for name in roster_sources():
        src = SOURCES[name]
        if src.region_from:
            other, column = src.region_from
            rows = (f"select o.region_code, r.month from raw.{name} r "
                    f"join (select distinct {column}, region_code from raw.{other}) o "
                    f"on o.{column} = r.{column}")
        else:
            rows = f"select region_code, month from raw.{name}"
        out += [dict(zip(("source", "township", "month", "rows", "expected"), (name, *row),
                         strict=True)) for row in con.execute(
            f"""
            with present as (
                select v.parent_code as township, r.month, count(*) as n
                from ({rows}) r join raw.regions v on v.region_code = r.region_code
                where r.month in ({months}) or r.month = {before}
                group by 1, 2
            ), months as (select unnest([{months}]) as month)
            select t.region_code, strftime(m.month, '%Y-%m'), coalesce(p.n, 0),
                   t.region_code in (select township from present)
            from raw.regions t cross join months m
            left join present p on p.township = t.region_code and p.month = m.month
            where t.level = 'township'
            order by 1, 2
            """
        ).fetchall()]
    return out


def check_reporting_completeness(con, period: Period) -> Outcome:
    items = [{"source": c["source"], "township": c["township"], "month": c["month"]}
             for c in completeness_grid(con, period) if c["expected"] and not c["rows"]]
    detail = "; ".join(f"{i['source']} {i['township']} {i['month']}" for i in items)
    return _outcome("reporting_completeness", not items, detail, items)


def check_members_mismatch(con, period: Period) -> Outcome:
    """Households of the period's last month whose covered members in dibao_members differ
    from covered_persons (indicators v2 §7), as dbt's int_dibao_members_mismatched finds them:
    counts by township only, never a household's content."""
    built = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'intermediate' "
        "and table_name = 'int_dibao_members_mismatched'").fetchone()[0]
    if not built:  # dbt has not run on this warehouse: nothing to compare yet
        return _outcome("members_mismatch", True, "未构建 / model not built", [])
    rows = con.execute(
        "select township_code, count(*) from intermediate.int_dibao_members_mismatched "
        "where period = ? group by 1 order by 1", [period.code]).fetchall()
    items = [{"township": t, "households": n} for t, n in rows]
    detail = "; ".join(f"{i['township']}: {i['households']} 户" for i in items)
    return _outcome("members_mismatch", not items, detail, items)


def _mart(con, period: Period, indicator: str, level: str | None = None):
    level_sql = "and region_level = ?" if level else ""
    params = [period.code, indicator] + ([level] if level else [])
    return con.execute(
        f"""select region_code, breakdown, value from {MART}
            where period = ? and indicator = ? {level_sql} order by 1, 2""",
        params,
    ).fetchall()


def check_coverage_rate_range(con, period: Period) -> Outcome:
    lo, hi = COVERAGE_RANGE
    rows = _mart(con, period, "dibao_coverage_rate", "township")
    items = [{"township": r, "breakdown": b, "value": float(v)} for r, b, v in rows
             if v is not None and not lo <= float(v) <= hi]
    detail = "; ".join(f"{i['township']} {i['breakdown']}: {i['value']}%" for i in items)
    return _outcome("coverage_rate_range", not items, detail, items)


def check_dibao_persons_swing(con, period: Period) -> Outcome:
    codes = period.month_codes()
    if len(codes) < 2:
        return _outcome("dibao_persons_swing", True, "single month", [])
    rows = con.execute(
        f"""select region_code, period, value from {MART}
            where indicator = 'dibao_persons_end' and breakdown = 'total'
              and region_level = 'township' and period in ({", ".join("?" * len(codes))})
            order by 1, 2""",
        codes,
    ).fetchall()
    by_township: dict[str, dict[str, float]] = {}
    for region, month, value in rows:
        by_township.setdefault(region, {})[month] = float(value)
    def files(region: str, month: str) -> list[str]:
        """The roster files that hold the township's loaded rows of the month (issue 11: the
        warning names the file that moved, a second line of defence against a reader fault),
        each by its published label (folder + content hash; a file name may hold a name)."""
        try:
            return [file_label(*r) for r in con.execute(
                """select distinct _source_file, _file_sha256 from raw.dibao_households
                   where substr(region_code, 1, 9) || '000' = ? and strftime(month, '%Y-%m') = ?
                   order by 1""", [region, month]).fetchall()]
        except duckdb.Error:  # no raw layer (a mart-only database)
            return []

    items = []
    for region, series in sorted(by_township.items()):
        for prev, cur in zip(codes, codes[1:], strict=False):
            a, b = series.get(prev), series.get(cur)
            if a and b is not None and abs(b - a) / a > SWING_LIMIT:
                items.append({"township": region, "from": prev, "to": cur,
                              "persons_before": a, "persons_after": b,
                              "files_before": files(region, prev), "files": files(region, cur)})
    detail = "; ".join(
        f"乡镇 {i['township']} {i['to']}月低保人数 {i['persons_before']:.0f}→"
        f"{i['persons_after']:.0f}（{i['from']}→{i['to']}），文件："
        f"{'、'.join(i['files']) or '无'}（上月：{'、'.join(i['files_before']) or '无'}） / "
        f"township {i['township']} {i['from']}→{i['to']}" for i in items)
    return _outcome("dibao_persons_swing", not items, detail, items)


def _district_value(con, period: Period, indicator: str) -> float:
    rows = _mart(con, period, indicator, "district")
    return sum(float(v) for _, b, v in rows if b == "total" and v is not None)


def check_dual_benefits(con, period: Period) -> Outcome:
    n = _district_value(con, period, "dual_benefit_persons")
    return _outcome("dual_benefits", n == 0, f"{n:.0f} 人 persons", [{"persons": n}] if n else [])


def check_suspected_ineligible(con, period: Period) -> Outcome:
    n = _district_value(con, period, "dibao_suspected_ineligible")
    return _outcome("suspected_ineligible", n == 0, f"{n:.0f} 户 households",
                    [{"households": n}] if n else [])


def check_cremated_without_death_record(con, period: Period) -> Outcome:
    """indicators v2 §5c/§7: local cremations of the period whose ID has no row in deaths."""
    n = _district_value(con, period, "cremated_without_death_record")
    return _outcome("cremated_without_death_record", n == 0, f"{n:.0f} 人 persons",
                    [{"persons": n}] if n else [])
def _findings_by_township(con, period: Period, indicator: str) -> list[dict]:
    """The non-zero township rows of a §5c finding (the quality page lists them)."""
    return [{"township": r, "breakdown": b, "value": float(v)}
            for r, b, v in _mart(con, period, indicator, "township") if v]


def check_paid_after_death(con, period: Period) -> Outcome:
    """indicators v2 §5c/§7: persons paid for a month after their death (warning)."""
    n = _district_value(con, period, "paid_after_death_persons")
    funds = _district_value(con, period, "paid_after_death_funds")
    items = _findings_by_township(con, period, "paid_after_death_persons") if n else []
    return _outcome("paid_after_death", n == 0, f"{n:.0f} 人、{funds:.2f} 万元 persons, 10k yuan",
                    items or ([{"persons": n}] if n else []))


def check_medical_beneficiary_unmatched(con, period: Period) -> Outcome:
    """indicators v2 §5c/§7: settlements whose dibao/tekun beneficiary is not on that roster."""
    n = _district_value(con, period, "medical_beneficiary_unmatched")
    items = _findings_by_township(con, period, "medical_beneficiary_unmatched") if n else []
    return _outcome("medical_beneficiary_unmatched", n == 0, f"{n:.0f} 人次 settlements",
                    items or ([{"settlements": n}] if n else []))


def check_indicator_rows_complete(con, period: Period) -> Outcome:
    """Counts and sums must have a row for every region and listed breakdown.

    They are published even when nothing counts (0). The slots come from dbt's
    `int_indicator_slots_enumerated`, the one home of that rule (standards, rates and ratios
    have a row only where there is data, so they have no slots).
    """
    missing = con.execute(
        f"""
        select e.region_code, e.indicator, e.breakdown from {SLOTS} e
        where e.period = ? and not exists (
            select 1 from {MART} m where m.period = e.period and m.region_code = e.region_code
              and m.indicator = e.indicator and m.breakdown = e.breakdown
        )
        order by 1, 2, 3
        """,
        [period.code],
    ).fetchall()
    items = [{"region": r, "indicator": i, "breakdown": b} for r, i, b in missing]
    detail = f"{len(items)} rows missing" + (
        ": " + "; ".join(f"{i['region']} {i['indicator']} {i['breakdown']}" for i in items[:20])
        if items else ""
    )
    return _outcome("indicator_rows_complete", not items, detail, items)


CHECK_FUNCTIONS = {
    "files_rejected": check_files_rejected,
    "quarantine_share": check_quarantine_share,
    "reporting_completeness": check_reporting_completeness,
    "coverage_rate_range": check_coverage_rate_range,
    "dibao_persons_swing": check_dibao_persons_swing,
    "dual_benefits": check_dual_benefits,
    "suspected_ineligible": check_suspected_ineligible,
    "indicator_rows_complete": check_indicator_rows_complete,
    "cremated_without_death_record": check_cremated_without_death_record,
    "paid_after_death": check_paid_after_death,
    "medical_beneficiary_unmatched": check_medical_beneficiary_unmatched,
    "members_mismatch": check_members_mismatch,
}


def run_gate(con, period: Period) -> list[Outcome]:
    return [fn(con, period) for fn in CHECK_FUNCTIONS.values()]
