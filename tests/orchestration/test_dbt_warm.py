"""dbt's first-use costs paid ahead (orchestration/cli/dbt_warm.py): after `warm_up`, what a
fresh dbt builds at its first parse — its configuration classes' schemas, the manifest's
compiled (de)serialisers — is built; a missing or damaged parse costs only time."""

import json
import subprocess
import sys

from orchestration.cli.dbt_warm import PREPARED_PARSE, SCHEMA_CLASSES

# In a fresh interpreter (nothing of dbt built yet): each lazily compiled method is a stub
# that mashumaro replaces on its first call, so "replaced" means "compiled"
FRESH = """
import json, sys
from pathlib import Path
from dbt.contracts.graph.manifest import Manifest
from dbt.contracts.graph.nodes import GenericTestNode, ModelNode
from dbt.contracts.project import Project
stubs = {"Manifest.from_msgpack": (Manifest, "__mashumaro_from_msgpack__"),
         "ModelNode.to_dict": (ModelNode, "__mashumaro_to_dict__"),
         "GenericTestNode.to_dict": (GenericTestNode, "__mashumaro_to_dict__")}
before = {k: cls.__dict__[name] for k, (cls, name) in stubs.items()}
schemas = Project.json_schema.__func__  # dbt-common's lru_cache over the classes
out = {"schemas_before": schemas.cache_info().currsize}
if sys.argv[1] != "cold":  # warm | stop-first (dbt's command came before the warm-up's first
    # step) | stop-at-manifest (it came after the 7 schemas, before the manifest)
    from orchestration.cli.dbt_warm import warm_up
    asked = []
    def stop():
        asked.append(1)
        return {"warm": False, "stop-first": True}.get(sys.argv[1], len(asked) > 7)
    out["missed"] = warm_up(Path(sys.argv[2]), stop=stop)
out["compiled"] = sorted(k for k, (cls, name) in stubs.items() if cls.__dict__[name] is not before[k])
out["schemas"] = schemas.cache_info().currsize
misses = schemas.cache_info().misses
Project.json_schema()  # what dbt asks when it reads dbt_project.yml
out["project_schema_built_now"] = schemas.cache_info().misses > misses
print(json.dumps(out))
"""


def _fresh(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", FRESH, *args], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_warm_up_builds_what_dbts_first_parse_would():
    assert PREPARED_PARSE.is_file()  # `civstat prepare` (make setup) wrote it
    cold = _fresh("cold")
    assert cold == {"schemas_before": 0, "compiled": [], "schemas": 0,
                    "project_schema_built_now": True}
    warm = _fresh("warm", str(PREPARED_PARSE))
    assert warm["missed"] == []
    assert warm["compiled"] == ["GenericTestNode.to_dict", "Manifest.from_msgpack",
                                "ModelNode.to_dict"]
    assert warm["schemas"] == len(SCHEMA_CLASSES) == 7
    assert warm["project_schema_built_now"] is False  # dbt finds it built


def test_once_dbts_command_has_come_nothing_more_is_warmed():
    # dbt then builds the rest at its own priority, not this thread's nice 19
    first = _fresh("stop-first", str(PREPARED_PARSE))
    assert first["missed"] == ["schemas: not all built, dbt's command came first"]
    assert (first["schemas"], first["compiled"]) == (0, [])
    late = _fresh("stop-at-manifest", str(PREPARED_PARSE))
    assert late["missed"] == ["partial_parse.msgpack: not read, dbt's command came first"]
    assert late["compiled"] == []  # the manifest's code left to dbt's own parse
    assert late["schemas"] == 7 and late["project_schema_built_now"] is False


def test_a_missing_or_damaged_parse_costs_only_time(tmp_path):
    # in fresh interpreters, as the others: this test process stays without dbt-core
    missing = _fresh("warm", str(tmp_path / "partial_parse.msgpack"))
    assert missing["missed"] == ["partial_parse.msgpack: FileNotFoundError"]
    assert missing["schemas"] == 7
    damaged = tmp_path / "damaged.msgpack"
    damaged.write_bytes(b"\x93not a manifest")
    [missed] = _fresh("warm", str(damaged))["missed"]
    assert missed.startswith("damaged.msgpack: ")
