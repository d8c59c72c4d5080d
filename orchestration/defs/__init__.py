"""civstat's Dagster definitions, one module per topic (merged in orchestration/definitions.py).

dagster-dbt is imported here first, without dbt-core. dbt always runs in its own process
(`civstat-dbt`, orchestration/cli/dbt_child.py); the process holding these definitions only
starts it and reads its JSON events. dagster-dbt 0.29 nevertheless imports dbt-core whenever
it can (`dagster_dbt.compat`: ≈ 240 modules of dbt's adapters, contracts and graph, ≈ 1.1 s
alone) and then picks the project's nodes with dbt's own selector (≈ 0.3 s). Without
dbt-core it takes the way it has for dbt Fusion, where dbt-core is not installed either: its
own copies of dbt's node types and statuses, and every node of the manifest for the default
selection (`fqn:*`), which is the selection of civstat's dbt assets. The asset graph is the
same either way (tests/orchestration/test_dbt_core_left_out.py); a run starts ≈ 1.5 s
sooner (docs/benchmarks.md, issue 18, thirteenth round).

What this mode cannot do: a dbt selection string given to dagster-dbt (`@dbt_assets(select=…)`,
`build_dbt_asset_selection`, `build_schedule_from_dbt_selection`) needs dbt-core's selector,
and dagster-dbt raises `DagsterDbtCoreNotInstalledError` at load; civstat chooses what dbt
builds in its own code (dbt_selection.py). Dagster's library list shows `dbt-fusion` for
dbt's version. A stock `DbtCliResource` would fail to build its in-process adapter (a
logged warning); civstat's `CivstatDbtCli` builds none.

Only dagster-dbt's own import is affected: `dbt.version` is hidden while it is imported (a
`None` in `sys.modules` makes that import fail) and restored at once, so dbt-core stays
importable in this process for whoever needs it. Where dagster-dbt or dbt-core was imported
before, nothing changes.
"""

import sys


def _import_dagster_dbt_without_dbt_core() -> None:
    if "dagster_dbt" in sys.modules or "dbt.version" in sys.modules:
        return
    sys.modules["dbt.version"] = None  # type: ignore[assignment]  # an import of it fails
    try:
        import dagster_dbt  # noqa: F401
    finally:
        if sys.modules.get("dbt.version", 0) is None:
            del sys.modules["dbt.version"]


_import_dagster_dbt_without_dbt_core()
