"""civstat's Dagster definitions: the merge of the per-topic modules, nothing else."""

import dagster as dg

from orchestration import jobs, resources
from orchestration.assets import dbt, ingest
from orchestration.checks import ingest as ingest_checks

defs = dg.Definitions.merge(
    resources.defs,
    ingest.defs,
    dbt.defs,
    ingest_checks.defs,
    jobs.defs,
)
