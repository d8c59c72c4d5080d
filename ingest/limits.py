"""The size limits of one inbox file, checked before a reader allocates (docs/ingest.md).

A file over a limit is rejected alone as ``unreadable_file``, naming the limit; the rest of
the inbox carries on. The limits are far above any roster a township sends (a province
township's month: ~100 k rows × ~30 columns) and low enough that one file costs at most a
few hundred MB of memory (measured in docs/ingest.md).

- CSV: a line longer than ``MAX_LINE_BYTES`` or more than ``MAX_COLUMNS`` fields; a file with
  no non-blank character is "empty".
- xlsx/xlsm/ods (zip packages): the uncompressed size of all parts over
  ``MAX_UNCOMPRESSED_BYTES``, or a part that inflates more than ``MAX_RATIO`` times (a zip
  bomb), read from the zip directory before anything is inflated; a worksheet whose
  ``<dimension ref>`` or whose cells reach past ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns
  or ``MAX_CELLS`` cells (calamine allocates the whole rectangle up front).
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np

MAX_LINE_BYTES = 4 * 1024 * 1024  # one CSV line
MAX_COLUMNS = 1_000  # fields of a CSV line, columns of a sheet
MAX_ROWS = 1_048_576  # rows of a sheet (Excel's own maximum)
MAX_CELLS = 30_000_000  # rows × columns of one sheet's used rectangle
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # all parts of one workbook package
MAX_RATIO = 500  # uncompressed ÷ compressed size of one part larger than 1 MB
_CHUNK = 1 << 20


class OverLimit(Exception):
    """The file is over a stated limit; the message names it (Chinese / English)."""


def check_csv(data: bytes) -> None:
    """Raise OverLimit when a line is too long or has too many fields.

    Scanned in windows of ``_CHUNK`` bytes (numpy), so the check costs a few MB beyond the
    file's own bytes however long its lines are.
    """
    line_start, commas_before = 0, 0  # of the line still open at the window's end
    longest = widest = 0
    for offset in range(0, len(data), _CHUNK):
        arr = np.frombuffer(data, dtype=np.uint8, count=min(_CHUNK, len(data) - offset),
                            offset=offset)
        breaks = np.flatnonzero((arr == 10) | (arr == 13))
        commas = np.flatnonzero(arr == 44)
        if len(breaks):
            starts = np.concatenate(([line_start - offset], breaks[:-1] + 1))
            longest = max(longest, int(np.max(breaks - starts)))
            per_line = np.diff(np.searchsorted(commas, np.concatenate(([-1], breaks))))
            per_line[0] += commas_before
            widest = max(widest, int(per_line.max()) + 1)
            line_start = offset + int(breaks[-1]) + 1
            commas_before = len(commas) - int(np.searchsorted(commas, breaks[-1]))
        else:
            commas_before += len(commas)
        longest = max(longest, offset + len(arr) - line_start)
        widest = max(widest, commas_before + 1)
        _over_csv(longest, widest)


def _over_csv(longest: int, widest: int) -> None:
    if longest > MAX_LINE_BYTES:
        raise OverLimit(f"有一行长 {longest:,} 字节以上，超过上限 {MAX_LINE_BYTES:,} / a line of "
                        f"{longest:,}+ bytes is over the limit of {MAX_LINE_BYTES:,}")
    if widest > MAX_COLUMNS:
        raise OverLimit(f"有一行有 {widest:,} 列以上，超过上限 {MAX_COLUMNS:,} 列 / a line has "
                        f"{widest:,}+ fields, over the limit of {MAX_COLUMNS:,} columns")


def check_package(data: bytes) -> None:
    """Raise OverLimit for a zip package (xlsx, ods) too large once inflated (a zip bomb)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader says what is wrong
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _CHUNK and ratio > MAX_RATIO:
            raise OverLimit(f"压缩包内 {info.filename} 解压后膨胀 {ratio:,.0f} 倍，超过上限 "
                            f"{MAX_RATIO} 倍（疑似压缩炸弹） / part {info.filename} inflates "
                            f"{ratio:,.0f} times, over the limit of {MAX_RATIO}")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise OverLimit(f"工作簿解压后共 {total:,} 字节，超过上限 {MAX_UNCOMPRESSED_BYTES:,} / "
                        f"the workbook inflates to {total:,} bytes, over the limit of "
                        f"{MAX_UNCOMPRESSED_BYTES:,}")
    for name in zf.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _check_sheet(zf, name)


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z$0-9:]+)"')
_WIDE = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{2,})[0-9]+"')  # columns AA and on
_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]+)"')
# the same matches where no namespace prefix occurs, found faster (a literal start)
_ROW_PLAIN = re.compile(rb'<row\s[^>]*?\br="([0-9]+)"')
_WIDE_HINT = re.compile(rb'r="[A-Z]{2}')  # no match: no _WIDE match either (a fast scan)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def check_extent(rows: int, cols: int, what: str, part: str) -> None:
    """Raise OverLimit when a sheet's `what` (its rows × columns) is over the limits."""
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise OverLimit(
            f"工作表 {part} 的{what}为 {rows:,} 行 × {cols:,} 列，超过上限（{MAX_ROWS:,} 行、"
            f"{MAX_COLUMNS:,} 列、{MAX_CELLS:,} 个单元格） / sheet {part}: {what} {rows:,} rows "
            f"× {cols:,} columns is over the limit ({MAX_ROWS:,} rows, {MAX_COLUMNS:,} "
            f"columns, {MAX_CELLS:,} cells)")


def _check_sheet(zf: zipfile.ZipFile, part: str) -> None:
    """The declared dimension and the cells' actual extent of one worksheet, streamed."""
    rows = cols = 0
    carry = b""
    with zf.open(part) as stream:
        first = True
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            buf = carry + chunk
            if first:
                m = _DIMENSION.search(buf)
                if m:
                    last = m.group(1).split(b":")[-1].replace(b"$", b"")
                    letters = re.match(rb"[A-Za-z]*", last).group(0)
                    digits = last[len(letters):]
                    check_extent(int(digits or 1), _col(letters) if letters else 1,
                                 "声明的范围 dimension", part)
                first = False
            found = (_ROW if b":row" in buf else _ROW_PLAIN).findall(buf)
            rows = max(rows, max(map(int, found), default=0))
            if _WIDE_HINT.search(buf):
                cols = max(cols, max(map(_col, set(_WIDE.findall(buf))), default=0))
            carry = buf[-256:]
    check_extent(rows, max(cols, 26), "单元格范围 used range", part)
