"""The layering of the project's packages, read from the source with `ast` (nothing imported).

Floors, lowest first: `ingest/` (contract, periods, parsing) → `dashboards/` (renders a
release) → `orchestration/`. Inside orchestration the plain logic (`quality/`, `release/`,
`settings.py`, `memory.py`) sits below the Dagster wiring (`defs/`, `definitions.py`), and
the command (`cli/`) on top. See README "What is where".
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "orchestration", "dashboards")  # bench/ and tests/ are not modules
WIRING = ("orchestration.defs", "orchestration.definitions")
# The command runs the job in process, so one CLI module may name the wiring, and only for:
CLI_MAY_IMPORT = {
    "orchestration.definitions",  # the Definitions whose job it executes
    "orchestration.defs.project",  # prepares the dbt manifest before loading them
    "orchestration.defs.keys",  # RELEASE_KEY: did this run publish?
    "orchestration.defs.resources",  # release_run_config: the run's period
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
            if "__pycache__" not in p.parts}


def imported(path: Path, package: str | None = None) -> set[str]:
    """Every module name `path` imports, at the top or inside a function.

    `from a.b import c` yields both `a.b` and `a.b.c` (c may be a module); a relative import
    is resolved against `package` (default: the package of `path` in the project).
    """
    names = set()
    if package is None:
        package = module_name(path) if path.name == "__init__.py" \
            else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def offenders(importers, forbidden) -> list[str]:
    """`importer -> imported` for every import of `forbidden` by a module in `importers`."""
    found = []
    for mod, path in project_modules().items():
        if under(mod, importers):
            for name in sorted(imported(path)):
                if under(name, forbidden):
                    found.append(f"{mod} -> {name}")
    return found


def test_the_parser_sees_lazy_from_and_relative_imports(tmp_path):
    # a hand-made module: the rules below rest on this reading
    src = tmp_path / "m.py"
    src.write_text("import a.b\nfrom c import d\n\ndef f():\n    from e.f import g\n"
                   "from . import h\nfrom ..i import j\n")
    assert imported(src, package="p.q") == {"a.b", "c", "c.d", "e.f", "e.f.g", "p.q", "p.q.h",
                                            "p.i", "p.i.j"}


def test_ingest_imports_no_upper_floor():
    assert offenders(["ingest"], ["orchestration", "dashboards"]) == []


def test_dashboards_import_no_orchestration():
    assert offenders(["dashboards"], ["orchestration"]) == []


def test_plain_logic_imports_no_wiring_and_no_command():
    plain = ["orchestration.quality", "orchestration.release", "orchestration.release_inputs",
             "orchestration.settings", "orchestration.memory", "orchestration.lifetime"]
    assert offenders(plain, [*WIRING, "orchestration.cli"]) == []


def test_wiring_imports_no_command():
    assert offenders(list(WIRING), ["orchestration.cli"]) == []


def test_only_the_command_entry_names_the_wiring():
    modules = project_modules()
    found = {(mod, name) for mod, path in modules.items() if under(mod, ["orchestration.cli"])
             for name in imported(path) if under(name, WIRING) and name in modules}
    assert {mod for mod, _ in found} == {"orchestration.cli.main"}
    assert {name for _, name in found} <= CLI_MAY_IMPORT, sorted(found)


def test_no_two_modules_share_a_basename():
    by_name = defaultdict(list)
    for mod, path in project_modules().items():
        if path.name != "__init__.py":
            by_name[path.name].append(mod)
    assert {n: m for n, m in by_name.items() if len(m) > 1} == {}


def _unit(mod: str) -> str:
    """The folder a module counts in: a top-level package, or orchestration's sub-package
    (its top-level modules count one by one)."""
    parts = mod.split(".")
    return ".".join(parts[:2]) if parts[0] == "orchestration" and len(parts) > 1 else parts[0]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return cycles


def test_cycle_finder_finds_a_hand_made_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_import_cycle_between_folders():
    modules = project_modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for mod, path in modules.items():
        for name in imported(path):
            if name in modules and _unit(name) != _unit(mod):
                edges[_unit(mod)].add(_unit(name))
    assert _cycles(edges) == []
