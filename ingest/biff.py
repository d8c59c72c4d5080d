"""Workbook facts of a legacy ``.xls`` (BIFF8) that calamine does not expose.

olefile opens the compound file and gives the ``Workbook`` stream; its records are walked
header by header (type and length, [MS-XLS] §2.1.4), reading only: DATEMODE (0x0022, the
1904 date system), BOUNDSHEET8 (0x0085: each sheet's name, visibility and stream offset),
ROW (0x0208: ``fDyZero``, bit 5 of the flags at offset 12, is a hidden row), MERGECELLS
(0x00E5: merged ranges), and for percentage formats (``ingest.numfmt``) FORMAT (0x041E: a
format code and its id), XF (0x00E0: each cell format's format id, at offset 2; a cell names
its XF by index) and the number cells NUMBER (0x0203), RK (0x027E), MULRK (0x00BD) and
FORMULA (0x0006, a number unless its value's last two bytes are 0xFFFF). An .xls holds at
most 65 536 rows a sheet, so the walk stays short.
BIFF5 (``Book`` stream, Excel 95) is not walked: calamine reads its cells, without these facts.
"""

from __future__ import annotations

import io
import struct

import olefile

from ingest import numfmt
from ingest.sheetxml import BookFacts, SheetFacts

BOF, EOF, DATEMODE, BOUNDSHEET, ROW, MERGECELLS = 0x0809, 0x000A, 0x0022, 0x0085, 0x0208, 0x00E5
FORMAT, XF, NUMBER, RK, MULRK, FORMULA = 0x041E, 0x00E0, 0x0203, 0x027E, 0x00BD, 0x0006
STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


def _records(stream: bytes, start: int = 0):
    """(type, data) of each record from ``start`` to the end of its substream."""
    pos, n = start, len(stream)
    while pos + 4 <= n:
        kind, size = struct.unpack_from("<HH", stream, pos)
        data = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        yield kind, data
        if kind == EOF:
            return


def _name(data: bytes) -> str:
    """ShortXLUnicodeString at offset 6 of a BOUNDSHEET8 record."""
    cch, flags = data[6], data[7]
    raw = data[8:8 + cch * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", errors="replace")


def _format(data: bytes) -> tuple[int, str]:
    """(format id, code) of a FORMAT record: ifmt, then an XLUnicodeString (cch, flags)."""
    ifmt, cch, flags = struct.unpack_from("<HHB", data)
    raw = data[5:5 + cch * (2 if flags & 1 else 1)]
    return ifmt, raw.decode("utf-16-le" if flags & 1 else "latin-1", errors="replace")


def _number_cells(kind: int, rec: bytes):
    """(row, column, XF index) of each number cell a cell record holds (0-based row)."""
    if kind in (NUMBER, RK) and len(rec) >= 6:
        yield struct.unpack_from("<HHH", rec)
    elif kind == FORMULA and len(rec) >= 14 and rec[12:14] != b"\xff\xff":
        yield struct.unpack_from("<HHH", rec)
    elif kind == MULRK and len(rec) >= 6:
        row, first = struct.unpack_from("<HH", rec)
        for k in range((len(rec) - 6) // 6):
            yield row, first + k, struct.unpack_from("<H", rec, 4 + 6 * k)[0]


def book_facts(data: bytes) -> tuple[BookFacts, dict[str, SheetFacts]] | None:
    """(book facts, facts per visible sheet name), or None when there is no BIFF8 stream."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("Workbook"):
                return None
            stream = ole.openstream("Workbook").read()
    except (OSError, ValueError, struct.error):
        return None
    date1904, states, offsets = False, {}, {}
    codes: dict[int, str] = {}
    xfs: list[int] = []
    for kind, rec in _records(stream):
        if kind == DATEMODE and len(rec) >= 2:
            date1904 = struct.unpack_from("<H", rec)[0] == 1
        elif kind == FORMAT and len(rec) >= 5:
            ifmt, code = _format(rec)
            codes[ifmt] = code
        elif kind == XF and len(rec) >= 4:
            xfs.append(struct.unpack_from("<H", rec, 2)[0])
        elif kind == BOUNDSHEET and len(rec) >= 8:
            name = _name(rec)
            states[name] = STATES.get(rec[4] & 0x03, "hidden")
            offsets[name] = struct.unpack_from("<I", rec)[0]
    percent = frozenset(k for k, fmt in enumerate(xfs) if numfmt.percent_of(fmt, codes))
    sheets: dict[str, SheetFacts] = {}
    for name, offset in offsets.items():
        if states[name] != "visible" or offset >= len(stream):
            continue
        facts = SheetFacts()
        for kind, rec in _records(stream, offset):
            if kind == ROW and len(rec) >= 14:
                if struct.unpack_from("<H", rec, 12)[0] & 0x20:
                    facts.hidden_rows.add(struct.unpack_from("<H", rec)[0] + 1)
            elif kind == MERGECELLS and len(rec) >= 2:
                count = struct.unpack_from("<H", rec)[0]
                for k in range(min(count, (len(rec) - 2) // 8)):
                    r0, r1, c0, c1 = struct.unpack_from("<HHHH", rec, 2 + 8 * k)
                    facts.merges.append((r0 + 1, c0, r1 + 1, c1))
            elif percent and kind in (NUMBER, RK, MULRK, FORMULA):
                facts.percent += [(r + 1, c, r + 1, c) for r, c, xf in _number_cells(kind, rec)
                                  if xf in percent]
        sheets[name] = facts
    return BookFacts(date1904, states, {}, percent), sheets
