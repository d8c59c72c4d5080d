import dagster as dg

from ingest.contract import SOURCES
from orchestration.quality.gate import GATE_CHECKS


def test_definitions_load(defs):
    dg.Definitions.validate_loadable(defs)


def test_graph_shape(defs):
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {f"raw/{s}" for s in SOURCES} <= keys  # one asset per source
    assert {"fct_indicators", "release"} <= keys
    # dbt sources are the ingest assets themselves: staging depends on raw/<source>
    stg = graph.get(dg.AssetKey(["stg_raw__dibao_households"]))
    assert dg.AssetKey(["raw", "dibao_households"]) in stg.parent_keys
    # the release waits for the indicator mart
    assert dg.AssetKey(["fct_indicators"]) in graph.get(dg.AssetKey(["release"])).parent_keys
    checks = {k.name for k in graph.asset_check_keys if k.asset_key == dg.AssetKey(["fct_indicators"])}
    assert set(GATE_CHECKS) <= checks and "gx_suite" in checks


def test_groups_follow_folders(defs):
    graph = defs.resolve_asset_graph()
    group = {k.to_user_string(): graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert group["raw/regions"] == "ingest"
    assert group["stg_raw__regions"] == "staging"
    assert group["fct_indicators"] == "marts"
    assert group["release"] == "publish"
    assert group["indicator_catalogue"] == "seeds"
