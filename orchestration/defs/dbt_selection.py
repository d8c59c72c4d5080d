"""Which dbt nodes a run builds, and which dbt test results it keeps (issue 18).

A run's dbt step builds only the models whose inputs changed since the last successful build
of the warehouse, and runs only the tests under them; every other test keeps the result it
had then. docs/operations.md "When dbt rebuilds what" is the user's account of this.

The record of the last successful build is `<warehouse>/dbt/civstat_build_state.json`
(`BuildState`): the code fingerprint, the period, one fingerprint per dbt source, and every
data test that *passed* with the run that ran it. A build is **full** (every model, seed and
test, as before issue 18) when there is no record, when the code fingerprint differs (any
file of dbt_project/, dbt-core / dbt-duckdb / duckdb versions), when `CIVSTAT_DBT_REBUILD`
is set (`REBUILD_ENV`), or when Dagster runs a subset of the dbt assets. The record is
removed when a build starts and written only when it succeeded, so a failed or interrupted
build makes the next one full.

Otherwise a build selects:
* the models and seeds downstream of every source whose fingerprint changed (ingest's
  `raw.source_state` fingerprint, which changes whenever ingest rewrites the source's
  tables, plus its row count; lookups and views without a state row: a hash of their rows);
* when the period as the models read it (`period_read_by_models`: a month range, else
  nothing) differs from the record's, the models that read `CIVSTAT_PERIOD`
  (`int_period_spans_enumerated`) and everything downstream; a model reading any other
  environment variable is always rebuilt;
* every data test with a parent among them, and every test whose last result was not a
  pass (warn, fail, error, skipped or never run): those always run again.

A test left out keeps its recorded pass: its parents were not rebuilt since it passed and the
test's SQL is unchanged (code fingerprint), so it would pass again. The dbt step reports it
to Dagster as the same asset check result (passed, error severity) with the run that ran it,
so the gate and the release manifest see every test as a full build shows it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ingest.periods import parse_period
from orchestration.settings import REBUILD_ENV

STATE_FILE = "civstat_build_state.json"
STATE_VERSION = 1
BUILT = ("model", "seed", "snapshot")  # node kinds a build materialises
PROJECT_PARTS = ("models", "macros", "tests", "seeds", "snapshots", "dbt_project.yml",
                 "profiles.yml", "packages.yml", "selectors.yml")
VERSIONED = ("dbt-core", "dbt-duckdb", "duckdb", "dagster-dbt")


@dataclass
class BuildState:
    """What the last successful dbt build of a warehouse saw (the JSON record)."""

    code: str
    period: str  # period_read_by_models: a month range, or "" for any other period
    inputs: dict[str, str]  # dbt source unique_id -> fingerprint
    passed: dict[str, str]  # test unique_id -> Dagster run id of the build that ran it

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION, "code": self.code, "period": self.period,
                           "inputs": self.inputs, "passed": self.passed},
                          indent=1, sort_keys=True)


@dataclass
class BuildPlan:
    """One build: full, nothing, or a selection (node unique_ids)."""

    full: bool
    reason: str
    build: set[str] = field(default_factory=set)  # models/seeds dbt (re)builds
    run_tests: set[str] = field(default_factory=set)  # tests dbt runs
    kept: dict[str, str] = field(default_factory=dict)  # tests left out -> run id of their pass
    unbuilt: set[str] = field(default_factory=set)  # models/seeds left as they are

    @property
    def runs_dbt(self) -> bool:
        return self.full or bool(self.build or self.run_tests)

    def exclude_names(self, manifest: Mapping[str, Any]) -> list[str]:
        """The node names to pass to `dbt build --exclude` (with indirect selection `empty`)."""
        nodes = manifest["nodes"]
        return sorted(nodes[u]["name"] for u in self.unbuilt | set(self.kept))


def read_state(path: Path) -> BuildState | None:
    """The record at `path`, or None when there is none or it is of another version."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
        return None
    return BuildState(raw["code"], raw["period"], dict(raw["inputs"]), dict(raw["passed"]))


def code_fingerprint(project_dir: Path) -> str:
    """SHA-256 over every file of the dbt project that a build reads (not target/, logs/)
    and the versions of the packages that run it."""
    h = hashlib.sha256()
    root = Path(project_dir)
    for part in PROJECT_PARTS:
        p = root / part
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    for dist in VERSIONED:
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\0".encode())
    return h.hexdigest()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def input_fingerprints(con, manifest: Mapping[str, Any]) -> dict[str, str]:
    """One fingerprint per dbt source of `manifest`: {source unique_id: text}.

    A source with a `raw.source_state` row (ingest/pipeline.py writes it whenever it rewrites
    the source's tables) is "state:<fingerprint>:<rows>"; any other relation (the contract's
    lookups, the views over them) is "rows:<md5 of its rows, sorted>", cheap for those small
    tables. A missing relation is "missing".
    """
    try:
        states = dict(con.execute("select source, fingerprint from raw.source_state").fetchall())
    except Exception:  # noqa: BLE001 - no raw layer yet: every source counts as changed
        states = {}
    out = {}
    for uid, src in sorted(manifest["sources"].items()):
        table = src.get("identifier") or src["name"]
        rel = f"{_q(src['schema'])}.{_q(table)}"
        try:
            if table in states:
                rows = con.execute(f"select count(*) from {rel}").fetchone()[0]
                out[uid] = f"state:{states[table]}:{rows}"
            else:
                digest = con.execute(
                    f"select count(*), md5(coalesce(string_agg(t::varchar, chr(10) "
                    f"order by t::varchar), '')) from {rel} t").fetchone()
                out[uid] = f"rows:{digest[0]}:{digest[1]}"
        except Exception as e:  # noqa: BLE001 - duckdb.CatalogException and kin
            out[uid] = f"missing:{type(e).__name__}"
    return out


def _children(manifest: Mapping[str, Any]) -> dict[str, list[str]]:
    if manifest.get("child_map"):
        return manifest["child_map"]
    kids: dict[str, list[str]] = {}
    for uid, node in manifest["nodes"].items():
        for parent in node.get("depends_on", {}).get("nodes", []):
            kids.setdefault(parent, []).append(uid)
    return kids


def _downstream(manifest: Mapping[str, Any], roots: Iterable[str]) -> set[str]:
    """`roots` and every node below them."""
    kids, seen, todo = _children(manifest), set(), list(roots)
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        todo.extend(kids.get(uid, []))
    return seen


def topological(manifest: Mapping[str, Any], uids: Iterable[str]) -> list[str]:
    """`uids` parents first (Dagster takes a multi-asset's outputs in that order only);
    ties by unique_id."""
    nodes, todo = manifest["nodes"], set(uids)
    out: list[str] = []
    while todo:
        ready = sorted(u for u in todo
                       if not todo & set(nodes[u].get("depends_on", {}).get("nodes", [])))
        out += ready
        todo -= set(ready)
    return out


def _env_readers(manifest: Mapping[str, Any], period_env: str) -> tuple[set[str], set[str]]:
    """(models reading the period variable, models reading any other environment variable)."""
    period, other = set(), set()
    for uid, node in manifest["nodes"].items():
        if node.get("resource_type") not in BUILT:
            continue
        code = node.get("raw_code") or ""
        if "env_var(" not in code:
            continue
        rest = code.replace(f"env_var('{period_env}'", "").replace(f'env_var("{period_env}"', "")
        (other if "env_var(" in rest else period).add(uid)
    return period, other


def period_read_by_models(period: str) -> str:
    """The part of the run's period that changes what dbt's models compute: the period when
    it is a month range, else "".

    Only `int_period_spans_enumerated` reads `CIVSTAT_PERIOD`, and only a range changes its
    rows (it adds the range, the range before it and last year's); a month, quarter, half
    year or year is computed for every period the data touches whatever the run's period
    (the model's own comment; indicators.md §1). So a monthly run after a half-year run, on
    the same data, rebuilds nothing for the period. Raises `ingest.periods.PeriodError` for
    a text that is not a period (the command checked it before).
    """
    return period if parse_period(period).kind == "range" else ""


def plan_build(manifest: Mapping[str, Any], state: BuildState | None, code: str, period: str,
               inputs: Mapping[str, str], period_env: str = "CIVSTAT_PERIOD",
               force: str = "") -> BuildPlan:
    """The build a run needs, given the last successful build's record (see module doc).

    `manifest` is dbt's manifest as a dict (nodes with resource_type, name, depends_on,
    raw_code; sources; child_map optional); `inputs` is `input_fingerprints` now.
    """
    if force:
        return BuildPlan(True, f"{REBUILD_ENV} is set")
    if state is None:
        return BuildPlan(True, "no record of a previous successful build")
    if state.code != code:
        return BuildPlan(True, "the dbt project or dbt's version changed since the last build")
    nodes = manifest["nodes"]
    changed = {uid for uid in manifest["sources"] if state.inputs.get(uid) != inputs.get(uid)}
    period_models, env_models = _env_readers(manifest, period_env)
    roots = changed | env_models | (period_models if state.period != period else set())
    below = _downstream(manifest, roots)
    built = {u for u, n in nodes.items() if n.get("resource_type") in BUILT}
    build = built & below
    plan = BuildPlan(False, "", build=build, unbuilt=built - build)
    for uid, node in nodes.items():
        if node.get("resource_type") != "test":
            continue
        parents = set(node.get("depends_on", {}).get("nodes", []))
        if parents & below or uid not in state.passed:
            plan.run_tests.add(uid)
        else:
            plan.kept[uid] = state.passed[uid]
    names = sorted(manifest["sources"][u]["name"] for u in changed)
    plan.reason = (f"{len(build)} of {len(built)} models, {len(plan.run_tests)} of "
                   f"{len(plan.run_tests) + len(plan.kept)} tests; changed sources: "
                   f"{', '.join(names) or 'none'}; period "
                   f"{'changed' if state.period != period else 'unchanged'}")
    return plan


def next_state(previous: BuildState | None, plan: BuildPlan, code: str, period: str,
               inputs: Mapping[str, str], results: Iterable[Mapping[str, Any]],
               run_id: str) -> BuildState:
    """The record after a successful build: the tests that passed in it (`results`: each
    test's {"unique_id", "status"} as dbt's log reports it, assets_dbt.dbt_test_outcome) and,
    for a selective build, the kept passes of the others."""
    passed = {} if plan.full or previous is None else dict(plan.kept)
    for r in results:
        uid = r.get("unique_id", "")
        if not uid.startswith("test."):
            continue
        if r.get("status") == "pass":
            passed[uid] = run_id
        else:
            passed.pop(uid, None)
    return BuildState(code, period, dict(inputs), passed)


def write_state(path: Path, state: BuildState) -> None:
    """Write the record atomically (a killed run leaves the old one or none)."""
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(state.to_json(), encoding="utf-8")
    os.replace(tmp, path)
