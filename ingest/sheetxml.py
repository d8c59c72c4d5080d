"""Workbook facts calamine does not expose, read by streaming the xlsx/xlsm XML.

fastexcel 0.21 gives sheet names and visibility, but not the date system, hidden rows,
merged ranges or where a sheet's used range starts. They are read here from the package
parts (ECMA-376 Part 1 §18.2 workbook, §18.3 worksheet): ``xl/workbook.xml``
(``workbookPr/@date1904``, ``sheet/@state``), ``xl/_rels/workbook.xml.rels`` and each read
sheet's XML, streamed with lxml ``iterparse`` over ``<row>`` and ``<mergeCell>`` elements only
(memory stays flat on a 100 k-row sheet; see the measurement in docs/ingest.md).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetFacts:
    """One worksheet: rows are 1-based sheet row numbers, columns 0-based (A = 0)."""

    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1


@dataclass
class BookFacts:
    date1904: bool
    states: dict[str, str]  # sheet name -> visible | hidden | veryHidden
    paths: dict[str, str]  # sheet name -> part name in the zip


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_ref(ref: str) -> tuple[int, int]:
    """``"AB12"`` -> (12, 27): 1-based row, 0-based column."""
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    return int(ref[i:]), _col(ref[:i].upper())


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def book_facts(zf: zipfile.ZipFile) -> BookFacts:
    root = etree.fromstring(zf.read("xl/workbook.xml"))
    ns = STRICT if root.tag.startswith(STRICT) else MAIN
    pr = root.find(f"{ns}workbookPr")
    date1904 = pr is not None and _true(pr.get("date1904"))
    targets = {}
    try:
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        for r in rels.iter(f"{PKG_REL}Relationship"):
            t = r.get("Target", "")
            targets[r.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(
                posixpath.join("xl", t))
    except KeyError:
        pass
    states, paths = {}, {}
    for s in root.iter(f"{ns}sheet"):
        name = s.get("name")
        states[name] = s.get("state") or "visible"
        rid = s.get(f"{REL}id") or s.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
        if rid in targets:
            paths[name] = targets[rid]
    return BookFacts(date1904, states, paths)


def sheet_facts(zf: zipfile.ZipFile, part: str) -> SheetFacts:
    """Hidden rows and merged ranges of one worksheet part."""
    facts = SheetFacts()
    with zf.open(part) as stream:
        tags = (f"{MAIN}row", f"{MAIN}mergeCell", f"{STRICT}row", f"{STRICT}mergeCell")
        prev = 0
        for _, el in etree.iterparse(stream, events=("end",), tag=tags, huge_tree=True):
            if el.tag.endswith("row"):
                r = el.get("r")
                prev = int(r) if r else prev + 1
                if _true(el.get("hidden")):
                    facts.hidden_rows.add(prev)
            else:
                ref = el.get("ref", "")
                if ":" in ref:
                    a, b = ref.split(":", 1)
                    (r0, c0), (r1, c1) = cell_ref(a), cell_ref(b)
                    facts.merges.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    return facts


def open_package(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))
