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
import re
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
    # number cells shown as a percentage: ranges (r0, c0, r1, c1) like merges, a cell r, c, r, c
    percent: list[tuple[int, int, int, int]] = field(default_factory=list)


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
    return BookFacts(date1904, states, paths, percent_styles(zf, styles))


_PERCENT_HINT = re.compile(rb'%|numFmtId\s*=\s*["\'](?:9|10)["\']')


def percent_styles(zf: zipfile.ZipFile, part: str | None) -> frozenset[int]:
    """Indexes of the ``cellXfs`` entries of an xlsx styles part whose number format is a
    percentage (a cell's ``s`` attribute is such an index). Empty when the part is missing or
    names no percentage format (checked on the bytes first: most files have none)."""
    if not part:
        return frozenset()
    try:
        data = zf.read(part)
    except KeyError:
        return frozenset()
    if not _PERCENT_HINT.search(data):
        return frozenset()
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True, recover=True))
    if root is None:
        return frozenset()
    codes: dict[int, str] = {}
    xfs: list[int] = []
    for part in root:  # numFmts and cellXfs are children of styleSheet (a dxf has numFmts too)
        name = _local(part.tag)
        for el in part if name in ("numFmts", "cellXfs") else ():
            if name == "numFmts" and _local(el.tag) == "numFmt":
                try:
                    codes[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                except ValueError:
                    continue
            elif name == "cellXfs" and _local(el.tag) == "xf":
                try:
                    xfs.append(int(el.get("numFmtId", "0")))
                except ValueError:
                    xfs.append(0)
    return frozenset(k for k, fmt in enumerate(xfs) if numfmt.percent_of(fmt, codes))


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


def _style_pattern(percent_styles: frozenset[int]) -> re.Pattern | None:
    """An ``s`` attribute naming one of ``percent_styles`` (whitespace and either quote as
    XML allows them), or None when there are none."""
    if not percent_styles:
        return None
    alts = b"|".join(b"%d" % k for k in sorted(percent_styles, reverse=True))
    return re.compile(rb"\ss\s*=\s*([\"'])0*(?:" + alts + rb")\1")


_TAG_C = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_ATTR_R = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]+[0-9]+)[\"']")
_ATTR_T = re.compile(rb"\st\s*=\s*[\"']([^\"']*)[\"']")


def _percent_cell(buf: bytes, at: int) -> tuple[int, int] | None | bool:
    """The cell whose start tag holds the style attribute at ``at`` of ``buf``: (row, column)
    when it is a number ``<c>`` with a reference, True when it is one without (the caller
    then counts every cell), None otherwise (another element, a text cell, ``at`` in text).
    Read with regular expressions: a start tag is a few dozen bytes, and lxml per hit cost
    ≈ 4 µs (a column of 100 k percentage cells)."""
    lt, gt = buf.rfind(b"<", 0, at), buf.find(b">", at)
    if lt < 0 or gt < 0 or buf.find(b">", lt, at) >= 0:
        return None
    tag = buf[lt:gt + 1]
    if not _TAG_C.match(tag):
        return None
    t = _ATTR_T.search(tag)
    if t is not None and t[1] not in (b"", b"n"):
        return None
    r = _ATTR_R.search(tag)
    return True if r is None else cell_ref(r[1].decode())


def _number_cell(el) -> bool:
    """A ``<c>`` holding a number (no ``t``, or ``t="n"``; a formula's number too)."""
    return _local(el.tag) == "c" and el.get("t") in (None, "", "n")


def sheet_facts(zf: zipfile.ZipFile, part: str,
                percent_styles: frozenset[int] = frozenset()) -> SheetFacts:
    """Hidden rows, merged ranges and number cells of a percentage style
    (``percent_styles``: cellXfs indexes, ``ingest.numfmt``) of one worksheet part, streamed.

    The sheet XML is inflated chunk by chunk. ``<sheetData>`` (the cells: nearly all of the
    bytes) is only searched for ``hidden`` and, where the workbook has percentage styles, for
    an ``s`` attribute naming one (one regular expression); a ``hidden`` hit's start tag is
    parsed by lxml and kept when it is a ``<row>`` with ``hidden`` true, a style hit's when it
    is a number ``<c>`` (``_percent_cell``). Everything outside ``<sheetData>`` (where ``<mergeCells>``
    lives) is parsed whole by lxml. A 100 k-row sheet costs about the time to inflate it (see
    docs/ingest.md).
    """
    facts = SheetFacts()
    styles = _style_pattern(percent_styles)
    outside: list[bytes] = []
    state = "head"  # head -> data -> tail
    carry, base = b"", 0  # carry: the unsearched end of the previous chunk
    done = {"hidden": -1, "style": -1}  # absolute offset of the last hit handled, per search
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
                at = scan.find(b"hidden", 0, limit)
                while at >= 0:
                    if base + at > done["hidden"]:
                        done["hidden"] = base + at
                        el = _start_tag(scan, at)
                        if el is not None and _local(el.tag) == "row" and _true(el.get("hidden")):
                            r = el.get("r")
                            if r is None:  # rows without numbers: count them all
                                return _sheet_facts_full(zf, part, percent_styles)
                            facts.hidden_rows.add(int(r))
                    at = scan.find(b"hidden", at + 1, limit)
                for hit in styles.finditer(scan, 0, limit) if styles else ():
                    if base + hit.start() > done["style"]:
                        done["style"] = base + hit.start()
                        cell = _percent_cell(scan, hit.start() + 1)
                        if cell is True:  # cells without references: count them all
                            return _sheet_facts_full(zf, part, percent_styles)
                        if cell is not None:
                            facts.percent.append((cell[0], cell[1], cell[0], cell[1]))
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
                if s and s.strip().isdigit() and int(s) in percent_styles and _number_cell(el):
                    facts.percent.append((at, col, at, col))
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
                    facts.percent.append((row + 1, col, row + repeat, col + wide - 1))
                col += wide
            row += repeat
            el.clear()
    return out
