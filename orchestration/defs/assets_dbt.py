"""The dbt models as assets; dbt tests surface as asset checks (error severity blocks)."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from ingest.warehouse_layout import WarehouseLayout
from orchestration.defs.project import dbt_project
from orchestration.defs.resources import ReleaseSettings, Warehouse
from orchestration.memory import free_memory
from orchestration.settings import PERIOD_ENV


class CivstatTranslator(DagsterDbtTranslator):
    """Keys are model names (sources: raw/<table>); groups follow the dbt folders."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props.get("resource_type") == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        kind = dbt_resource_props.get("resource_type")
        if kind in ("source", "seed"):
            return {"source": "ingest", "seed": "seeds"}[kind]
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = CivstatTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=translator,
    pool="warehouse",
)
def civstat_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                       warehouse: Warehouse, release_settings: ReleaseSettings):
    # Unit tests check the SQL, not the data: they run in the test suite, not in every run.
    # One dbt target folder per warehouse keeps dbt's partial parsing between its runs
    # (the parse depends on the warehouse path) and leaves nothing behind in the project.
    free_memory()  # the ingest and checks' freed memory, before dbt's own process starts
    # The run's period reaches dbt as CIVSTAT_PERIOD (a month range is computed only for
    # its own run: int_period_spans_enumerated). dbt.cli copies os.environ when it starts.
    before = os.environ.get(PERIOD_ENV)
    os.environ[PERIOD_ENV] = release_settings.period
    try:
        invocation = dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context,
                             target_path=WarehouseLayout(warehouse.dir).dbt_target)
    finally:
        if before is None:
            os.environ.pop(PERIOD_ENV, None)
        else:
            os.environ[PERIOD_ENV] = before
    yield from invocation.stream()


defs = dg.Definitions(assets=[civstat_dbt_models])
