"""Great Expectations suites as blocking asset checks: one per source, one on the mart.

No step of their own: the sources' suites are evaluated inside the ingest step
(orchestration/defs/assets_ingest.py) right after each source is loaded, the mart's inside
the gate's step (orchestration/defs/checks_gate.py). GX itself is imported only when a
suite has rows to validate (orchestration/quality/suites.py).
"""

import dagster as dg

from orchestration.defs.keys import MART_KEY, raw_key
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


def source_suite_result(con, source: str, schema_ready: bool = False) -> dg.AssetCheckResult:
    """The source's suite over its rows not yet validated (needs a writable connection;
    ``schema_ready``: see ``suites.validate_source``)."""
    res = validate_source(con, source, schema_ready=schema_ready)
    free_memory(res.validated or 0)
    return to_result(res, raw_key(source))


def mart_suite_spec() -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(NAME, asset=MART_KEY, blocking=True,
                             description="GX: rates 0–100, coverage 0–30 %, counts ≥ 0, "
                                         "value = numerator ÷ denominator")


def mart_suite_result(con) -> dg.AssetCheckResult:
    """The mart's suite over every row of fct_indicators (a read-only connection will do)."""
    res = validate_query("fct_indicators", con, mart_batch_sql(), mart_expectations())
    return to_result(res, MART_KEY)
