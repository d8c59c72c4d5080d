"""civstat's Dagster definitions: the merge of the per-topic modules, nothing else."""

import dagster as dg

from orchestration.defs import (
    asset_release,
    assets_dbt,
    assets_ingest,
    checks_gate,
    job_rollup,
    jobs,
    resources,
    schedules,
    sensors,
)

defs = dg.Definitions.merge(
    resources.defs,
    assets_ingest.defs,
    assets_dbt.defs,
    asset_release.defs,
    checks_gate.defs,
    jobs.defs,
    job_rollup.defs,
    schedules.defs,
    sensors.defs,
)
