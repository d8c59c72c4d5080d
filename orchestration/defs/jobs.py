"""Jobs: the whole run (ingest → dbt → checks → publish) and the ingest alone."""

import dagster as dg

from orchestration.defs.keys import INGEST_GROUP

civstat_run = dg.define_asset_job(
    "civstat_run",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest every source, build the dbt models, run every check.",
)

ingest_only = dg.define_asset_job(
    "ingest_only",
    selection=dg.AssetSelection.groups(INGEST_GROUP),
    executor_def=dg.in_process_executor,
    description="Parse, validate and load the inbox into the raw layer.",
)


defs = dg.Definitions(jobs=[civstat_run, ingest_only])
