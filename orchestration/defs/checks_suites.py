"""Great Expectations suites as blocking asset checks: one per source, one on the mart."""

import dagster as dg

from ingest.contract import LOAD_ORDER
from orchestration.defs.keys import MART_KEY, raw_key
from orchestration.defs.resources import Warehouse
from orchestration.memory import free_memory
from orchestration.quality.suites import (
    mart_batch_sql,
    mart_expectations,
    validate_query,
    validate_source,
)


def to_result(res) -> dg.AssetCheckResult:
    detail = "; ".join(f"{f['expectation']}({f['column']}): {f['unexpected']}"
                       for f in res.failures)
    validated = {} if res.validated is None else {
        "rows_validated_now": dg.MetadataValue.int(res.validated)}
    return dg.AssetCheckResult(
        passed=res.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": dg.MetadataValue.int(res.rows), **validated,
                  "detail": dg.MetadataValue.text(detail or "ok"),
                  "failures": dg.MetadataValue.json(res.failures)},
    )


def build_source_suite(source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=raw_key(source), name="gx_suite", blocking=True,
                    description=f"GX: types, ranges, code lists and ID format of raw.{source}")
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            res = validate_source(con, source)
        free_memory(res.validated or 0)
        return to_result(res)

    return _check


@dg.asset_check(asset=MART_KEY, name="gx_suite", blocking=True,
                description="GX: rates 0–100, coverage 0–30 %, counts ≥ 0, value = "
                            "numerator ÷ denominator")
def mart_suite(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        res = validate_query("fct_indicators", con, mart_batch_sql(), mart_expectations())
    return to_result(res)


defs = dg.Definitions(asset_checks=[*(build_source_suite(s) for s in LOAD_ORDER), mart_suite])
