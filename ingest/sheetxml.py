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

from ingest import numfmt

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetFacts:
    """One worksheet: rows are 1-based sheet row numbers, columns 0-based (A = 0)."""

    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # number cells shown as %


@dataclass
class BookFacts:
    date1904: bool
    states: dict[str, str]  # sheet name -> visible | hidden | veryHidden
    paths: dict[str, str]  # sheet name -> part name in the zip
    percent_styles: frozenset[int] = frozenset()  # cellXfs indexes of percentage formats


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
    styles = "xl/styles.xml"
    try:
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        for r in rels.iter(f"{PKG_REL}Relationship"):
            t = r.get("Target", "")
            targets[r.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(
                posixpath.join("xl", t))
            if r.get("Type", "").endswith("/styles"):
                styles = targets[r.get("Id")]
    except KeyError:
        pass
    states, paths = {}, {}
    for s in root.iter(f"{ns}sheet"):
        name = s.get("name")
        states[name] = s.get("state") or "visible"
        rid = s.get(f"{REL}id") or s.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
        if rid in targets:
            paths[name] = targets[rid]
    return BookFacts(date1904, states, paths, numfmt.xlsx_percent_styles(zf, styles))


CHUNK = 1 << 22  # bytes of sheet XML inflated at a time
OVERLAP = 1 << 12  # a row's start tag is far shorter than this


TAG_PARSER = etree.XMLParser(recover=True)  # a lone start tag: prefixes are unbound


def _start_tag(buf: bytes, at: int) -> etree._Element | None:
    """The element whose start tag holds byte ``at`` of ``buf``, parsed by lxml, else None.

    XML allows no ``<`` inside attribute values or text, and no writer puts ``>`` into a
    row's numbers and flags, so the tag is the bytes between the last ``<`` before ``at`` and
    the first ``>`` after it.
    """
    lt, gt = buf.rfind(b"<", 0, at), buf.find(b">", at)
    if lt < 0 or gt < 0 or buf.find(b">", lt, at) >= 0:
        return None  # ``at`` lies in text, not in a tag
    try:
        return etree.fromstring(buf[lt:gt].rstrip(b"/") + b"/>", TAG_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _needles(percent_styles: frozenset[int]) -> list[bytes]:
    """What the scan of ``<sheetData>`` looks for: ``hidden`` (a row's flag) and the ``s``
    attribute of each percentage style, in either quote."""
    return [b"hidden"] + [b' s=%s%d%s' % (q, k, q) for k in sorted(percent_styles)
                          for q in (b'"', b"'")]


def _number_cell(el) -> bool:
    """A ``<c>`` holding a number (no ``t``, or ``t="n"``; a formula's number too)."""
    return _local(el.tag) == "c" and el.get("t") in (None, "", "n")


def sheet_facts(zf: zipfile.ZipFile, part: str,
                percent_styles: frozenset[int] = frozenset()) -> SheetFacts:
    """Hidden rows, merged ranges and number cells of a percentage style
    (``percent_styles``: cellXfs indexes, ``ingest.numfmt``) of one worksheet part, streamed.

    The sheet XML is inflated chunk by chunk. ``<sheetData>`` (the cells: nearly all of the
    bytes) is only searched for ``hidden=`` and for `` s="k"`` of each percentage style; each
    hit's start tag is parsed by lxml and kept when it is a ``<row>`` with ``hidden`` true or a
    number ``<c>`` of that style. Everything outside ``<sheetData>`` (where ``<mergeCells>``
    lives) is parsed whole by lxml. A 100 k-row sheet costs about the time to inflate it (see
    docs/ingest.md).
    """
    facts = SheetFacts()
    needles = _needles(percent_styles)
    outside: list[bytes] = []
    state = "head"  # head -> data -> tail
    carry, base = b"", 0  # carry: the unsearched end of the previous chunk
    done = dict.fromkeys(needles, -1)  # absolute offset of the last hit handled, per needle
    with zf.open(part) as stream:
        while True:
            chunk = stream.read(CHUNK)
            buf = carry + chunk
            if state == "head":
                k = buf.find(b"<sheetData")
                if k < 0 and chunk:
                    carry = buf
                    continue
                if k < 0:
                    outside.append(buf)
                    break
                end = buf.find(b">", k)
                if end < 0:
                    carry = buf
                    continue
                outside.append(buf[:k])
                if buf[end - 1:end] == b"/":  # <sheetData/>
                    state, buf = "tail", buf[end + 1:]
                else:
                    state, base, buf = "data", base + end + 1, buf[end + 1:]
                    carry = b""
            if state == "data":
                close = buf.find(b"</sheetData>")
                more = close < 0 and bool(chunk)
                scan = buf if close < 0 else buf[:close]
                # hits near the end wait for the next chunk, which brings their tag's end
                limit = max(len(scan) - OVERLAP if more else len(scan), 0)
                for needle in needles:
                    at = scan.find(needle, 0, limit)
                    while at >= 0:
                        if base + at > done[needle]:
                            done[needle] = base + at
                            el = _start_tag(scan, at)
                            if el is None:
                                pass
                            elif needle == b"hidden":
                                if _local(el.tag) == "row" and _true(el.get("hidden")):
                                    r = el.get("r")
                                    if r is None:  # rows without numbers: count them all
                                        return _sheet_facts_full(zf, part, percent_styles)
                                    facts.hidden_rows.add(int(r))
                            elif _number_cell(el):
                                ref = el.get("r")
                                if not ref:  # cells without references: count them all
                                    return _sheet_facts_full(zf, part, percent_styles)
                                facts.percent_cells.add(cell_ref(ref))
                        at = scan.find(needle, at + 1, limit)
                if close >= 0:
                    state, buf = "tail", buf[close + len(b"</sheetData>"):]
                elif more:
                    keep = min(2 * OVERLAP, len(buf))
                    carry, base = buf[len(buf) - keep:], base + len(buf) - keep
                    continue
                else:
                    break
            if state == "tail":
                outside.append(buf)
                outside.append(stream.read())
                break
    root = etree.fromstring(b"".join(outside), etree.XMLParser(huge_tree=True))
    for el in root.iter(f"{MAIN}mergeCell", f"{STRICT}mergeCell"):
        _add_merge(facts, el.get("ref", ""))
    return facts


def _add_merge(facts: SheetFacts, ref: str) -> None:
    if ":" in ref:
        a, b = ref.split(":", 1)
        (r0, c0), (r1, c1) = cell_ref(a), cell_ref(b)
        facts.merges.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))


def _sheet_facts_full(zf: zipfile.ZipFile, part: str,
                      percent_styles: frozenset[int] = frozenset()) -> SheetFacts:
    """The slow, sure way: every ``<row>``, ``<c>`` and ``<mergeCell>`` through lxml
    iterparse (a row or cell without its reference follows the one before it)."""
    facts = SheetFacts()
    tags = [f"{ns}{t}" for ns in (MAIN, STRICT) for t in ("row", "mergeCell")]
    if percent_styles:
        tags += [f"{MAIN}c", f"{STRICT}c"]
    with zf.open(part) as stream:
        row, col = 0, -1
        for event, el in etree.iterparse(stream, events=("start", "end"), tag=tags,
                                         huge_tree=True):
            name = _local(el.tag)
            if name == "row" and event == "start":
                r = el.get("r")
                row, col = (int(r) if r else row + 1), -1
                if _true(el.get("hidden")):
                    facts.hidden_rows.add(row)
            elif event == "start":
                continue
            elif name == "c":
                ref = el.get("r")
                at, col = cell_ref(ref) if ref else (row, col + 1)
                s = el.get("s")
                if s and s.isdigit() and int(s) in percent_styles and _number_cell(el):
                    facts.percent_cells.add((at, col))
            elif name == "mergeCell":
                _add_merge(facts, el.get("ref", ""))
            if name != "c":
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    return facts


def open_package(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
ODS_REPEAT = 1024  # a repeated percentage cell counts at most this many rows and columns


def ods_facts(zf: zipfile.ZipFile) -> dict[str, SheetFacts]:
    """Hidden rows and merged ranges of every table of an ODS ``content.xml`` (OpenDocument
    1.2 §9.1): ``table:visibility`` collapse/filter on a ``table-row``, and
    ``number-rows-spanned``/``number-columns-spanned`` on a ``table-cell``, and cells of
    ``office:value-type="percentage"`` (§19.387: the number shown × 100 with ``%``); repeated
    rows and cells (``number-*-repeated``) count as many. Streamed with lxml ``iterparse``."""
    t = ODS_TABLE
    out: dict[str, SheetFacts] = {}
    facts, row = SheetFacts(), 0
    with zf.open("content.xml") as stream:
        for event, el in etree.iterparse(stream, events=("start", "end"),
                                         tag=(f"{t}table", f"{t}table-row"), huge_tree=True):
            if el.tag == f"{t}table":
                if event == "start":
                    facts, row = SheetFacts(), 0
                else:
                    out[el.get(f"{t}name", "")] = facts
                    el.clear()
                continue
            if event == "start":
                continue
            repeat = max(int(el.get(f"{t}number-rows-repeated", "1")), 1)
            if el.get(f"{t}visibility") in ("collapse", "filter"):
                facts.hidden_rows.update(range(row + 1, row + 1 + min(repeat, 65536)))
            col = 0
            for cell in el:
                span_r = int(cell.get(f"{t}number-rows-spanned", "1"))
                span_c = int(cell.get(f"{t}number-columns-spanned", "1"))
                if cell.tag == f"{t}table-cell" and (span_r > 1 or span_c > 1):
                    facts.merges.append((row + 1, col, row + span_r, col + span_c - 1))
                wide = max(int(cell.get(f"{t}number-columns-repeated", "1")), 1)
                if cell.get(ODS_VALUE_TYPE) == "percentage":
                    facts.percent_cells.update(
                        (r, c) for r in range(row + 1, row + 1 + min(repeat, ODS_REPEAT))
                        for c in range(col, col + min(wide, ODS_REPEAT)))
                col += wide
            row += repeat
            el.clear()
    return out
