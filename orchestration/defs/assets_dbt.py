"""The dbt models as assets; dbt tests surface as asset checks (error severity blocks).

A run builds only the models whose inputs changed and runs only the tests under them; the
other tests keep their last pass (orchestration/defs/dbt_selection.py, docs/operations.md
"When dbt rebuilds what").
"""

import itertools
import json
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from ingest.warehouse_layout import WarehouseLayout
from orchestration import interrupts
from orchestration.defs import dbt_selection as sel
from orchestration.defs.project import DBT_PROJECT_DIR, dbt_project
from orchestration.defs.resources import ReleaseSettings, Warehouse
from orchestration.memory import free_memory
from orchestration.settings import DBT_FILE_LOG_ENV, PERIOD_ENV, dbt_file_log_level, environment

INDIRECT_SELECTION_ENV = "DBT_INDIRECT_SELECTION"  # dbt's; `empty`: --exclude names nodes only
# what dbt writes into its target folder unless --no-write-json (see _run_dbt)
UNWRITTEN_ARTIFACTS = ("manifest.json", "run_results.json", "semantic_manifest.json",
                       "graph.gpickle")


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


@cache
def _manifest(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def manifest() -> dict[str, Any]:
    """The prepared manifest the assets were defined from (read once per process)."""
    path = dbt_project().manifest_path
    return _manifest(path, path.stat().st_mtime_ns)


def _run_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, target: Path,
             period: str, plan: sel.BuildPlan, kept: Iterator) -> Iterator:
    """Run `dbt build` for the plan; yields dagster-dbt's events, returns the outcome of each
    test it ran ({"unique_id", "status"}, as run_results.json's `results`).

    The `kept` check results are yielded one after each of dbt's events, then the rest:
    Dagster stores them while dbt works (each is two events in its SQLite log), and dbt's
    output is read as it comes (a full pipe would stop dbt)."""
    # Unit tests check the SQL, not the data: they run in the test suite, not in every run.
    # One dbt target folder per warehouse keeps dbt's partial parsing between its runs
    # (the parse depends on the warehouse path) and leaves nothing behind in the project.
    # No manifest.json, run_results.json, graph: nothing reads them (the assets come from the
    # prepared manifest, the tests' outcomes from the events), and writing the manifest was
    # ≈ 0.6 s of dbt's main thread before its first node (docs/benchmarks.md, round 15).
    args = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]
    env = {PERIOD_ENV: period, DBT_FILE_LOG_ENV: dbt_file_log_level()}
    if not plan.full:
        # `--exclude` adds to dagster-dbt's `--select fqn:*`; with indirect selection `empty`
        # it leaves out exactly the nodes named (not the tests of an excluded model).
        names = plan.exclude_names(manifest())
        if names:
            args += ["--exclude", " ".join(names)]
        env[INDIRECT_SELECTION_ENV] = "empty"
    # The run's period reaches dbt as CIVSTAT_PERIOD (a month range is computed only for
    # its own run: int_period_spans_enumerated). dbt.cli copies os.environ when it starts.
    with environment(env):
        invocation = dbt.cli(args, context=context, target_path=target)
    # the ingest and checks' freed memory, given back while dbt parses (its process is
    # started, and its memory grows only with the nodes): ≈ 0.2 s off the step at district
    free_memory()
    outcomes = []
    # what dagster-dbt's `invocation.stream()` does, with each test's outcome read on the way
    for raw in invocation.stream_raw_events():
        outcomes += dbt_test_outcome(raw.raw_event)
        for event in raw.to_default_asset_events(
                manifest=invocation.manifest, dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=invocation.context, target_path=invocation.target_path,
                project=invocation.project):
            yield event
            yield from itertools.islice(kept, 1)
    yield from kept
    return outcomes


def dbt_test_outcome(raw_event: Mapping[str, Any]) -> list[dict[str, str]]:
    """[{"unique_id", "status"}] of the dbt test whose result dbt's JSON log line `raw_event`
    reports (`LogTestResult`: the `status` run_results.json gives it, e.g. "pass", "fail"),
    [] for any other line."""
    if raw_event.get("info", {}).get("name") != "LogTestResult":
        return []
    data = raw_event.get("data", {})
    uid, status = data.get("node_info", {}).get("unique_id"), data.get("status")
    if not isinstance(uid, str) or not uid.startswith("test.") or not isinstance(status, str):
        return []
    return [{"unique_id": uid, "status": status}]


def _needed_outside(context: dg.AssetExecutionContext) -> set[dg.AssetKey]:
    """The dbt assets that a step of this job other than dbt's waits for (an asset below
    it, or an asset check of another step on it: today fct_indicators only). Only those of
    the models left as they are get an output: a step whose input was not yielded is
    skipped, and every output is one more event in Dagster's log (≈ 3 SQLite writes)."""
    own = set(context.assets_def.keys)
    graph = context.job_def.asset_layer.asset_graph
    needed = {key for key in own if any(child not in own for child in graph.get(key).child_keys)}
    own_checks = set(context.assets_def.check_keys)
    needed |= {ck.asset_key for ck in graph.asset_check_keys
               if ck.asset_key in own and ck not in own_checks}
    return needed


def _unchanged_outputs(context: dg.AssetExecutionContext, plan: sel.BuildPlan) -> Iterator:
    """An output for every model left as it is that a later step needs (so that it runs).

    Yielded before dbt's own events: Dagster wants a multi-asset's outputs parents first,
    and nothing left as it is lies below a model dbt rebuilds."""
    nodes = manifest()["nodes"]
    selected = context.selected_asset_keys
    needed = _needed_outside(context)
    for uid in sel.topological(manifest(), plan.unbuilt):
        key = translator.get_asset_key(nodes[uid])
        if key in selected and key in needed:
            yield dg.Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                            metadata={"civstat/dbt": "not rebuilt: its inputs are unchanged "
                                                     "since the last successful build"})


def _kept_checks(context: dg.AssetExecutionContext, plan: sel.BuildPlan) -> Iterator:
    """The kept pass of every test left out, as the asset check result a full build reports."""
    from dagster_dbt.asset_utils import (
        get_asset_check_key_for_test,
        get_checks_on_sources_upstream_of_selected_assets,
    )

    selected = context.selected_asset_keys
    checks = {*context.selected_asset_check_keys,
              *get_checks_on_sources_upstream_of_selected_assets(context.assets_def, selected)}
    for uid, run_id in sorted(plan.kept.items()):
        key = get_asset_check_key_for_test(manifest(), translator, uid, dbt_project())
        if key is not None and key in checks:
            yield dg.AssetCheckResult(
                asset_key=key.asset_key, check_name=key.name, passed=True,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"unique_id": uid, "status": "pass", "civstat/kept_from_run": run_id})


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=translator,
    pool="warehouse",
)
def civstat_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                       warehouse: Warehouse, release_settings: ReleaseSettings):
    target = WarehouseLayout(warehouse.dir).dbt_target
    target.mkdir(parents=True, exist_ok=True)
    for name in UNWRITTEN_ARTIFACTS:  # an older civstat's, which would only go stale here
        (target / name).unlink(missing_ok=True)
    record = target / sel.STATE_FILE
    period = release_settings.period
    read_period = sel.period_read_by_models(period)  # what the record compares
    code = sel.code_fingerprint(DBT_PROJECT_DIR)
    with warehouse.connect(read_only=True) as con:
        inputs = sel.input_fingerprints(con, manifest())
    previous = sel.read_state(record)
    if context.is_subset:  # Dagster chose the assets: dagster-dbt selects, nothing is kept
        plan = sel.BuildPlan(True, "Dagster runs a subset of the dbt assets")
    else:
        plan = sel.plan_build(manifest(), previous, code, read_period, inputs, PERIOD_ENV,
                              force=os.environ.get(sel.REBUILD_ENV, ""))
    context.log.info(f"dbt {'full build' if plan.full else 'selective build'}: {plan.reason}")
    record.unlink(missing_ok=True)  # written again only when this build succeeds
    results: list = []
    kept = iter(())
    if not plan.full:
        yield from _unchanged_outputs(context, plan)
        kept = _kept_checks(context, plan)
    if plan.runs_dbt:
        interrupts.stop_if_requested()
        results = yield from _run_dbt(context, dbt, target, period, plan, kept)
    else:
        yield from kept
    if not context.is_subset:
        sel.write_state(record, sel.next_state(previous, plan, code, read_period, inputs,
                                               results, context.run.run_id))


defs = dg.Definitions(assets=[civstat_dbt_models])
