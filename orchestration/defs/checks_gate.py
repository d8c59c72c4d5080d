"""The §7 quality gate as blocking asset checks on the indicator mart, and the mart's GX
suite, in one step (`quality_gate`) on one read-only connection."""

import dagster as dg

from ingest.periods import PeriodError, parse_period
from ingest.warehouse_layout import WarehouseLayout
from orchestration.defs.checks_suites import mart_suite_result, mart_suite_spec
from orchestration.defs.keys import MART_KEY
from orchestration.defs.resources import ReleaseSettings, Warehouse
from orchestration.quality import gate
from orchestration.quality.waivers import waivers_for

SEVERITY = {gate.ERROR: dg.AssetCheckSeverity.ERROR, gate.WARNING: dg.AssetCheckSeverity.WARN}


def to_result(outcome: gate.Outcome, waiver: dict | None) -> dg.AssetCheckResult:
    """A failing error that has a waiver is reported at warning severity, with the waiver."""
    severity = SEVERITY[outcome.severity]
    metadata = {
        "severity_if_failed": outcome.severity,
        "detail": dg.MetadataValue.text(outcome.detail or "ok"),
        "failures": dg.MetadataValue.int(len(outcome.items)),
    }
    if not outcome.passed and waiver and outcome.severity == gate.ERROR:
        severity = dg.AssetCheckSeverity.WARN
        metadata |= {"waived_by": waiver["by"], "waiver_reason": waiver["reason"],
                     "waived_at": waiver["at"]}
    return dg.AssetCheckResult(
        check_name=outcome.name, asset_key=MART_KEY, passed=outcome.passed,
        severity=severity, metadata=metadata, description=outcome.description,
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(name, asset=MART_KEY, blocking=True,
                          description=gate.DESCRIPTIONS[name])
        for name in gate.GATE_CHECKS
    ] + [mart_suite_spec()],
    can_subset=False,
)
def quality_gate(warehouse: Warehouse, release_settings: ReleaseSettings):
    with warehouse.connect(read_only=True) as con:
        yield from _gate(con, warehouse, release_settings)
        # after the gate: an error in GX leaves its verdicts
        yield mart_suite_result(con, WarehouseLayout(warehouse.dir).suite_batches)


def _gate(con, warehouse: Warehouse, release_settings: ReleaseSettings):
    try:
        period = parse_period(release_settings.period)
    except PeriodError as e:
        for name in gate.GATE_CHECKS:
            yield dg.AssetCheckResult(check_name=name, asset_key=MART_KEY, passed=False,
                                      metadata={"detail": str(e)})
        return
    waivers = waivers_for(warehouse.dir, period.code)
    for outcome in gate.run_gate(con, period):
        yield to_result(outcome, waivers.get(outcome.name))


defs = dg.Definitions(asset_checks=[quality_gate])
