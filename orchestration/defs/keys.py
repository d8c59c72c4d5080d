"""The asset keys and group names the wiring modules and the command share.

Kept apart from the asset modules so that checks, jobs and the CLI name an asset without
importing the module that builds it: asset and check modules take no key from each other,
and the CLI imports no asset module.
"""

import dagster as dg

from orchestration.quality.gate import MART

INGEST_GROUP = "ingest"
MART_KEY = dg.AssetKey([MART])  # fct_indicators, the dbt mart the gate checks run on
RELEASE_KEY = dg.AssetKey(["release"])


def raw_key(source: str) -> dg.AssetKey:
    """Asset key of a raw table; dbt's `source('raw', <source>)` maps to the same key."""
    return dg.AssetKey(["raw", source])
