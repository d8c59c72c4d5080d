"""One asset per inbox source: parse, validate, quarantine and load into `raw.<source>`."""

import dagster as dg

from ingest.contract import LOAD_ORDER, SOURCES
from orchestration.defs.keys import INGEST_GROUP, raw_key
from orchestration.defs.resources import Warehouse
from orchestration.memory import free_memory


def _report_metadata(report) -> dict:
    """Counts only: file paths, numbers and reason codes (never a row's content)."""
    return {
        "files": dg.MetadataValue.int(len(report.files)),
        "rows_read": dg.MetadataValue.int(report.rows_read),
        "rows_loaded": dg.MetadataValue.int(report.rows_loaded),
        "rows_quarantined": dg.MetadataValue.int(report.rows_quarantined),
        "quarantine_reasons": dg.MetadataValue.json(dict(sorted(report.reasons.items()))),
        "rejected_files": dg.MetadataValue.json(
            [{"path": f.path, "reason": f.reason} for f in report.files if f.status == "rejected"]
        ),
    }


def build_ingest_asset(source: str) -> dg.AssetsDefinition:
    src = SOURCES[source]

    @dg.asset(
        key=raw_key(source),
        group_name=INGEST_GROUP,
        deps=[raw_key(d) for d in src.depends_on],
        description=f"{src.zh} ({source}): inbox/{source}/ parsed, validated and loaded; "
        "rejected rows go to raw.quarantine.",
        kinds={"duckdb", "polars"},
        metadata={"source_agency": src.agency},
        retry_policy=dg.RetryPolicy(max_retries=2, delay=5),
        pool="warehouse",
    )
    def _ingest(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        from ingest.pipeline import ingest_source

        with warehouse.connect() as con:
            report = ingest_source(source, warehouse.inbox_dir, warehouse.dir, con)
        free_memory(report.rows_read)
        for line in report.summary_lines():
            context.log.info(line)
        return dg.MaterializeResult(metadata=_report_metadata(report))

    return _ingest


ingest_assets = [build_ingest_asset(s) for s in LOAD_ORDER]


defs = dg.Definitions(assets=ingest_assets)
