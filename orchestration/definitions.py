"""civstat's Dagster definitions: the merge of the per-topic modules, nothing else."""

import dagster as dg

from orchestration import jobs, resources, schedules, sensors
from orchestration.assets import dbt, ingest, publish
from orchestration.checks import expectations as gx_checks
from orchestration.checks import gate as gate_checks
from orchestration.checks import ingest as ingest_checks

defs = dg.Definitions.merge(
    resources.defs,
    ingest.defs,
    dbt.defs,
    publish.defs,
    ingest_checks.defs,
    gx_checks.defs,
    gate_checks.defs,
    jobs.defs,
    schedules.defs,
    sensors.defs,
)
