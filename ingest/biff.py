"""Workbook facts of a legacy ``.xls`` (BIFF8) that calamine does not expose.

olefile opens the compound file and gives the ``Workbook`` stream; its records are walked
header by header (type and length, [MS-XLS] §2.1.4), reading only: DATEMODE (0x0022, the
1904 date system), BOUNDSHEET8 (0x0085: each sheet's name, visibility and stream offset),
ROW (0x0208: ``fDyZero``, bit 5 of the flags at offset 12, is a hidden row) and MERGECELLS
(0x00E5: merged ranges). An .xls holds at most 65 536 rows a sheet, so the walk stays short.
BIFF5 (``Book`` stream, Excel 95) is not walked: calamine reads its cells, without these facts.
"""

from __future__ import annotations

import io
import struct

import olefile

from ingest.sheetxml import BookFacts, SheetFacts

BOF, EOF, DATEMODE, BOUNDSHEET, ROW, MERGECELLS = 0x0809, 0x000A, 0x0022, 0x0085, 0x0208, 0x00E5
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
    for kind, rec in _records(stream):
        if kind == DATEMODE and len(rec) >= 2:
            date1904 = struct.unpack_from("<H", rec)[0] == 1
        elif kind == BOUNDSHEET and len(rec) >= 8:
            name = _name(rec)
            states[name] = STATES.get(rec[4] & 0x03, "hidden")
            offsets[name] = struct.unpack_from("<I", rec)[0]
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
        sheets[name] = facts
    return BookFacts(date1904, states, {}), sheets
