"""The dashboards only render: they import nothing from orchestration and write no file."""

from __future__ import annotations

import ast
from pathlib import Path

import dashboards

PACKAGE = Path(dashboards.__file__).parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_dashboards_import_nothing_from_orchestration():
    found = {p.name: sorted(m for m in _imports(p) if m.split(".")[0] == "orchestration")
             for p in PACKAGE.rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}


def test_dashboards_write_no_file():
    for p in PACKAGE.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        for call in ("write_text(", "write_bytes(", "open(", "os.replace(", "mkdir("):
            assert call not in text, f"{p.name} calls {call}"


def test_templates_and_css_ship_with_the_package():
    names = {p.name for p in (PACKAGE / "templates").iterdir()}
    assert {"page.html.j2", "parts.html.j2", "index.html.j2"} <= names
    assert (PACKAGE / "static" / "page.css").read_text(encoding="utf-8").startswith("@page")
