"""Plain-language console summaries for the data team (counts only, never row contents)."""

from pathlib import Path

import duckdb

from orchestration.resources import DB_FILE


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
    if rejected:
        print("\n整份退回的文件 rejected files:")
        for path, reason, detail in rejected:
            print(f"  {path}: {reason} — {detail}")
    print(f"\n隔离明细 quarantine details for clerks: {Path(warehouse) / 'quarantine'}/")
