"""Publishing: its own asset, which re-reads every check of this run before writing anything.

Blocking checks stop it inside the run already; this asset also refuses when any error
check of the run failed or the gate did not report (write-audit-publish).
"""


from datetime import datetime

import dagster as dg

from ingest.localtime import SHANGHAI
from ingest.periods import parse_period
from ingest.warehouse_layout import WarehouseLayout
from orchestration import interrupts
from orchestration.defs.keys import MART_KEY, RELEASE_KEY
from orchestration.defs.resources import ReleaseSettings, Warehouse
from orchestration.quality.decision import applied_waivers, gate_decision, run_check_evaluations


class GateBlocked(dg.Failure):
    pass


@dg.asset(
    key=RELEASE_KEY,
    deps=[MART_KEY],
    group_name="publish",
    description="The immutable release of one period under <warehouse>/published/<P>/.",
    kinds={"csv", "xlsx", "json", "html"},
    pool="warehouse",
)
def release(context: dg.AssetExecutionContext, warehouse: Warehouse,
            release_settings: ReleaseSettings) -> dg.MaterializeResult:
    # publishing's imports (polars frames, xlsxwriter, the pages) only when it runs
    from orchestration.release import write_index, write_release
    from orchestration.release.comparisons import read_comparisons
    from orchestration.release.inputs import collect_manifest, indicator_frames

    period = parse_period(release_settings.period)
    evaluations = run_check_evaluations(context.instance, context.run.run_id)
    checks, refusals = gate_decision(evaluations)
    if refusals:
        raise GateBlocked(
            description="质量检查未通过，不发布 the gate blocked publishing:\n" + "\n".join(refusals),
            allow_retries=False,
        )
    with warehouse.connect(read_only=True) as con:
        indicators, monthly = indicator_frames(con, period)
        comparisons = read_comparisons(con, period)
        manifest = collect_manifest(con, period)
    manifest |= {
        "run_id": context.run.run_id,
        "created_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "published_by": release_settings.published_by,
        "checks": checks,
        "waivers": applied_waivers(evaluations, period.code),
    }
    root = WarehouseLayout(warehouse.dir).published
    interrupts.stop_if_requested()  # Ctrl-C before this point publishes nothing
    folder = write_release(root, period.code, indicators, manifest, monthly,
                           comparisons=comparisons)
    write_index(root)
    context.log.info(f"已发布 published {period.code}: {folder}")
    return dg.MaterializeResult(metadata={
        "period": period.code,
        "path": dg.MetadataValue.path(str(root / period.folder_name)),
        "indicator_rows": dg.MetadataValue.int(indicators.height),
    })


defs = dg.Definitions(assets=[release])
