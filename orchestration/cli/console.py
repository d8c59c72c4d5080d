"""Plain-language console summaries for the data team (counts only, never row contents)."""

import shlex
import sys
from pathlib import Path

import duckdb

from ingest.periods import parse_period
from ingest.warehouse_layout import WarehouseLayout
from orchestration.settings import DB_FILE


def ingest_summary(warehouse: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(per-source counts, quarantine by source and reason, rejected files) from the warehouse."""
    with duckdb.connect(str(Path(warehouse) / DB_FILE), read_only=True) as con:
        per_source = con.execute(
            """select source, count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined)
               from raw.files group by 1 order by 1"""
        ).fetchall()
        reasons = con.execute(
            """select source, reason, count(*) from raw.quarantine
               group by 1, 2 order by 1, 2"""
        ).fetchall()
        rejected = con.execute(
            """select path, reason, detail from raw.files
               where status = 'rejected' order by path"""
        ).fetchall()
    return per_source, reasons, rejected


def print_ingest_summary(warehouse: Path) -> None:
    db = Path(warehouse) / DB_FILE
    if not db.exists():
        print("仓库中尚无数据 nothing loaded yet")
        return
    per_source, reasons, rejected = ingest_summary(warehouse)
    print(
        f"{'来源 source':<24}{'文件 files':>10}{'读取 read':>12}{'入库 loaded':>13}"
        f"{'隔离 quarantined':>18}"
    )
    for source, files, read, loaded, quarantined in per_source:
        print(f"{source:<24}{files:>10,}{read:>12,}{loaded:>13,}{quarantined:>18,}")
    if reasons:
        print("\n隔离原因 quarantine reasons:")
        for source, reason, n in reasons:
            print(f"  {source:<24}{reason:<24}{n:>8,}")
    print_ignored(warehouse)
    if rejected:
        print("\n整份退回的文件 rejected files:")
        for path, reason, detail in rejected:
            print(f"  {path}: {reason} — {detail}")
    print(f"\n隔离明细 quarantine details for clerks: {Path(warehouse) / 'quarantine'}/")


def print_ignored(warehouse: Path) -> None:
    """What the last ingest did not read (links, sub-folders, odd or missing folders)."""
    db = Path(warehouse) / DB_FILE
    if not db.exists():
        return
    with duckdb.connect(str(db), read_only=True) as con:
        if not con.execute("select count(*) from information_schema.tables where "
                           "table_schema = 'raw' and table_name = 'inbox_ignored'").fetchone()[0]:
            return
        rows = con.execute("select entry, why from raw.inbox_ignored order by 1").fetchall()
    missing = [e for e, why in rows if why.startswith("文件夹不存在")]
    others = [(e, why) for e, why in rows if not why.startswith("文件夹不存在")]
    if others:
        print("\n收件箱中未读取的条目 inbox entries not read:")
        for entry, why in others:
            print(f"  {entry}: {why}")
    if missing:
        print(f"收件箱中没有这些来源的文件夹 no folder for: {', '.join(missing)}")


def print_published(warehouse: Path, period: str, run_id: str) -> None:
    """The release path and headline figures, read from the published release (not the
    database)."""
    from orchestration.release import read_view

    folder = WarehouseLayout(warehouse).published.resolve() / parse_period(period).folder_name
    print(f"\n已发布 published {period} (run {run_id}): {folder}")
    view = read_view(folder, top_only=True)
    headline = [
        ("dibao_person_months", "urban"), ("dibao_funds", "urban"),
        ("dibao_avg_subsidy", "urban"), ("dibao_person_months", "rural"),
        ("dibao_funds", "rural"), ("dibao_avg_subsidy", "rural"),
        ("dibao_coverage_rate", "urban"), ("dibao_coverage_rate", "rural"),
        ("tekun_persons_end", "total"), ("temp_assist_cases", "total"),
        ("disaster_affected_persons", "total"), ("veterans_persons_end", "total"),
    ]
    for indicator, breakdown in headline:
        r = view.row(indicator, breakdown)
        if r:
            print(f"  {r.indicator_name}({breakdown}): {r.text} {r.unit}")
    print(f"  汇总稿 summary draft: {folder / 'summary.md'}")
    print(f"  领导驾驶舱 dashboards: {folder / 'dashboards' / 'overview.html'}")
    print(f"  发布目录 all releases: {folder.parent / 'index.html'}")


def print_blocked(instance, run_id: str, warehouse: Path, period: str = "P") -> bool:
    """Name every failing check and rejected file, and the waive command of each gate check
    that blocked (this warehouse and `period` filled in); False when no check failed."""
    from orchestration.quality.decision import gate_decision, run_check_evaluations
    from orchestration.quality.gate import GATE_CHECKS, MART

    checks, _ = gate_decision(run_check_evaluations(instance, run_id))
    failed_errors = [c for c in checks if not c["passed"] and c["severity"] == "error"
                     and not c["waived"]]
    if not failed_errors:
        return False
    print(f"\n质量检查未通过，本期未发布 the gate blocked publishing (run {run_id}); "
          "the previous release, if any, is unchanged.", file=sys.stderr)
    for c in failed_errors:
        print(f"  ✗ [{c['severity']}] {c['asset']} · {c['name']}: {c['description']}\n"
              f"      {c['detail']}", file=sys.stderr)
    for c in checks:
        if not c["passed"] and (c["severity"] == "warning" or c["waived"]):
            tag = "waived" if c["waived"] else "warning"
            print(f"  ! [{tag}] {c['name']}: {c['detail']}", file=sys.stderr)
    db = Path(warehouse) / DB_FILE
    if db.exists():
        _, _, rejected = ingest_summary(warehouse)
        for path, reason, detail in rejected:
            print(f"  退回文件 rejected file {path}: {reason} — {detail}", file=sys.stderr)
    # `civstat waive` takes the gate's checks, which the gate reports on the indicator mart
    waivable = [c for c in failed_errors if c["asset"] == MART and c["name"] in GATE_CHECKS]
    if waivable:
        print("  审核后如需发布，逐项豁免 to publish anyway after review, waive each check that "
              "blocked:", file=sys.stderr)
        for name in sorted({c["name"] for c in waivable}):
            print(f"    civstat waive --warehouse {shlex.quote(str(warehouse))} "
                  f"--period {period} --check {name} --reason \"…\" --by 姓名", file=sys.stderr)
    if len(waivable) < len(failed_errors):
        print("  质量关口以外的检查（dbt 测试、数据源的检查）不能豁免：请更正数据或模型后重新运行 / "
              "checks other than the gate's (dbt tests, the sources' checks) cannot be waived: "
              "correct the data or the model, then run again", file=sys.stderr)
    return True
