"""Publishing: its own asset, which re-reads every check of this run before writing anything.

Blocking checks stop it inside the run already; this asset also refuses when any error
check of the run failed or the gate did not report (write-audit-publish).
"""


from datetime import datetime

import dagster as dg

from ingest.periods import parse_period
from orchestration import gate
from orchestration.checks.gate import MART_KEY
from orchestration.release.inputs import collect_manifest, indicator_frames
from orchestration.resources import ReleaseSettings, Warehouse
from orchestration.waivers import SHANGHAI, waivers_for


class GateBlocked(dg.Failure):
    pass


def run_check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    return [r.event_log_entry.dagster_event.event_specific_data for r in records]


def gate_decision(evaluations: list) -> tuple[list[dict], list[str]]:
    """(every check outcome for the manifest, the reasons publishing is refused)."""
    checks, refusals = [], []
    seen = set()
    for ev in evaluations:
        name = ev.check_name
        meta = {k: getattr(v, "value", v) for k, v in (ev.metadata or {}).items()}
        declared = meta.get("severity_if_failed")
        severity = declared or ("error" if ev.severity == dg.AssetCheckSeverity.ERROR
                                else "warning")
        waived = "waived_by" in meta
        if ev.asset_key == MART_KEY:
            seen.add(name)
        checks.append({
            "name": name,
            "asset": ev.asset_key.to_user_string(),
            "severity": severity,
            "passed": bool(ev.passed),
            "waived": waived,
            "description": gate.DESCRIPTIONS.get(name, meta.get("description", "")),
            "detail": str(meta.get("detail", "")),
        })
        if not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR:
            refusals.append(f"{ev.asset_key.to_user_string()} · {name}: "
                            f"{meta.get('detail', 'failed')}")
    for name in gate.GATE_CHECKS:
        if name not in seen:
            refusals.append(f"{name}: 未执行 the gate check did not run in this run")
    checks.sort(key=lambda c: (c["asset"], c["name"]))
    return checks, refusals


@dg.asset(
    key=dg.AssetKey(["release"]),
    deps=[MART_KEY],
    group_name="publish",
    description="The immutable release of one period under <warehouse>/published/<P>/.",
    kinds={"csv", "xlsx", "json", "html"},
    pool="warehouse",
)
def release(context: dg.AssetExecutionContext, warehouse: Warehouse,
            release_settings: ReleaseSettings) -> dg.MaterializeResult:
    from orchestration.release import write_index, write_release

    period = parse_period(release_settings.period)
    checks, refusals = gate_decision(run_check_evaluations(context.instance, context.run.run_id))
    if refusals:
        raise GateBlocked(
            description="质量检查未通过，不发布 the gate blocked publishing:\n" + "\n".join(refusals),
            allow_retries=False,
        )
    with warehouse.connect(read_only=True) as con:
        indicators, monthly = indicator_frames(con, period)
        manifest = collect_manifest(con, period)
    manifest |= {
        "run_id": context.run.run_id,
        "created_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "published_by": release_settings.published_by,
        "checks": checks,
        "waivers": sorted(waivers_for(warehouse.dir, period.code).values(),
                          key=lambda w: w["check"]),
    }
    root = warehouse.dir / "published"
    folder = write_release(root, period.code, indicators, manifest, monthly)
    write_index(root)
    context.log.info(f"已发布 published {period.code}: {folder}")
    return dg.MaterializeResult(metadata={
        "period": period.code,
        "path": dg.MetadataValue.path(str(root / period.code)),
        "indicator_rows": dg.MetadataValue.int(indicators.height),
    })


defs = dg.Definitions(assets=[release])
