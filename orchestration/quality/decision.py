"""The gate's verdict for one run, read back from the run's asset-check evaluations.

Reading the evaluations from the event log is Dagster's way to write-audit-publish: the
release asset refuses to publish on it, and `civstat run` names the failing checks with it.
The verdict is decided here only.
"""

import dagster as dg

from orchestration.quality import gate


def run_check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list:
    """Every `AssetCheckEvaluation` the run recorded, in event-log order."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    return [r.event_log_entry.dagster_event.event_specific_data for r in records]


# dagster-dbt's metadata of a dbt test's evaluation: the rows its query returned
DBT_FAILED_ROWS = "dagster_dbt/failed_row_count"


def _detail(evaluation, meta: dict) -> str:
    """The check's own detail; a failed dbt test has none, so its failing rows are told."""
    detail = str(meta.get("detail", ""))
    if not detail and not evaluation.passed and DBT_FAILED_ROWS in meta:
        rows = meta[DBT_FAILED_ROWS]
        return f"dbt 测试查出 {rows} 行不符 / the dbt test found {rows} failing rows"
    return detail


def gate_decision(evaluations: list) -> tuple[list[dict], list[str]]:
    """(every check outcome for the manifest, the reasons publishing is refused).

    An outcome is {name, asset, severity, passed, waived, description, detail}, sorted by
    asset and name. Publishing is refused for every failed error-severity check (a waived
    one was reported at warning severity) and for every gate check of `gate.GATE_CHECKS`
    that did not report on the indicator mart in this run.
    """
    checks, refusals = [], []
    seen = set()
    for ev in evaluations:
        name = ev.check_name
        meta = {k: getattr(v, "value", v) for k, v in (ev.metadata or {}).items()}
        declared = meta.get("severity_if_failed")
        severity = declared or ("error" if ev.severity == dg.AssetCheckSeverity.ERROR
                                else "warning")
        waived = "waived_by" in meta
        detail = _detail(ev, meta)
        if ev.asset_key.path == [gate.MART]:
            seen.add(name)
        checks.append({
            "name": name,
            "asset": ev.asset_key.to_user_string(),
            "severity": severity,
            "passed": bool(ev.passed),
            "waived": waived,
            "description": gate.DESCRIPTIONS.get(name, meta.get("description", "")),
            "detail": detail,
        })
        if not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR:
            refusals.append(f"{ev.asset_key.to_user_string()} · {name}: {detail or 'failed'}")
    for name in gate.GATE_CHECKS:
        if name not in seen:
            refusals.append(f"{name}: 未执行 the gate check did not run in this run")
    checks.sort(key=lambda c: (c["asset"], c["name"]))
    return checks, refusals


def applied_waivers(evaluations: list, period: str) -> list[dict]:
    """The waivers the gate applied in this run, {period, check, reason, by, at} by check: the
    failed error checks reported with a waiver (`checks_gate.to_result`'s metadata). Not
    waivers.jsonl read again: a waiver of a check that passed, or of a warning, or one
    recorded while the run went on, was listed in the manifest without being applied."""
    out = {}
    for ev in evaluations:
        meta = {k: getattr(v, "value", v) for k, v in (ev.metadata or {}).items()}
        if "waived_by" in meta:
            out[ev.check_name] = {"period": period, "check": ev.check_name,
                                  "reason": str(meta.get("waiver_reason", "")),
                                  "by": str(meta["waived_by"]), "at": str(meta.get("waived_at", ""))}
    return [out[name] for name in sorted(out)]
