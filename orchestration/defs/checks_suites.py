"""Great Expectations suites as blocking asset checks: one per source, one on the mart.

The sources' suites are evaluated inside the ingest step (orchestration/defs/
assets_ingest.py) right after each source is loaded; the mart's is its own check step.
GX itself is imported only when a suite has rows to validate (orchestration/quality/suites.py).
"""

import dagster as dg

from orchestration.defs.keys import MART_KEY, raw_key
from orchestration.defs.resources import Warehouse
from orchestration.memory import free_memory
from orchestration.quality.suites import (
    mart_batch_sql,
    mart_expectations,
    validate_query,
    validate_source,
)

NAME = "gx_suite"


def to_result(res, asset_key: dg.AssetKey | None = None) -> dg.AssetCheckResult:
    detail = "; ".join(f"{f['expectation']}({f['column']}): {f['unexpected']}"
                       for f in res.failures)
    validated = {} if res.validated is None else {
        "rows_validated_now": dg.MetadataValue.int(res.validated)}
    named = {} if asset_key is None else {"asset_key": asset_key, "check_name": NAME}
    return dg.AssetCheckResult(
        **named,
        passed=res.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": dg.MetadataValue.int(res.rows), **validated,
                  "detail": dg.MetadataValue.text(detail or "ok"),
                  "failures": dg.MetadataValue.json(res.failures)},
    )


def source_suite_spec(source: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(NAME, asset=raw_key(source), blocking=True,
                             description=f"GX: types, ranges, code lists and ID format of "
                                         f"raw.{source}")


def source_suite_result(con, source: str) -> dg.AssetCheckResult:
    """The source's suite over its rows not yet validated (needs a writable connection)."""
    res = validate_source(con, source)
    free_memory(res.validated or 0)
    return to_result(res, raw_key(source))


@dg.asset_check(asset=MART_KEY, name=NAME, blocking=True,
                description="GX: rates 0–100, coverage 0–30 %, counts ≥ 0, value = "
                            "numerator ÷ denominator")
def mart_suite(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        res = validate_query("fct_indicators", con, mart_batch_sql(), mart_expectations())
    return to_result(res)


defs = dg.Definitions(asset_checks=[mart_suite])
