"""dbt's first-use costs, paid by dbt's process ahead while the run ingests (issue 18).

A fresh dbt process builds two things the first time it needs them, before its first node
(docs/benchmarks.md, "Issue 18, sixteenth round"):

- **the JSON schemas of its configuration classes** (dbt_project.yml, profiles.yml, the
  adapter's credentials, selectors, packages): dbt-common validates each file against its
  class's schema, made by mashumaro's `build_json_schema` and kept per class
  (`dbtClassMixin.json_schema`, an `lru_cache`): ≈ 0.3 s;
- **mashumaro's (de)serialisers of the manifest's classes**, compiled at their first call
  (dbt-common sets mashumaro's `lazy_compilation`): reading `partial_parse.msgpack` and
  building the flat graph (every node's `to_dict`) compile them: ≈ 0.3 s more than the
  reading itself.

`warm_up` makes dbt build both now, as dbt itself would: it asks each class for its schema
and reads the project's prepared `partial_parse.msgpack` (`civstat prepare`), then lets
that manifest go. dbt's own parse later finds the schemas and the compiled code in place;
it reads and checks its own files as before, so nothing it decides depends on this.

This module imports dbt only inside `warm_up`: the process ahead calls it from its
low-priority thread (cli/dbt_ahead.py).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

# the prepared parse (`civstat prepare`: dbt_project.yml's target-path, "target")
PREPARED_PARSE = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
# the classes whose schema dbt validates a `dbt build`'s files against (dbt-core 1.11,
# dbt-duckdb 1.11: found by recording `json_schema`'s callers during a build)
SCHEMA_CLASSES = (
    ("dbt.contracts.project", "Project"),
    ("dbt.contracts.project", "ProjectFlags"),
    ("dbt.contracts.project", "ProfileConfig"),
    ("dbt.contracts.project", "Configuration"),
    ("dbt.contracts.project", "PackageConfig"),
    ("dbt.contracts.selection", "SelectorFile"),
    ("dbt.adapters.duckdb.credentials", "DuckDBCredentials"),
)


def warm_up(prepared: Path = PREPARED_PARSE, stop: Callable[[], bool] | None = None
            ) -> list[str]:
    """Make dbt build, in this process, what its first build would build first: the
    schemas of `SCHEMA_CLASSES` and the (de)serialisers of the manifest's classes, by
    reading the parse `prepared` (a `partial_parse.msgpack`) into a manifest and building
    its flat graph. Returns what could not be warmed (e.g. "partial_parse.msgpack:
    FileNotFoundError"); never raises for it: a part not warmed costs dbt only time.

    `stop()` true (dbt's command has come): nothing more is done here, dbt builds the rest
    at its own priority (and reading the manifest here is ≈ 0.2 s that dbt's parse does
    again on its own file)."""
    missed = []
    for module, name in SCHEMA_CLASSES:
        if stop is not None and stop():
            return [*missed, "schemas: not all built, dbt's command came first"]
        try:
            getattr(importlib.import_module(module), name).json_schema()
        except Exception as exc:  # noqa: BLE001 - a renamed class: dbt builds it itself
            missed.append(f"{name}: {type(exc).__name__}")
    if stop is not None and stop():
        return [*missed, f"{prepared.name}: not read, dbt's command came first"]
    try:
        from dbt.contracts.graph.manifest import Manifest

        manifest = Manifest.from_msgpack(prepared.read_bytes())
        manifest.build_flat_graph()
        del manifest
    except Exception as exc:  # noqa: BLE001 - missing, older dbt's, damaged: dbt parses
        missed.append(f"{prepared.name}: {type(exc).__name__}")
    gc.collect()  # the manifest's cycles, here rather than in dbt's first collection
    return missed
