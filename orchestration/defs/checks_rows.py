"""The check on the ingest: nothing lost, nothing counted twice (one per raw table).

Evaluated inside the ingest step (orchestration/defs/assets_ingest.py), right after its
source is loaded, on the same connection.
"""

import dagster as dg

from orchestration.defs.keys import raw_key

NAME = "rows_accounted"


def rows_accounted(con, source: str) -> list[tuple[str, int, int, int]]:
    """Files of `source` where rows read != rows loaded + rows quarantined (should be none).

    Loaded and quarantined rows are counted in the tables themselves, not taken from the
    file registry's own counters, so a loader bug that drops rows is caught here.
    """
    return con.execute(
        f"""
        with loaded as (
            select _file_sha256 as sha256, count(*) as n from raw.{source} group by 1
        ), quarantined as (
            select file_sha256 as sha256, count(*) as n from raw.quarantine
            where source = ? and row_number is not null group by 1
        )
        select f.path, f.rows_read, coalesce(l.n, 0), coalesce(q.n, 0)
        from raw.files f
        left join loaded l using (sha256)
        left join quarantined q using (sha256)
        where f.source = ? and f.rows_read != coalesce(l.n, 0) + coalesce(q.n, 0)
        order by f.path
        """,
        [source, source],
    ).fetchall()


def rows_accounted_spec(source: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        NAME, asset=raw_key(source), blocking=True,
        description="Every data row read from a file is either loaded or quarantined, once.",
    )


def rows_accounted_result(con, source: str) -> dg.AssetCheckResult:
    """The check's verdict on raw.<source>; the files not accounted for as metadata."""
    bad = rows_accounted(con, source)
    return dg.AssetCheckResult(
        asset_key=raw_key(source), check_name=NAME,
        passed=not bad,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "files_not_accounted": dg.MetadataValue.json(
                [{"path": p, "read": r, "loaded": ld, "quarantined": q} for p, r, ld, q in bad]
            )
        },
    )
